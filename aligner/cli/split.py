"""`aligner split`: one sentence per line, for inspecting what the aligner will see."""

from __future__ import annotations

import click

from .common import run_options
from .options import segment_options


@click.command("split")
@click.argument("file", type=click.Path(allow_dash=True))
@click.option("-l", "--lang", required=True, help="Language code of the text (en, ko, ...).")
@click.option("--encoding", default=None, help="Input encoding (default: detected).")
@click.option("--offsets", is_flag=True, help="Prefix each line with paragraph, start and end.")
@segment_options
@run_options
def split_cmd(file, lang, encoding, offsets, segments, srx, quiet, verbose):
    """Split FILE (text or a document: .docx, .html, .srt, .pdf, ...) into sentences, one per
    line, as `aligner align` will see them."""
    from ..read import read_text
    from ..segment import split_text

    decoded = read_text(file, encoding, lang=lang)
    if verbose:
        click.echo(f"{file}: read as {decoded.format}, {decoded.encoding}", err=True)
    if srx is not None and segments == "lines":
        raise click.UsageError("--srx and --segments lines exclude each other; give one.")
    for s in split_text(decoded.text, lang, segments=segments, srx=srx):
        line = s.text.replace("\n", " ")
        click.echo(f"{s.para}\t{s.start}\t{s.end}\t{line}" if offsets else line)
