"""`aligner review`: correct an alignment in the browser, every edit saved as it is made."""

from __future__ import annotations

import click

from .common import build_embedder, build_params, print_warnings, run_options
from .options import input_options, model_options, review_options


@click.command("review")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option("--session", type=click.Path(dir_okay=False), default=None,
              help="Where to keep the review (the alignment, statuses and edit history). "
              "Default: beside FILE (out.jsonl → out.review.json; en.txt + ko.txt → "
              "en.ko.review.json). An existing review there is resumed.")  # fmt: skip
@click.option(
    "--mode", type=click.Choice(["parallel", "comparable", "auto"]), default="parallel",
    show_default=True, help="Two documents: how to align them first (see `aligner align`).",
)  # fmt: skip
@review_options
@input_options("the source document", "the target document",
               "for both documents (default: detect)",
               "Align even when a document does not look like its language.")  # fmt: skip
@model_options
@run_options
def review_cmd(files, session, mode, port, no_browser, src_lang, tgt_lang, encoding, force,
               quiet, verbose, **opts):  # fmt: skip
    """Review and correct an alignment in your browser.

    FILES is an alignment JSONL (`aligner align … -o out.jsonl`), a review file
    (*.review.json), or two documents to align first. The editor is a page served on
    127.0.0.1 only, behind a link with a random token; it shows both texts side by side,
    one row per bead coloured by score, and lets you merge, split, move sentences, pair,
    unpair, confirm, reject, edit text and undo, all from the keyboard (press ? there).

    Every edit is saved at once, with its undo history, to the review file: stopping the
    server or closing the browser loses nothing, and running the same command again
    resumes. Export TMX, TSV or JSONL from the page (confirmed beads are marked).
    """
    from ..review.session import review_alignment_file, review_documents

    embedder = build_embedder(**opts)
    if len(files) == 1:
        path, review = review_alignment_file(files[0], session=session)
    elif len(files) == 2:
        path, review = review_documents(
            *files, session=session, src_lang=src_lang, tgt_lang=tgt_lang, embedder=embedder,
            params=build_params(**opts), mode=mode, encoding=encoding, force=force,
        )  # fmt: skip
        print_warnings(review.alignment)
    else:
        raise click.UsageError(
            "give one alignment JSONL (or review file), or two documents to align."
        )
    open_editor(path, review, embedder=embedder, port=port, open_browser=not no_browser,
                quiet=quiet)  # fmt: skip


def open_editor(path, review, *, embedder, port: int, open_browser: bool, quiet: bool) -> None:
    """Serve the editor over the review kept in ``path`` until Ctrl+C."""
    from ..review.server import serve
    from ..review.store import ReviewStore

    s = review.alignment.summary()
    if not quiet:
        click.echo(
            f"aligner: reviewing {path} ({len(review.alignment.beads)} beads, {s['pairs']} "
            f"pairs, version {review.version}); every edit is saved there.",
            err=True,
        )

    def announce(url: str) -> None:
        click.echo(f"Review editor: {url}")
        if not quiet:
            click.echo("aligner: press Ctrl+C to stop the editor.", err=True)

    try:
        serve(ReviewStore(path, review), embedder=embedder, port=port,
              open_browser=open_browser, announce=announce)  # fmt: skip
    except KeyboardInterrupt:
        pass
    if not quiet:
        click.echo(f"aligner: editor stopped; the review is saved in {path}.", err=True)
