"""TMX 1.4 for CAT tools (memoQ, Trados, OmegaT), streamed with lxml.

Choices follow what importers check: version "1.4" (the DTD fixes it), all seven required
header attributes, ``srclang`` equal to the source ``xml:lang``, region-qualified codes by
default (Trados skips units whose language does not match the TM), no empty ``<seg>``, and no
XML-illegal control characters (a vertical tab pasted from Word breaks memoQ/Trados imports).
"""

from __future__ import annotations

import re
import warnings
from datetime import UTC, datetime
from pathlib import Path

from lxml import etree

from .._version import __version__
from ._io import atomic_path
from .units import Table, dedupe_units

DEFAULT_CODES = {"en": "en-US", "ko": "ko-KR", "de": "de-DE", "fr": "fr-FR", "ja": "ja-JP"}
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
_SPACES = re.compile(r"\s+")
SEGMENT_WARN_CHARS = 2000


def language_code(lang: str) -> str:
    return DEFAULT_CODES.get(lang.lower(), lang)


def clean_segment(text: str) -> tuple[str, int]:
    """Text safe for XML 1.0 and one line long; returns (text, illegal characters removed)."""
    cleaned, n = _ILLEGAL.subn("", text)
    return _SPACES.sub(" ", cleaned).strip(), n


TMX_PROPS = ("none", "minimal", "full")
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def write_tmx(
    table: Table,
    path: str | Path,
    *,
    src_code: str | None = None,
    tgt_code: str | None = None,
    include_unaligned: bool = False,
    min_score: float | None = None,
    props: str = "minimal",
    dedupe: bool = False,
    source_file: str | None = None,
    target_file: str | None = None,
) -> dict:
    """Write TMX 1.4; returns counts (units written, skipped, duplicates, illegal characters).

    ``props``: 'none', 'minimal' (x-score, x-alignment-type) or 'full' (also x-src-ids,
    x-tgt-ids, x-source-file, x-target-file). ``dedupe`` drops exact duplicates of the
    normalised (source, target) pair, keeping the first. Codes default to region-qualified
    forms of the table's languages (en → en-US).
    """
    if props not in TMX_PROPS:
        raise ValueError(f"props must be one of {TMX_PROPS}, not {props!r}")
    src_code = src_code or language_code(table.src_lang)
    tgt_code = tgt_code or language_code(table.tgt_lang)
    kept, stats = _select(table.units, include_unaligned, min_score, dedupe)
    files = {"x-source-file": source_file, "x-target-file": target_file}
    with atomic_path(path) as tmp, etree.xmlfile(str(tmp), encoding="utf-8") as xf:
        xf.write_declaration()
        xf.write_doctype('<!DOCTYPE tmx SYSTEM "tmx14.dtd">')
        with xf.element("tmx", version="1.4"):
            xf.write(_header(src_code, table.signature, props, table.meta.get("mode_choice")))
            with xf.element("body"):
                for unit in kept:
                    tu = _unit_element(unit, src_code, tgt_code, props, files, stats)
                    if tu is not None:
                        xf.write(tu)
                        stats["units"] += 1
    stats["written"] = stats["units"]
    if stats["long_segments"]:
        warnings.warn(
            f"{stats['long_segments']} TMX segments exceed {SEGMENT_WARN_CHARS} characters "
            "(Trados may reject them)",
            stacklevel=2,
        )
    return stats


def _select(units, include_unaligned: bool, min_score: float | None, dedupe: bool):
    """The units to write, and the counts of those left out and why."""
    stats = {"units": 0, "skipped_unaligned": 0, "skipped_score": 0, "illegal_chars_removed": 0,
             "long_segments": 0, "duplicates_removed": 0}  # fmt: skip
    kept = []
    for u in units:
        if not u.aligned and not include_unaligned:
            stats["skipped_unaligned"] += 1
        elif min_score is not None and u.aligned and u.score < min_score:
            stats["skipped_score"] += 1
        else:
            kept.append(u)
    if dedupe:
        kept, stats["duplicates_removed"] = dedupe_units(kept)
    return kept, stats


def _header(src_code: str, signature: str, props: str, choice: dict | None) -> etree._Element:
    header = etree.Element(
        "header",
        creationtool="aligner",
        creationtoolversion=__version__,
        segtype="sentence",
        adminlang="en-US",
        srclang=src_code,
        datatype="plaintext",
        creationdate=datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ"),
    )
    header.set("o-tmf", "aligner")
    if signature and props != "none":
        etree.SubElement(header, "prop", type="x-signature").text = signature
    if choice and props != "none":  # --mode auto: which mode it chose and why
        text = clean_segment(f"auto: {choice.get('mode')} ({choice.get('reason')})")[0]
        etree.SubElement(header, "prop", type="x-mode-choice").text = text
    return header


def _unit_element(unit, src_code, tgt_code, props, files, stats) -> etree._Element | None:
    """One <tu>: props first, then a <tuv> per non-empty side (None when both are empty)."""
    src, n1 = clean_segment(unit.src_text)
    tgt, n2 = clean_segment(unit.tgt_text)
    stats["illegal_chars_removed"] += n1 + n2
    tu = etree.Element("tu")
    if props != "none":
        etree.SubElement(tu, "prop", type="x-score").text = f"{unit.score:.4f}"
        etree.SubElement(tu, "prop", type="x-alignment-type").text = clean_segment(unit.type)[0]
    if props == "full":
        full = {
            "x-src-ids": ",".join(map(str, unit.src_ids)),
            "x-tgt-ids": ",".join(map(str, unit.tgt_ids)),
            **files,
        }
        for kind, value in full.items():
            value = clean_segment(value or "")[0]
            if value:  # an empty <prop> says nothing; leave it out
                etree.SubElement(tu, "prop", type=kind).text = value
    n_tuv = 0
    for code, text in ((src_code, src), (tgt_code, tgt)):
        if not text:
            continue  # no empty <seg>: an unaligned side has no <tuv>
        if len(text) > SEGMENT_WARN_CHARS:
            stats["long_segments"] += 1
        tuv = etree.SubElement(tu, "tuv")
        tuv.set(XML_LANG, code)
        etree.SubElement(tuv, "seg").text = text
        n_tuv += 1
    return tu if n_tuv else None
