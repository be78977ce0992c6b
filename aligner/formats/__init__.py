"""Writers for the formats the ecosystem takes as they are: TSV, JSONL, TMX 1.4, DataFrames."""

from __future__ import annotations

from pathlib import Path

from ..errors import AlignerError

FORMATS = {".tsv": "tsv", ".txt": "tsv", ".jsonl": "jsonl", ".tmx": "tmx", ".moses": "moses"}


def format_for(path: str, explicit: str | None = None) -> str:
    """Output format from ``--format`` or the file extension; '-' means TSV on stdout."""
    if path == "-" and explicit in ("tmx", "moses"):
        raise AlignerError(
            f"{'TMX' if explicit == 'tmx' else 'Moses'} output cannot go to stdout; give -o FILE "
            "(stdout takes TSV or JSONL)."
        )
    if explicit:
        return explicit
    if path == "-":
        return "tsv"
    ext = Path(path).suffix.lower()
    if ext not in FORMATS:
        known = ", ".join(sorted(FORMATS))
        raise AlignerError(
            f"{path}: cannot tell the output format from '{ext or 'no extension'}'; "
            f"use one of {known} or pass --format."
        )
    return FORMATS[ext]
