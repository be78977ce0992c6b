"""JSONL: a metadata line with the signature, then one bead per line with ids as lists.

A bead with several sentences on a side also lists them (``src_sents``), so reading the
file back knows every sentence (the review editor splits beads at those boundaries); a
reviewed bead carries its ``status``.
"""

from __future__ import annotations

import json
from pathlib import Path

from ..errors import AlignerError
from .units import (
    Table,
    Unit,
    default_unaligned,
    parse_score,
    parse_status,
    select_units,
    type_of,
)


def unit_record(u: Unit, mining: bool = False, sentences=None) -> dict:
    """One bead as JSON; ``sentences`` (the Table's) adds the sentences of n-m sides."""
    record = {
        "src_ids": list(u.src_ids),
        "tgt_ids": list(u.tgt_ids),
        "type": u.type,
        "score": round(u.score, 4),
        "src_text": u.src_text,
        "tgt_text": u.tgt_text,
        "src_para": u.src_para,
        "tgt_para": u.tgt_para,
    }
    if mining:
        record.update(cosine=u.cosine, src_doc=u.src_doc, tgt_doc=u.tgt_doc)
    if u.props:  # what the documents carried (subtitle timing), kept for a later TMX
        record["props"] = dict(u.props)
    if u.status is not None:
        record["status"] = u.status
    if sentences is not None:
        for side, ids, texts in (
            ("src", u.src_ids, sentences[0]),
            ("tgt", u.tgt_ids, sentences[1]),
        ):
            if len(ids) > 1:
                record[f"{side}_sents"] = [texts[i] for i in ids]
    return record


# Characters JSON leaves raw but line readers (Python's splitlines, many editors) take as a
# line break: escaped, so that one record is always one line.
_BREAKS = {"\u2028": "\\u2028", "\u2029": "\\u2029", "\x85": "\\u0085"}


def _escape_breaks(line: str) -> str:
    for raw, escaped in _BREAKS.items():
        line = line.replace(raw, escaped)
    return line


def render_jsonl(
    table: Table, *, min_score: float | None = None, include_unaligned: bool | None = None
) -> tuple[str, dict]:
    """The metadata line (when the table has one), then one record per unit."""
    units = select_units(table.units, default_unaligned(table, include_unaligned), min_score)

    # allow_nan=False: JSON has no NaN; a non-finite number here is a bug to hear about
    def dump(obj) -> str:
        return _escape_breaks(json.dumps(obj, ensure_ascii=False, allow_nan=False))

    lines = [dump({"meta": table.meta})] if table.meta else []
    mining = table.mode == "mining"
    lines += [dump(unit_record(u, mining, table.sentences)) for u in units]
    return "".join(line + "\n" for line in lines), {"written": len(units)}


def _text(obj: dict, key: str, where: str) -> str:
    value = obj.get(key)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise AlignerError(f"{where}: {key} must be a string, not {type(value).__name__}.")
    return value


def _ids(obj: dict, key: str, where: str) -> tuple[int, ...]:
    value = obj.get(key) or []
    if not isinstance(value, list) or not all(
        isinstance(i, int) and not isinstance(i, bool) and i >= 0 for i in value
    ):
        raise AlignerError(f"{where}: {key} must be a list of sentence numbers.")
    return tuple(value)


def _unit(obj: dict, where: str) -> Unit:
    src, tgt = _text(obj, "src_text", where), _text(obj, "tgt_text", where)
    src_ids, tgt_ids = _ids(obj, "src_ids", where), _ids(obj, "tgt_ids", where)
    kind = _text(obj, "type", where) or type_of(src_ids, tgt_ids, src, tgt)
    score = obj.get("score")
    if isinstance(score, bool) or not isinstance(score, int | float | str | type(None)):
        raise AlignerError(f"{where}: score must be a number.")
    score = parse_score("" if score is None else str(score), where)
    status = parse_status(_text(obj, "status", where), where)
    props = obj.get("props") if isinstance(obj.get("props"), dict) else {}
    return Unit(src, tgt, score, kind, src_ids, tgt_ids, status=status,
                props=tuple((str(k), str(v)) for k, v in props.items()))  # fmt: skip


def _sentence_texts(records: list[tuple[Unit, dict]], meta: dict):
    """Every sentence's text by id, when the rows account for each id exactly once (as many
    as the metadata counts) and name the sentences of their n-m sides, as this writer does;
    else None."""
    sides = []
    for k, side in enumerate(("src", "tgt")):
        texts: dict[int, str] = {}
        for unit, obj in records:
            ids = (unit.src_ids, unit.tgt_ids)[k]
            if len(ids) == 1:
                parts = [(unit.src_text, unit.tgt_text)[k]]
            else:
                parts = obj.get(f"{side}_sents") or []
            if not isinstance(parts, list) or len(parts) != len(ids) or set(ids) & set(texts):
                return None
            texts.update(zip(ids, map(str, parts), strict=True))
        expected = meta.get(f"{side}_sentences", len(texts))
        if sorted(texts) != list(range(len(texts))) or expected != len(texts):
            return None
        sides.append(tuple(texts[i] for i in range(len(texts))))
    return tuple(sides)


def json_lines(path: str | Path):
    """(line number, object) for each non-blank line; a line that is not JSON, or a file that
    cannot be read, is one AlignerError naming it."""
    try:
        with open(path, encoding="utf-8-sig") as f:
            for n, line in enumerate(f, 1):
                if not line.strip():
                    continue
                try:
                    yield n, json.loads(line)
                except json.JSONDecodeError as e:
                    raise AlignerError(f"{path}, line {n}: not JSON ({e.msg}).") from None
                except RecursionError:
                    raise AlignerError(f"{path}, line {n}: JSON nested too deeply.") from None
    except OSError as e:
        raise AlignerError(f"{path}: cannot read ({e.strerror}).") from None
    except UnicodeDecodeError:
        raise AlignerError(f"{path}: not UTF-8; save the JSONL as UTF-8 and try again.") from None


def read_jsonl(path: str | Path) -> Table:
    """Read our JSONL back: the units, and the languages and signature of its metadata line."""
    records, meta = [], {}
    for n, obj in json_lines(path):
        if isinstance(obj, dict) and "meta" in obj:
            meta = obj["meta"]
            continue
        if not isinstance(obj, dict) or not ({"src_text", "tgt_text"} & set(obj)):
            raise AlignerError(f"{path}, line {n}: not an aligner row (needs src_text/tgt_text).")
        records.append((_unit(obj, f"{path}, line {n}"), obj))
    meta = meta if isinstance(meta, dict) else {}
    mode = meta.get("mode") if meta.get("mode") in ("parallel", "comparable", "mining") else None
    units = [unit for unit, _ in records]
    return Table(units, str(meta.get("src_lang") or "en"), str(meta.get("tgt_lang") or "ko"),
                 str(meta.get("signature") or ""), mode or "parallel", meta,
                 (str(path),), _sentence_texts(records, meta))  # fmt: skip
