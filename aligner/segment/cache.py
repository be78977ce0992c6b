"""On-disk cache of sentence splits, beside the embedding cache: a rerun skips the splitter.

A warm rerun of a book was mostly splitting (Genesis in Korean: ~1.6 s of kiwipiepy, plus
~1.4 s to load it, against under a second for everything else), and every rerun of a small
Korean pair paid the Kiwi start-up. The split of a text depends only on the text, the
splitter's package version and our own rules around it, so it is stored under the sha256 of
all three: the rules are the source of this package's segmentation modules, so any change to
them is a new key, never a stale split. Like the embedding cache it is an optimisation,
never a reason to stop: on any error it warns once and carries on splitting.

Stored per text: rows of (start, end, paragraph) as int64, with a CRC-32; a row that does
not fit the text (or fails its checksum) is ignored and the text split again.
"""

from __future__ import annotations

import contextlib
import hashlib
import sqlite3
import warnings
import zlib
from collections.abc import Callable
from functools import cache
from pathlib import Path

import numpy as np

from ..embed.cache import unusable
from .base import Sentence

FILE = "splits.sqlite"
_COLUMNS = "k BLOB PRIMARY KEY, v BLOB NOT NULL, crc INTEGER NOT NULL"
_RULE_MODULES = ("__init__.py", "base.py", "english.py", "korean.py", "structure.py")


@cache
def rules_digest() -> str:
    """Hash of the code that turns a splitter's output into our sentences."""
    here = Path(__file__).resolve().parent
    h = hashlib.sha256()
    try:
        for name in _RULE_MODULES:
            h.update((here / name).read_bytes())
    except OSError:  # no source beside the code (a zipped install): the version must do
        from .._version import __version__

        h.update(f"aligner-{__version__}".encode())
    return h.hexdigest()[:16]


class SplitCache:
    """Sentence splits in ``cache_dir/splits.sqlite``; ``hits`` and ``misses`` count texts."""

    def __init__(self, cache_dir: str | Path):
        self.path = Path(cache_dir) / FILE
        self.hits = 0
        self.misses = 0
        self._db: sqlite3.Connection | None | bool = None  # False: given up

    def _conn(self) -> sqlite3.Connection | None:
        if self._db is None:
            db = None
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                db = sqlite3.connect(self.path, timeout=30)
                db.execute("PRAGMA journal_mode=WAL")
                db.execute(f"CREATE TABLE IF NOT EXISTS split ({_COLUMNS})")
                self._db = db
            except (OSError, sqlite3.Error) as e:
                self._db = db
                self._give_up(e)
        return self._db or None

    def _give_up(self, error: Exception) -> None:
        """One warning, and no cache for the rest of this process (the split still runs); a
        damaged file is moved aside, so the next run starts a fresh one."""
        db, self._db = self._db, False
        with contextlib.suppress(sqlite3.Error, AttributeError):
            db.close()
        warnings.warn(unusable(self.path, error, "sentence-split cache"), stacklevel=4)

    def has(self, text: str, splitter_key: str) -> bool:
        """Whether the split of ``text`` is stored (splitting it again will take no time)."""
        db = self._conn()
        if db is None:
            return False
        try:
            row = db.execute("SELECT 1 FROM split WHERE k = ?", (_key(text, splitter_key),))
            return row.fetchone() is not None
        except sqlite3.Error as e:
            self._give_up(e)
            return False

    def split(self, text: str, splitter_key: str, compute: Callable[[], list[Sentence]]):
        """The sentences of ``text``: from the cache, else ``compute()`` (then stored)."""
        key = _key(text, splitter_key)
        db = self._conn()
        if db is not None:
            try:
                row = db.execute("SELECT v, crc FROM split WHERE k = ?", (key,)).fetchone()
            except sqlite3.Error as e:
                self._give_up(e)
                row, db = None, None
            found = _decode(text, row) if row else None
            if found is not None:
                self.hits += 1
                return found
        self.misses += 1
        sentences = compute()
        if db is not None:
            rows = np.array([(s.start, s.end, s.para) for s in sentences], dtype=np.int64)
            blob = rows.reshape(-1).tobytes()
            try:
                with db:
                    db.execute("INSERT OR REPLACE INTO split VALUES (?, ?, ?)",
                               (key, blob, zlib.crc32(blob)))  # fmt: skip
            except sqlite3.Error as e:
                self._give_up(e)
        return sentences


def _key(text: str, splitter_key: str) -> bytes:
    return hashlib.sha256(
        f"{splitter_key}\x00{rules_digest()}\x00{text}".encode("utf-8", "surrogatepass")
    ).digest()


def _decode(text: str, row) -> list[Sentence] | None:
    blob, crc = row
    if zlib.crc32(blob) != crc or len(blob) % 24:
        return None
    rows = np.frombuffer(blob, dtype=np.int64).reshape(-1, 3)
    out = []
    last = 0
    for start, end, para in rows.tolist():
        if not last <= start < end <= len(text) or para < 0:
            return None
        out.append(Sentence(text[start:end], start, end, para))
        last = end
    return out


_CACHES: dict[Path, SplitCache] = {}


def split_cache(cache_dir: str | Path) -> SplitCache:
    """One cache object per folder and process (its connection is reused)."""
    path = Path(cache_dir)
    if path not in _CACHES:
        _CACHES[path] = SplitCache(path)
    return _CACHES[path]
