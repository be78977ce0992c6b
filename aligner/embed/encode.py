"""Encoding many texts: in fixed chunks, so a progress bar can follow a book or a collection,
and so that results do not depend on how the work is shared out (see :mod:`.workers`)."""

from __future__ import annotations

from collections.abc import Callable, Iterable

import numpy as np

from .base import Embedder

# Texts per encode call. A multiple of the bundled model's batch (64), so the batches the
# model sees do not depend on the chunking (its output moves in the 7th decimal with them).
CHUNK = 1024
# Sentences per window-state chunk (``pooled``): each chunk is computed on its own, whether
# in this process or on a worker, so the states are the same numbers whatever --jobs is.
POOL_CHUNK = 256


def encode_all(
    embedder: Embedder, texts: list[str], progress: Callable[[int], object] | None = None
) -> np.ndarray:
    """Float32 rows for ``texts``, encoded ``CHUNK`` at a time; ``progress(n)`` after each."""
    if not texts:
        return np.zeros((0, 1), dtype=np.float32)
    parts = []
    for i in range(0, len(texts), CHUNK):
        parts.append(np.asarray(embedder.encode(texts[i : i + CHUNK]), dtype=np.float32))
        if progress:
            progress(len(parts[-1]))
    return np.concatenate(parts)


def spans(n: int, size: int) -> list[tuple[int, int]]:
    """[start, end) chunks of ``size`` covering ``n`` items."""
    return [(s, min(n, s + size)) for s in range(0, n, size)]


def pool_pieces(texts: list[str]) -> list[list[str]]:
    """The chunks :func:`pooled_in_chunks` computes, each with the next one's first sentence."""
    return [texts[s : min(len(texts), e + 1)] for s, e in spans(len(texts), POOL_CHUNK)]


def pooled_in_chunks(
    pool_chunk: Callable[[list[str]], tuple[np.ndarray, np.ndarray]],
    texts: list[str],
    mapper: Callable[..., Iterable] = map,
    progress: Callable[[int], object] | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Window states and seams of ``texts``, POOL_CHUNK sentences at a time.

    Each chunk takes the next chunk's first sentence along, for the seam between them (its
    state is dropped). ``mapper`` runs ``pool_chunk`` over the chunks (``map``, or a process
    pool's ``map``: the same numbers either way)."""
    cuts = spans(len(texts), POOL_CHUNK)
    states, seams = [], []
    for (s, e), (st, se) in zip(cuts, mapper(pool_chunk, pool_pieces(texts)), strict=True):
        states.append(st[: e - s])
        seams.append(se)
        if progress:
            progress(e - s)
    if not states:
        return np.zeros((0, 0), dtype=np.float32), np.zeros((0, 0), dtype=np.float32)
    return np.concatenate(states), np.concatenate(seams)
