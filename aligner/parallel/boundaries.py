"""Paragraphs and headings as soft boundaries: a bead that spans one costs a little more.

A translation keeps its paragraphs, so a bead that merges the last sentence of one paragraph
with the first of the next is usually an error; but translators do join and split
paragraphs, so the boundary is a cost, not a wall. The cost per boundary crossed is a share of
the document's own skip cost (``CostParams.boundary_weight``), so it means the same with
fixed costs and with costs fitted in log-likelihood units. Boundaries count only when both
texts have them in about the same number; sentences given without structure (all in paragraph
0, as in the evaluation sets) get no boundary and exactly the costs they had before.
"""

from __future__ import annotations

import numpy as np

# A boundary next to a heading weighs this many paragraph boundaries: a heading merged into
# body text is a worse error than two paragraphs run together.
HEADING_FACTOR = 2.0
# Boundaries count only where both texts show about the same structure: at most this many
# times more paragraphs on one side than on the other. A text in one paragraph against its
# translation with a paragraph per sentence says nothing about where beads may merge (and
# the penalty then cut lax F1 on the NTREX sample laid out that way to 0.929).
MAX_PARAGRAPH_RATIO = 1.5


def boundary_weights(sentences) -> np.ndarray | None:
    """w[k]: the weight of the boundary just before sentence k (w[0] = 0); None when the text
    has no structure at all."""
    n = len(sentences)
    w = np.zeros(n, dtype=np.float32)
    for k in range(1, n):
        prev, cur = sentences[k - 1], sentences[k]
        if cur.para != prev.para or cur.heading != prev.heading:
            w[k] = HEADING_FACTOR if (cur.heading or prev.heading) else 1.0
    return w if w.any() else None


def comparable_structure(w_src: np.ndarray | None, w_tgt: np.ndarray | None):
    """Both sides' weights when their paragraph counts agree (see MAX_PARAGRAPH_RATIO), else
    none: structure on one side only is no evidence."""
    if w_src is None or w_tgt is None:
        return None, None
    p_src, p_tgt = np.count_nonzero(w_src) + 1, np.count_nonzero(w_tgt) + 1
    if max(p_src, p_tgt) > MAX_PARAGRAPH_RATIO * min(p_src, p_tgt):
        return None, None
    return w_src, w_tgt


def _crossed(w: np.ndarray | None, size: int, ends: np.ndarray) -> np.ndarray:
    """Boundaries inside each window of ``size`` sentences ending before ``ends``."""
    if w is None or size < 2:
        return np.zeros(ends.shape, dtype=np.float32)
    c = np.concatenate([[0.0], np.cumsum(w)])
    e = np.clip(ends, 0, len(w))
    s = np.clip(e - size + 1, 0, len(w))
    return np.maximum(c[e] - c[s], 0.0).astype(np.float32)


def crossing_costs(breaks, lo: np.ndarray, width: int, types, unit: float) -> np.ndarray | None:
    """Extra cost of each bead on the corridor lattice (types x (n+1) x width), ``unit`` per
    boundary crossed; None when neither side has structure."""
    w_src, w_tgt = comparable_structure(*breaks)
    if w_src is None and w_tgt is None:
        return None
    rows = np.arange(len(lo))
    cols = lo[:, None] + np.arange(width)[None, :]
    out = np.zeros((len(types), len(lo), width), dtype=np.float32)
    for t, (a, b) in enumerate(types):
        out[t] = _crossed(w_src, a, rows)[:, None] + _crossed(w_tgt, b, cols)
    return out * np.float32(unit)
