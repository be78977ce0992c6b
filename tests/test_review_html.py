"""The HTML review page, checked in a real headless Chromium (skipped only where none exists)."""

import re

import pytest
from conftest import ARTIFACTS, CHROMIUM_ARGS, chromium


def test_page_is_self_contained_and_escapes_text(embedder):
    from aligner import align_sentences

    r = align_sentences(["<script>alert(1)</script> & more.", "Second."], ["<b>굵게</b>", "둘째."],
                        embedder=embedder)  # fmt: skip
    page = r.to_html(embedder=embedder)
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;alert(1)" in page
    assert "&lt;b&gt;굵게&lt;/b&gt;" in page
    assert not re.search(r"(src|href)=['\"]https?:", page)  # nothing loaded from the network
    assert page.count("<tr class='bead") == len(r.beads)
    assert r._repr_html_().count("<tr>") == len(r.beads) + 1


def test_review_page_in_a_real_browser(seed_alignment, embedder, tmp_path):
    exe = chromium()
    sync_api = pytest.importorskip("playwright.sync_api")
    page_file = tmp_path / "seed.html"
    seed_alignment.to_html(page_file, embedder=embedder, title="Seed article: en–ko review")
    n_beads = len(seed_alignment.beads)
    n_unaligned = sum(not b.aligned for b in seed_alignment.beads)
    low = sorted(b.score for b in seed_alignment.beads if b.aligned)[len(seed_alignment.pairs) // 2]
    errors: list[str] = []
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=exe, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.on("request", lambda r: errors.append(f"network: {r.url}")
                    if not r.url.startswith(("file:", "data:")) else None)  # fmt: skip
            page.goto(page_file.as_uri())
            rows = page.locator("tr.bead")
            assert rows.count() == n_beads
            assert page.locator("tr.bead.unaligned").count() == n_unaligned
            assert page.locator("#heatmap polyline").count() == 1
            assert page.locator("#histogram rect").count() == 20
            visible = page.locator("tr.bead:visible")
            assert visible.count() == n_beads
            ARTIFACTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(ARTIFACTS / "review.png"))
            # keyboard: j moves the highlight to the first row, j again to the second
            page.keyboard.press("j")
            page.keyboard.press("j")
            assert page.locator("tr.current").get_attribute("id") == "b1"
            # filters: hide unaligned, then a minimum score
            page.check("#hide-unaligned")
            assert visible.count() == n_beads - n_unaligned
            t = round(low, 2)
            page.locator("#min-score").fill(f"{t:.2f}")
            expected = sum(1 for b in seed_alignment.beads if b.aligned and round(b.score, 4) >= t)
            assert visible.count() == expected < n_beads - n_unaligned
            assert f"{expected} of {n_beads}" in page.locator("#shown").text_content()
            page.screenshot(path=str(ARTIFACTS / "review-filtered.png"))
        finally:
            browser.close()
    assert errors == []
    assert (ARTIFACTS / "review.png").stat().st_size > 10_000


def test_comparable_page_draws_each_pair_where_it_is(embedder, tmp_path):
    """Pairs in any order: a mark per pair at its own cells (no path), and a click on one
    selects its row."""
    from conftest import SEED

    from aligner import align_texts

    exe = chromium()
    sync_api = pytest.importorskip("playwright.sync_api")
    en = (SEED / "en.txt").read_text(encoding="utf-8")
    ko = (SEED / "ko.txt").read_text(encoding="utf-8")
    result = align_texts(en, ko, embedder=embedder, mode="comparable")
    assert result.pairs
    page_file = tmp_path / "comparable.html"
    result.to_html(page_file, embedder=embedder)
    html = page_file.read_text(encoding="utf-8")
    assert "<polyline" not in html and "class='skip'" not in html
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=exe, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.goto(page_file.as_uri())
            marks = page.locator("#heatmap rect.pair")
            assert marks.count() == len(result.pairs)
            last = marks.nth(marks.count() - 1)
            k = int(last.get_attribute("data-bead"))
            assert result.beads[k].aligned
            last.click()
            assert page.locator("tr.current").get_attribute("id") == f"b{k}"
        finally:
            browser.close()
