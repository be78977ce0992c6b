"""Near-duplicate sentences out before mining: crawled collections repeat boilerplate, and a
sentence present twice would take its partner from its twin (or crowd the neighbour lists that
the margin divides by). Duplicates are exact after normalisation (NFKC, case, spacing: the
normaliser the TMX writer's dedupe uses); each keeps its place as an unaligned sentence."""

from __future__ import annotations

import hashlib

import numpy as np

from ..formats.units import normalise_for_dedupe


def first_occurrences(texts: list[str]) -> np.ndarray:
    """Indices of the sentences to mine: the first of each normalised text, in order."""
    seen: set[bytes] = set()
    keep = []
    for i, text in enumerate(texts):
        h = hashlib.blake2b(normalise_for_dedupe(text).encode(), digest_size=16).digest()
        if h not in seen:
            seen.add(h)
            keep.append(i)
    return np.asarray(keep, dtype=np.int64)
