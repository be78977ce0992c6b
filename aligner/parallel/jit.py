"""numba-compiled kernels, cached on disk where this user may safely write.

``@njit(cache=True)`` writes its cache next to the package (a read-only install cannot) or in
the user's home (a container user or ``nobody`` has none), and numba raises at import when it
finds neither: ``aligner --help`` died with a traceback. So the cache folder is chosen here,
before numba is imported: ``$NUMBA_CACHE_DIR`` if the user set one, else our own cache folder,
else a private folder in the system's temporary directory; with none usable the kernels are
compiled afresh in each process (a second or two) and nothing is written.
"""

from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path


def _private_folder(path: Path) -> bool:
    """``path`` exists (made if missing) as a folder of ours that others cannot write: a
    shared one could hand us someone else's compiled code."""
    try:
        path.mkdir(mode=0o700, parents=True, exist_ok=True)
        st = path.stat()
        if not stat.S_ISDIR(st.st_mode) or st.st_uid != os.getuid() or st.st_mode & 0o022:
            return False
        probe = tempfile.NamedTemporaryFile(dir=path, prefix=".probe.")
        probe.close()
    except OSError:
        return False
    return True


def _choose_cache_folder() -> bool:
    """Point numba at a usable cache folder; False when there is none."""
    if os.environ.get("NUMBA_CACHE_DIR"):
        return True
    from ..embed.cache import default_cache_dir

    tmp = Path(tempfile.gettempdir()) / f"aligner-numba-{os.getuid()}"
    for folder in (default_cache_dir() / "numba", tmp):
        if _private_folder(folder):
            os.environ["NUMBA_CACHE_DIR"] = str(folder)
            return True
    return False


CACHE = _choose_cache_folder()

import numba  # noqa: E402  (after NUMBA_CACHE_DIR is set)

if CACHE:
    numba.config.CACHE_DIR = os.environ["NUMBA_CACHE_DIR"]


def njit(fn):
    """``numba.njit`` with the on-disk cache where there is a place for it."""
    return numba.njit(cache=CACHE)(fn)
