"""Comparable mode: the sentence pairs that correspond in two related, non-parallel texts.

An English report and the Korean article on the same story (the seed page) are not
translations: a monotone DP would force a path through sentences that have no partner. Here
each sentence may pair with any sentence of the other side (crossings allowed), and a pair is
kept when the evidence for it (:mod:`aligner.matching.evidence`: similarity, margin over the
other candidates, the order the surest pairs agree on, neighbouring pairs, numbers, windows)
weighed by :mod:`aligner.matching.pairing` gives it a probability of at least the threshold.
Everything else is listed as unaligned, each sentence exactly once.

The default threshold was chosen on ``benchmarks/comparable.py`` (NTREX documents made into
seed-like related articles, evaluation seeds 1-3), never on a single page.
"""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass, field

import numpy as np

from ..alignment import Alignment, Bead, fill_unaligned
from ..embed import load_embedder
from ..embed.windows import window_embeddings
from ..errors import AlignerError
from ..segment import as_sentences, split_text, splitter_id
from ..signature import signature
from .evidence import candidates
from .pairing import grow_pairs, pair_probabilities, select_pairs


@dataclass(frozen=True)
class ComparableParams:
    """Settings of comparable mode; see ``benchmarks/comparable.md`` for how they were chosen."""

    # Probability (0-1) a pair needs: the benchmark's best F1 with precision >= 0.9 on every
    # evaluation seed; higher = fewer, surer pairs.
    threshold: float = field(default=0.75, metadata={"sig": "thr"})
    k: int = field(default=4, metadata={"sig": "k"})  # neighbours for the ratio margin
    # A 2-sentence window must beat the single sentence's cosine by this much to make a 2-1
    # or 1-2 pair (benchmark: 0.06 keeps most condensed pairs and few wrong neighbours).
    merge_gain: float = field(default=0.06, metadata={"sig": "gain"})
    merges: bool = field(default=True, metadata={"sig": "merges"})  # allow 2-1 and 1-2
    # Cosine a pair needs whatever its probability: the pair model weighs a sentence against
    # the others of its texts, so in two unrelated texts the least unlike sentences would
    # stand out. 99 % of the benchmark's true pairs (training seeds) have at least 0.25.
    min_cosine: float = field(default=0.25, metadata={"sig": "cos"})

    def __post_init__(self) -> None:
        if not 0.0 <= self.threshold <= 1.0:
            raise AlignerError(f"comparable mode: threshold {self.threshold} is not a "
                               "probability; give a value between 0 and 1.")  # fmt: skip
        if self.k < 1:
            raise AlignerError("comparable mode: k must be at least 1.")


def comparable_beads(
    src: list[str],
    tgt: list[str],
    src_win: dict[int, np.ndarray],
    tgt_win: dict[int, np.ndarray],
    params: ComparableParams = ComparableParams(),
) -> list[Bead]:
    """Pair beads (surest first, crossing allowed), then unaligned beads: each sentence once.

    ``src_win[1]``/``tgt_win[1]`` are sentence vectors (L2-normalised); ``[2]`` windows of two
    adjacent sentences, used for 2-1/1-2 when ``params.merges``. A pair bead's score is the
    probability that it corresponds (0-1, higher is better).
    """
    n, m = len(src), len(tgt)
    beads = []
    if n and m:
        sims = src_win[1] @ tgt_win[1].T
        cand = candidates(sims, params.k)
        wins_s = src_win if params.merges else {1: src_win[1]}
        wins_t = tgt_win if params.merges else {1: tgt_win[1]}
        p = pair_probabilities(cand, src, tgt, wins_s, wins_t)
        p = np.where(sims[cand.i, cand.j] >= params.min_cosine, p, 0.0)
        chosen = select_pairs(cand.i, cand.j, p, params.threshold)
        prob = {(int(a), int(b)): float(x) for a, b, x in zip(cand.i, cand.j, p, strict=True)}
        grown = grow_pairs(chosen, sims, wins_s, wins_t, params.merge_gain)
        beads = [Bead(s, t, round(prob[pair], 4))
                 for pair, (s, t) in zip(chosen, grown, strict=True)]  # fmt: skip
    return fill_unaligned(sorted(beads, key=lambda b: b.src_ids), n, m)


def _sentences(text: str | list[str], lang: str, cache_dir) -> list:
    if isinstance(text, str):
        return split_text(text, lang, cache_dir=cache_dir)
    return as_sentences(text)


def align_comparable(
    src: str | list[str],
    tgt: str | list[str],
    *,
    src_lang: str = "en",
    tgt_lang: str = "ko",
    embedder=None,
    params: ComparableParams | None = None,
    split: str | None = None,
) -> Alignment:
    """Find the corresponding sentences of two related texts (a text, or a list of sentences).

    Returns an :class:`Alignment` with ``mode="comparable"``: pair beads first (in source order,
    targets may cross), then every other sentence as an unaligned bead. A pair's score is the
    probability that it corresponds (0-1, higher is better), at least ``params.threshold``.
    ``split`` names the splitters that made given sentence lists, for the signature.
    """
    params = params or ComparableParams()
    t0 = time.perf_counter()
    embedder = embedder or load_embedder()
    cache_dir = getattr(embedder, "cache_dir", None)  # the split cache sits beside its cache
    src_s = _sentences(src, src_lang, cache_dir)
    tgt_s = _sentences(tgt, tgt_lang, cache_dir)
    sizes = [1, 2] if params.merges else [1]
    src_win = window_embeddings([s.text for s in src_s], sizes, embedder) if src_s else {}
    tgt_win = window_embeddings([s.text for s in tgt_s], sizes, embedder) if tgt_s else {}
    beads = comparable_beads([s.text for s in src_s], [s.text for s in tgt_s], src_win, tgt_win,
                             params)  # fmt: skip
    if isinstance(src, str) or isinstance(tgt, str):
        split = f"{splitter_id(src_lang)}+{splitter_id(tgt_lang)}"
    sig = signature("comparable", getattr(embedder, "model_id", "?"), params, split)
    info = {"params": asdict(params), "timings": {"total": time.perf_counter() - t0}}
    return Alignment(beads, src_s, tgt_s, src_lang, tgt_lang, sig, info, mode="comparable")
