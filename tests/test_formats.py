import json

import pytest
from conftest import DTD
from lxml import etree

from aligner import align_sentences
from aligner.errors import AlignerError
from aligner.formats import format_for


def _parse_valid_tmx(path):
    doc = etree.parse(str(path))
    dtd = etree.DTD(str(DTD))
    assert dtd.validate(doc), dtd.error_log.filter_from_errors()
    return doc


def test_tmx_validates_against_the_dtd(seed_alignment, tmp_path):
    out = tmp_path / "seed.tmx"
    stats = seed_alignment.to_tmx(out)
    doc = _parse_valid_tmx(out)
    root = doc.getroot()
    assert root.get("version") == "1.4"
    header = root.find("header")
    for attr in ("creationtool", "creationtoolversion", "segtype", "o-tmf", "adminlang",
                 "srclang", "datatype"):  # fmt: skip
        assert header.get(attr)
    assert header.get("srclang") == "en-US"
    assert len(header.get("creationdate")) == 16 and header.get("creationdate").endswith("Z")
    assert header.find("prop[@type='x-signature']").text.startswith("mode:parallel|")
    tus = root.findall("body/tu")
    assert len(tus) == stats["units"] == len(seed_alignment.pairs)
    for tu in tus:
        langs = [t.get("{http://www.w3.org/XML/1998/namespace}lang") for t in tu.findall("tuv")]
        assert langs == ["en-US", "ko-KR"]
        assert all(seg.text and seg.text.strip() for seg in tu.iter("seg"))
        assert [p.get("type") for p in tu.findall("prop")] == ["x-score", "x-alignment-type"]
    raw = out.read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf")
    assert b'<!DOCTYPE tmx SYSTEM "tmx14.dtd">' in raw


def test_tmx_removes_illegal_characters_and_keeps_unaligned_on_request(embedder, tmp_path):
    src = ["The ministers met in Seoul.\x0b They agreed to talk.", "An English-only note."]
    tgt = ["장관들은 서울에서 만나\x0c 협의하기로 합의했다."]
    r = align_sentences(src, tgt, embedder=embedder)
    out = tmp_path / "x.tmx"
    stats = r.to_tmx(out, include_unaligned=True, src_code="en-GB", tgt_code="ko")
    doc = _parse_valid_tmx(out)
    assert stats["illegal_chars_removed"] == 2
    assert doc.getroot().find("header").get("srclang") == "en-GB"
    assert len(doc.getroot().findall("body/tu")) == len(r.beads)


def test_tsv_columns_and_clean_text(embedder):
    src = ["A line\twith a tab.", "Another\nline."]
    tgt = ["탭이\t있는 줄.", "다른 줄."]
    r = align_sentences(src, tgt, embedder=embedder)
    text = r.to_tsv(header=True)
    lines = text.splitlines()
    assert lines[0].split("\t") == ["src_text", "tgt_text", "score", "type", "src_ids", "tgt_ids"]
    assert len(lines) == len(r.beads) + 1
    assert all(len(line.split("\t")) == 6 for line in lines)
    assert "A line with a tab." in lines[1]


def test_jsonl_has_meta_and_one_bead_per_line(ntrex_alignment):
    lines = ntrex_alignment.to_jsonl().splitlines()
    meta = json.loads(lines[0])["meta"]
    assert meta["signature"] == ntrex_alignment.signature
    beads = [json.loads(x) for x in lines[1:]]
    assert len(beads) == len(ntrex_alignment.beads)
    assert isinstance(beads[0]["src_ids"], list) and "score" in beads[0]


def test_format_from_extension():
    assert format_for("a.tmx") == "tmx" and format_for("-") == "tsv"
    assert format_for("x.out", "jsonl") == "jsonl"
    with pytest.raises(AlignerError, match="cannot tell the output format"):
        format_for("a.docx")
