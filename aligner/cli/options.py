"""The flags commands share, declared once each: a command stacks the groups it needs.

``stack(*options)`` turns a list of click options into one decorator; the groups below are
such stacks, so a flag's name, default and help read the same in every command's --help.
"""

from __future__ import annotations

import math

import click

from ..formats.langtags import tag_problem

DEFAULT_MODEL = "usem3"
_CHOICE = {"show_default": True}


class FiniteFloat(click.ParamType):
    """A real number (NaN and infinities refused: ``--min-score nan`` would keep nothing),
    optionally within [low, high]."""

    name = "number"

    def __init__(self, low: float | None = None, high: float | None = None):
        self.low, self.high = low, high

    def convert(self, value, param, ctx):
        try:
            x = float(value)
        except (TypeError, ValueError):
            self.fail(f"{value!r} is not a number.", param, ctx)
        if not math.isfinite(x):
            self.fail(f"{value!r} is not a finite number.", param, ctx)
        if (self.low is not None and x < self.low) or (self.high is not None and x > self.high):
            lo = "" if self.low is None else f"{self.low:g}"
            hi = "" if self.high is None else f"{self.high:g}"
            self.fail(f"{x:g} is outside the range [{lo}, {hi}].", param, ctx)
        return x


class LanguageTag(click.ParamType):
    """A BCP 47 language tag, checked before any work (``en_US`` → did you mean ``en-US``?)."""

    name = "tag"

    def convert(self, value, param, ctx):
        problem = tag_problem(str(value))
        if problem:
            self.fail(problem, param, ctx)
        return str(value)


NUMBER = FiniteFloat()
LANG = LanguageTag()


def stack(*options):
    """One decorator applying ``options`` in the order listed (as if written top to bottom)."""

    def apply(f):
        for option in reversed(options):
            f = option(f)
        return f

    return apply


def output_option(help: str):
    return click.option("-o", "--output", default="-", show_default=True, help=help)


min_score_option = click.option(
    "--min-score", type=NUMBER, default=None,
    help="Drop aligned beads scoring under this (similarity, higher is better; unaligned beads "
    "are kept in TSV/JSONL).",
)  # fmt: skip


def format_option(*names: str, dest: str = "fmt"):
    return click.option("-f", "--format", dest, type=click.Choice(list(names)), default=None)


def input_options(src: str, tgt: str, encoding: str, force: str):
    """--src-lang/--tgt-lang (help says what each side is), --encoding and --force."""
    return stack(
        click.option("--src-lang", default="en", type=LANG, **_CHOICE, help=f"Language of {src}."),
        click.option("--tgt-lang", default="ko", type=LANG, **_CHOICE, help=f"Language of {tgt}."),
        click.option("--encoding", default=None, help=f"Input encoding {encoding}."),
        click.option("--force", is_flag=True, help=force),
    )


segment_options = stack(
    click.option("--segments", type=click.Choice(["sentences", "lines"]), default="sentences",
                 **_CHOICE, help="'sentences': split into sentences. 'lines': every non-empty "
                 "line is one segment, never split (texts exported from a CAT tool, one verse "
                 "or subtitle per line): the memory then matches a CAT tool segmenting at line "
                 "breaks."),
    click.option("--srx", default=None, metavar="FILE",
                 help="Split the source side with these SRX 2.0 segmentation rules (a CAT "
                 "tool's own, exported), so memory units match the segments the CAT tool "
                 "shows; 'omegat' = the bundled rules mirroring OmegaT's default English "
                 "segmentation."),
)  # fmt: skip

header_option = click.option("--header", is_flag=True, help="TSV: write a header row.")


def no_cache_option(caches: str = "embeddings and sentence splits"):
    """``--no-cache``, saying which caches the command would use."""
    return click.option("--no-cache", is_flag=True,
                        help=f"Do not read or write the caches ({caches}).")  # fmt: skip


embed_options = stack(
    click.option("-m", "--model", default=DEFAULT_MODEL, **_CHOICE,
                 help="Embedding model: 'usem3' (bundled, offline) or any sentence-transformers "
                 "model name or local folder (needs the [st] extra)."),
    click.option("--threads", default=1, type=click.IntRange(min=1), **_CHOICE,
                 help="BLAS threads per embedding process (see --jobs; more than one rarely "
                 "pays on a busy machine)."),
    no_cache_option(),
)  # fmt: skip

# Where and how widely a command encodes (no short form: -j is batch's and mine's --workers).
compute_options = stack(
    click.option("--jobs", type=click.IntRange(min=0), default=0,
                 help="Processes that encode, each with its own copy of the model; 0 (default) "
                 "= one per CPU core, 1 = this process only. Results are identical for any "
                 "value. Short texts stay in one process."),
    click.option("--device", type=click.Choice(["cpu", "cuda", "mps"]), default=None,
                 help="sentence-transformers models: where to run (default: a GPU if torch sees "
                 "one, else cpu). On a GPU the model runs in half precision. The bundled "
                 "model runs on CPU."),
    click.option("--batch-size", type=click.IntRange(min=1), default=None,
                 help="sentence-transformers models: texts per forward pass (default 32 on "
                 "CPU, 256 on a GPU)."),
)  # fmt: skip

parallel_options = stack(
    click.option("--windows", type=click.Choice(["pool", "encode", "compose"]), default="pool",
                 **_CHOICE, help="Multi-sentence windows: 'pool' encodes each sentence once and "
                 "composes windows inside the model (as accurate as 'encode' on the dev sets, "
                 "about a third of the work; models without this re-encode); 'encode' "
                 "re-encodes each window's text (the exact reference); 'compose' sums sentence "
                 "vectors (least work, least accurate)."),
    click.option("--max-src", type=click.IntRange(1, 6), default=None,
                 help="Most source sentences per bead. Default: 4, up to 6 where the bead "
                 "limit grows (see --max-total)."),
    click.option("--max-tgt", type=click.IntRange(1, 6), default=None,
                 help="Most target sentences per bead. Default: 4, up to 6 where the bead "
                 "limit grows (see --max-total)."),
    click.option("--max-total", type=click.IntRange(2, 12), default=None,
                 help="Most sentences per bead, both sides together (5 allows 1-4, 2-3, 3-2, "
                 "4-1). Default: 4; 5 where the costs are fitted (see --costs); up to 8 where "
                 "the fitted alignment keeps using 5-sentence beads (literary translations). "
                 "Lower is faster (with --windows encode each window size is one more "
                 "embedding pass)."),
    click.option("--unaligned", type=click.Choice(["block", "sentence"]), default=None,
                 help="A run of unaligned sentences on one side: one bead ('block', a passage "
                 "left untranslated; the default) or one bead per sentence ('sentence'). "
                 "'aligner eval' follows the gold's form unless this is given."),
    click.option("--resplit/--no-resplit", default=True, **_CHOICE,
                 help="Let the aligner fix the sentence splitting: cut a sentence where the other "
                 "side of its bead shows a boundary the splitter missed, join one it cut where "
                 "no sentence ends (text the aligner splits into sentences only: given sentences, "
                 "--segments lines and --srx segments are kept)."),
    click.option("--skip-cost", type=FiniteFloat(low=0.0), default=None,
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
    click.option("--tmx-src-code", default=None, type=LANG,
                 help="TMX language code of the source (default: en-US for en)."),
    click.option("--tmx-tgt-code", default=None, type=LANG,
                 help="TMX language code of the target (default: ko-KR for ko)."),
    click.option("--tmx-include-unaligned", is_flag=True,
                 help="TMX: also write units with one side only."),
    click.option("--tmx-props", type=click.Choice(["none", "minimal", "full"]),
                 default="minimal", **_CHOICE,
                 help="TMX <prop>s per unit: minimal = x-score, x-alignment-type; full adds "
                 "x-src-ids, x-tgt-ids, x-source-file, x-target-file (none still writes "
                 "--tmx-per-segment's x-segment, which marks an empty translation as meant)."),
    click.option("--tmx-dedupe", is_flag=True,
                 help="TMX: drop duplicate (source, target) pairs (ignoring case, width, "
                 "spacing)."),
    click.option("--tmx-trados", is_flag=True,
                 help="TMX: add the props Trados Studio reads (x-Origin Alignment; reviewed "
                 "rows confirmed in `aligner review` get quality 100 and ApprovedTranslation)."),
    click.option("--tmx-per-segment", is_flag=True,
                 help="TMX for OmegaT: a bead of several source sentences becomes one unit per "
                 "sentence, the first with the whole translation, the others with an empty "
                 "one, as OmegaT stores a sentence its segmentation cut and the translator kept "
                 "whole; each segment of a pair then gets an exact match (with --srx omegat or "
                 "--segments lines). An empty translation is left out where the same segment "
                 "has a translation of its own. Tools that join segments in their editor "
                 "(Trados, memoQ) want the default: one unit per bead."),
)  # fmt: skip

# The review editor (aligner review, aligner align --review): a local web page.
review_options = stack(
    click.option("--port", type=click.IntRange(0, 65535), default=0,
                 help="Port of the editor on 127.0.0.1 (default: a free one)."),
    click.option("--no-browser", is_flag=True,
                 help="Print the editor's link without opening a browser."),
)  # fmt: skip
