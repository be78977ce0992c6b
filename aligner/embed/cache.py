"""On-disk embedding cache keyed by (model id, sha256 of text): books take minutes to embed.

SQLite (stdlib) gives atomic writes and safe concurrent readers without another dependency.
The cache is an optimisation, never a reason to stop: on any cache error (an unwritable
folder, a full disk, a damaged file, a vector of the wrong length) it warns once, naming the
file, moves a damaged file aside (``embeddings.sqlite.damaged-<time>``) and carries on without
it; vectors of the wrong length, or whose checksum does not match, are recomputed.

Vectors live in table ``vec`` with a CRC-32 of their bytes: SQLite notices damage to its own
pages, not to the bytes of a stored value, and a flipped bit in a vector would otherwise be
served as a valid embedding. Rows of the earlier table ``emb`` (no checksum) are read when
``vec`` lacks a key and copied over with their checksum.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
import time
import warnings
import zlib
from collections import Counter
from pathlib import Path

import numpy as np

FILE = "embeddings.sqlite"
# sqlite's words for a file that is not (or no longer) a database
_DAMAGED = ("malformed", "not a database", "file is encrypted", "database corrupt")


def _describe(error: Exception) -> str:
    if isinstance(error, OSError) and error.strerror:
        return f"{error.strerror.lower()}: {error.filename}" if error.filename else error.strerror
    return str(error)


def unusable(path: Path, error: Exception, what: str) -> str:
    """The warning for a cache database (this one, or the split cache beside it) that failed
    with ``error``; a damaged file is moved to ``<name>.damaged-<time>`` (its -wal and -shm
    files removed) first, so the next run starts a fresh one."""
    message = _describe(error)
    if any(word in message.lower() for word in _DAMAGED):
        aside = path.with_name(f"{path.name}.damaged-{time.strftime('%Y%m%d-%H%M%S')}")
        try:
            os.replace(path, aside)
            for extra in ("-wal", "-shm"):
                Path(f"{path}{extra}").unlink(missing_ok=True)
            where = f"moved it to {aside.name}"
        except OSError:
            where = "could not move it aside"
        return f"{what} {path} is damaged ({message}); {where} and carrying on without it"
    return (f"{what} {path} cannot be used ({message}); carrying on without it (set "
            "ALIGNER_CACHE_DIR to a writable folder)")  # fmt: skip


_VEC_COLUMNS = "k BLOB PRIMARY KEY, v BLOB NOT NULL, crc INTEGER NOT NULL"
QUERY_CHUNK = 500  # keys per SELECT ... IN (...): well below sqlite's variable limit


def default_cache_dir() -> Path:
    env = os.environ.get("ALIGNER_CACHE_DIR")
    if env:
        return Path(env)
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("aligner"))


def _key(model_id: str, text: str) -> bytes:
    return hashlib.sha256(f"{model_id}\x00{text}".encode("utf-8", "surrogatepass")).digest()


class CachedEmbedder:
    """Wraps an embedder; only texts not seen before reach the model."""

    def __init__(self, inner, cache_dir: str | Path | None = None):
        self.inner = inner
        self.model_id = inner.model_id
        self.path = Path(cache_dir or default_cache_dir()) / FILE
        self.hits = 0
        self.misses = 0
        self._db = None  # None: not opened yet; False: given up for this run
        self._legacy = False  # the file also holds the earlier table without checksums
        if hasattr(inner, "pooled"):  # backends that compose windows inside the model
            self.pooled = self._pooled
            self.finish = inner.finish
        if hasattr(inner, "start"):  # backends with worker processes
            self.start = inner.start
        if hasattr(inner, "prefetch"):
            self.prefetch = self._prefetch
            self.discard_prefetched = inner.discard_prefetched

    @property
    def cache_dir(self) -> Path:
        """The folder of this cache, which the sentence-split cache shares."""
        return self.path.parent

    @property
    def jobs(self) -> int:
        """Processes the embedder encodes on (what --jobs allowed the whole run)."""
        return getattr(self.inner, "jobs", 1)

    def _conn(self) -> sqlite3.Connection | None:
        if self._db is None:
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                db = sqlite3.connect(self.path, timeout=30)
                db.execute("PRAGMA journal_mode=WAL")
                db.execute(f"CREATE TABLE IF NOT EXISTS vec ({_VEC_COLUMNS})")
                legacy = "SELECT 1 FROM sqlite_master WHERE type='table' AND name='emb'"
                self._legacy = db.execute(legacy).fetchone() is not None
                self._db = db
            except (OSError, sqlite3.Error) as e:
                self._give_up(e)
        return self._db or None

    def _give_up(self, error: Exception) -> None:
        """Warn once, move a damaged file aside, and go on without the cache."""
        if self._db:
            try:
                self._db.close()
            except sqlite3.Error:
                pass
        self._db = False
        warnings.warn(unusable(self.path, error, "embedding cache"), stacklevel=3)

    def _select(self, db, table: str, cols: str, keys: list[bytes]):
        for i in range(0, len(keys), QUERY_CHUNK):
            chunk = keys[i : i + QUERY_CHUNK]
            marks = ",".join("?" * len(chunk))
            yield from db.execute(f"SELECT {cols} FROM {table} WHERE k IN ({marks})", chunk)

    def _lookup(self, db, keys: list[bytes]) -> dict[bytes, np.ndarray]:
        """Cached vectors of ``keys``; damaged ones (checksum, size) are dropped, legacy rows
        copied into the checksummed table."""
        found: dict[bytes, np.ndarray] = {}
        uniq = list(dict.fromkeys(keys))
        damaged = []
        for k, v, crc in self._select(db, "vec", "k, v, crc", uniq):
            if zlib.crc32(v) != crc or len(v) % 4:
                damaged.append(k)
            else:
                found[k] = np.frombuffer(v, dtype=np.float32)
        if self._legacy:
            missing = [k for k in uniq if k not in found]
            old = [(k, v) for k, v in self._select(db, "emb", "k, v", missing) if len(v) % 4 == 0]
            found.update((k, np.frombuffer(v, dtype=np.float32)) for k, v in old)
            if old:
                self._store(db, [k for k, _ in old], [found[k] for k, _ in old])
        if damaged:
            self._delete(db, damaged)
            warnings.warn(f"embedding cache {self.path}: {len(damaged)} damaged vectors were "
                          "recomputed", stacklevel=4)  # fmt: skip
        return found

    def _delete(self, db, keys: list[bytes]) -> None:
        with db:
            db.executemany("DELETE FROM vec WHERE k = ?", [(k,) for k in keys])
            if self._legacy:
                db.executemany("DELETE FROM emb WHERE k = ?", [(k,) for k in keys])

    def _drop_wrong_length(self, db, found: dict, dim: int | None) -> None:
        """Vectors whose length differs from the rest (or from the model's) are recomputed."""
        if not found:
            return
        dim = dim or Counter(len(v) for v in found.values()).most_common(1)[0][0]
        bad = [k for k, v in found.items() if len(v) != dim]
        if not bad:
            return
        for k in bad:
            del found[k]
        self._delete(db, bad)
        warnings.warn(f"embedding cache {self.path}: {len(bad)} vectors of the wrong length "
                      "were recomputed", stacklevel=3)  # fmt: skip

    def encode(self, texts: list[str]) -> np.ndarray:
        db = self._conn()
        if db is None or not texts:
            self.misses += len(texts)
            return self.inner.encode(texts)
        keys = [_key(self.model_id, t) for t in texts]
        try:
            found = self._lookup(db, keys)
            self._drop_wrong_length(db, found, None)
        except sqlite3.Error as e:
            self._give_up(e)
            return self.encode(texts)
        todo = list(dict.fromkeys(k for k in keys if k not in found))
        self.hits += sum(k in found for k in keys)
        self.misses += len(keys) - sum(k in found for k in keys)
        if todo:
            first = {k: i for i, k in reversed(list(enumerate(keys)))}
            new = np.asarray(self.inner.encode([texts[first[k]] for k in todo]), np.float32)
            if found and len(next(iter(found.values()))) != new.shape[1]:
                return self._recompute_all(texts, new.shape[1])
            self._store(db, todo, new)
            found.update(zip(todo, new, strict=True))
        return np.stack([found[k] for k in keys]).astype(np.float32)

    def _store(self, db, keys: list[bytes], vecs) -> None:
        if self._db is False:  # given up earlier in this call
            return
        try:
            blobs = [np.asarray(v, dtype=np.float32).tobytes() for v in vecs]
            rows = [(k, b, zlib.crc32(b)) for k, b in zip(keys, blobs, strict=True)]
            with db:
                db.executemany("INSERT OR REPLACE INTO vec VALUES (?, ?, ?)", rows)
        except sqlite3.Error as e:  # a full disk: keep the vectors, stop caching
            self._give_up(e)

    def _recompute_all(self, texts: list[str], dim: int) -> np.ndarray:
        """Cached vectors of another length than the model's: all of them are stale."""
        db = self._conn()
        keys = list(dict.fromkeys(_key(self.model_id, t) for t in texts))
        if db is not None:
            try:
                self._delete(db, keys)
            except sqlite3.Error as e:
                self._give_up(e)
        warnings.warn(f"embedding cache {self.path}: cached vectors did not have the model's "
                      f"length {dim}; recomputed them", stacklevel=3)  # fmt: skip
        return self.encode(texts)

    def _plan(self, db, texts: list[str]):
        """Keys of the states and seams of ``texts``, those found, and which sentences must
        be computed (a sentence whose state or either seam is missing)."""
        s_keys = [_key(f"{self.model_id}|state", t) for t in texts]
        pairs = zip(texts[:-1], texts[1:], strict=True)
        j_keys = [_key(f"{self.model_id}|seam", f"{a}\x00{b}") for a, b in pairs]
        found = self._lookup(db, s_keys + j_keys)
        need = np.array([k not in found for k in s_keys])
        gap = np.array([k not in found for k in j_keys], dtype=bool)
        need[:-1] |= gap
        need[1:] |= gap
        return s_keys, j_keys, found, need

    def _prefetch(self, texts: list[str]) -> None:
        """Start computing the states :meth:`pooled` of ``texts`` will need (see the
        backend's ``prefetch``); nothing is stored until then."""
        if not texts:
            return
        db = self._conn()
        try:
            need = self._plan(db, texts)[3] if db is not None else np.ones(len(texts), bool)
        except sqlite3.Error:
            return  # pooled() gives up on the cache, with its warning
        for s, e in _runs(need):
            self.inner.prefetch(texts[s:e])

    def _pooled(self, texts: list[str], progress=None) -> tuple[np.ndarray, np.ndarray]:
        """Window states and seams (see the backend's ``pooled``), cached per sentence and per
        pair of neighbours; only runs of sentences with something missing reach the model."""
        db = self._conn()
        if db is None or not texts:
            self.misses += len(texts)
            return self.inner.pooled(texts, progress=progress)
        try:
            s_keys, j_keys, found, need = self._plan(db, texts)
        except sqlite3.Error as e:
            self._give_up(e)
            return self._pooled(texts, progress)
        self.hits += int((~need).sum())
        self.misses += int(need.sum())
        if progress:
            progress(int((~need).sum()))
        for s, e in _runs(need):
            states, seams = self.inner.pooled(texts[s:e], progress=progress)
            # a state the cache holds already (the same text elsewhere: the other side, an
            # earlier run) is kept, not replaced: a state moves in its last bits with the
            # sentences computed beside it, and a rerun must read what this run used
            keys = s_keys[s:e] + j_keys[s : e - 1]
            made = {k: v for k, v in zip(keys, [*states, *seams], strict=True) if k not in found}
            self._store(db, list(made), list(made.values()))
            found.update(made)
        states = np.stack([found[k] for k in s_keys])
        seams = np.stack([found[k] for k in j_keys]) if j_keys else states[:0]
        return states, seams


def _runs(mask: np.ndarray) -> list[tuple[int, int]]:
    """[start, end) of each run of True in ``mask``."""
    edges = np.flatnonzero(np.diff(np.concatenate([[0], mask.astype(np.int8), [0]])))
    return list(zip(edges[0::2].tolist(), edges[1::2].tolist(), strict=True))
