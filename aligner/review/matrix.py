"""Sentence-by-sentence similarity matrix for review views (HTML heatmap, ``aligner.plot``).

The alignment keeps only the chosen beads, not the matrix the DP searched, so review views
recompute a 1-1 cosine matrix from the embedder (cached on disk by the embedder). Long texts
are block-averaged down to ``max_size`` cells per side so the page and the figure stay small.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass
class SimilarityMatrix:
    """``values[r, c]`` covers source sentences ``src_bins[r]`` and target ``tgt_bins[c]``.

    ``scale_src``/``scale_tgt`` map a sentence index to a (fractional) matrix row/column.
    """

    values: np.ndarray
    n_src: int
    n_tgt: int

    @property
    def scale_src(self) -> float:
        return self.values.shape[0] / max(self.n_src, 1)

    @property
    def scale_tgt(self) -> float:
        return self.values.shape[1] / max(self.n_tgt, 1)

    def path(self, alignment) -> list[tuple[float, float]]:
        """The bead path as (column, row) corner points in matrix coordinates."""
        points = [(0.0, 0.0)]
        i = j = 0
        for b in alignment.beads:
            i += len(b.src_ids)
            j += len(b.tgt_ids)
            points.append((j * self.scale_tgt, i * self.scale_src))
        return points


def _shrink(m: np.ndarray, axis: int, size: int) -> np.ndarray:
    n = m.shape[axis]
    if n <= size:
        return m
    edges = np.linspace(0, n, size + 1).astype(int)
    return np.add.reduceat(m, edges[:-1], axis=axis) / np.diff(edges).reshape(
        (-1, 1) if axis == 0 else (1, -1)
    )


def similarity_matrix(alignment, embedder=None, max_size: int = 300) -> SimilarityMatrix:
    """Cosine similarity of every source sentence with every target sentence."""
    from ..embed import load_embedder

    embedder = embedder or load_embedder()
    n, m = len(alignment.src), len(alignment.tgt)
    if n == 0 or m == 0:
        return SimilarityMatrix(np.zeros((n, m), dtype=np.float32), n, m)
    a = embedder.encode([s.text for s in alignment.src])
    b = embedder.encode([s.text for s in alignment.tgt])
    values = np.asarray(a @ b.T, dtype=np.float32)
    values = _shrink(_shrink(values, 0, max_size), 1, max_size)
    return SimilarityMatrix(values.astype(np.float32), n, m)
