"""PDF with a text layer (pypdf). The text comes out as lines wrapped to the page; lines are
joined back into paragraphs (a short line or a blank one ends a paragraph). A PDF without a
text layer (a scan) or with a password is one line saying what to do."""

from __future__ import annotations

import io

from ...errors import AlignerError
from .base import Block, Document, unreadable

# Fewer letters than this per page: the text layer is missing (a scan) or all but empty.
MIN_CHARS_PER_PAGE = 20
# A line shorter than this share of the page's long lines ends its paragraph (when it ends a
# sentence): the last line of a paragraph rarely runs to the margin.
SHORT_LINE = 0.75
_ENDS = tuple(".!?:;…。！？\"'”’)")


def read_pdf(data: bytes, name: str) -> Document:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise _protected(name)
        pages = [page.extract_text() or "" for page in reader.pages]
    except AlignerError:
        raise
    except (PdfReadError, ValueError, KeyError, OSError, TypeError) as e:
        if "password" in str(e).lower() or "decrypt" in str(e).lower():
            raise _protected(name) from None
        raise unreadable(name, "PDF", e) from None
    letters = sum(ch.isalnum() for text in pages for ch in text)
    if letters < MIN_CHARS_PER_PAGE * max(len(pages), 1) / 4:
        raise AlignerError(
            f"{name}: this PDF has no text layer (a scan?); run OCR on it first (e.g. "
            "ocrmypdf --language eng+kor in.pdf out.pdf) or export the text from the program "
            "that made it."
        )
    blocks: list[Block] = []
    for text in pages:
        blocks.extend(Block(p) for p in paragraphs(text.splitlines()))
    return Document.single("pdf", blocks)


def _protected(name: str) -> AlignerError:
    return AlignerError(
        f"{name}: is password-protected; save an unprotected copy (e.g. qpdf --decrypt "
        "--password=... in.pdf out.pdf) and try again."
    )


def paragraphs(lines: list[str]) -> list[str]:
    """Page lines joined into paragraphs: a blank line, or a short line that ends a sentence,
    closes one; a line ending in '-' before a lowercase letter continues the word."""
    widths = sorted(len(line.rstrip()) for line in lines if line.strip())
    full = widths[int(0.8 * (len(widths) - 1))] if widths else 0
    out, cur = [], ""
    for line in lines:
        line = " ".join(line.split())
        if not line:
            if cur:
                out.append(cur)
            cur = ""
            continue
        if cur.endswith("-") and line[:1].islower():
            cur += line  # keep the hyphen: "well-known" is as likely as "inter-national"
        else:
            cur = f"{cur} {line}" if cur else line
        if line.endswith(_ENDS) and len(line) < SHORT_LINE * full:
            out.append(cur)
            cur = ""
    if cur:
        out.append(cur)
    return out
