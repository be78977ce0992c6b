"""`aligner align`: two text files in, TSV / JSONL / TMX out."""

from __future__ import annotations

import time

import click

from .common import (
    build_params_and_embedder,
    check_outputs_not_inputs,
    model_options,
    print_verbose,
    run_options,
    warn,
)


@click.command("align")
@click.argument("src_file", type=click.Path(dir_okay=False, allow_dash=True))
@click.argument("tgt_file", type=click.Path(dir_okay=False, allow_dash=True))
@click.option(
    "-o",
    "--output",
    default="-",
    show_default=True,
    help="Output file; format from the extension (.tsv, .jsonl, .tmx, .moses); '-' = TSV on "
    "stdout. Moses: '-o out' with '-f moses' (or '-o out.moses') writes out.en and out.ko.",
)
@click.option(
    "-f", "--format", "fmt", type=click.Choice(["tsv", "jsonl", "tmx", "moses"]), default=None
)
@click.option("--src-lang", default="en", show_default=True, help="Language of SRC_FILE.")
@click.option("--tgt-lang", default="ko", show_default=True, help="Language of TGT_FILE.")
@click.option("--encoding", default=None, help="Input encoding for both files (default: detect).")
@click.option("--header", is_flag=True, help="TSV: write a header row.")
@click.option("--tmx-src-code", default=None, help="TMX language code of the source (en-US).")
@click.option("--tmx-tgt-code", default=None, help="TMX language code of the target (ko-KR).")
@click.option(
    "--tmx-include-unaligned", is_flag=True, help="TMX: also write units with one side only."
)
@click.option(
    "--tmx-props",
    type=click.Choice(["none", "minimal", "full"]),
    default="minimal",
    show_default=True,
    help="TMX <prop>s per unit: minimal = x-score, x-alignment-type; full adds x-src-ids, "
    "x-tgt-ids, x-source-file, x-target-file.",
)
@click.option(
    "--tmx-dedupe",
    is_flag=True,
    help="TMX: drop duplicate (source, target) pairs (ignoring case, width, spacing).",
)
@click.option(
    "--min-score",
    type=float,
    default=None,
    help="Drop aligned beads scoring under this (similarity, higher is better; "
    "unaligned beads are kept in TSV/JSONL).",
)
@click.option(
    "--html",
    "html_path",
    default=None,
    type=click.Path(dir_okay=False),
    help="Also write a self-contained HTML review page (side by side, scores, heatmap).",
)
@click.option(
    "--force",
    is_flag=True,
    help="Align even when a file does not look like its language (e.g. Korean text given "
    "as the English side).",
)
@click.option(
    "--mode",
    type=click.Choice(["parallel", "comparable"]),
    default="parallel",
    show_default=True,
    help="'parallel': translations, in order (every sentence in a bead). 'comparable': related "
    "texts that are not translations (e.g. an English report and its related Korean article): "
    "only the pairs that really correspond, crossing allowed, the rest unaligned.",
)
@click.option(
    "--threshold",
    type=float,
    default=None,
    help="Comparable mode: evidence score a pair needs (cosine + small bonuses; default 0.40, "
    "chosen on benchmarks/comparable.md). Higher = fewer, surer pairs.",
)
@model_options
@run_options
def align_cmd(
    src_file, tgt_file, output, fmt, src_lang, tgt_lang, encoding, header,
    tmx_src_code, tmx_tgt_code, tmx_include_unaligned, tmx_props, tmx_dedupe, min_score,
    html_path, force, model, threads, no_cache, windows, max_src, max_tgt, max_total, skip_cost,
    costs,
    quiet, mode,
    threshold,
    verbose,
):  # fmt: skip
    """Align SRC_FILE (English by default) with TGT_FILE (Korean by default).

    Every sentence ends up in exactly one bead: aligned groups of up to --max-total
    sentences (1-1, 1-2, 2-1, 2-2, 1-3, 3-1; on long texts also 1-4, 4-1, 2-3, 3-2)
    or unaligned (1-0, 0-1). The score is the cosine similarity of the two sides
    (higher is better; 0 for unaligned sentences).
    """
    from ..errors import AlignerError
    from ..formats import format_for
    from ..formats.jsonl import write_jsonl
    from ..formats.moses import write_moses
    from ..formats.tsv import write_tsv
    from ..pipeline import align_texts
    from ..read import read_text
    from ..script import check_pair

    fmt = format_for(output, fmt)
    if html_path == "-" and output == "-":
        raise AlignerError("--html - and -o - would both write to stdout; give one a file name.")
    check_outputs_not_inputs([output, html_path], [src_file, tgt_file])
    if mode == "comparable":
        unused = [name for name, value, default in (
            ("--max-src", max_src, 4), ("--max-tgt", max_tgt, 4), ("--max-total", max_total, None),
            ("--skip-cost", skip_cost, None), ("--windows", windows, "encode"),
            ("--costs", costs, "auto"),
        ) if value != default]  # fmt: skip
        if unused:
            warn(f"{', '.join(unused)} only apply to --mode parallel; ignored.")
    elif threshold is not None:
        warn("--threshold only applies to --mode comparable; ignored.")
    t0 = time.perf_counter()
    src = read_text(src_file, encoding)
    tgt = read_text(tgt_file, encoding)
    if verbose:
        click.echo(f"{src_file}: {src.encoding}; {tgt_file}: {tgt.encoding}", err=True)
    if not src.text.strip() and not tgt.text.strip():
        raise AlignerError(f"{src_file} and {tgt_file} are both empty: nothing to align.")
    for name, side in ((src_file, src), (tgt_file, tgt)):
        if side.replaced:
            warn(f"{name}: {side.replaced} undecodable bytes replaced by U+FFFD (damaged UTF-8).")
        if not side.text.strip():
            warn(f"{name} is empty: every sentence of the other file is reported unaligned.")
    if not force:
        check_pair(src.text, tgt.text, src_lang, tgt_lang, str(src_file), str(tgt_file))
    params, embedder = build_params_and_embedder(
        model, threads, no_cache, windows, max_src, max_tgt, skip_cost, costs, max_total
    )
    if mode == "comparable":
        from ..comparable import ComparableParams, align_comparable

        cparams = ComparableParams()
        if threshold is not None:
            cparams = ComparableParams(threshold=threshold)
        result = align_comparable(
            src.text, tgt.text, src_lang=src_lang, tgt_lang=tgt_lang, embedder=embedder,
            params=cparams,
        )  # fmt: skip
    else:
        result = align_texts(
            src.text, tgt.text, src_lang=src_lang, tgt_lang=tgt_lang, embedder=embedder,
            params=params,
        )  # fmt: skip
        from ..comparable import looks_comparable

        both_sides = bool(result.src) and bool(result.tgt)
        if not quiet and both_sides and looks_comparable(result):
            click.echo(
                "aligner: note: most sentences are unaligned or low-scored; if these texts are "
                "related but not translations, try --mode comparable.",
                err=True,
            )
    extra = ""
    if fmt == "tsv":
        write_tsv(result, output, header=header, min_score=min_score)
    elif fmt == "jsonl":
        write_jsonl(result, output, min_score=min_score)
    elif fmt == "moses":
        if output == "-":
            raise AlignerError("Moses output is two files: give -o PREFIX (writes PREFIX.en ...).")
        src_out, tgt_out, lines = write_moses(result, output, min_score=min_score)
        extra = f", {lines} lines in {src_out} and {tgt_out}"
    else:
        stats = result.to_tmx(
            output, src_code=tmx_src_code, tgt_code=tmx_tgt_code,
            include_unaligned=tmx_include_unaligned, min_score=min_score, props=tmx_props,
            dedupe=tmx_dedupe, source_file=str(src_file), target_file=str(tgt_file),
        )  # fmt: skip
        extra = f", {stats['units']} TMX units"
        if stats["duplicates_removed"]:
            extra += f", {stats['duplicates_removed']} duplicates removed"
        if stats["illegal_chars_removed"]:
            extra += f", {stats['illegal_chars_removed']} illegal characters removed"
    if html_path:
        result.to_html(html_path, embedder=embedder)
        extra += f", review page {html_path}"
    if not quiet and output != "-":
        s = result.summary()
        click.echo(
            f"{output}: {s['pairs']} pairs, {s['unaligned_src']} + {s['unaligned_tgt']} "
            f"unaligned ({src_lang} + {tgt_lang}), mean score {s['mean_score']:.3f}{extra}, "
            f"{time.perf_counter() - t0:.1f} s",
            err=True,
        )
    if verbose:
        print_verbose(result, embedder)
