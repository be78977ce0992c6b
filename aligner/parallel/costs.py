"""From similarities to bead costs: neighbourhood normalisation, size, length, merge evidence.

- Raw cosines are not comparable across sentences (some sentences are close to everything:
  "hubs"), so a bead's cosine distance is divided by one minus the mean similarity of its
  sentences' nearest neighbours (``form="distance"``; ``"ratio"`` is the ratio margin of
  Artetxe & Schwenk 2019, kept for comparison: it scored lower on the dev sets).
- The cost is multiplied by a*b, as Vecalign does, so two good 1-1 beads beat one 2-2.
- A merge must earn its place: every sentence at its ends must add similarity, i.e. its window
  must be more similar than the bead one sentence smaller (without its first or last sentence
  on either side), else a penalty. A deletion absorbed into a neighbour was the main error left
  on NTREX; comparing with the one-smaller bead rather than with the best sentence pair inside
  also catches a 2-2 that is a good 1-1 plus two unrelated sentences (NTREX dev 0.9825 ->
  0.9853, heavily perturbed NTREX 0.9054 -> 0.9222).
- The length ratio between the languages is estimated per document, never hard-coded; the
  skip cost is set from the document's own 1-1 costs (a quantile of each row's best).

Defaults were chosen on NTREX en-ko dev and Text+Berg de-fr (benchmarks/accuracy.md).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ..matching.cells import INVALID
from ..matching.margin import corridor_neighbour_means
from .jit import njit

# The calibrated skip cost: the (1 - SKIP_QUANTILE) quantile of the rows' best 1-1 costs is
# "a poor but plausible pair" (30 % of rows do worse), and the skip never costs more than
# SKIP_CAP, so unrelated text is never forced into a bead. Chosen on the dev sets.
SKIP_QUANTILE = 0.3
SKIP_CAP = 1.0
# Neighbour means below this are clamped: a sentence unlike everything would otherwise turn
# every distance into a huge cost.
MIN_NEIGHBOUR_MEAN = 0.05
# Characters added to both sides of a length ratio, so that two 3-character lines are not
# "twice as long" as each other.
LENGTH_FLOOR = 15.0
# 1 - (neighbour mean) is the distance a typical neighbour lies at; clamped so that a sentence
# whose neighbours are all near-identical does not divide by almost zero.
MIN_NEIGHBOUR_DISTANCE = 0.05
# A skip is never free (SKIP_BASE is added to the calibrated cost), and a document with no
# 1-1 cell in its corridor gets NO_EVIDENCE_SKIP.
SKIP_BASE = 0.05
NO_EVIDENCE_SKIP = 0.5


@dataclass(frozen=True)
class CostParams:
    """Everything that turns similarities into bead costs; recorded in the signature."""

    margin_k: int = field(default=2, metadata={"sig": "k"})  # neighbours for normalisation
    length_weight: float = field(default=0.3, metadata={"sig": "lenw"})
    skip_cost: float | None = field(default=None, metadata={"sig": "skip"})  # None: calibrate
    skip_scale: float = field(default=2.0, metadata={"sig": "skipscale"})
    # penalty when a merged sentence adds no similarity
    gain_weight: float = field(default=8.0, metadata={"sig": "gainw"})
    # below this cosine two windows are unrelated: never a bead
    min_pair_sim: float = field(default=0.1, metadata={"sig": "floor"})
    # how similarity becomes cost: "distance" or "ratio" (margin)
    form: str = field(default="distance", metadata={"sig": "form"})
    # "product" (a*b, as Vecalign), "mean" ((a+b)/2), "max"
    size_factor: str = field(default="product", metadata={"sig": "size"})
    # "fixed" (the weights above), "fitted" (a model fitted to the document, see
    # doc_model.py), "auto" (fitted when both sides have at least fit_min_sentences)
    kind: str = field(default="auto", metadata={"sig": "costs"})
    fit_min_sentences: int = field(default=100, metadata={"sig": "fitmin"})
    fit_rounds: int = field(default=3, metadata={"sig": "fitrounds"})
    # the merge-evidence penalty, in log-likelihood units
    fit_gain_weight: float = field(default=10.0, metadata={"sig": "fitgainw"})
    # length mismatch of true beads: "cauchy" (heavy tails) or "gauss"
    fit_length: str = field(default="cauchy", metadata={"sig": "fitlen"})
    # the share of the fitted bead-type prior spread evenly over the types: slope x the
    # path's share of beads that are not 1-1, at most spread (never less than add-one's
    # share); 0 keeps add-one alone. See doc_model.type_prior for why and what it measured.
    fit_prior_spread: float = field(default=0.55, metadata={"sig": "spread"})
    fit_prior_slope: float = field(default=3.0, metadata={"sig": "spreadslope"})
    # a bead spanning a paragraph boundary costs this share of a skip per boundary (a heading
    # boundary twice that; see boundaries.py). NTREX dev texts (aligner eval --split):
    # 0 -> 0.9448, 0.25 -> 0.9454, 0.5 -> 0.9466, 1.0 -> 0.9466 strict F1; sets given as
    # sentences have no boundaries and do not change
    boundary_weight: float = field(default=0.5, metadata={"sig": "boundw"})
    # what a merge must beat: "smaller" (the bead one sentence smaller inside it) or "pair"
    # (its best sentence pair; the earlier rule, kept for comparison)
    merge_evidence: str = field(default="smaller", metadata={"sig": "merge"})
    # the cosine floor (min_pair_sim) in the fitted costs too (the earlier rule)
    fit_floor: bool = field(default=False, metadata={"sig": "fitfloor"})

    def fits(self, n: int, m: int) -> bool:
        """Whether a document of n x m sentences gets fitted costs."""
        if self.kind not in ("auto", "fixed", "fitted"):
            raise ValueError(f"unknown costs {self.kind!r} (auto, fixed or fitted)")
        if self.merge_evidence not in ("smaller", "pair"):
            raise ValueError(f"unknown merge evidence {self.merge_evidence!r} (smaller or pair)")
        if self.skip_cost is not None:  # a skip cost given by hand belongs to the fixed costs
            return False
        if self.fit_rounds <= 0:
            return False
        return self.kind == "fitted" or (
            self.kind == "auto" and min(n, m) >= self.fit_min_sentences
        )


def _window_means(values: np.ndarray, sizes, ends: np.ndarray) -> dict[int, np.ndarray]:
    """For each size: the mean of ``values[e-size:e]`` for each end e (clipped to valid
    range)."""
    csum = np.concatenate([[0.0], np.cumsum(values)])
    # ends before a full window (or a window longer than the text) are cells outside the
    # lattice: they get the mean of what the window holds, or of all values
    e = np.minimum(np.maximum(ends, 0), len(values))
    fallback = float(np.mean(values)) if len(values) else 1.0
    out = {}
    for size in sizes:
        start = np.maximum(e - size, 0)
        width = e - start
        out[size] = np.where(width > 0, (csum[e] - csum[start]) / np.maximum(width, 1), fallback)
    return out


@dataclass(frozen=True)
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
    params: CostParams,
) -> tuple[dict[tuple[int, int], BeadFeatures], float]:
    """Per bead type: normalised distance, length mismatch, validity, merge gain, from the
    float32 cosines :func:`.similarity.corridor_sims` makes.

    Cell by cell in compiled kernels: as numpy expressions over the corridor they took ~30
    array operations per bead type, which were most of the step on short documents (NTREX)
    and a third of it on long ones; the numbers are the same to the bit."""
    n, m = len(src_len), len(tgt_len)
    r_src, r_tgt = corridor_neighbour_means(sims[(1, 1)], lo, hi, m, params.margin_k)
    r_src = np.maximum(r_src, MIN_NEIGHBOUR_MEAN)
    r_tgt = np.maximum(r_tgt, MIN_NEIGHBOUR_MEAN)

    # per-document length ratio (characters), robust to a few outliers
    ratio = (tgt_len.sum() + 1.0) / (src_len.sum() + 1.0)
    src_c = np.concatenate([[0.0], np.cumsum(src_len)])
    tgt_c = np.concatenate([[0.0], np.cumsum(tgt_len)])
    ends_src, ends_tgt = np.arange(n + 1), np.arange(m + 1)
    lo = np.ascontiguousarray(lo, dtype=np.int64)
    # what depends on the row alone (source window) or the column alone (target window):
    # once per window size
    r_rows = _window_means(r_src, {a for a, _ in sims}, ends_src)
    r_cols = _window_means(r_tgt, {b for _, b in sims}, ends_tgt)
    out = {}
    for a, b in sims:
        s = np.ascontiguousarray(sims[(a, b)], dtype=np.float32)
        base = np.empty(s.shape, dtype=np.float32)
        delta = np.empty(s.shape, dtype=np.float32)
        valid = np.empty(s.shape, dtype=np.bool_)
        inside = np.empty(s.shape, dtype=np.bool_)
        _type_features(s, lo, m, a, b, r_rows[a], r_cols[b], src_c, tgt_c, float(ratio),
                       np.float32(params.min_pair_sim), params.form == "ratio", base, delta,
                       valid, inside)  # fmt: skip
        gain = None
        if a > 1 or b > 1:
            if params.merge_evidence == "pair":
                gain = s - _best_pair(sims[(1, 1)], lo, m, a, b)
            else:
                gain = s - _best_smaller(sims, lo, m, a, b)
        # float32: ten bead types over a 31k-sentence corridor are ~15 M cells each
        out[(a, b)] = BeadFeatures(base, delta, valid, inside, gain)
    return out, float(ratio)


@njit
def _type_features(s, lo, m, a, b, rx, ry, src_c, tgt_c, ratio, min_sim, ratio_form,
                   base, delta, valid, inside):  # fmt: skip  # pragma: no cover - compiled
    """The features of bead type (a, b) ending at each corridor cell (i, lo[i] + jj), with
    numpy's types at every step (float32 cosines, float64 means and lengths)."""
    n1, w = s.shape
    floor = LENGTH_FLOOR * ratio
    for i in range(n1):
        ls = src_c[i] - src_c[max(i - a, 0)]
        for jj in range(w):
            col = lo[i] + jj
            jc = min(col, m)
            v = s[i, jj]
            ok = v > INVALID and i >= a and col >= b and col <= m
            inside[i, jj] = ok
            valid[i, jj] = ok and v >= min_sim
            r = (rx[i] + ry[jc]) / 2.0
            if ratio_form:
                base[i, jj] = max(0.0, 1.0 - (v / r - 1.0))
            else:
                base[i, jj] = (np.float32(1.0) - v) / max(1.0 - r, MIN_NEIGHBOUR_DISTANCE)
            lt = tgt_c[jc] - tgt_c[max(jc - b, 0)]
            delta[i, jj] = np.log((lt + floor) / (ls * ratio + floor))


def fixed_costs(
    feats: dict[tuple[int, int], BeadFeatures], n: int, m: int, params: CostParams
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
        if params.gain_weight and f.gain is not None:
            c += params.gain_weight * np.maximum(0.0, -f.gain)
        costs[t] = np.where(f.valid, c, np.inf)
    if params.skip_cost is not None:
        skip = float(params.skip_cost)
    else:
        skip = _calibrated_skip(costs[types.index((1, 1))], params)
    return costs, skip


@njit
def _max_shifted(best, s, lo, m, da, db):  # pragma: no cover - compiled
    """best = max(best, the similarity in ``s`` of the window ending ``da`` rows and ``db``
    columns before each corridor cell (row, min(lo[row] + jj, m))), INVALID where that cell
    is outside the corridor: the rows are the lattice's own, only shifted."""
    n1, w = s.shape
    for i in range(n1):
        r = max(i - da, 0)  # the row, clipped to the lattice
        for jj in range(w):
            c = min(lo[i] + jj, m) - (lo[r] + db)  # its column within that row's corridor
            v = s[r, c] if 0 <= c < w else INVALID
            if v > best[i, jj]:
                best[i, jj] = v


def _best_smaller(sims, lo: np.ndarray, m: int, a: int, b: int) -> np.ndarray:
    """Best similarity of the bead one sentence smaller inside an (a, b) bead ending at each
    cell: without its last or first source sentence, or its last or first target one."""
    best = np.full(sims[(a, b)].shape, INVALID, dtype=np.float32)
    for da, db, smaller in ((1, 0, (a - 1, b)), (0, 1, (a, b - 1))):
        if smaller in sims:  # (0, b) and (a, 0) are skips, not beads
            s = np.ascontiguousarray(sims[smaller], dtype=np.float32)
            _max_shifted(best, s, lo, m, da, db)  # without the last
            _max_shifted(best, s, lo, m, 0, 0)  # without the first
    return best


def _best_pair(s11: np.ndarray, lo: np.ndarray, m: int, a: int, b: int) -> np.ndarray:
    """Best 1-1 similarity among the sentence pairs inside each (a, b) bead ending at each
    cell."""
    s11 = np.ascontiguousarray(s11, dtype=np.float32)
    best = np.full(s11.shape, INVALID, dtype=np.float32)
    for da in range(a):
        for db in range(b):
            _max_shifted(best, s11, lo, m, da, db)
    return best


def _calibrated_skip(costs11: np.ndarray, params: CostParams) -> float:
    """Half the cost of a poor-but-plausible 1-1 pair: leaving both out must cost about as much."""
    finite = costs11[np.isfinite(costs11)]
    if finite.size == 0:
        return NO_EVIDENCE_SKIP
    best_per_row = np.min(np.where(np.isfinite(costs11), costs11, np.inf), axis=1)
    best_per_row = best_per_row[np.isfinite(best_per_row)]
    ref = np.quantile(best_per_row, 1.0 - SKIP_QUANTILE) if best_per_row.size else 0.0
    return float(min(params.skip_scale * max(ref, 0.0) / 2.0 + SKIP_BASE, SKIP_CAP))
