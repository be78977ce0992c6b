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

    def encode(self, texts: list[str]) -> np.ndarray:
        db = self._conn()
        if db is None:
            self.misses += len(texts)
            return self.inner.encode(texts)
        keys = [_key(self.model_id, t) for t in texts]
        found: dict[bytes, np.ndarray] = {}
        uniq = list(dict.fromkeys(keys))
        for i in range(0, len(uniq), 500):
            chunk = uniq[i : i + 500]
            marks = ",".join("?" * len(chunk))
            q = f"SELECT k, v FROM emb WHERE k IN ({marks})"
            for k, v in db.execute(q, chunk):
                found[k] = np.frombuffer(v, dtype=np.float32)
        todo = [i for i, k in enumerate(keys) if k not in found]
        todo_uniq = list(dict.fromkeys(keys[i] for i in todo))
        self.hits += len(texts) - len(todo)
        self.misses += len(todo)
        if todo_uniq:
            first = {k: i for i, k in reversed(list(enumerate(keys)))}
            new = self.inner.encode([texts[first[k]] for k in todo_uniq])
            with db:
                db.executemany(
                    "INSERT OR REPLACE INTO emb VALUES (?, ?)",
                    [(k, new[n].astype(np.float32).tobytes()) for n, k in enumerate(todo_uniq)],
                )
            for n, k in enumerate(todo_uniq):
                found[k] = new[n]
        if not texts:
            return self.inner.encode(texts)
        return np.stack([found[k] for k in keys]).astype(np.float32)
