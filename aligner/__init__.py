"""Korean–English sentence alignment.

>>> from aligner import align_files
>>> result = align_files("en.txt", "ko.txt")         # doctest: +SKIP
>>> result.to_dataframe(); result.to_tmx("out.tmx")   # doctest: +SKIP

Everything documented in the README is importable from here; the stage folders (``read``,
``segment``, ``embed``, ``parallel``, ``matching``, ``formats``, ``review``, ``evaluate``,
``batch``, ``cli``) hold the parts.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING

from ._version import __version__

# Each public name and the module it lives in. They load on first use (PEP 562), so that a
# process that needs one stage (an embedding worker: the model, not numba or the splitters)
# does not import them all: ~0.2 s of every worker's start.
_EXPORTS = {
    "Alignment": ".alignment",
    "Bead": ".alignment",
    "align_files": ".api",
    "align_texts": ".api",
    "load_embedder": ".embed",
    "AlignerError": ".errors",
    "ComparableParams": ".matching.comparable",
    "align_comparable": ".matching.comparable",
    "MineParams": ".matching.mine",
    "mine_files": ".matching.mine",
    "mine_sentences": ".matching.mine",
    "AlignParams": ".parallel.align",
    "align_sentences": ".parallel.align",
    "CostParams": ".parallel.costs",
    "read_text": ".read",
    "Sentence": ".segment",
    "split_text": ".segment",
}

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

if TYPE_CHECKING:
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


def __getattr__(name: str):
    if name in _EXPORTS:
        value = getattr(import_module(_EXPORTS[name], __name__), name)
    else:  # a stage or module as an attribute (``aligner.read.check_language``)
        try:
            value = import_module(f".{name}", __name__)
        except ModuleNotFoundError as e:
            if e.name != f"{__name__}.{name}":
                raise
            raise AttributeError(f"module 'aligner' has no attribute {name!r}") from None
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_EXPORTS})
