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


def read_summary(path: str | Path) -> dict[str, PairResult]:
    """Rows of a previous summary, by pair name (empty if absent or unreadable)."""
    p = Path(path)
    if not p.is_file():
        return {}
    rows = {}
    with p.open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f, delimiter="\t"):
            if set(COLUMNS) <= set(row):
                rows[row["pair"]] = PairResult(**{c: row[c] or None for c in COLUMNS})
    return rows


def write_summary(results: list[PairResult], path: str | Path) -> None:
    with atomic_path(path) as tmp, tmp.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, delimiter="\t", lineterminator="\n")
        w.writerow(COLUMNS)
        for r in results:
            d = asdict(r)
            w.writerow(["" if d[c] is None else d[c] for c in COLUMNS])
