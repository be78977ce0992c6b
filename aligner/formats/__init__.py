"""Formats the ecosystem takes as they are: TSV, JSONL, TMX 1.4, Moses, the HTML review page,
DataFrames; one registry (:mod:`.registry`) chooses and writes them."""

from __future__ import annotations

from .registry import FORMATS, format_for, options_for, output_paths, read, render, write
from .units import Table, Unit

__all__ = [
    "FORMATS",
    "Table",
    "Unit",
    "format_for",
    "options_for",
    "output_paths",
    "read",
    "render",
    "write",
]
