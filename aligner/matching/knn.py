"""Nearest-neighbour search for mining: each query's top-k cosines and their ids in one shard
of the other side, exact (matrix products, heap top-k) or approximate (a faiss index: IVF or
HNSW), and the merge of per-shard top-k lists into one.

Exact search costs n × m dot products; past :data:`EXACT_MAX_CELLS` (measured in
``benchmarks/scale.md``) an HNSW graph answers each query from a few hundred of its nearest
rows instead (``ivf``, an inverted-file index, is the other approximate choice), at the recall
the benchmark reports.
"""

from __future__ import annotations

import math

import numpy as np

from .cells import INVALID

# n × m above which "auto" uses the approximate index (about 316k × 316k). Exact search is BLAS
# matrix products with a heap top-k: 100k × 100k takes about a minute on 2 workers
# (benchmarks/scale.md) and grows as n², so about 10 minutes here at this limit and hours at 1M
# a side. Below it the index does not pay: on the benchmark's synthetic pool, the IVF setting
# below that keeps ≥ 0.99 of the exact pairs at 100k scans about a third of each shard, one
# query at a time, and takes longer than exact search (scale.md).
EXACT_MAX_CELLS = 1e11
# IVF: LISTS_PER_SQRT·√n clusters (faiss's 4–16·√n rule, upper end), searched NPROBE deep. At a
# fixed share of a shard scanned, more and smaller lists find more of the true neighbours: on
# 50k-row shards of the synthetic pool (2,000 queries), 2·√n lists and 32 probes kept 0.76 of
# the 4 nearest, 16·√n lists and 256 probes 0.98, 512 probes 0.994 (k-means lists are uneven:
# 256 of 3,577 lists hold a quarter of the rows, 512 a third). Lists are trained on up to
# TRAIN_SAMPLE_PER_LIST rows per list and need TRAIN_PER_LIST (faiss's 39 is only a warning
# threshold; 16·√n lists of a 50k shard have 14 rows each).
LISTS_PER_SQRT = 16
TRAIN_PER_LIST = 12
TRAIN_SAMPLE_PER_LIST = 64
NPROBE = 256
MIN_IVF_ROWS = 4096  # smaller shards are searched exactly: an index would not pay off
# HNSW (faiss IndexHNSWFlat, inner product): HNSW_M links per row, built with
# HNSW_EF_CONSTRUCTION candidates and searched with HNSW_EF_SEARCH. On 20k rows of the
# synthetic pool (2 threads, 2,000 queries): efSearch 128 / 256 / 512 found 0.952 / 0.981 /
# 0.994 of the 4 nearest in 0.27 / 0.45 / 0.73 ms a query; efConstruction 160 instead of 80
# adds ~0.01 for twice the build time; M 16 found only 0.54-0.73 (100k rows).
HNSW_M = 32
HNSW_EF_CONSTRUCTION = 80
HNSW_EF_SEARCH = 256
INDEXES = ("auto", "exact", "ivf", "hnsw")


def exact_topk(q: np.ndarray, base: np.ndarray, k: int, block: int = 4096):
    """(values, ids): each row of ``q``'s ``k`` largest cosines to ``base``, best first.
    Missing entries (k > len(base)) are INVALID / -1.

    faiss's brute-force search: the matrix products are BLAS as in numpy, but the top-k is
    kept in a heap per row while the products are made (in tiles), which is about 2× faster
    than numpy's argpartition over the same products (benchmarks/scale.md); ``block`` query
    rows per call bound the memory."""
    import faiss

    n, m = len(q), len(base)
    kk = min(k, m)
    vals = np.full((n, k), INVALID, dtype=np.float32)
    ids = np.full((n, k), -1, dtype=np.int64)
    if kk == 0 or n == 0:
        return vals, ids
    q = np.ascontiguousarray(q, dtype=np.float32)
    base = np.ascontiguousarray(base, dtype=np.float32)
    for a in range(0, n, block):
        v, i = faiss.knn(q[a : a + block], base, kk, metric=faiss.METRIC_INNER_PRODUCT)
        vals[a : a + block, :kk] = v
        ids[a : a + block, :kk] = i
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
        index.cp.min_points_per_centroid = TRAIN_PER_LIST  # no warning for small lists
        index.cp.max_points_per_centroid = TRAIN_SAMPLE_PER_LIST
        rng = np.random.default_rng(seed)
        sample = base[rng.choice(n, min(n, nlist * TRAIN_SAMPLE_PER_LIST), replace=False)]
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


class HNSWIndex:
    """A faiss HNSW graph (flat vectors, inner product) over one shard; picklable like
    :class:`IVFIndex`."""

    def __init__(self, base: np.ndarray, m: int | None = None, ef_construction: int | None = None,
                 ef_search: int | None = None):  # fmt: skip
        import faiss

        base = np.ascontiguousarray(base, dtype=np.float32)
        index = faiss.IndexHNSWFlat(base.shape[1], m or HNSW_M, faiss.METRIC_INNER_PRODUCT)
        index.hnsw.efConstruction = ef_construction or HNSW_EF_CONSTRUCTION
        index.add(base)
        index.hnsw.efSearch = ef_search or HNSW_EF_SEARCH
        self.index = index

    def search(self, q: np.ndarray, k: int):
        import faiss

        params = faiss.SearchParametersHNSW(efSearch=max(k, self.index.hnsw.efSearch))
        vals, ids = self.index.search(np.ascontiguousarray(q, dtype=np.float32), k, params=params)
        vals[ids < 0] = INVALID
        return vals.astype(np.float32), ids.astype(np.int64)

    def __getstate__(self):
        import faiss

        return {"index": faiss.serialize_index(self.index), "ef": self.index.hnsw.efSearch}

    def __setstate__(self, state):
        import faiss

        self.index = faiss.deserialize_index(state["index"])
        self.index.hnsw.efSearch = state["ef"]


INDEX_TYPES = {"ivf": IVFIndex, "hnsw": HNSWIndex}


def index_kind(kind: str, n: int, m: int) -> str:
    """What searches the candidates: ``kind`` 'exact', 'ivf' or 'hnsw' as asked, or 'auto'
    (exact up to EXACT_MAX_CELLS pairs, HNSW past it)."""
    if kind not in INDEXES:
        raise ValueError(f"unknown index {kind!r}; use one of {', '.join(INDEXES)}")
    if kind == "auto":
        return "hnsw" if n * m > EXACT_MAX_CELLS else "exact"
    return kind


def build(base: np.ndarray, kind: str, options: dict | None = None):
    """What a shard is searched with: an index of ``kind`` ('ivf' or 'hnsw'; ``options``: its
    settings, else the defaults above), or the vectors themselves ('exact', and shards too
    small for an index to pay off)."""
    if kind in INDEX_TYPES and len(base) >= MIN_IVF_ROWS:
        return INDEX_TYPES[kind](base, **(options or {}))
    return np.ascontiguousarray(base, dtype=np.float32)


def search(searcher, q: np.ndarray, k: int, offset: int = 0, block: int = 1024):
    """Top-k of ``q`` in one shard (ids made global by ``offset``)."""
    if isinstance(searcher, tuple(INDEX_TYPES.values())):
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
