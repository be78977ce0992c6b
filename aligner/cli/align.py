"""`aligner align`: two text files in, TSV / JSONL / TMX / Moses (and a review page) out."""

from __future__ import annotations

import time

import click

from .common import (
    build_embedder,
    build_params,
    print_verbose,
    print_warnings,
    run_options,
    warn,
    writer_options,
)
from .options import (
    NUMBER,
    compute_options,
    format_option,
    header_option,
    input_options,
    min_score_option,
    model_options,
    output_option,
    review_options,
    segment_options,
    tmx_options,
)

# Options that only the parallel mode reads, with their defaults (named when ignored).
_PARALLEL_ONLY = (("max_src", None), ("max_tgt", None), ("max_total", None), ("skip_cost", None),
                  ("windows", "pool"), ("costs", "auto"), ("unaligned", None),
                  ("resplit", True))  # fmt: skip


@click.command("align")
@click.argument("src_file", type=click.Path(allow_dash=True))
@click.argument("tgt_file", type=click.Path(allow_dash=True), required=False)
@output_option(
    "Output file; format from the extension (.tsv, .jsonl, .tmx, .xlsx, .moses); '-' = TSV on "
    "stdout. Moses: '-o out' with '-f moses' (or '-o out.moses') writes out.en and out.ko."
)
@format_option("tsv", "jsonl", "tmx", "moses", "xlsx")
@input_options("SRC_FILE", "TGT_FILE", "for both files (default: detect)",
               "Align even when a file does not look like its language (e.g. Korean text "
               "given as the English side).")  # fmt: skip
@segment_options
@header_option
@tmx_options
@min_score_option
@click.option("--html", "html_path", default=None, type=click.Path(),
              help="Also write a self-contained HTML review page (side by side, scores, "
              "heatmap).")  # fmt: skip
@click.option(
    "--mode", type=click.Choice(["auto", "parallel", "comparable"]), default="auto",
    show_default=True,
    help="'auto': decide from the texts and say why: translations are aligned in parallel, "
    "related texts in comparable mode, unrelated texts get no pairs. 'parallel': "
    "translations, in order (every sentence in a bead). 'comparable': related texts that are "
    "not translations (e.g. an English report and its related Korean article): only the pairs "
    "that really correspond, crossing allowed, the rest unaligned (a TMX holds only those "
    "pairs).",
)  # fmt: skip
@click.option("--threshold", type=NUMBER, default=None,
              help="Comparable mode: probability a pair needs (0-1; default 0.75, chosen on "
              "benchmarks/comparable.md). Higher = fewer, surer pairs.")  # fmt: skip
@click.option("--review", is_flag=True,
              help="Then open the result in the review editor (see `aligner review`), kept in "
              "OUTPUT's .review.json (or SRC.TGT.review.json when the output is stdout, which "
              "then gets nothing).")  # fmt: skip
@review_options
@model_options
@compute_options
@run_options
def align_cmd(src_file, tgt_file, output, fmt, html_path, mode, threshold, force, encoding,
              src_lang, tgt_lang, segments, srx, review, port, no_browser, quiet, verbose,
              **opts):  # fmt: skip
    """Align SRC_FILE (English by default) with TGT_FILE (Korean by default).

    Plain text in any encoding, or documents: .docx, .odt, .html, .md, .pdf (with a text
    layer), .srt/.vtt subtitles (cue timing goes into TMX props), .xliff and .tmx. A
    bilingual XLIFF or TMX holds both sides: give it alone (or twice) to re-align it.

    Every sentence ends up in exactly one bead. Parallel mode: aligned groups of up to
    --max-total sentences (1-1, 1-2, 2-1, 2-2, 1-3, 3-1; on long texts also 1-4, 4-1, 2-3,
    3-2, and larger where the text needs them) or unaligned (1-0, 0-1; a run of unaligned
    sentences is one bead, 3-0, unless --unaligned sentence); the score is the cosine
    similarity of the two sides. Comparable mode: pairs (1-1, 2-1, 1-2) that may cross, the
    rest unaligned; the score is the probability that the pair corresponds. Higher is better
    in both; 0 for unaligned sentences. --mode auto (the default) prints which mode it chose
    and why.
    """
    from ..api import align_files
    from ..errors import AlignerError
    from ..formats import Table, format_for, output_paths, write
    from ..formats._io import check_outputs
    from ..matching.comparable import ComparableParams

    fmt = format_for(output, fmt)
    tgt_file = tgt_file or _bilingual(src_file)
    if srx is not None and segments == "lines":
        raise click.UsageError("--srx and --segments lines exclude each other; give one.")
    if html_path == "-" and output == "-":
        raise AlignerError("--html - and -o - would both write to stdout; give one a file name.")
    langs = Table([], src_lang, tgt_lang)
    planned = output_paths(langs, output, fmt) + (output_paths(langs, html_path, "html")
                                                 if html_path else [])  # fmt: skip
    check_outputs(planned, [src_file, tgt_file])
    session = _review_session(output, src_file, tgt_file) if review else None
    _name_ignored(mode, threshold, opts)
    t0 = time.perf_counter()
    params, embedder = build_params(**opts), build_embedder(**opts)
    comparable = ComparableParams(threshold=threshold) if threshold is not None else None
    result = align_files(
        src_file, tgt_file, src_lang=src_lang, tgt_lang=tgt_lang, embedder=embedder,
        params=params, mode=mode, comparable=comparable, encoding=encoding, force=force,
        segments=segments, srx=srx,
    )  # fmt: skip
    print_warnings(result)
    if not quiet and "mode_choice" in result.info:
        choice = result.info["mode_choice"]
        click.echo(f"mode: {choice['mode']} ({choice['reason']})", err=True)
    files = {"source_file": str(src_file), "target_file": str(tgt_file)}
    stats = (
        {}
        if review and output == "-"
        else write(result, output, fmt, **writer_options(fmt, opts, **files))
    )
    if html_path:
        write(result, html_path, "html", embedder=embedder)
    if not quiet and output != "-":
        click.echo(f"{output}: {_summary(result, stats, html_path)}, "
                   f"{time.perf_counter() - t0:.1f} s", err=True)  # fmt: skip
    if verbose:
        print_verbose(result, embedder)
    if session is not None:
        from ..review.session import review_result
        from .review import open_editor

        path, started = review_result(result, session)
        open_editor(path, started, embedder=embedder, port=port, open_browser=not no_browser,
                    quiet=quiet)  # fmt: skip


def _review_session(output, src_file, tgt_file):
    """Where --review keeps the review; refused before any work if one is under way there."""
    from ..review.session import check_new
    from ..review.store import sidecar_for, sidecar_for_documents

    if output == "-":
        session = sidecar_for_documents(src_file, tgt_file)
    else:
        session = sidecar_for(output)
    check_new(session)
    return session


def _bilingual(src_file: str) -> str:
    """TGT_FILE left out: a bilingual file (XLIFF, TMX) is both sides; anything else is a
    usage error."""
    from pathlib import Path

    if Path(src_file).suffix.lower() in (".xliff", ".xlf", ".tmx"):
        return src_file
    raise click.UsageError(
        "give TGT_FILE too: only a bilingual file (.xliff, .xlf, .tmx) holds both sides."
    )


def _name_ignored(mode: str, threshold, opts: dict) -> None:
    """Warn about options the chosen mode does not read."""
    if mode == "comparable":
        unused = [f"--{k.replace('_', '-')}" for k, d in _PARALLEL_ONLY if opts.get(k) != d]
        if unused:
            warn(f"{', '.join(unused)} only apply to --mode parallel; ignored.")
    elif mode == "parallel" and threshold is not None:
        warn("--threshold only applies to --mode comparable; ignored.")


def _summary(result, stats: dict, html_path) -> str:
    s = result.summary()
    text = (
        f"{s['pairs']} pairs, {s['unaligned_src']} + {s['unaligned_tgt']} unaligned "
        f"({result.src_lang} + {result.tgt_lang}), mean score {s['mean_score']:.3f}"
    )
    if "files" in stats:
        text += f", {stats['written']} lines in {' and '.join(stats['files'])}"
    elif "units" in stats:
        text += f", {stats['units']} TMX units"
    for key, what in (("duplicates_removed", "duplicates removed"),
                      ("illegal_chars_removed", "illegal characters removed")):  # fmt: skip
        if stats.get(key):
            text += f", {stats[key]} {what}"
    if html_path:
        text += f", review page {html_path}"
    return text
