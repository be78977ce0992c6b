"""Auto mode's choice on every evaluation document → benchmarks/mode.md.

For each set: how many documents auto mode judges parallel or comparable, and the lowest and
highest lower bound of the explained share (``aligner.matching.mode``; parallel at or above
``PARALLEL_SHARE``). Translations: NTREX dev (given sentences, and running text through our
splitters), Text+Berg, the Bible books, TransRead, and NTREX dev with sentences merged and
dropped (``perturb.py``, the accuracy table's perturbed sets). Related texts: the related-article
benchmark (``related.py``, seeds 1-3) and the seed page (extracted). Unrelated: NTREX dev
documents paired with the next document's Korean side (comparable mode should find nothing).

Usage: python benchmarks/mode.py [--shared ../shared] [--out FILE.md]
"""

from __future__ import annotations

import argparse
import json
import platform
import sys
import time
from datetime import date
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from perturb import LEVELS, perturbed_set  # noqa: E402
from related import related_set  # noqa: E402

from aligner import align_comparable, align_sentences, split_text  # noqa: E402
from aligner.embed import load_embedder  # noqa: E402
from aligner.matching.mode import PARALLEL_SHARE, relation_of  # noqa: E402
from aligner.read.page import extract_page  # noqa: E402

SETS = ["ntrex_enko_dev", "ntrex_enko_dev_text", "textberg_defr", "bible_enko_books",
        "transread_enfr_dev"]  # fmt: skip
SEED_PAGE = HERE.parent / "corpora" / "joongang-2011-military-pact" / "page.txt"


def documents(eval_dir: Path, name: str) -> list[tuple[list, list, str, str]]:
    """(src sentences, tgt sentences, src_lang, tgt_lang) of every document of a set."""
    path = eval_dir / f"{name}.jsonl"
    docs = [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines() if x]
    out = []
    for d in docs:
        sl, tl = d.get("src_lang", "en"), d.get("tgt_lang", "ko")
        if name.endswith("_text"):
            out.append((split_text(d["src_text"], sl), split_text(d["tgt_text"], tl), sl, tl))
        else:
            out.append((d["src"], d["tgt"], sl, tl))
    return out


def judged(docs, embedder) -> list:
    return [
        relation_of(align_sentences(s, t, src_lang=sl, tgt_lang=tl, embedder=embedder), embedder)
        for s, t, sl, tl in docs
    ]


def row(name: str, relations: list, expected: str) -> str:
    modes = [r.mode for r in relations]
    bounds = [r.bound for r in relations]
    ok = sum(m == expected for m in modes)
    return (f"| {name} | {len(relations)} | {modes.count('parallel')} | "
            f"{modes.count('comparable')} | {min(bounds):.3f} | {max(bounds):.3f} | "
            f"{ok} of {len(relations)} |")  # fmt: skip


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", default=str(HERE.parent.parent / "shared"))
    ap.add_argument("--out", default=str(HERE / "mode.md"))
    args = ap.parse_args()
    eval_dir = Path(args.shared) / "eval"
    if not eval_dir.exists():
        print(f"{eval_dir} not found: the shared evaluation data is absent; skipping.")
        return 0
    embedder = load_embedder()
    t0 = time.process_time()
    rows = []
    for name in SETS:
        rows.append(row(name, judged(documents(eval_dir, name), embedder), "parallel"))
        print(rows[-1], flush=True)
    for level in LEVELS:  # translations with merged and dropped sentences, as in accuracy.md
        docs = [(d["src"], d["tgt"], "en", "ko")
                for d in perturbed_set(eval_dir / "raw" / "ntrex", level)]  # fmt: skip
        rows.append(row(f"ntrex_dev_perturbed_{level}", judged(docs, embedder), "parallel"))
        print(rows[-1], flush=True)
    for seed in (1, 2, 3):
        docs = [
            (d["src"], d["tgt"], "en", "ko") for d in related_set(eval_dir / "raw" / "ntrex", seed)
        ]
        rows.append(row(f"related-article benchmark, seed {seed}", judged(docs, embedder),
                        "comparable"))  # fmt: skip
        print(rows[-1], flush=True)
    page = extract_page(SEED_PAGE.read_text(encoding="utf-8"))
    seed_doc = [(split_text(page.en, "en"), split_text(page.ko, "ko"), "en", "ko")]
    rows.append(row("seed page (extracted)", judged(seed_doc, embedder), "comparable"))
    dev = documents(eval_dir, "ntrex_enko_dev")
    crossed = [(s, dev[(k + 1) % len(dev)][1], "en", "ko") for k, (s, _, _, _) in enumerate(dev)]
    unrelated = judged(crossed, embedder)
    found = [len(align_comparable(s, t, embedder=embedder).pairs) if r.mode == "comparable" else -1
             for r, (s, t, _, _) in zip(unrelated, crossed, strict=True)]  # fmt: skip
    rows.append(row("unrelated (NTREX doc + next doc's Korean)", unrelated, "comparable"))
    lines = [
        "# Auto mode: which mode each evaluation document gets",
        "",
        f"`python benchmarks/mode.py` (`make bench-mode`), {date.today()}, model "
        f"`{embedder.model_id}`, Python {platform.python_version()}. Parallel when the lower "
        f"bound of the explained share is at least {PARALLEL_SHARE}.",
        "",
        "| set | documents | parallel | comparable | lowest bound | highest bound | as expected |",
        "|---|---|---|---|---|---|---|",
        *rows,
        "",
        f"Unrelated pairs: comparable mode then finds no pair (auto says 'unrelated') in "
        f"{sum(f == 0 for f in found)} of {len(found)}; at most {max(found)} pairs in one.",
        "",
        f"CPU time {time.process_time() - t0:.1f} s (embedding cache warm).",
        "",
    ]
    text = "\n".join(lines)
    Path(args.out).write_text(text, encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
