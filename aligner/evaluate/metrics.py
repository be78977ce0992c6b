"""Gold scoring: strict and lax precision/recall/F1 of Sennrich & Volk (2011), as Vecalign's
``score.py`` computes them (precision over all predicted beads, recall over gold beads with
both sides non-empty; lax = shares a source and a target sentence with a gold bead)."""

from __future__ import annotations

from dataclasses import dataclass

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


def bead_confusion(golds: list[Beads], tests: list[Beads]) -> dict[str, dict]:
    """Per gold bead type: how many, how many we found exactly, and what we made of the others
    (the types of our beads that share a sentence with it, e.g. "1-1 + 1-1" for a 2-2 split
    in two). Types are written a-b; an unaligned run of three source sentences is 3-0."""
    out: dict[str, dict] = {}
    for gold, test in zip(golds, tests, strict=True):
        ours = [(tuple(s), tuple(t)) for s, t in test]
        found = set(ours)
        for s, t in gold:
            s, t = tuple(s), tuple(t)
            row = out.setdefault(f"{len(s)}-{len(t)}", {"gold": 0, "exact": 0, "as": {}})
            row["gold"] += 1
            if (s, t) in found:
                row["exact"] += 1
                continue
            src, tgt = set(s), set(t)
            made = " + ".join(f"{len(a)}-{len(b)}" for a, b in ours if src & set(a) or tgt & set(b))
            row["as"][made] = row["as"].get(made, 0) + 1
    return out
