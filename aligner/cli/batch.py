"""`aligner batch`: many pairs on a Dask cluster (local or remote), per-pair files and/or a
Parquet dataset out, resumable."""

from __future__ import annotations

import sys
import time

import click

from .common import build_params, run_options, writer_options
from .options import header_option, input_options, model_options, tmx_options


@click.command("batch")
@click.argument("source", metavar="PAIRS", type=click.Path())
@click.option("-o", "--outdir", default=None,
              help="Folder for one output per pair (NAME.tsv, .jsonl or .tmx) and "
              "summary.tsv.")  # fmt: skip
@click.option("--parquet", "parquet", default=None, metavar="DIR",
              help="Also (or instead) write DIR/beads/part-*.parquet, one row per bead of every "
              "pair, and DIR/summary/part-*.parquet, one row per pair.")  # fmt: skip
@click.option("-f", "--format", "fmt", type=click.Choice(["tsv", "jsonl", "tmx"]), default="tsv",
              show_default=True, help="Format of each per-pair output (with -o).")  # fmt: skip
@click.option("-j", "--workers", type=click.IntRange(min=1), default=None,
              help="Worker processes of the local Dask cluster, one thread each, each loading "
              "the model once. Default: one per CPU core.")  # fmt: skip
@click.option("--scheduler", default=None, metavar="ADDRESS",
              help="Run on an existing Dask cluster (tcp://host:8786) instead of a local one; "
              "its workers need aligner installed and the input paths readable.")  # fmt: skip
@click.option(
    "--chunk",
    type=click.IntRange(min=1),
    default=None,
    help="Pairs per task (default: from the number of pairs and workers, at most 64).",
)
@click.option("--redo", is_flag=True, help="Realign pairs an earlier run already did.")
@input_options("the source side", "the target side", "of every file (default: detect)",
               "Align pairs even when a text does not look like its language (as `align "
               "--force`).")  # fmt: skip
@header_option
@tmx_options
@model_options
@run_options
def batch_cmd(source, outdir, parquet, fmt, workers, scheduler, chunk, redo, force, src_lang,
              tgt_lang, encoding, quiet, verbose, **opts):  # fmt: skip
    """Align every pair listed in PAIRS on a Dask cluster.

    PAIRS is a manifest, one pair per line: SRC_PATH<TAB>TGT_PATH[<TAB>NAME] (paths relative to
    the manifest's folder; blank lines and '#' lines ignored), or a table of pairs (.jsonl or
    .parquet) with an `id` and either `src_text`/`tgt_text` or `src_path`/`tgt_path`, and
    optionally `src_lang`/`tgt_lang` per row.

    Each pair gets the checks of `aligner align` (wrong language, swapped or empty texts): a
    pair that fails them is a failed row with the same one-line reason, and the others go on.
    A rerun skips pairs already done with the same content and settings (a changed file or
    setting redoes them); a worker that dies has its pairs retried; Ctrl-C stops cleanly and
    the next run resumes. summary.tsv has one row per pair: sentences, beads, unaligned, mean
    score, seconds, status (aligned, skipped, failed) and the reason of a failure. Exit status
    1 if any pair failed.
    """
    from ..batch import BatchOptions, align_batch

    if scheduler and workers:
        raise click.UsageError("--workers starts a local cluster; leave it out with --scheduler.")
    options = BatchOptions(
        fmt=fmt, src_lang=src_lang, tgt_lang=tgt_lang, encoding=encoding, model=opts["model"],
        threads=opts["threads"], cache=not opts["no_cache"], params=build_params(**opts),
        force=force, write_options=writer_options(fmt, opts),
    )  # fmt: skip
    t0 = time.perf_counter()
    bar = _Bar(quiet, verbose)
    try:
        results = align_batch(
            source, outdir, options=options, parquet=parquet, workers=workers,
            scheduler=scheduler, redo=redo, chunk=chunk, dashboard=verbose,
            on_start=bar.start, on_result=bar.result,
        )  # fmt: skip
    except KeyboardInterrupt:
        bar.close()
        click.echo(
            f"aligner: interrupted after {bar.done} pairs; what is done is kept, run the same "
            "command again to resume.",
            err=True,
        )
        sys.exit(130)
    bar.close()
    failed = sum(r.status == "failed" for r in results)
    if not quiet:
        aligned = sum(r.status == "aligned" for r in results)
        skipped = sum(r.status == "skipped" for r in results)
        where = outdir or parquet
        click.echo(
            f"{where}: {aligned} aligned, {skipped} skipped, {failed} failed of "
            f"{len(results)} pairs in {time.perf_counter() - t0:.1f} s; see {where}/summary.tsv",
            err=True,
        )
    if failed:
        raise SystemExit(1)


class _Bar:
    """Pairs done/failed, rate and ETA on stderr; a line per failed pair (and per pair with
    --verbose); the dashboard address with --verbose."""

    def __init__(self, quiet: bool, verbose: bool):
        self.quiet, self.verbose = quiet, verbose
        self.bar = None
        self.done = self.failed = 0

    def start(self, client, todo: int) -> None:
        from ..progress import enabled

        if self.verbose:
            link = client.dashboard_link if client.dashboard_link else "none"
            workers = len(client.scheduler_info().get("workers", {}))
            click.echo(f"dask: {workers} workers, scheduler {client.scheduler.address}, "
                       f"dashboard {link}", err=True)  # fmt: skip
        if not self.quiet and enabled():
            from tqdm import tqdm

            self.bar = tqdm(total=todo, desc="pairs", unit="pair", file=sys.stderr,
                            mininterval=0.5, dynamic_ncols=True)  # fmt: skip

    def result(self, r) -> None:
        if r.status == "skipped":
            return
        self.done += 1
        self.failed += r.status == "failed"
        if r.status == "failed" and not self.quiet:
            self._line(f"{r.pair}: FAILED: {r.error}")
        elif self.verbose:
            self._line(f"{r.pair}: {r.pairs} pairs, {r.unaligned_src} + {r.unaligned_tgt} "
                       f"unaligned, mean score {r.mean_score:.3f}, {r.seconds:.1f} s")  # fmt: skip
        if self.bar is not None:
            self.bar.set_postfix_str(f"{self.failed} failed", refresh=False)
            self.bar.update(1)

    def _line(self, text: str) -> None:
        if self.bar is not None:
            self.bar.write(text, file=sys.stderr)
        else:
            click.echo(text, err=True)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
            self.bar = None
