"""The review editor driven as a translator drives it: the real `aligner review` server, real
headless Chromium (Playwright), the keyboard; state checked on the page and in the files."""

import re

import pytest
from conftest import ARTIFACTS, CHROMIUM_ARGS, DTD, NTREX, SEED, chromium
from editor_server import start_editor
from lxml import etree

from aligner.formats.tmx_validate import validate_tmx
from aligner.review.store import load_review

sync_api = pytest.importorskip("playwright.sync_api")
expect = sync_api.expect


@pytest.fixture(scope="module")
def browser():
    exe = chromium()
    with sync_api.sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=exe, args=CHROMIUM_ARGS)
        yield b
        b.close()


def _open(browser, url, errors):
    page = browser.new_page(viewport={"width": 1400, "height": 900}, accept_downloads=True)
    expected = "status of 409"  # the refused edit of a stale tab, which the test provokes
    page.on("console", lambda m: errors.append(m.text)
            if m.type == "error" and expected not in m.text else None)  # fmt: skip
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(url)
    page.wait_for_selector("body[data-ready='1']")
    return page


def _saved(page, version):
    expect(page.locator("#saved")).to_have_text(f"✓ Saved · version {version}")


def _row(page, k):
    return page.locator(f"tr.bead[data-k='{k}']")


def _types(page):
    return page.locator("tr.bead td.score small").all_text_contents()


def test_align_edit_reload_restart_export(browser, tmp_path):
    session = tmp_path / "ntrex.review.json"
    args = (NTREX / "en.txt", NTREX / "ko.txt", "--session", session)
    editor = start_editor(*args)  # aligns the pair first
    errors: list[str] = []
    try:
        page = _open(browser, editor.url, errors)
        assert _types(page)[4:9] == ["1-2", "1-1", "1-2", "1-2", "1-0"]
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        # merge: "Hammel added." (1-0) joins the bead before it
        _row(page, 8).click()
        page.keyboard.press("Shift+M")
        _saved(page, 1)
        assert _types(page)[7] == "2-2" and page.locator("tr.bead").count() == 14
        # split the 1-2 bead 4 at the proposed cut (after the first sentence of each side)
        _row(page, 4).click()
        page.keyboard.press("s")
        expect(page.locator("tr.current .cut.at")).to_have_count(2)
        page.screenshot(path=str(ARTIFACTS / "editor-split.png"))
        page.keyboard.press("Enter")
        _saved(page, 2)
        assert _types(page)[4:6] == ["1-1", "0-1"]
        # move: the lone Korean sentence (bead 5) to the start of the next bead
        _row(page, 5).click()
        page.keyboard.press("}")
        _saved(page, 3)
        assert _types(page)[5] == "1-2" and page.locator("tr.bead").count() == 14
        # edit a segment's text (a typo in the source)
        _row(page, 0).click()
        page.keyboard.press("e")
        page.locator("tr.current textarea").first.fill("Shark injures 13-year-old boy")
        page.keyboard.press("Control+Enter")
        _saved(page, 4)
        expect(_row(page, 0).locator("td.src")).to_contain_text("13-year-old boy")
        # worst first, and search
        page.select_option("#order", "worst")
        scores = page.locator("tr.bead").evaluate_all("rows => rows.map(r => +r.dataset.score)")
        assert scores == sorted(scores) and len(scores) == 14
        page.keyboard.press("/")
        page.keyboard.type("clavicle")
        expect(page.locator("tr.bead")).to_have_count(1)
        page.keyboard.press("Escape")
        page.select_option("#order", "doc")
        # confirm two beads (c confirms and goes on), then undo the second
        _row(page, 0).click()
        page.keyboard.press("c")
        _saved(page, 5)
        page.keyboard.press("c")
        _saved(page, 6)
        assert page.locator("tr.bead.confirmed").count() == 2
        page.keyboard.press("z")
        _saved(page, 7)
        expect(page.locator("tr.bead.confirmed")).to_have_count(1)
        assert "confirmed" in _row(page, 0).get_attribute("class")
        page.screenshot(path=str(ARTIFACTS / "editor.png"))
        # reload: the page shows what the server saved
        page.reload()
        page.wait_for_selector("body[data-ready='1']")
        _saved(page, 7)
        assert _types(page)[4:8] == ["1-1", "1-2", "1-2", "2-2"]
        assert page.locator("tr.bead.confirmed").count() == 1
        # a second tab edits; the first tab's next edit is refused with a clear message
        other = _open(browser, editor.url, errors)
        _row(other, 2).click()
        other.keyboard.press("x")
        _saved(other, 8)
        _row(page, 3).click()
        page.keyboard.press("c")
        expect(page.locator("#message-text")).to_contain_text("another tab")
        expect(page.locator("#message-reload")).to_be_visible()
        other.close()
        # a request without the token
        assert editor.request("/api/state", token="")[0] == 403
    finally:
        editor.kill()  # as a crash would: no chance to flush anything
    # restart: same state and the same undo stack
    editor = start_editor(*args)
    try:
        page.goto(editor.url)
        page.wait_for_selector("body[data-ready='1']")
        _saved(page, 8)
        assert page.locator("tr.bead.rejected").count() == 1
        expect(page.locator("#undo")).to_have_attribute("title", re.compile("reject bead 2"))
        page.keyboard.press("z")
        _saved(page, 9)
        expect(page.locator("tr.bead.rejected")).to_have_count(0)
        page.keyboard.press("y")
        _saved(page, 10)
        # export TMX from the page, the Trados option on
        page.keyboard.press("Shift+E")
        page.select_option("#export-format", "tmx")
        page.check("#opt-trados")
        page.click("#export-go")
        expect(page.locator("#export-result")).to_contain_text("Wrote")
        page.screenshot(path=str(ARTIFACTS / "editor-export.png"))
        out = tmp_path / "ntrex.reviewed.tmx"
        with page.expect_download() as download:
            page.click("#export-result a")
        assert download.value.suggested_filename == out.name
    finally:
        assert "saved in" in editor.stop()
    report = validate_tmx(out, dtd=DTD)
    assert report.ok, report.problems
    tus = etree.parse(str(out)).getroot().findall("body/tu")
    status = [{p.get("type"): p.text for p in tu.findall("prop")}.get("x-status") for tu in tus]
    review = load_review(session)
    assert review.version == 10
    pairs = [b for b in review.alignment.beads if b.aligned and b.status != "rejected"]
    assert len(tus) == len(pairs) == 13 and status.count("confirmed") == 1 and status[0]
    assert tus[0].find("prop[@type='x-AlignmentQuality:Integer']").text == "100"
    assert errors == []


def test_comparable_review_links_the_two_texts(browser, tmp_path):
    editor = start_editor(SEED / "en.txt", SEED / "ko.txt", "--mode", "comparable",
                          "--session", tmp_path / "seed.review.json")  # fmt: skip
    errors: list[str] = []
    try:
        page = _open(browser, editor.url, errors)
        expect(page.locator("#texts")).to_be_visible()  # comparable: both texts, own order
        st = editor.state()
        assert page.locator("#list-src .tsent").count() == len(st["src"])
        assert page.locator("#list-tgt .tsent").count() == len(st["tgt"])
        ids = [int(x) for x in page.locator("#list-tgt .tsent").evaluate_all(
            "rows => rows.map(r => r.dataset.id)")]  # fmt: skip
        assert ids == sorted(ids)
        pair = next(b for b in st["beads"] if b[0] and b[1])
        src, tgt = pair[0][0], pair[1][0]
        page.locator(f"#list-src .tsent[data-id='{src}'] .link").click()
        expect(page.locator(f"#list-tgt .tsent[data-id='{tgt}']")).to_have_class(
            re.compile("selected"))  # fmt: skip
        page.keyboard.press("?")
        expect(page.locator("#help")).to_be_visible()
        page.screenshot(path=str(ARTIFACTS / "editor-comparable-help.png"))
        page.keyboard.press("Escape")
        # pair two unaligned sentences by selecting one in each column
        lone_src = next(b[0][0] for b in st["beads"] if b[0] and not b[1])
        lone_tgt = next(b[1][0] for b in st["beads"] if b[1] and not b[0])
        page.locator(f"#list-src .tsent[data-id='{lone_src}'] .txt").click()
        page.locator(f"#list-tgt .tsent[data-id='{lone_tgt}'] .txt").click()
        page.keyboard.press("p")
        _saved(page, 1)
        after = editor.state()
        assert any(lone_src in b[0] and lone_tgt in b[1] for b in after["beads"])
        page.screenshot(path=str(ARTIFACTS / "editor-comparable.png"))
    finally:
        editor.stop()
    assert errors == []
