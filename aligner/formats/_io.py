"""Atomic output: a half-written file must never look complete."""

from __future__ import annotations

import os
import sys
import tempfile
from contextlib import contextmanager
from pathlib import Path

from ..errors import AlignerError


@contextmanager
def atomic_path(path: str | Path):
    """Yield a temporary path next to ``path``; rename it into place only on success."""
    target = Path(path)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
    except OSError as e:
        raise AlignerError(f"{path}: cannot write ({e.strerror}).") from None
    os.close(fd)
    try:
        yield Path(tmp)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_text_output(text: str, path: str | Path | None):
    """Return the text when path is None, write to stdout for '-', else write atomically."""
    if path is None:
        return text
    if str(path) == "-":
        sys.stdout.write(text)
        sys.stdout.flush()
        return None
    with atomic_path(path) as tmp:
        tmp.write_text(text, encoding="utf-8")
    return None
