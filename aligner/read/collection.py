"""Collections for mining: a file is one document, a folder gives its ``.txt`` documents, and
all sentences of one side are pooled with global ids and the name of the document of each."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..errors import AlignerError
from ..segment import Sentence, split_text
from .decode import read_text
from .pair import side_warnings
from .script import check_language


@dataclass(frozen=True)
class Side:
    """One side of a mining run: pooled sentences, the document of each, and warnings."""

    sentences: list[Sentence]
    docs: list[str]
    warnings: list[str] = field(default_factory=list)


def documents(path: str | Path) -> list[Path]:
    """A file is one document; a folder gives its ``.txt`` files (recursively, sorted)."""
    p = Path(path)
    if not p.exists():
        raise AlignerError(f"{path}: no such file or folder.")
    if p.is_dir():
        files = sorted(f for f in p.rglob("*.txt") if f.is_file())
        if not files:
            raise AlignerError(f"{path}: folder holds no .txt documents.")
        return files
    return [p]


def read_side(
    path: str | Path,
    lang: str,
    *,
    presplit: bool = False,
    encoding: str | None = None,
    force: bool = False,
    option: str = "",
) -> Side:
    """All sentences of one side, pooled (ids global), with the document name of each.

    Every document is checked like an input of ``aligner align``: damaged UTF-8 is a warning,
    a document not in ``lang`` an error naming it (``option`` is the flag that sets ``lang``)
    unless ``force``.
    """
    root = Path(path)
    sents: list[Sentence] = []
    names: list[str] = []
    warnings: list[str] = []
    for f in documents(root):
        name = str(f.relative_to(root)) if root.is_dir() else f.name
        decoded = read_text(f, encoding, lang=lang)
        warnings += side_warnings(str(f), decoded)
        if not force:
            check_language(decoded.text, lang, str(f), option)
        doc = split_text(decoded.text, lang, segments="lines" if presplit else "sentences")
        sents += doc
        names += [name] * len(doc)
    return Side(sents, names, warnings)
