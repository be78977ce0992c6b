"""Korean–English sentence alignment.

>>> from aligner import align_files
>>> result = align_files("en.txt", "ko.txt")         # doctest: +SKIP
>>> result.to_dataframe(); result.to_tmx("out.tmx")   # doctest: +SKIP

Everything documented in the README is importable from here; the stage folders (``read``,
``segment``, ``embed``, ``parallel``, ``matching``, ``formats``, ``review``, ``evaluate``,
``batch``, ``cli``) hold the parts.
"""

from __future__ import annotations

from ._version import __version__
from .alignment import Alignment, Bead
from .api import align_files, align_texts
from .embed import load_embedder
from .errors import AlignerError
from .matching.comparable import ComparableParams, align_comparable
from .matching.mine import MineParams, mine_files, mine_sentences
from .parallel.align import AlignParams, align_sentences
from .parallel.costs import CostParams
from .read import read_text
from .segment import Sentence, split_text

__all__ = [
    "AlignParams",
    "Alignment",
    "AlignerError",
    "Bead",
    "ComparableParams",
    "CostParams",
    "MineParams",
    "Sentence",
    "__version__",
    "align_comparable",
    "align_files",
    "align_sentences",
    "align_texts",
    "load_embedder",
    "mine_files",
    "mine_sentences",
    "read_text",
    "split_text",
]
