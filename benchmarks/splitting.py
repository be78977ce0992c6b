"""Sentence-boundary precision/recall/F1 of our splitters on the NTREX dev *text* set.

Usage: python benchmarks/splitting.py [--shared ../shared]  → benchmarks/splitting.md

Three golds, because none is exact:
- *units*: where each gold unit of ``ntrex_enko_dev_text.jsonl`` ends in the running text. The
  dev set merged some sentences on one side, so a correct split inside a merged unit counts as
  a false positive: precision is understated.
- *lines*: the units' ends plus the ends of the original NTREX lines (``raw/ntrex``) found in
  the text, so a boundary the dev script merged away counts as gold. A Korean line often holds
  two sentences (the translation is line-aligned to English), so precision is still understated.
- *adj.* (DESIGN.md's "adjusted"): lines, and a split right after sentence-final punctuation
  inside a line is not counted against the splitter (the line held two finished sentences).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from datetime import date
from pathlib import Path

from aligner.read import normalize_text
from aligner.segment import korean, split_text

HERE = Path(__file__).resolve().parent
# a finished sentence: terminal punctuation, then closing quotes or brackets
_FINISHED = re.compile(r"[.!?…。！？][\"'”’)\]」』]*$")


def gold_ends(text: str, sentences: list[str]) -> set[int]:
    ends, pos = set(), 0
    for s in sentences:
        i = text.find(s.strip(), pos)
        if i >= 0:
            pos = i + len(s.strip())
            ends.add(pos)
    return ends


def raw_lines(raw: Path) -> dict[str, dict[str, list[str]]]:
    """The original NTREX lines per document id, per side."""
    ids = (raw / "DOCUMENT_IDS.tsv").read_text(encoding="utf-8").splitlines()
    sides = {
        "src": (raw / "newstest2019-src.eng.txt").read_text(encoding="utf-8").splitlines(),
        "tgt": (raw / "newstest2019-ref.kor.txt").read_text(encoding="utf-8").splitlines(),
    }
    out: dict[str, dict[str, list[str]]] = {}
    for i, doc in enumerate(ids):
        entry = out.setdefault(doc.strip(), {"src": [], "tgt": []})
        for side, lines in sides.items():
            entry[side].append(normalize_text(lines[i].strip()))
    return out


def boundary_prf(docs: list[dict], side: str, lang: str, lines) -> dict[str, tuple]:
    """P, R, F1 against each gold, and the seconds the splitting took."""
    counts = {g: [0, 0, 0] for g in ("units", "lines", "adj.")}
    t0 = time.perf_counter()
    for d in docs:
        text = normalize_text(d[f"{side}_text"])
        pred = {s.end for s in split_text(text, lang)}
        units = gold_ends(text, [normalize_text(x) for x in d[side]])
        original = lines.get(d["id"].split(".", 2)[2], {}).get(side, [])
        with_lines = units | gold_ends(text, original)
        excused = {e for e in pred - with_lines if _FINISHED.search(text[:e])}
        for gold, g, p in (
            ("units", units, pred),
            ("lines", with_lines, pred),
            ("adj.", with_lines, pred - excused),
        ):
            c = counts[gold]
            c[0], c[1], c[2] = c[0] + len(g & p), c[1] + len(p - g), c[2] + len(g - p)
    seconds = time.perf_counter() - t0
    out = {}
    for gold, (tp, fp, fn) in counts.items():
        p, r = tp / (tp + fp), tp / (tp + fn)
        out[gold] = (p, r, 2 * p * r / (p + r), seconds)
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", default=str(HERE.parent.parent / "shared"))
    ap.add_argument("--out", default=str(HERE / "splitting.md"))
    args = ap.parse_args()
    path = Path(args.shared) / "eval" / "ntrex_enko_dev_text.jsonl"
    raw = Path(args.shared) / "eval" / "raw" / "ntrex"
    if not path.exists() or not raw.exists():
        print(f"{path} or {raw} not found: the shared evaluation data is absent; skipping.")
        return 0
    docs = [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines() if x]
    lines = raw_lines(raw)
    rows = [("English, nupunkt", boundary_prf(docs, "src", "en", lines))]
    rows.append(("Korean, kiwipiepy + our rules", boundary_prf(docs, "tgt", "ko", lines)))
    fix = korean._fix_quotes
    korean._fix_quotes = lambda text, spans: spans  # the same splitter without the rules
    try:
        rows.append(("Korean, kiwipiepy alone", boundary_prf(docs, "tgt", "ko", lines)))
    finally:
        korean._fix_quotes = fix
    table = []
    for name, by_gold in rows:
        for gold, (p, r, f, s) in by_gold.items():
            table.append(f"| {name} | {gold} | {p:.4f} | {r:.4f} | **{f:.4f}** | {s:.1f} |")
    out = [
        "# Sentence boundaries on NTREX dev text (62 documents)",
        "",
        f"`python benchmarks/splitting.py`, {date.today()}. Golds (see the script's docstring):",
        "*units* = the dev set's units (precision understated: correct splits inside merged",
        "units count as errors); *lines* = units plus the original NTREX lines; *adj.* = lines,",
        "with splits after sentence-final punctuation inside a line not counted. The first",
        "Korean row's seconds include loading kiwipiepy (~2.5 s).",
        "",
        "| splitter | gold | precision | recall | F1 | seconds |",
        "|---|---|---|---|---|---|",
        *table,
        "",
    ]
    Path(args.out).write_text("\n".join(out), encoding="utf-8")
    print("\n".join(out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
