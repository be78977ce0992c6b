"""Perturbed NTREX en-ko sets: more merges and drops than the shipped dev file, fixed seed.

Built from the raw, line-aligned NTREX files (gold 1-1 by line), so robustness to messier input
can be measured at three levels. Used by benchmarks/accuracy.py --perturb.
"""

from __future__ import annotations

import random
from pathlib import Path

LEVELS = {"light": (0.05, 0.05), "medium": (0.10, 0.10), "heavy": (0.20, 0.20)}


def _documents(raw: Path):
    ids = (raw / "DOCUMENT_IDS.tsv").read_text(encoding="utf-8").splitlines()
    en = (raw / "newstest2019-src.eng.txt").read_text(encoding="utf-8").splitlines()
    ko = (raw / "newstest2019-ref.kor.txt").read_text(encoding="utf-8").splitlines()
    docs: dict[str, list[int]] = {}
    for i, d in enumerate(ids):
        docs.setdefault(d.strip(), []).append(i)
    for k, (doc_id, idx) in enumerate(docs.items()):
        if k % 2 == 0:  # the dev half, as ntrex_enko_dev.jsonl
            yield doc_id, [en[i].strip() for i in idx], [ko[i].strip() for i in idx]


def perturb(src: list[str], tgt: list[str], p_merge: float, p_drop: float, rng: random.Random):
    """Merge neighbouring sentences on a random side, drop a random side's sentence."""
    beads = [([i], [i]) for i in range(len(src))]
    units_src = [[s] for s in src]
    units_tgt = [[t] for t in tgt]
    out_src, out_tgt, gold = [], [], []
    b = 0
    while b < len(beads):
        r = rng.random()
        if r < p_drop:  # one side loses the sentence: a 1-0 or 0-1 bead
            if rng.random() < 0.5:
                gold.append(([len(out_src)], []))
                out_src.append(" ".join(units_src[b]))
            else:
                gold.append(([], [len(out_tgt)]))
                out_tgt.append(" ".join(units_tgt[b]))
            b += 1
        elif r < p_drop + p_merge and b + 1 < len(beads):  # 2-1 or 1-2
            if rng.random() < 0.5:
                gold.append(([len(out_src)], [len(out_tgt), len(out_tgt) + 1]))
                out_src.append(" ".join(units_src[b] + units_src[b + 1]))
                out_tgt.extend([" ".join(units_tgt[b]), " ".join(units_tgt[b + 1])])
            else:
                gold.append(([len(out_src), len(out_src) + 1], [len(out_tgt)]))
                out_src.extend([" ".join(units_src[b]), " ".join(units_src[b + 1])])
                out_tgt.append(" ".join(units_tgt[b] + units_tgt[b + 1]))
            b += 2
        else:
            gold.append(([len(out_src)], [len(out_tgt)]))
            out_src.append(" ".join(units_src[b]))
            out_tgt.append(" ".join(units_tgt[b]))
            b += 1
    return out_src, out_tgt, gold


def perturbed_set(raw: Path, level: str, seed: int = 7) -> list[dict]:
    p_merge, p_drop = LEVELS[level]
    rng = random.Random(seed)
    docs = []
    for doc_id, en, ko in _documents(raw):
        s, t, g = perturb(en, ko, p_merge, p_drop, rng)
        docs.append({"id": doc_id, "src_lang": "en", "tgt_lang": "ko", "src": s, "tgt": t,
                     "gold": g})  # fmt: skip
    return docs
