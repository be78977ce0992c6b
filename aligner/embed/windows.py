"""Window embeddings: a bead of type (a, b) compares a window of ``a`` consecutive source
sentences with a window of ``b`` target sentences.

Windows are either re-encoded from their joined text (``encode``: more accurate) or composed
from sentence vectors (``compose``: no extra model calls). Both modes, and the coarse pass of
the corridor, compose through :func:`compose_windows`.
"""

from __future__ import annotations

import numpy as np

from .base import Embedder, l2_normalise
from .encode import encode_all

WINDOW_MODES = ("encode", "compose")


def window_texts(sentences: list[str], size: int) -> list[str]:
    return [" ".join(sentences[s : s + size]) for s in range(len(sentences) - size + 1)]


def compose_windows(vecs: np.ndarray, size: int, lengths: np.ndarray | None = None) -> np.ndarray:
    """Sum of ``size`` consecutive vectors, renormalised: a window without re-encoding.

    ``lengths`` weighs each sentence by the square root of its length (longer sentences carry
    more of a window's meaning); None weighs them equally. Row s = window starting at s.
    """
    n = len(vecs)
    if size == 1 or n < size:
        return vecs[: max(0, n - size + 1)]
    if lengths is not None:
        vecs = vecs * np.sqrt(np.maximum(lengths, 1.0)).astype(np.float32)[:, None]
    total = vecs[: n - size + 1].copy()
    for s in range(1, size):
        total += vecs[s : n - size + 1 + s]
    return l2_normalise(total)


def window_embeddings(
    sentences: list[str],
    sizes: range | list[int],
    embedder: Embedder,
    mode: str = "encode",
    progress=None,
) -> dict[int, np.ndarray]:
    """Embeddings of every window of each size, keyed by size; row s = window starting at s."""
    if mode not in WINDOW_MODES:
        raise ValueError(f"unknown window mode {mode!r} (encode or compose)")
    sizes = sorted(set(sizes) | {1})
    if mode == "compose":
        base = encode_all(embedder, list(sentences), progress)
        lengths = np.array([len(s) for s in sentences], dtype=np.float32)
        return {k: compose_windows(base, k, lengths) for k in sizes}
    texts: list[str] = []
    bounds = {}
    for k in sizes:
        w = window_texts(sentences, k)
        bounds[k] = (len(texts), len(texts) + len(w))
        texts.extend(w)
    vecs = encode_all(embedder, texts, progress)
    return {k: vecs[s:e] for k, (s, e) in bounds.items()}


def n_windows(n: int, sizes, mode: str) -> int:
    """How many texts :func:`window_embeddings` encodes for ``n`` sentences (progress totals)."""
    if mode == "compose":
        return n
    return sum(max(0, n - k + 1) for k in sizes)
