"""`aligner mine`: two files or two folders of documents in, candidate pairs out."""

from __future__ import annotations

import time
from dataclasses import replace

import click

from ..matching.knn import EXACT_MAX_CELLS, INDEXES
from .common import build_embedder, print_verbose, print_warnings, run_options, writer_options
from .options import (
    NUMBER,
    FiniteFloat,
    compute_options,
    embed_options,
    format_option,
    header_option,
    input_options,
    output_option,
    tmx_options,
)


@click.command("mine")
@click.argument("src", type=click.Path())
@click.argument("tgt", type=click.Path())
@output_option("Output file; format from the extension (.tsv, .jsonl, .tmx, .parquet); '-' = TSV "
               "on stdout.")  # fmt: skip
@format_option("tsv", "jsonl", "tmx", "parquet")
@click.option("--threshold", type=NUMBER, default=None,
              help="Ratio margin a pair needs (default 1.15, the best F1 on "
              "benchmarks/mining.md). Higher = fewer, surer pairs.")  # fmt: skip
@click.option("--min-cosine", type=FiniteFloat(-1.0, 1.0), default=None,
              help="Cosine floor a pair also needs (default 0.3; real translations score "
              "0.5-0.9).")  # fmt: skip
@click.option("--k", "k", default=4, type=click.IntRange(min=1), show_default=True,
              help="Neighbours for the margin.")  # fmt: skip
@click.option("--mutual/--union", default=False, show_default=True,
              help="Keep only mutual best pairs, or the best partner of every sentence either "
              "way (made one-to-one, highest margin first).")  # fmt: skip
@click.option("--presplit", is_flag=True,
              help="Inputs hold one sentence per line (else running text, split into "
              "sentences).")  # fmt: skip
@input_options("SRC", "TGT", "(default: detect per file)",
               "Mine even when a document does not look like its language.")  # fmt: skip
@header_option
@click.option("--doc-columns", is_flag=True,
              help="TSV: add src_doc and tgt_doc columns (the document each sentence came "
              "from; JSONL always has them).")  # fmt: skip
@click.option("--include-unaligned", is_flag=True, help="Also list every sentence left unpaired.")
@tmx_options
@click.option("--block", default=1024, type=click.IntRange(min=1), show_default=True,
              help="Rows per matrix product; memory is about block x (target sentences) x 4 "
              "bytes several times over. Results do not depend on it.")  # fmt: skip
@click.option("-j", "--workers", type=click.IntRange(min=1), default=None,
              help="Embed and search on a local Dask cluster of this many processes (one "
              "thread each), in shards. Default: in this process.")  # fmt: skip
@click.option(
    "--scheduler",
    default=None,
    metavar="ADDRESS",
    help="Embed and search on an existing Dask cluster (tcp://host:8786).",
)
@click.option("--index", type=click.Choice(list(INDEXES)), default="auto",
              show_default=True, help="Candidate search: exact (every cosine), hnsw or ivf "
              "(a faiss index, approximate: one graph per side in one process, one per "
              "shard on a cluster) or auto (hnsw past "
              f"{EXACT_MAX_CELLS:.0e} sentence pairs, about {EXACT_MAX_CELLS**0.5 / 1000:.0f}k "
              "a side; see benchmarks/scale.md).")  # fmt: skip
@click.option("--candidates", default=16, type=click.IntRange(min=1), show_default=True,
              help="With an index or a cluster: nearest neighbours searched per sentence for "
              "its best margin.")  # fmt: skip
@click.option("--keep-duplicates", is_flag=True,
              help="Mine repeated sentences too (default: only the first of each text, after "
              "normalising case, width and spacing; the others are left unpaired).")  # fmt: skip
@embed_options
@compute_options
@run_options
def mine_cmd(src, tgt, output, fmt, threshold, min_cosine, k, mutual, presplit,
             src_lang, tgt_lang, encoding, force, include_unaligned, block, quiet, verbose,
             **opts):  # fmt: skip
    """Mine candidate sentence pairs between SRC and TGT: two files, or two folders of .txt
    documents whose sentences are pooled per side (ids are global; each row names its
    document). Pairs may come from any two documents and any positions.

    Score: the ratio margin of Artetxe & Schwenk (2019), the cosine of the pair divided by the
    average cosine of each side to its k nearest neighbours on the other side. Higher is
    better; about 1.0 means the pair is no closer than each sentence's usual neighbours (not a
    translation); the default threshold 1.15 had the best F1 on benchmarks/mining.md. JSONL
    rows also carry the plain cosine. Exact scoring in row blocks: 20,000 sentences per side
    take about 30 s once embedded (embedding is the slow step; it is cached).
    """
    from ..errors import AlignerError
    from ..formats import Table, format_for, output_paths, write
    from ..formats._io import check_outputs
    from ..matching.mine import mine_files
    from ..read.collection import documents

    workers, scheduler = opts.pop("workers"), opts.pop("scheduler")
    fmt = format_for(output, fmt)
    if fmt not in ("tsv", "jsonl", "tmx", "parquet"):
        raise AlignerError(f"{output}: mining writes .tsv, .jsonl, .tmx or .parquet.")
    if workers and scheduler:
        raise click.UsageError("--workers starts a local cluster; leave it out with --scheduler.")
    inputs = [*documents(src), *documents(tgt)]  # each document, not only the folders
    check_outputs(output_paths(Table([], src_lang, tgt_lang), output, fmt), inputs)
    params = replace(_params(threshold, min_cosine, k, mutual, block), index=opts["index"],
                     candidates=max(1, opts["candidates"]),
                     dedupe=not opts["keep_duplicates"])  # fmt: skip
    t0 = time.perf_counter()
    embedder = build_embedder(**opts)
    result = mine_files(
        src, tgt, src_lang=src_lang, tgt_lang=tgt_lang, embedder=embedder, params=params,
        presplit=presplit, encoding=encoding, force=force, workers=workers, scheduler=scheduler,
    )  # fmt: skip
    print_warnings(result)
    unaligned = include_unaligned or opts["tmx_include_unaligned"]
    extra = {"source_file": str(src), "target_file": str(tgt), "doc_columns": opts["doc_columns"]}
    options = writer_options(fmt, opts, include_unaligned=unaligned, **extra)
    stats = write(result, output, fmt, inputs=inputs, **options)
    if not quiet and output != "-":
        s = result.summary()
        what = f"{stats['written']} TMX units" if fmt == "tmx" else f"{stats['written']} rows"
        click.echo(
            f"{output}: {s['pairs']} pairs from {s['src_sentences']} {src_lang} × "
            f"{s['tgt_sentences']} {tgt_lang} sentences (margin >= {params.threshold}, "
            f"{'mutual' if params.mutual else 'union'}), {what}, "
            f"{time.perf_counter() - t0:.1f} s",
            err=True,
        )
    if verbose:
        print_verbose(result, embedder)


def _params(threshold, min_cosine, k: int, mutual: bool, block: int):
    from ..matching.mine import MineParams

    params = replace(MineParams(), k=k, mutual=mutual, block=block)
    if threshold is not None:
        params = replace(params, threshold=threshold)
    if min_cosine is not None:
        params = replace(params, min_cosine=min_cosine)
    return params
