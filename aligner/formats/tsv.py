"""TSV for MT pipelines: `cut -f1,2` gives clean bitext."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from pathlib import Path

from ._io import write_text_output
from .units import Unit, select_units, units_from_alignment

# everything a reader may take as a field or line break (str.splitlines counts \x1c-\x1e, \x85)
_WS = re.compile(r"[\t\r\n\v\f\x1c\x1d\x1e\x85\u2028\u2029]+")
COLUMNS = ["src_text", "tgt_text", "score", "type", "src_ids", "tgt_ids"]


def clean_cell(text: str) -> str:
    return _WS.sub(" ", text).strip()


def units_tsv_lines(units: Iterable[Unit], header: bool = False) -> Iterator[str]:
    """One row per unit (no newline), after an optional header row."""
    if header:
        yield "\t".join(COLUMNS)
    for u in units:
        cells = [clean_cell(u.src_text), clean_cell(u.tgt_text), f"{u.score:.4f}", u.type]
        cells += [",".join(map(str, u.src_ids)), ",".join(map(str, u.tgt_ids))]
        yield "\t".join(cells)


def tsv_lines(alignment, header: bool = False, min_score: float | None = None) -> Iterator[str]:
    units = select_units(units_from_alignment(alignment), min_score=min_score)
    return units_tsv_lines(units, header)


def write_tsv(
    alignment, path: str | Path | None = None, header: bool = False, min_score: float | None = None
):
    """``min_score`` drops aligned beads scoring under it (unaligned beads stay: they score 0)."""
    text = "".join(line + "\n" for line in tsv_lines(alignment, header, min_score))
    return write_text_output(text, path)
