"""Progress bars on stderr for long steps; silent when quiet or when stderr is not a terminal."""

from __future__ import annotations

import os
import sys
from contextlib import contextmanager

_state = {"enabled": None}


def set_progress(enabled: bool | None) -> None:
    """True forces bars on, False off, None: only when stderr is a TTY."""
    _state["enabled"] = enabled


def enabled() -> bool:
    """Whether bars are drawn now (commands that draw their own bar ask this)."""
    return _enabled()


def _enabled() -> bool:
    if _state["enabled"] is not None:
        return _state["enabled"]
    if os.environ.get("ALIGNER_PROGRESS") == "1":
        return True
    return sys.stderr.isatty()


@contextmanager
def progress(total: int, desc: str, unit: str = "sent"):
    """Yield an ``update(n)`` callable; a tqdm bar when enabled, a no-op otherwise."""
    if not _enabled() or total <= 0:
        yield lambda n=1: None
        return
    from tqdm import tqdm

    bar = tqdm(total=total, desc=desc, unit=unit, file=sys.stderr, leave=False, mininterval=0.5)
    try:
        yield bar.update
    finally:
        bar.close()
