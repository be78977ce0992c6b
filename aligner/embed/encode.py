"""Encoding many texts: in chunks, so a progress bar can follow a book or a collection."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from .base import Embedder

# Texts per encode call. A multiple of the bundled model's batch (256), so the batches the
# model sees do not depend on the chunking (its output moves in the 7th decimal with them).
CHUNK = 1024


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
