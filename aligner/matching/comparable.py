"""Comparable mode: the few sentence pairs that correspond in two related, non-parallel texts.

A monotonic DP forces a path through texts that are not translations of each other. Here each
sentence may pair with any sentence of the other side (crossing pairs allowed), as in bitext
mining: candidates are *mutual best* matches under ratio-margin scoring (Artetxe & Schwenk 2019,
k nearest neighbours in both directions), which discounts sentences that resemble everything
(same-story sentences on a comparable page). A pair is kept when its evidence score clears a
threshold; the score is the cosine plus small bonuses for evidence that distractors lack: shared
numbers and Latin names, and position between two confident pairs (a locality prior). A pair
grows into 2-1 or 1-2 when the window of two adjacent sentences matches clearly better than the
single one (a Korean sentence condensing two English ones). Everything else is listed as
unaligned, each sentence exactly once.

The default threshold was chosen on ``benchmarks/comparable.py`` (NTREX dev with half the
Korean sentences removed, shuffled and replaced by distractors), not on any single page.
"""

from __future__ import annotations

import re
import time
from dataclasses import asdict, dataclass

import numpy as np

from ..alignment import Alignment, Bead, fill_unaligned
from ..embed import load_embedder
from ..embed.windows import window_embeddings
from ..errors import AlignerError
from ..segment import as_sentences, split_text, splitter_id
from ..signature import signature
from .margin import mutual_best, ratio_margin


@dataclass(frozen=True)
class ComparableParams:
    """Settings of comparable mode; see ``benchmarks/comparable.md`` for how they were chosen."""

    threshold: float = 0.40  # evidence score (cosine + bonuses) a pair needs; benchmark-chosen
    k: int = 4  # neighbours for the ratio margin, both directions
    min_margin: float = 1.1  # ratio margin a mutual-best candidate needs before scoring
    number_bonus: float = 0.05  # both sides share a number / Latin name
    locality_bonus: float = 0.03  # between two confident pairs, in order
    confident: float = 0.55  # evidence score of the anchor pairs for the locality prior
    merge_gain: float = 0.08  # a 2-sentence window must beat the single sentence by this much
    merges: bool = True  # allow 2-1 and 1-2


_NUM = re.compile(r"\d+(?:[.,]\d+)?")
_LATIN = re.compile(r"\b[A-Z][A-Za-z]{1,}\b")


def _anchors(text: str) -> set[str]:
    """Numbers and capitalised Latin words: kept by a translation, rarely shared by distractors."""
    nums = {n.replace(",", "") for n in _NUM.findall(text)}
    return nums | {w.lower() for w in _LATIN.findall(text)}


def shared_anchor(a: str, b: str) -> bool:
    # A capitalised English word counts only when the Korean side writes it in Latin letters too.
    return bool(_anchors(a) & _anchors(b))


def comparable_beads(
    src: list[str],
    tgt: list[str],
    src_win: dict[int, np.ndarray],
    tgt_win: dict[int, np.ndarray],
    params: ComparableParams = ComparableParams(),
) -> list[Bead]:
    """Pair beads (crossing allowed) followed by unaligned beads, each sentence exactly once.

    ``src_win[1]``/``tgt_win[1]`` are sentence vectors (L2-normalised); ``[2]`` windows of two
    adjacent sentences, used for 2-1/1-2 when ``params.merges``.
    """
    n, m = len(src), len(tgt)
    pairs: list[tuple[tuple[int, ...], tuple[int, ...], float]] = []
    if n and m:
        sims = src_win[1] @ tgt_win[1].T
        margin = ratio_margin(sims, params.k)
        cands = []
        for i, j in mutual_best(margin):
            if margin[i, j] < params.min_margin:
                continue
            ev = float(sims[i, j])
            if params.number_bonus and shared_anchor(src[i], tgt[j]):
                ev += params.number_bonus
            cands.append([i, j, ev])
        if params.locality_bonus:
            anchors = sorted((i, j) for i, j, ev in cands if ev >= params.confident)
            for c in cands:
                i, j, ev = c
                if ev >= params.confident:
                    continue
                before = [b for b in anchors if b[0] < i and b[1] < j]
                after = [a for a in anchors if a[0] > i and a[1] > j]
                if before and after:
                    c[2] = ev + params.locality_bonus
        kept = sorted((c for c in cands if c[2] >= params.threshold), key=lambda c: c[0])
        used_src = {c[0] for c in kept}
        used_tgt = {c[1] for c in kept}
        for i, j, _ev in kept:
            s_ids, t_ids, score = (i,), (j,), float(sims[i, j])
            if params.merges:
                s_ids, t_ids, score = _grow(i, j, score, src_win, tgt_win, used_src, used_tgt,
                                            params.merge_gain, n, m)  # fmt: skip
            pairs.append((s_ids, t_ids, round(score, 4)))
    return fill_unaligned((Bead(s, t, sc) for s, t, sc in pairs), n, m)


def _grow(i, j, score, src_win, tgt_win, used_src, used_tgt, gain, n, m):
    """Extend (i, j) to 2-1 or 1-2 when a two-sentence window matches clearly better."""
    best = ((i,), (j,), score)
    s2, t2 = src_win.get(2), tgt_win.get(2)
    options = []
    if s2 is not None:
        for a in (i - 1, i):  # window starting at a covers a, a+1
            other = a + 1 if a == i else a
            if 0 <= a < n - 1 and other not in used_src:
                options.append(((a, a + 1), (j,), float(s2[a] @ tgt_win[1][j])))
    if t2 is not None:
        for b in (j - 1, j):
            other = b + 1 if b == j else b
            if 0 <= b < m - 1 and other not in used_tgt:
                options.append(((i,), (b, b + 1), float(src_win[1][i] @ t2[b])))
    for s_ids, t_ids, sc in options:
        if sc >= best[2] + gain and sc >= score + gain:
            best = (s_ids, t_ids, sc)
    used_src.update(best[0])
    used_tgt.update(best[1])
    return best


def align_comparable(
    src: str | list[str],
    tgt: str | list[str],
    *,
    src_lang: str = "en",
    tgt_lang: str = "ko",
    embedder=None,
    params: ComparableParams | None = None,
) -> Alignment:
    """Find the corresponding sentences of two related texts (a text, or a list of sentences).

    Returns an :class:`Alignment` with ``mode="comparable"``: pair beads first (in source order,
    targets may cross), then every other sentence as an unaligned bead. A bead's score is the
    cosine of its two sides (higher is better).
    """
    params = params or ComparableParams()
    if params.k < 1:
        raise AlignerError("comparable mode: k must be at least 1.")
    t0 = time.perf_counter()
    src_s = split_text(src, src_lang) if isinstance(src, str) else as_sentences(src)
    tgt_s = split_text(tgt, tgt_lang) if isinstance(tgt, str) else as_sentences(tgt)
    embedder = embedder or load_embedder()
    sizes = [1, 2] if params.merges else [1]
    src_win = window_embeddings([s.text for s in src_s], sizes, embedder) if src_s else {}
    tgt_win = window_embeddings([s.text for s in tgt_s], sizes, embedder) if tgt_s else {}
    beads = comparable_beads([s.text for s in src_s], [s.text for s in tgt_s], src_win, tgt_win,
                             params)  # fmt: skip
    split = None
    if isinstance(src, str) or isinstance(tgt, str):
        split = f"{splitter_id(src_lang)}+{splitter_id(tgt_lang)}"
    sig = signature("comparable", getattr(embedder, "model_id", "?"), params, split)
    info = {"params": asdict(params), "timings": {"total": time.perf_counter() - t0}}
    return Alignment(beads, src_s, tgt_s, src_lang, tgt_lang, sig, info, mode="comparable")


def looks_comparable(alignment: Alignment, share: float = 0.5, low: float = 0.5) -> bool:
    """True when a parallel alignment left most sentences unaligned or low-scored.

    That is the signature of two texts that are related but not translations: comparable mode
    (``--mode comparable``) is then the better tool. ``low`` = 0.5: with the bundled model real
    translations score 0.5-0.9 (97 % of the sentences of the bundled NTREX sample).
    """
    total = len(alignment.src) + len(alignment.tgt)
    if total == 0:
        return False
    good = sum(
        len(b.src_ids) + len(b.tgt_ids) for b in alignment.beads if b.aligned and b.score >= low
    )
    return good < (1 - share) * total
