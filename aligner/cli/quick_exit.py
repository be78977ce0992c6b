"""A command's process ends without taking its libraries apart one object at a time.

When a command is done, CPython still runs full garbage collections over every object the
libraries built and frees Kiwi's model object by object: after an alignment that took 0.2-0.3 s
(numba's compiled-kernel graph ~0.1 s, Kiwi's C++ destructor ~0.13 s), a seventh of a short
pair's whole run, spent after the outputs are written. The operating system takes the memory
back at once. So at exit the objects alive are frozen out of the collector and Kiwi is kept
in a cycle the collector no longer visits. Nothing else changes: objects outside reference
cycles (files, database connections, the embedding workers' pool) are released, closed and
shut down as the interpreter clears its modules, and the other exit handlers run as before.
"""

from __future__ import annotations

import atexit
import gc

_registered = False
# what must outlive the interpreter's teardown (see prepare), itself in the list: a cycle
_kept: list = []


def register() -> None:
    """Make this process end quickly (once per process; the CLI calls it for every command)."""
    global _registered
    if not _registered:
        _registered = True
        atexit.register(prepare)


def prepare() -> None:
    """What the exit handler does (after the command, before the interpreter's teardown)."""
    from ..segment.korean import loaded_kiwi

    kiwi = loaded_kiwi()
    if kiwi is not None and not _kept:
        _kept.extend([kiwi, _kept])
    gc.freeze()
