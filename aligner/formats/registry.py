"""One registry of formats: which file a name or extension means, who writes it, who reads it.

Every command (align, batch, convert, mine) and the review editor write through
:func:`write`: the format comes from ``fmt`` or the extension, every output path is checked
against every input and against the run's other outputs, and the file appears atomically (a
half-written output never looks complete). Text formats can also go to stdout (``-``).
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ..errors import AlignerError
from ._io import check_outputs, write_text_output
from .jsonl import read_jsonl, render_jsonl
from .moses import moses_paths, write_moses
from .parquet import read_parquet, write_parquet
from .tmx import write_tmx
from .tsv import read_tsv, render_tsv
from .units import Table, as_table
from .xlsx import read_xlsx, write_xlsx


def _html(result, **options) -> tuple[str, dict]:
    from ..review.html import render_page  # the review page needs numpy and the embedder

    return render_page(result, **options), {}


def _moses_paths(path, table) -> list[Path]:
    return moses_paths(path, table.src_lang, table.tgt_lang)


@dataclass(frozen=True)
class Format:
    """A format: ``render`` makes text (stdout or an atomic file), ``write`` writes files
    itself (streamed or several files); ``paths`` names the files one output makes."""

    name: str
    extensions: tuple[str, ...]
    render: Callable | None = None
    write: Callable | None = None
    paths: Callable = lambda path, table: [Path(path)]
    needs_alignment: bool = False  # the review page needs sentences, not only units


FORMATS: dict[str, Format] = {
    f.name: f
    for f in (
        Format("tsv", (".tsv", ".txt"), render=render_tsv),
        Format("jsonl", (".jsonl",), render=render_jsonl),
        Format("tmx", (".tmx",), write=write_tmx),
        Format("moses", (".moses",), write=write_moses, paths=_moses_paths),
        Format("xlsx", (".xlsx",), write=write_xlsx),
        Format("parquet", (".parquet",), write=write_parquet),
        Format("html", (".html", ".htm"), render=_html, needs_alignment=True),
    )
}
READERS = {
    "tsv": ((".tsv", ".txt"), read_tsv),
    "jsonl": ((".jsonl",), read_jsonl),
    "xlsx": ((".xlsx",), read_xlsx),
    "parquet": ((".parquet",), read_parquet),
}


def format_for(path: str | Path, explicit: str | None = None) -> str:
    """Output format from ``fmt`` or the file extension; '-' means TSV on stdout."""
    path = str(path)
    if explicit and explicit not in FORMATS:
        raise AlignerError(f"unknown format {explicit!r}; use one of {', '.join(FORMATS)}.")
    if path == "-" and explicit and FORMATS[explicit].render is None:
        raise AlignerError(
            f"{explicit.upper() if explicit in ('tmx', 'xlsx') else explicit.capitalize()} output "
            "cannot go to "
            "stdout; give -o FILE (stdout takes TSV or JSONL)."
        )
    if explicit:
        return explicit
    if path == "-":
        return "tsv"
    ext = Path(path).suffix.lower()
    for f in FORMATS.values():
        if ext in f.extensions:
            return f.name
    known = ", ".join(sorted(e for f in FORMATS.values() for e in f.extensions))
    raise AlignerError(
        f"{path}: cannot tell the output format from '{ext or 'no extension'}'; "
        f"use one of {known} or pass --format."
    )


def output_paths(result, path: str | Path, fmt: str | None = None) -> list[Path]:
    """The files that writing ``result`` to ``path`` makes (Moses: two), for checks made
    before any work; '-' gives none."""
    if str(path) == "-":
        return []
    f = FORMATS[format_for(path, fmt)]
    return f.paths(path, result if isinstance(result, Table) else _langs(result))


def _langs(result) -> Table:
    return Table([], result.src_lang, result.tgt_lang)


def _inputs(result) -> tuple[str, ...]:
    if isinstance(result, Table):
        return result.inputs
    paths = result.info.get("inputs", {})
    return tuple(p for p in (paths.get("src_path"), paths.get("tgt_path")) if p)


def write(result, path: str | Path, fmt: str | None = None, *, inputs=(), **options) -> dict:
    """Write an Alignment (or a Table read back) as ``fmt`` (default: from the extension).

    Refuses to write over any input (those given and those the result was read from) and
    writes atomically; ``-`` writes text formats to stdout. Returns the writer's counts,
    ``written`` among them.
    """
    f = FORMATS[format_for(path, fmt)]
    subject = _subject(result, f)
    check_outputs(output_paths(result, path, f.name), [*inputs, *_inputs(result)])
    if f.write is not None:
        return f.write(subject, path, **options)
    text, stats = f.render(subject, **options)
    write_text_output(text, path)
    if str(path) == "-":
        sys.stdout.flush()
    return stats


def render(result, fmt: str, **options) -> str:
    """The text of a text format (TSV, JSONL, HTML), for notebooks and tests."""
    f = FORMATS[format_for("-", fmt)] if fmt in FORMATS else None
    if f is None or f.render is None:
        raise AlignerError(f"{fmt}: not a text format; write it to a file instead.")
    return f.render(_subject(result, f), **options)[0]


def _subject(result, f: Format):
    if f.needs_alignment:
        if isinstance(result, Table):
            raise AlignerError(f"{f.name} output needs an alignment, not rows read from a file.")
        return result
    return as_table(result)


def read(path: str | Path, fmt: str | None = None) -> Table:
    """Rows of our TSV, JSONL or XLSX (edited or not), or Parquet, as a Table; ``Table.changes``
    says what reading them had to change (a spreadsheet's quoting, a number in a text cell)."""
    ext = Path(path).suffix.lower()
    fmt = fmt or next((name for name, (exts, _) in READERS.items() if ext in exts), None)
    if fmt not in READERS:
        raise AlignerError(
            f"{path}: cannot tell the input format; use a .tsv, .jsonl, .xlsx or .parquet file "
            "or pass --from."
        )
    return READERS[fmt][1](path)


def options_for(fmt: str, **options) -> dict:
    """The options among ``options`` that the writer of ``fmt`` takes (the CLI offers one set
    of flags for every format); None values are left out so the writer's defaults apply."""
    import inspect

    f = FORMATS[fmt]
    fn = f.render or f.write
    if fmt == "html":
        from ..review.html import render_page as fn
    params = inspect.signature(fn).parameters
    accepted = {k for k, p in params.items() if p.kind is inspect.Parameter.KEYWORD_ONLY}
    return {k: v for k, v in options.items() if k in accepted and v is not None}
