"""Batch mode: align many document pairs listed in a manifest, loading the model once per worker.

Each pair goes through :func:`aligner.align_files` (the checks of ``aligner align``: wrong side,
empty, encoding) and :func:`aligner.formats.write` to ``OUTDIR/<name>.<format>``, atomically,
so an existing output is a complete one: a rerun skips it (resume) unless ``redo``.
``OUTDIR/summary.tsv`` gets one row per pair; rows of pairs skipped on resume are carried over
from the previous summary. A failed pair is a row with its one-line reason, never a crash.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

from ..errors import AlignerError
from .manifest import SUMMARY, Pair, output_path, read_manifest
from .summary import PairResult, read_summary, write_summary

FORMATS = ("tsv", "jsonl", "tmx")


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


# ------------------------------------------------------------------ workers

_worker: dict = {}


def _init_worker(options: BatchOptions, subprocess: bool = True) -> None:
    """Load the model once per process; worker processes draw no bars (they would interleave)."""
    from ..embed import load_embedder
    from ..progress import set_progress

    if subprocess:
        set_progress(False)
        # the workers already fill the cores: a BLAS pool per worker would oversubscribe them
        # (a multi-threaded BLAS made the alignment step ~18x slower on a busy 2-core box)
        from threadpoolctl import threadpool_limits

        threadpool_limits(max(1, options.threads))
    _worker["options"] = options
    # one embedding process per worker: the workers are the parallelism
    emb = load_embedder(options.model, threads=options.threads, cache=options.cache, jobs=1)
    getattr(emb, "inner", emb).encode(["."])  # load now: not counted in a pair's seconds
    _worker["embedder"] = emb


def _align_one(pair: Pair, outdir: str) -> PairResult:
    from ..api import align_files
    from ..formats import write

    opts: BatchOptions = _worker["options"]
    out = output_path(outdir, pair, opts.fmt)
    t0 = time.perf_counter()
    try:
        result = align_files(
            pair.src, pair.tgt, src_lang=opts.src_lang, tgt_lang=opts.tgt_lang,
            embedder=_worker["embedder"], params=opts.params, encoding=opts.encoding,
            force=opts.force,
        )  # fmt: skip
        write(result, out, opts.fmt, **opts.write_options)
    except AlignerError as e:
        return PairResult(pair.name, "failed", output=str(out), error=str(e))
    except Exception as e:  # one broken pair must not stop the others
        return PairResult(pair.name, "failed", output=str(out), error=f"{type(e).__name__}: {e}")
    s = result.summary()
    return PairResult(
        pair.name, "aligned", s["src_sentences"], s["tgt_sentences"], len(result.beads),
        s["pairs"], s["unaligned_src"], s["unaligned_tgt"], s["mean_score"],
        round(time.perf_counter() - t0, 2), str(out),
    )  # fmt: skip


# ------------------------------------------------------------------ driver


def _resume(pairs, outdir: Path, fmt: str, redo: bool) -> tuple[dict[str, PairResult], list]:
    """Summary rows of pairs whose output exists (skipped), and the pairs still to align."""
    previous = read_summary(outdir / SUMMARY)
    done: dict[str, PairResult] = {}
    todo: list[Pair] = []
    for pair in pairs:
        out = output_path(outdir, pair, fmt)
        if not out.is_file() or redo:
            todo.append(pair)
            continue
        old = previous.get(pair.name)
        if old and old.status in ("aligned", "skipped"):
            done[pair.name] = PairResult(**{**asdict(old), "status": "skipped"})
        else:
            done[pair.name] = PairResult(pair.name, "skipped", output=str(out))
    return done, todo


def _run(todo: list[Pair], outdir: Path, options: BatchOptions, jobs: int, done) -> None:
    """Align ``todo`` in this process (one job) or in a pool of processes; ``done(result)``
    after each pair."""
    n_jobs = min(jobs or (os.cpu_count() or 1), max(1, len(todo)))
    if not todo:
        return
    if n_jobs <= 1:
        _init_worker(options, subprocess=False)
        for pair in todo:
            done(_align_one(pair, str(outdir)))
        return
    import multiprocessing as mp
    from concurrent.futures import ProcessPoolExecutor, as_completed

    ctx = mp.get_context("spawn")  # no fork of a process holding BLAS/numba threads
    with ProcessPoolExecutor(n_jobs, ctx, _init_worker, (options,)) as pool:
        futures = [pool.submit(_align_one, pair, str(outdir)) for pair in todo]
        for fut in as_completed(futures):
            done(fut.result())


def align_batch(
    manifest: str | Path,
    outdir: str | Path,
    *,
    options: BatchOptions | None = None,
    jobs: int = 1,
    redo: bool = False,
    on_result: Callable[[PairResult], None] | None = None,
) -> list[PairResult]:
    """Align every pair of ``manifest`` into ``outdir``; returns the summary rows in manifest
    order (also written to ``outdir/summary.tsv``). ``jobs`` > 1 uses that many processes,
    each loading the model once; ``jobs`` = 0 means one per CPU core. ``redo`` realigns
    pairs whose output exists."""
    options = options or BatchOptions()
    if options.fmt not in FORMATS:
        raise AlignerError(f"unknown format {options.fmt!r}; use one of {', '.join(FORMATS)}.")
    if jobs < 0:
        raise AlignerError("--jobs must be 0 (one per core) or more.")
    pairs = read_manifest(manifest)
    outdir = Path(outdir)
    if outdir.exists() and not outdir.is_dir():
        raise AlignerError(f"{outdir}: exists and is not a folder.")
    outdir.mkdir(parents=True, exist_ok=True)
    results, todo = _resume(pairs, outdir, options.fmt, redo)
    if on_result:
        for pair in pairs:
            if pair.name in results:
                on_result(results[pair.name])

    def done(r: PairResult) -> None:
        results[r.pair] = r
        write_summary([results[p.name] for p in pairs if p.name in results], outdir / SUMMARY)
        if on_result:
            on_result(r)

    _run(todo, outdir, options, jobs, done)
    ordered = [results[p.name] for p in pairs]
    write_summary(ordered, outdir / SUMMARY)
    return ordered
