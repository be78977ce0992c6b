"""Subtitles (.srt with srt, .vtt with webvtt-py): the cue text, one block per cue, with the
cue's timing kept as props (written to TMX as x-src-start/x-src-end ...). Cue numbers,
timecodes, styling tags and positioning codes never reach the text."""

from __future__ import annotations

import html
import re

from .base import Block, Document, unreadable

# <i>, <b>, <font ...>, <c.yellow>, <v Speaker> and ASS overrides such as {\an8}
_TAGS = re.compile(r"<[^>\n]*>|\{\\[^}\n]*\}")


def cue_text(raw: str) -> str:
    """A cue's lines are one display unit wrapped to the screen: one line of text."""
    text = html.unescape(_TAGS.sub("", raw))
    return " ".join(text.split())


def read_srt(text: str, name: str, **kw) -> Document:
    import srt

    try:
        cues = list(srt.parse(text))
    except (srt.SRTParseError, ValueError) as e:
        raise unreadable(name, "SRT subtitle file", e) from None
    blocks = [
        Block(cue_text(c.content), "cue", (("start", srt.timedelta_to_srt_timestamp(c.start)),
                                           ("end", srt.timedelta_to_srt_timestamp(c.end))))
        for c in cues
    ]  # fmt: skip
    return Document.single("srt", [b for b in blocks if b.text], **kw)


def read_vtt(text: str, name: str, **kw) -> Document:
    import webvtt

    try:
        captions = webvtt.WebVTT.from_string(text).captions
    except Exception as e:  # webvtt-py raises its MalformedFileError and others
        raise unreadable(name, "WebVTT subtitle file", e) from None
    blocks = [Block(cue_text(c.raw_text), "cue", (("start", c.start), ("end", c.end)))
              for c in captions]  # fmt: skip
    return Document.single("vtt", [b for b in blocks if b.text], **kw)
