"""A memory the CAT tool matches: --segments lines, --srx, TMX one <tu> per line, and the
spreadsheet round trips (XLSX, and TSV as LibreOffice and Excel save it)."""

import subprocess
import sys

import numpy as np
import pytest
from conftest import DTD, NTREX
from lxml import etree

from aligner import align_sentences, align_texts
from aligner.errors import AlignerError
from aligner.formats import read, write
from aligner.formats.convert import convert
from aligner.formats.tmx_validate import validate_tmx
from aligner.parallel.boundaries import HEADING_FACTOR, boundary_weights, crossing_costs
from aligner.segment import Sentence, split_text
from aligner.segment.srx import break_positions, load_srx

EN_SAMPLE = (NTREX / "en.txt").read_text(encoding="utf-8")
KO_SAMPLE = (NTREX / "ko.txt").read_text(encoding="utf-8")


def _cli(*args):
    return subprocess.run([sys.executable, "-m", "aligner", *map(str, args)],
                          capture_output=True, text=True, timeout=180)  # fmt: skip


def test_lines_mode_keeps_every_line_whole(embedder):
    en = "Verse one. It has two sentences.\n  Verse two.  \n\nVerse three! Short.\n"
    ko = "첫째 절. 두 문장이다.\n둘째 절.\n\n셋째 절! 짧다.\n"
    result = align_texts(en, ko, embedder=embedder, segments="lines")
    assert [s.text for s in result.src] == ["Verse one. It has two sentences.", "Verse two.",
                                           "Verse three! Short."]  # fmt: skip
    assert [s.para for s in result.src] == [0, 0, 1]
    assert [(b.src_ids, b.tgt_ids) for b in result.beads] == [((i,), (i,)) for i in range(3)]
    assert "split:lines+lines" in result.signature


def test_bundled_omegat_rules_cut_the_sample_as_omegat_does():
    """OmegaT 3.6's default segmentation of this file (checked with OmegaT itself, see
    benchmarks/cat.md): 13 segments, a line break kept inside the first (the title has no
    full stop), a cut after 'Capt.' (not in its abbreviation list), none after 'a.m.'."""
    segs = [s.text for s in split_text(EN_SAMPLE, "en", srx="omegat")]
    assert len(segs) == 13
    assert segs[0].startswith("Shark injures 13-year-old on lobster dive in California\nA shark")
    assert "Lifeguard Capt." in segs and "just before 7 a.m. near" in segs[1]
    assert segs[4].startswith("I got bit!'\nHis whole clavicle")


SRX = """<?xml version="1.0" encoding="UTF-8"?>
<srx xmlns="http://www.lisa.org/srx20" version="2.0">
  <header segmentsubflows="yes" cascade="{cascade}"/>
  <body>
    <languagerules>
      <languagerule languagerulename="en">
        <rule break="no"><beforebreak>\\bDr\\.</beforebreak><afterbreak>\\s</afterbreak></rule>
      </languagerule>
      <languagerule languagerulename="all">
        <rule break="yes">
          <beforebreak>[.?!]</beforebreak><afterbreak>\\s+\\p{{Lu}}</afterbreak>
        </rule>
        <rule break="yes"><beforebreak>;</beforebreak><afterbreak>\\s</afterbreak></rule>
      </languagerule>
    </languagerules>
    <maprules>
      <languagemap languagepattern="en.*" languagerulename="en"/>
      <languagemap languagepattern=".*" languagerulename="all"/>
    </maprules>
  </body>
</srx>
"""


@pytest.mark.parametrize("cascade, expected", [
    ("yes", ["Dr. Kim came;", "he left.", "She stayed.", "Then rain fell."]),
    ("no", ["Dr. Kim came; he left. She stayed. Then rain fell."]),  # only the en rules
])  # fmt: skip
def test_srx_rules_no_break_break_and_cascade(tmp_path, cascade, expected):
    path = tmp_path / "rules.srx"
    path.write_text(SRX.format(cascade=cascade), encoding="utf-8")
    text = "Dr. Kim came; he left. She stayed. Then rain fell.\n"
    assert [s.text for s in split_text(text, "en-US", srx=path)] == expected
    # the first rule matching a position decides it: no break after "Dr.", though the later
    # "[.?!] before a capital" rule matches there too
    assert 3 not in break_positions(text, load_srx(path).for_language("en"))
    # a language without rules of its own gets the catch-all map's
    assert [s.text for s in split_text("Ab. Cd.", "fr", srx=path)] == ["Ab.", "Cd."]


def test_srx_that_is_not_srx_is_one_clear_error(tmp_path):
    bad = tmp_path / "rules.srx"
    bad.write_text("<rules/>", encoding="utf-8")
    with pytest.raises(AlignerError, match="not an SRX file"):
        load_srx(bad)
    with pytest.raises(AlignerError, match="no such SRX file"):
        load_srx(tmp_path / "missing.srx")


def test_cli_srx_memory_is_one_tu_per_line_and_dtd_valid(tmp_path):
    out = tmp_path / "m.tmx"
    done = _cli("align", NTREX / "en.txt", NTREX / "ko.txt", "--srx", "omegat", "-o", out)
    assert done.returncode == 0, done.stderr
    assert validate_tmx(out, dtd=DTD).ok
    lines = out.read_text(encoding="utf-8").splitlines()
    units = [line for line in lines if "<tu>" in line]
    assert len(units) == len(etree.parse(str(out)).getroot().findall("body/tu")) > 5
    assert all(line.startswith("    <tu>") and line.endswith("</tu>") for line in units)
    assert lines[:4][2:] == ['<tmx version="1.4">', lines[3]] and lines[3].startswith("  <header")
    # the title and the first sentence are one OmegaT segment: its line break is kept
    first = etree.parse(str(out)).find("body/tu/tuv/seg")
    assert first.text.startswith("Shark injures 13-year-old on lobster dive in California\nA")
    assert "&#10;" in units[0]
    usage = _cli("align", NTREX / "en.txt", NTREX / "ko.txt", "--srx", "omegat",
                 "--segments", "lines", "-o", tmp_path / "x.tmx")  # fmt: skip
    assert usage.returncode == 2 and "exclude each other" in usage.stderr


def _units(path):
    """(source, target or None, props) of each <tu>."""
    out = []
    for tu in etree.parse(str(path)).getroot().iterfind("body/tu"):
        segs = ["".join(s.itertext()) for s in tu.iterfind("tuv/seg")]
        props = {p.get("type"): p.text for p in tu.iterfind("prop")}
        out.append((segs[0], segs[1] if len(segs) > 1 else None, props))
    return out


def test_per_segment_memory_gives_every_omegat_segment_a_unit(tmp_path, embedder):
    """OmegaT cuts 'Lifeguard Capt. | Larry Giles said ...', whose translation is one
    sentence: one unit per bead matches neither segment; --tmx-per-segment writes OmegaT's own
    form (the whole translation on the first segment, an empty one on the second)."""
    result = align_texts(EN_SAMPLE, KO_SAMPLE, embedder=embedder, srx="omegat")
    joined = next(b for b in result.beads if len(b.src_ids) > 1 and b.tgt_ids)
    whole, parts = tmp_path / "whole.tmx", tmp_path / "parts.tmx"
    write(result, whole)
    write(result, parts, per_segment=True)
    report = validate_tmx(parts, dtd=DTD)
    assert report.ok and any("empty translation" in w for w in report.warnings), report
    by_bead, by_segment = _units(whole), _units(parts)
    aligned = [b for b in result.beads if b.aligned]
    # one unit per source sentence of every pair, each OmegaT segment's text exactly
    assert [u[0] for u in by_segment] == [result.src[i].text for b in aligned for i in b.src_ids]
    assert len(by_segment) > len(by_bead) == len(aligned)
    n = len(joined.src_ids)
    first = [u for u in by_segment if u[0] == result.src[joined.src_ids[0]].text][0]
    assert first[1] == result.tgt_text(joined) and first[2]["x-segment"] == f"1/{n}"
    rest = [u for u in by_segment if u[0] == result.src[joined.src_ids[1]].text][0]
    assert rest[1] == "" and rest[2]["x-segment"] == f"2/{n}"
    # the translations, read in order, are the per-bead memory's
    assert "".join(u[1] for u in by_segment) == "".join(u[1] for u in by_bead)
    assert "x-segment" not in by_bead[0][2] and "<seg></seg>" not in whole.read_text("utf-8")
    done = _cli("align", NTREX / "en.txt", NTREX / "ko.txt", "--srx", "omegat",
                "--tmx-per-segment", "-o", tmp_path / "cli.tmx")  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert [u[:2] for u in _units(tmp_path / "cli.tmx")] == [u[:2] for u in by_segment]
    # read back: JSONL keeps the sentences (the same units); a TSV does not, and says so
    write(result, tmp_path / "m.jsonl")
    write(result, tmp_path / "m.tsv")
    stats = convert(tmp_path / "m.jsonl", tmp_path / "j.tmx", per_segment=True)
    assert stats["written"] == len(by_segment) and _units(tmp_path / "j.tmx") == by_segment
    with pytest.warns(UserWarning, match="1 unit of several source sentences written whole"):
        convert(tmp_path / "m.tsv", tmp_path / "t.tmx", per_segment=True)
    assert len(_units(tmp_path / "t.tmx")) == len(by_bead)  # (a TSV cell has no line break)
    write(result, tmp_path / "bare.tmx", per_segment=True, props="none")  # still says so
    assert validate_tmx(tmp_path / "bare.tmx").ok
    assert [u[2] for u in _units(tmp_path / "bare.tmx")].count({"x-segment": f"2/{n}"}) >= 1


def test_per_segment_never_blanks_a_translation_and_keeps_unknown_boundaries_whole():
    """OmegaT keeps one translation per segment text: an empty part beside a real unit for
    the same sentence would blank it everywhere, so it is left out (and repeats of an empty
    part); a bead whose sentences do not make up its text (edited), or whose type says more
    sentences than its ids, stays whole."""
    from aligner.formats.per_segment import per_segment_rows
    from aligner.formats.units import Unit

    sents = (("Good day.", "Hello world.", "Hello world.", "Hi there.", "See you."), ())
    units = [Unit("Good day. Hello world.", "좋은 날 안녕", 0.8, "2-1", (0, 1), (0,)),
             Unit("Hello world.", "안녕 세상", 0.9, "1-1", (2,), (1,)),
             Unit("Hi there. See you.", "하이 또 봐", 0.7, "2-1", (3, 4), (2,)),
             Unit("Hi there. See you.", "하이 또 봐", 0.7, "2-1", (3, 4), (2,))]  # fmt: skip
    rows, counts = per_segment_rows(units, sents)
    texts = [(u.src_text, u.tgt_text, empty) for u, empty in rows]
    assert ("Hello world.", "", True) not in texts  # "Hello world." has its own translation
    assert ("Hello world.", "안녕 세상", False) in texts
    assert texts.count(("See you.", "", True)) == 1 and counts["empty_dropped"] == 2
    assert [u.props[-1] for u, empty in rows if empty] == [("x-segment", "2/2")]
    deduped, counts = per_segment_rows(units, sents, dedupe=True)
    assert counts["duplicates_removed"] == 1 and len(deduped) == len(rows) - 1
    edited = [Unit("Good day. Hello, world!", "좋은 날 안녕", 0.8, "2-1", (0, 1), (0,)),
              Unit("Hi there. Good day.", "하이", 0.7, "2-1", (3,), (2,))]  # fmt: skip
    rows, counts = per_segment_rows(edited, sents)
    assert [u for u, _ in rows] == edited and counts["kept_whole"] == 2


def test_convert_counts_rows_and_units_apart(tmp_path, ntrex_alignment):
    out = tmp_path / "m.jsonl"
    write(ntrex_alignment, out)
    done = _cli("convert", out, tmp_path / "m.tmx", "--tmx-per-segment")
    assert done.returncode == 0, done.stderr
    pairs = [b for b in ntrex_alignment.beads if b.aligned]
    rows = len(ntrex_alignment.beads)
    units = sum(len(b.src_ids) for b in pairs)
    said = f"{len(pairs)} of {rows} rows written"
    if units != len(pairs):
        said += f" as {units} units, one per source segment"
    assert said in done.stderr, done.stderr


def test_boundaries_cost_only_where_the_text_has_structure():
    plain = [Sentence(f"s{i}", 0, 0, 0) for i in range(4)]
    assert boundary_weights(plain) is None  # evaluation sets: costs exactly as before
    doc = [Sentence("Title", 0, 5, 0, heading=True), Sentence("a", 0, 0, 1),
           Sentence("b", 0, 0, 1), Sentence("c", 0, 0, 2)]  # fmt: skip
    w = boundary_weights(doc)
    assert w.tolist() == [0, HEADING_FACTOR, 0, 1]
    lo = np.zeros(5, dtype=np.int64)
    types = [(1, 1), (2, 1), (3, 1)]
    # structure on one side only, or far more paragraphs on one side: no evidence, no cost
    assert crossing_costs((w, None), lo, 5, types, unit=0.5) is None
    many = np.ones(4, dtype=np.float32)
    many[0] = 0
    assert crossing_costs((np.array([0, 0, 0, 1.0]), many), lo, 5, types, unit=0.5) is None
    extra = crossing_costs((w, w), lo, 5, types, unit=0.5)
    assert extra[0].max() == 0  # 1-1 beads cross nothing
    assert extra[1][2, 1] == 0.5 * HEADING_FACTOR  # title + "a"
    assert extra[1][3, 1] == 0  # "a" + "b": one paragraph
    assert extra[2][4, 1] == 0.5  # "a" + "b" + "c"


def test_xlsx_round_trip_keeps_every_character(tmp_path, embedder):
    src = ['"Yes," he said.', "=SUM(A1) is not a formula.", "Tabs\tand 007 stay."]
    tgt = ['"네"라고 그가 말했다.', "=SUM(A1)은 수식이 아니다.", "탭과 007은 그대로다."]
    result = align_sentences(src, tgt, embedder=embedder)
    write(result, tmp_path / "review.xlsx")
    table = read(tmp_path / "review.xlsx")
    assert [(u.src_text, u.tgt_text) for u in table.units] == list(zip(src, tgt, strict=True))
    assert table.changes == ()
    stats = convert(tmp_path / "review.xlsx", tmp_path / "review.tmx")
    assert stats["written"] == 3 and validate_tmx(tmp_path / "review.tmx", dtd=DTD).ok
    segs = [s.text for s in etree.parse(str(tmp_path / "review.tmx")).iter("seg")]
    assert segs == [x for pair in zip(src, tgt, strict=True) for x in pair]


def _as_libreoffice_saves(tsv: str) -> str:
    """A TSV as LibreOffice Calc's default Text CSV export writes it (tab separator, string
    delimiter ", "quote all text cells" off): a cell holding a quote, tab or line break is
    quoted and its quotes doubled; no other cell is touched."""
    out = []
    for line in tsv.splitlines():
        cells = [f'"{c.replace(chr(34), chr(34) * 2)}"' if '"' in c else c
                 for c in line.split("\t")]  # fmt: skip
        out.append("\t".join(cells))
    return "\n".join(out) + "\n"


def test_tsv_saved_by_libreoffice_converts_to_the_original_text(tmp_path, ntrex_alignment):
    """The issue's case: quotes doubled by the spreadsheet's save must come back single, and
    convert must say which cells it changed."""
    tsv = ntrex_alignment.to_tsv()
    saved = tmp_path / "reviewed.tsv"
    saved.write_text(_as_libreoffice_saves(tsv), encoding="utf-8")
    quoted = sum(1 for line in tsv.splitlines() for c in line.split("\t") if '"' in c)
    assert quoted >= 3  # the NTREX sample has quoted speech on both sides
    out = tmp_path / "reviewed.tmx"
    done = _cli("convert", saved, out)
    assert done.returncode == 0, done.stderr
    assert f"{quoted} quoted cells read without their quotes" in done.stderr
    (tmp_path / "orig.tsv").write_text(tsv, encoding="utf-8")
    original = [(u.src_text, u.tgt_text) for u in read(tmp_path / "orig.tsv").units]
    back = [(u.src_text, u.tgt_text) for u in read(saved).units]
    assert back == original
    # our own TSV (quotes as text, never quoting) reads back as it is, with nothing reported
    assert read(tmp_path / "orig.tsv").changes == ()
