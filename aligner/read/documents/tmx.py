"""A TMX memory as input (to re-align a bad memory): every unit's segment in each language,
one block per unit, inline codes left out."""

from __future__ import annotations

from .base import Block, Document, parse_xml, primary
from .xliff import inline_text

# TMX inline elements holding native code; <hi> and <sub> text is kept (<sub> sits in codes).
_CODE = {"bpt", "ept", "ph", "it", "ut"}
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def read_tmx_input(data: bytes, name: str) -> Document:
    root = parse_xml(data, name, "TMX memory")
    header = root.find("header")
    srclang = header.get("srclang", "") if header is not None else ""
    sides: dict[str, list[Block]] = {}
    for tu in root.iter("tu"):
        for tuv in tu.iter("tuv"):
            code = tuv.get(_XML_LANG) or tuv.get("lang") or ""  # TMX 1.1 wrote lang=
            seg = tuv.find("seg")
            if seg is None or not code:
                continue
            text = inline_text(seg, _CODE)
            if text.strip():
                sides.setdefault(_same_language(sides, code), []).append(Block(text, "segment"))
    if srclang and srclang != "*all*":
        first = next((c for c in sides if primary(c) == primary(srclang)), None)
        if first:
            sides = {first: sides[first], **{c: b for c, b in sides.items() if c != first}}
    return Document("tmx", sides)


def _same_language(sides: dict, code: str) -> str:
    """en-US and EN-us (and en_US) units are one side."""
    return next((c for c in sides if c.lower().replace("_", "-") ==
                 code.lower().replace("_", "-")), code)  # fmt: skip
