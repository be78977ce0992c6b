"""`aligner split`: one sentence per line, for inspecting what the aligner will see."""

from __future__ import annotations

import click

from .common import run_options
from .options import no_cache_option, segment_options


@click.command("split")
@click.argument("file", type=click.Path(allow_dash=True))
@click.option("-l", "--lang", required=True, help="Language code of the text (en, ko, ...).")
@click.option("--encoding", default=None, help="Input encoding (default: detected).")
@click.option("--offsets", is_flag=True, help="Prefix each line with paragraph, start and end.")
@segment_options
@no_cache_option("sentence splits")
@run_options
def split_cmd(file, lang, encoding, offsets, segments, srx, no_cache, quiet, verbose):
    """Split FILE (text or a document: .docx, .html, .srt, .pdf, ...) into sentences, one per
    line, as `aligner align` will see them (kept in the split cache, so a later `aligner
    align` of the same text does not split it again)."""
    from ..embed.cache import default_cache_dir
    from ..read import read_text
    from ..segment import split_text

    decoded = read_text(file, encoding, lang=lang)
    if verbose:
        click.echo(f"{file}: read as {decoded.format}, {decoded.encoding}", err=True)
    if srx is not None and segments == "lines":
        raise click.UsageError("--srx and --segments lines exclude each other; give one.")
    cache_dir = None if no_cache else default_cache_dir()
    for s in split_text(decoded.text, lang, segments=segments, srx=srx, cache_dir=cache_dir):
        line = s.text.replace("\n", " ")
        click.echo(f"{s.para}\t{s.start}\t{s.end}\t{line}" if offsets else line)
