"""The embedder protocol: texts in, L2-normalised float32 rows out."""

from __future__ import annotations

from typing import Protocol

import numpy as np


class Embedder(Protocol):
    """Any sentence encoder. ``model_id`` names model and version, for caching and signatures."""

    model_id: str

    def encode(self, texts: list[str]) -> np.ndarray: ...


def l2_normalise(x: np.ndarray) -> np.ndarray:
    x = np.asarray(x, dtype=np.float32)
    norms = np.linalg.norm(x, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return x / norms
