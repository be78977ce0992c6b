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


def line_sentences(text: str) -> list[Sentence]:
    """One sentence per non-empty line (pre-split input), offsets into ``text``."""
    out, pos = [], 0
    for n, line in enumerate(text.split("\n")):
        stripped = line.strip()
        if stripped:
            start = pos + line.index(stripped[0])
            out.append(Sentence(stripped, start, start + len(stripped), n))
        pos += len(line) + 1
    return out


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
        decoded = read_text(f, encoding)
        warnings += side_warnings(str(f), decoded)
        if not force:
            check_language(decoded.text, lang, str(f), option)
        doc = line_sentences(decoded.text) if presplit else split_text(decoded.text, lang)
        sents += doc
        names += [name] * len(doc)
    return Side(sents, names, warnings)
