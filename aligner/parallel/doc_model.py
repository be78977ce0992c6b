"""A bead model fitted to the document itself (hard EM), for documents long enough to fit one.

The fixed costs in :mod:`aligner.parallel.costs` carry weights chosen on the dev sets. A long
document holds enough evidence to set them from its own statistics instead, so after the first
alignment the costs become log-likelihood ratios of a small generative model, re-fitted to each
new path:

- similarity: a true bead's normalised distance is near the path's median, a chance bead's
  near the median of all corridor cells of its type (merged windows resemble everything more,
  so each type gets its own chance distribution); shared spread, so the ratio is linear;
- length: the log length ratio is Cauchy, narrow on the path, wide over the corridor, each
  scaled by its robust spread (1.4826 x median absolute value). Heavy tails because a true
  bead's length is sometimes far off (OCR debris, a caption run into a sentence, a free
  translation): a Gaussian made such a bead cost up to 25 log-units and pushed the path round
  it. The ratio of two Cauchy densities falls monotonically with the mismatch and is bounded;
- bead types: the prior of 1-1, 2-1, ..., and skips is their frequency on the path
  (a Bible book has almost no merges, a yearbook article many), partly spread evenly over
  the types where the path is not nearly all 1-1 (:func:`type_prior`).

Measured (benchmarks/accuracy.md): Text+Berg de-fr 0.8977 (fixed costs) -> 0.9071 (Gaussian
length) -> 0.9220 (Cauchy length, with 1-4 / 4-1 / 2-3 / 3-2 beads), the Bible 0.9976 ->
0.998. On short documents (NTREX news, 5-26 sentences a side) the estimates are noisy: fitted
everywhere, NTREX dev rose but its perturbed variants fell, hence
``CostParams.fit_min_sentences``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .costs import BeadFeatures

Type = tuple[int, int]
SKIP = (0, 1)  # key of the skip prior (1-0 and 0-1 share it)


@dataclass(frozen=True)
class DocModel:
    similarity: dict[Type, tuple[float, float, float]]  # (true median, chance median, spread)
    length_scale: tuple[float, float]  # (on the path, over the corridor)
    prior: dict[Type, float]  # bead type (and SKIP) -> probability
    length_law: str = "cauchy"  # or "gauss" (the first fitted model; kept for comparison)


def _robust(values: np.ndarray, floor: float) -> tuple[float, float]:
    """Median and MAD-based spread: the true path is a few percent of the corridor."""
    med = float(np.median(values))
    return med, max(1.4826 * float(np.median(np.abs(values - med))), floor)


def _scale(values, floor: float) -> float:
    """Robust spread around zero (the log length ratio is already centred per document)."""
    values = np.abs(np.asarray(values, dtype=np.float64))
    return max(1.4826 * float(np.median(values)), floor) if values.size else floor


def _rms(values) -> float:
    return float(np.sqrt(np.mean(np.square(values))))


@dataclass(frozen=True)
class Chance:
    """What chance cells look like: the corridor's statistics, which the path does not change
    (computed once per corridor, not once per round: the medians were a third of the step)."""

    similarity: dict[Type, tuple[float, float] | None]  # (median, spread); None: no cells
    length: float  # the corridor's spread of the 1-1 log length ratio
    length_law: str


def chance(feats: dict[Type, BeadFeatures], length_law: str = "cauchy") -> Chance:
    if length_law not in ("cauchy", "gauss"):
        raise ValueError(f"unknown length law {length_law!r} (cauchy or gauss)")
    similarity = {}
    for t, f in feats.items():
        x = -f.distance[f.inside]
        similarity[t] = _robust(x, 0.03) if x.size else None
    one = feats[(1, 1)]
    corridor_len = one.length[one.inside]
    if length_law == "gauss":
        length = _rms(corridor_len) if corridor_len.size else 1.0
    else:
        length = _scale(corridor_len, 0.03)
    return Chance(similarity, length, length_law)


def fit(
    feats: dict[Type, BeadFeatures],
    beads,
    lo: np.ndarray,
    smoothing: float = 1.0,
    length_law: str = "cauchy",
    corridor: Chance | None = None,
    prior_spread: float = 0.0,
    prior_slope: float = 0.0,
) -> DocModel:
    """Estimate the model from one alignment path (beads as (s0, s1, t0, t1)); ``corridor``:
    :func:`chance` of these features, if already computed; ``prior_spread``, ``prior_slope``:
    see :func:`type_prior`."""
    if corridor is None or corridor.length_law != length_law:
        corridor = chance(feats, length_law)
    types = list(feats)
    counts = dict.fromkeys([*types, SKIP], 0)
    true_x, true_len = [], []
    for s0, s1, t0, t1 in beads:
        a, b = s1 - s0, t1 - t0
        if a == 0 or b == 0:
            counts[SKIP] += 1
            continue
        if (a, b) not in feats:
            continue
        counts[(a, b)] += 1
        jj = t1 - lo[s1]
        f = feats[(a, b)]
        true_len.append(f.length[s1, jj])
        if (a, b) == (1, 1):
            true_x.append(-f.distance[s1, jj])
    one = feats[(1, 1)]
    if true_x:
        mu_true = float(np.median(true_x))
    else:  # no 1-1 bead on the path: take the corridor's best few percent as the true ones
        mu_true = float(np.quantile(-one.distance[one.inside], 0.95))
    similarity = {}
    for t in types:
        mu_chance, spread = corridor.similarity[t] or (mu_true - 1.0, 0.3)
        similarity[t] = (mu_true, mu_chance, spread)
    if length_law == "gauss":  # root mean square: the path's own beads are rarely far off
        scale_true = max(_rms(true_len), 0.05) if true_len else 0.3
    else:
        scale_true = _scale(true_len, 0.03) if true_len else 0.3
    scale_chance = max(corridor.length, scale_true * 1.01)
    prior = type_prior(counts, smoothing, prior_spread, prior_slope)
    return DocModel(similarity, (scale_true, scale_chance), prior, length_law)


def type_prior(counts: dict, smoothing: float = 1.0, spread: float = 0.0,
               spread_slope: float = 0.0) -> dict:  # fmt: skip
    """Bead-type probabilities from the path's counts: add-``smoothing``, or, where the path is
    not nearly all 1-1, a mix of the counts' frequencies with the even distribution.

    Hard EM counts only the types its current path takes, so a type the first path misses
    stays missed: a literary 2-2 cut into two 1-1s gets a prior of a few tenths of a percent,
    and its cost keeps it cut. Where the path is nearly all 1-1 (a literal translation, the
    Bible) the counts are right and stay as they are, or verse pairs merge into 2-2s. So the
    even share is ``spread_slope`` x the share of beads that are not 1-1, at most ``spread``,
    and never less than add-``smoothing``'s own share (which it then is, to the bit).
    Measured with slope 3 (benchmarks/accuracy.md): spread 0 (add-one) -> 0.55, TransRead
    0.9213 -> 0.9305 strict F1, Text+Berg 0.9249 -> 0.9304, the Bible unchanged (only
    Ephesians and Colossians below 1.000, as before); spread 0.45 gave 0.9290 / 0.9258 and 0.65
    gave 0.9286 / 0.9220 (Text+Berg's 7 documents move by whole beads), slope 2 0.9292 /
    0.9282, slope 5 0.9313 / 0.9304. The same spread for every document instead (no slope)
    took Mark and Romans from 1.000 to 0.996 at 0.5. The cost: Genesis read from verse lines
    (our splitter cuts 13 % of its beads into n-m) is spread too, grows its beads and lost
    0.0020 (0.9780 -> 0.9760), its alignment step 0.1 -> 0.8 s; starting the spread above 15 %
    kept it, but took TransRead and Text+Berg back under 0.929."""
    types = len(counts)
    n = sum(counts.values())
    total = n + smoothing * types
    base = smoothing * types / total  # add-smoothing's share of the mass, spread evenly
    mix = min(spread, spread_slope * (1.0 - counts.get((1, 1), 0) / n)) if n else 0.0
    if mix <= base:
        return {t: (c + smoothing) / total for t, c in counts.items()}
    return {t: (1.0 - mix) * c / n + mix / types for t, c in counts.items()}


def length_llr(delta: np.ndarray, scale_true: float, scale_chance: float) -> np.ndarray:
    """log Cauchy(delta; scale_true) - log Cauchy(delta; scale_chance): a length mismatch
    lowers the score monotonically, but never below log(scale_true / scale_chance)."""
    d2 = np.square(delta)
    # float() keeps the result in the features' float32 (a numpy float64 scalar would not)
    return float(np.log(scale_true / scale_chance)) + np.log(
        (scale_chance**2 + d2) / (scale_true**2 + d2)
    )


def _gauss_llr(delta: np.ndarray, sd_true: float, sd_chance: float) -> np.ndarray:
    d2 = np.square(delta)
    return -d2 / (2 * sd_true**2) + d2 / (2 * sd_chance**2) + float(np.log(sd_chance / sd_true))


def model_costs(
    feats: dict[Type, BeadFeatures],
    model: DocModel,
    n: int,
    gain_weight: float,
    floor: bool = False,
) -> tuple[np.ndarray, float]:
    """Negative log-likelihood ratios of every bead, and of a skipped sentence (``floor``:
    beads under the fixed costs' cosine floor excluded, as before)."""
    types = list(feats)
    width = feats[types[0]].distance.shape[1]
    costs = np.full((len(types), n + 1, width), np.inf, dtype=np.float32)
    for k, t in enumerate(types):
        f = feats[t]
        mu_t, mu_c, spread = model.similarity[t]
        x = -f.distance
        score = (mu_t - mu_c) / spread**2 * (x - (mu_t + mu_c) / 2.0)
        if model.length_law == "gauss":
            score += _gauss_llr(f.length, *model.length_scale)
        else:
            score += length_llr(f.length, *model.length_scale)
        score += float(np.log(model.prior[t]))
        if gain_weight and f.gain is not None:
            score -= gain_weight * np.maximum(0.0, -f.gain)
        # every bead inside the lattice, however low its cosine: the ratio already prices a
        # low similarity, and the fixed costs' cosine floor (min_pair_sim) would forbid the
        # 1-1 that a placeholder such as a Korean verse "(없음)" ("none") forms with the verse
        # it stands for, forcing it into a 2-2 with a neighbour (Bible 0.9983 -> 0.9999)
        costs[k] = np.where(f.valid if floor else f.inside, -score, np.inf)
    skip = float(-np.log(model.prior[SKIP] / 2.0))
    return costs, skip
