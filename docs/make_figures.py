"""Make docs/review.png (the seed alignment's HTML review page in headless Chromium) and
docs/heatmap.png (aligner.plot's heatmap + histogram) for the README: `make docs`."""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

from aligner import align_texts  # noqa: E402
from aligner.review import plot  # noqa: E402
from aligner.embed import load_embedder  # noqa: E402
from aligner.read import read_text  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "corpora" / "joongang-2011-military-pact"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]  # fmt: skip


def main() -> int:
    embedder = load_embedder()
    result = align_texts(read_text(SEED / "en.txt").text, read_text(SEED / "ko.txt").text,
                         embedder=embedder)  # fmt: skip
    fig = plot.overview(result, embedder)
    fig.savefig(ROOT / "docs" / "heatmap.png", dpi=80)
    chromium = shutil.which("chromium")
    if not chromium:
        print("chromium not installed: docs/review.png not made", file=sys.stderr)
        return 1
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as pw:
        page_file = Path(tmp) / "seed.html"
        result.to_html(page_file, embedder=embedder, title="Seed article: en–ko review")
        browser = pw.chromium.launch(executable_path=chromium, args=ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.goto(page_file.as_uri())
        page.screenshot(path=str(ROOT / "docs" / "review.png"))
        browser.close()
    print("wrote docs/review.png and docs/heatmap.png")
    return 0


if __name__ == "__main__":
    sys.exit(main())
