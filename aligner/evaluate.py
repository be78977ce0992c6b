"""Gold scoring: strict and lax precision/recall/F1 of Sennrich & Volk (2011), as Vecalign's
``score.py`` computes them (precision over all predicted beads, recall over gold beads with
both sides non-empty; lax = shares a source and a target sentence with a gold bead)."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from pathlib import Path

from .errors import AlignerError

Beads = list[tuple[tuple[int, ...], tuple[int, ...]]]


@dataclass
class Counts:
    tp_strict: int = 0
    fp_strict: int = 0
    tp_lax: int = 0
    fp_lax: int = 0

    def __iadd__(self, other: Counts) -> Counts:
        self.tp_strict += other.tp_strict
        self.fp_strict += other.fp_strict
        self.tp_lax += other.tp_lax
        self.fp_lax += other.fp_lax
        return self


def _precision_counts(gold: Beads, test: Beads) -> Counts:
    gold_set = set(gold)
    c = Counts()
    for src, tgt in test:
        if not src and not tgt:
            continue
        if (src, tgt) in gold_set:
            c.tp_strict += 1
            c.tp_lax += 1
            continue
        c.fp_strict += 1
        s, t = set(src), set(tgt)
        if any(s & set(gs) and t & set(gt) for gs, gt in gold):
            c.tp_lax += 1
        else:
            c.fp_lax += 1
    return c


def _prf(p_tp, p_fp, r_tp, r_fp) -> dict:
    p = p_tp / (p_tp + p_fp) if p_tp + p_fp else 0.0
    r = r_tp / (r_tp + r_fp) if r_tp + r_fp else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4)}


def score_documents(golds: list[Beads], tests: list[Beads]) -> dict:
    """Summed counts over documents, then strict and lax P/R/F1."""
    pc, rc = Counts(), Counts()
    for gold, test in zip(golds, tests, strict=True):
        gold = [(tuple(s), tuple(t)) for s, t in gold]
        test = [(tuple(s), tuple(t)) for s, t in test]
        pc += _precision_counts(gold, test)
        gold_both = [(s, t) for s, t in gold if s and t]
        test_both = [(s, t) for s, t in test if s and t]
        rc += _precision_counts(test_both, gold_both)
    return {
        "strict": _prf(pc.tp_strict, pc.fp_strict, rc.tp_strict, rc.fp_strict),
        "lax": _prf(pc.tp_lax, pc.fp_lax, rc.tp_lax, rc.fp_lax),
    }


def load_eval_set(path: str | Path) -> list[dict]:
    """Read the eval JSONL format: id, src_lang, tgt_lang, src, tgt, gold."""
    p = Path(path)
    if not p.exists():
        raise AlignerError(f"{path}: no such file.")
    docs = []
    with p.open(encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            if not line.strip():
                continue
            try:
                d = json.loads(line)
                d["src"], d["tgt"], d["gold"]  # noqa: B018 - presence check
            except (json.JSONDecodeError, KeyError, TypeError):
                raise AlignerError(
                    f"{path}:{n}: not an eval record (needs JSON with src, tgt, gold)."
                ) from None
            docs.append(d)
    if not docs:
        raise AlignerError(f"{path}: no documents in the file.")
    return docs


def evaluate_file(path: str | Path, embedder=None, params=None, progress_cb=None) -> dict:
    """Align each document with its given sentences (no re-splitting) and score it."""
    from .embed import load_embedder
    from .pipeline import AlignParams, align_sentences

    docs = load_eval_set(path)
    embedder = embedder or load_embedder()
    params = params or AlignParams()
    t0 = time.perf_counter()
    golds, tests = [], []
    signature = ""
    for d in docs:
        result = align_sentences(
            d["src"],
            d["tgt"],
            src_lang=d.get("src_lang", "en"),
            tgt_lang=d.get("tgt_lang", "ko"),
            embedder=embedder,
            params=params,
        )
        signature = result.signature
        golds.append(d["gold"])
        tests.append([(b.src_ids, b.tgt_ids) for b in result.beads])
        if progress_cb:
            progress_cb(1)
    scores = score_documents(golds, tests)
    return {
        **scores,
        "documents": len(docs),
        "seconds": round(time.perf_counter() - t0, 2),
        "signature": signature,
    }
