"""Korean–English sentence alignment.

>>> from aligner import align_texts
>>> result = align_texts(en_text, ko_text)            # doctest: +SKIP
>>> result.to_dataframe(); result.to_tmx("out.tmx")   # doctest: +SKIP
"""

from __future__ import annotations

try:
    from importlib.metadata import version as _version

    __version__ = _version("aligner")
except Exception:  # running from a source tree without installation
    __version__ = "0.0.0.dev0"

from .alignment import Alignment, Bead
from .errors import AlignerError
from .pipeline import AlignParams, align_sentences, align_texts
from .scoring import ScoreParams

__all__ = [
    "Alignment",
    "AlignParams",
    "AlignerError",
    "Bead",
    "ScoreParams",
    "align_sentences",
    "align_texts",
    "__version__",
]
