"""What every document reader returns: the text as blocks (paragraphs, headings, table cells,
subtitle cues), each with the little the aligner keeps about it."""

from __future__ import annotations

from dataclasses import dataclass, field

from ...errors import AlignerError

# What a block is. Paragraph-level blocks are soft boundaries for the aligner; line-level ones
# are not: a subtitle sentence often runs over several cues, and a memory or XLIFF being
# re-aligned has its units wrong (that is why it is re-aligned).
PARAGRAPH_KINDS = ("para", "heading", "cell", "item", "code")
LINE_KINDS = ("cue", "segment")


@dataclass(frozen=True)
class Block:
    """One paragraph-level piece of a document, in reading order."""

    text: str
    kind: str = "para"
    props: tuple[tuple[str, str], ...] = ()  # e.g. a cue's ("start", ...), ("end", ...)


@dataclass(frozen=True)
class Document:
    """A document's text by language: one side for most formats; bilingual files (an XLIFF
    with targets, a TMX) hold one block list per language, the source first."""

    format: str
    sides: dict[str, list[Block]] = field(default_factory=dict)  # language code -> blocks
    encoding: str = "utf-8"
    replaced: int = 0  # undecodable bytes replaced (text formats only)

    @classmethod
    def single(cls, fmt: str, blocks: list[Block], **kw) -> Document:
        return cls(fmt, {"": blocks}, **kw)


def primary(code: str) -> str:
    """The language subtag of a code: 'EN-us' -> 'en', 'ko_KR' -> 'ko'."""
    return code.replace("_", "-").split("-")[0].lower()


def pick_side(doc: Document, lang: str | None, name: str) -> list[Block]:
    """The blocks of the side in ``lang``: the only side of a monolingual document, else the
    side whose language matches (an XLIFF or TMX given as both files gives both sides)."""
    sides = [(code, blocks) for code, blocks in doc.sides.items() if blocks]
    if len(sides) <= 1:
        return sides[0][1] if sides else []
    for code, blocks in sides:
        if lang and primary(code) == primary(lang):
            return blocks
    held = ", ".join(code for code, _ in sides)
    raise AlignerError(
        f"{name}: holds {held} text, none in {lang!r}; pass --src-lang/--tgt-lang as the "
        "file's languages."
    )


def unreadable(name: str, what: str, e: Exception | None = None) -> AlignerError:
    """One line for a file of a format we read that cannot be read."""
    detail = f" ({str(e).splitlines()[0][:120]})" if e and str(e) else ""
    return AlignerError(f"{name}: cannot read this {what}{detail}; is the file complete?")


def parse_xml(data: bytes, name: str, what: str):
    """The root of an XML file (no entity expansion, no network), or one clear error."""
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)
    try:
        return etree.fromstring(data, parser=parser)
    except etree.XMLSyntaxError as e:
        raise unreadable(name, what, e) from None
