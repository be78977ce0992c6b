"""TSV for MT pipelines: `cut -f1,2` gives clean bitext; read back for a reviewer's edits.

Reviewed rows (any unit with a status) get a seventh column, ``status`` (confirmed, rejected
or empty), before the document columns; unreviewed tables keep the six columns.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

from ..alignment import STATUSES
from ..errors import AlignerError
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
    """Read TSV as our writer writes it (src, tgt[, score, type, src_ids, tgt_ids[, status]]);
    the header row is optional. Only the two text columns are required, so a hand-made bitext
    works too. Without a header, a seventh column is the status when it holds one (or is
    empty); otherwise it is a document column and ignored."""
    rows = []
    status_at: int | None = len(COLUMNS)  # without a header: the seventh column, if a status
    guessed = True
    try:
        with open(path, encoding="utf-8-sig", newline="") as f:
            for n, row in enumerate(csv.reader(f, delimiter="\t", quoting=csv.QUOTE_NONE), 1):
                if n == 1 and row[:2] == ["src_text", "tgt_text"]:
                    status_at = row.index(STATUS_COLUMN) if STATUS_COLUMN in row else None
                    guessed = False
                    continue
                if not row or all(not c.strip() for c in row):
                    continue
                where = f"{path}, line {n}"
                if len(row) < 2:
                    raise AlignerError(f"{where}: expected at least 2 tab-separated columns.")
                row += [""] * (6 - len(row))
                src_ids, tgt_ids = parse_ids(row[4], where), parse_ids(row[5], where)
                kind = row[3].strip() or type_of(src_ids, tgt_ids, row[0], row[1])
                score = parse_score(row[2], where)
                status = _status_cell(row, status_at, guessed, where)
                rows.append(Unit(row[0], row[1], score, kind, src_ids, tgt_ids, status=status))
    except OSError as e:
        raise AlignerError(f"{path}: cannot read ({e.strerror}).") from None
    except UnicodeDecodeError:
        raise AlignerError(f"{path}: not UTF-8; save the TSV as UTF-8 and try again.") from None
    return Table(rows, inputs=(str(path),))


def _status_cell(row: list[str], at: int | None, guessed: bool, where: str) -> str | None:
    if at is None or len(row) <= at:
        return None
    cell = row[at].strip().lower()
    if guessed and cell not in STATUSES:  # no header: a document column, not a status
        return None
    return units.parse_status(cell, where)
