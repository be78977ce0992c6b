"""Corridor similarity matrices: the cosine of every bead the DP may take, by matrix products.

A bead of type (a, b) compares a window of ``a`` consecutive source sentences with a window of
``b`` target sentences (see :mod:`aligner.embed.windows`); only cells inside the corridor are
computed, a block of rows at a time.
"""

from __future__ import annotations

import numpy as np

from ..matching.cells import INVALID
from .jit import njit

__all__ = ["INVALID", "corridor_sims"]


def corridor_sims(
    src_win: np.ndarray,
    tgt_win: np.ndarray,
    lo: np.ndarray,
    width: int,
    a: int,
    b: int,
    block: int = 128,
) -> np.ndarray:
    """Cosine of the (a, b) bead ending at each corridor cell (i, lo[i] + jj); INVALID outside.

    A block of rows at a time: one matrix product of its source windows with every target
    window its corridor rows reach (the corridor is monotone and each row overlaps the next,
    so those are one contiguous run), then a compiled gather of each row's own cells."""
    n1 = len(lo)
    out = np.full((n1, width), INVALID, dtype=np.float32)
    n_t = len(tgt_win)
    if len(src_win) == 0 or n_t == 0:
        return out
    lo = np.ascontiguousarray(lo, dtype=np.int64)
    if np.any(lo[1:] < lo[:-1]):  # every corridor here is monotone; the gather relies on it
        raise ValueError("a corridor row may not start left of the row before it")
    for r0 in range(a, n1, block):
        r1 = min(n1, r0 + block)
        tmin = max(int(lo[r0]) - b, 0)
        tmax = min(int(lo[r1 - 1]) - b + width - 1, n_t - 1)
        if tmin > tmax:
            continue
        block_sims = src_win[r0 - a : r1 - a] @ tgt_win[tmin : tmax + 1].T
        _gather(out, block_sims, lo, r0, b, tmin, n_t)
    return out


@njit
def _gather(out, block_sims, lo, r0, b, tmin, n_t):  # pragma: no cover - compiled
    """out[r, jj] = the cosine of target window lo[r] + jj - b, for the block's rows."""
    width = out.shape[1]
    for k in range(block_sims.shape[0]):
        r = r0 + k
        for jj in range(width):
            t = lo[r] + jj - b
            if 0 <= t < n_t:
                out[r, jj] = block_sims[k, t - tmin]
