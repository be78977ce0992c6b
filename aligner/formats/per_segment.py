"""One TMX unit per source segment (``write_tmx(per_segment=True)``, ``--tmx-per-segment``).

OmegaT cannot join segments in its editor, so a unit holding two of its segments never
matches. When a translator keeps a sentence whole across two segments, OmegaT stores the whole
translation on the first and an empty translation on the others; a bead of n source
sentences written that way fills every segment, and the target file reads as the translation.

OmegaT keeps one translation per segment text (the last unit read wins), so an empty
translation must never stand beside a real one for the same text: it would blank that
sentence everywhere. Such empty parts are left out (the segment then gets its own
translation), as are repeats of an empty part.
"""

from __future__ import annotations

import re
from dataclasses import replace

from .units import Unit, normalise_for_dedupe

_SPACES = re.compile(r"\s+")


def per_segment_rows(
    units: list[Unit], sentences: tuple[tuple[str, ...], tuple[str, ...]] | None,
    dedupe: bool = False,
) -> tuple[list[tuple[Unit, bool]], dict]:  # fmt: skip
    """(unit, its translation is empty on purpose) rows, and counts: ``kept_whole`` (units of
    several source sentences whose boundaries are unknown, written whole), ``empty_dropped``
    and ``duplicates_removed`` (parts equal to an earlier unit, with ``dedupe``)."""
    counts = {"kept_whole": 0, "empty_dropped": 0, "duplicates_removed": 0}
    rows: list[tuple[Unit, bool]] = []
    for unit in units:
        parts = _parts(unit, sentences)
        if parts is None:
            counts["kept_whole"] += _several(unit) and unit.aligned
            rows.append((unit, False))
        else:
            rows += parts
    filled = {u.src_text.strip() for u, empty in rows if not empty}
    kept, seen = [], set()
    for unit, empty in rows:
        key = (unit.src_text.strip(),) if empty else _pair(unit)
        if empty and key[0] in filled or key in seen:
            counts["empty_dropped" if empty else "duplicates_removed"] += 1
            continue
        if empty or dedupe:
            seen.add(key)
        kept.append((unit, empty))
    return kept, counts


def _several(unit: Unit) -> bool:
    head = unit.type.split("-")[0]
    return len(unit.src_ids) > 1 or (head.isdigit() and int(head) > 1)


def _pair(unit: Unit) -> tuple[str, str]:
    return normalise_for_dedupe(unit.src_text), normalise_for_dedupe(unit.tgt_text)


def _parts(unit: Unit, sentences) -> list[tuple[Unit, bool]] | None:
    """The unit's source sentences as units (see the module's note), or None where they are
    not known or no longer make up its text (edited after the alignment)."""
    if len(unit.src_ids) < 2 or not unit.aligned or sentences is None:
        return None
    if any(not 0 <= i < len(sentences[0]) for i in unit.src_ids):
        return None
    texts = [sentences[0][i] for i in unit.src_ids]
    joined = _SPACES.sub(" ", " ".join(texts)).strip()
    if any(not t.strip() for t in texts) or joined != _SPACES.sub(" ", unit.src_text).strip():
        return None
    n = len(texts)
    return [
        (
            replace(
                unit,
                src_text=text,
                src_ids=(i,),
                tgt_text=unit.tgt_text if k == 0 else "",
                tgt_ids=unit.tgt_ids if k == 0 else (),
                props=(*unit.props, ("x-segment", f"{k + 1}/{n}")),
            ),
            k > 0,
        )  # fmt: skip
        for k, (i, text) in enumerate(zip(unit.src_ids, texts, strict=True))
    ]
