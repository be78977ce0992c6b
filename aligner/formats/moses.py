"""Moses: two line-aligned plain-text files (``out.en``, ``out.ko``), the input MT training
pipelines take as it is. Only aligned units: a line with one side empty poisons the corpus."""

from __future__ import annotations

from pathlib import Path

from ._io import atomic_path
from .tsv import clean_cell
from .units import Unit, select_units


def moses_paths(output: str | Path, src_lang: str, tgt_lang: str) -> tuple[Path, Path]:
    """``-o out`` or ``-o out.moses`` → ``out.en``, ``out.ko``."""
    base = Path(output)
    if base.suffix.lower() == ".moses":
        base = base.with_suffix("")
    return Path(f"{base}.{src_lang}"), Path(f"{base}.{tgt_lang}")


def write_moses_units(
    units, output: str | Path, src_lang: str, tgt_lang: str, min_score: float | None = None
) -> tuple[Path, Path, int]:
    """Write the two files; returns (source path, target path, lines written)."""
    src_path, tgt_path = moses_paths(output, src_lang, tgt_lang)
    kept: list[Unit] = list(select_units(units, include_unaligned=False, min_score=min_score))
    with atomic_path(src_path) as s_tmp, atomic_path(tgt_path) as t_tmp:
        s_tmp.write_text("".join(clean_cell(u.src_text) + "\n" for u in kept), encoding="utf-8")
        t_tmp.write_text("".join(clean_cell(u.tgt_text) + "\n" for u in kept), encoding="utf-8")
    return src_path, tgt_path, len(kept)


def write_moses(
    alignment, output: str | Path, min_score: float | None = None
) -> tuple[Path, Path, int]:
    from .units import units_from_alignment

    return write_moses_units(
        units_from_alignment(alignment), output, alignment.src_lang, alignment.tgt_lang, min_score
    )
