"""The installed version, in a module of its own so that every module can import it without a
cycle through the package's ``__init__``."""

from __future__ import annotations

try:
    from importlib.metadata import version as _installed

    __version__ = _installed("aligner")
except Exception:  # running from a source tree without installation
    __version__ = "0.0.0.dev0"
