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
    parse_ids,
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


def render_jsonl(
    table: Table, *, min_score: float | None = None, include_unaligned: bool | None = None
) -> tuple[str, dict]:
    """The metadata line (when the table has one), then one record per unit."""
    units = select_units(table.units, default_unaligned(table, include_unaligned), min_score)
    lines = [json.dumps({"meta": table.meta}, ensure_ascii=False)] if table.meta else []
    mining = table.mode == "mining"
    lines += [json.dumps(unit_record(u, mining, table.sentences), ensure_ascii=False)
              for u in units]  # fmt: skip
    return "".join(line + "\n" for line in lines), {"written": len(units)}


def _unit(obj: dict, where: str) -> Unit:
    src, tgt = str(obj.get("src_text") or ""), str(obj.get("tgt_text") or "")
    src_ids = parse_ids(",".join(map(str, obj.get("src_ids") or ())), where)
    tgt_ids = parse_ids(",".join(map(str, obj.get("tgt_ids") or ())), where)
    kind = obj.get("type") or type_of(src_ids, tgt_ids, src, tgt)
    score = parse_score(str(obj.get("score") or ""), where)
    status = parse_status(str(obj.get("status") or ""), where)
    return Unit(src, tgt, score, kind, src_ids, tgt_ids, status=status)


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
            if len(parts) != len(ids) or any(i in texts for i in ids):
                return None
            texts.update(zip(ids, map(str, parts), strict=True))
        expected = meta.get(f"{side}_sentences", len(texts))
        if sorted(texts) != list(range(len(texts))) or expected != len(texts):
            return None
        sides.append(tuple(texts[i] for i in range(len(texts))))
    return tuple(sides)


def read_jsonl(path: str | Path) -> Table:
    """Read our JSONL back: the units, and the languages and signature of its metadata line."""
    records, meta = [], {}
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
                records.append((_unit(obj, f"{path}, line {n}"), obj))
    except OSError as e:
        raise AlignerError(f"{path}: cannot read ({e.strerror}).") from None
    meta = meta if isinstance(meta, dict) else {}
    mode = meta.get("mode") if meta.get("mode") in ("parallel", "comparable", "mining") else None
    units = [unit for unit, _ in records]
    return Table(units, str(meta.get("src_lang") or "en"), str(meta.get("tgt_lang") or "ko"),
                 str(meta.get("signature") or ""), mode or "parallel", meta,
                 (str(path),), _sentence_texts(records, meta))  # fmt: skip
