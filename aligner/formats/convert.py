"""Convert our TSV/JSONL (possibly edited by a reviewer) to TMX, Moses, TSV or JSONL without
aligning again. Rows keep their text, score, type and ids as written in the input."""

from __future__ import annotations

import json
from pathlib import Path

from ..errors import AlignerError
from . import format_for
from ._io import write_text_output
from .jsonl import unit_record
from .tsv import units_tsv_lines
from .units import Unit, read_jsonl_units, read_tsv_units, select_units

INPUT_FORMATS = {".tsv": "tsv", ".txt": "tsv", ".jsonl": "jsonl"}


def read_units(path: str | Path, fmt: str | None = None) -> tuple[list[Unit], dict]:
    """Rows of our TSV or JSONL; returns (units, metadata: JSONL's meta line or {})."""
    fmt = fmt or INPUT_FORMATS.get(Path(path).suffix.lower())
    if fmt == "tsv":
        return read_tsv_units(path), {}
    if fmt == "jsonl":
        return read_jsonl_units(path)
    raise AlignerError(
        f"{path}: cannot tell the input format; use a .tsv or .jsonl file or pass --from."
    )


def _tsv_text(units, header: bool) -> str:
    return "".join(line + "\n" for line in units_tsv_lines(units, header))


def _jsonl_text(units, meta: dict) -> str:
    lines = [json.dumps({"meta": meta}, ensure_ascii=False)] if meta else []
    lines += [json.dumps(unit_record(u), ensure_ascii=False) for u in units]
    return "".join(line + "\n" for line in lines)


def convert(
    in_path: str | Path,
    out_path: str | Path,
    in_fmt: str | None = None,
    out_fmt: str | None = None,
    src_lang: str | None = None,
    tgt_lang: str | None = None,
    min_score: float | None = None,
    header: bool = False,
    **tmx_options,
) -> dict:
    """Read ``in_path`` and write ``out_path``; returns counts (``rows`` read, ``written``)."""
    from .moses import write_moses_units
    from .tmx import language_code, write_tmx_units

    units, meta = read_units(in_path, in_fmt)
    src_lang = src_lang or meta.get("src_lang") or "en"
    tgt_lang = tgt_lang or meta.get("tgt_lang") or "ko"
    out_fmt = format_for(str(out_path), out_fmt)
    stats = {"rows": len(units)}
    if out_fmt == "tmx":
        codes = {
            "src_code": tmx_options.pop("src_code", None) or language_code(src_lang),
            "tgt_code": tmx_options.pop("tgt_code", None) or language_code(tgt_lang),
        }
        tmx = write_tmx_units(
            units, out_path, signature=meta.get("signature", ""), min_score=min_score,
            **codes, **tmx_options,
        )  # fmt: skip
        stats.update(tmx, written=tmx["units"])
    elif out_fmt == "moses":
        src_p, tgt_p, n = write_moses_units(units, out_path, src_lang, tgt_lang, min_score)
        stats.update(written=n, files=[str(src_p), str(tgt_p)])
    else:
        kept = list(select_units(units, include_unaligned=True, min_score=min_score))
        if out_fmt == "tsv":
            write_text_output(_tsv_text(kept, header), out_path)
        else:
            write_text_output(_jsonl_text(kept, meta), out_path)
        stats["written"] = len(kept)
    return stats
