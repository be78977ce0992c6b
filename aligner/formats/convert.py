"""Convert our TSV/JSONL/XLSX (possibly edited by a reviewer) to TMX, Moses, TSV, JSONL or
XLSX without aligning again. Rows keep their text, score, type and ids as written in the input;
whatever reading had to change (a spreadsheet's quoting) is returned as ``changes``."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from .registry import read, write


def convert(
    in_path: str | Path,
    out_path: str | Path,
    *,
    in_fmt: str | None = None,
    out_fmt: str | None = None,
    src_lang: str | None = None,
    tgt_lang: str | None = None,
    **options,
) -> dict:
    """Read ``in_path`` and write ``out_path`` (never over the input); ``options`` go to the
    writer (see :func:`aligner.formats.write`). Returns counts (``rows`` read, ``written``)
    and ``changes``: one line per thing reading had to change, for the user to check."""
    table = read(in_path, in_fmt)
    table = replace(table, src_lang=src_lang or table.src_lang, tgt_lang=tgt_lang or table.tgt_lang)
    stats = write(table, out_path, out_fmt, **options)
    return {"rows": len(table.units), **stats, "changes": list(table.changes)}
