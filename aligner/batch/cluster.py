"""Where a batch runs: a Dask ``LocalCluster`` of processes (one thread each) on this machine,
or an existing cluster at a scheduler address (``dask scheduler`` / ``dask worker``,
dask-jobqueue, Kubernetes). No scheduler, queue or RPC of our own."""

from __future__ import annotations

import logging
import signal
import warnings
from contextlib import contextmanager

from ..embed.workers import available_cores, on_sigint
from ..errors import AlignerError

CONNECT_TIMEOUT_S = 10  # a scheduler that does not answer in this long is not there
# Our workers report through the driver (a pair that fails comes back with its error; a worker
# that dies is a KilledWorker there), so their own logs stay quiet up to CRITICAL. At ERROR,
# a worker whose heartbeat meets the scheduler already closed (shutdown and Ctrl-C race it in
# distributed 2026.8) printed "Failed to communicate with scheduler" with a traceback.
WORKER_LOG_LEVEL = logging.CRITICAL


def default_workers() -> int:
    """One worker per core this process may use."""
    return available_cores()


def _sigint_ignored():
    """Processes started in here ignore SIGINT (they inherit it, and so do the workers a nanny
    starts later): Ctrl-C reaches the driver alone, which stops the cluster cleanly, instead
    of printing a traceback from every worker."""
    return on_sigint(signal.SIG_IGN)


def _hushed_interrupt():
    """Ctrl-C silences Dask's loggers *before* it raises: an interrupt that lands inside
    ``distributed.utils.sync`` makes its cancel callback fail on the loop thread (distributed
    2026.8), and tornado would print that traceback while the exception travels up to us."""

    def raise_hushed(signum, frame):
        _hush()
        raise KeyboardInterrupt

    return on_sigint(raise_hushed)


@contextmanager
def connect(workers: int | None = None, scheduler: str | None = None, *, dashboard: bool = False,
            client=None):  # fmt: skip
    """A ``distributed.Client``: the one given, one connected to ``scheduler``, or one over a
    new LocalCluster of ``workers`` processes (default: one per core), closed on exit."""
    if client is not None:
        yield client
        return
    from distributed import Client, LocalCluster

    if scheduler:
        try:
            c = Client(scheduler, timeout=CONNECT_TIMEOUT_S)
        except (OSError, TimeoutError, ValueError) as e:
            raise AlignerError(
                f"{scheduler}: no Dask scheduler answers there ({type(e).__name__}); start one "
                "with `dask scheduler` or leave out --scheduler to use this machine."
            ) from None
        try:
            with _hushed_interrupt():
                yield c
        finally:
            c.close()
        return
    n = workers or default_workers()
    if n < 1:
        raise AlignerError("--workers must be at least 1.")
    with _sigint_ignored(), warnings.catch_warnings():
        # without a dashboard the scheduler's HTTP endpoint still wants port 8787, and says so
        warnings.filterwarnings("ignore", message=".*[Pp]ort .* already in use")
        cluster = LocalCluster(
            n_workers=n, threads_per_worker=1, processes=True,
            dashboard_address=":0" if dashboard else None, silence_logs=WORKER_LOG_LEVEL,
        )  # fmt: skip
    try:
        with _hushed_interrupt(), Client(cluster) as c:
            yield c
    finally:
        cluster.close()


def _hush() -> None:
    """Workers stopped mid-task log their cancellation: not the user's business."""
    for name in ("distributed", "tornado", "tornado.application", "asyncio"):
        logging.getLogger(name).setLevel(logging.CRITICAL + 1)


def n_workers(client) -> int:
    """Threads across the cluster's workers (what runs at once)."""
    return max(1, sum(client.nthreads().values()))
