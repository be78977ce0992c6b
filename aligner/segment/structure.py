"""A document's structure on its sentences: which sentences are headings, and the props of
the blocks they come from (a subtitle cue's timing), from the regions the reader recorded."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace

from .base import Sentence


def annotate(sentences: list[Sentence], regions: Sequence) -> list[Sentence]:
    """Sentences with ``heading`` and ``props`` set from the regions (``start``, ``end``,
    ``kind``, ``props``) they overlap; without regions, the sentences as they are."""
    if not regions:
        return sentences
    out = []
    r = 0
    for s in sentences:
        while r < len(regions) and regions[r].end <= s.start:
            r += 1
        hits = []
        k = r
        while k < len(regions) and regions[k].start < s.end:
            hits.append(regions[k])
            k += 1
        if not hits:
            out.append(s)
            continue
        heading = all(h.kind == "heading" for h in hits)
        out.append(replace(s, heading=heading, props=merge_props(h.props for h in hits)))
    return out


def merge_props(props: Iterable[tuple[tuple[str, str], ...]]) -> tuple[tuple[str, str], ...]:
    """The props of a run of pieces in order: each key's first value, except ``end``, which
    takes the last (a sentence over two cues starts with the first and ends with the second)."""
    merged: dict[str, str] = {}
    for items in props:
        for key, value in items:
            if key == "end" or key not in merged:
                merged[key] = value
    return tuple(merged.items())
