"""`aligner batch`: many pairs from a manifest, the model loaded once per worker, resumable."""

from __future__ import annotations

import time

import click

from .common import build_params, run_options, writer_options
from .options import header_option, input_options, model_options, tmx_options


@click.command("batch")
@click.argument("manifest", type=click.Path())
@click.option("-o", "--outdir", required=True, help="Folder for the outputs and summary.tsv.")
@click.option("-f", "--format", "fmt", type=click.Choice(["tsv", "jsonl", "tmx"]), default="tsv",
              show_default=True, help="Output format of each pair.")  # fmt: skip
@click.option("-j", "--jobs", type=click.IntRange(min=0), default=1, show_default=True,
              help="Worker processes, each loading the model once; 0 = one per CPU core. More "
              "than one pays off only on idle cores (see benchmarks/speed.md).")  # fmt: skip
@click.option("--redo", is_flag=True, help="Realign pairs whose output already exists.")
@input_options("the first column", "the second column", "of every file (default: detect)",
               "Align pairs even when a file does not look like its language (as `align "
               "--force`).")  # fmt: skip
@header_option
@tmx_options
@model_options
@run_options
def batch_cmd(manifest, outdir, fmt, jobs, redo, force, src_lang, tgt_lang, encoding, quiet,
              verbose, **opts):  # fmt: skip
    """Align every pair listed in MANIFEST into OUTDIR.

    MANIFEST has one pair per line: SRC_PATH<TAB>TGT_PATH[<TAB>NAME]. Relative paths are
    relative to the manifest's folder; blank lines and lines starting with '#' are ignored.
    NAME (default: from SRC_PATH) names the output, OUTDIR/NAME.tsv (or .jsonl, .tmx).

    Each pair gets the checks of `aligner align` (a file in the wrong language, swapped or
    empty files): a pair that fails them is recorded as failed with the same one-line reason,
    and the others go on. Outputs are written atomically, so an existing output is complete:
    a rerun skips those pairs and aligns the rest (--redo realigns all). OUTDIR/summary.tsv has
    one row per pair: sentences, beads, unaligned, mean score, seconds, status (aligned,
    skipped, failed) and the error of a failed pair. Exit status 1 if any pair failed.
    """
    from ..batch import BatchOptions, align_batch

    options = BatchOptions(
        fmt=fmt, src_lang=src_lang, tgt_lang=tgt_lang, encoding=encoding, model=opts["model"],
        threads=opts["threads"], cache=not opts["no_cache"], params=build_params(**opts),
        force=force, write_options=writer_options(fmt, opts),
    )  # fmt: skip
    t0 = time.perf_counter()
    report = _reporter(quiet)
    results = align_batch(manifest, outdir, options=options, jobs=jobs, redo=redo,
                          on_result=report)  # fmt: skip
    failed = [r for r in results if r.status == "failed"]
    if not quiet:
        aligned = sum(r.status == "aligned" for r in results)
        skipped = sum(r.status == "skipped" for r in results)
        click.echo(
            f"{outdir}: {aligned} aligned, {skipped} skipped, {len(failed)} failed of "
            f"{len(results)} pairs in {time.perf_counter() - t0:.1f} s; see {outdir}/summary.tsv",
            err=True,
        )
    if failed:
        raise SystemExit(1)


def _reporter(quiet: bool):
    """One line per finished pair on stderr (nothing with --quiet)."""
    count = {"n": 0}

    def report(r) -> None:
        count["n"] += 1
        if quiet:
            return
        if r.status == "aligned":
            msg = (
                f"{r.pairs} pairs, {r.unaligned_src} + {r.unaligned_tgt} unaligned, "
                f"mean score {r.mean_score:.3f}, {r.seconds:.1f} s"
            )
        elif r.status == "skipped":
            msg = "skipped (output exists)"
        else:
            msg = f"FAILED: {r.error}"
        click.echo(f"[{count['n']}] {r.pair}: {msg}", err=True)

    return report
