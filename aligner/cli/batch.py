"""`aligner batch`: many pairs from a manifest, the model loaded once per worker, resumable."""

from __future__ import annotations

import time

import click

from .common import build_params_and_embedder, model_options, run_options


@click.command("batch")
@click.argument("manifest", type=click.Path(dir_okay=False))
@click.option("-o", "--outdir", required=True, help="Folder for the outputs and summary.tsv.")
@click.option(
    "-f", "--format", "fmt", type=click.Choice(["tsv", "jsonl", "tmx"]), default="tsv",
    show_default=True, help="Output format of each pair.",
)  # fmt: skip
@click.option(
    "-j", "--jobs", type=int, default=1, show_default=True,
    help="Worker processes, each loading the model once; 0 = one per CPU core. "
    "More than one pays off only on idle cores (measure: see benchmarks/speed.md).",
)  # fmt: skip
@click.option("--force", is_flag=True, help="Realign pairs whose output already exists.")
@click.option("--src-lang", default="en", show_default=True, help="Language of the first column.")
@click.option("--tgt-lang", default="ko", show_default=True, help="Language of the second column.")
@click.option("--encoding", default=None, help="Input encoding of every file (default: detect).")
@click.option("--header", is_flag=True, help="TSV: write a header row.")
@click.option("--tmx-src-code", default=None, help="TMX language code of the source (en-US).")
@click.option("--tmx-tgt-code", default=None, help="TMX language code of the target (ko-KR).")
@click.option(
    "--tmx-include-unaligned", is_flag=True, help="TMX: also write units with one side only."
)
@model_options
@run_options
def batch_cmd(
    manifest, outdir, fmt, jobs, force, src_lang, tgt_lang, encoding, header,
    tmx_src_code, tmx_tgt_code, tmx_include_unaligned,
    model, threads, no_cache, windows, max_src, max_tgt, max_total, skip_cost, costs, quiet,
    verbose,
):  # fmt: skip
    """Align every pair listed in MANIFEST into OUTDIR.

    MANIFEST has one pair per line: SRC_PATH<TAB>TGT_PATH[<TAB>NAME]. Relative paths are
    relative to the manifest's folder; blank lines and lines starting with '#' are ignored.
    NAME (default: from SRC_PATH) names the output, OUTDIR/NAME.tsv (or .jsonl, .tmx).

    Outputs are written atomically, so an existing output is complete: a rerun skips those
    pairs and aligns the rest (use --force to redo all). OUTDIR/summary.tsv has one row per
    pair: sentences, beads, unaligned, mean score, seconds, status (aligned, skipped, failed)
    and the error of a failed pair. Exit status 1 if any pair failed.
    """
    from ..batch import BatchOptions, align_batch

    params, _ = build_params_and_embedder(
        model, threads, True, windows, max_src, max_tgt, skip_cost, costs, max_total
    )  # checks the options; each worker loads its own model
    write = {"header": header} if fmt == "tsv" else {}
    if fmt == "tmx":
        write = {
            "src_code": tmx_src_code, "tgt_code": tmx_tgt_code,
            "include_unaligned": tmx_include_unaligned,
        }  # fmt: skip
    options = BatchOptions(
        fmt=fmt, src_lang=src_lang, tgt_lang=tgt_lang, encoding=encoding, model=model,
        threads=threads, cache=not no_cache, params=params, write_options=write,
    )  # fmt: skip
    t0 = time.perf_counter()
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

    results = align_batch(manifest, outdir, options=options, jobs=jobs, force=force,
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
