"""What the on-disk caches (embeddings, sentence splits) do when their database cannot be
used: name the error in one line, and move a damaged file aside so that the next run starts
a fresh one instead of warning about the same file forever."""

from __future__ import annotations

import os
import time
from pathlib import Path

# sqlite's words for a file that is not (or no longer) a database
DAMAGED = ("malformed", "not a database", "file is encrypted", "database corrupt")


def describe(error: Exception) -> str:
    if isinstance(error, OSError) and error.strerror:
        return f"{error.strerror.lower()}: {error.filename}" if error.filename else error.strerror
    return str(error)


def unusable(path: Path, error: Exception, what: str) -> str:
    """The warning for a cache database that failed with ``error``; a damaged file is moved
    to ``<name>.damaged-<time>`` (its -wal and -shm files removed) first."""
    message = describe(error)
    if any(word in message.lower() for word in DAMAGED):
        aside = path.with_name(f"{path.name}.damaged-{time.strftime('%Y%m%d-%H%M%S')}")
        try:
            os.replace(path, aside)
            for extra in ("-wal", "-shm"):
                Path(f"{path}{extra}").unlink(missing_ok=True)
            where = f"moved it to {aside.name}"
        except OSError:
            where = "could not move it aside"
        return f"{what} {path} is damaged ({message}); {where} and carrying on without it"
    return (f"{what} {path} cannot be used ({message}); carrying on without it (set "
            "ALIGNER_CACHE_DIR to a writable folder)")  # fmt: skip
