"""Corridor similarity matrices: the cosine of every bead the DP may take, by matrix products.

A bead of type (a, b) compares a window of ``a`` consecutive source sentences with a window of
``b`` target sentences (see :mod:`aligner.embed.windows`); only cells inside the corridor are
computed, a block of rows at a time.
"""

from __future__ import annotations

import numpy as np

from ..matching.margin import INVALID

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
    """Cosine of the (a, b) bead ending at each corridor cell (i, lo[i] + jj); INVALID outside."""
    n1 = len(lo)
    out = np.full((n1, width), INVALID, dtype=np.float32)
    n_t = len(tgt_win)
    if len(src_win) == 0 or n_t == 0:
        return out
    cols = np.arange(width)
    for r0 in range(a, n1, block):
        r1 = min(n1, r0 + block)
        s_idx = np.arange(r0, r1) - a
        t = lo[r0:r1, None] + cols[None, :] - b
        valid = (t >= 0) & (t < n_t)
        if not valid.any():
            continue
        tmin, tmax = int(t[valid].min()), int(t[valid].max())
        block_sims = src_win[s_idx] @ tgt_win[tmin : tmax + 1].T
        idx = np.clip(t - tmin, 0, tmax - tmin)
        vals = np.take_along_axis(block_sims, idx, axis=1)
        out[r0:r1] = np.where(valid, vals, INVALID)
    return out
