"""Mining output: the standard TSV/JSONL/TMX rows, pairs only by default, with document names.

A mining run over 20k sentences a side leaves most of them unpaired; listing every one would
bury the pairs, so only pairs are written unless ``include_unaligned``. The rows come from the
ordinary writers (same columns, same cleaning); JSONL adds ``cosine``, ``src_doc`` and
``tgt_doc``; TSV adds ``src_doc``/``tgt_doc`` columns only when asked, so ``cut -f1,2`` and the
readers of our TSV keep working.
"""

from __future__ import annotations

import json
from pathlib import Path

from ._io import write_text_output
from .jsonl import jsonl_lines
from .tsv import COLUMNS, clean_cell, tsv_lines


def _rows(alignment, lines, include_unaligned: bool):
    """(bead index, bead, line) for the beads to write; ``lines`` has one line per bead."""
    for n, (bead, line) in enumerate(zip(alignment.beads, lines, strict=True)):
        if bead.aligned or include_unaligned:
            yield n, bead, line


def _doc(alignment, side: str, ids) -> str:
    names = alignment.info.get(f"{side}_doc")
    return names[ids[0]] if names and ids else ""


def mined_tsv(alignment, header: bool = False, include_unaligned: bool = False,
              doc_columns: bool = False) -> str:  # fmt: skip
    out = []
    if header:
        out.append("\t".join(COLUMNS + (["src_doc", "tgt_doc"] if doc_columns else [])))
    for _, b, line in _rows(alignment, tsv_lines(alignment), include_unaligned):
        if doc_columns:
            docs = [clean_cell(_doc(alignment, "src", b.src_ids)),
                    clean_cell(_doc(alignment, "tgt", b.tgt_ids))]  # fmt: skip
            line = "\t".join([line, *docs])
        out.append(line)
    return "".join(x + "\n" for x in out)


def mined_jsonl(alignment, include_unaligned: bool = False) -> str:
    lines = jsonl_lines(alignment)
    out = [next(lines)]  # the meta line: signature and counts
    cosine = alignment.info.get("cosine", [])
    for n, b, line in _rows(alignment, lines, include_unaligned):
        row = json.loads(line)
        row["cosine"] = cosine[n] if b.aligned and n < len(cosine) else None
        row["src_doc"] = _doc(alignment, "src", b.src_ids) or None
        row["tgt_doc"] = _doc(alignment, "tgt", b.tgt_ids) or None
        out.append(json.dumps(row, ensure_ascii=False))
    return "".join(x + "\n" for x in out)


def write_mined(
    alignment,
    path: str | Path,
    fmt: str,
    header: bool = False,
    include_unaligned: bool = False,
    doc_columns: bool = False,
    **tmx_options,
) -> dict:
    """Write a mining result as 'tsv', 'jsonl' or 'tmx' ('-' = stdout for TSV/JSONL).

    Returns {'rows': n} (TSV/JSONL) or the TMX writer's counts.
    """
    if fmt == "tmx":
        from .tmx import write_tmx

        return write_tmx(alignment, path, include_unaligned=include_unaligned, **tmx_options)
    if fmt == "tsv":
        text = mined_tsv(alignment, header, include_unaligned, doc_columns)
    elif fmt == "jsonl":
        text = mined_jsonl(alignment, include_unaligned)
    else:
        from ..errors import AlignerError

        raise AlignerError(f"mining writes tsv, jsonl or tmx, not {fmt}.")
    write_text_output(text, path)
    return {"rows": text.count("\n") - (1 if header or fmt == "jsonl" else 0)}
