"""The review editor as a local web application: Starlette, served by uvicorn.

Only this machine can reach it (bound to 127.0.0.1), and only with the link it prints: every
request must carry the random token of that link (403 otherwise), and the Host header must
name this machine (a web page elsewhere cannot rebind its name to us). The page is
self-contained (its script and styles are inline; nothing comes from the network).

The web layer only translates requests: edits go to :mod:`aligner.review.history` (over
:mod:`aligner.review.edits`), saving to :class:`aligner.review.store.ReviewStore`, exports to
:func:`aligner.formats.write`, the writers of the command line.
"""

from __future__ import annotations

import json
import logging
import secrets
import socket
import threading
from collections.abc import Callable
from html import escape
from importlib.resources import files
from pathlib import Path

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.base import BaseHTTPMiddleware
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, JSONResponse, PlainTextResponse
from starlette.routing import Route

from ..errors import AlignerError
from . import history
from .edits import embedding_scorer
from .html import HIGH_SCORE, LOW_SCORE
from .store import SUFFIX, ReviewConflict, ReviewStore

log = logging.getLogger("aligner")

HOST = "127.0.0.1"
TOKEN_HEADER = "X-Aligner-Token"
# Beads under this score (and unaligned ones) count as doubtful until reviewed: real
# translations score about 0.5-0.9 with the bundled model (see aligner.Bead).
DOUBTFUL_BELOW = 0.5
# The page's script and styles change nothing outside it and load nothing from elsewhere.
CSP = ("default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; "
       "connect-src 'self'; img-src data:; base-uri 'none'; form-action 'none'")  # fmt: skip
FORBIDDEN = (
    "403 Forbidden: this editor only answers the link with its token that `aligner review` "
    "printed; open that link."
)


def new_token() -> str:
    return secrets.token_urlsafe(24)


def editor_url(port: int, token: str) -> str:
    return f"http://{HOST}:{port}/?token={token}"


def create_app(store: ReviewStore, token: str, *, embedder=None) -> Starlette:
    """The editor's web application over ``store``; ``embedder`` scores the beads edits make
    (None: new beads keep the scores of the beads they came from)."""
    editor = _Editor(store, embedder)

    async def check_token(request: Request, call_next):
        given = request.query_params.get("token") or request.headers.get(TOKEN_HEADER, "")
        if not secrets.compare_digest(given.encode(), token.encode()):
            return PlainTextResponse(FORBIDDEN, status_code=403)
        response = await call_next(request)
        response.headers["Cache-Control"] = "no-store"
        response.headers["Referrer-Policy"] = "no-referrer"
        return response

    routes = [
        Route("/", editor.page),
        Route("/api/state", editor.state),
        Route("/api/edit", editor.edit, methods=["POST"]),
        Route("/api/undo", editor.undo, methods=["POST"]),
        Route("/api/redo", editor.redo, methods=["POST"]),
        Route("/api/export", editor.export, methods=["POST"]),
        Route("/api/download/{name}", editor.download),
    ]
    middleware = [
        Middleware(TrustedHostMiddleware, allowed_hosts=[HOST, "localhost"]),
        Middleware(BaseHTTPMiddleware, dispatch=check_token),
    ]
    return Starlette(routes=routes, middleware=middleware)


def serve(
    store: ReviewStore,
    *,
    embedder=None,
    port: int = 0,
    open_browser: bool = True,
    announce: Callable[[str], object] = print,
) -> None:
    """Serve the editor until interrupted (Ctrl+C); ``port`` 0 takes a free one. ``announce``
    gets the link (with its token) once the port is listening."""
    import uvicorn

    token = new_token()
    sock = listen_local(port)
    url = editor_url(sock.getsockname()[1], token)
    app = create_app(store, token, embedder=embedder)
    config = uvicorn.Config(app, log_level="warning", access_log=False, lifespan="off")
    announce(url)
    if open_browser:
        import webbrowser

        threading.Thread(target=webbrowser.open, args=(url,), daemon=True).start()
    try:
        uvicorn.Server(config).run(sockets=[sock])
    finally:
        sock.close()


def listen_local(port: int) -> socket.socket:
    """A socket listening on 127.0.0.1:``port`` (0: a free port)."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        sock.bind((HOST, port))
    except OSError as e:
        sock.close()
        raise AlignerError(
            f"cannot listen on {HOST}:{port} ({e.strerror}); choose another --port, or leave "
            "it out to take a free one."
        ) from None
    sock.listen(128)  # connections wait in the queue until the server runs, none refused
    return sock


class _Editor:
    """The request handlers, over one review store (one lock for edits and scoring)."""

    def __init__(self, store: ReviewStore, embedder=None):
        self.store = store
        self.folder = store.path.parent
        self.stem = store.path.name.removesuffix(SUFFIX)
        origin = [Path(f["path"]).name for f in store.review.origin.get("files", [])]
        self.title = " + ".join(origin) or store.path.name
        self.exported: dict[str, Path] = {}
        self.embedder = embedder
        self.scorer = embedding_scorer(embedder) if embedder is not None else None

    # --- pages and state ---

    async def page(self, request: Request):
        html = _page_html(self.title)
        return HTMLResponse(html, headers={"Content-Security-Policy": CSP})

    async def state(self, request: Request):
        return JSONResponse(self._state())

    def _state(self, focus: int | None = None, texts: bool = True) -> dict:
        """What the page shows; ``texts`` False leaves out the sentence texts (an edit that
        changed none: the page keeps its own, and a long book is not sent at every key)."""
        from ..formats import FORMATS

        review = self.store.review
        a = review.alignment
        state = {
            "version": review.version, "mode": a.mode, "file": str(self.store.path),
            "name": self.stem, "title": self.title, "src_lang": a.src_lang, "tgt_lang": a.tgt_lang,
            "beads": [[b.src_ids, b.tgt_ids, b.score, b.status] for b in a.beads],
            "undo": review.undo[-1].label if review.undo else None,
            "redo": review.redo[-1].label if review.redo else None,
            "focus": focus, "low": LOW_SCORE, "high": HIGH_SCORE, "doubtful": DOUBTFUL_BELOW,
            "formats": [{"name": f.name, "ext": f.extensions[0]} for f in FORMATS.values()],
            "folder": str(self.folder), "warnings": a.warnings,
        }  # fmt: skip
        if texts:
            state.update(src=[s.text for s in a.src], tgt=[s.text for s in a.tgt])
        return state

    # --- changes ---

    async def edit(self, request: Request):
        body = await _json(request)
        op, args = body.get("op"), body.get("args") or {}
        if not isinstance(args, dict):
            return _error("args must be an object.", 400)

        args = {k: v for k, v in args.items() if k not in ("scorer", "review", "op")}

        def change(review):
            return history.edit(review, str(op), scorer=self.scorer, **args)

        return await self._change(change, body)

    async def undo(self, request: Request):
        return await self._change(history.undo, await _json(request))

    async def redo(self, request: Request):
        return await self._change(history.redo, await _json(request))

    async def _change(self, fn, body: dict):
        # Run on the event loop's thread, one change at a time: the embedder (and its SQLite
        # cache) belongs to the thread that made it, and an edit takes milliseconds.
        version = body.get("version")
        try:
            before = self.store.review
            after = self.store.change(fn, version)
        except ReviewConflict as e:
            return _error(str(e), 409, state=self._state())
        except AlignerError as e:
            return _error(str(e), 400)
        except Exception as e:  # a bug: say so on the page, keep the server up
            log.exception("review edit failed")
            return _error(f"internal error ({type(e).__name__}: {e}); nothing was changed.", 500)
        patch = _last_patch(before, after)
        return JSONResponse(self._state(focus=patch.start if patch else None,
                                        texts=bool(patch and patch.texts)))  # fmt: skip

    # --- exports ---

    async def export(self, request: Request):
        body = await _json(request)
        try:
            result = self._export(body)  # on the loop's thread, as edits (the HTML page embeds)
        except AlignerError as e:
            return _error(str(e), 400)
        return JSONResponse(result)

    def _export(self, body: dict) -> dict:
        from ..formats import format_for, options_for, output_paths, write

        name = str(body.get("name") or "").strip()
        if not name or Path(name).name != name or name.startswith("."):
            raise AlignerError(
                f"{name or 'an empty name'}: give a plain file name; exports go to {self.folder}."
            )
        fmt = format_for(name, body.get("format") or None)
        options = body.get("options") or {}
        if fmt == "html":
            options = {**options, "embedder": self.embedder, "heatmap": self.embedder is not None}
        alignment = self.store.review.alignment
        path = self.folder / name
        protected = [
            self.store.path,
            *(f["path"] for f in self.store.review.origin.get("files", [])),
        ]
        stats = write(alignment, path, fmt, inputs=protected, **options_for(fmt, **options))
        paths = output_paths(alignment, path, fmt)
        for p in paths:
            self.exported[p.name] = p
        return {"files": [str(p) for p in paths], "names": [p.name for p in paths],
                "written": stats.get("written"), "format": fmt,
                "skipped_rejected": stats.get("skipped_rejected", 0)}  # fmt: skip

    async def download(self, request: Request):
        path = self.exported.get(request.path_params["name"])
        if path is None or not path.exists():
            return _error("no such export; export it again from the page.", 404)
        return FileResponse(path, filename=path.name)


def _last_patch(before, after):
    """The patch a change applied (an edit, an undo or a redo), or None if nothing changed."""
    if after is before:
        return None
    if len(after.redo) > len(before.redo):
        return after.redo[-1]  # an undo: its patch went to the redo stack
    return after.undo[-1] if after.undo else None


async def _json(request: Request) -> dict:
    try:
        body = await request.json()
    except (ValueError, UnicodeDecodeError):
        return {}
    return body if isinstance(body, dict) else {}


def _error(message: str, status: int, **extra) -> JSONResponse:
    return JSONResponse({"error": message, **extra}, status_code=status)


def _page_html(name: str) -> str:
    static = files("aligner.review") / "static"
    page = (static / "editor.html").read_text(encoding="utf-8")
    return (
        page.replace("{{TITLE}}", escape(f"Review: {name}"))
        .replace("{{CSS}}", (static / "editor.css").read_text(encoding="utf-8"))
        .replace("{{JS}}", (static / "editor.js").read_text(encoding="utf-8"))
        .replace("{{CONFIG}}", json.dumps({"tokenHeader": TOKEN_HEADER}))
    )
