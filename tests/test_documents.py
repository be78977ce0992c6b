"""Documents in: each format built here with a real library (python-docx, odfpy, fpdf2, srt
text, XLIFF 2.0, TMX, HTML, Markdown), read through the same path as `aligner align`, and
checked for what a translator would see go wrong: markup or timecodes in the output, a
sentence lost, a heading run into the text, a clear message for files we cannot read."""

import re
import subprocess
import sys

import pytest
from conftest import DTD
from lxml import etree

from aligner import align_files
from aligner.errors import AlignerError
from aligner.formats.tmx_validate import validate_tmx
from aligner.read import read_text

EN = [
    "A shark attacked and injured a boy on Saturday.",
    "He was diving for lobster in California.",
    "Officials closed the beach for two days.",
]
KO = [
    "토요일에 상어가 소년을 공격해 다치게 했다.",
    "그는 캘리포니아에서 바닷가재를 잡으려고 잠수하고 있었다.",
    "당국은 이틀 동안 해변을 폐쇄했다.",
]
# Anything of these in an output is markup, a timecode or a cue number that leaked.
LEAKS = re.compile(r"<[a-z/!?]|-->|\d\d:\d\d:\d\d|\{\\|w:p|&lt;|&amp;\w+;")


def _docx(path, title, sentences, cells):
    import docx

    d = docx.Document()
    d.add_heading(title, level=1)
    d.add_paragraph(" ".join(sentences[:2]))
    table = d.add_table(rows=1, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = cells
    p = d.add_paragraph(sentences[2][:10])
    p.add_run(sentences[2][10:]).bold = True  # two runs, one sentence
    d.save(path)


def _texts(result):
    return [s.text for s in result.src], [s.text for s in result.tgt]


def _all_listed(result):
    """Every sentence is in exactly one bead (Alignment checks it) and none is markup."""
    src, tgt = _texts(result)
    assert not [t for t in src + tgt if LEAKS.search(t)]
    covered = sorted(i for b in result.beads for i in b.src_ids)
    assert covered == list(range(len(result.src)))


def test_docx_with_a_heading_and_a_table(tmp_path, embedder):
    _docx(tmp_path / "en.docx", "Shark attack in California", EN, ("Place", "Encinitas."))
    _docx(tmp_path / "ko.docx", "캘리포니아 상어 공격", KO, ("장소", "엔시니타스."))
    result = align_files(tmp_path / "en.docx", tmp_path / "ko.docx", embedder=embedder)
    src, tgt = _texts(result)
    assert src == ["Shark attack in California", *EN[:2], "Place", "Encinitas.", EN[2]]
    assert tgt == ["캘리포니아 상어 공격", *KO[:2], "장소", "엔시니타스.", KO[2]]
    assert [s.heading for s in result.src] == [True] + [False] * 5
    assert [s.para for s in result.src] == [0, 1, 1, 2, 3, 4]  # cells are paragraphs
    _all_listed(result)
    assert [(b.src_ids, b.tgt_ids) for b in result.beads] == [((i,), (i,)) for i in range(6)]
    assert result.info["inputs"]["src_format"] == "docx"


def _srt(cues):
    return "".join(f"{n}\n00:00:0{n},000 --> 00:00:0{n},900\n{text}\n\n"
                   for n, text in enumerate(cues, 1))  # fmt: skip


def test_srt_cue_text_only_and_timing_in_tmx_props(tmp_path, embedder):
    # the first sentence runs over two cues, with styling tags and an ASS position code
    en_cues = ["<i>A shark attacked</i> and injured", "a boy on Saturday.", *EN[1:]]
    (tmp_path / "en.srt").write_text(_srt(en_cues), encoding="utf-8")
    (tmp_path / "ko.srt").write_text(_srt(["{\\an8}" + KO[0], *KO[1:]]), encoding="utf-8")
    result = align_files(tmp_path / "en.srt", tmp_path / "ko.srt", embedder=embedder)
    _all_listed(result)
    assert _texts(result)[0][0] == EN[0]  # one sentence over two cues, tags gone
    out = tmp_path / "subs.tmx"
    result.write(out)
    assert validate_tmx(out, dtd=DTD).ok
    tus = etree.parse(str(out)).getroot().findall("body/tu")
    assert len(tus) == 3
    props = {p.get("type"): p.text for p in tus[0].iter("prop")}
    assert props["x-src-start"] == "00:00:01,000" and props["x-src-end"] == "00:00:02,900"
    assert props["x-tgt-start"] == "00:00:01,000" and props["x-tgt-end"] == "00:00:01,900"
    segs = [s.text for s in etree.parse(str(out)).iter("seg")]
    assert not [s for s in segs if LEAKS.search(s) or s.strip().isdigit()]


XLIFF2 = """<?xml version="1.0" encoding="UTF-8"?>
<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" version="2.0" srcLang="en-US" trgLang="ko-KR">
 <file id="f1">
  <unit id="1">
   <segment><source>{s0a}<pc id="1">{s0b}</pc></source>
            <target>{t0a}<pc id="1">{t0b}</pc></target></segment>
   <ignorable><source> </source></ignorable>
   <segment><source>{s1}<ph id="2"/></source><target>{t1}<ph id="2"/></target></segment>
  </unit>
  <unit id="2"><segment><source>{s2}</source><target>{t2}</target></segment></unit>
 </file>
</xliff>
"""


def test_xliff_2_bilingual_file_is_both_sides(tmp_path):
    path = tmp_path / "job.xlf"
    parts = {"s0a": EN[0][:8], "s0b": EN[0][8:], "t0a": KO[0][:5], "t0b": KO[0][5:],
             "s1": EN[1], "t1": KO[1], "s2": EN[2], "t2": KO[2]}  # fmt: skip
    path.write_text(XLIFF2.format(**parts), encoding="utf-8")
    assert read_text(path, lang="en").text == f"{EN[0]} {EN[1]}\n{EN[2]}\n"
    assert read_text(path, lang="ko").text == f"{KO[0]} {KO[1]}\n{KO[2]}\n"
    out = tmp_path / "job.tmx"
    done = subprocess.run([sys.executable, "-m", "aligner", "align", str(path), "-o", str(out)],
                          capture_output=True, text=True, timeout=180)  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert validate_tmx(out, dtd=DTD).ok
    pairs = [[s.text for s in tu.iter("seg")] for tu in etree.parse(str(out)).iter("tu")]
    assert pairs == [list(p) for p in zip(EN, KO, strict=True)]


def test_pdf_with_a_text_layer(tmp_path, embedder):
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=12)
    long = " ".join(EN[:2]) + " The attack occurred just before seven in the morning near a beach."
    pdf.multi_cell(0, 8, long)  # wraps over two lines: must come back as one paragraph
    pdf.ln(8)
    pdf.multi_cell(0, 8, EN[2])
    pdf.output(str(tmp_path / "en.pdf"))
    ko = KO[:2] + ["공격은 해변 근처에서 아침 7시 직전에 일어났다.", KO[2]]
    (tmp_path / "ko.txt").write_text(" ".join(ko[:3]) + "\n\n" + ko[3] + "\n", encoding="utf-8")
    result = align_files(tmp_path / "en.pdf", tmp_path / "ko.txt", embedder=embedder)
    src, _ = _texts(result)
    assert src == [*EN[:2], "The attack occurred just before seven in the morning near a beach.",
                   EN[2]]  # fmt: skip
    _all_listed(result)
    assert sum(b.aligned for b in result.beads) == 4


def test_tmx_memory_is_realigned(tmp_path, embedder):
    """A bad memory (targets slid one unit up from the second on) given as both sides comes
    back right."""
    bad = tmp_path / "bad.tmx"
    tus = "".join(
        f'<tu><tuv xml:lang="en-US"><seg>{e}</seg></tuv>'
        + (f'<tuv xml:lang="ko-KR"><seg>{k}</seg></tuv>' if k else "")
        + "</tu>"
        for e, k in zip(EN, [f"{KO[0]} {KO[1]}", KO[2], ""], strict=True)
    )
    bad.write_text('<?xml version="1.0"?><tmx version="1.4"><header srclang="en-US" '
                   f'creationtool="x" creationtoolversion="1" segtype="sentence" o-tmf="x" '
                   f'adminlang="en" datatype="plaintext"/><body>{tus}</body></tmx>',
                   encoding="utf-8")  # fmt: skip
    result = align_files(bad, bad, embedder=embedder)
    pairs = [(result.src_text(b), result.tgt_text(b)) for b in result.pairs]
    assert pairs == list(zip(EN, KO, strict=True))


@pytest.mark.parametrize(
    "name, content, expected",
    [
        ("a.html", "<html><head><title>x</title><style>p{color:red}</style>"
         "<script>var a = '<p>';</script></head><body><h1>Shark attack</h1><p>A shark "
         "<b>attacked</b>\na boy.<br>He was diving &amp; swimming.</p><table><tr><td>Place"
         "</td></tr></table><!-- note --></body></html>",
         "Shark attack\n\nA shark attacked a boy.\nHe was diving & swimming.\n\nPlace\n"),
        ("a.md", "# Shark attack\n\nA shark **attacked** a boy\non [Saturday](http://x).\n\n"
         "- He was diving.\n", "Shark attack\n\nA shark attacked a boy on Saturday.\n\n"
         "He was diving.\n"),
        ("a.vtt", "WEBVTT\n\nNOTE made by hand\n\n1\n00:00:01.000 --> 00:00:02.000 align:start\n"
         "<v Roger>A shark &amp; a boy.\n\n00:00:03.000 --> 00:00:04.000\nHe dived.\n",
         "A shark & a boy.\nHe dived.\n"),
        ("a.xlf", '<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2"><file '
         'source-language="en" datatype="plaintext" original="a"><body><trans-unit id="1">'
         '<source>A <g id="1">shark</g> bit<bpt id="2">&lt;b&gt;</bpt> him<ept id="2">&lt;/b'
         "&gt;</ept>.</source></trans-unit></body></file></xliff>", "A shark bit him.\n"),
        ("page.txt", "<!DOCTYPE html><html><body><p>Found by content.</p></body></html>",
         "Found by content.\n"),
        ("subs.txt", "1\n00:00:01,000 --> 00:00:02,000\nFound by content.\n",
         "Found by content.\n"),
    ],
)  # fmt: skip
def test_markup_formats_give_their_text(tmp_path, name, content, expected):
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    assert read_text(path, lang="en").text == expected


def test_odt_headings_and_paragraphs(tmp_path):
    from odf.opendocument import OpenDocumentText
    from odf.text import H, P

    doc = OpenDocumentText()
    doc.text.addElement(H(outlinelevel=1, text="Shark attack"))
    doc.text.addElement(P(text=" ".join(EN)))
    doc.save(str(tmp_path / "a.odt"))
    decoded = read_text(tmp_path / "a.odt")
    assert decoded.text == "Shark attack\n\n" + " ".join(EN) + "\n"
    assert [r.kind for r in decoded.regions] == ["heading", "para"]


def _scanned_pdf(path):
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.rect(20, 20, 100, 60, style="F")  # a picture of a page: no text layer
    pdf.output(str(path))


def _protected_pdf(path):
    from fpdf import FPDF
    from pypdf import PdfReader, PdfWriter

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=12)
    pdf.cell(0, 10, "Secret text.")
    pdf.output(str(path))
    writer = PdfWriter(clone_from=PdfReader(str(path)))
    writer.encrypt("open sesame")
    writer.write(str(path))


def _zip_with(*names):
    def make(path):
        import zipfile

        with zipfile.ZipFile(path, "w") as z:
            for n in names:
                z.writestr(n, "<x/>")

    return make


@pytest.mark.parametrize(
    "name, make, message",
    [
        ("scan.pdf", _scanned_pdf, "no text layer.*OCR"),
        ("locked.pdf", _protected_pdf, "password-protected"),
        ("book.xlsx", _zip_with("[Content_Types].xml", "xl/workbook.xml"), "spreadsheet"),
        ("slides.pptx", _zip_with("[Content_Types].xml", "ppt/presentation.xml"),
         "presentation"),
        ("fake.docx", lambda p: p.write_text("just text", encoding="utf-8"), "not a DOCX"),
        ("old.doc", lambda p: p.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)),
         r"\.doc\); save it as \.docx"),
        ("broken.xlf", lambda p: p.write_text("<xliff version='2.0'><file>", "utf-8"),
         "cannot read this XLIFF"),
    ],
)  # fmt: skip
def test_documents_we_cannot_read_say_what_to_do(tmp_path, name, make, message):
    path = tmp_path / name
    make(path)
    with pytest.raises(AlignerError, match=message) as e:
        read_text(path)
    assert str(path) in str(e.value) and "\n" not in str(e.value)


def test_a_bilingual_file_in_other_languages_is_refused(tmp_path):
    path = tmp_path / "de.tmx"
    path.write_text('<tmx version="1.4"><header srclang="de"/><body><tu><tuv xml:lang="de">'
                    '<seg>Hallo.</seg></tuv><tuv xml:lang="fr"><seg>Salut.</seg></tuv></tu>'
                    "</body></tmx>", encoding="utf-8")  # fmt: skip
    with pytest.raises(AlignerError, match="holds de, fr text, none in 'ko'"):
        read_text(path, lang="ko")
