"""`aligner convert`: our TSV/JSONL/XLSX (edited or not) to TMX, Moses, TSV, JSONL or XLSX."""

from __future__ import annotations

import click

from .common import run_options, warn, writer_options
from .options import LANG, header_option, min_score_option, tmx_options


@click.command("convert")
@click.argument("in_file", type=click.Path())
@click.argument("out_file", type=click.Path(allow_dash=True))
@click.option("--from", "in_fmt", type=click.Choice(["tsv", "jsonl", "xlsx"]), default=None,
              help="Input format (default: from the extension).")  # fmt: skip
@click.option("-f", "--format", "out_fmt",
              type=click.Choice(["tsv", "jsonl", "tmx", "moses", "xlsx"]), default=None,
              help="Output format (default: from the extension).")  # fmt: skip
@click.option("--src-lang", default=None, type=LANG,
              help="Source language (default: JSONL meta or en).")  # fmt: skip
@click.option("--tgt-lang", default=None, type=LANG,
              help="Target language (default: JSONL meta or ko).")  # fmt: skip
@min_score_option
@header_option
@tmx_options
@run_options
def convert_cmd(in_file, out_file, in_fmt, out_fmt, src_lang, tgt_lang, quiet, verbose, **opts):
    """Convert IN_FILE (our TSV, JSONL or XLSX) to OUT_FILE (.tmx, .tsv, .jsonl, .xlsx, or
    Moses files).

    For a reviewed alignment: `aligner align EN KO -o review.xlsx`, fix or delete rows in
    LibreOffice or Excel, save, then `aligner convert review.xlsx reviewed.tmx`. A TSV saved
    by a spreadsheet works too (its CSV quoting is undone, and every cell that was quoted is
    reported, to check). Columns are src_text, tgt_text[, score, type, src_ids, tgt_ids];
    the header row is optional.
    """
    from ..formats import format_for
    from ..formats.convert import convert

    fmt = format_for(out_file, out_fmt)
    stats = convert(in_file, out_file, in_fmt=in_fmt, out_fmt=fmt, src_lang=src_lang,
                    tgt_lang=tgt_lang, **writer_options(fmt, opts))  # fmt: skip
    for change in stats["changes"]:
        warn(change)
    if not quiet and out_file != "-":
        where = " + ".join(stats.get("files", [out_file]))
        extra = ""
        if stats.get("duplicates_removed"):
            extra = f", {stats['duplicates_removed']} duplicates removed"
        rows = stats.get("rows_written", stats["written"])
        written = f"{rows} of {stats['rows']} rows written"
        if stats["written"] != rows:  # --tmx-per-segment
            written += f" as {stats['written']} units, one per source segment"
        click.echo(f"{where}: {written}{extra}", err=True)
