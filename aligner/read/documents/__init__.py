"""Documents in: DOCX, ODT, HTML, Markdown, XLIFF, TMX, SRT/VTT and PDF as text with its
structure (paragraphs, headings, table cells, subtitle cues and their timing).

A format is known by its content first (a PDF, a zip holding a Word or OpenDocument text, an
XML root, a subtitle timecode), then by the extension; plain text stays plain text. Every
reader gives :class:`Block` lists; :func:`layout` joins them into the one normalised text the
splitters see (paragraph-level blocks apart by a blank line, cues and units by a line break)
and :class:`Region` records say where each block sits in it.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

from ...errors import AlignerError
from .base import LINE_KINDS, PARAGRAPH_KINDS, Block, Document, pick_side, primary

__all__ = [
    "LINE_KINDS",
    "PARAGRAPH_KINDS",
    "READABLE",
    "Block",
    "Document",
    "Region",
    "detect_format",
    "layout",
    "pick_side",
    "primary",
    "read_document",
]

# Extensions we read as documents; anything else is read as plain text.
READABLE = {
    ".docx": "docx", ".odt": "odt", ".html": "html", ".htm": "html", ".xhtml": "html",
    ".xliff": "xliff", ".xlf": "xliff", ".srt": "srt", ".vtt": "vtt", ".pdf": "pdf",
    ".md": "md", ".markdown": "md", ".tmx": "tmx",
}  # fmt: skip
_TEXT_FORMATS = ("html", "md", "srt", "vtt")  # decoded like plain text, then parsed
_SRT_START = re.compile(r"\A\s*\d+\s*\n\s*\d{1,2}:\d\d:\d\d[,.]\d{1,3}\s*-->", re.M)
_XML_ROOT = re.compile(rb"<(?:[\w.-]+:)?(xliff|tmx|html)\b", re.I)
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED = "EncryptedPackage".encode("utf-16-le")
_UNREAD = (
    "save it as .docx, .odt, .html, .xliff, .pdf (with text) or plain text, or copy the text "
    "into a .txt file"
)


@dataclass(frozen=True)
class Region:
    """Where a block sits in the laid-out text, and what it is."""

    start: int
    end: int
    kind: str
    props: tuple[tuple[str, str], ...] = ()


def _zip_format(data: bytes, name: str) -> str:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            names = set(z.namelist())
            mimetype = z.read("mimetype").strip() if "mimetype" in names else b""
    except zipfile.BadZipFile:
        raise AlignerError(f"{name}: a damaged zip archive; {_UNREAD}.") from None
    if "[Content_Types].xml" in names and "word/document.xml" in names:
        return "docx"
    if mimetype == b"application/vnd.oasis.opendocument.text":
        return "odt"
    if "xl/workbook.xml" in names or mimetype.endswith(b"spreadsheet"):
        raise AlignerError(
            f"{name}: a spreadsheet, not a document; to turn an exported "
            "alignment into a TMX use `aligner convert FILE.xlsx OUT.tmx`."
        )
    if "ppt/presentation.xml" in names or mimetype.endswith(b"presentation"):
        raise AlignerError(f"{name}: a presentation, which we do not read; {_UNREAD}.")
    raise AlignerError(f"{name}: a zip archive that is not a DOCX or ODT document; {_UNREAD}.")


def detect_format(name: str, data: bytes) -> str:
    """'text' or a document format, from the content (magic bytes, XML root, a subtitle
    timecode), then the extension."""
    if data.startswith(b"%PDF-"):
        return "pdf"
    if data.startswith(b"PK\x03\x04"):
        return _zip_format(data, name)
    if data.startswith(_OLE):
        if _ENCRYPTED in data[: 1 << 20]:
            raise AlignerError(
                f"{name}: is password-protected; open it in Word or LibreOffice, remove the "
                "password (File > Info > Protect Document) and save it again."
            )
        raise AlignerError(f"{name}: an old Office file (.doc); save it as .docx and try again.")
    ext = READABLE.get(Path(name).suffix.lower())
    if ext in ("pdf", "docx", "odt"):
        raise AlignerError(f"{name}: is named .{ext} but is not a {ext.upper()} file; "
                           "check that it is the right file.")  # fmt: skip
    if ext:
        return ext
    head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head[:6].upper() == b"WEBVTT":
        return "vtt"
    if _SRT_START.match(head.decode("utf-8", "ignore")):
        return "srt"
    m = _XML_ROOT.search(head) if head[:1] == b"<" else None
    if m:
        return {"xliff": "xliff", "tmx": "tmx", "html": "html"}[m.group(1).lower().decode()]
    return "text"


def read_document(fmt: str, data: bytes, name: str, encoding: str | None = None) -> Document:
    """Read ``data`` as document format ``fmt`` (see :func:`detect_format`)."""
    if fmt in _TEXT_FORMATS:
        from ..decode import decode_bytes

        decoded = decode_bytes(data, name, encoding)
        from . import markup, subtitles

        reader = {"html": markup.read_html, "md": markup.read_markdown,
                  "srt": subtitles.read_srt, "vtt": subtitles.read_vtt}[fmt]  # fmt: skip
        return reader(decoded.text, name, encoding=decoded.encoding, replaced=decoded.replaced)
    if fmt == "docx":
        from .office import read_docx as reader
    elif fmt == "odt":
        from .office import read_odt as reader
    elif fmt == "pdf":
        from .pdf import read_pdf as reader
    elif fmt == "xliff":
        from .xliff import read_xliff as reader
    elif fmt == "tmx":
        from .tmx import read_tmx_input as reader
    else:
        raise ValueError(f"not a document format: {fmt!r}")
    return reader(data, name)


# A cue that ends with one of these ends its sentence; any other runs on into the next cue.
_SENTENCE_END = tuple(".!?…。！？\"'”’)]♪")


def _separator(prev: Block, prev_text: str, cur: Block) -> str:
    if cur.kind not in LINE_KINDS or prev.kind not in LINE_KINDS:
        return "\n\n"
    if cur.kind == "cue" and prev.kind == "cue" and not prev_text.endswith(_SENTENCE_END):
        return " "  # a subtitle sentence over two cues is one sentence
    return "\n"


def layout(blocks: list[Block], normalize) -> tuple[str, tuple[Region, ...]]:
    """One text from the blocks: a blank line after a paragraph-level block, a line break
    between units and between cues (a space where a sentence runs on into the next cue);
    each block's text normalised (``normalize``) and trimmed."""
    parts: list[str] = []
    regions: list[Region] = []
    pos = 0
    prev = None
    for b in blocks:
        text = normalize(b.text).strip()
        if not text:
            continue
        if prev is not None:
            sep = _separator(prev, parts[-1], b)
            parts.append(sep)
            pos += len(sep)
        parts.append(text)
        regions.append(Region(pos, pos + len(text), b.kind, b.props))
        pos += len(text)
        prev = b
    return "".join(parts) + ("\n" if parts else ""), tuple(regions)
