"""Moses: two line-aligned plain-text files (``out.en``, ``out.ko``), the input MT training
pipelines take as it is. Only aligned units: a line with one side empty poisons the corpus."""

from __future__ import annotations

from pathlib import Path

from ._io import atomic_path
from .tsv import clean_cell
from .units import Table, select_units


def moses_paths(output: str | Path, src_lang: str, tgt_lang: str) -> list[Path]:
    """``-o out`` or ``-o out.moses`` → ``out.en``, ``out.ko``."""
    base = Path(output)
    if base.suffix.lower() == ".moses":
        base = base.with_suffix("")
    return [Path(f"{base}.{src_lang}"), Path(f"{base}.{tgt_lang}")]


def write_moses(table: Table, path: str | Path, *, min_score: float | None = None) -> dict:
    """Write the two files; returns the lines written and the two paths."""
    src_path, tgt_path = moses_paths(path, table.src_lang, table.tgt_lang)
    kept = select_units(table.units, include_unaligned=False, min_score=min_score)
    with atomic_path(src_path) as s_tmp, atomic_path(tgt_path) as t_tmp:
        s_tmp.write_text("".join(clean_cell(u.src_text) + "\n" for u in kept), encoding="utf-8")
        t_tmp.write_text("".join(clean_cell(u.tgt_text) + "\n" for u in kept), encoding="utf-8")
    return {"written": len(kept), "files": [str(src_path), str(tgt_path)]}
