"""`aligner convert`: our TSV/JSONL (edited or not) to TMX, Moses, TSV or JSONL."""

from __future__ import annotations

import click

from .common import check_outputs_not_inputs, run_options


@click.command("convert")
@click.argument("in_file", type=click.Path(dir_okay=False))
@click.argument("out_file", type=click.Path(dir_okay=False, allow_dash=True))
@click.option("--from", "in_fmt", type=click.Choice(["tsv", "jsonl"]), default=None,
              help="Input format (default: from the extension).")  # fmt: skip
@click.option("-f", "--format", "out_fmt", type=click.Choice(["tsv", "jsonl", "tmx", "moses"]),
              default=None, help="Output format (default: from the extension).")  # fmt: skip
@click.option("--src-lang", default=None, help="Source language (default: JSONL meta or en).")
@click.option("--tgt-lang", default=None, help="Target language (default: JSONL meta or ko).")
@click.option(
    "--min-score",
    type=float,
    default=None,
    help="Drop aligned rows scoring under this (similarity, higher is better).",
)
@click.option("--header", is_flag=True, help="TSV output: write a header row.")
@click.option("--tmx-src-code", default=None, help="TMX language code of the source (en-US).")
@click.option("--tmx-tgt-code", default=None, help="TMX language code of the target (ko-KR).")
@click.option(
    "--tmx-props",
    type=click.Choice(["none", "minimal", "full"]),
    default="minimal",
    show_default=True,
    help="TMX <prop>s per unit (full adds ids and file names).",
)
@click.option(
    "--tmx-dedupe", is_flag=True, help="TMX: drop duplicate pairs (ignoring case, width, spacing)."
)
@click.option("--tmx-include-unaligned", is_flag=True, help="TMX: keep rows with one side only.")
@run_options
def convert_cmd(
    in_file, out_file, in_fmt, out_fmt, src_lang, tgt_lang, min_score, header,
    tmx_src_code, tmx_tgt_code, tmx_props, tmx_dedupe, tmx_include_unaligned, quiet, verbose,
):  # fmt: skip
    """Convert IN_FILE (our TSV or JSONL) to OUT_FILE (.tmx, .tsv, .jsonl, or Moses files).

    For a reviewed alignment: edit the TSV in a spreadsheet (fix or delete rows, keep it
    tab-separated UTF-8), then `aligner convert edited.tsv reviewed.tmx`. TSV columns are
    src_text, tgt_text[, score, type, src_ids, tgt_ids]; the header row is optional.
    """
    from ..formats.convert import convert
    from ..formats.moses import moses_paths

    outputs = [out_file]
    if out_fmt == "moses" or str(out_file).lower().endswith(".moses"):
        outputs = list(moses_paths(out_file, src_lang, tgt_lang))
    check_outputs_not_inputs(outputs, [in_file])
    options = {}
    if (out_fmt or "") == "tmx" or str(out_file).lower().endswith(".tmx"):
        options = dict(
            src_code=tmx_src_code, tgt_code=tmx_tgt_code, props=tmx_props, dedupe=tmx_dedupe,
            include_unaligned=tmx_include_unaligned, source_file=None, target_file=None,
        )  # fmt: skip
    stats = convert(
        in_file, out_file, in_fmt=in_fmt, out_fmt=out_fmt, src_lang=src_lang,
        tgt_lang=tgt_lang, min_score=min_score, header=header, **options,
    )  # fmt: skip
    if not quiet and out_file != "-":
        where = " + ".join(stats.get("files", [out_file]))
        extra = ""
        if stats.get("duplicates_removed"):
            extra = f", {stats['duplicates_removed']} duplicates removed"
        click.echo(f"{where}: {stats['written']} of {stats['rows']} rows written{extra}", err=True)
