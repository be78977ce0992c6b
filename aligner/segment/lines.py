"""``--segments lines``: every non-empty input line is one segment, never split or joined.

For texts that are already segmented: exported from a CAT tool, one verse or one subtitle per
line. A translation memory made this way matches a CAT tool that segments at line breaks.
"""

from __future__ import annotations

import re

from .base import Sentence

_LINE = re.compile(r"[^\n]+")
_BLANK = re.compile(r"\n[ \t]*\n")
# An empty line (spaces allowed) ends a paragraph: what CAT tools' text filters do by default.
_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n\s*")


def paragraph_spans(text: str) -> list[tuple[int, int]]:
    """[start, end) of each paragraph, paragraphs being apart by at least one empty line."""
    spans, pos = [], 0
    for m in _PARAGRAPH_BREAK.finditer(text):
        spans.append((pos, m.start()))
        pos = m.end()
    spans.append((pos, len(text)))
    return spans


def trim_span(text: str, s: int, e: int) -> tuple[int, int]:
    """[s, e) without the white space at either end (offsets point at the text itself)."""
    while s < e and text[s].isspace():
        s += 1
    while e > s and text[e - 1].isspace():
        e -= 1
    return s, e


def split_lines(text: str) -> list[Sentence]:
    """One sentence per non-blank line, trimmed; blank lines start a new paragraph."""
    out: list[Sentence] = []
    para = 0
    last_end = 0
    for m in _LINE.finditer(text):
        s, e = trim_span(text, m.start(), m.end())
        if s == e:
            continue
        if out and _BLANK.search(text, last_end, s):
            para += 1
        out.append(Sentence(text[s:e], s, e, para))
        last_end = e
    return out
