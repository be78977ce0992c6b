"""Translation units: the rows every writer emits, from an alignment or read back from our own
TSV/JSONL (so a reviewer's edited spreadsheet can become a TMX without re-aligning)."""

from __future__ import annotations

import csv
import json
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from ..errors import AlignerError


@dataclass(frozen=True)
class Unit:
    src_text: str
    tgt_text: str
    score: float
    type: str
    src_ids: tuple[int, ...] = ()
    tgt_ids: tuple[int, ...] = ()

    @property
    def aligned(self) -> bool:
        return bool(self.src_text.strip()) and bool(self.tgt_text.strip())


def units_from_alignment(alignment) -> Iterator[Unit]:
    for b in alignment.beads:
        yield Unit(
            alignment.src_text(b), alignment.tgt_text(b), b.score, b.type, b.src_ids, b.tgt_ids
        )


def keep_unit(u: Unit, include_unaligned: bool = True, min_score: float | None = None) -> bool:
    """Unaligned units only if asked for; aligned units only at or above ``min_score``."""
    if not u.aligned:
        return include_unaligned
    return min_score is None or u.score >= min_score


def select_units(
    units: Iterable[Unit], include_unaligned: bool = True, min_score: float | None = None
) -> Iterator[Unit]:
    return (u for u in units if keep_unit(u, include_unaligned, min_score))


def normalise_for_dedupe(text: str) -> str:
    """NFKC, case-folded, whitespace collapsed: what counts as 'the same segment'."""
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


def dedupe_units(units: Iterable[Unit]) -> tuple[list[Unit], int]:
    """Keep the first of each normalised (src, tgt) pair; returns (units, duplicates removed)."""
    seen: set[tuple[str, str]] = set()
    kept: list[Unit] = []
    removed = 0
    for u in units:
        key = (normalise_for_dedupe(u.src_text), normalise_for_dedupe(u.tgt_text))
        if key in seen:
            removed += 1
            continue
        seen.add(key)
        kept.append(u)
    return kept, removed


def _parse_ids(text: str, where: str) -> tuple[int, ...]:
    text = text.strip()
    if not text:
        return ()
    try:
        return tuple(int(x) for x in text.split(","))
    except ValueError:
        raise AlignerError(f"{where}: ids must be comma-separated numbers, got {text!r}.") from None


def _parse_score(text: str, where: str) -> float:
    try:
        return float(text) if text.strip() else 0.0
    except ValueError:
        raise AlignerError(f"{where}: score must be a number, got {text!r}.") from None


def _type_of(src_ids, tgt_ids, src: str, tgt: str) -> str:
    n = len(src_ids) if src_ids else int(bool(src.strip()))
    m = len(tgt_ids) if tgt_ids else int(bool(tgt.strip()))
    return f"{n}-{m}"


def read_tsv_units(path: str | Path) -> list[Unit]:
    """Read TSV as our writer writes it (src, tgt[, score, type, src_ids, tgt_ids]); the header
    row is optional. Only the two text columns are required, so a hand-made bitext works too."""
    rows = []
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
                src_ids, tgt_ids = _parse_ids(row[4], where), _parse_ids(row[5], where)
                kind = row[3].strip() or _type_of(src_ids, tgt_ids, row[0], row[1])
                score = _parse_score(row[2], where)
                rows.append(Unit(row[0], row[1], score, kind, src_ids, tgt_ids))
    except OSError as e:
        raise AlignerError(f"{path}: cannot read ({e.strerror}).") from None
    except UnicodeDecodeError:
        raise AlignerError(f"{path}: not UTF-8; save the TSV as UTF-8 and try again.") from None
    return rows


def read_jsonl_units(path: str | Path) -> tuple[list[Unit], dict]:
    """Read our JSONL back: returns (units, the metadata line or {})."""
    units, meta = [], {}
    try:
        with open(path, encoding="utf-8-sig") as f:
            for n, line in enumerate(f, 1):
                if not line.strip():
                    continue
                try:
                    obj = json.loads(line)
                except json.JSONDecodeError as e:
                    raise AlignerError(f"{path}, line {n}: not JSON ({e.msg}).") from None
                if isinstance(obj, dict) and "meta" in obj:
                    meta = obj["meta"]
                    continue
                if not isinstance(obj, dict) or not ({"src_text", "tgt_text"} & set(obj)):
                    raise AlignerError(
                        f"{path}, line {n}: not an aligner row (needs src_text/tgt_text)."
                    )
                where = f"{path}, line {n}"
                src, tgt = str(obj.get("src_text") or ""), str(obj.get("tgt_text") or "")
                src_ids = _parse_ids(",".join(map(str, obj.get("src_ids") or ())), where)
                tgt_ids = _parse_ids(",".join(map(str, obj.get("tgt_ids") or ())), where)
                kind = obj.get("type") or _type_of(src_ids, tgt_ids, src, tgt)
                score = _parse_score(str(obj.get("score") or ""), where)
                units.append(Unit(src, tgt, score, kind, src_ids, tgt_ids))
    except OSError as e:
        raise AlignerError(f"{path}: cannot read ({e.strerror}).") from None
    return units, meta
