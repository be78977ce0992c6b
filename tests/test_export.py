"""TMX props/dedupe, the TMX checker, Moses, --min-score and convert: real files, real readers."""

import subprocess
import sys

import pytest
from conftest import DTD, SEED
from lxml import etree

from aligner import align_sentences
from aligner.formats.convert import convert
from aligner.formats.tmx_validate import valid_language_tag, validate_tmx

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def _cli(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "aligner", *map(str, args)], cwd=cwd,
                          capture_output=True, text=True, timeout=120)  # fmt: skip


def _semantic_checks(path):
    root = etree.parse(str(path)).getroot()
    srclang = root.find("header").get("srclang")
    tus = root.findall("body/tu")
    for tu in tus:
        langs = [t.get(XML_LANG) for t in tu.findall("tuv")]
        assert srclang in langs
        assert all(valid_language_tag(x) for x in langs)
        assert all(seg.text and seg.text.strip() for seg in tu.iter("seg"))
    return tus


@pytest.mark.parametrize("props", ["none", "minimal", "full"])
def test_seed_tmx_is_valid_and_loads_in_translate_toolkit(seed_alignment, tmp_path, props):
    tmx = pytest.importorskip("translate.storage.tmx")
    out = tmp_path / "seed.tmx"
    stats = seed_alignment.to_tmx(out, props=props, source_file="en.txt", target_file="ko.txt")
    report = validate_tmx(out, dtd=DTD)
    assert report.ok, report.problems
    assert report.units == stats["units"] == len(seed_alignment.pairs)
    tus = _semantic_checks(out)
    kinds = [p.get("type") for p in tus[0].findall("prop")]
    assert kinds == {"none": [], "minimal": ["x-score", "x-alignment-type"],
                     "full": ["x-score", "x-alignment-type", "x-src-ids", "x-tgt-ids",
                              "x-source-file", "x-target-file"]}[props]  # fmt: skip
    store = tmx.tmxfile(out.read_bytes(), "en-US", "ko-KR")
    units = [u for u in store.units if u.source]
    assert len(units) == stats["units"]
    first = seed_alignment.pairs[0]
    assert units[0].source == seed_alignment.src_text(first)
    assert units[0].target == seed_alignment.tgt_text(first)


def test_tmx_dedupe_counts_normalised_duplicates(embedder, tmp_path):
    src = ["The talks ended.", "the  talks ended.", "They will meet again."]
    tgt = ["회담이 끝났다.", "회담이 끝났다.", "그들은 다시 만날 것이다."]
    r = align_sentences(src, tgt, embedder=embedder)
    assert [b.type for b in r.beads] == ["1-1", "1-1", "1-1"]
    stats = r.to_tmx(tmp_path / "d.tmx", dedupe=True)
    assert stats["duplicates_removed"] == 1 and stats["units"] == 2
    assert validate_tmx(tmp_path / "d.tmx", dtd=DTD).ok


def test_validate_reports_problems_in_plain_words(tmp_path):
    bad = tmp_path / "bad.tmx"
    bad.write_text(
        '<?xml version="1.0"?>\n<tmx version="1.4b"><header srclang="en_US" creationtool="x"/>'
        '<body><tu><tuv xml:lang="ko-KR"><seg> </seg></tuv><tuv xml:lang="en_US"><seg>a</seg>'
        '</tuv></tu><tu><tuv xml:lang="ko-KR"><seg>나</seg></tuv></tu></body></tmx>',
        encoding="utf-8",
    )
    r = _cli("validate", bad)
    assert r.returncode == 1
    out = r.stdout
    assert "version is '1.4b'" in out
    assert "lacks required attributes: creationtoolversion, segtype, o-tmf" in out
    assert "'en_US' is not a valid language tag" in out
    assert "1 unit with an empty <seg> (unit 1)" in out
    assert "with no <tuv> in the source language en_US (unit 2)" in out
    broken = tmp_path / "broken.tmx"
    broken.write_text("<tmx version='1.4'><header>", encoding="utf-8")
    r = _cli("validate", broken)
    assert r.returncode == 1 and "not well-formed XML" in r.stdout


def test_validate_takes_an_empty_translation_only_where_it_says_it_is_one(tmp_path):
    """--tmx-per-segment's empty translations (x-segment k/n, k > 1) warn; any other empty
    <seg> stays a problem."""
    header = ('<?xml version="1.0"?>\n<tmx version="1.4"><header srclang="en-US" '
              'creationtool="x" creationtoolversion="1" segtype="sentence" o-tmf="x" '
              'adminlang="en-US" datatype="plaintext"/><body>')  # fmt: skip

    def unit(part, en, ko):
        return (
            f'<tu><prop type="x-segment">{part}</prop><tuv xml:lang="en-US"><seg>{en}</seg>'
            f'</tuv><tuv xml:lang="ko-KR"><seg>{ko}</seg></tuv></tu>'
        )

    cases = {"2/2": ("b", "", True), "1/2": ("a", "", False), "3/3": ("", "가", False),
             "x/2": ("b", "", False)}  # fmt: skip
    for part, (en, ko, ok) in cases.items():
        path = tmp_path / "m.tmx"
        path.write_text(header + unit("1/9", "a", "가") + unit(part, en, ko) + "</body></tmx>",
                        encoding="utf-8")  # fmt: skip
        report = validate_tmx(path)
        assert report.ok is ok, (part, report)
        assert any("empty translation" in w for w in report.warnings) is ok, (part, report)


def test_cli_moses_min_score_convert_round_trip(tmp_path):
    en, ko = SEED / "en.txt", SEED / "ko.txt"
    r = _cli("align", en, ko, "-o", tmp_path / "seed.tsv", "--header", "-q", "--mode", "parallel",
             "--html", tmp_path / "seed.html")  # fmt: skip
    assert r.returncode == 0, r.stderr
    assert (tmp_path / "seed.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    rows = (tmp_path / "seed.tsv").read_text(encoding="utf-8").splitlines()[1:]
    scores = [float(x.split("\t")[2]) for x in rows if "0" not in x.split("\t")[3].split("-")]
    ordered = sorted(set(scores))
    k = len(ordered) // 2
    cut = round((ordered[k - 1] + ordered[k]) / 2, 5)  # between two scores: no rounding ties
    r = _cli("align", en, ko, "-o", tmp_path / "out", "-f", "moses", "--min-score", cut, "-q",
             "--mode", "parallel")  # fmt: skip
    assert r.returncode == 0, r.stderr
    src = (tmp_path / "out.en").read_text(encoding="utf-8").splitlines()
    tgt = (tmp_path / "out.ko").read_text(encoding="utf-8").splitlines()
    assert len(src) == len(tgt) == sum(s >= cut for s in scores) and all(src) and all(tgt)
    # a reviewer deletes a row and fixes a translation in the TSV; convert makes a TMX of it
    edited = tmp_path / "edited.tsv"
    lines = (tmp_path / "seed.tsv").read_text(encoding="utf-8").splitlines()
    aligned = [x for x in lines[1:] if x.split("\t")[0] and x.split("\t")[1]]
    fixed = aligned[1].split("\t")
    fixed[1] = "고친 번역 & <확인>."
    edited.write_text("\n".join([aligned[0], "\t".join(fixed), *aligned[3:]]) + "\n", "utf-8")
    r = _cli("convert", edited, tmp_path / "reviewed.tmx", "--tmx-props", "full")
    assert r.returncode == 0, r.stderr
    assert _cli("validate", tmp_path / "reviewed.tmx", "--dtd", DTD).returncode == 0
    tus = _semantic_checks(tmp_path / "reviewed.tmx")
    assert len(tus) == len(aligned) - 1  # row 2 deleted
    assert tus[1].findall("tuv")[1].find("seg").text == "고친 번역 & <확인>."
    assert tus[1].find("prop[@type='x-src-ids']").text == fixed[4]


def test_convert_jsonl_keeps_meta_and_languages(ntrex_alignment, tmp_path):
    ntrex_alignment.to_jsonl(tmp_path / "n.jsonl")
    stats = convert(tmp_path / "n.jsonl", tmp_path / "n.tmx", min_score=0.5)
    assert stats["rows"] == len(ntrex_alignment.beads)
    assert stats["written"] == sum(b.aligned and b.score >= 0.5 for b in ntrex_alignment.beads)
    header = etree.parse(str(tmp_path / "n.tmx")).getroot().find("header")
    assert header.find("prop[@type='x-signature']").text == ntrex_alignment.signature
    back = convert(tmp_path / "n.jsonl", tmp_path / "n.tsv")
    assert back["written"] == len(ntrex_alignment.beads)
    assert (tmp_path / "n.tsv").read_text(encoding="utf-8") == ntrex_alignment.to_tsv()


def test_convert_says_what_is_wrong(tmp_path):
    bad = tmp_path / "bad.tsv"
    bad.write_text("only one column\n", encoding="utf-8")
    r = _cli("convert", bad, tmp_path / "x.tmx")
    assert r.returncode == 1 and "line 1: expected at least 2 tab-separated columns" in r.stderr
    assert "Traceback" not in r.stderr
