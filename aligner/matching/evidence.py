"""What speaks for a sentence pair of two related texts: one row of numbers per candidate pair.

An English report and the Korean article on the same story share more than their few
corresponding sentences: every sentence is about the same meeting, names and places recur, so
a raw cosine of 0.5 can be a loose paraphrase or a same-story neighbour. A reader looks at more
than one number: whether the two sentences prefer each other over every other sentence (margin,
gaps to the runner-up, mutual best), whether the pair sits where the other confident pairs say
the story is (related articles mostly keep the report's order, with local crossings), whether
its neighbours pair too (pairs cluster), whether numbers agree, and whether a window of two
sentences matches better (two sentences condensed into one). This module computes those
numbers; :mod:`aligner.matching.pairing` weighs them.

Only candidates are scored: each sentence's ``CANDIDATES`` most similar sentences on the other
side (a pair outside both lists has no chance), so memory grows with n + m, not n × m.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from .margin import mutual_best, ratio_margin

# Most similar sentences per sentence (both directions) that become candidate pairs. On the
# related-article benchmark every gold pair is within each side's 5 best; 8 leaves room.
CANDIDATES = 8
# Mutual best pairs with at least this ratio margin anchor the first estimate of the story's
# order (on the benchmark 9 in 10 of them are true pairs).
ANCHOR_MARGIN = 1.15
# Fewer anchors than this say nothing about the order the texts keep.
MIN_ANCHORS = 3
# Neighbours looked at for cluster support: pairs up to this many sentences before/after.
NEIGHBOURHOOD = 2

# Names of the columns of :func:`cell_features`, then those :func:`order_features` adds.
CELL_FEATURES = (
    "cos", "margin", "gap_row", "gap_col", "mutual", "crossings", "off_diagonal",
    "support_before", "support_after", "numbers_shared", "numbers_clash", "length_gap",
    "window_gain", "headline_clash", "quote_clash", "above_background",
)  # fmt: skip
ORDER_FEATURES = ("crossings_pairs", "outside_gap", "inside")
# Columns of :func:`continuation`.
CONTINUE_FEATURES = ("continues", "continued")
# A pair continues another when one side is the next sentence and the other skips at most
# this many (a related article drops sentences the report has, and the other way round).
CONTINUE_SKIP = 4

_NUM = re.compile(r"\d+(?:[.,]\d+)*")
# A headline (title, sub-head, caption line) does not end like a sentence; titles pair with
# titles, quotes with quotes.
_SENTENCE_END = re.compile(r"[.!?。…다요\"”’)\]]\s*$")
_QUOTE = re.compile(r"[\"“”]")


@dataclass(frozen=True)
class Candidates:
    """Candidate pairs (rows ``i``, ``j``) of an n × m similarity matrix ``sims``."""

    i: np.ndarray
    j: np.ndarray
    sims: np.ndarray  # n × m sentence cosines
    margin: np.ndarray  # n × m ratio margins
    mutual: list[tuple[int, int]]  # mutual best pairs under the margin
    chain: list[tuple[int, int]]  # the heaviest ordered chain of the confident ones
    ordered: float  # how much the texts keep one order: 0 (none or unknown) to 1

    @property
    def shape(self) -> tuple[int, int]:
        return self.sims.shape


def candidates(sims: np.ndarray, k: int = 4, per_sentence: int = CANDIDATES) -> Candidates:
    """Each sentence's ``per_sentence`` most similar sentences on the other side, as pairs."""
    n, m = sims.shape
    margin = ratio_margin(sims, k)
    keep = np.zeros((n, m), dtype=bool)
    if n and m:
        r = min(per_sentence, m)
        c = min(per_sentence, n)
        rows = np.argpartition(-sims, r - 1, axis=1)[:, :r]
        keep[np.repeat(np.arange(n), r), rows.ravel()] = True
        cols = np.argpartition(-sims, c - 1, axis=0)[:c, :]
        keep[cols.ravel(), np.tile(np.arange(m), c)] = True
    i, j = np.nonzero(keep)
    pairs = mutual_best(margin)
    anchors = [(a, b) for a, b in pairs if margin[a, b] >= ANCHOR_MARGIN]
    chain = best_chain(anchors, [float(margin[a, b]) - 1.0 for a, b in anchors])
    return Candidates(i, j, sims, margin, pairs, chain, concordance(anchors))


def concordance(points: list[tuple[int, int]]) -> float:
    """How much the confident pairs keep one order: Kendall's tau, 0 when negative or when
    there are too few of them. Order evidence counts in proportion to it, so that a text told
    in its own order is not punished for that."""
    if len(points) < MIN_ANCHORS:
        return 0.0
    a = np.array(points, dtype=np.float64)
    di = np.sign(a[:, None, 0] - a[None, :, 0])
    dj = np.sign(a[:, None, 1] - a[None, :, 1])
    pairs = len(points) * (len(points) - 1)
    return max(0.0, float((di * dj).sum()) / pairs)


def _numbers(text: str) -> frozenset[str]:
    return frozenset(n.replace(",", "") for n in _NUM.findall(text))


def _gap(sims: np.ndarray, i: np.ndarray, j: np.ndarray, axis: int) -> np.ndarray:
    """Cosine minus the best *other* cell of the same row (axis 1) or column (axis 0)."""
    mat = sims if axis == 1 else sims.T
    own, other = (i, j) if axis == 1 else (j, i)
    if mat.shape[1] < 2:
        return sims[i, j].astype(np.float64)
    top = -np.partition(-mat, 1, axis=1)[:, :2]  # two best of each line, unordered
    first, second = top.max(axis=1), top.min(axis=1)
    best = mat.argmax(axis=1)
    return sims[i, j] - np.where(best[own] == other, second[own], first[own])


def best_chain(points: list[tuple[int, int]], weights: list[float]) -> list[tuple[int, int]]:
    """The heaviest chain of points increasing on both sides: the order they agree on."""
    order = sorted(range(len(points)), key=lambda p: points[p])
    total = [0.0] * len(points)
    prev = [-1] * len(points)
    for a, pa in enumerate(order):
        total[pa] = weights[pa]
        for pb in order[:a]:
            if points[pb][0] < points[pa][0] and points[pb][1] < points[pa][1]:
                if total[pb] + weights[pa] > total[pa]:
                    total[pa], prev[pa] = total[pb] + weights[pa], pb
    if not points:
        return []
    p, chain = int(np.argmax(total)), []
    while p >= 0:
        chain.append(points[p])
        p = prev[p]
    return chain[::-1]


def crossings(i: np.ndarray, j: np.ndarray, chain: list[tuple[int, int]]) -> np.ndarray:
    """Share of the chain's pairs that each candidate crosses (0 = in the chain's order)."""
    out = np.zeros(len(i))
    for a, b in chain:
        out += ((i < a) & (j > b)) | ((i > a) & (j < b))
    return out / max(1, len(chain))


def cell_features(
    cand: Candidates,
    src: list[str],
    tgt: list[str],
    src_win: dict[int, np.ndarray],
    tgt_win: dict[int, np.ndarray],
) -> np.ndarray:
    """One row per candidate, columns :data:`CELL_FEATURES`; windows of 2 used if present."""
    s, mg, i, j = cand.sims, cand.margin, cand.i, cand.j
    n, m = s.shape
    mutual = np.zeros((n, m), dtype=bool)
    for a, b in cand.mutual:
        mutual[a, b] = True
    ordered = cand.ordered
    diag = np.abs(i / max(1, n - 1) - j / max(1, m - 1))
    before, after = _support(mg, i, j)
    nums_s, nums_t = [_numbers(x) for x in src], [_numbers(x) for x in tgt]
    shared = np.array([bool(nums_s[a] & nums_t[b]) for a, b in zip(i, j, strict=True)])
    clash = np.array([bool(nums_s[a] and nums_t[b] and not nums_s[a] & nums_t[b])
                      for a, b in zip(i, j, strict=True)])  # fmt: skip
    ls = np.log1p([len(x) for x in src])
    lt = np.log1p([len(x) for x in tgt])
    length_gap = np.abs(lt[j] - ls[i] - (np.median(lt) - np.median(ls)))
    cols = [
        s[i, j], mg[i, j], _gap(s, i, j, 1), _gap(s, i, j, 0), mutual[i, j],
        ordered * crossings(i, j, cand.chain), ordered * diag, before, after, shared, clash,
        length_gap,
        window_gain(s, i, j, src_win, tgt_win),
        _clash([bool(_SENTENCE_END.search(x)) for x in src],
               [bool(_SENTENCE_END.search(x)) for x in tgt], i, j),
        _clash([bool(_QUOTE.search(x)) for x in src], [bool(_QUOTE.search(x)) for x in tgt],
               i, j),
        s[i, j] - np.median(s.max(axis=1)),  # same-story texts resemble each other throughout
    ]  # fmt: skip
    return np.stack([np.asarray(c, dtype=np.float64) for c in cols], axis=1)


def _clash(a: list[bool], b: list[bool], i: np.ndarray, j: np.ndarray) -> np.ndarray:
    """1 where exactly one side of the pair has the property."""
    return np.asarray(a, dtype=bool)[i] != np.asarray(b, dtype=bool)[j]


def _support(margin: np.ndarray, i: np.ndarray, j: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Best margin among the pairs just before (i-1..i-2, j-1..j-2) and just after."""
    n, m = margin.shape
    h = NEIGHBOURHOOD
    padded = np.pad(margin, h, constant_values=0.0)
    before = np.zeros(len(i))
    after = np.zeros(len(i))
    for di in range(1, h + 1):
        for dj in range(1, h + 1):
            before = np.maximum(before, padded[i + h - di, j + h - dj])
            after = np.maximum(after, padded[i + h + di, j + h + dj])
    return before, after


def window_gain(sims, i, j, src_win, tgt_win) -> np.ndarray:
    """How much better a window of two sentences (on either side) holding the pair matches."""
    best = np.full(len(i), -1.0)
    s2, t2 = src_win.get(2), tgt_win.get(2)
    n, m = sims.shape
    if s2 is not None and len(s2):
        w = s2 @ tgt_win[1].T  # row a = source window (a, a+1)
        for a in (i - 1, i):
            ok = (a >= 0) & (a < n - 1)
            best[ok] = np.maximum(best[ok], w[a[ok], j[ok]])
    if t2 is not None and len(t2):
        w = src_win[1] @ t2.T
        for b in (j - 1, j):
            ok = (b >= 0) & (b < m - 1)
            best[ok] = np.maximum(best[ok], w[i[ok], b[ok]])
    return np.where(best > -1.0, best - sims[i, j], 0.0)


def continuation(i: np.ndarray, j: np.ndarray, p: np.ndarray, shape) -> np.ndarray:
    """For each candidate, the best probability (``p``) of a candidate it continues and of one
    that continues it: one side the neighbouring sentence, the other a short skip away."""
    n, m = shape
    h = CONTINUE_SKIP
    dense = np.zeros((n + 2 * h, m + 2 * h))
    dense[i + h, j + h] = p
    before = np.zeros(len(i))
    after = np.zeros(len(i))
    for a in range(1, h + 1):
        for b in range(1, h + 1):
            if min(a, b) == 1:
                before = np.maximum(before, dense[i + h - a, j + h - b])
                after = np.maximum(after, dense[i + h + a, j + h + b])
    return np.stack([before, after], axis=1)


def order_features(
    i: np.ndarray, j: np.ndarray, pairs: list[tuple[int, int]], m: int
) -> np.ndarray:
    """Where each candidate sits relative to confident pairs: columns :data:`ORDER_FEATURES`.

    ``crossings_pairs``: share of the pairs it crosses; ``outside_gap``: how far (share of the
    target side) its target lies outside the span the neighbouring pairs leave for it;
    ``inside``: 1 when it lies inside that span.
    """
    chain = sorted(pairs)
    lo, hi = np.zeros(len(i), dtype=np.int64), np.full(len(i), m - 1, dtype=np.int64)
    if chain:
        src_pos = np.array([a for a, _ in chain], dtype=np.int64)
        tgt_pos = np.array([b for _, b in chain], dtype=np.int64)
        prev = np.searchsorted(src_pos, i, side="left") - 1  # last pair with source < i
        nxt = np.searchsorted(src_pos, i, side="right")  # first pair with source > i
        lo = np.where(prev >= 0, tgt_pos[np.clip(prev, 0, None)], lo)
        hi = np.where(nxt < len(chain), tgt_pos[np.clip(nxt, None, len(chain) - 1)], hi)
    lo, hi = np.minimum(lo, hi), np.maximum(lo, hi)
    outside = np.maximum(0, lo - j) + np.maximum(0, j - hi)
    return np.stack(
        [crossings(i, j, chain), outside / max(1, m), (outside == 0).astype(np.float64)], axis=1
    )
