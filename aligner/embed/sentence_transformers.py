"""Any sentence-transformers model by hub name or local folder (optional extra ``[st]``).

Imported lazily: torch is heavy and most users never need it. Offline machines must pass a
local folder (or have the model in the Hugging Face cache).
"""

from __future__ import annotations

import numpy as np

from ..errors import AlignerError
from .base import l2_normalise


class SentenceTransformerEmbedder:
    def __init__(self, name_or_path: str, threads: int = 1, batch_size: int = 32):
        self.name_or_path = name_or_path
        self.threads = threads
        self.batch_size = batch_size
        self.model_id = f"st:{name_or_path.rstrip('/')}"
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
            self._model = SentenceTransformer(self.name_or_path, device="cpu")
        except Exception as e:  # hub errors, missing folders, bad configs
            raise AlignerError(
                f"cannot load sentence-transformers model '{self.name_or_path}': "
                f"{type(e).__name__}: {str(e).splitlines()[0] if str(e) else ''} "
                "(offline? pass a local model folder)"
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
