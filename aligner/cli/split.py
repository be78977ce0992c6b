"""`aligner split`: one sentence per line, for inspecting what the aligner will see."""

from __future__ import annotations

import click

from .common import run_options


@click.command("split")
@click.argument("file", type=click.Path(allow_dash=True))
@click.option("-l", "--lang", required=True, help="Language code of the text (en, ko, ...).")
@click.option("--encoding", default=None, help="Input encoding (default: detected).")
@click.option("--offsets", is_flag=True, help="Prefix each line with paragraph, start and end.")
@run_options
def split_cmd(file, lang, encoding, offsets, quiet, verbose):
    """Split FILE into sentences, one per line (blank lines separate paragraphs)."""
    from ..read import read_text
    from ..segment import split_text

    decoded = read_text(file, encoding)
    if verbose:
        click.echo(f"{file}: read as {decoded.encoding}", err=True)
    for s in split_text(decoded.text, lang):
        line = s.text.replace("\n", " ")
        click.echo(f"{s.para}\t{s.start}\t{s.end}\t{line}" if offsets else line)
