"""Where the DP may look: a corridor around a coarse path, so cost grows linearly with length.

The coarse path comes from the same DP run on texts downsampled by two (neighbouring sentence
vectors summed), recursively, until the lattice is small enough to search whole — the idea of
Vecalign's recursive downsampling, with the corridor widened wherever the path hugs its edge.
"""

from __future__ import annotations

import numpy as np

from ..embed.base import l2_normalise
from ..embed.windows import compose_windows
from .dp import bead_dp
from .similarity import corridor_sims

# Below BAND_FROM lattice cells (about 100 sentences a side) the whole matrix is the corridor.
# Above it the DP searches a band around a coarse path, so its cost grows linearly. Where
# that path is less reliable (more than RELIABLE_SKIPS of its steps leave a downsampled
# sentence out: free translations, deletions, Text+Berg, some novels) the band is
# UNRELIABLE_FACTOR times wider. Such documents used to search the whole lattice up to ~1,224
# sentences a side; the wider band gives the same beads on all 141 documents of the
# evaluation sets (NTREX, Text+Berg, TransRead, the Bible) in 0.61 of the step's time
# (TransRead's Alice 1.41 -> 0.51 CPU s, Acts 1.21 -> 0.12). The radius's own band (factor
# 1) lost 0.0016 strict F1 on Text+Berg: the fitted costs take their statistics over the
# corridor, and a narrow one shifts them.
BAND_FROM = 10_000
RELIABLE_SKIPS = 0.1
UNRELIABLE_FACTOR = 2
# At most this many corridor cells (rows × widest row): the cost arrays of ten bead types stay
# near a gigabyte whatever the texts.
MAX_CELLS = 8_000_000
_COARSE_BEADS = [(1, 1), (1, 2), (2, 1)]
_COARSE_SKIP = 0.35  # pairing wins over two skips when cos > 0.3


def full_corridor(n: int, m: int) -> tuple[np.ndarray, np.ndarray]:
    return np.zeros(n + 1, dtype=np.int64), np.full(n + 1, m, dtype=np.int64)


def corridor_from_points(
    points: list[tuple[int, int]], n: int, m: int, radius: int
) -> tuple[np.ndarray, np.ndarray]:
    """A monotone corridor covering a monotone chain of lattice points, widened by ``radius``."""
    jmin = np.full(n + 1, m, dtype=np.int64)
    jmax = np.zeros(n + 1, dtype=np.int64)
    for (i0, j0), (i1, j1) in zip(points[:-1], points[1:], strict=True):
        jmin[i0 : i1 + 1] = np.minimum(jmin[i0 : i1 + 1], j0)
        jmax[i0 : i1 + 1] = np.maximum(jmax[i0 : i1 + 1], j1)
    i0, j0 = points[0]
    jmin[i0] = min(jmin[i0], j0)
    jmax[i0] = max(jmax[i0], j0)
    lo = np.clip(jmin - radius, 0, m)
    hi = np.clip(jmax + radius, 0, m)
    # shift rows too: a row sees the columns of its neighbours within the radius
    lo = _sliding(lo, radius, np.min, m)
    hi = _sliding(hi, radius, np.max, 0)
    lo = np.minimum.accumulate(lo[::-1])[::-1].copy()
    hi = np.maximum.accumulate(hi)
    lo[0], hi[-1] = 0, m
    hi[:-1] = np.maximum(hi[:-1], lo[1:])
    return lo.astype(np.int64), hi.astype(np.int64)


def _sliding(values: np.ndarray, radius: int, reduce, pad: int) -> np.ndarray:
    """``reduce`` of values[i - radius : i + radius + 1] (clipped to the array) for each i."""
    padded = np.concatenate([np.full(radius, pad), values, np.full(radius, pad)])
    return reduce(np.lib.stride_tricks.sliding_window_view(padded, 2 * radius + 1), axis=1)


def _downsample(vecs: np.ndarray) -> np.ndarray:
    n = len(vecs)
    even = vecs[0 : n - n % 2 : 2] + vecs[1 : n - n % 2 : 2]
    if n % 2:
        even = np.vstack([even, vecs[-1:]])
    return l2_normalise(even)


def _coarse_path(src: np.ndarray, tgt: np.ndarray, radius: int) -> list[tuple[int, int]]:
    n, m = len(src), len(tgt)
    lo, hi = find_corridor(src, tgt, radius)
    width = int((hi - lo).max()) + 1
    windows = {k: (compose_windows(src, k), compose_windows(tgt, k)) for k in (1, 2)}
    costs = np.stack(
        [
            (1.0 - corridor_sims(windows[a][0], windows[b][1], lo, width, a, b)) * (a * b)
            for a, b in _COARSE_BEADS
        ]
    )
    costs[costs > 2.5] = np.inf
    skip_s = np.full(n, _COARSE_SKIP)
    skip_t = np.full(m, _COARSE_SKIP)
    beads, _ = bead_dp(lo, hi, costs, _COARSE_BEADS, skip_s, skip_t)
    return [(0, 0)] + [(i1, j1) for _, i1, _, j1 in beads]


def _skip_share(points: list[tuple[int, int]]) -> float:
    steps = np.diff(np.asarray(points), axis=0)
    return float(np.mean((steps == 0).any(axis=1))) if len(steps) else 0.0


def find_corridor(
    src: np.ndarray, tgt: np.ndarray, radius: int = 8
) -> tuple[np.ndarray, np.ndarray]:
    """lo/hi column bounds per lattice row, from sentence vectors (L2-normalised rows)."""
    n, m = len(src), len(tgt)
    cells = (n + 1) * (m + 1)
    if cells <= BAND_FROM or min(n, m) < 4:
        return full_corridor(n, m)
    points = _coarse_path(_downsample(src), _downsample(tgt), radius)
    if _skip_share(points) > RELIABLE_SKIPS:
        radius *= UNRELIABLE_FACTOR
    fine = [(min(2 * i, n), min(2 * j, m)) for i, j in points]
    return bounded(*corridor_from_points(fine, n, m, radius), n, m)


def bounded(lo: np.ndarray, hi: np.ndarray, n: int, m: int) -> tuple[np.ndarray, np.ndarray]:
    """The corridor as it is, or, when it is wider than MAX_CELLS allow, a band of the widest
    allowed width along the straight line from (0, 0) to (n, m).

    Unrelated texts give a coarse path that runs along the lattice's edges, and a corridor
    around it covers the whole lattice: 200,000 lines against 2,000 asked for 16 GB. Such
    texts have no path to follow, so the diagonal band is as good, and memory stays
    proportional to the input."""
    limit = max(MAX_CELLS // (n + 1), 16)
    if int((hi - lo).max()) + 1 <= limit:
        return lo, hi
    centre = np.round(np.arange(n + 1) * (m / max(n, 1))).astype(np.int64)
    lo = np.clip(centre - limit // 2, 0, m)
    hi = np.clip(lo + limit - 1, 0, m)
    lo[0], hi[-1] = 0, m
    hi[:-1] = np.maximum(hi[:-1], lo[1:])
    return lo, hi


def touches_edge(beads, lo: np.ndarray, hi: np.ndarray, m: int, margin: int = 2) -> bool:
    """True where the path runs within ``margin`` of a corridor edge that is not the text edge."""
    for _, i, _, j in beads:
        if (lo[i] > 0 and j - lo[i] < margin) or (hi[i] < m and hi[i] - j < margin):
            return True
    return False
