"""Batch mode: align many document pairs on a Dask cluster, resumably, without duplicates.

The driver (this process) reads the pairs (a manifest or a pair table), hashes each pair's
content with the run's settings (the resume key), drops what an earlier run left that is no
longer current (:func:`.ledger.prune`), and sends the rest in chunks to the workers
(:func:`.work.align_chunk`), a bounded number at a time so a million pairs never sit in the
scheduler at once. A worker that dies has its chunk retried elsewhere by Dask; a chunk whose
workers keep dying becomes failed rows. ``summary.tsv`` lists every pair in input order.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from ..errors import AlignerError
from ..formats._io import check_outputs
from ..progress import progress
from .cluster import connect, n_workers
from .ledger import Layout, chunk_id, pair_key, prune, settings_key
from .manifest import SUMMARY, Pair, file_name_ok
from .pairs import read_pairs
from .summary import PairResult, write_summary
from .work import BatchOptions, LoadModel, align_chunk, write_rows

FORMATS = ("tsv", "jsonl", "tmx")
MAX_CHUNK = 64  # pairs per task at most: a dead worker loses at most this much work
CHUNKS_PER_WORKER = 8  # aim for this many tasks per worker, so the last ones balance out
IN_FLIGHT_PER_WORKER = 4  # tasks queued per worker at once: enough to keep each one busy


def _layout(outdir, parquet, fmt: str, pairs: list[Pair]) -> Layout:
    if outdir is None and parquet is None:
        raise AlignerError(
            "give an output folder (-o OUTDIR), a Parquet folder (--parquet DIR), or both."
        )
    # absolute: the workers write these and need not share this process's working folder
    layout = Layout(Path(outdir).absolute() if outdir else None,
                    Path(parquet).absolute() if parquet else None, fmt)  # fmt: skip
    for d in (layout.outdir, layout.parquet):
        if d is not None and d.exists() and not d.is_dir():
            raise AlignerError(f"{d}: exists and is not a folder.")
    if layout.outdir is not None:
        bad = next((p for p in pairs if not file_name_ok(p.name)), None)
        if bad is not None:
            raise AlignerError(
                f"pair id {bad.name!r} cannot name an output file (letters, digits, '.', '-', "
                "'_' only); use --parquet without -o, or such ids."
            )
    for d in (layout.outdir, layout.summary_dir, layout.beads_dir):
        if d is not None:
            # a read-only or full folder is said now, not after the whole batch has run
            check_outputs([d / ".aligner-check"])
    return layout


def _keys(pairs: list[Pair], options: BatchOptions) -> dict[str, str]:
    settings = settings_key(options)
    keys = {}
    with progress(len(pairs), "checking pairs", unit="pair") as update:
        for pair in pairs:
            langs = (pair.src_lang or options.src_lang, pair.tgt_lang or options.tgt_lang)
            keys[pair.name] = pair_key(pair, settings, *langs)
            update(1)
    return keys


def _work(pair: Pair) -> int:
    """How much aligning a pair asks for, roughly: its characters (bytes on disk)."""
    if pair.inline:
        return len(pair.src_text or "") + len(pair.tgt_text or "")
    try:
        return sum(p.stat().st_size for p in (pair.src, pair.tgt) if p is not None)
    except OSError:  # the worker reports it
        return 0


def _chunks(todo: list[Pair], keys: dict[str, str], workers: int, size: int | None):
    """Largest pairs first: the last tasks of a run are then the short ones, and no worker
    waits at the end for another's long book (Bible, 8 books on 2 workers: the slowest
    book last left one worker idle for a fifth of the run)."""
    size = size or max(1, min(MAX_CHUNK, len(todo) // (workers * CHUNKS_PER_WORKER)))
    todo = sorted(todo, key=_work, reverse=True)
    for a in range(0, len(todo), size):
        part = todo[a : a + size]
        ks = [keys[p.name] for p in part]
        yield chunk_id([p.name for p in part], ks), part, ks


def _lost(chunk: str, pairs: list[Pair], keys: list[str], error: BaseException, layout):
    """A chunk Dask gave up on (its workers kept dying): failed rows, and no stray beads."""
    from distributed import KilledWorker

    if isinstance(error, KilledWorker):
        why = "the worker aligning it died every time it was tried (out of memory?)"
    else:
        why = f"{type(error).__name__}: {error}"
    rows = [PairResult(p.name, "failed", error=why, key=k)
            for p, k in zip(pairs, keys, strict=True)]  # fmt: skip
    if layout.beads_dir is not None:
        (layout.beads_dir / f"part-{chunk}.parquet").unlink(missing_ok=True)
    write_rows(layout, chunk, rows)
    return rows


def _run(client, chunks, options, layout, done: Callable[[PairResult], None]) -> None:
    """Keep a bounded number of chunks in flight; ``done(row)`` for every pair finished."""
    from distributed import as_completed

    window = IN_FLIGHT_PER_WORKER * n_workers(client)
    meta: dict = {}
    ac = as_completed()

    def submit() -> None:
        for cid, pairs, keys in chunks:
            fut = client.submit(align_chunk, cid, pairs, keys, options, layout, pure=False)
            meta[fut.key] = (cid, pairs, keys)
            ac.add(fut)
            if len(meta) >= window:
                return

    submit()
    try:
        for fut in ac:
            cid, pairs, keys = meta.pop(fut.key)
            try:
                rows = fut.result()
            except Exception as e:  # the chunk, not the run
                rows = _lost(cid, pairs, keys, e, layout)
            for row in rows:
                done(row)
            submit()
    except BaseException:  # Ctrl-C: nothing more runs for us; what is written stays written
        client.cancel([f for f in ac.futures])
        raise


def align_batch(
    source: str | Path, outdir: str | Path | None = None, *,
    options: BatchOptions | None = None, parquet: str | Path | None = None,
    workers: int | None = None, scheduler: str | None = None, client=None, redo: bool = False,
    chunk: int | None = None, dashboard: bool = False,
    on_start: Callable[[object, int], None] | None = None,
    on_result: Callable[[PairResult], None] | None = None,
) -> list[PairResult]:  # fmt: skip
    """Align every pair of ``source`` (a manifest TSV, or a ``.jsonl``/``.parquet`` pair table)
    into ``outdir`` (one file per pair) and/or ``parquet`` (a sharded bead dataset).

    Runs on ``client``, on the cluster at ``scheduler``, or on a new LocalCluster of
    ``workers`` processes (default: one per core). Pairs an earlier run did with the same
    content and settings are skipped (``redo`` realigns them). Returns the summary rows in
    input order (also in ``summary.tsv``). ``on_start(client, pairs_to_do)`` once the cluster
    is up; ``on_result(row)`` after each pair (skipped ones first).
    """
    options = options or BatchOptions()
    if options.fmt not in FORMATS:
        raise AlignerError(f"unknown format {options.fmt!r}; use one of {', '.join(FORMATS)}.")
    if workers is not None and workers < 1:
        raise AlignerError("--workers must be at least 1.")
    pairs = read_pairs(source)
    layout = _layout(outdir, parquet, options.fmt, pairs)
    keys = _keys(pairs, options)
    results = prune(layout, keys, redo)
    for pair in pairs:
        if pair.name in results and on_result:
            on_result(results[pair.name])
    todo = [p for p in pairs if p.name not in results]

    def done(row: PairResult) -> None:
        results[row.pair] = row
        if on_result:
            on_result(row)

    try:
        if todo:
            with connect(workers, scheduler, dashboard=dashboard, client=client) as c:
                c.register_plugin(LoadModel(options), name=LoadModel.name)
                if on_start:
                    on_start(c, len(todo))
                _run(c, _chunks(todo, keys, n_workers(c), chunk), options, layout, done)
    finally:
        root = layout.outdir or layout.parquet
        write_summary([results[p.name] for p in pairs if p.name in results], root / SUMMARY)
    return [results[p.name] for p in pairs]
