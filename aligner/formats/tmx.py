"""TMX 1.4 for CAT tools (memoQ, Trados, OmegaT), streamed with lxml.

Choices follow what importers check: version "1.4" (the DTD fixes it), all seven required
header attributes, ``srclang`` equal to the source ``xml:lang``, region-qualified codes by
default (Trados skips units whose language does not match the TM), no empty ``<seg>``, and no
XML-illegal control characters (a vertical tab pasted from Word breaks memoQ/Trados imports).

One ``<tu>`` per line, indented: line-based readers (Perl's XML::TMX, ``grep -c '<tu>'``) read
0 units from a memory written on one line. A segment's text is kept as it is, spaces and line
breaks included: OmegaT matches a unit only when its text equals the segment character for
character (measured: a doubled or trailing space, or a space for a line break, and no match),
and its default text filter keeps the line breaks of a paragraph in its segments. Line breaks
are written as ``&#10;``, so each unit stays on its line.

Reviewed units: a confirmed unit carries ``<prop type="x-status">confirmed</prop>``; rejected
units are left out (a memory holds only pairs someone may reuse). ``trados=True`` adds what
Trados Studio reads from its own TMX: ``x-Origin`` Alignment, ``x-ConfirmationLevel``
ApprovedTranslation for confirmed units, and the alignment quality (0-100), which Trados'
alignment editor sets to 100 for every pair a reviewer confirms.

``per_segment=True``: one unit per source segment, for OmegaT (see :mod:`.per_segment`).
"""

from __future__ import annotations

import math
import re
import warnings
from datetime import UTC, datetime
from pathlib import Path

from lxml import etree

from .._version import __version__
from ..errors import AlignerError
from ._io import atomic_path
from .per_segment import per_segment_rows
from .units import Table, dedupe_units, keep_unit

DEFAULT_CODES = {"en": "en-US", "ko": "ko-KR", "de": "de-DE", "fr": "fr-FR", "ja": "ja-JP"}
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
_SPACES = re.compile(r"\s+")
SEGMENT_WARN_CHARS = 2000
# Indentation of the body's units: a reader of the file sees one unit per line.
_UNIT_INDENT = "\n    "
# Trados' alignment editor gives every connection a reviewer confirms a quality of 100 (RWS
# documentation, "Color codes and tooltips for alignment connections"); unconfirmed units get
# their similarity as a percentage. A user field of Trados' TMX form ``x-name:type``.
TRADOS_QUALITY_PROP = "x-AlignmentQuality:Integer"
CONFIRMED_QUALITY = 100


def language_code(lang: str) -> str:
    return DEFAULT_CODES.get(lang.lower(), lang)


def clean_segment(text: str, exact: bool = False) -> tuple[str, int]:
    """Text safe for XML 1.0, trimmed, white space collapsed to single spaces (``exact``: kept
    as it is, line breaks too: a CAT tool matches a segment only character for character,
    OmegaT 3.6 even refuses a doubled space); returns (text, illegal characters removed)."""
    cleaned, n = _ILLEGAL.subn("", text)
    if exact:
        return cleaned.strip(), n
    return _SPACES.sub(" ", cleaned).strip(), n


def _seg(parent, text: str) -> None:
    """A <seg> whose line breaks are character references, so the unit stays on one line."""
    seg = etree.SubElement(parent, "seg")
    lines = text.split("\n")
    seg.text = lines[0]
    for line in lines[1:]:
        ref = etree.Entity("#10")
        ref.tail = line
        seg.append(ref)


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
    trados: bool = False,
    per_segment: bool = False,
) -> dict:
    """Write TMX 1.4; returns counts (units written, skipped, duplicates, illegal characters).

    ``props``: 'none', 'minimal' (x-score, x-alignment-type) or 'full' (also x-src-ids,
    x-tgt-ids, x-source-file, x-target-file). ``dedupe`` drops exact duplicates of the
    normalised (source, target) pair, keeping the first. Codes default to region-qualified
    forms of the table's languages (en → en-US). Rejected units are never written; confirmed
    ones are kept whatever ``min_score`` says and marked (x-status, and with ``trados`` the
    props Trados Studio reads). ``per_segment``: one unit per source sentence of a bead (see
    the module's note); units read back without their sentences stay whole.
    """
    if props not in TMX_PROPS:
        raise ValueError(f"props must be one of {TMX_PROPS}, not {props!r}")
    src_code = src_code or language_code(table.src_lang)
    tgt_code = tgt_code or language_code(table.tgt_lang)
    kept, stats = _select(table.units, include_unaligned, min_score, dedupe)
    rows = [(u, False) for u in kept]
    if per_segment:
        rows, counts = per_segment_rows(kept, table.sentences, dedupe)
        stats.update(kept_whole=counts["kept_whole"], empty_dropped=counts["empty_dropped"])
        stats["duplicates_removed"] += counts["duplicates_removed"]
    stats["rows_written"] = len(kept)
    files = {"x-source-file": source_file, "x-target-file": target_file}
    with atomic_path(path) as tmp, open(tmp, "wb") as out:
        try:
            with etree.xmlfile(out, encoding="utf-8") as xf:
                xf.write_declaration()
                xf.write_doctype('<!DOCTYPE tmx SYSTEM "tmx14.dtd">')
                how = (src_code, tgt_code, props, files, trados)
                _body(xf, table, rows, how, stats)
            out.write(b"\n")
        except etree.SerialisationError as e:  # lxml's own write errors (a full disk)
            raise AlignerError(f"{path}: cannot write ({_io_reason(e)}).") from None
    stats["written"] = stats["units"]
    _per_segment_warnings(stats)
    if stats["long_segments"]:
        warnings.warn(
            f"{stats['long_segments']} TMX segments exceed {SEGMENT_WARN_CHARS} characters "
            "(Trados may reject them)",
            stacklevel=2,
        )
    return stats


def _per_segment_warnings(stats: dict) -> None:
    def units(n: int) -> str:
        return f"{n} {'unit' if n == 1 else 'units'}"

    if stats.get("kept_whole"):
        warnings.warn(
            f"{units(stats['kept_whole'])} of several source sentences written whole: where "
            "their sentences end is not known (a TSV or spreadsheet does not say; an edited "
            "text no longer matches its sentences)",
            stacklevel=3,
        )
    if stats.get("empty_dropped"):
        warnings.warn(
            f"{units(stats['empty_dropped'])} with an empty translation left out: the same "
            "segment has a translation of its own in this memory, which OmegaT would blank",
            stacklevel=3,
        )


def _io_reason(e: Exception) -> str:
    text = str(e)
    return "no space left on the device" if "ENOSPC" in text else f"write failed: {text}"


def _body(xf, table: Table, rows, how, stats: dict) -> None:
    """<tmx>: the header, then one indented line per unit of ``rows`` (see _segments)."""
    src_code, tgt_code, props, files, trados = how
    with xf.element("tmx", version="1.4"):
        xf.write("\n  ")
        xf.write(_header(src_code, table.signature, props, table.meta.get("mode_choice")))
        xf.write("\n  ")
        with xf.element("body"):
            for unit, empty_target in rows:
                tu = _unit_element(unit, src_code, tgt_code, props, files, stats, empty_target)
                if tu is not None and trados:
                    _trados_props(tu, unit)
                if tu is not None:
                    xf.write(_UNIT_INDENT)
                    xf.write(tu)
                    stats["units"] += 1
            xf.write("\n  ")
        xf.write("\n")


def _select(units, include_unaligned: bool, min_score: float | None, dedupe: bool):
    """The units to write, and the counts of those left out and why."""
    stats = {"units": 0, "skipped_unaligned": 0, "skipped_score": 0, "illegal_chars_removed": 0,
             "long_segments": 0, "duplicates_removed": 0, "skipped_rejected": 0}  # fmt: skip
    kept = []
    if min_score is not None and not math.isfinite(min_score):
        raise AlignerError(f"min_score must be a finite number, not {min_score!r}.")
    for u in units:
        if u.status == "rejected":
            stats["skipped_rejected"] += 1
        elif not u.aligned and not include_unaligned:
            stats["skipped_unaligned"] += 1
        elif not keep_unit(u, include_unaligned, min_score):
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


def _unit_element(unit, src_code, tgt_code, props, files, stats,
                  empty_target: bool = False) -> etree._Element | None:  # fmt: skip
    """One <tu>: props first, then a <tuv> per non-empty side (None when both are empty);
    ``empty_target`` writes the target's empty <seg> too (OmegaT's "empty translation")."""
    src, n1 = clean_segment(unit.src_text, exact=True)
    tgt, n2 = clean_segment(unit.tgt_text, exact=True)
    stats["illegal_chars_removed"] += n1 + n2
    tu = etree.Element("tu")
    if props != "none":
        etree.SubElement(tu, "prop", type="x-score").text = f"{unit.score:.4f}"
        etree.SubElement(tu, "prop", type="x-alignment-type").text = clean_segment(unit.type)[0]
    if props != "none":
        for kind, value in unit.props:  # what the documents carried (subtitle timing)
            value = clean_segment(value)[0]
            if value:
                etree.SubElement(tu, "prop", type=clean_segment(kind)[0]).text = value
    part = dict(unit.props).get("x-segment")
    if props == "none" and part:  # what tells a reader the empty translation is meant
        etree.SubElement(tu, "prop", type="x-segment").text = part
    if props != "none" and unit.status == "confirmed":
        etree.SubElement(tu, "prop", type="x-status").text = unit.status
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
    for side, code, text in (("src", src_code, src), ("tgt", tgt_code, tgt)):
        if not text and not (empty_target and side == "tgt" and n_tuv):
            continue  # no empty <seg>: an unaligned side has no <tuv>
        if len(text) > SEGMENT_WARN_CHARS:
            stats["long_segments"] += 1
        tuv = etree.SubElement(tu, "tuv")
        tuv.set(XML_LANG, code)
        _seg(tuv, text)
        n_tuv += 1
    return tu if n_tuv else None


def _trados_props(tu: etree._Element, unit) -> None:
    """Trados Studio's origin, confirmation level and alignment quality, before the <tuv>s."""
    confirmed = unit.status == "confirmed"
    quality = CONFIRMED_QUALITY if confirmed else round(100 * min(max(unit.score, 0.0), 1.0))
    props = [("x-Origin", "Alignment"), (TRADOS_QUALITY_PROP, str(quality))]
    if confirmed:
        props.insert(1, ("x-ConfirmationLevel", "ApprovedTranslation"))
    first_tuv = tu.find("tuv")
    for kind, value in props:
        prop = etree.Element("prop", type=kind)
        prop.text = value
        first_tuv.addprevious(prop)
