"""From similarities to bead costs: neighbourhood normalisation, size, length, merge evidence.

- Raw cosines are not comparable across sentences (some sentences are close to everything:
  "hubs"), so a bead's cosine distance is divided by one minus the mean similarity of its
  sentences' nearest neighbours (``form="distance"``; ``"ratio"`` is the ratio margin of
  Artetxe & Schwenk 2019, kept for comparison: it scored lower on the dev sets).
- The cost is multiplied by a*b, as Vecalign does, so two good 1-1 beads beat one 2-2.
- A merge must earn its place: its window must be more similar than every sentence pair inside
  it, else a penalty (a deletion absorbed into a neighbour was the main error left on NTREX).
- The length ratio between the languages is estimated per document, never hard-coded; the
  skip cost is set from the document's own 1-1 costs (a quantile of each row's best).

Defaults were chosen on NTREX en-ko dev and Text+Berg de-fr (benchmarks/accuracy.md).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numba import njit

from .similarity import INVALID


@dataclass(frozen=True)
class ScoreParams:
    margin_k: int = 2
    length_weight: float = 0.3
    nm_penalty: float = 0.0
    skip_cost: float | None = None  # None: calibrate per document
    skip_quantile: float = 0.3
    skip_scale: float = 2.0
    gain_weight: float = 8.0  # penalty when a merged sentence adds no similarity
    gain_tau: float = 0.0
    min_pair_sim: float = 0.1  # below this cosine two windows are unrelated: never a bead
    skip_cap: float = 1.0  # ceiling on the calibrated skip: unrelated text is never forced
    form: str = "distance"  # how similarity becomes cost: "distance" or "ratio" (margin)
    size_factor: str = "product"  # "product" (a*b, as Vecalign), "mean" ((a+b)/2), "max"
    # costs: "fixed" (the weights above), "fitted" (a model fitted to the document, see
    # doc_model.py), "auto" (fitted when both sides have at least fit_min_sentences)
    costs: str = "auto"
    fit_min_sentences: int = 100
    fit_rounds: int = 3
    fit_gain_weight: float = 10.0  # the merge-evidence penalty, in log-likelihood units
    fit_length: str = "cauchy"  # length mismatch of true beads: "cauchy" (heavy tails) or "gauss"

    def fits(self, n: int, m: int) -> bool:
        """Whether a document of n x m sentences gets fitted costs."""
        if self.costs not in ("auto", "fixed", "fitted"):
            raise ValueError(f"unknown costs {self.costs!r} (auto, fixed or fitted)")
        if self.skip_cost is not None:  # a skip cost given by hand belongs to the fixed costs
            return False
        if self.fit_rounds <= 0:
            return False
        return self.costs == "fitted" or (
            self.costs == "auto" and min(n, m) >= self.fit_min_sentences
        )


@njit(cache=True)
def _topk_means(sims, lo, hi, m, k):  # pragma: no cover - compiled
    """Mean of the k best 1-1 similarities of every source row and every target column."""
    n1, width = sims.shape
    row_best = np.full((n1, k), -2.0)
    col_best = np.full((m + 1, k), -2.0)
    for i in range(1, n1):
        for jj in range(hi[i] - lo[i] + 1):
            j = lo[i] + jj
            if j == 0:
                continue
            v = sims[i, jj]
            if v <= -2.0:
                continue
            # insert into row top-k (sorted descending)
            if v > row_best[i, k - 1]:
                p = k - 1
                while p > 0 and row_best[i, p - 1] < v:
                    row_best[i, p] = row_best[i, p - 1]
                    p -= 1
                row_best[i, p] = v
            if v > col_best[j, k - 1]:
                p = k - 1
                while p > 0 and col_best[j, p - 1] < v:
                    col_best[j, p] = col_best[j, p - 1]
                    p -= 1
                col_best[j, p] = v
    r_src = np.zeros(n1 - 1)
    r_tgt = np.zeros(m)
    for i in range(1, n1):
        s = 0.0
        c = 0
        for p in range(k):
            if row_best[i, p] > -2.0:
                s += row_best[i, p]
                c += 1
        r_src[i - 1] = s / c if c else 1.0
    for j in range(1, m + 1):
        s = 0.0
        c = 0
        for p in range(k):
            if col_best[j, p] > -2.0:
                s += col_best[j, p]
                c += 1
        r_tgt[j - 1] = s / c if c else 1.0
    return r_src, r_tgt


def neighbourhood_means(sims11, lo, hi, m, k):
    """Per-sentence mean of the k nearest neighbours' cosines (within the corridor)."""
    k = max(1, min(k, m))
    return _topk_means(sims11, lo, hi, m, k)


def _window_mean(values: np.ndarray, size: int, ends: np.ndarray) -> np.ndarray:
    """Mean of ``values[e-size:e]`` for each end e (clipped to valid range)."""
    csum = np.concatenate([[0.0], np.cumsum(values)])
    # ends before a full window (or a window longer than the text) are cells outside the
    # lattice: they get the mean of what the window holds, or of all values
    e = np.clip(ends, 0, len(values))
    start = np.clip(e - size, 0, None)
    width = e - start
    fallback = float(np.mean(values)) if len(values) else 1.0
    return np.where(width > 0, (csum[e] - csum[start]) / np.maximum(width, 1), fallback)


@dataclass
class BeadFeatures:
    """What the costs are made of, per bead type, on the corridor lattice."""

    distance: np.ndarray  # cosine distance over the neighbourhood's (0 = identical)
    length: np.ndarray  # log length ratio, corrected by the document's ratio (0 = as expected)
    valid: np.ndarray  # cells where the bead exists and its cosine reaches min_pair_sim
    inside: np.ndarray  # cells where the bead exists (whatever its cosine)
    gain: np.ndarray | None  # window cosine minus its best inner pair (merges only)


def bead_features(
    sims: dict[tuple[int, int], np.ndarray],
    lo: np.ndarray,
    hi: np.ndarray,
    src_len: np.ndarray,
    tgt_len: np.ndarray,
    params: ScoreParams,
) -> tuple[dict[tuple[int, int], BeadFeatures], float]:
    """Per bead type: normalised distance, length mismatch, validity, merge gain."""
    n, m = len(src_len), len(tgt_len)
    width = next(iter(sims.values())).shape[1]
    r_src, r_tgt = neighbourhood_means(sims[(1, 1)], lo, hi, m, params.margin_k)
    r_src = np.maximum(r_src, 0.05)
    r_tgt = np.maximum(r_tgt, 0.05)

    # per-document length ratio (characters), robust to a few outliers
    ratio = (tgt_len.sum() + 1.0) / (src_len.sum() + 1.0)
    src_c = np.concatenate([[0.0], np.cumsum(src_len)])
    tgt_c = np.concatenate([[0.0], np.cumsum(tgt_len)])
    floor = 15.0

    rows = np.arange(n + 1)[:, None]
    cols = lo[:, None] + np.arange(width)[None, :]
    out = {}
    for a, b in sims:
        s = sims[(a, b)]
        inside = (s > INVALID) & (rows >= a) & (cols >= b) & (cols <= m)
        valid = inside & (s >= params.min_pair_sim)
        ii = np.broadcast_to(rows, s.shape)
        jj = np.clip(cols, 0, m)
        rx = _window_mean(r_src, a, ii.ravel()).reshape(s.shape)
        ry = _window_mean(r_tgt, b, jj.ravel()).reshape(s.shape)
        r = (rx + ry) / 2.0
        if params.form == "ratio":
            base = np.maximum(0.0, 1.0 - (s / r - 1.0))
        else:
            base = (1.0 - s) / np.maximum(1.0 - r, 0.05)
        ls = src_c[ii] - src_c[np.clip(ii - a, 0, n)]
        lt = tgt_c[jj] - tgt_c[np.clip(jj - b, 0, m)]
        delta = np.log((lt + floor * ratio) / (ls * ratio + floor * ratio))
        gain = None
        if a > 1 or b > 1:
            gain = s - _best_part(sims[(1, 1)], lo, ii, jj, a, b)
        # float32: ten bead types over a 31k-sentence corridor are ~15 M cells each
        out[(a, b)] = BeadFeatures(
            base.astype(np.float32), delta.astype(np.float32), valid, inside, gain
        )
    return out, float(ratio)


def fixed_costs(
    feats: dict[tuple[int, int], BeadFeatures], n: int, m: int, params: ScoreParams
) -> tuple[np.ndarray, float]:
    """Costs with weights chosen on the dev sets, and a skip cost calibrated per document."""
    types = list(feats)
    width = next(iter(feats.values())).distance.shape[1]
    costs = np.full((len(types), n + 1, width), np.inf, dtype=np.float32)
    for t, (a, b) in enumerate(types):
        f = feats[(a, b)]
        nf = {"product": a * b, "mean": (a + b) / 2.0, "max": max(a, b)}[params.size_factor]
        c = nf * f.distance
        c += params.length_weight * f.length**2
        c += params.nm_penalty * (a + b - 2)
        if params.gain_weight and f.gain is not None:
            c += params.gain_weight * np.maximum(0.0, params.gain_tau - f.gain)
        costs[t] = np.where(f.valid, c, np.inf)
    if params.skip_cost is not None:
        skip = float(params.skip_cost)
    else:
        skip = _calibrated_skip(costs[types.index((1, 1))], params)
    return costs, skip


def _lookup(s11: np.ndarray, lo: np.ndarray, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
    """1-1 similarity at lattice cells (rows, cols); INVALID where outside the corridor."""
    rows = np.clip(rows, 0, len(lo) - 1)
    jj = cols - lo[rows]
    ok = (jj >= 0) & (jj < s11.shape[1])
    return np.where(ok, s11[rows, np.clip(jj, 0, s11.shape[1] - 1)], INVALID)


def _best_part(s11, lo, ii, jj, a, b) -> np.ndarray:
    """Best 1-1 similarity among the sentence pairs inside an (a, b) bead ending at (ii, jj).

    A merge earns its place only if the window beats every pair inside it: a merged
    sentence that adds nothing is a deletion absorbed into a neighbour.
    """
    best = np.full(ii.shape, INVALID, dtype=np.float32)
    for da in range(a):
        for db in range(b):
            best = np.maximum(best, _lookup(s11, lo, ii - da, jj - db))
    return best


def _calibrated_skip(costs11: np.ndarray, params: ScoreParams) -> float:
    """Half the cost of a poor-but-plausible 1-1 pair: leaving both out must cost about as much."""
    finite = costs11[np.isfinite(costs11)]
    if finite.size == 0:
        return 0.5
    best_per_row = np.min(np.where(np.isfinite(costs11), costs11, np.inf), axis=1)
    best_per_row = best_per_row[np.isfinite(best_per_row)]
    ref = np.quantile(best_per_row, 1.0 - params.skip_quantile) if best_per_row.size else 0.0
    return float(min(params.skip_scale * max(ref, 0.0) / 2.0 + 0.05, params.skip_cap))
