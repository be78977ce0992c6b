"""The batch summary: one row per pair (counts, seconds, status, error, resume key).

Workers write the rows of each chunk of pairs as a Parquet shard beside its beads (the record
resume trusts); the driver writes ``summary.tsv``, the same rows in input order, for people.
"""

from __future__ import annotations

import csv
from dataclasses import asdict, dataclass, fields
from pathlib import Path

from ..formats._io import atomic_path


@dataclass(frozen=True)
class PairResult:
    """One summary row. ``status``: aligned, skipped (done by an earlier run with the same
    content and settings) or failed (``error`` says why). ``key``: the hash of the pair's
    content and the run's settings that resume compares."""

    pair: str
    status: str  # aligned, skipped or failed
    src_sentences: int | None = None  # what the alignment holds (None for a failed pair)
    tgt_sentences: int | None = None
    beads: int | None = None
    pairs: int | None = None
    unaligned_src: int | None = None
    unaligned_tgt: int | None = None
    mean_score: float | None = None
    seconds: float | None = None
    embed_seconds: float | None = None
    align_seconds: float | None = None
    output: str = ""
    error: str = ""
    key: str = ""
    worker: str = ""


COLUMNS = [f.name for f in fields(PairResult)]
_INTS = ("src_sentences", "tgt_sentences", "beads", "pairs", "unaligned_src", "unaligned_tgt")
_FLOATS = ("mean_score", "seconds", "embed_seconds", "align_seconds")


def summary_schema():
    import pyarrow as pa

    kind = {**dict.fromkeys(_INTS, pa.int32()), **dict.fromkeys(_FLOATS, pa.float64())}
    return pa.schema([(c, kind.get(c, pa.string())) for c in COLUMNS])


def summary_table(results: list[PairResult]):
    """Rows as an Arrow table (one schema for every shard)."""
    import pyarrow as pa

    return pa.Table.from_pylist([asdict(r) for r in results], schema=summary_schema())


def from_row(row: dict) -> PairResult:
    return PairResult(**{c: row.get(c) for c in COLUMNS if c in row})


def write_summary(results: list[PairResult], path: str | Path) -> None:
    """The rows as TSV with a header, atomically."""
    with atomic_path(path) as tmp, tmp.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, delimiter="\t", lineterminator="\n")
        w.writerow(COLUMNS)
        for r in results:
            d = asdict(r)
            w.writerow(["" if d[c] is None else d[c] for c in COLUMNS])
