"""Make docs/editor.png: the review editor on the NTREX sample after a few review steps, in
headless Chromium (`make docs`). The server runs in this process, on a free port."""

from __future__ import annotations

import shutil
import sys
import tempfile
import threading
import time
from pathlib import Path

import uvicorn

from aligner import align_files
from aligner.embed import load_embedder
from aligner.review.history import Review
from aligner.review.server import create_app, editor_url, listen_local, new_token
from aligner.review.store import ReviewStore, origin_of, save_review

ROOT = Path(__file__).resolve().parent.parent
NTREX = ROOT / "corpora" / "ntrex-upi-176266"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]  # fmt: skip
KEYS = ["c", "c", "c", "c", "x"]  # confirm four beads, reject one (each moves on)


def main() -> int:
    chromium = shutil.which("chromium")
    if not chromium:
        print("chromium not installed: docs/editor.png not made", file=sys.stderr)
        return 1
    from playwright.sync_api import sync_playwright

    embedder = load_embedder()
    src, tgt = NTREX / "en.txt", NTREX / "ko.txt"
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "en.ko.review.json"
        review = Review(align_files(src, tgt, embedder=embedder), origin=origin_of(src, tgt))
        save_review(review, path)
        token, sock = new_token(), listen_local(0)
        app = create_app(ReviewStore(path, review), token, embedder=embedder)
        server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="off"))
        thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
        thread.start()
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=chromium, args=ARGS)
            page = browser.new_page(viewport={"width": 1360, "height": 860})
            page.goto(editor_url(sock.getsockname()[1], token))
            page.wait_for_selector("body[data-ready='1']")
            page.locator("tr.bead[data-k='0']").click()
            for n, key in enumerate(KEYS, 1):
                page.keyboard.press(key)
                page.wait_for_selector(f"#saved:has-text('version {n}')")
            page.keyboard.press("d")  # the next doubtful bead
            page.keyboard.press("k")
            time.sleep(0.3)
            page.screenshot(path=str(ROOT / "docs" / "editor.png"))
            browser.close()
        server.should_exit = True
        thread.join(timeout=10)
    print("wrote docs/editor.png")
    return 0


if __name__ == "__main__":
    sys.exit(main())
