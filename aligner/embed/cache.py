"""On-disk embedding cache keyed by (model id, sha256 of text): books take minutes to embed.

SQLite (stdlib) gives atomic writes and safe concurrent readers without another dependency.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
from pathlib import Path

import numpy as np


def default_cache_dir() -> Path:
    env = os.environ.get("ALIGNER_CACHE_DIR")
    if env:
        return Path(env)
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("aligner"))


def _key(model_id: str, text: str) -> bytes:
    return hashlib.sha256(f"{model_id}\x00{text}".encode()).digest()


class CachedEmbedder:
    """Wraps an embedder; only texts not seen before reach the model."""

    def __init__(self, inner, cache_dir: str | Path | None = None):
        self.inner = inner
        self.model_id = inner.model_id
        self.path = Path(cache_dir or default_cache_dir()) / "embeddings.sqlite"
        self.hits = 0
        self.misses = 0
        self._db = None
        if hasattr(inner, "pooled"):  # backends that compose windows inside the model
            self.pooled = self._pooled
            self.finish = inner.finish

    def _conn(self) -> sqlite3.Connection | None:
        if self._db is None:
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                db = sqlite3.connect(self.path, timeout=30)
                db.execute("PRAGMA journal_mode=WAL")
                db.execute("CREATE TABLE IF NOT EXISTS emb (k BLOB PRIMARY KEY, v BLOB)")
                self._db = db
            except (OSError, sqlite3.Error):
                self._db = False  # an unwritable cache must never stop an alignment
        return self._db or None

    def _lookup(self, db, keys: list[bytes]) -> dict[bytes, np.ndarray]:
        found: dict[bytes, np.ndarray] = {}
        uniq = list(dict.fromkeys(keys))
        for i in range(0, len(uniq), 500):
            chunk = uniq[i : i + 500]
            marks = ",".join("?" * len(chunk))
            q = f"SELECT k, v FROM emb WHERE k IN ({marks})"
            for k, v in db.execute(q, chunk):
                found[k] = np.frombuffer(v, dtype=np.float32)
        return found

    @staticmethod
    def _store(db, keys: list[bytes], rows: np.ndarray) -> None:
        rows = np.asarray(rows, dtype=np.float32)
        with db:
            db.executemany(
                "INSERT OR REPLACE INTO emb VALUES (?, ?)",
                [(k, r.tobytes()) for k, r in zip(keys, rows, strict=True)],
            )

    def encode(self, texts: list[str]) -> np.ndarray:
        db = self._conn()
        if db is None:
            self.misses += len(texts)
            return self.inner.encode(texts)
        keys = [_key(self.model_id, t) for t in texts]
        found = self._lookup(db, keys)
        todo = [i for i, k in enumerate(keys) if k not in found]
        todo_uniq = list(dict.fromkeys(keys[i] for i in todo))
        self.hits += len(texts) - len(todo)
        self.misses += len(todo)
        if todo_uniq:
            first = {k: i for i, k in reversed(list(enumerate(keys)))}
            new = self.inner.encode([texts[first[k]] for k in todo_uniq])
            self._store(db, todo_uniq, new)
            for n, k in enumerate(todo_uniq):
                found[k] = new[n]
        if not texts:
            return self.inner.encode(texts)
        return np.stack([found[k] for k in keys]).astype(np.float32)

    def _pooled(self, texts: list[str], progress=None) -> tuple[np.ndarray, np.ndarray]:
        """Window states and seams (see the backend's ``pooled``), cached per sentence and per
        pair of neighbours; only runs of sentences with something missing reach the model."""
        db = self._conn()
        if db is None or not texts:
            self.misses += len(texts)
            return self.inner.pooled(texts, progress=progress)
        s_keys = [_key(f"{self.model_id}|state", t) for t in texts]
        pairs = zip(texts[:-1], texts[1:], strict=True)
        j_keys = [_key(f"{self.model_id}|seam", f"{a}\x00{b}") for a, b in pairs]
        found = self._lookup(db, s_keys + j_keys)
        need = np.array([k not in found for k in s_keys])
        gap = np.array([k not in found for k in j_keys], dtype=bool)
        need[:-1] |= gap
        need[1:] |= gap
        self.hits += int((~need).sum())
        self.misses += int(need.sum())
        if progress:
            progress(int((~need).sum()))
        for s, e in _runs(need):
            states, seams = self.inner.pooled(texts[s:e], progress=progress)
            self._store(db, s_keys[s:e] + j_keys[s : e - 1], np.concatenate([states, seams]))
            found.update(zip(s_keys[s:e], states, strict=True))
            found.update(zip(j_keys[s : e - 1], seams, strict=True))
        states = np.stack([found[k] for k in s_keys])
        seams = np.stack([found[k] for k in j_keys]) if j_keys else states[:0]
        return states, seams


def _runs(mask: np.ndarray) -> list[tuple[int, int]]:
    """[start, end) of each run of True in ``mask``."""
    edges = np.flatnonzero(np.diff(np.concatenate([[0], mask.astype(np.int8), [0]])))
    return list(zip(edges[0::2].tolist(), edges[1::2].tolist(), strict=True))
