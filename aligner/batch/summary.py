"""The batch summary: one row per pair (counts, seconds, status, error), rewritten atomically
after each pair so an interrupted batch leaves a true record of what was done."""

from __future__ import annotations

import csv
from dataclasses import asdict, dataclass, fields
from pathlib import Path

from ..formats._io import atomic_path


@dataclass(frozen=True)
class PairResult:
    """One summary row. ``status``: aligned, skipped (output existed) or failed."""

    pair: str
    status: str
    src_sentences: int | None = None
    tgt_sentences: int | None = None
    beads: int | None = None
    pairs: int | None = None
    unaligned_src: int | None = None
    unaligned_tgt: int | None = None
    mean_score: float | None = None
    seconds: float | None = None
    output: str = ""
    error: str = ""


COLUMNS = [f.name for f in fields(PairResult)]
STATUSES = ("aligned", "skipped", "failed")
_NUMBERS = {
    **dict.fromkeys(("src_sentences", "tgt_sentences", "beads", "pairs"), int),
    **dict.fromkeys(("unaligned_src", "unaligned_tgt"), int),
    **dict.fromkeys(("mean_score", "seconds"), float),
}
# A summary is a few hundred bytes a pair; a bigger one is not ours.
MAX_SUMMARY_BYTES = 256 << 20


def read_summary(path: str | Path) -> dict[str, PairResult]:
    """Rows of a previous summary, by pair name. It only speeds a rerun up, so anything
    unreadable or hostile in it (not UTF-8, binary, huge cells, wrong columns, odd values) makes
    it count as absent: the outputs themselves say which pairs are done."""
    p = Path(path)
    rows: dict[str, PairResult] = {}
    try:
        if not p.is_file() or p.stat().st_size > MAX_SUMMARY_BYTES:
            return {}
        with p.open(encoding="utf-8", newline="") as f:
            for row in csv.DictReader(f, delimiter="\t"):
                result = _row(row)
                if result is None:
                    return {}
                rows[result.pair] = result
    except (OSError, UnicodeDecodeError, csv.Error, ValueError):
        return {}
    return rows


def _row(row: dict) -> PairResult | None:
    """A summary row as a PairResult, or None when it is not one of ours."""
    if not set(COLUMNS) <= set(row) or any(not isinstance(row[c], str) for c in COLUMNS):
        return None
    if row["status"] not in STATUSES or not row["pair"]:
        return None
    values = {}
    for f in fields(PairResult):
        text = row[f.name]
        if f.name in _NUMBERS:
            values[f.name] = _NUMBERS[f.name](text) if text.strip() else None
        else:
            values[f.name] = text
    return PairResult(**values)


def write_summary(results: list[PairResult], path: str | Path) -> None:
    with atomic_path(path) as tmp, tmp.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, delimiter="\t", lineterminator="\n")
        w.writerow(COLUMNS)
        for r in results:
            d = asdict(r)
            w.writerow(["" if d[c] is None else d[c] for c in COLUMNS])
