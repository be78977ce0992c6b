"""What a batch has already done, from the shards it wrote: resume without duplicates.

Each task aligns a chunk of pairs and writes, atomically and under a name made from its pairs'
keys, ``beads/part-<chunk>.parquet`` (with ``--parquet``) and then the chunk's summary rows,
``summary/part-<chunk>.parquet`` (aligned pairs) and ``summary/failed-<chunk>.parquet``. The
summary shard is the commit record: a task retried after its worker died rewrites the same
files with the same rows, so every pair is in the output once.

On a rerun (:func:`prune`) a summary shard is kept only while every pair in it is current: the
pair is still listed, its key (content + settings) is the same, its per-pair file exists.
Otherwise the shard and its beads go and its pairs are aligned again; so do failed pairs, and
bead shards no summary shard vouches for (a task stopped between its two writes).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from ..signature import signature
from .manifest import Pair
from .summary import PairResult, from_row

SUMMARY_DIR = "summary"
BEADS_DIR = "beads"
_READ = 1 << 20  # bytes per read when hashing a file


@dataclass(frozen=True)
class Layout:
    """Where a batch writes: per-pair files in ``outdir``, shards under ``parquet``; the
    summary shards live in the Parquet folder when there is one, else in ``outdir``."""

    outdir: Path | None
    parquet: Path | None
    fmt: str = "tsv"

    @property
    def summary_dir(self) -> Path:
        return (self.parquet or self.outdir) / SUMMARY_DIR  # type: ignore[operator]

    @property
    def beads_dir(self) -> Path | None:
        return self.parquet / BEADS_DIR if self.parquet else None

    def output(self, pair: Pair) -> Path | None:
        return self.outdir / f"{pair.name}.{self.fmt}" if self.outdir else None


def settings_key(options) -> str:
    """Everything in the run's settings that changes an output: the alignment signature
    (model, parameters, version) and the reading and writing options."""
    sig = signature("batch", options.model, options.params)
    extra = [options.fmt, options.src_lang, options.tgt_lang, str(options.encoding),
             str(options.force), repr(sorted(options.write_options.items()))]  # fmt: skip
    return "|".join([sig, *extra])


def pair_key(pair: Pair, settings: str, src_lang: str, tgt_lang: str) -> str:
    """sha256 of the run's settings, the pair's languages and both texts' bytes."""
    h = hashlib.sha256(settings.encode())
    h.update(f"\x00{src_lang}\x00{tgt_lang}\x00".encode())
    if pair.inline:
        for text in (pair.src_text, pair.tgt_text):
            data = (text or "").encode("utf-8", "surrogatepass")
            h.update(len(data).to_bytes(8, "little"))
            h.update(data)
    else:
        for path in (pair.src, pair.tgt):
            h.update(path.stat().st_size.to_bytes(8, "little"))  # type: ignore[union-attr]
            with open(path, "rb") as f:  # type: ignore[arg-type]
                while chunk := f.read(_READ):
                    h.update(chunk)
    return h.hexdigest()[:32]


def chunk_id(names: list[str], keys: list[str]) -> str:
    """A chunk's shard name: the same pairs (ids and keys) give the same name, so a retry
    overwrites its own files and no other chunk's."""
    text = "\n".join(f"{n}\x00{k}" for n, k in zip(names, keys, strict=True))
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def _read_rows(path: Path) -> list[dict] | None:
    import pyarrow.parquet as pq

    try:
        return pq.read_table(path).to_pylist()
    except (OSError, ValueError):
        return None  # unreadable: treated as not done


def prune(
    layout: Layout, keys: dict[str, str], redo: bool = False,
    exists: Callable[[Path], bool] = Path.is_file,
) -> dict[str, PairResult]:  # fmt: skip
    """Drop every shard that is not wholly current; return the rows of the pairs done."""
    done: dict[str, PairResult] = {}
    kept: set[str] = set()
    sdir = layout.summary_dir
    for shard in sorted(sdir.glob("*.parquet")) if sdir.is_dir() else []:
        cid = shard.stem.split("-", 1)[-1]
        rows = None if redo or shard.stem.startswith("failed-") else _read_rows(shard)
        current = rows is not None and all(_current(r, layout, keys, exists) for r in rows)
        beads = layout.beads_dir
        if current and beads is not None and rows and not (beads / f"part-{cid}.parquet").is_file():
            current = False  # its beads were removed by hand: align those pairs again
        if current:
            kept.add(cid)
            done.update((r["pair"], replace(from_row(r), status="skipped")) for r in rows)
            continue
        shard.unlink(missing_ok=True)
    for d in (sdir, layout.beads_dir):
        if d is None or not d.is_dir():
            continue
        for part in d.glob(".*.part"):  # temporary files of a task that was stopped
            part.unlink(missing_ok=True)
        if d == layout.beads_dir:
            for shard in d.glob("part-*.parquet"):
                if shard.stem.split("-", 1)[-1] not in kept:
                    shard.unlink(missing_ok=True)
    return done


def _current(row: dict, layout: Layout, keys: dict[str, str], exists) -> bool:
    if row.get("status") != "aligned" or keys.get(row.get("pair")) != row.get("key"):
        return False
    out = layout.output(Pair(None, None, row["pair"], 0))
    return out is None or exists(out)
