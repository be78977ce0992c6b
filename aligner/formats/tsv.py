"""TSV for MT pipelines: `cut -f1,2` gives clean bitext; read back for a reviewer's edits.

Reviewed rows (any unit with a status) get a seventh column, ``status`` (confirmed, rejected
or empty), before the document columns; unreviewed tables keep the six columns.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from ..alignment import STATUSES
from ..errors import AlignerError
from ..read import decode_bytes
from ..read.decode import read_bytes
from . import units
from .units import Table, Unit, default_unaligned, parse_ids, parse_score, select_units, type_of

# everything a reader may take as a field or line break (str.splitlines counts \x1c-\x1e, \x85)
_WS = re.compile(r"[\t\r\n\v\f\x1c\x1d\x1e\x85\u2028\u2029]+")
COLUMNS = ["src_text", "tgt_text", "score", "type", "src_ids", "tgt_ids"]
DOC_COLUMNS = ["src_doc", "tgt_doc"]
STATUS_COLUMN = "status"


def clean_cell(text: str) -> str:
    return _WS.sub(" ", text).strip()


def _row(u: Unit, doc_columns: bool, status: bool) -> str:
    cells = [clean_cell(u.src_text), clean_cell(u.tgt_text), f"{u.score:.4f}", clean_cell(u.type)]
    cells += [",".join(map(str, u.src_ids)), ",".join(map(str, u.tgt_ids))]
    if status:
        cells.append(u.status or "")
    if doc_columns:
        cells += [clean_cell(u.src_doc or ""), clean_cell(u.tgt_doc or "")]
    return "\t".join(cells)


def render_tsv(
    table: Table,
    *,
    header: bool = False,
    min_score: float | None = None,
    include_unaligned: bool | None = None,
    doc_columns: bool = False,
) -> tuple[str, dict]:
    """One row per unit; ``min_score`` drops aligned rows under it; ``doc_columns`` adds the
    document names (mining). Unaligned rows are kept except for mining results."""
    units = select_units(table.units, default_unaligned(table, include_unaligned), min_score)
    status = any(u.status for u in table.units)
    names = COLUMNS + [STATUS_COLUMN] * status + DOC_COLUMNS * doc_columns
    lines = ["\t".join(names)] if header else []
    lines += [_row(u, doc_columns, status) for u in units]
    return "".join(line + "\n" for line in lines), {"written": len(units)}


def read_tsv(path: str | Path) -> Table:
    """Read TSV as our writer writes it (src, tgt[, score, type, src_ids, tgt_ids[, status]]),
    or as a spreadsheet saved it: LibreOffice and Excel quote a cell holding a quote, a tab or
    a line break (``"He said ""no""."``), and may quote every text cell; such a file is read
    back with its quoting undone, and ``Table.changes`` lists every cell that was. The header
    row is optional; only the two text columns are required, so a hand-made bitext works."""
    data = read_bytes(path)
    decoded = decode_bytes(data, str(path))
    text = decoded.text.replace("\r\n", "\n").replace("\r", "\n")
    rows, quoted = parse_cells(text)
    changes = []
    if decoded.encoding not in ("utf-8", "ascii"):
        changes.append(f"{path}: read as {decoded.encoding}, not UTF-8 (saved by a spreadsheet?).")
    if quoted:
        cells = [f"line {n} {_column(c)}" + (" (a line break inside)" if "\n" in cell.value else "")
                 for n, row in rows for c, cell in enumerate(row) if cell.quoted]  # fmt: skip
        shown = ", ".join(cells[:8]) + (f" and {len(cells) - 8} more" if len(cells) > 8 else "")
        changes.append(
            f"{path}: saved by a spreadsheet with CSV quoting (as LibreOffice and Excel save "
            f"TSV); {len(cells)} quoted cells read without their quotes: {shown}."
        )
    status_at, guessed = len(COLUMNS), True  # no header: the seventh column, if a status
    if rows and [c.value for c in rows[0][1][:2]] == ["src_text", "tgt_text"]:
        header = [c.value for c in rows[0][1]]
        status_at = header.index(STATUS_COLUMN) if STATUS_COLUMN in header else None
        guessed = False
    units = [_unit([c.value for c in row], f"{path}, line {n}", status_at, guessed)
             for n, row in rows]  # fmt: skip
    return Table([u for u in units if u is not None], inputs=(str(path),),
                 changes=tuple(changes))  # fmt: skip


def _column(i: int) -> str:
    return COLUMNS[i] if i < len(COLUMNS) else f"column {i + 1}"


def _unit(row: list[str], where: str, status_at: int | None, guessed: bool) -> Unit | None:
    """One row as a Unit (None for the header and blank rows). Without a header, a seventh
    column is the status when it holds one (or is empty); otherwise a document column."""
    if not row or all(not c.strip() for c in row) or row[:2] == ["src_text", "tgt_text"]:
        return None
    if len(row) < 2:
        raise AlignerError(f"{where}: expected at least 2 tab-separated columns.")
    row = row + [""] * (6 - len(row))
    src_ids, tgt_ids = parse_ids(row[4], where), parse_ids(row[5], where)
    kind = row[3].strip() or type_of(src_ids, tgt_ids, row[0], row[1])
    status = _status_cell(row, status_at, guessed, where)
    return Unit(row[0], row[1], parse_score(row[2], where), kind, src_ids, tgt_ids,
                status=status)  # fmt: skip


@dataclass(frozen=True)
class Cell:
    value: str
    raw: str  # as in the file
    quoted: bool = False


# A cell as a spreadsheet quotes it: "...", quotes inside doubled, ending at a tab, a line
# end or the end of the file.
_QUOTED = re.compile(r'"((?:[^"]|"")*)"(?=\t|\n|\Z)')
_PLAIN = re.compile(r"[^\t\n]*")


def parse_cells(text: str) -> tuple[list[tuple[int, list[Cell]]], bool]:
    """Rows of cells (with their line numbers) and whether the file uses spreadsheet quoting.

    It does when every cell that holds a quote is a well-formed quoted cell and the quoting
    says something: a doubled quote, a tab or line break inside, or every text cell quoted
    ("quote all text cells"). Otherwise quotes are text (our writer never quotes)."""
    rows = _tokenize(text)
    if rows is None:
        return _plain_rows(text), False
    cells = [c for _, row in rows for c in row]
    needed = any(c.quoted and ('""' in c.raw[1:-1] or "\t" in c.value or "\n" in c.value)
                 for c in cells)  # fmt: skip
    text_cells = [c for c in cells if c.value.strip() and not _is_number(c.value)]
    all_quoted = len(text_cells) > 1 and all(c.quoted for c in text_cells)
    if needed or all_quoted:
        return rows, True
    return _plain_rows(text), False


def _tokenize(text: str) -> list[tuple[int, list[Cell]]] | None:
    """Cells with CSV quoting undone; None when a cell has a quote that is not CSV quoting."""
    rows: list[tuple[int, list[Cell]]] = []
    row: list[Cell] = []
    pos, line, row_line = 0, 1, 1
    while pos <= len(text):
        m = _QUOTED.match(text, pos)
        if m:
            row.append(Cell(m.group(1).replace('""', '"'), m.group(), True))
        else:
            m = _PLAIN.match(text, pos)
            if '"' in m.group():
                return None
            row.append(Cell(m.group(), m.group()))
        line += m.group().count("\n")
        pos = m.end()
        if pos < len(text) and text[pos] == "\t":
            pos += 1
            continue
        rows.append((row_line, row))
        row, line, pos = [], line + 1, pos + 1
        row_line = line
    return [(n, r) for n, r in rows if any(c.raw for c in r)]


def _plain_rows(text: str) -> list[tuple[int, list[Cell]]]:
    return [(n, [Cell(c, c) for c in line.split("\t")])
            for n, line in enumerate(text.split("\n"), 1) if line]  # fmt: skip


def _is_number(text: str) -> bool:
    try:
        float(text)
        return True
    except ValueError:
        return False


def _status_cell(row: list[str], at: int | None, guessed: bool, where: str) -> str | None:
    if at is None or len(row) <= at:
        return None
    cell = row[at].strip().lower()
    if guessed and cell not in STATUSES:  # no header: a document column, not a status
        return None
    return units.parse_status(cell, where)
