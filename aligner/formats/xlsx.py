"""XLSX for the spreadsheet review (openpyxl): the TSV columns, a header row, text cells kept
as text. A spreadsheet's own file format keeps every quote, tab and leading zero that a TSV
opened in LibreOffice or Excel may lose; ``aligner convert reviewed.xlsx out.tmx`` reads it
back, reporting any cell that had to change."""

from __future__ import annotations

from pathlib import Path

from ..errors import AlignerError
from ._io import atomic_path
from .tsv import COLUMNS
from .units import Table, Unit, default_unaligned, parse_ids, parse_score, select_units, type_of

# Excel refuses longer cells (its documented limit).
MAX_CELL_CHARS = 32767
_WIDTHS = {"A": 70, "B": 70, "C": 8, "D": 8, "E": 10, "F": 10}


def write_xlsx(
    table: Table, path: str | Path, *, min_score: float | None = None,
    include_unaligned: bool | None = None,
) -> dict:  # fmt: skip
    """One sheet, a header row, one row per unit (unaligned rows kept except for mining);
    returns counts (``written``, ``illegal_chars_removed``)."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    units = select_units(table.units, default_unaligned(table, include_unaligned), min_score)
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("alignment")
    ws.freeze_panes = "A2"
    for col, width in _WIDTHS.items():
        ws.column_dimensions[col].width = width
    bold = Font(bold=True)
    header = []
    for name in COLUMNS:
        cell = WriteOnlyCell(ws, value=name)
        cell.font = bold
        header.append(cell)
    ws.append(header)
    removed = 0
    for u in units:
        src, n1 = _text_cell(ws, u.src_text)
        tgt, n2 = _text_cell(ws, u.tgt_text)
        removed += n1 + n2
        ids = [_text_cell(ws, ",".join(map(str, x)))[0] for x in (u.src_ids, u.tgt_ids)]
        ws.append([src, tgt, round(u.score, 4), _text_cell(ws, u.type)[0], *ids])
    with atomic_path(path) as tmp:
        wb.save(tmp)
    return {"written": len(units), "illegal_chars_removed": removed}


def _text_cell(ws, text: str):
    """A cell that stays text: never a formula (a segment may start with '='), never a
    number (ids '1,2'), no characters XML forbids."""
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    clean, n = ILLEGAL_CHARACTERS_RE.subn("", text)
    if len(clean) > MAX_CELL_CHARS:
        raise AlignerError(
            f"a segment of {len(clean)} characters is over Excel's {MAX_CELL_CHARS}-character "
            "cell limit; write TSV or JSONL instead."
        )
    cell = WriteOnlyCell(ws, value=clean)
    cell.data_type = "s"
    cell.number_format = "@"
    return cell, n


def read_xlsx(path: str | Path) -> Table:
    """The first sheet as written by :func:`write_xlsx` (edited or not): src_text, tgt_text[,
    score, type, src_ids, tgt_ids], header row optional. A cell that is not text where text
    belongs (a number, a date, a formula's cached value) is read as text and reported."""
    from openpyxl import load_workbook

    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except FileNotFoundError:
        raise AlignerError(f"{path}: no such file.") from None
    except Exception as e:  # openpyxl raises zipfile, KeyError and XML errors on bad files
        raise AlignerError(f"{path}: not a readable XLSX workbook ({type(e).__name__}).") from None
    ws = wb.worksheets[0]
    units, changes = [], []
    for n, values in enumerate(ws.iter_rows(values_only=True), 1):
        cells = [_as_text(v, n, i, changes, str(path)) for i, v in enumerate(values[:6])]
        if not cells or all(not c.strip() for c in cells) or cells[:2] == COLUMNS[:2]:
            continue
        where = f"{path}, row {n}"
        cells += [""] * (6 - len(cells))
        src_ids, tgt_ids = parse_ids(cells[4], where), parse_ids(cells[5], where)
        kind = cells[3].strip() or type_of(src_ids, tgt_ids, cells[0], cells[1])
        units.append(Unit(cells[0], cells[1], parse_score(cells[2], where), kind,
                          src_ids, tgt_ids))  # fmt: skip
    wb.close()
    return Table(units, inputs=(str(path),), changes=tuple(changes))


def _as_text(value, row: int, col: int, changes: list[str], path: str) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    text = f"{value:g}" if isinstance(value, float) else str(value)
    if col in (0, 1, 3):  # a text column holding a number or a date: say so
        changes.append(f"{path}: row {row} {COLUMNS[col]}: a {type(value).__name__} cell "
                       f"read as the text {text!r}.")  # fmt: skip
    return text
