"""The numba kernels compiled (or loaded from numba's disk cache) ahead of need.

On a first run the aligner's kernels take ~1.3 s to compile, and ~0.3 s to load from the
cache on later runs, both after embedding, on the critical path. While embedding workers
encode, this process only waits for them: :func:`compile_in_background` does that work then,
on a thread. A tiny made-up document goes through the real alignment step, so every kernel
is compiled for exactly the array types real documents give it.
"""

from __future__ import annotations

import logging
import threading

import numpy as np

from ..embed.base import l2_normalise
from ..embed.windows import compose_windows
from ..matching.margin import neighbour_means, topk_means
from .align import AlignParams, align_embeddings

log = logging.getLogger("aligner")
_started = threading.Event()


def compile_in_background() -> None:
    """:func:`compile_kernels` on a thread of its own, once per process (a thread that needs
    a kernel before it is ready waits for numba's compiler lock, never compiles it twice)."""
    if _started.is_set():
        return
    _started.set()
    threading.Thread(target=_compile_quietly, name="aligner-kernels", daemon=True).start()


def _compile_quietly() -> None:
    try:
        compile_kernels()
    except Exception as e:  # the aligning thread compiles them itself, and says what fails
        log.debug(f"kernels not compiled ahead: {e!r}")


def compile_kernels() -> None:
    """Compile every kernel (or load it from the disk cache)."""
    rng = np.random.default_rng(0)
    src = l2_normalise(rng.standard_normal((12, 16)).astype(np.float32))
    tgt = l2_normalise(src + 0.2 * rng.standard_normal(src.shape).astype(np.float32))
    lengths = np.full(len(src), 60.0)
    params = AlignParams()
    sizes = sorted({a for a, _ in params.bead_types()} | {b for _, b in params.bead_types()})
    align_embeddings(
        {k: compose_windows(src, k) for k in sizes},
        {k: compose_windows(tgt, k) for k in sizes},
        lengths,
        lengths,
        params,
    )
    neighbour_means(src, tgt, 4)  # comparable mode and exact mining
    topk_means(np.zeros((2, 4), dtype=np.float32))  # mining with an index
