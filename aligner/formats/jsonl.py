"""JSONL: a metadata line with the signature, then one bead per line with ids as lists."""

from __future__ import annotations

import json
from pathlib import Path

from ._io import write_text_output


def jsonl_lines(alignment, min_score: float | None = None):
    meta = {
        "meta": {
            "signature": alignment.signature,
            "src_lang": alignment.src_lang,
            "tgt_lang": alignment.tgt_lang,
            **alignment.summary(),
        }
    }
    yield json.dumps(meta, ensure_ascii=False)
    for b in alignment.beads:
        if min_score is not None and b.aligned and b.score < min_score:
            continue
        yield json.dumps(
            {
                "src_ids": list(b.src_ids),
                "tgt_ids": list(b.tgt_ids),
                "type": b.type,
                "score": round(b.score, 4),
                "src_text": alignment.src_text(b),
                "tgt_text": alignment.tgt_text(b),
                "src_para": alignment.src[b.src_ids[0]].para if b.src_ids else None,
                "tgt_para": alignment.tgt[b.tgt_ids[0]].para if b.tgt_ids else None,
            },
            ensure_ascii=False,
        )


def write_jsonl(alignment, path: str | Path | None = None, min_score: float | None = None):
    text = "".join(line + "\n" for line in jsonl_lines(alignment, min_score))
    return write_text_output(text, path)
