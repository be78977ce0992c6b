"""Auto mode: are two texts translations (parallel), related (comparable) or unrelated?

The user should not have to know which tool fits: a translation memory made by forcing a
monotone path through an English report and a *related* Korean article is a memory of
non-translations. The parallel alignment itself tells the cases apart. In a translation nearly
every sentence's bead holds its best match among the sentences around it: its cosine to its
bead's other side beats every sentence within ``LOCAL_SPAN`` beyond the bead, and it or the
bead as a whole (the cosine of its joined sides) reaches ``MIN_COSINE`` (a short fragment of a
1-3 bead scores low on its own). In a related article only the sentences that really have a
partner do; the path runs through the others anyway. And where comparable mode then finds no
pair at all, the texts are unrelated.

Statistic: ``explained`` = the share of all sentences (both sides) that their bead explains so,
taken at its lower bound one standard error down (Wilson), so that a 16-sentence article that
happens to pair up does not outvote a 2,000-verse book. Parallel when the bound is at least
``PARALLEL_SHARE``. ``benchmarks/mode.py`` prints the figures on every evaluation set.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from itertools import groupby

import numpy as np

from ..alignment import Alignment
from ..embed import Embedder
from ..embed.windows import window_embeddings

# Sentences beyond a bead, on the other side, that its best cosine must beat.
LOCAL_SPAN = 4
# A sentence counts as translated only when its bead's best cosine reaches this (bundled
# model: same-story non-pairs forced into beads mostly score under it, translations over it).
MIN_COSINE = 0.4
# Cosines closer than this are a tie (the same vectors give products that differ in the last
# bits, depending on the shape of the matrix product).
TIE = 1e-6
# Parallel when the lower bound of the explained share reaches this. On benchmarks/mode.md
# the parallel sets' lowest bound is about 0.60 (an NTREX document through our splitters, full
# of 1-3 beads), the related-article benchmark's highest about 0.47 and the seed page's 0.33:
# the middle, rounded.
PARALLEL_SHARE = 0.54
# Standard errors below the share for its lower bound.
Z = 1.0


@dataclass(frozen=True)
class Relation:
    """What auto mode decided, and the figures it decided on."""

    mode: str  # "parallel", "comparable" or "unrelated"
    explained: int  # sentences their parallel bead explains
    sentences: int
    bound: float  # lower bound of explained / sentences
    reason: str

    def as_info(self) -> dict:
        return {"mode": self.mode, "explained": self.explained, "sentences": self.sentences,
                "bound": round(self.bound, 4), "reason": self.reason}  # fmt: skip


def explained_sentences(parallel: Alignment, src_vecs: np.ndarray, tgt_vecs: np.ndarray) -> int:
    """Sentences whose parallel bead holds their best match within ``LOCAL_SPAN`` beyond it."""
    n, m = len(src_vecs), len(tgt_vecs)
    good = 0
    for b in parallel.beads:
        if not b.aligned:
            continue
        src, tgt = list(b.src_ids), list(b.tgt_ids)
        near_t = [j for j in range(tgt[0] - LOCAL_SPAN, tgt[-1] + LOCAL_SPAN + 1)
                  if 0 <= j < m and j not in tgt]  # fmt: skip
        near_s = [i for i in range(src[0] - LOCAL_SPAN, src[-1] + LOCAL_SPAN + 1)
                  if 0 <= i < n and i not in src]  # fmt: skip
        inside = src_vecs[src] @ tgt_vecs[tgt].T  # bead cells
        whole = b.score >= MIN_COSINE
        # with nothing beyond the bead (a text of a sentence or two) only the cosine counts; a
        # tie counts as held (a text of repeated lines has its best match everywhere)
        best = inside.max(axis=1)
        beats = (src_vecs[src] @ tgt_vecs[near_t].T).max(axis=1) <= best + TIE if near_t else True
        good += int(np.sum(beats & ((best >= MIN_COSINE) | whole)))
        best = inside.max(axis=0)
        beats = (src_vecs[near_s] @ tgt_vecs[tgt].T).max(axis=0) <= best + TIE if near_s else True
        good += int(np.sum(beats & ((best >= MIN_COSINE) | whole)))
    return good


def wilson_lower(k: int, n: int, z: float = Z) -> float:
    """Lower bound of the share k / n, ``z`` standard errors down (Wilson score interval)."""
    if n == 0:
        return 0.0
    p = k / n
    centre = p + z * z / (2 * n)
    spread = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    return max(0.0, (centre - spread) / (1 + z * z / n))


def judge(parallel: Alignment, src_vecs: np.ndarray, tgt_vecs: np.ndarray) -> Relation:
    """Parallel or comparable, from the parallel alignment and the sentence vectors."""
    total = len(src_vecs) + len(tgt_vecs)
    good = explained_sentences(parallel, src_vecs, tgt_vecs)
    bound = wilson_lower(good, total)
    share = f"{good} of {total} sentences ({good / max(1, total):.0%})"
    if bound >= PARALLEL_SHARE:
        why = f"{share} have their translation in their bead: the texts are translations"
        return Relation("parallel", good, total, bound, why)
    why = (f"only {share} have a translation in their bead (translations: nearly all): the "
           "texts are related, not translations")  # fmt: skip
    return Relation("comparable", good, total, bound, why)


def relation_of(
    parallel: Alignment, embedder: Embedder, windows: str = "pool", known: dict | None = None
) -> Relation:
    """:func:`judge` on a parallel alignment. ``windows``: how the aligner made its windows
    (``AlignParams.windows``, pool by default), so that its sentence vectors come from the
    cache instead of a second encoding of every sentence; ``known``: the vectors it used, by
    text (``align_sentences(on_vectors=...)``), so that only the sentences it did not see
    (cut or joined after it) are made at all."""
    src = _vectors([s.text for s in parallel.src], known or {}, embedder, windows)
    tgt = _vectors([s.text for s in parallel.tgt], known or {}, embedder, windows)
    return judge(parallel, src, tgt)


def _vectors(texts: list[str], known: dict, embedder: Embedder, windows: str) -> np.ndarray:
    """Each text's vector: from ``known``, else made with its run of unknown neighbours (in
    their order, as the aligner made them: pooled windows join neighbouring sentences)."""
    rows = [known.get(x) for x in texts]
    for lacking, run in groupby(range(len(texts)), key=lambda i: rows[i] is None):
        if lacking:
            ids = list(run)
            made = window_embeddings([texts[i] for i in ids], [1], embedder, windows)[1]
            for i, v in zip(ids, made, strict=True):
                rows[i] = v
    return np.stack(rows) if rows else np.zeros((0, 1), dtype=np.float32)


def unrelated(relation: Relation) -> Relation:
    """The same figures, when comparable mode then found no pair either."""
    why = (f"only {relation.explained} of {relation.sentences} sentences have a translation in "
           "a parallel alignment and comparable mode finds no corresponding pair: the texts "
           "look unrelated")  # fmt: skip
    return Relation("unrelated", relation.explained, relation.sentences, relation.bound, why)
