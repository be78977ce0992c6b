"""Split a saved bilingual web page into its English and Korean texts, without the page furniture.

Users collect pages such as a JoongAng Daily report followed by a "Related Korean Article": both
languages, wrapped in breadcrumbs, share/print/login widgets and bylines. Aligning such a page
as it is pairs boilerplate with boilerplate, so we keep titles, captions and body text, send each
block to the language its letters are written in, and report every dropped line with a reason.

Korean news conventions are recognised rather than aligned: inline sub-heads (``* 소제목=본문``)
become a heading line of their own followed by the body, photo credits such as ``[YONHAP]`` and
bylines (``By …``, ``글=…기자``) are kept as metadata, not as sentences.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from .decode import normalize_text
from .script import hangul_share

# A line is Korean when at least this share of its Hangul+Latin letters is Hangul.
HANGUL_SHARE = 0.5

# Section markers that announce the other language's version of the story.
_SECTION = re.compile(
    r"^(related\s+(korean|english)\s+article|관련\s*(영문|한글|국문)?\s*기사)\b.*$", re.I
)
# Short interface lines: navigation, widgets, counters, promos (matched on lines without prose).
_WIDGET = re.compile(
    r"(\bhome\s*>|>\s*\w+\s*>|print\s+dictionary|\bprint\b|\bshare\b|\blog\s*in\b|\blogin\b|"
    r"\bsign\s*(in|up)\b|\bsubscribe\b|\bcomments?\b|\bfacebook\b|\btwitter\b|\bpopular\b|"
    r"\bmost\s+(read|viewed)\b|\bcopyright\b|©|all rights reserved|\bhelp-image\b|\bicon\b|"
    r"\bstandards board\b|\bnewsletter\b|\badvertisement\b|\(\d+\s*/\s*\d+\s*자?\)|"
    r"로그인|댓글|공유하기|구독|많이 본|인기\s*기사|기사\s*보내기|글자\s*크기|무단\s*전재)",
    re.I,
)
_IMAGE_WORDS = re.compile(r"^(image|photo|picture|img|icon|lock icon|사진|이미지|\W+)$", re.I)
_EN_BYLINE = re.compile(
    r"^(by|written by|reported by)\s+[A-Z][\w.\-']+(\s+[A-Z][\w.\-']+){0,3}\b", re.I
)
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.]+")
_KO_BYLINE = re.compile(r"(기자|특파원|통신원|논설위원|객원기자)\s*([\w.+-]+@[\w.-]+)?\s*$")
_CREDIT = re.compile(
    r"\s*\[(YONHAP|AP|AFP|REUTERS|EPA|NEWSIS|NEWS1|연합뉴스|뉴시스|뉴스1|[A-Z][A-Z ]{1,20})\]\s*$"
)
# A bilingual site's title or menu line: "English name | 한국어 이름" (each part to its side).
_BILINGUAL_SEP = re.compile(r"\s+[|｜/]\s+")
# A vocabulary line of a learning page ("heat wave: 폭염", "폭염 = heat wave"): not prose.
_GLOSSARY = re.compile(
    r"^([A-Za-z][A-Za-z '’-]{0,40}\s*[:=]\s*[가-힣][가-힣 ]{0,30}"
    r"|[가-힣][가-힣 ]{0,30}\s*[:=]\s*[A-Za-z][A-Za-z '’-]{0,40})$"
)
_SUBHEAD = re.compile(r"^[*■▶◆●○□◇·-]?\s*([^=]{2,40}?)\s*=\s*(\S.*)$")
_TERMINAL = re.compile(r"[.!?。…\"”’)\]다요]\s*$")


@dataclass(frozen=True)
class Dropped:
    """A line that did not reach either text, and why (1-based line number in the page text;
    0 for an HTML page's furniture, dropped before the page became text)."""

    line: int
    text: str
    reason: str


@dataclass(frozen=True)
class Extracted:
    """The two texts of a bilingual page, what was set aside as metadata, and what was dropped."""

    en: str
    ko: str
    metadata: list[tuple[str, str]] = field(default_factory=list)  # (kind, text)
    dropped: list[Dropped] = field(default_factory=list)

    def summary(self) -> dict:
        return {
            "en_lines": len([x for x in self.en.splitlines() if x.strip()]),
            "ko_lines": len([x for x in self.ko.splitlines() if x.strip()]),
            "metadata": len(self.metadata),
            "dropped": len(self.dropped),
        }


def looks_like_html(text: str) -> bool:
    head = text.lstrip()[:2000].lower()
    return head.startswith("<") and ("<html" in head or "<body" in head or "<!doctype" in head
                                     or "<div" in head or "<p" in head)  # fmt: skip


# Page furniture in HTML: a site's header (outside the article), navigation, side bars,
# footer. Their text is dropped whole (and reported), line by line rules never see it.
_FURNITURE = ("nav", "aside", "footer", "header")


def html_to_text(html: str, furniture: list[str] | None = None) -> str:
    """Visible text of an HTML page, one block per line, blank lines between blocks (the
    document reader's parse: lxml, nesting limit lifted, deep pages refused), without the
    page furniture; the text of each furniture element removed is appended to ``furniture``."""
    from lxml import etree

    from .documents.markup import html_blocks, parse_html

    html = re.sub(r"^\s*<\?xml[^>]*>", "", html)
    root = parse_html(html, "the HTML page")
    removed = []
    for el in root.iter(*_FURNITURE):
        inside = {a.tag for a in el.iterancestors()}
        if el.tag == "header" and inside & {"article", "main"}:
            continue  # an article's own header holds its title
        if not any(a in removed for a in el.iterancestors()):
            removed.append(el)
    for el in removed:
        text = " ".join(" ".join(el.itertext()).split())
        if furniture is not None and text:
            furniture.append(text)
        el.drop_tree()  # keeps the text that follows the element
    if removed:
        html = etree.tostring(root, encoding="unicode", method="html")
    return "\n\n".join(b.text.strip() for b in html_blocks(html, "the HTML page")) + "\n"


def _is_prose(line: str) -> bool:
    return len(line) >= 60 and bool(_TERMINAL.search(line))


def _classify(line: str) -> tuple[str, str]:
    """(kind, payload): kind is keep, section, widget, image, byline, glossary, or empty."""
    s = line.strip()
    if not s:
        return "empty", ""
    if _SECTION.match(s):
        return "section", s
    if _IMAGE_WORDS.match(s):
        return "image", s
    if not _is_prose(s) and _WIDGET.search(s):
        return "widget", s
    if len(s) <= 80 and (_EN_BYLINE.match(s) and (_EMAIL.search(s) or len(s.split()) <= 6)):
        return "byline", s
    if (
        len(s) <= 80
        and hangul_share(s) >= HANGUL_SHARE
        and _KO_BYLINE.search(s)
        and ("=" in s or len(s) <= 30)
    ):
        return "byline", s
    if _EMAIL.fullmatch(s.strip("[]<>() ")):
        return "byline", s
    if _GLOSSARY.match(s):
        return "glossary", s
    return "keep", s


_DROP_REASONS = {
    "section": "section marker",
    "widget": "navigation/widget",
    "image": "empty image caption",
    "byline": "byline (metadata)",
    "repeat": "repeated line",
    "glossary": "glossary entry",
}


def extract_page(text: str, html: bool | None = None) -> Extracted:
    """Split a saved bilingual page (plain text or HTML) into English and Korean texts.

    ``html=None`` decides from the content. Blocks go to the language that holds most of their
    letters (Hangul share ≥ 0.5 → Korean); paragraphs (blank-line separated) are kept.
    """
    if html is None:
        html = looks_like_html(text)
    furniture: list[str] = []
    if html:
        text = html_to_text(text, furniture)
    paras: dict[str, list[list[str]]] = {"en": [[]], "ko": [[]]}
    metadata: list[tuple[str, str]] = []
    dropped = [Dropped(0, f, "page furniture (HTML header, navigation, side bar, footer)")
               for f in furniture]  # fmt: skip
    seen: set[str] = set()
    prev_dropped = False  # a widget's text often runs on over a second short line
    for i, raw in enumerate(normalize_text(text).split("\n")):
        kind, s = _classify(raw)
        if kind == "empty":
            for p in paras.values():
                if p[-1]:
                    p.append([])
            prev_dropped = False
            continue
        if kind == "keep" and prev_dropped and not _is_prose(s) and len(s) < 60:
            kind = "widget"  # continuation of the dropped line above, same block
        if kind == "keep" and s in seen:
            kind = "repeat"
        if kind != "keep":
            if kind in ("section", "byline"):
                metadata.append((kind, s))
            dropped.append(Dropped(i + 1, s, _DROP_REASONS[kind]))
            prev_dropped = kind in ("widget", "image")
            continue
        prev_dropped = False
        seen.add(s)
        for part in _languages_apart(s):
            _keep(i, part, paras, metadata, dropped)
    return Extracted(_join(paras["en"]), _join(paras["ko"]), metadata, dropped)


def _languages_apart(s: str) -> list[str]:
    """A short line of parts in both scripts, set apart by ``|`` or ``/`` (a bilingual site's
    title), as its parts; any other line whole."""
    parts = [p for p in _BILINGUAL_SEP.split(s) if p.strip()]
    if len(parts) < 2 or _is_prose(s):
        return [s]
    korean = {hangul_share(p) >= HANGUL_SHARE for p in parts}
    return parts if korean == {True, False} else [s]


def _keep(i: int, s: str, paras, metadata, dropped) -> None:
    """Send a kept line to its language, with photo credits and Korean sub-heads set apart."""
    lang = "ko" if hangul_share(s) >= HANGUL_SHARE else "en"
    if not any(c.isalpha() for c in s):
        dropped.append(Dropped(i + 1, s, "no letters"))
        return
    credit = _CREDIT.search(s)
    if credit and credit.start() == 0:  # a credit on a line of its own: nothing to align
        metadata.append(("credit", credit.group(1)))
        dropped.append(Dropped(i + 1, s, "photo credit (metadata)"))
        return
    if credit and len(s) > len(credit.group(0)) + 20:
        metadata.append(("credit", credit.group(1)))
        dropped.append(Dropped(i + 1, credit.group(0).strip(), "photo credit (metadata)"))
        s = s[: credit.start()].rstrip()
    sub = _SUBHEAD.match(s) if lang == "ko" else None
    if sub and hangul_share(sub.group(1)) >= HANGUL_SHARE and not _TERMINAL.search(sub.group(1)):
        metadata.append(("subhead", sub.group(1)))
        p = paras[lang]
        if p[-1]:
            p.append([])
        p[-1].append(sub.group(1))
        p.append([sub.group(2)])
        return
    paras[lang][-1].append(s)


def write_extracted(result: Extracted, outdir: str | Path, *, inputs=()) -> tuple[Path, Path]:
    """Write ``outdir/en.txt`` and ``outdir/ko.txt``, never over an input (the page itself may
    be called ``en.txt``), both atomically: a full disk leaves neither half-written."""
    from ..formats._io import atomic_path, check_outputs

    en, ko = Path(outdir) / "en.txt", Path(outdir) / "ko.txt"
    check_outputs([en, ko], inputs)
    with atomic_path(en) as en_tmp, atomic_path(ko) as ko_tmp:
        en_tmp.write_text(result.en, encoding="utf-8")
        ko_tmp.write_text(result.ko, encoding="utf-8")
    return en, ko


def _join(paras: list[list[str]]) -> str:
    body = "\n\n".join("\n".join(p) for p in paras if p)
    return body + "\n" if body else ""
