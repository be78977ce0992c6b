"""Reading real files in the encodings users have: every test writes the bytes it reads."""

import subprocess
import sys
import zipfile

import pytest
from conftest import NTREX

from aligner.errors import AlignerError
from aligner.read import normalize_text, read_text
from aligner.read.script import check_language, check_pair, language_mismatch, script_shares
from aligner.segment import split_text

KO = (NTREX / "ko.txt").read_text(encoding="utf-8")
EN = (NTREX / "en.txt").read_text(encoding="utf-8")
# 똠 and 햏 are outside EUC-KR (KS X 1001): only CP949 encodes them.
KO_EXT = "똠방각하는 햏자와 서울에 갔다. 국방부는 이날 발표했다.\n"


@pytest.mark.parametrize(
    "text, encoding, reported",
    [
        (KO, "utf-8", "utf-8"),
        (KO, "utf-8-sig", "utf-8"),
        (KO, "utf-16", "utf-16"),  # BOM, little-endian on this machine
        (KO, "utf-16-be", "utf-16-be"),  # no BOM: found by the NUL-byte pattern
        (EN, "utf-16-le", "utf-16-le"),
        (KO, "euc-kr", "cp949"),  # CP949 is the superset: read EUC-KR files as CP949
        (KO + KO_EXT, "cp949", "cp949"),
        (
            "Le café était déjà fermé quand nous sommes arrivés à Montréal. Ça va.\n" * 3,
            "cp1252",
            "cp1252",
        ),  # fmt: skip
        (
            "Привет, как дела? Сегодня хорошая погода. Мы поехали в Москву.\n" * 3,
            "cp1251",
            "cp1251",
        ),  # fmt: skip
    ],
)
def test_encodings_are_detected(tmp_path, text, encoding, reported):
    path = tmp_path / "in.txt"
    path.write_bytes(text.encode(encoding))
    decoded = read_text(path)
    assert decoded.text == normalize_text(text)
    assert decoded.encoding == reported


def test_utf16_bom_with_explicit_be_bom(tmp_path):
    path = tmp_path / "be.txt"
    path.write_bytes(b"\xfe\xff" + KO.encode("utf-16-be"))
    assert read_text(path).text == KO


def test_encoding_option_overrides_detection(tmp_path):
    path = tmp_path / "ko.txt"
    path.write_bytes(KO_EXT.encode("cp949"))
    assert read_text(path, encoding="cp949").text == KO_EXT
    with pytest.raises(AlignerError, match=r"ko.txt: not valid utf-8.*--encoding"):
        read_text(path, encoding="utf-8")
    with pytest.raises(AlignerError, match="unknown encoding 'klingon'"):
        read_text(path, encoding="klingon")


def test_damaged_utf8_stays_utf8(tmp_path):
    """A UTF-8 file cut mid-character must not be read as mojibake in a legacy encoding."""
    path = tmp_path / "cut.txt"
    text = KO.rstrip(".\n")
    path.write_bytes(text.encode("utf-8")[:-1])  # the last Hangul syllable loses a byte
    decoded = read_text(path)
    assert decoded.encoding == "utf-8" and decoded.replaced == 1
    assert decoded.text == text[:-1] + "\ufffd"


def _zip(path):
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("word/document.xml", "<w:document/>")


@pytest.mark.parametrize(
    "make, message",
    [
        (lambda p: p.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), "PNG image"),
        (_zip, "zip archive"),
        (lambda p: p.write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj"), "PDF"),
        (lambda p: p.write_bytes(b"hello\x00\x01\x02\xff\xfe binary \x00\x00\x07"), "NUL byte"),
    ],
)
def test_binary_files_give_one_clear_error_naming_the_file(tmp_path, make, message):
    path = tmp_path / "input.bin"
    make(path)
    with pytest.raises(AlignerError, match=message) as e:
        read_text(path)
    assert str(path) in str(e.value) and "\n" not in str(e.value)


def test_missing_and_folder(tmp_path):
    with pytest.raises(AlignerError, match="no such file"):
        read_text(tmp_path / "nope.txt")
    with pytest.raises(AlignerError, match="is a folder"):
        read_text(tmp_path)


def test_normalisation_line_ends_spaces_nfc(tmp_path):
    nfd = "\u1100\u1161\u11a8"  # 각 as decomposed jamo (macOS file names, some PDFs)
    raw = f"One\u00a0two\u200bthree.\r\nWord line\u000bbreak.\rPage\u000cend {nfd}"
    path = tmp_path / "odd.txt"
    path.write_bytes(raw.encode("utf-8"))
    assert read_text(path).text == "One twothree.\nWord line\nbreak.\nPage\nend 각"


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_fullwidth_punctuation_splits_and_is_kept(lang):
    text = {
        "en": "The talks ended！ Did they agree？ Not yet． Talks resume today.",
        "ko": "회담이 끝났다！ 합의했나？ 아직이다． 회담은 오늘 재개된다.",
    }[lang]
    sentences = split_text(normalize_text(text), lang)
    assert len(sentences) == 4
    assert sentences[0].text.endswith("！") and sentences[2].text.endswith("．")
    assert all(text[s.start : s.end] == s.text for s in sentences)


def test_script_shares_and_mismatch():
    assert script_shares(KO)["Hangul"] > 0.9 and script_shares(EN) == {"Latin": 1.0}
    assert language_mismatch(KO, "ko") is None and language_mismatch(EN, "en") is None
    assert language_mismatch(KO, "en").startswith("Hangul")
    assert language_mismatch(EN, "ko").startswith("Latin")
    # too little text to judge, or a language whose script we do not know: no verdict
    assert language_mismatch("OK", "ko") is None and language_mismatch(KO, "xx") is None
    # Korean text quoting English names is still Korean
    mixed = "유엔(UN) 안전보장이사회는 NATO와 EU 대표를 초청했다. " * 5
    assert language_mismatch(mixed, "ko") is None


def test_check_language_messages():
    with pytest.raises(AlignerError, match=r"ko.txt: does not look like English.*--force"):
        check_language(KO, "en", "ko.txt", "--src-lang")
    with pytest.raises(AlignerError, match="look swapped"):
        check_pair(KO, EN, "en", "ko", "a.txt", "b.txt")
    check_pair(EN, KO, "en", "ko")


def test_verbose_reports_detected_encoding(tmp_path):
    path = tmp_path / "ko.txt"
    path.write_bytes(KO_EXT.encode("cp949"))
    p = subprocess.run(
        [sys.executable, "-m", "aligner", "split", "--lang", "ko", "-v", str(path)],
        capture_output=True,
        text=True,
    )
    assert p.returncode == 0, p.stderr
    assert "cp949" in p.stderr and "똠방각하는 햏자와 서울에 갔다." in p.stdout


def test_script_counts_are_those_of_each_letter():
    """Hangul and ASCII letters are counted by regular expressions, the rest one by one: the
    counts are those of ``letter_script`` on every character."""
    from collections import Counter

    from aligner.read.script import hangul_share, letter_script, script_counts

    others = "Ñandú Привет αβγ 日本語 ひらがな カタカナ ㄱㅏ ᄀ ＡＢＣ ǅ ﬁ ① ٣ العربية עברית ไทย"
    text = (NTREX / "ko.txt").read_text(encoding="utf-8") + others + " हिन्दी 3.5% \u00ad"
    by_letter = Counter(s for s in map(letter_script, text) if s)
    assert script_counts(text) == by_letter and by_letter["Hangul"] > 100
    assert len(by_letter) >= 9
    latin = by_letter["Latin"]
    assert hangul_share(text) == by_letter["Hangul"] / (by_letter["Hangul"] + latin)
