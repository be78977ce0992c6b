"""`aligner extract` on the real seed page, as text and as HTML."""

from __future__ import annotations

import html as htmllib

import pytest
from click.testing import CliRunner
from conftest import ROOT, SEED

from aligner.cli import main
from aligner.read.page import extract_page
from aligner.read.script import hangul_share

PAGES = ROOT / "tests" / "data" / "pages"
BOILERPLATE = [
    "Home > National",
    "print dictionary print",
    "Log in to Twitter",
    "with the Korea JoongAng Daily",
    "help-image",
    "lock icon",
    "To write comments",
    "Standards Board Policy",
    "Popular Now",
    "Related Korean Article",
    "By Moon Gwang-lip",
    "글=김수정 기자",
    "[YONHAP]",
]


def _page() -> str:
    return (SEED / "page.txt").read_text(encoding="utf-8")


def _check(result) -> None:
    for junk in BOILERPLATE:
        assert junk not in result.en and junk not in result.ko, junk
    # every line went to the right side
    assert all(hangul_share(x) < 0.5 for x in result.en.splitlines() if x.strip())
    assert all(hangul_share(x) >= 0.5 for x in result.ko.splitlines() if x.strip())
    # the title is kept once; the body is all there
    assert result.en.count("Korea, Japan talk of military pact") == 1
    hand_en = (SEED / "en.txt").read_text(encoding="utf-8").replace(" [YONHAP]", "")
    assert result.en.split() == hand_en.split()
    assert "김관진-기타자와 서울 회담" in result.ko
    # inline sub-heads become their own line, the body keeps its first sentence whole
    lines = result.ko.splitlines()
    assert "추위로 야외 의장대 사열 취소" in lines
    assert any(x.startswith("일본 방위상의 방한은 2005년") for x in lines)
    kinds = {k for k, _ in result.metadata}
    assert {"byline", "credit", "section", "subhead"} <= kinds


def test_extract_seed_text():
    result = extract_page(_page())
    _check(result)
    reasons = {d.text: d.reason for d in result.dropped}
    assert reasons["Related Korean Article [중앙일보]"] == "section marker"
    assert reasons["글=김수정 기자, 베이징=장세정 특파원"].startswith("byline")
    assert reasons["Korea, Japan talk of military pact"] == "repeated line"


def test_extract_seed_as_html():
    """The same page saved as HTML, with scripts, nav and share widgets: same two texts."""
    paras = _page().split("\n\n")
    body = "".join(
        "<p>" + "<br>".join(htmllib.escape(x) for x in p.split("\n")) + "</p>\n" for p in paras
    )
    page = (
        "<!DOCTYPE html><html><head><title>Korea, Japan talk of military pact</title>"
        "<script>var share = 'Share on Facebook';</script><style>p{}</style></head><body>"
        "<nav><a href='/'>Home</a> &gt; <a>National</a></nav>"
        f"<div class='article'>{body}</div>"
        "<div class='share'><a>Share</a> <a>Print</a></div>"
        "<img src='x.png' alt=''></body></html>"
    )
    result = extract_page(page)
    _check(result)
    assert "var share" not in result.en


def test_extract_cli(tmp_path):
    page = tmp_path / "page.txt"
    page.write_text(_page(), encoding="utf-8")
    out = tmp_path / "out"
    r = CliRunner().invoke(main, ["extract", str(page), "-o", str(out), "--show-dropped"])
    assert r.exit_code == 0, r.output
    assert "section marker\tRelated Korean Article" in r.output
    assert (out / "en.txt").read_text(encoding="utf-8").startswith("Korea, Japan talk")
    assert (out / "ko.txt").read_text(encoding="utf-8").startswith("한·일, 미·중")


def test_extract_cli_one_language_is_an_error(tmp_path):
    page = tmp_path / "page.txt"
    page.write_text("Only English here.\n\nNothing else.\n", encoding="utf-8")
    r = CliRunner().invoke(main, ["extract", str(page), "-o", str(tmp_path / "o")])
    assert r.exit_code == 1
    assert "no Korean text found" in r.output


@pytest.mark.parametrize("page", ["korean-first.txt", "interleaved.txt", "html-navigation.html"])
def test_extract_other_bilingual_layouts(page, tmp_path):
    """Layouts beyond the seed's (tests/data/pages, hand-made): each splits as a reader would."""
    src = PAGES / page
    r = CliRunner().invoke(main, ["extract", str(src), "-o", str(tmp_path), "--show-dropped"])
    assert r.exit_code == 0, r.output
    stem = src.name.rsplit(".", 1)[0]
    for lang in ("en", "ko"):
        got = (tmp_path / f"{lang}.txt").read_text(encoding="utf-8")
        want = (PAGES / f"{stem}.{lang}.txt").read_text(encoding="utf-8")
        # same lines in the same order, paragraphs where the page has them
        assert [x.split() for x in got.split("\n\n")] == [x.split() for x in want.split("\n\n")]
    # what was dropped is listed, with its reason
    assert "navigation/widget" in r.output or "page furniture" in r.output
