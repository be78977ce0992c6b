"""Parquet (pyarrow): one row per bead, the layout of ``aligner batch --parquet`` shards.

Columns: ``pair_id, bead, src_text, tgt_text, score, type, src_ids, tgt_ids, signature``
(ids as lists of ints); mining tables add ``src_doc, tgt_doc, cosine, margin``. pandas,
pyarrow, Spark and Hugging Face ``datasets`` read a file or a folder of such files as it is.
"""

from __future__ import annotations

from pathlib import Path

from ..errors import AlignerError
from ._io import atomic_path
from .units import Table, Unit, default_unaligned, select_units, type_of

COLUMNS = ["pair_id", "bead", "src_text", "tgt_text", "score", "type", "src_ids", "tgt_ids",
           "signature"]  # fmt: skip
MINING_COLUMNS = ["src_doc", "tgt_doc", "cosine", "margin"]


def schema(mining: bool = False):
    """The Arrow schema of a bead table (one for every shard, so a dataset reads as one)."""
    import pyarrow as pa

    ids = pa.list_(pa.int32())
    fields = [
        ("pair_id", pa.string()), ("bead", pa.int32()), ("src_text", pa.string()),
        ("tgt_text", pa.string()), ("score", pa.float32()), ("type", pa.string()),
        ("src_ids", ids), ("tgt_ids", ids), ("signature", pa.string()),
    ]  # fmt: skip
    if mining:
        fields += [("src_doc", pa.string()), ("tgt_doc", pa.string()),
                   ("cosine", pa.float32()), ("margin", pa.float32())]  # fmt: skip
    return pa.schema(fields)


def arrow_table(
    table: Table, *, pair_id: str = "", include_unaligned: bool | None = None,
    min_score: float | None = None,
):  # fmt: skip
    """The units of ``table`` as an Arrow table (``bead`` = the unit's index in the table, so
    the row of a bead is the same whichever units are left out)."""
    import pyarrow as pa

    keep = set(map(id, select_units(table.units, default_unaligned(table, include_unaligned),
                                    min_score)))  # fmt: skip
    rows = [(n, u) for n, u in enumerate(table.units) if id(u) in keep]
    mining = table.mode == "mining"
    cols: dict[str, list] = {
        "pair_id": [pair_id] * len(rows), "bead": [n for n, _ in rows],
        "src_text": [u.src_text for _, u in rows], "tgt_text": [u.tgt_text for _, u in rows],
        "score": [u.score for _, u in rows], "type": [u.type for _, u in rows],
        "src_ids": [list(u.src_ids) for _, u in rows],
        "tgt_ids": [list(u.tgt_ids) for _, u in rows],
        "signature": [table.signature] * len(rows),
    }  # fmt: skip
    if mining:
        cols.update(src_doc=[u.src_doc for _, u in rows], tgt_doc=[u.tgt_doc for _, u in rows],
                    cosine=[u.cosine for _, u in rows],
                    margin=[u.score if u.aligned else None for _, u in rows])  # fmt: skip
    return pa.Table.from_pydict(cols, schema=schema(mining))


def write_arrow(data, path: str | Path) -> None:
    """Write an Arrow table as one Parquet file, atomically (zstd: text compresses well)."""
    import pyarrow.parquet as pq

    with atomic_path(path) as tmp:
        pq.write_table(data, tmp, compression="zstd")


def write_parquet(
    table: Table, path: str | Path, *, pair_id: str = "", include_unaligned: bool | None = None,
    min_score: float | None = None,
) -> dict:  # fmt: skip
    """One Parquet file of beads; ``pair_id`` fills that column (a batch names each pair)."""
    data = arrow_table(table, pair_id=pair_id, include_unaligned=include_unaligned,
                       min_score=min_score)  # fmt: skip
    write_arrow(data, path)
    return {"written": data.num_rows}


def read_parquet(path: str | Path) -> Table:
    """A bead file or folder of shards (ours) back as a Table, rows in file order."""
    import pyarrow.parquet as pq

    try:
        data = pq.read_table(path)
    except (OSError, ValueError) as e:
        raise AlignerError(f"{path}: cannot read as Parquet ({e}).") from None
    missing = {"src_text", "tgt_text"} - set(data.column_names)
    if missing:
        raise AlignerError(f"{path}: not an aligner bead table (no {', '.join(sorted(missing))}).")
    rows = data.to_pylist()
    units = [_unit(r) for r in rows]
    mining = "margin" in data.column_names
    sig = str(rows[0].get("signature") or "") if rows else ""
    return Table(units, signature=sig, mode="mining" if mining else "parallel",
                 inputs=(str(path),))  # fmt: skip


def _unit(r: dict) -> Unit:
    src, tgt = r.get("src_text") or "", r.get("tgt_text") or ""
    src_ids, tgt_ids = tuple(r.get("src_ids") or ()), tuple(r.get("tgt_ids") or ())
    kind = r.get("type") or type_of(src_ids, tgt_ids, src, tgt)
    return Unit(src, tgt, float(r.get("score") or 0.0), kind, src_ids, tgt_ids,
                src_doc=r.get("src_doc"), tgt_doc=r.get("tgt_doc"),
                cosine=r.get("cosine"))  # fmt: skip
