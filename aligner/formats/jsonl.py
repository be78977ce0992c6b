"""JSONL: a metadata line with the signature, then one bead per line with ids as lists."""

from __future__ import annotations

import json
from pathlib import Path

from ..errors import AlignerError
from .units import Table, Unit, default_unaligned, parse_score, select_units, type_of


def unit_record(u: Unit, mining: bool = False) -> dict:
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
    lines += [dump(unit_record(u, mining)) for u in units]
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
    props = obj.get("props") if isinstance(obj.get("props"), dict) else {}
    return Unit(src, tgt, score, kind, src_ids, tgt_ids,
                props=tuple((str(k), str(v)) for k, v in props.items()))  # fmt: skip


def read_jsonl(path: str | Path) -> Table:
    """Read our JSONL back: the units, and the languages and signature of its metadata line."""
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
                except RecursionError:
                    raise AlignerError(f"{path}, line {n}: JSON nested too deeply.") from None
                if isinstance(obj, dict) and "meta" in obj:
                    meta = obj["meta"]
                    continue
                if not isinstance(obj, dict) or not ({"src_text", "tgt_text"} & set(obj)):
                    raise AlignerError(
                        f"{path}, line {n}: not an aligner row (needs src_text/tgt_text)."
                    )
                units.append(_unit(obj, f"{path}, line {n}"))
    except OSError as e:
        raise AlignerError(f"{path}: cannot read ({e.strerror}).") from None
    except UnicodeDecodeError:
        raise AlignerError(f"{path}: not UTF-8; save the JSONL as UTF-8 and try again.") from None
    meta = meta if isinstance(meta, dict) else {}
    mode = meta.get("mode") if meta.get("mode") in ("parallel", "comparable", "mining") else None
    return Table(units, str(meta.get("src_lang") or "en"), str(meta.get("tgt_lang") or "ko"),
                 str(meta.get("signature") or ""), mode or "parallel", meta,
                 (str(path),))  # fmt: skip
