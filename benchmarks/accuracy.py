"""Accuracy benchmark: `aligner eval` on every gold set in ../shared/eval → benchmarks/accuracy.md.

Usage: python benchmarks/accuracy.py [--shared ../shared] [--sets ntrex_enko_dev ...]
"""

from __future__ import annotations

import argparse
import json
import platform
import sys
import tempfile
import time
from dataclasses import replace
from datetime import date
from pathlib import Path

from aligner import AlignParams
from aligner.embed import load_embedder
from aligner.evaluate import evaluate_file

SETS = ["ntrex_enko_dev", "textberg_defr", "transread_enfr_dev", "bible_enko_books"]
# the sets whose bead-type confusion is tabled, and the dev sets of the settings table
CONFUSION_SETS = ["transread_enfr_dev", "textberg_defr", "ntrex_enko_dev", "bible_enko_books"]
ABLATION_SETS = ["ntrex_enko_dev", "textberg_defr", "transread_enfr_dev"]
TEXT_SET = "ntrex_enko_dev_text"
HERE = Path(__file__).resolve().parent


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", default=str(HERE.parent.parent / "shared"))
    ap.add_argument("--sets", nargs="*", default=SETS)
    ap.add_argument("--windows", default="pool", choices=["pool", "encode", "compose"])
    ap.add_argument("--out", default=str(HERE / "accuracy.md"))
    ap.add_argument("--no-perturb", action="store_true", help="Skip the perturbed NTREX sets.")
    ap.add_argument("--no-ablations", action="store_true", help="Skip the settings table.")
    args = ap.parse_args()
    eval_dir = Path(args.shared) / "eval"
    if not eval_dir.exists():
        print(f"{eval_dir} not found: the shared evaluation data is absent; skipping.")
        return 0
    embedder = load_embedder()
    params = AlignParams(windows=args.windows)
    rows, confusions, signature = [], {}, ""
    for name, path, split in _jobs(eval_dir, args):
        if not path.exists():
            print(f"{path}: missing, skipped", file=sys.stderr)
            continue
        t0 = time.perf_counter()
        r = evaluate_file(path, embedder, params, split=split, confusion=True)
        s, lx = r["strict"], r["lax"]
        rows.append(
            f"| {name} | {r['documents']} | {r['unaligned']} | {s['precision']:.4f} "
            f"| {s['recall']:.4f} | **{s['f1']:.4f}** | {lx['precision']:.4f} "
            f"| {lx['recall']:.4f} | {lx['f1']:.4f} | {time.perf_counter() - t0:.1f} |"
        )
        print(rows[-1], flush=True)
        if name in CONFUSION_SETS:
            confusions[name] = r["confusion"]
        signature = r["signature"]
    ablations = [] if args.no_ablations else _ablations(eval_dir, embedder, params)
    Path(args.out).write_text(
        "\n".join(_page(args, signature, rows, confusions, ablations)), encoding="utf-8"
    )
    print(f"wrote {args.out}")
    return 0


def _jobs(eval_dir: Path, args):
    """(name, path, split) of every run: the gold sets, our own splitting, the perturbed sets."""
    jobs = [(name, eval_dir / f"{name}.jsonl", False) for name in args.sets]
    # the full pipeline: our splitters on the running text, scored by gold-sentence links
    jobs.append((f"{TEXT_SET} (own splitting)", eval_dir / f"{TEXT_SET}.jsonl", True))
    tmp = Path(tempfile.mkdtemp())
    bible = eval_dir / "bible_enko_books.jsonl"
    if bible.exists():  # Genesis as two text files, one verse per line, through our splitters
        with bible.open(encoding="utf-8") as f:
            genesis = json.loads(f.readline())
        genesis.update(src_text="\n".join(genesis["src"]), tgt_text="\n".join(genesis["tgt"]))
        path = tmp / "genesis_text.jsonl"
        path.write_text(json.dumps(genesis, ensure_ascii=False) + "\n", encoding="utf-8")
        jobs.append(("Genesis as text, a verse per line (own splitting)", path, True))
    if not args.no_perturb and (eval_dir / "raw" / "ntrex").exists():
        sys.path.insert(0, str(HERE))
        from perturb import LEVELS, perturbed_set

        for level in LEVELS:
            path = tmp / f"ntrex_perturbed_{level}.jsonl"
            docs = perturbed_set(eval_dir / "raw" / "ntrex", level)
            path.write_text("".join(json.dumps(d) + "\n" for d in docs), encoding="utf-8")
            jobs.append((f"ntrex_dev_perturbed_{level}", path, False))
    return jobs


# What the last change to the defaults did to the table, with the reason beside each set that
# lost more than 0.002 (kept until the next change replaces it).
LAST_CHANGE = [
    "Last change (2026-12-04): part of the fitted bead-type prior spread evenly where the",
    "path is not nearly all 1-1 (`CostParams.fit_prior_spread`, `doc_model.type_prior`).",
    "Against the run before it: Text+Berg 0.9249 -> 0.9304, TransRead 0.9213 -> 0.9305",
    "(Alice, Swann, Jane Eyre and Les Confessions gain 0.007-0.026, La Faute de l'abbe",
    "Mouret is unchanged, Emma loses 0.041: the French leaves out 34 of its 216 English",
    "sentences, and with the even share absorbing them into 3-1 and 5-1 beads costs less",
    "than leaving them out); Genesis as text 0.9780 -> 0.9760: our splitter makes 1,715",
    "English sentences of its 1,533 verses, so 13 % of the path's beads are not 1-1, the",
    "prior is spread (0.39) and the bead limit grows (4-1 beads appear); every other set",
    "unchanged.",
]


def _page(args, signature: str, rows, confusions, ablations) -> list[str]:
    return [
        "# Accuracy (strict / lax P, R, F1; Sennrich & Volk 2011 as Vecalign computes them)",
        "",
        f"Machine: {platform.machine()}, {platform.processor() or 'cpu'}, "
        f"Python {platform.python_version()}; date {date.today()}; "
        "seconds include embedding (cache state as it was: see the note below the table).",
        "Perturbed sets: the dev half of raw NTREX with merges/drops at 5/5, 10/10 and"
        " 20/20 % (benchmarks/perturb.py, seed 7).",
        f"Command: `python benchmarks/accuracy.py --windows {args.windows}`",
        f"Signature: `{signature}`",
        "",
        "*unaligned*: how a run of unaligned sentences is written, as the set's gold writes it",
        "(`block`: one bead, TransRead's 2-0 and 0-5; `sentence`: one bead each, Text+Berg's",
        "runs of 0-1). The alignment is the same either way; strict precision counts beads.",
        "",
        "| set | docs | unaligned | strict P | strict R | strict F1 | lax P | lax R | lax F1 | s |",
        "|---|---|---|---|---|---|---|---|---|---|",
        *rows,
        "",
        "Seconds: with a warm embedding cache (a cold run of the NTREX dev set embeds ~6.7k",
        "windows of 1-4 sentences in about 33 s on this machine; the Bible books, ~248k",
        "windows, an estimated ~27 minutes cold).",
        "",
        *LAST_CHANGE,
        "",
        "Peers with the same model (issues #3, #18): NTREX dev Bertalign 0.958, Vecalign 0.937;",
        "Text+Berg Bertalign 0.911, Vecalign 0.876; TransRead en-fr dev Bertalign 0.908,",
        "Vecalign 0.858; Mark and Romans Vecalign 1.000.",
        "",
        *_confusion_tables(confusions),
        *ablations,
    ]


def _confusion_tables(confusions: dict) -> list[str]:
    """Per set: each gold bead type, how often we found it, and what we made of it instead."""
    if not confusions:
        return []
    lines = [
        "## Bead types: what we make of each gold bead (default settings)",
        "",
        "*found*: our bead is the gold bead exactly. *instead*: the types of our beads that",
        "share a sentence with a gold bead we missed, most frequent first (`1-1 + 1-1` for a",
        "2-2 split in two). Types with fewer than 3 gold beads are pooled as *other*.",
        "",
    ]
    for name, table in confusions.items():
        lines += [f"**{name}**", "", "| gold type | gold | found | instead |", "|---|---|---|---|"]
        ranked = sorted(table.items(), key=lambda kv: -kv[1]["gold"])
        other = {"gold": 0, "exact": 0, "as": {}}
        for ty, row in ranked:
            if row["gold"] < 3:
                other["gold"] += row["gold"]
                other["exact"] += row["exact"]
                for k, v in row["as"].items():
                    other["as"][k] = other["as"].get(k, 0) + v
                continue
            lines.append(_confusion_row(ty, row))
        if other["gold"]:
            lines.append(_confusion_row("other", other))
        lines.append("")
    return lines


def _confusion_row(ty: str, row: dict) -> str:
    top = sorted(row["as"].items(), key=lambda kv: -kv[1])[:4]
    instead = ", ".join(f"{k} ({v})" for k, v in top) or "—"
    share = row["exact"] / row["gold"]
    return f"| {ty} | {row['gold']} | {row['exact']} ({share:.0%}) | {instead} |"


# (label, AlignParams fields, CostParams fields, evaluate_file options); one row per default
ABLATIONS = [
    ("default", {}, {}, {}),
    ("fixed costs on every document (`--costs fixed`)", {}, {"kind": "fixed"}, {}),
    ("costs fitted on every document (`--costs fitted`)", {}, {"kind": "fitted"}, {}),
    ("fitted only from 50 sentences a side", {}, {"fit_min_sentences": 50}, {}),
    ("Gaussian length model in the fitted costs", {}, {"fit_length": "gauss"}, {}),
    ("bead-type prior add-one only, never spread (`fit_prior_spread=0`)", {},
     {"fit_prior_spread": 0.0}, {}),  # fmt: skip
    ("cosine floor in the fitted costs too (`fit_floor=True`)", {}, {"fit_floor": True}, {}),
    ("merge must beat its best sentence pair, not the bead one smaller",
     {}, {"merge_evidence": "pair"}, {}),
    ("beads of at most 4 sentences (`--max-total 4`)", {"max_total": 4}, {}, {}),
    ("at most 5 sentences, never grown (`--max-total 5`)", {"max_total": 5}, {}, {}),
    ("unaligned runs one bead per sentence (`--unaligned sentence`)", {}, {},
     {"unaligned": "sentence"}),
    ("unaligned runs one bead (`--unaligned block`)", {}, {}, {"unaligned": "block"}),
    ("windows re-encoded from their text (`--windows encode`)", {"windows": "encode"}, {}, {}),
    ("windows composed from sentence vectors", {"windows": "compose"}, {}, {}),
    ("no merge-evidence penalty", {}, {"gain_weight": 0.0}, {}),
    ("ratio-margin cost instead of normalised distance", {}, {"form": "ratio"}, {}),
    ("size factor (a+b)/2 instead of a*b", {}, {"size_factor": "mean"}, {}),
    ("no length penalty", {}, {"length_weight": 0.0}, {}),
    ("no neighbourhood normalisation (k=1000: mean of all)", {}, {"margin_k": 1000}, {}),
    ("skip cost x0.75", {}, {"skip_scale": 1.5}, {}),
    ("skip cost x1.5", {}, {"skip_scale": 3.0}, {}),
    ("no cosine floor", {}, {"min_pair_sim": -1.0}, {}),
]  # fmt: skip


def _ablations(eval_dir: Path, embedder, params: AlignParams) -> list[str]:
    """Strict F1 of each setting on the dev sets: the evidence behind the defaults."""
    sets = [n for n in ABLATION_SETS if (eval_dir / f"{n}.jsonl").exists()]
    if not sets:
        return []
    lines = [
        "## Settings (strict F1 on the dev sets; each row changes one thing)",
        "",
        "| setting | " + " | ".join(sets) + " |",
        "|---|" + "---|" * len(sets),
    ]
    for label, top, score, options in ABLATIONS:
        p = replace(params, **top, costs=replace(params.costs, **score))
        f1 = [
            evaluate_file(eval_dir / f"{n}.jsonl", embedder, p, **options)["strict"]["f1"]
            for n in sets
        ]
        lines.append(f"| {label} | " + " | ".join(f"{x:.4f}" for x in f1) + " |")
        print(lines[-1], flush=True)
    lines += ["", *_splitting_ablations(eval_dir, embedder, params)]
    return lines + [""]


def _splitting_ablations(eval_dir: Path, embedder, params: AlignParams) -> list[str]:
    """Our own splitting (the running-text set): what the aligner's fixes to it buy."""
    path = eval_dir / f"{TEXT_SET}.jsonl"
    if not path.exists():
        return []
    lines = [
        f"Own splitting ({TEXT_SET}, `aligner eval --split`), strict / lax F1:",
        "",
        "| setting | strict F1 | lax F1 |",
        "|---|---|---|",
    ]
    for label, p in [
        ("default", params),
        (
            "the aligner does not fix the splitting (`resplit=False`)",
            replace(params, resplit=False),
        ),
    ]:
        r = evaluate_file(path, embedder, p, split=True)
        lines.append(f"| {label} | {r['strict']['f1']:.4f} | {r['lax']['f1']:.4f} |")
        print(lines[-1], flush=True)
    return lines


if __name__ == "__main__":
    sys.exit(main())
