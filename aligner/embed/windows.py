"""Window embeddings: a bead of type (a, b) compares a window of ``a`` consecutive source
sentences with a window of ``b`` target sentences.

Three ways to make them, all here:

- ``pool`` (default): each sentence is encoded once and windows are composed inside the model
  from additive states (see :mod:`.usem3_seams`): as accurate as ``encode`` for about a third
  of its work. Backends without window states (sentence-transformers) re-encode instead.
- ``encode``: every window's joined text is encoded (the exact reference; 3-4 encodings per
  sentence).
- ``compose``: sentence vectors summed (no extra model work, less accurate); the coarse pass
  of the corridor composes this way too, through :func:`compose_windows`.
"""

from __future__ import annotations

import numpy as np

from .base import Embedder, l2_normalise
from .encode import encode_all

WINDOW_MODES = ("pool", "encode", "compose")


def window_mode(mode: str, embedder: Embedder) -> str:
    """The mode that will run: ``pool`` needs a backend with window states, else ``encode``."""
    if mode not in WINDOW_MODES:
        raise ValueError(f"unknown window mode {mode!r} ({', '.join(WINDOW_MODES)})")
    if mode == "pool" and not hasattr(embedder, "pooled"):
        return "encode"
    return mode


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


def pooled_windows(
    states: np.ndarray, seams: np.ndarray, sizes: list[int], finish
) -> dict[int, np.ndarray]:
    """Windows from additive states: window s of size k is the sum of states s..s+k-1 and of
    the k-1 seams between them, through the model's last layers (``finish``)."""
    n = len(states)
    out = {}
    total = states
    for k in range(1, max(sizes) + 1):
        if k > 1:
            m = max(0, n - k + 1)
            total = total[:m] + seams[k - 2 : k - 2 + m] + states[k - 1 : k - 1 + m]
        if k in sizes:
            out[k] = finish(total)
    return out


def window_embeddings(
    sentences: list[str],
    sizes: range | list[int],
    embedder: Embedder,
    mode: str = "encode",
    progress=None,
) -> dict[int, np.ndarray]:
    """Embeddings of every window of each size, keyed by size; row s = window starting at s."""
    mode = window_mode(mode, embedder)
    sizes = sorted(set(sizes) | {1})
    if mode == "pool":
        if not sentences:
            return {k: np.zeros((0, 512), dtype=np.float32) for k in sizes}
        states, seams = embedder.pooled(list(sentences), progress=progress)
        return pooled_windows(states, seams, sizes, embedder.finish)
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
    if mode in ("compose", "pool"):
        return n
    return sum(max(0, n - k + 1) for k in sizes)
