"""Window embeddings and corridor similarity matrices, computed with matrix products.

A bead of type (a, b) compares a window of ``a`` consecutive source sentences with a window of
``b`` target sentences. Windows are either re-encoded from their concatenated text (``encode``:
more accurate) or composed from sentence vectors (``compose``: no extra model calls).
"""

from __future__ import annotations

import numpy as np

from .embed.base import Embedder, l2_normalise

INVALID = np.float32(-2.0)  # below any cosine: marks cells outside the lattice


def window_texts(sentences: list[str], size: int) -> list[str]:
    return [" ".join(sentences[s : s + size]) for s in range(len(sentences) - size + 1)]


def compose_windows(sent_vecs: np.ndarray, lengths: np.ndarray, size: int) -> np.ndarray:
    """Length-weighted sum of sentence vectors, renormalised: a window without re-encoding."""
    n = len(sent_vecs)
    if size == 1 or n < size:
        return sent_vecs[: max(0, n - size + 1)]
    w = np.sqrt(np.maximum(lengths, 1.0)).astype(np.float32)[:, None]
    weighted = sent_vecs * w
    csum = np.vstack([np.zeros((1, sent_vecs.shape[1]), np.float32), np.cumsum(weighted, axis=0)])
    return l2_normalise(csum[size:] - csum[:-size])


def window_embeddings(
    sentences: list[str],
    sizes: range | list[int],
    embedder: Embedder,
    mode: str = "encode",
    progress=None,
) -> dict[int, np.ndarray]:
    """Embeddings of every window of each size, keyed by size; row s = window starting at s."""
    sizes = sorted(set(sizes) | {1})
    if mode == "compose":
        base = embedder.encode(list(sentences))
        if progress:
            progress(len(sentences))
        lengths = np.array([len(s) for s in sentences], dtype=np.float32)
        return {k: compose_windows(base, lengths, k) for k in sizes}
    if mode != "encode":
        raise ValueError(f"unknown window mode {mode!r} (encode or compose)")
    texts: list[str] = []
    bounds = {}
    for k in sizes:
        w = window_texts(sentences, k)
        bounds[k] = (len(texts), len(texts) + len(w))
        texts.extend(w)
    vecs = _encode_chunked(embedder, texts, progress)
    return {k: vecs[s:e] for k, (s, e) in bounds.items()}


def _encode_chunked(embedder: Embedder, texts: list[str], progress, chunk: int = 1024):
    if not texts:
        return np.zeros((0, 1), dtype=np.float32)
    parts = []
    for i in range(0, len(texts), chunk):
        parts.append(embedder.encode(texts[i : i + chunk]))
        if progress:
            progress(min(chunk, len(texts) - i))
    return np.concatenate(parts).astype(np.float32)


def corridor_sims(
    src_win: np.ndarray,
    tgt_win: np.ndarray,
    lo: np.ndarray,
    width: int,
    a: int,
    b: int,
    block: int = 128,
) -> np.ndarray:
    """Cosine of the (a, b) bead ending at each corridor cell (i, lo[i] + jj); INVALID outside."""
    n1 = len(lo)
    out = np.full((n1, width), INVALID, dtype=np.float32)
    n_t = len(tgt_win)
    if len(src_win) == 0 or n_t == 0:
        return out
    cols = np.arange(width)
    for r0 in range(a, n1, block):
        r1 = min(n1, r0 + block)
        s_idx = np.arange(r0, r1) - a
        t = lo[r0:r1, None] + cols[None, :] - b
        valid = (t >= 0) & (t < n_t)
        if not valid.any():
            continue
        tmin, tmax = int(t[valid].min()), int(t[valid].max())
        block_sims = src_win[s_idx] @ tgt_win[tmin : tmax + 1].T
        idx = np.clip(t - tmin, 0, tmax - tmin)
        vals = np.take_along_axis(block_sims, idx, axis=1)
        out[r0:r1] = np.where(valid, vals, INVALID)
    return out
