"""HTML (lxml) and Markdown (markdown-it-py): the text a reader sees, block by block, with no
markup, script or style. Headings stay headings; ``<br>`` and hard breaks stay line breaks."""

from __future__ import annotations

import html as html_escape

from ...errors import AlignerError
from .base import Block, Document, unreadable

# Elements whose content is never text to align.
_SKIP = {"script", "style", "noscript", "template", "head", "svg", "math", "iframe", "object"}
# Elements that start and end a block of their own.
_BLOCK = {
    "p", "div", "li", "dt", "dd", "td", "th", "caption", "figcaption", "blockquote", "pre",
    "address", "article", "aside", "section", "header", "footer", "nav", "main", "form",
    "fieldset", "legend", "label", "option", "table", "tr", "ul", "ol", "dl", "hr", "body",
    "h1", "h2", "h3", "h4", "h5", "h6", "summary", "details", "figure",
}  # fmt: skip
_HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
_KIND = {"td": "cell", "th": "cell", "li": "item", "pre": "code"}


def parse_html(text: str, name: str):
    """The page's tree, with libxml2's nesting limit lifted: old Korean news pages leave
    hundreds of ``<font>`` tags unclosed, and at the default limit (256) the parser silently
    drops everything below it. A page deeper still is refused, never cut."""
    from lxml import etree, html

    parser = html.HTMLParser(encoding="utf-8", huge_tree=True)
    try:
        root = html.fromstring(text.encode("utf-8", "surrogatepass"), parser=parser)
    except (etree.ParserError, ValueError) as e:
        raise unreadable(name, "HTML page", e) from None
    if any("depth" in str(err.message).lower() for err in parser.error_log):
        raise AlignerError(
            f"{name}: the HTML page nests its elements too deeply to read whole (unclosed "
            "tags); save it as text and use that instead."
        )
    return root


def html_blocks(text: str, name: str = "HTML page") -> list[Block]:
    """The blocks of text a reader sees on a page."""
    from lxml import etree

    return _html_blocks(parse_html(text, name), etree)


def read_html(text: str, name: str, **kw) -> Document:
    return Document.single("html", html_blocks(text, name), **kw)


def _html_blocks(root, etree) -> list[Block]:
    blocks: list[Block] = []
    buf: list[str] = []
    kinds: list[str] = ["para"]  # the innermost open block's kind
    skipping = 0
    pre = 0  # inside <pre>: source line breaks are line breaks

    def text_of(s: str | None) -> str:
        return (s or "") if pre else (s or "").replace("\n", " ").replace("\r", " ")

    def flush():
        text = "".join(buf)
        if text.strip():
            blocks.append(Block(text, kinds[-1]))
        buf.clear()

    for event, el in etree.iterwalk(root, events=("start", "end")):
        tag = el.tag.lower() if isinstance(el.tag, str) else ""
        if event == "start":
            if tag in _SKIP or not tag:  # comments and processing instructions have no str tag
                skipping += 1
                continue
            if skipping:
                continue
            if tag in _BLOCK:
                flush()
                kinds.append("heading" if tag in _HEADINGS else _KIND.get(tag, kinds[-1]))
            elif tag == "br":
                buf.append("\n")
            elif tag == "img" and el.get("alt"):
                buf.append(el.get("alt"))
            pre += tag == "pre"
            buf.append(text_of(el.text))
        else:
            if tag in _SKIP or not tag:
                skipping -= 1
            elif not skipping and tag in _BLOCK:
                flush()
                kinds.pop()
            pre -= tag == "pre"
            if not skipping:
                buf.append(text_of(el.tail))
    flush()
    return [Block(_squeeze(b.text, b.kind), b.kind) for b in blocks]


def _squeeze(text: str, kind: str) -> str:
    """Spaces as a browser shows them: runs collapsed, line breaks only where <br> put them
    (a <pre> keeps its lines)."""
    if kind == "code":
        return text
    lines = text.split("\n")  # only <br> made these: source line breaks are spaces
    return "\n".join(" ".join(line.split()) for line in lines if line.strip())


def read_markdown(text: str, name: str, **kw) -> Document:
    from markdown_it import MarkdownIt

    try:
        tokens = MarkdownIt("commonmark").enable("table").parse(text)
    except Exception as e:  # markdown-it accepts any text; this is a safety net
        raise unreadable(name, "Markdown file", e) from None
    blocks: list[Block] = []
    kind = "para"
    for t in tokens:
        if t.type == "heading_open":
            kind = "heading"
        elif t.type in ("th_open", "td_open"):
            kind = "cell"
        elif t.type == "list_item_open":
            kind = "item"
        elif t.type in ("heading_close", "th_close", "td_close", "list_item_close"):
            kind = "para"
        elif t.type == "inline":
            blocks.append(Block(_inline_text(t.children or []), kind))
        elif t.type in ("fence", "code_block"):
            blocks.append(Block(t.content.rstrip("\n"), "code"))
        elif t.type == "html_block":
            blocks.extend(read_html(t.content, name).sides[""])
    return Document.single("md", [b for b in blocks if b.text.strip()], **kw)


def _inline_text(children) -> str:
    out = []
    for c in children:
        if c.type in ("text", "code_inline"):
            out.append(c.content)
        elif c.type == "softbreak":
            out.append(" ")  # a wrapped line, not a break
        elif c.type == "hardbreak":
            out.append("\n")
        elif c.type == "image":
            out.append(c.content)  # the alt text
        elif c.type == "html_inline" and c.content.lower().startswith("<br"):
            out.append("\n")
    return html_escape.unescape("".join(out)) if "&" in "".join(out) else "".join(out)
