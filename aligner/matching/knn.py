"""Nearest-neighbour search for mining: each query's top-k cosines and their ids in one shard
of the other side, exact (row blocks of matrix products) or approximate (a faiss IVF index),
and the merge of per-shard top-k lists into one.

Exact search costs n × m dot products; past :data:`EXACT_MAX_CELLS` (measured in
``benchmarks/scale.md``) an inverted-file index answers from ``nprobe`` of its ``nlist``
clusters instead, at the recall the benchmark reports.
"""

from __future__ import annotations

import math

import numpy as np

from .margin import INVALID

# n × m above which "auto" uses the approximate index (100k × 100k). Exact search is matrix
# products (BLAS); faiss scans its lists one query at a time, so on few cores it wins only when
# it scans a small share of each shard: at 20k × 20k on 2 workers exact top-k took 53 s and
# the IVF index at recall 0.999 took 434 s (benchmarks/scale.md).
EXACT_MAX_CELLS = 1e10
# IVF: about √n clusters (fewer than faiss's 4–16·√n rule), trained on TRAIN_PER_LIST vectors
# per cluster (faiss warns below 39), searched NPROBE clusters deep. On the synthetic 20k
# pool of benchmarks/scale.py, 2·√n lists and 16 probes kept only 0.87 of the exact pairs (the
# 4-NN recall was 0.58, too little for the margin's means); √n lists and 64 probes keep 0.998.
LISTS_PER_SQRT = 1
TRAIN_PER_LIST = 40
NPROBE = 64
MIN_IVF_ROWS = 4096  # smaller shards are searched exactly: an index would not pay off


def exact_topk(q: np.ndarray, base: np.ndarray, k: int, block: int = 1024):
    """(values, ids): each row of ``q``'s ``k`` largest cosines to ``base``, best first,
    in O(block × len(base)) memory. Missing entries (k > len(base)) are INVALID / -1."""
    n, m = len(q), len(base)
    kk = min(k, m)
    vals = np.full((n, k), INVALID, dtype=np.float32)
    ids = np.full((n, k), -1, dtype=np.int64)
    if kk == 0:
        return vals, ids
    for a in range(0, n, block):
        sims = q[a : a + block] @ base.T
        part = np.argpartition(-sims, kk - 1, axis=1)[:, :kk] if kk < m else np.tile(
            np.arange(m), (len(sims), 1))  # fmt: skip
        v = np.take_along_axis(sims, part, axis=1)
        order = np.argsort(-v, axis=1, kind="stable")
        vals[a : a + block, :kk] = np.take_along_axis(v, order, axis=1)
        ids[a : a + block, :kk] = np.take_along_axis(part, order, axis=1)
    return vals, ids


class IVFIndex:
    """A faiss inverted-file index (flat, inner product) over one shard; picklable (faiss
    indexes are not), so Dask can move it between workers."""

    def __init__(self, base: np.ndarray, nprobe: int | None = None, lists: float | None = None,
                 seed: int = 0):  # fmt: skip
        import faiss

        base = np.ascontiguousarray(base, dtype=np.float32)
        n, d = base.shape
        nlist = max(1, min(n // TRAIN_PER_LIST, int((lists or LISTS_PER_SQRT) * math.sqrt(n))))
        quantizer = faiss.IndexFlatIP(d)
        index = faiss.IndexIVFFlat(quantizer, d, nlist, faiss.METRIC_INNER_PRODUCT)
        rng = np.random.default_rng(seed)
        sample = base[rng.choice(n, min(n, nlist * TRAIN_PER_LIST), replace=False)]
        index.train(sample)
        index.add(base)
        index.nprobe = min(nprobe or NPROBE, nlist)
        self.index = index

    def search(self, q: np.ndarray, k: int):
        vals, ids = self.index.search(np.ascontiguousarray(q, dtype=np.float32), k)
        missing = ids < 0
        vals[missing] = INVALID
        return vals.astype(np.float32), ids.astype(np.int64)

    def __getstate__(self):
        import faiss

        return {"index": faiss.serialize_index(self.index), "nprobe": self.index.nprobe}

    def __setstate__(self, state):
        import faiss

        self.index = faiss.deserialize_index(state["index"])
        faiss.extract_index_ivf(self.index).nprobe = state["nprobe"]


def use_index(kind: str, n: int, m: int) -> bool:
    """Whether to search with the approximate index: ``kind`` 'ivf' or 'exact', or 'auto'
    (the index past EXACT_MAX_CELLS)."""
    if kind not in ("auto", "exact", "ivf"):
        raise ValueError(f"unknown index {kind!r}")
    return kind == "ivf" or (kind == "auto" and n * m > EXACT_MAX_CELLS)


def build(base: np.ndarray, approximate: bool, ivf: dict | None = None):
    """What a shard is searched with: an IVF index (``ivf``: its ``nprobe``/``lists``, else
    the defaults above), or the vectors themselves (exact)."""
    if approximate and len(base) >= MIN_IVF_ROWS:
        return IVFIndex(base, **(ivf or {}))
    return np.ascontiguousarray(base, dtype=np.float32)


def search(searcher, q: np.ndarray, k: int, offset: int = 0, block: int = 1024):
    """Top-k of ``q`` in one shard (ids made global by ``offset``)."""
    if isinstance(searcher, IVFIndex):
        vals, ids = searcher.search(q, k)
    else:
        vals, ids = exact_topk(np.ascontiguousarray(q, dtype=np.float32), searcher, k, block)
    ids = np.where(ids >= 0, ids + offset, -1)
    return vals, ids


def merge_topk(parts: list[tuple[np.ndarray, np.ndarray]], k: int):
    """One top-k list per row from per-shard lists (values best first, ties by lower id)."""
    vals = np.concatenate([p[0] for p in parts], axis=1)
    ids = np.concatenate([p[1] for p in parts], axis=1)
    order = np.lexsort((ids, -vals), axis=1)[:, :k]
    return np.take_along_axis(vals, order, axis=1), np.take_along_axis(ids, order, axis=1)
