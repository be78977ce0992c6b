"""The review file: the alignment, the reviewer's statuses and the whole edit history, saved
after every edit.

It is a sidecar next to what was reviewed (``out.jsonl`` → ``out.review.json``; two documents
``en.txt`` + ``ko.txt`` → ``en.ko.review.json``), so the alignment file itself is never
overwritten. Each save replaces the file atomically (:func:`aligner.formats._io.atomic_path`):
a killed server or a power cut leaves the previous complete state, never half a file. Opening
it again restores the alignment, the statuses and the undo and redo stacks.

Two editors of one file (two tabs, or two servers) must not overwrite each other silently:
every state has a version number, an edit names the version it was made on, and an edit made
on an older version is refused with a message to reload (:class:`ReviewConflict`).
"""

from __future__ import annotations

import hashlib
import json
import os
import threading
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from ..alignment import Alignment, Bead
from ..errors import AlignerError
from ..formats._io import atomic_path
from ..segment import Sentence
from .history import Patch, Review

FORMAT = "aligner-review"
FORMAT_VERSION = 1
SUFFIX = ".review.json"


class ReviewConflict(AlignerError):
    """An edit made on a state that another tab or editor has since changed."""


def sidecar_for(path: str | Path) -> Path:
    """Where the review of an alignment file is kept: ``out.jsonl`` → ``out.review.json``."""
    path = Path(path)
    if path.name.endswith(SUFFIX):
        return path
    return path.with_name(path.stem + SUFFIX)


def sidecar_for_documents(src: str | Path, tgt: str | Path) -> Path:
    """``en.txt`` + ``ko.txt`` → ``en.ko.review.json`` beside the source document."""
    src, tgt = Path(src), Path(tgt)
    return src.with_name(f"{src.stem}.{tgt.stem}{SUFFIX}")


def file_digest(path: str | Path) -> str:
    h = hashlib.sha256()
    try:
        with open(path, "rb") as f:
            for block in iter(lambda: f.read(1 << 20), b""):
                h.update(block)
    except OSError as e:
        raise AlignerError(f"{path}: cannot read ({e.strerror}).") from None
    return h.hexdigest()


def origin_of(*paths: str | Path) -> dict:
    """What a review was opened from: each file's absolute path and checksum."""
    return {"files": [{"path": str(Path(p).resolve()), "sha256": file_digest(p)} for p in paths]}


def check_origin(review: Review, origin: dict, path: Path) -> None:
    """Refuse to resume a review of files that have changed since (a new alignment written
    over the old one): its history would not fit them."""
    then = [f.get("sha256") for f in review.origin.get("files", [])]
    now = [f["sha256"] for f in origin.get("files", [])]
    if then != now:
        names = ", ".join(Path(f["path"]).name for f in origin.get("files", []))
        raise AlignerError(
            f"{names} changed since the review in {path} began; to go on with that review run "
            f"`aligner review {path}`, to review the new files move {path} away first."
        )


# --- the file format -------------------------------------------------------------------------


def _bead_json(b: Bead) -> list:
    return [list(b.src_ids), list(b.tgt_ids), b.score, b.status]


def _bead(obj: list) -> Bead:
    src, tgt, score, status = obj
    return Bead(tuple(src), tuple(tgt), float(score), status)


def _patch_json(p: Patch) -> dict:
    return {"label": p.label, "start": p.start, "old": [_bead_json(b) for b in p.old],
            "new": [_bead_json(b) for b in p.new], "texts": [list(t) for t in p.texts]}  # fmt: skip


def _patch(obj: dict) -> Patch:
    return Patch(obj["label"], int(obj["start"]), tuple(map(_bead, obj["old"])),
                 tuple(map(_bead, obj["new"])), tuple(tuple(t) for t in obj["texts"]))  # fmt: skip


def review_to_json(review: Review) -> dict:
    a = review.alignment
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "version": review.version,
        "saved": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "origin": review.origin,
        "alignment": {
            "src_lang": a.src_lang, "tgt_lang": a.tgt_lang, "mode": a.mode,
            "signature": a.signature, "warnings": a.warnings,
            "inputs": a.info.get("inputs", {}),
            "src": [[s.text, s.start, s.end, s.para] for s in a.src],
            "tgt": [[s.text, s.start, s.end, s.para] for s in a.tgt],
            "beads": [_bead_json(b) for b in a.beads],
        },
        "undo": [_patch_json(p) for p in review.undo],
        "redo": [_patch_json(p) for p in review.redo],
    }  # fmt: skip


def review_from_json(obj: dict, where: str) -> Review:
    if not isinstance(obj, dict) or obj.get("format") != FORMAT:
        raise AlignerError(f"{where}: not an aligner review file.")
    if obj.get("format_version", 0) > FORMAT_VERSION:
        raise AlignerError(f"{where}: written by a newer aligner; upgrade to open it.")
    try:
        a = obj["alignment"]
        alignment = Alignment(
            beads=[_bead(b) for b in a["beads"]],
            src=[Sentence(*s) for s in a["src"]], tgt=[Sentence(*s) for s in a["tgt"]],
            src_lang=a["src_lang"], tgt_lang=a["tgt_lang"], signature=a.get("signature", ""),
            info={"inputs": a["inputs"]} if a.get("inputs") else {}, mode=a["mode"],
            warnings=list(a.get("warnings", [])),
        )  # fmt: skip
        return Review(alignment, tuple(map(_patch, obj["undo"])), tuple(map(_patch, obj["redo"])),
                      int(obj["version"]), obj.get("origin", {}))  # fmt: skip
    except (KeyError, TypeError, ValueError, AssertionError) as e:
        raise AlignerError(f"{where}: damaged review file ({type(e).__name__}: {e}).") from None


def save_review(review: Review, path: str | Path) -> None:
    """Write the review atomically: the old file stays whole until the new one is complete."""
    text = json.dumps(review_to_json(review), ensure_ascii=False, separators=(",", ":"))
    with atomic_path(path) as tmp:
        with open(tmp, "w", encoding="utf-8") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())  # "saved" on the page means on the disk


def load_review(path: str | Path) -> Review:
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as e:
        raise AlignerError(f"{path}: cannot read ({e.strerror}).") from None
    try:
        obj = json.loads(text)
    except json.JSONDecodeError as e:
        raise AlignerError(f"{path}: not a review file ({e.msg}).") from None
    return review_from_json(obj, str(path))


# --- one review file, shared by the requests of a server -------------------------------------


class ReviewStore:
    """The current review of one file, changed under a lock and saved before each change is
    reported: what a page shows as saved is on the disk."""

    def __init__(self, path: str | Path, review: Review):
        self.path = Path(path)
        self._review = review
        self._lock = threading.Lock()
        self._stamp = self._disk_stamp()

    @property
    def review(self) -> Review:
        return self._review

    def change(self, fn: Callable[[Review], Review], version: int | None) -> Review:
        """Apply ``fn`` to the current review and save; ``version`` is the state the edit was
        made on (None: whatever is current)."""
        with self._lock:
            self._reload_if_changed()
            if version is not None and version != self._review.version:
                raise ReviewConflict(
                    f"the alignment was changed in another tab or window (it is at version "
                    f"{self._review.version}, this page showed version {version}); reload "
                    "the page to see the latest state. Your last edit was not applied."
                )
            new = fn(self._review)
            if new is not self._review:
                save_review(new, self.path)
                self._stamp = self._disk_stamp()
                self._review = new
            return new

    def _disk_stamp(self):
        try:
            st = self.path.stat()
        except OSError:
            return None
        return (st.st_ino, st.st_mtime_ns, st.st_size)

    def _reload_if_changed(self) -> None:
        """Another process (a second ``aligner review`` of the same file) saved since our last
        write: take its state, so the version check sees it."""
        if self._disk_stamp() != self._stamp:
            self._review = load_review(self.path)
            self._stamp = self._disk_stamp()
