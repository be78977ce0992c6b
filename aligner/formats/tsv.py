"""TSV for MT pipelines: `cut -f1,2` gives clean bitext; read back for a reviewer's edits."""

from __future__ import annotations

import csv
import re
from pathlib import Path

from ..errors import AlignerError
from .units import Table, Unit, default_unaligned, parse_ids, parse_score, select_units, type_of

# everything a reader may take as a field or line break (str.splitlines counts \x1c-\x1e, \x85)
_WS = re.compile(r"[\t\r\n\v\f\x1c\x1d\x1e\x85\u2028\u2029]+")
COLUMNS = ["src_text", "tgt_text", "score", "type", "src_ids", "tgt_ids"]
DOC_COLUMNS = ["src_doc", "tgt_doc"]
# csv's default cell limit is 128 KiB; a segment may be longer (a whole unsplit page)
MAX_CELL_CHARS = 1 << 30


def clean_cell(text: str) -> str:
    return _WS.sub(" ", text).strip()


def _row(u: Unit, doc_columns: bool) -> str:
    cells = [clean_cell(u.src_text), clean_cell(u.tgt_text), f"{u.score:.4f}", clean_cell(u.type)]
    cells += [",".join(map(str, u.src_ids)), ",".join(map(str, u.tgt_ids))]
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
    lines = ["\t".join(COLUMNS + (DOC_COLUMNS if doc_columns else []))] if header else []
    lines += [_row(u, doc_columns) for u in units]
    return "".join(line + "\n" for line in lines), {"written": len(units)}


def read_tsv(path: str | Path) -> Table:
    """Read TSV as our writer writes it (src, tgt[, score, type, src_ids, tgt_ids]); the header
    row is optional. Only the two text columns are required, so a hand-made bitext works too."""
    rows = []
    csv.field_size_limit(MAX_CELL_CHARS)
    try:
        with open(path, encoding="utf-8-sig", newline="") as f:
            for n, row in enumerate(csv.reader(f, delimiter="\t", quoting=csv.QUOTE_NONE), 1):
                if n == 1 and row[:2] == ["src_text", "tgt_text"]:
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
                rows.append(Unit(row[0], row[1], score, kind, src_ids, tgt_ids))
    except OSError as e:
        raise AlignerError(f"{path}: cannot read ({e.strerror}).") from None
    except csv.Error as e:
        raise AlignerError(f"{path}: not a TSV file we can read ({e}).") from None
    except UnicodeDecodeError:
        raise AlignerError(f"{path}: not UTF-8; save the TSV as UTF-8 and try again.") from None
    return Table(rows, inputs=(str(path),))
