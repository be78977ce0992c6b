"""Review editor benchmark: what one edit costs on long documents → benchmarks/editor.md.

Documents: Bible books from the shared set (gold beads, one verse a bead): Genesis alone, and
Genesis to Leviticus joined (about 3,600 beads). For each, a series of edits (merge, split back,
confirm) measured three ways:

- library: CPU seconds of ``history.edit`` (the pure edit, its patch) and of ``save_review``
  (the atomic save with fsync, whose size grows with the document and its history);
- server: wall milliseconds of one HTTP edit request to the real Starlette/uvicorn app (edit,
  rescoring with the bundled model, save, the full state back), from urllib in this process;
- browser: wall milliseconds from a key press in headless Chromium to the page showing the new
  version as saved (request + re-rendering every row).

The embedder runs without its disk cache (the shared cache is left alone). Timings are min and
median over the repetitions, on whatever machine runs it; compare ratios within one run.

Usage: python benchmarks/editor.py [--shared ../shared] [--reps 15] [--out FILE.md]
"""

from __future__ import annotations

import argparse
import json
import platform
import shutil
import statistics
import tempfile
import threading
import time
import urllib.request
from datetime import date
from pathlib import Path

import uvicorn

from aligner import Alignment, Bead
from aligner.embed import load_embedder
from aligner.review import history
from aligner.review.server import TOKEN_HEADER, create_app, editor_url, listen_local, new_token
from aligner.review.store import ReviewStore, save_review
from aligner.segment import as_sentences

HERE = Path(__file__).resolve().parent
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]  # fmt: skip


def books(shared: Path, n: int) -> Alignment:
    """The first ``n`` books as one alignment of their gold beads."""
    src, tgt, beads = [], [], []
    with open(shared / "eval" / "bible_enko_books.jsonl", encoding="utf-8") as f:
        for _, line in zip(range(n), f, strict=False):
            d = json.loads(line)
            i0, j0 = len(src), len(tgt)
            src += d["src"]
            tgt += d["tgt"]
            beads += [Bead(tuple(i0 + i for i in s), tuple(j0 + j for j in t), 0.5)
                      for s, t in d["gold"]]  # fmt: skip
    return Alignment(beads, as_sentences(src), as_sentences(tgt))


def stats(values: list[float]) -> str:
    return f"{min(values):.1f} / {statistics.median(values):.1f}"


def library_costs(alignment: Alignment, reps: int, folder: Path) -> dict:
    review = history.Review(alignment)
    edit_s, save_s = [], []
    path = folder / "lib.review.json"
    for r in range(reps):
        k = 100 + 7 * r
        for op, args in (("merge", {"k": k}), ("split", {"k": k, "src_at": 1, "tgt_at": 1}),
                         ("status", {"k": k, "status": "confirmed"})):  # fmt: skip
            t0 = time.process_time()
            review = history.edit(review, op, **args)
            edit_s.append(1000 * (time.process_time() - t0))
            t0 = time.process_time()
            save_review(review, path)
            save_s.append(1000 * (time.process_time() - t0))
    return {"edit": stats(edit_s), "save": stats(save_s), "size": path.stat().st_size}


def serve(alignment: Alignment, embedder, folder: Path):
    path = folder / "srv.review.json"
    review = history.Review(alignment)
    save_review(review, path)
    token, sock = new_token(), listen_local(0)
    app = create_app(ReviewStore(path, review), token, embedder=embedder)
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="off"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    time.sleep(0.5)
    return server, thread, editor_url(sock.getsockname()[1], token), token


def server_costs(url: str, token: str, reps: int) -> dict:
    base = url.split("/?")[0]

    def post(body):
        req = urllib.request.Request(
            base + "/api/edit",
            json.dumps(body).encode(),
            {TOKEN_HEADER: token, "Content-Type": "application/json"},
        )
        t0 = time.perf_counter()
        with urllib.request.urlopen(req) as r:
            data = r.read()
        return 1000 * (time.perf_counter() - t0), json.loads(data), len(data)

    ms, size, version = [], 0, 0
    for r in range(reps):
        k = 200 + 7 * r
        for op, args in (("merge", {"k": k}), ("split", {"k": k, "src_at": 1, "tgt_at": 1}),
                         ("status", {"k": k, "status": "confirmed"})):  # fmt: skip
            t, state, size = post({"op": op, "args": args, "version": version})
            version = state["version"]
            ms.append(t)
    return {"request": stats(ms), "response": size}


def browser_costs(url: str, reps: int) -> dict:
    from playwright.sync_api import sync_playwright

    chromium = shutil.which("chromium")
    if not chromium:
        return {"load": "—", "key": "— (no chromium)", "merge": "—"}
    ms, merge_ms = [], []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium, args=ARGS)
        page = browser.new_page(viewport={"width": 1360, "height": 860})
        t0 = time.perf_counter()
        page.goto(url)
        page.wait_for_selector("body[data-ready='1']")
        load = 1000 * (time.perf_counter() - t0)
        page.locator("tr.bead[data-k='300']").click()
        version = page.evaluate(
            "() => +document.getElementById('saved').textContent.split(' ').pop()"
        )

        def timed(*keys) -> float:
            nonlocal version
            t0 = time.perf_counter()
            for key in keys:
                page.keyboard.press(key)
            version += 1
            page.wait_for_selector(f"#saved:has-text('version {version}')")
            return 1000 * (time.perf_counter() - t0)

        for _ in range(reps):
            ms.append(timed("c"))  # confirm and move on
            page.keyboard.press("k")
            ms.append(timed("c"))  # clear it again
            merge_ms.append(timed("m"))  # merge with the next bead (all rows redrawn)
            merge_ms.append(timed("s", "Enter"))  # and split it back
        browser.close()
    return {"load": f"{load:.0f}", "key": stats(ms), "merge": stats(merge_ms)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", type=Path, default=HERE.parent.parent / "shared")
    ap.add_argument("--reps", type=int, default=15)
    ap.add_argument("--out", type=Path, default=HERE / "editor.md")
    args = ap.parse_args()
    embedder = load_embedder(cache=False)
    rows = []
    for name, n in (("Genesis", 1), ("Genesis–Leviticus", 3)):
        alignment = books(args.shared, n)
        with tempfile.TemporaryDirectory() as tmp:
            lib = library_costs(alignment, args.reps, Path(tmp))
            server, thread, url, token = serve(alignment, embedder, Path(tmp))
            srv = server_costs(url, token, args.reps)
            web = browser_costs(url, args.reps)
            server.should_exit = True
            thread.join(timeout=10)
        rows.append((name, len(alignment.beads), lib, srv, web))
        print(name, len(alignment.beads), lib, srv, web, flush=True)
    write_report(args.out, rows, args.reps)


def write_report(out: Path, rows, reps: int) -> None:
    lines = [
        "# Review editor: the cost of one edit on long documents",
        "",
        f"`make bench-editor` ({date.today()}, {platform.machine()}, Python "
        f"{platform.python_version()}; {reps} repetitions of each edit; min / median).",
        "",
        "| document | beads | edit (CPU ms) | save (CPU ms) | review file | HTTP edit (ms) "
        "| answer to a confirm | page load (ms) | confirm: key → saved (ms) "
        "| merge or split: key → saved (ms) |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for name, n, lib, srv, web in rows:
        lines.append(
            f"| {name} | {n:,} | {lib['edit']} | {lib['save']} | {lib['size'] / 1e6:.1f} MB | "
            f"{srv['request']} | {srv['response'] / 1e3:.0f} kB | {web['load']} | {web['key']} | "
            f"{web['merge']} |"
        )
    lines += ["", "Edit = `history.edit` (the pure edit and its patch); save = `save_review` "
              "(JSON, atomic replace, fsync); HTTP = one `/api/edit` request (merge, split, "
              "confirm) with rescoring by the bundled model, the save, and the bead list in "
              "the answer (the sentence texts only when an edit changed one); key → saved = "
              "the key in Chromium until the page shows the new version as saved: a confirm "
              "redraws its row only, a merge or split the rows it replaced (and renumbers "
              "the rest)."]  # fmt: skip
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
