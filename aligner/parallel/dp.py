"""The bead DP: a minimum-cost monotone path through a corridor of the alignment lattice.

Lattice point (i, j) means "the first i source and j target sentences are aligned". Row i may
only use columns lo[i]..hi[i]; costs are stored per row relative to lo[i], so memory and time
are O(rows × corridor width), never O(n × m). Kept free of I/O, models and scoring so that it can
be read (and tested) on its own, as Vecalign keeps its dp_core.
"""

from __future__ import annotations

import numpy as np

from .jit import njit


@njit
def _dp(lo, hi, costs, bead_a, bead_b, skip_src, skip_tgt):  # pragma: no cover - compiled
    n1 = lo.shape[0]
    width = costs.shape[2]
    n_types = bead_a.shape[0]
    D = np.full((n1, width), np.inf, dtype=np.float64)
    back = np.full((n1, width), -1, dtype=np.int8)
    D[0, 0] = 0.0
    for i in range(n1):
        for jj in range(hi[i] - lo[i] + 1):
            j = lo[i] + jj
            if i == 0 and j == 0:
                continue
            best = np.inf
            arg = -1
            for t in range(n_types):
                a = bead_a[t]
                b = bead_b[t]
                pi = i - a
                pj = j - b
                if pi < 0 or pj < 0:
                    continue
                if pj < lo[pi] or pj > hi[pi]:
                    continue
                c = D[pi, pj - lo[pi]] + costs[t, i, jj]
                if c < best:
                    best = c
                    arg = t
            # 1-0: skip source sentence i-1
            if i > 0 and lo[i - 1] <= j <= hi[i - 1]:
                c = D[i - 1, j - lo[i - 1]] + skip_src[i - 1]
                if c < best:
                    best = c
                    arg = n_types
            # 0-1: skip target sentence j-1
            if jj > 0:
                c = D[i, jj - 1] + skip_tgt[j - 1]
                if c < best:
                    best = c
                    arg = n_types + 1
            D[i, jj] = best
            back[i, jj] = arg
    return D, back


def bead_dp(
    lo: np.ndarray,
    hi: np.ndarray,
    costs: np.ndarray,
    bead_types: list[tuple[int, int]],
    skip_src: np.ndarray,
    skip_tgt: np.ndarray,
) -> tuple[list[tuple[int, int, int, int]], float]:
    """Best path as (src_start, src_end, tgt_start, tgt_end) beads, and its total cost.

    ``costs[t, i, jj]`` is the cost of a bead of type ``bead_types[t]`` ending at lattice
    point (i, lo[i] + jj); ``skip_src[k]`` / ``skip_tgt[k]`` the cost of leaving sentence k out.
    """
    lo = np.ascontiguousarray(lo, dtype=np.int64)
    hi = np.ascontiguousarray(hi, dtype=np.int64)
    n, m = lo.shape[0] - 1, int(hi[-1])
    if lo[0] != 0 or hi[-1] < lo[-1]:
        raise ValueError("corridor must start at (0, 0) and end at (n, m)")
    bead_a = np.array([a for a, _ in bead_types], dtype=np.int64)
    bead_b = np.array([b for _, b in bead_types], dtype=np.int64)
    D, back = _dp(
        lo,
        hi,
        np.ascontiguousarray(costs, dtype=np.float32),
        bead_a,
        bead_b,
        np.ascontiguousarray(skip_src, dtype=np.float64),
        np.ascontiguousarray(skip_tgt, dtype=np.float64),
    )
    total = float(D[n, m - lo[n]])
    if not np.isfinite(total):
        raise ValueError("no path through the corridor")
    beads = []
    i, j = n, m
    n_types = len(bead_types)
    while i > 0 or j > 0:
        t = int(back[i, j - lo[i]])
        if t < n_types:
            a, b = bead_types[t]
        elif t == n_types:
            a, b = 1, 0
        else:
            a, b = 0, 1
        beads.append((i - a, i, j - b, j))
        i, j = i - a, j - b
    beads.reverse()
    return beads, total
