"""XLIFF 1.2 and 2.x (lxml): the source text of every unit, and the target text where the file
has it, as one block per unit. Inline codes are left out; the text they wrap is kept."""

from __future__ import annotations

from .base import Block, Document, parse_xml

# Inline elements that hold native code (XLIFF 1.2 bpt/ept/ph/it, a sub-flow's text aside):
# their content is markup of the original format, not text.
_CODE_12 = {"bpt", "ept", "ph", "it"}
_DEFAULT_LANGS = ("source", "target")


def _local(tag) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def inline_text(element, code: set[str]) -> str:
    """The text of an inline container, skipping code elements but keeping their tails;
    XLIFF 2 ``<cp hex="..."/>`` is the character it names."""
    out = [element.text or ""]
    for child in element:
        tag = _local(child.tag)
        if tag == "cp" and child.get("hex"):
            try:
                out.append(chr(int(child.get("hex"), 16)))
            except ValueError:
                pass
        elif tag not in code and tag:
            out.append(inline_text(child, code))
        out.append(child.tail or "")
    return "".join(out)


def read_xliff(data: bytes, name: str) -> Document:
    root = parse_xml(data, name, "XLIFF file")
    version = root.get("version", "1.2")
    if version.startswith("2"):
        src_lang, tgt_lang, pairs = _units_2x(root)
    else:
        src_lang, tgt_lang, pairs = _units_12(root)
    source = [Block(s, "segment") for s, _ in pairs if s.strip()]
    target = [Block(t, "segment") for _, t in pairs if t.strip()]
    src_lang = src_lang or _DEFAULT_LANGS[0]
    tgt_lang = tgt_lang or _DEFAULT_LANGS[1]
    return Document("xliff", {src_lang: source, tgt_lang: target})


def _units_12(root):
    """<file source-language target-language> ... <trans-unit><source/><target/>."""
    src_lang = tgt_lang = None
    pairs = []
    for f in root.iter("{*}file"):
        src_lang = src_lang or f.get("source-language")
        tgt_lang = tgt_lang or f.get("target-language")
        for unit in f.iter("{*}trans-unit"):
            source, target = unit.find("{*}source"), unit.find("{*}target")
            pairs.append((
                inline_text(source, _CODE_12) if source is not None else "",
                inline_text(target, _CODE_12) if target is not None else "",
            ))  # fmt: skip
    return src_lang, tgt_lang, pairs


def _units_2x(root):
    """<xliff srcLang trgLang><file><unit><segment|ignorable><source/><target/>: a unit's
    segments (and the spaces between them) make one block."""
    pairs = []
    for unit in root.iter("{*}unit"):
        src, tgt = [], []
        for part in unit:
            if _local(part.tag) not in ("segment", "ignorable"):
                continue
            source, target = part.find("{*}source"), part.find("{*}target")
            s = inline_text(source, set()) if source is not None else ""
            src.append(s)
            # an ignorable without a target is the same whitespace on both sides
            if target is not None:
                tgt.append(inline_text(target, set()))
            elif _local(part.tag) == "ignorable":
                tgt.append(s)
        pairs.append(("".join(src), "".join(tgt)))
    return root.get("srcLang"), root.get("trgLang"), pairs
