"""What a Dask worker does for a batch: load the model and the Korean splitter once (a worker
plugin), then align chunks of pairs and write their outputs and shards.

Every pair goes through :func:`aligner.align_files` (a table's inline texts through the same
checks, :func:`aligner.read.check_texts`, then :func:`aligner.align_texts`) and every per-pair
file through :func:`aligner.formats.write`. A pair that fails is a summary row with its
one-line reason; the chunk goes on.
"""

from __future__ import annotations

import os
import socket
import threading
import time
from dataclasses import dataclass, field, replace
from pathlib import Path

from distributed import WorkerPlugin

from ..errors import AlignerError
from .ledger import Layout
from .manifest import Pair
from .summary import PairResult, summary_table


@dataclass(frozen=True)
class BatchOptions:
    """Settings each worker needs to rebuild its embedder, align and write its outputs."""

    fmt: str = "tsv"
    src_lang: str = "en"
    tgt_lang: str = "ko"
    encoding: str | None = None
    model: str = "usem3"
    threads: int = 1
    cache: bool = True
    params: object | None = None  # AlignParams; None = defaults
    force: bool = False  # align pairs whose files do not look like their languages
    write_options: dict = field(default_factory=dict)


# ------------------------------------------------------------------ per-worker state

_models: dict = {}  # (model, threads) -> the loaded model, shared by the worker's threads
_local = threading.local()  # per thread: the cache wrapper (an SQLite connection is per thread)
LOADS = {"models": 0}  # how many times this process loaded a model (tests check it is once)


def _model(options: BatchOptions):
    key = (options.model, options.threads)
    if key not in _models:
        from ..embed import load_embedder
        from ..segment import split_text

        inner = load_embedder(options.model, threads=options.threads, cache=False)
        inner.encode(["."])  # load the weights now, not inside the first pair's seconds
        split_text("준비.", "ko")  # and the Korean splitter
        _models[key] = inner
        LOADS["models"] += 1
    return _models[key]


def worker_embedder(options: BatchOptions):
    """This worker's embedder for ``options``: the model loaded once per process, the cache
    opened once per thread."""
    from ..embed import CachedEmbedder

    inner = _model(options)
    if not options.cache:
        return inner
    cached = getattr(_local, "cached", None)
    if cached is None or cached.inner is not inner:
        cached = _local.cached = CachedEmbedder(inner)
    return cached


def _quiet_process(threads: int) -> None:
    """Workers draw no bars (they would interleave) and keep BLAS to ``threads``: the workers
    already fill the cores (a multi-threaded BLAS made the alignment step ~18x slower on a
    busy 2-core box)."""
    from threadpoolctl import threadpool_limits

    from ..progress import set_progress

    set_progress(False)
    threadpool_limits(max(1, threads))
    import faiss  # the mining index: one thread per worker as well

    faiss.omp_set_num_threads(max(1, threads))


class LoadModel(WorkerPlugin):
    """Dask worker plugin: each worker, and each worker started later to replace one that
    died, loads the model and the splitter when it joins, before any pair."""

    name = "aligner-model"

    def __init__(self, options: BatchOptions):
        self.options = options

    def setup(self, worker=None) -> None:
        _quiet_process(self.options.threads)
        _model(self.options)

    def teardown(self, worker=None) -> None:
        return None


# ------------------------------------------------------------------ one pair, one chunk


def _align(pair: Pair, options: BatchOptions, embedder):
    from ..api import align_files, align_texts
    from ..read import check_texts

    src_lang = pair.src_lang or options.src_lang
    tgt_lang = pair.tgt_lang or options.tgt_lang
    if not pair.inline:
        return align_files(
            pair.src, pair.tgt, src_lang=src_lang, tgt_lang=tgt_lang, embedder=embedder,
            params=options.params, encoding=options.encoding, force=options.force,
        )  # fmt: skip
    names = (f"{pair.name} (src_text)", f"{pair.name} (tgt_text)")
    warnings = check_texts(pair.src_text or "", pair.tgt_text or "", src_lang=src_lang,
                           tgt_lang=tgt_lang, src_name=names[0], tgt_name=names[1],
                           force=options.force)  # fmt: skip
    result = align_texts(pair.src_text or "", pair.tgt_text or "", src_lang=src_lang,
                         tgt_lang=tgt_lang, embedder=embedder, params=options.params)  # fmt: skip
    return replace(result, warnings=warnings + result.warnings)


def align_pair(pair: Pair, key: str, options: BatchOptions, layout: Layout, embedder):
    """(summary row, bead table or None) for one pair; a failure is a row, never a raise."""
    from ..formats import write
    from ..formats.parquet import arrow_table
    from ..formats.units import as_table

    out = layout.output(pair)
    where = f"{socket.gethostname()}:{os.getpid()}"
    t0 = time.perf_counter()
    try:
        result = _align(pair, options, embedder)
        if out is not None:
            write(result, out, options.fmt, **options.write_options)
        beads = arrow_table(as_table(result), pair_id=pair.name) if layout.parquet else None
    except AlignerError as e:
        return PairResult(pair.name, "failed", error=str(e), key=key, worker=where), None
    except Exception as e:  # one broken pair must not stop the others
        error = f"{type(e).__name__}: {e}"
        return PairResult(pair.name, "failed", error=error, key=key, worker=where), None
    s, t = result.summary(), result.info.get("timings", {})
    row = PairResult(
        pair.name, "aligned", s["src_sentences"], s["tgt_sentences"], len(result.beads),
        s["pairs"], s["unaligned_src"], s["unaligned_tgt"], s["mean_score"],
        round(time.perf_counter() - t0, 3), _round(t.get("embed")), _round(t.get("align")),
        str(out or ""), key=key, worker=where,
    )  # fmt: skip
    return row, beads


def _round(v):
    return None if v is None else round(v, 3)


def align_chunk(
    chunk: str, pairs: list[Pair], keys: list[str], options: BatchOptions, layout: Layout
) -> list[PairResult]:
    """Align a chunk of pairs, then write its bead shard and its summary shards (the commit
    record), each atomically and named by ``chunk``, so a retry rewrites the same files."""
    import pyarrow as pa

    from ..formats.parquet import write_arrow

    embedder = worker_embedder(options)
    rows, tables = [], []
    for pair, key in zip(pairs, keys, strict=True):
        row, beads = align_pair(pair, key, options, layout, embedder)
        rows.append(row)
        if beads is not None:
            tables.append(beads)
    if layout.beads_dir is not None and tables:
        write_arrow(pa.concat_tables(tables), layout.beads_dir / f"part-{chunk}.parquet")
    write_rows(layout, chunk, rows)
    return rows


def write_rows(layout: Layout, chunk: str, rows: list[PairResult]) -> None:
    """The chunk's summary shards: aligned rows in ``part-``, failed rows in ``failed-``."""
    from ..formats.parquet import write_arrow

    for prefix, keep in (("part", True), ("failed", False)):
        mine = [r for r in rows if (r.status == "aligned") is keep]
        path = Path(layout.summary_dir) / f"{prefix}-{chunk}.parquet"
        if mine:
            write_arrow(summary_table(mine), path)
