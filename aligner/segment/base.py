"""What a sentence is, and what a splitter must provide."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class Sentence:
    """One sentence: its text, where it sits in the (normalised) input, and its paragraph."""

    text: str
    start: int
    end: int
    para: int


class Splitter(Protocol):
    """Splits one paragraph (no blank lines inside) into sentence spans [start, end)."""

    name: str

    def spans(self, text: str) -> list[tuple[int, int]]: ...
