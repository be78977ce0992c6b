"""Which candidate pairs of two related texts correspond: weigh the evidence, pick, grow.

Two passes of a logistic model over :mod:`aligner.matching.evidence`. The first pass scores
each candidate from its own evidence; its surest pairs (probability >= ``ANCHOR_PROBABILITY``,
one per sentence) then say where the story runs, and the second pass adds where each candidate
sits relative to them (inside the span its neighbouring pairs leave it, or crossing them) —
the order of a related article, learnt rather than forced: moved paragraphs and local
crossings stay possible when their own evidence is strong. Pairs are then taken best first,
one per sentence, down to the threshold, and grown to 2-1 or 1-2 where a window of two
sentences matches clearly better (two sentences condensed into one).

The weights were fitted by ``python benchmarks/comparable.py --fit`` on the related-article
benchmark's training seeds (101-105; never on the seed page or the evaluation seeds 1-3).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .evidence import (
    CELL_FEATURES,
    CONTINUE_FEATURES,
    ORDER_FEATURES,
    Candidates,
    cell_features,
    continuation,
    order_features,
)

# First-pass pairs this sure anchor the second pass's order features (on the benchmark's
# training seeds 97 % of them are true pairs).
ANCHOR_PROBABILITY = 0.8
# Columns of the second pass: the first pass's features, the order features, and its output.
SECOND_FEATURES = (*CELL_FEATURES, *ORDER_FEATURES, *CONTINUE_FEATURES, "first_pass")


@dataclass(frozen=True)
class PairWeights:
    """Logistic weights: one per feature, then the intercept (first and second pass)."""

    first: tuple[float, ...]
    second: tuple[float, ...]

    def __post_init__(self) -> None:
        if len(self.first) != len(CELL_FEATURES) + 1:
            raise ValueError(f"first pass needs {len(CELL_FEATURES) + 1} weights")
        if len(self.second) != len(SECOND_FEATURES) + 1:
            raise ValueError(f"second pass needs {len(SECOND_FEATURES) + 1} weights")


# Fitted by `python benchmarks/comparable.py --fit` (training seeds 101-105); see
# benchmarks/comparable.md.
WEIGHTS = PairWeights(
    first=(
        6.957,  # cos
        2.056,  # margin
        4.854,  # gap_row
        4.130,  # gap_col
        1.570,  # mutual
        -1.611,  # crossings
        -2.818,  # off_diagonal
        0.474,  # support_before
        0.232,  # support_after
        0.199,  # numbers_shared
        -1.461,  # numbers_clash
        0.309,  # length_gap
        1.518,  # window_gain
        0.878,  # headline_clash
        -0.885,  # quote_clash
        3.175,  # above_background
        -9.258,  # intercept
    ),
    second=(
        4.890,  # cos
        1.367,  # margin
        3.451,  # gap_row
        2.855,  # gap_col
        0.963,  # mutual
        -0.075,  # crossings
        -2.179,  # off_diagonal
        0.093,  # support_before
        -0.106,  # support_after
        0.046,  # numbers_shared
        -1.001,  # numbers_clash
        0.327,  # length_gap
        1.698,  # window_gain
        0.602,  # headline_clash
        -0.572,  # quote_clash
        1.888,  # above_background
        -0.624,  # crossings_pairs
        -0.171,  # outside_gap
        0.491,  # inside
        0.707,  # continues
        0.457,  # continued
        3.501,  # first_pass
        -8.020,  # intercept
    ),
)


def logistic(features: np.ndarray, weights: tuple[float, ...]) -> np.ndarray:
    w = np.asarray(weights, dtype=np.float64)
    z = features @ w[:-1] + w[-1]
    return 1.0 / (1.0 + np.exp(-np.clip(z, -30, 30)))


def second_features(cand: Candidates, first: np.ndarray, p_first: np.ndarray) -> np.ndarray:
    """The second pass's columns (:data:`SECOND_FEATURES`), given the first pass's."""
    anchors = select_pairs(cand.i, cand.j, p_first, ANCHOR_PROBABILITY)
    order = cand.ordered * order_features(cand.i, cand.j, anchors, cand.shape[1])
    cont = continuation(cand.i, cand.j, p_first, cand.shape)
    return np.hstack([first, order, cont, p_first[:, None]])


def pair_probabilities(
    cand: Candidates,
    src: list[str],
    tgt: list[str],
    src_win: dict[int, np.ndarray],
    tgt_win: dict[int, np.ndarray],
    weights: PairWeights | None = None,
) -> np.ndarray:
    """Probability that each candidate pair corresponds (0-1), after both passes."""
    weights = weights or WEIGHTS
    if not len(cand.i):
        return np.zeros(0)
    first = cell_features(cand, src, tgt, src_win, tgt_win)
    p_first = logistic(first, weights.first)
    return logistic(second_features(cand, first, p_first), weights.second)


def select_pairs(
    i: np.ndarray, j: np.ndarray, p: np.ndarray, threshold: float
) -> list[tuple[int, int]]:
    """Pairs best first, each sentence at most once, down to ``threshold``."""
    used_i: set[int] = set()
    used_j: set[int] = set()
    out = []
    for k in np.argsort(-p, kind="stable"):
        if p[k] < threshold:
            break
        a, b = int(i[k]), int(j[k])
        if a not in used_i and b not in used_j:
            out.append((a, b))
            used_i.add(a)
            used_j.add(b)
    return out


def grow_pairs(
    pairs: list[tuple[int, int]],
    sims: np.ndarray,
    src_win: dict[int, np.ndarray],
    tgt_win: dict[int, np.ndarray],
    gain: float,
) -> list[tuple[tuple[int, ...], tuple[int, ...]]]:
    """Each pair as (source ids, target ids), grown by one free neighbour where the window of
    the two matches at least ``gain`` better than the single sentence (surest pairs first)."""
    n, m = sims.shape
    used_i = {a for a, _ in pairs}
    used_j = {b for _, b in pairs}
    s2, t2 = src_win.get(2), tgt_win.get(2)
    out = []
    for a, b in pairs:
        best, grown = float(sims[a, b]) + gain, ((a,), (b,))
        for w in (a - 1, a):  # source window (w, w + 1) holding a
            other = w if w < a else a + 1
            if s2 is not None and 0 <= w < n - 1 and other not in used_i:
                score = float(s2[w] @ tgt_win[1][b])
                if score >= best:
                    best, grown = score, ((w, w + 1), (b,))
        for w in (b - 1, b):
            other = w if w < b else b + 1
            if t2 is not None and 0 <= w < m - 1 and other not in used_j:
                score = float(src_win[1][a] @ t2[w])
                if score >= best:
                    best, grown = score, ((a,), (w, w + 1))
        used_i.update(grown[0])
        used_j.update(grown[1])
        out.append(grown)
    return out
