"""JSONL: a metadata line with the signature, then one bead per line with ids as lists."""

from __future__ import annotations

import json
from pathlib import Path

from ._io import write_text_output
from .units import Unit, keep_unit, units_from_alignment


def unit_record(u: Unit) -> dict:
    return {
        "src_ids": list(u.src_ids),
        "tgt_ids": list(u.tgt_ids),
        "type": u.type,
        "score": round(u.score, 4),
        "src_text": u.src_text,
        "tgt_text": u.tgt_text,
    }


def jsonl_lines(alignment, min_score: float | None = None):
    meta = {
        "signature": alignment.signature,
        "src_lang": alignment.src_lang,
        "tgt_lang": alignment.tgt_lang,
        **alignment.summary(),
    }
    yield json.dumps({"meta": meta}, ensure_ascii=False)
    for b, u in zip(alignment.beads, units_from_alignment(alignment), strict=True):
        if not keep_unit(u, min_score=min_score):
            continue
        record = unit_record(u)
        record["src_para"] = alignment.src[b.src_ids[0]].para if b.src_ids else None
        record["tgt_para"] = alignment.tgt[b.tgt_ids[0]].para if b.tgt_ids else None
        yield json.dumps(record, ensure_ascii=False)


def write_jsonl(alignment, path: str | Path | None = None, min_score: float | None = None):
    text = "".join(line + "\n" for line in jsonl_lines(alignment, min_score))
    return write_text_output(text, path)
