"""Sentence-boundary precision/recall/F1 of our splitters on the NTREX dev *text* set.

Usage: python benchmarks/splitting.py [--shared ../shared]  → benchmarks/splitting.md

Gold boundaries are where each gold sentence of ``ntrex_enko_dev_text.jsonl`` ends in the
running text. The dev set merged some sentences on one side, so a correct split inside a merged
gold line counts as a false positive: precision is understated (DESIGN.md's "adj." figures).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from datetime import date
from pathlib import Path

from aligner.read import normalize_text
from aligner.segment import korean, split_text

HERE = Path(__file__).resolve().parent


def gold_ends(text: str, sentences: list[str]) -> set[int]:
    ends, pos = set(), 0
    for s in sentences:
        i = text.find(s.strip(), pos)
        if i >= 0:
            pos = i + len(s.strip())
            ends.add(pos)
    return ends


def boundary_prf(docs: list[dict], side: str, lang: str) -> tuple[float, float, float, float]:
    tp = fp = fn = 0
    t0 = time.perf_counter()
    for d in docs:
        text = normalize_text(d[f"{side}_text"])
        gold = gold_ends(text, [normalize_text(x) for x in d[side]])
        pred = {s.end for s in split_text(text, lang)}
        tp, fp, fn = tp + len(gold & pred), fp + len(pred - gold), fn + len(gold - pred)
    p, r = tp / (tp + fp), tp / (tp + fn)
    return p, r, 2 * p * r / (p + r), time.perf_counter() - t0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", default=str(HERE.parent.parent / "shared"))
    ap.add_argument("--out", default=str(HERE / "splitting.md"))
    args = ap.parse_args()
    path = Path(args.shared) / "eval" / "ntrex_enko_dev_text.jsonl"
    if not path.exists():
        print(f"{path} not found: the shared evaluation data is absent; skipping.")
        return 0
    docs = [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines() if x]
    rows = [("English, nupunkt", *boundary_prf(docs, "src", "en"))]
    rows.append(("Korean, kiwipiepy + our quote rules", *boundary_prf(docs, "tgt", "ko")))
    fix = korean._fix_quotes
    korean._fix_quotes = lambda text, spans: spans  # the same splitter without the rules
    try:
        rows.append(("Korean, kiwipiepy alone", *boundary_prf(docs, "tgt", "ko")))
    finally:
        korean._fix_quotes = fix
    lines = [
        "# Sentence boundaries on NTREX dev text (62 documents)",
        "",
        f"`python benchmarks/splitting.py`, {date.today()}. Precision is understated: the set",
        "merged some gold sentences, and splits inside them count as errors. The first Korean",
        "row includes loading kiwipiepy (~2.5 s).",
        "",
        "| splitter | precision | recall | F1 | seconds |",
        "|---|---|---|---|---|",
        *[f"| {n} | {p:.4f} | {r:.4f} | {f:.4f} | {s:.1f} |" for n, p, r, f, s in rows],
        "",
    ]
    Path(args.out).write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
