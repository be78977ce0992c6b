"""The numba kernels compiled (or loaded from numba's disk cache) ahead of need.

On a first run the aligner's kernels take ~1.3 s to compile, and ~0.3 s to load from the
cache on later runs, both after embedding, on the critical path. While embedding workers
encode, this process only waits for them: :func:`compile_in_background` does that work then,
on a thread. A tiny made-up document goes through the kernels as the aligner calls them, so
each is compiled for exactly the array types real documents give it.
"""

from __future__ import annotations

import logging
import threading

import numpy as np

from ..embed.base import l2_normalise
from ..matching.margin import neighbour_means, topk_means
from .corridor import full_corridor
from .costs import CostParams, bead_features
from .dp import bead_dp
from .similarity import corridor_sims

log = logging.getLogger("aligner")
_started = threading.Event()


def compile_in_background() -> None:
    """:func:`compile_kernels` on a thread of its own, once per process (a thread that needs
    a kernel before it is ready waits for numba's compiler lock, never compiles it twice).
    Not a daemon: a process that is done before it is (comparable mode needs only some of
    the kernels) waits the second it takes rather than stop it inside the compiler."""
    if _started.is_set():
        return
    _started.set()
    threading.Thread(target=_compile_quietly, name="aligner-kernels").start()


def _compile_quietly() -> None:
    try:
        compile_kernels()
    except Exception as e:  # the aligning thread compiles them itself, and says what fails
        log.debug(f"kernels not compiled ahead: {e!r}")


def compile_kernels() -> None:
    """Compile every kernel (or load it from the disk cache).

    The kernels are called as the aligner calls them, on arrays made by the same functions
    (``tests/test_environment.py`` checks that alignment then compiles nothing new), but not
    through :func:`.align.align_embeddings`: it limits BLAS threads process-wide while it runs,
    which a thread must not do to the rest of the process."""
    rng = np.random.default_rng(0)
    src = l2_normalise(rng.standard_normal((12, 16)).astype(np.float32))
    tgt = l2_normalise(src + 0.2 * rng.standard_normal(src.shape).astype(np.float32))
    n, m = len(src), len(tgt)
    lo, hi = full_corridor(n, m)
    width = int((hi - lo).max()) + 1
    types = [(1, 1), (1, 2), (2, 1)]
    windows = {k: l2_normalise(src[: n - k + 1] + src[k - 1 :]) for k in (1, 2)}
    sims = {(a, b): corridor_sims(windows[a], windows[b], lo, width, a, b) for a, b in types}
    lengths = np.full(n, 20.0)
    # the features of every bead (the corridor's neighbour means among them)
    bead_features(sims, lo, hi, lengths, lengths, CostParams())
    costs = np.stack([1.0 - sims[t] for t in types])
    bead_dp(lo, hi, costs, types, np.full(n, 0.5), np.full(m, 0.5))
    neighbour_means(src, tgt, 4)  # comparable mode and exact mining
    topk_means(np.zeros((2, 4), dtype=np.float32))  # mining with an index
