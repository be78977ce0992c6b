"""What a sentence is, and what a splitter must provide."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Protocol


@dataclass(frozen=True)
class Sentence:
    """One sentence: its text, where it sits in the (normalised) input, and its paragraph;
    from a document, whether it is a heading and what its block carried (a subtitle cue's
    ``("start", ...)``, ``("end", ...)``)."""

    text: str
    start: int
    end: int
    para: int
    heading: bool = False
    props: tuple[tuple[str, str], ...] = ()


class Splitter(Protocol):
    """Splits one paragraph (no blank lines inside) into sentence spans [start, end)."""

    name: str  # the package that splits; its version goes into signatures
    max_run: int | None  # longest run of text it should see at once (None: no limit)

    def spans(self, text: str) -> list[tuple[int, int]]: ...


@cache
def package_id(package: str) -> str:
    """``name-version`` of an installed package, the way signatures name a splitter."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return f"{package}-{version(package)}"
    except PackageNotFoundError:
        return package
