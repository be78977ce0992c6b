"""Many pairs at once on a Dask cluster: a manifest or a pair table in, one output per pair
and/or a sharded Parquet dataset of beads out, a summary, resumable and fault-tolerant."""

from __future__ import annotations

from .manifest import Pair, read_manifest
from .pairs import read_pairs
from .run import align_batch
from .summary import PairResult
from .work import BatchOptions

__all__ = ["BatchOptions", "Pair", "PairResult", "align_batch", "read_manifest", "read_pairs"]
