"""Word (.docx, python-docx) and OpenDocument (.odt, odfpy) text in reading order: paragraphs,
headings and table cells as blocks. Headers, footers, comments and tracked deletions are left
out: they are not part of the text a translator aligns."""

from __future__ import annotations

import io
import zipfile

from ...errors import AlignerError
from .base import Block, Document, unreadable

# Word's built-in heading styles are named "Heading 1".."Heading 9" and "Title" (the names are
# stored in English whatever the language of Word); an outline level also marks a heading.
_HEADING_STYLES = ("heading", "title", "subtitle")


def read_docx(data: bytes, name: str) -> Document:
    import docx
    from docx.oxml.ns import qn

    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as e:  # python-docx raises KeyError, ValueError, lxml errors...
        raise unreadable(name, "DOCX document", e) from None
    blocks: list[Block] = []
    _docx_children(document.element.body, document, blocks, qn)
    return Document.single("docx", blocks)


def _docx_children(element, parent, blocks: list[Block], qn) -> None:
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    for child in element.iterchildren():
        if child.tag == qn("w:p"):
            p = Paragraph(child, parent)
            blocks.append(Block(p.text, "heading" if _is_heading(p) else "para"))
        elif child.tag == qn("w:tbl"):
            for row in Table(child, parent).rows:
                for cell in _unique_cells(row):
                    # a cell holds paragraphs and maybe tables of its own
                    inner: list[Block] = []
                    _docx_children(cell._tc, cell, inner, qn)
                    blocks.extend(Block(b.text, "cell" if b.kind == "para" else b.kind)
                                  for b in inner)  # fmt: skip
        elif child.tag == qn("w:sdt"):  # content controls (e.g. a table of contents)
            content = child.find(qn("w:sdtContent"))
            if content is not None:
                _docx_children(content, parent, blocks, qn)


def _unique_cells(row):
    """A merged cell is returned once per grid column it spans; read it once."""
    seen = set()
    for cell in row.cells:
        if id(cell._tc) not in seen:
            seen.add(id(cell._tc))
            yield cell


def _is_heading(paragraph) -> bool:
    try:
        style = (paragraph.style.name or "").lower() if paragraph.style is not None else ""
    except (KeyError, ValueError):
        style = ""
    if style.startswith(_HEADING_STYLES):
        return True
    ppr = paragraph._p.pPr
    return (
        ppr is not None
        and ppr.find("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}outlineLvl")
        is not None
    )


def _odt_encrypted(data: bytes) -> bool:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            return b"encryption-data" in z.read("META-INF/manifest.xml")
    except (KeyError, zipfile.BadZipFile):
        return False


def read_odt(data: bytes, name: str) -> Document:
    from odf import teletype
    from odf.opendocument import load

    if _odt_encrypted(data):
        raise AlignerError(
            f"{name}: is password-protected; open it in LibreOffice, remove the password "
            "(File > Properties > Security, or save a copy without it) and try again."
        )
    try:
        document = load(io.BytesIO(data))
    except Exception as e:
        raise unreadable(name, "ODT document", e) from None
    blocks: list[Block] = []
    _odt_children(document.text, blocks, teletype, in_cell=False)
    return Document.single("odt", blocks)


_TEXT_NS = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
_TABLE_NS = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"


def _odt_children(element, blocks: list[Block], teletype, in_cell: bool) -> None:
    for child in element.childNodes:
        if child.nodeType != child.ELEMENT_NODE:
            continue
        ns, tag = child.qname
        if ns == _TEXT_NS and tag in ("p", "h"):
            kind = "heading" if tag == "h" else ("cell" if in_cell else "para")
            blocks.append(Block(teletype.extractText(child), kind))
        elif ns == _TEXT_NS and tag in ("tracked-changes", "sequence-decls", "note-citation"):
            continue  # deleted text and bookkeeping: not part of the text
        elif ns == _TABLE_NS and tag == "table-cell":
            _odt_children(child, blocks, teletype, in_cell=True)
        else:  # lists, sections, tables, rows, frames: their paragraphs in order
            _odt_children(child, blocks, teletype, in_cell)
