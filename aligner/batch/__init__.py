"""Many pairs at once: a manifest in, one output per pair and a summary out, resumable."""

from __future__ import annotations

from .manifest import Pair, read_manifest
from .run import BatchOptions, align_batch
from .summary import PairResult

__all__ = ["BatchOptions", "Pair", "PairResult", "align_batch", "read_manifest"]
