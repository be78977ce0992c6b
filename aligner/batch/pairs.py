"""What a batch aligns: a manifest TSV, or a table of document pairs (``.jsonl``/``.parquet``)
for collections too big for one file per document.

A table has one row per pair: ``id`` and either ``src_text``/``tgt_text`` (the documents) or
``src_path``/``tgt_path`` (relative to the table's folder), and optionally
``src_lang``/``tgt_lang`` for rows in other languages than the run's. Every mistake is one line
naming the file and row.
"""

from __future__ import annotations

from pathlib import Path

from ..errors import AlignerError
from ..formats.jsonl import json_lines
from .manifest import Pair, read_manifest

TABLE_EXTENSIONS = (".jsonl", ".parquet")
OPTIONAL = ("src_lang", "tgt_lang")


def read_pairs(path: str | Path) -> list[Pair]:
    """The pairs of a manifest (``.tsv``, any other extension) or of a pair table."""
    ext = Path(path).suffix.lower()
    if ext not in TABLE_EXTENSIONS:
        return read_manifest(path)
    if not Path(path).is_file():
        raise AlignerError(f"{path}: no such pair table.")
    rows = _jsonl_rows(path) if ext == ".jsonl" else _parquet_rows(path)
    base = Path(path).parent.absolute()  # workers may run elsewhere: absolute paths
    pairs, seen = [], {}
    for no, row in rows:
        pair = _pair(row, no, base, f"{path}, row {no}")
        if pair.name in seen:
            raise AlignerError(
                f"{path}, row {no}: id {pair.name!r} is already used on row {seen[pair.name]}; "
                "every pair needs its own id."
            )
        seen[pair.name] = no
        pairs.append(pair)
    if not pairs:
        raise AlignerError(f"{path}: the table lists no pairs.")
    return pairs


def _jsonl_rows(path):
    for no, row in json_lines(path):
        if not isinstance(row, dict):
            raise AlignerError(f"{path}, row {no}: expected a JSON object per line.")
        yield no, row


def _parquet_rows(path):
    import pyarrow.parquet as pq

    try:
        pf = pq.ParquetFile(path)
    except (OSError, ValueError) as e:
        raise AlignerError(f"{path}: cannot read as Parquet ({e}).") from None
    no = 0
    for batch in pf.iter_batches(batch_size=4096):
        for row in batch.to_pylist():
            no += 1
            yield no, row


def _text(row: dict, key: str, where: str) -> str | None:
    value = row.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        raise AlignerError(f"{where}: {key} must be a string, got {type(value).__name__}.")
    return value


def _pair(row: dict, no: int, base: Path, where: str) -> Pair:
    ident = row.get("id")
    if ident is None or str(ident).strip() == "":
        raise AlignerError(f"{where}: every row needs an id.")
    langs = {k: _text(row, k, where) or None for k in OPTIONAL}
    src_text, tgt_text = _text(row, "src_text", where), _text(row, "tgt_text", where)
    if src_text is not None or tgt_text is not None:
        if src_text is None or tgt_text is None:
            raise AlignerError(f"{where}: give both src_text and tgt_text.")
        return Pair(None, None, str(ident), no, src_text, tgt_text, **langs)
    src, tgt = _text(row, "src_path", where), _text(row, "tgt_path", where)
    if not src or not tgt:
        raise AlignerError(
            f"{where}: needs src_text and tgt_text, or src_path and tgt_path (columns found: "
            f"{', '.join(sorted(row)) or 'none'})."
        )
    paths = [Path(p) if Path(p).is_absolute() else base / p for p in (src, tgt)]
    for p in paths:
        if not p.is_file():
            raise AlignerError(f"{where}: {p}: no such file.")
    return Pair(paths[0], paths[1], str(ident), no, **langs)
