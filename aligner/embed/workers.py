"""Embedding on worker processes: ``jobs`` copies of the model, one BLAS thread each.

A multi-threaded BLAS spent most of its time waiting on a busy machine (DESIGN.md), and the
model's tokenizer is pure Python, so processes, not threads, are what use every core. The work
is cut into the same fixed chunks whatever ``jobs`` is (the backend's ``chunk`` texts for
vectors, :data:`.encode.POOL_CHUNK` sentences for window states), and each chunk is computed
by one process exactly as this process would compute it: results are identical for every
``jobs``. Workers start on first need, or earlier when the caller knows a long text is coming
(:meth:`ParallelEmbedder.start`); inputs of fewer than :data:`MIN_CHUNKS` chunks stay in this
process until they run (a worker takes a second or two to start and load the model). They live
as long as the embedder, so a notebook or a long run pays the start-up once.
"""

from __future__ import annotations

import logging
import os
import sys
import weakref
from collections.abc import Callable
from contextlib import contextmanager

import numpy as np

from .encode import POOL_CHUNK, pool_pieces, pooled_in_chunks, spans

# Fewer chunks than this are encoded in this process: starting workers would cost more.
MIN_CHUNKS = 3
# Sentences a side from which a text's window states are computed on the workers.
WORKERS_FROM = MIN_CHUNKS * POOL_CHUNK

log = logging.getLogger("aligner")


def available_cores() -> int:
    """Cores this process may run on (its CPU affinity where the OS says, else all)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


def rough_sentences(text: str) -> int:
    """About how many sentences ``text`` holds (line breaks and sentence marks), to know
    before splitting whether the workers will be needed."""
    return text.count("\n") + sum(text.count(c) for c in ".?!\u3002")


_backend: dict = {}


def _init_worker(make: Callable, args: tuple, threads: int) -> None:
    from threadpoolctl import threadpool_limits

    from ..progress import set_progress

    set_progress(False)
    threadpool_limits(max(1, threads))
    model = _backend["model"] = make(*args)
    # a worker starts only when there is work for it: load the model before the first chunk
    # (a model that fails to load fails again on that chunk, as one error in the parent,
    # rather than as a traceback from every worker's initializer)
    try:
        getattr(model, "prepare", lambda: None)()
    except Exception:
        pass


def _ready() -> None:
    """A task that only makes the pool start a worker (its initializer does the loading)."""


def _encode(texts: list[str]) -> np.ndarray:
    return _backend["model"].encode(texts)


def _pooled(texts: list[str]) -> tuple[np.ndarray, np.ndarray]:
    return _backend["model"].pooled_chunk(texts)


def _cancel(futures: list) -> None:
    for f in futures:
        f.cancel()


@contextmanager
def on_sigint(handler):
    """SIGINT handled by ``handler`` inside the block, in the main thread (elsewhere Python
    cannot set handlers, and signals are left alone)."""
    import signal

    try:
        old = signal.signal(signal.SIGINT, handler)
    except ValueError:  # not the main thread
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, old)


@contextmanager
def _sigint_held():
    """Ctrl-C held back until the block ends: SIGINT blocked in this thread (the processes it
    starts keep that for life), and one that another thread of this process takes is raised
    here after the block, never half-way through starting a process (a child whose parent
    stopped before sending it its start-up data printed "EOFError: Ran out of input")."""
    import signal

    got: list[int] = []
    mask = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        with on_sigint(lambda signum, frame: got.append(signum)):
            yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, mask)  # one still pending is raised now
    if got:
        raise KeyboardInterrupt


@contextmanager
def _starting_workers():
    """Where worker processes start (the pool starts one per submission while none idles).

    They start without the caller's script: a spawned process imports the parent's
    ``__main__`` again, which re-runs a script that has no ``if __name__ == "__main__":``
    guard (aligning, writing...) in every worker. The workers need nothing from it, so it is
    hidden from them while they start. And Ctrl-C never reaches them: they start with SIGINT
    blocked, for life. A terminal's Ctrl-C goes to every process of the group, and a worker
    still importing printed its KeyboardInterrupt traceback; one killed by it mid-chunk can
    leave the pool's feeder thread writing to a pipe nobody reads, and the exit hung. This
    process stops them when it stops (each finishes the chunk it has, a second or two)."""
    import signal
    from multiprocessing import resource_tracker

    main = sys.modules.get("__main__")
    saved = {k: main.__dict__[k] for k in ("__file__", "__spec__") if main and k in vars(main)}
    try:
        if "__file__" in saved:
            del main.__file__
        if "__spec__" in saved:
            main.__spec__ = None
        with _sigint_held():
            # the pool's first process starts multiprocessing's resource tracker, which
            # unblocks SIGINT in this thread on its way out (CPython 3.11): start it first
            resource_tracker.ensure_running()
            signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
            yield
    finally:
        for k, v in saved.items():
            setattr(main, k, v)


class ParallelEmbedder:
    """Shares a backend's work among ``jobs`` processes; ``local`` is the same backend in this
    process (small inputs, and the last layers of pooled windows, run here).

    ``make(*args)`` builds the backend in a worker (a module-level function, so that it can
    be sent to a fresh process).
    """

    def __init__(self, local, make: Callable, args: tuple, jobs: int, threads: int = 1):
        self.local = local
        self.model_id = local.model_id
        self.jobs = jobs
        self._start = (make, args, threads)
        self._pool = None
        self._pending: dict[tuple[str, ...], list] = {}  # futures of prefetched window states
        if hasattr(local, "pooled"):  # only backends that compose windows inside the model
            self.pooled = self._pooled
            self.prefetch = self._prefetch
            self.finish = local.finish

    def _executor(self):
        if self._pool is None:
            import multiprocessing as mp
            from concurrent.futures import ProcessPoolExecutor

            # spawn: never fork a process that holds BLAS, numba or tokenizer threads
            ctx = mp.get_context("spawn")
            self._pool = ProcessPoolExecutor(self.jobs, ctx, _init_worker, self._start)
            weakref.finalize(self, self._pool.shutdown, wait=False, cancel_futures=True)
        return self._pool

    def start(self) -> None:
        """Start every worker now (each loads the model) rather than on the first chunk, so
        that they get ready while this process does other work (splitting a book). Nothing
        happens for one job, or inside someone else's worker."""
        import multiprocessing as mp

        if self.jobs <= 1 or mp.parent_process() is not None:
            return
        try:
            with _starting_workers():
                pool = self._executor()
                for _ in range(self.jobs):  # each submission starts a process while none idles
                    pool.submit(_ready)
        except (OSError, RuntimeError) as e:  # no processes here: the first chunk will say so
            log.debug(f"embedding workers not started early: {e}")

    def _run(self, parallel: Callable, local: Callable):
        """``parallel(map over the workers)``, or ``local()`` if the workers cannot be used."""
        import multiprocessing as mp
        from concurrent.futures.process import BrokenProcessPool

        if mp.parent_process() is not None:  # a worker of someone's pool: never nest pools
            return local()

        def mapper(fn, items):
            with _starting_workers():  # workers start as tasks are submitted, in here
                return self._executor().map(fn, items)

        try:
            return parallel(mapper)
        except (BrokenProcessPool, OSError, RuntimeError) as e:  # a worker died, no processes
            log.warning(f"embedding workers failed ({type(e).__name__}); using one process")
            self.jobs = 1
            return local()

    def _worth(self, chunks: int) -> bool:
        """Whether work of ``chunks`` chunks goes to the workers: enough of it to pay for
        starting them, or any once they run (this process then never loads the model)."""
        return self.jobs > 1 and (chunks >= MIN_CHUNKS or self._pool is not None)

    def encode(self, texts: list[str]) -> np.ndarray:
        cuts = spans(len(texts), self.local.chunk)
        if not texts or not self._worth(len(cuts)):
            return self.local.encode(texts)

        def parallel(mapper):
            return np.concatenate(list(mapper(_encode, [texts[s:e] for s, e in cuts])))

        return self._run(parallel, lambda: self.local.encode(texts))

    def _on_workers(self, texts: list[str]) -> bool:
        return bool(texts) and self._worth(len(spans(len(texts), POOL_CHUNK)))

    def _prefetch(self, texts: list[str]) -> None:
        """Send the window states of ``texts`` to the workers now and go on (splitting the
        other side of the pair); :meth:`pooled` of the same texts collects them, and
        :meth:`discard_prefetched` cancels what nobody collected."""
        import multiprocessing as mp

        if not self._on_workers(texts) or mp.parent_process() is not None:
            return
        key = tuple(texts)
        try:
            with _starting_workers():
                pool = self._executor()
                futures = [pool.submit(_pooled, piece) for piece in pool_pieces(list(texts))]
        except (OSError, RuntimeError) as e:  # no processes: pooled() will say so
            log.debug(f"window states not prefetched: {e}")
            return
        _cancel(self._pending.pop(key, []))
        self._pending[key] = futures

    def discard_prefetched(self) -> None:
        """Cancel prefetched work nobody collected (a side left empty, an error on the way),
        so that it neither holds memory nor keeps the workers, or the exit, waiting."""
        for futures in self._pending.values():
            _cancel(futures)
        self._pending.clear()

    def _pooled(self, texts: list[str], progress=None) -> tuple[np.ndarray, np.ndarray]:
        if not self._on_workers(texts):
            return self.local.pooled(texts, progress=progress)
        sent = self._pending.pop(tuple(texts), None)

        def parallel(mapper):
            if sent is not None:  # computed (or computing) already: collect in order
                results = (f.result() for f in sent)
                return pooled_in_chunks(_pooled, texts, lambda fn, items: results, progress)
            return pooled_in_chunks(_pooled, texts, mapper, progress)

        return self._run(parallel, lambda: self.local.pooled(texts, progress=progress))
