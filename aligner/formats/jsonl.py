"""JSONL: a metadata line with the signature, then one bead per line with ids as lists."""

from __future__ import annotations

import json
from pathlib import Path

from ..errors import AlignerError
from .units import Table, Unit, default_unaligned, parse_ids, parse_score, select_units, type_of


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
    return record


def render_jsonl(
    table: Table, *, min_score: float | None = None, include_unaligned: bool | None = None
) -> tuple[str, dict]:
    """The metadata line (when the table has one), then one record per unit."""
    units = select_units(table.units, default_unaligned(table, include_unaligned), min_score)
    lines = [json.dumps({"meta": table.meta}, ensure_ascii=False)] if table.meta else []
    mining = table.mode == "mining"
    lines += [json.dumps(unit_record(u, mining), ensure_ascii=False) for u in units]
    return "".join(line + "\n" for line in lines), {"written": len(units)}


def _unit(obj: dict, where: str) -> Unit:
    src, tgt = str(obj.get("src_text") or ""), str(obj.get("tgt_text") or "")
    src_ids = parse_ids(",".join(map(str, obj.get("src_ids") or ())), where)
    tgt_ids = parse_ids(",".join(map(str, obj.get("tgt_ids") or ())), where)
    kind = obj.get("type") or type_of(src_ids, tgt_ids, src, tgt)
    score = parse_score(str(obj.get("score") or ""), where)
    return Unit(src, tgt, score, kind, src_ids, tgt_ids)


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
    except OSError as e:
        raise AlignerError(f"{path}: cannot read ({e.strerror}).") from None


def read_jsonl(path: str | Path) -> Table:
    """Read our JSONL back: the units, and the languages and signature of its metadata line."""
    units, meta = [], {}
    for n, obj in json_lines(path):
        if isinstance(obj, dict) and "meta" in obj:
            meta = obj["meta"]
            continue
        if not isinstance(obj, dict) or not ({"src_text", "tgt_text"} & set(obj)):
            raise AlignerError(f"{path}, line {n}: not an aligner row (needs src_text/tgt_text).")
        units.append(_unit(obj, f"{path}, line {n}"))
    meta = meta if isinstance(meta, dict) else {}
    mode = meta.get("mode") if meta.get("mode") in ("parallel", "comparable", "mining") else None
    return Table(units, str(meta.get("src_lang") or "en"), str(meta.get("tgt_lang") or "ko"),
                 str(meta.get("signature") or ""), mode or "parallel", meta,
                 (str(path),))  # fmt: skip
