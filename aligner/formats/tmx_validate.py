"""Check any TMX file (ours or anyone's) for what makes CAT tools reject or silently drop units.

The checks are in code, so no DTD has to ship with the package: version 1.4, the required
header attributes, ``srclang`` present in every ``<tu>``, well-formed language tags, no empty
``<seg>`` (an empty translation that says it is one, OmegaT's form of a sentence kept whole
across segments, ``x-segment`` "2/2", is a warning), no XML-illegal characters, segments over
2,000 characters (Trados's cap). Pass a DTD path to also check DTD validity.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from ..errors import AlignerError
from .langtags import valid_language_tag
from .tmx import SEGMENT_WARN_CHARS, XML_LANG

REQUIRED_HEADER = (
    "creationtool", "creationtoolversion", "segtype", "o-tmf", "adminlang", "srclang", "datatype",
)  # fmt: skip
SEGTYPES = {"block", "paragraph", "sentence", "phrase"}
_DATE = re.compile(r"^\d{8}T\d{6}Z$")
_ILLEGAL_IN_TEXT = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


@dataclass
class TmxReport:
    path: str
    units: int = 0
    problems: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def _illegal_chars(raw: bytes) -> int:
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return 0
    return len(_ILLEGAL_IN_TEXT.findall(text))


def validate_tmx(
    path: str | Path, dtd: str | Path | None = None, max_listed: int = 20
) -> TmxReport:
    """Report problems (the file will be rejected or lose units) and warnings (it may)."""
    report = TmxReport(str(path))
    try:
        raw = Path(path).read_bytes()
    except OSError as e:
        raise AlignerError(f"{path}: cannot read ({e.strerror}).") from None
    root = _parse(raw, report)
    if root is None:
        return report
    if root.get("version") != "1.4":
        report.problems.append(
            f'version is {root.get("version")!r}; TMX 1.4 files must say version="1.4"'
        )
    if dtd is not None:
        _check_dtd(root.getroottree(), dtd, report, max_listed)
    srclang = _check_header(root.find("header"), report)
    body = root.find("body")
    if body is None:
        report.problems.append("no <body> element")
        return report
    _check_units(body, srclang, report, max_listed)
    return report


def _parse(raw: bytes, report: TmxReport):
    """The root <tmx> element, or None when the file is not a TMX document at all."""
    if raw.startswith(b"\xef\xbb\xbf"):
        report.warnings.append("starts with a UTF-8 byte-order mark (some importers choke on it)")
    bad = _illegal_chars(raw)
    if bad:
        report.problems.append(
            f"{bad} XML-illegal control characters (e.g. a vertical tab pasted from Word)"
        )
    parser = etree.XMLParser(resolve_entities=False, no_network=True, recover=False, huge_tree=True)
    try:
        root = etree.fromstring(raw, parser)
    except etree.XMLSyntaxError as e:
        if not bad:
            report.problems.append(f"not well-formed XML: {e}")
        return None
    if root.tag != "tmx":
        report.problems.append(f"the root element is <{root.tag}>, not <tmx>")
        return None
    return root


def _check_dtd(doc, dtd, report: TmxReport, max_listed: int) -> None:
    try:
        checker = etree.DTD(str(dtd))
    except (OSError, etree.DTDParseError) as e:
        raise AlignerError(f"{dtd}: cannot read the DTD ({e}).") from None
    if not checker.validate(doc):
        for err in list(checker.error_log.filter_from_errors())[:max_listed]:
            report.problems.append(f"DTD: line {err.line}: {err.message}")


def _check_header(header, report: TmxReport) -> str | None:
    """Check the header; returns its srclang (None when there is no header)."""
    add = report.problems.append
    if header is None:
        add("no <header> element")
        return None
    missing = [a for a in REQUIRED_HEADER if not header.get(a)]
    if missing:
        add("the header lacks required attributes: " + ", ".join(missing))
    srclang = header.get("srclang")
    if srclang and srclang != "*all*" and not valid_language_tag(srclang):
        add(f"header srclang {srclang!r} is not a valid language tag")
    if header.get("segtype") and header.get("segtype") not in SEGTYPES:
        add(f"header segtype {header.get('segtype')!r} is not one of {sorted(SEGTYPES)}")
    date = header.get("creationdate")
    if date and not _DATE.match(date):
        report.warnings.append(f"creationdate {date!r} is not in YYYYMMDDThhmmssZ form")
    return srclang


def _check_units(body, srclang: str | None, report: TmxReport, max_listed: int) -> None:
    """Every <tu>: a <tuv> in the source language, valid tags, non-empty segments."""
    listed: dict[str, list[int]] = {}
    few_tuv: list[int] = []
    empty_on_purpose: list[int] = []
    for n, tu in enumerate(body.iter("tu"), 1):
        report.units += 1
        tuvs = tu.findall("tuv")
        langs = [t.get(XML_LANG) or t.get("lang") for t in tuvs]
        if len(tuvs) < 2:
            few_tuv.append(n)
        if srclang and srclang != "*all*" and srclang not in langs:
            listed.setdefault(f"with no <tuv> in the source language {srclang}", []).append(n)
        for lang in langs:
            if not valid_language_tag(lang):
                kind = f"with a missing or malformed language tag ({lang!r})"
                listed.setdefault(kind, []).append(n)
        for kind in _segment_problems(tuvs, n, report):
            if kind == _EMPTY and _continues_a_sentence(tu, tuvs, srclang):
                empty_on_purpose.append(n)
            else:
                listed.setdefault(kind, []).append(n)
    if report.units == 0:
        report.warnings.append("the body holds no <tu>")

    def units(ns: list[int]) -> str:
        return ", ".join(map(str, ns[:max_listed])) + (" …" if len(ns) > max_listed else "")

    for kind, ns in listed.items():
        report.problems.append(
            f"{len(ns)} {'unit' if len(ns) == 1 else 'units'} {kind} (unit {units(ns)})"
        )
    if few_tuv:
        n = len(few_tuv)
        report.warnings.append(f"{n} units with one language only (unit {units(few_tuv)})")
    if empty_on_purpose:
        report.warnings.append(
            f"{len(empty_on_purpose)} units with an empty translation, the rest of a sentence "
            f"kept whole across segments, as OmegaT reads them (unit {units(empty_on_purpose)}); "
            "other CAT tools may skip them"
        )


_EMPTY = "with an empty <seg>"


def _continues_a_sentence(tu, tuvs, srclang: str | None) -> bool:
    """An empty translation written on purpose: ``x-segment`` k/n with k > 1 (see tmx.py's
    ``per_segment``), the source side filled and only a target side empty."""
    part = tu.find("prop[@type='x-segment']")
    if part is None or not re.fullmatch(r"([2-9]|[1-9]\d+)/\d+", (part.text or "").strip()):
        return False
    segs = [((t.get(XML_LANG) or t.get("lang") or "").casefold(), t.find("seg")) for t in tuvs]
    empty = [lang for lang, seg in segs if seg is not None and not "".join(seg.itertext()).strip()]
    return bool(empty) and (srclang or "").casefold() not in empty and len(empty) < len(tuvs)


def _segment_problems(tuvs, n: int, report: TmxReport) -> list[str]:
    problems = []
    for tuv in tuvs:
        seg = tuv.find("seg")
        if seg is None:
            problems.append("with a <tuv> that has no <seg>")
            continue
        text = "".join(seg.itertext())
        if not text.strip():
            problems.append(_EMPTY)
        if len(text) > SEGMENT_WARN_CHARS:
            report.warnings.append(
                f"unit {n}: a segment of {len(text)} characters (over {SEGMENT_WARN_CHARS}; "
                "Trados rejects it)"
            )
    return problems
