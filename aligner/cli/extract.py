"""`aligner extract`: a saved bilingual page in, DIR/en.txt and DIR/ko.txt out."""

from __future__ import annotations

from pathlib import Path

import click

from .common import run_options


@click.command("extract")
@click.argument("page", type=click.Path(allow_dash=True))
@click.option(
    "-o", "--output-dir", required=True, type=click.Path(),
    help="Folder for en.txt and ko.txt (created if missing; existing files are replaced).",
)  # fmt: skip
@click.option(
    "--input-format", type=click.Choice(["auto", "text", "html"]), default="auto",
    show_default=True, help="How to read PAGE; 'auto' looks at the content.",
)  # fmt: skip
@click.option("--encoding", default=None, help="Input encoding (default: detect).")
@click.option("--show-dropped", is_flag=True, help="List every dropped line, with its reason.")
@run_options
def extract_cmd(page, output_dir, input_format, encoding, show_dropped, quiet, verbose):
    """Split a saved web PAGE holding English and Korean text into DIR/en.txt and DIR/ko.txt.

    Lines go to the language most of their letters are written in (Hangul share >= 0.5 is
    Korean). Navigation, share/print/login/comment widgets, "What's Popular Now", empty image
    captions, repeated titles and section markers ("Related Korean Article") are dropped;
    bylines ("By ...", "글=...기자") and photo credits ("[YONHAP]") are kept as metadata, not as
    text to align; Korean inline sub-heads ("* 소제목=본문") become a heading line of their own.
    Accepts plain text or a saved .html page.
    """
    from ..errors import AlignerError
    from ..read import read_text
    from ..read.decode import decode_bytes, read_bytes
    from ..read.page import extract_page, write_extracted

    decoded = read_text(page, encoding)
    html = None if input_format == "auto" else input_format == "html"
    text = decoded.text
    if decoded.format == "html":  # the page's own markup: its furniture (nav, footer) goes whole
        text, html = decode_bytes(read_bytes(page), str(page), decoded.encoding).text, True
    result = extract_page(text, html=html)
    if not result.en.strip() or not result.ko.strip():
        missing = "English" if not result.en.strip() else "Korean"
        raise AlignerError(f"{page}: no {missing} text found; is this a page with both languages?")
    out = Path(output_dir)
    write_extracted(result, out, inputs=[page])
    if show_dropped:
        for d in result.dropped:
            click.echo(f"{d.line}\t{d.reason}\t{d.text}")
    if verbose:
        for kind, text in result.metadata:
            click.echo(f"metadata\t{kind}\t{text}", err=True)
    if not quiet:
        s = result.summary()
        click.echo(
            f"{out}/en.txt: {s['en_lines']} lines; {out}/ko.txt: {s['ko_lines']} lines; "
            f"{s['dropped']} lines dropped, {s['metadata']} metadata items"
            + ("" if show_dropped else " (--show-dropped lists them)"),
            err=True,
        )
