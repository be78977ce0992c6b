"""Nearest-neighbour means and the ratio margin (Artetxe & Schwenk 2019), one kernel for all.

A raw cosine is not comparable across sentences: some sentences ("hubs") are close to
everything. Dividing by the mean similarity of each side's k nearest neighbours discounts them.
Three callers need those means over differently shaped similarities: the parallel costs over
a corridor of the alignment lattice, comparable mode over one dense matrix, and mining over
row blocks of a matrix too large to hold, or over top-k lists an index found and shards
merged (:func:`topk_means`). All three fold their cells through
:func:`_scan_topk` into running top-k lists, so the means are the same numbers whichever way
the cells arrive.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from ..parallel.jit import njit
from .cells import INVALID


@njit
def _insert(best, i, v):  # pragma: no cover - compiled
    """Put v into list i of ``best`` (descending), dropping the smallest, if it belongs there."""
    k = best.shape[1]
    if v > best[i, k - 1]:
        p = k - 1
        while p > 0 and best[i, p - 1] < v:
            best[i, p] = best[i, p - 1]
            p -= 1
        best[i, p] = v


@njit
def _scan_topk(sims, row0, col0, ncols, row_best, col_best):  # pragma: no cover - compiled
    """Fold similarities into running top-k lists (descending) of rows and columns.

    ``sims[r, c]`` is the similarity of row ``row0 + r`` and column ``col0[r] + c`` for
    ``c < ncols[r]``; cells whose row or column falls outside the lists, and values at or
    below INVALID, are ignored.
    """
    n_rows = row_best.shape[0]
    n_cols = col_best.shape[0]
    for r in range(sims.shape[0]):
        i = row0 + r
        if i < 0 or i >= n_rows:
            continue
        for c in range(ncols[r]):
            j = col0[r] + c
            if j < 0 or j >= n_cols:
                continue
            v = sims[r, c]
            if v <= INVALID:
                continue
            _insert(row_best, i, v)
            _insert(col_best, j, v)


@njit
def _means(best):  # pragma: no cover - compiled
    """Mean of each list's valid entries, summed best first; 1.0 where a list is empty."""
    out = np.zeros(best.shape[0])
    for i in range(best.shape[0]):
        s = 0.0
        c = 0
        for p in range(best.shape[1]):
            if best[i, p] > INVALID:
                s += best[i, p]
                c += 1
        out[i] = s / c if c else 1.0
    return out


def _lists(n: int, k: int) -> np.ndarray:
    return np.full((n, k), float(INVALID))


def corridor_neighbour_means(
    sims11: np.ndarray, lo: np.ndarray, hi: np.ndarray, m: int, k: int
) -> tuple[np.ndarray, np.ndarray]:
    """Per-sentence mean of the k nearest neighbours' cosines, within a corridor.

    ``sims11[i, jj]`` is the 1-1 cosine of source sentence i-1 and target sentence
    lo[i] + jj - 1 (the bead ending at lattice point (i, lo[i] + jj)).
    """
    n = len(lo) - 1
    k = max(1, min(k, m))
    rows, cols = _lists(n, k), _lists(m, k)
    ncols = (hi - lo + 1).astype(np.int64)
    _scan_topk(sims11, -1, (lo - 1).astype(np.int64), ncols, rows, cols)
    return _means(rows), _means(cols)


def neighbour_means(
    x: np.ndarray,
    y: np.ndarray,
    k: int,
    block: int = 1024,
    progress: Callable[[int], object] | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Mean cosine of each x to its k nearest ys, and of each y to its k nearest xs.

    ``x`` and ``y`` are L2-normalised rows; the cosines are made ``block`` rows at a time, so
    memory is O(block × len(y)) whatever the sizes.
    """
    n, m = len(x), len(y)
    k = max(1, min(k, max(n, m)))
    rows, cols = _lists(n, k), _lists(m, k)
    full = np.full(block, m, dtype=np.int64)
    zero = np.zeros(block, dtype=np.int64)
    for a in range(0, n, block):
        b = min(n, a + block)
        sims = np.ascontiguousarray(x[a:b] @ y.T, dtype=np.float32)
        _scan_topk(sims, a, zero[: b - a], full[: b - a], rows, cols)
        if progress:
            progress(b - a)
    return _means(rows).astype(np.float32), _means(cols).astype(np.float32)


def topk_means(best: np.ndarray) -> np.ndarray:
    """Neighbour means from top-k lists found by any search (an index, shards merged):
    each row's mean over its valid entries, as the scans above compute it."""
    return _means(np.ascontiguousarray(best, dtype=np.float64)).astype(np.float32)


def apply_margin(sims: np.ndarray, r: np.ndarray, c: np.ndarray) -> np.ndarray:
    """Ratio margin of a block of cosines given its rows' and columns' neighbour means."""
    return candidate_margin(sims, r, c[None, :])


def candidate_margin(sims: np.ndarray, r: np.ndarray, c: np.ndarray) -> np.ndarray:
    """Ratio margin of each row's cosines ``sims`` (n × K) given the rows' means ``r`` (n,)
    and the means ``c`` of the columns they are cosines to (n × K, or 1 × K for a block)."""
    denom = (r[:, None] + c) / 2
    return sims / np.maximum(denom, 1e-6)


def ratio_margin(sims: np.ndarray, k: int) -> np.ndarray:
    """cos(x, y) / mean(avg cos to x's k nearest, avg cos to y's k nearest), for a whole
    (dense) similarity matrix."""
    n, m = sims.shape
    if n == 0 or m == 0:
        return sims.copy()
    k = max(1, min(k, max(n, m)))
    rows, cols = _lists(n, k), _lists(m, k)
    sims32 = np.ascontiguousarray(sims, dtype=np.float32)
    _scan_topk(sims32, 0, np.zeros(n, np.int64), np.full(n, m, np.int64), rows, cols)
    return apply_margin(sims, _means(rows), _means(cols))


def mutual_best(scores: np.ndarray) -> list[tuple[int, int]]:
    """Pairs (i, j) where j is i's best column and i is j's best row."""
    if scores.size == 0:
        return []
    bi = scores.argmax(axis=1)
    bj = scores.argmax(axis=0)
    return [(i, int(j)) for i, j in enumerate(bi) if bj[j] == i]
