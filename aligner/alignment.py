"""The result object: an ordered list of beads that accounts for every sentence on both sides."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .segment import Sentence


@dataclass(frozen=True)
class Bead:
    """A group of source sentences aligned to a group of target sentences.

    ``score`` is the cosine similarity of the two sides' embeddings (−1…1, higher is better;
    with the bundled model real translations score about 0.5–0.9, unrelated sentences below
    0.3); 0.0 for unaligned beads. Mining results score by ratio margin instead (see mine.py).
    """

    src_ids: tuple[int, ...]
    tgt_ids: tuple[int, ...]
    score: float

    @property
    def type(self) -> str:
        return f"{len(self.src_ids)}-{len(self.tgt_ids)}"

    @property
    def aligned(self) -> bool:
        return bool(self.src_ids) and bool(self.tgt_ids)


@dataclass
class Alignment:
    beads: list[Bead]
    src: list[Sentence]
    tgt: list[Sentence]
    src_lang: str = "en"
    tgt_lang: str = "ko"
    signature: str = ""
    info: dict = field(default_factory=dict)
    # "parallel": beads in order; "comparable" (and mining): pairs may cross, but every
    # sentence is still in exactly one bead.
    mode: str = "parallel"

    def __post_init__(self):
        check_complete(self.beads, len(self.src), len(self.tgt), ordered=self.mode == "parallel")

    def __len__(self) -> int:
        return len(self.beads)

    def __iter__(self):
        return iter(self.beads)

    def src_text(self, bead: Bead) -> str:
        return " ".join(self.src[i].text for i in bead.src_ids)

    def tgt_text(self, bead: Bead) -> str:
        return " ".join(self.tgt[i].text for i in bead.tgt_ids)

    @property
    def pairs(self) -> list[Bead]:
        return [b for b in self.beads if b.aligned]

    @property
    def unaligned_src(self) -> list[int]:
        return [i for b in self.beads if not b.tgt_ids for i in b.src_ids]

    @property
    def unaligned_tgt(self) -> list[int]:
        return [j for b in self.beads if not b.src_ids for j in b.tgt_ids]

    def summary(self) -> dict:
        pairs = self.pairs
        mean = sum(b.score for b in pairs) / len(pairs) if pairs else 0.0
        return {
            "src_sentences": len(self.src),
            "tgt_sentences": len(self.tgt),
            "pairs": len(pairs),
            "unaligned_src": len(self.unaligned_src),
            "unaligned_tgt": len(self.unaligned_tgt),
            "mean_score": round(mean, 4),
        }

    # --- exports (thin wrappers over aligner.formats) ---
    def to_dataframe(self):
        from .formats.frame import to_dataframe

        return to_dataframe(self)

    def to_tsv(self, path: str | Path | None = None, header: bool = False) -> str | None:
        from .formats.tsv import write_tsv

        return write_tsv(self, path, header=header)

    def to_jsonl(self, path: str | Path | None = None) -> str | None:
        from .formats.jsonl import write_jsonl

        return write_jsonl(self, path)

    def to_tmx(self, path: str | Path, **options) -> dict:
        from .formats.tmx import write_tmx

        return write_tmx(self, path, **options)

    def to_html(self, path: str | Path | None = None, **options) -> str | None:
        """Self-contained HTML review page; see :func:`aligner.formats.html.write_html`."""
        from .formats.html import write_html

        return write_html(self, path, **options)

    def _repr_html_(self) -> str:
        from .formats.html import repr_html

        return repr_html(self)


def check_complete(beads: list[Bead], n_src: int, n_tgt: int, ordered: bool = True) -> None:
    """Every sentence in exactly one bead, in order: the invariant nothing may break.

    ``ordered=False`` (comparable mode) still requires exactly once, but allows crossing pairs.
    """
    src = [i for b in beads for i in b.src_ids]
    tgt = [j for b in beads for j in b.tgt_ids]
    if not ordered:
        src, tgt = sorted(src), sorted(tgt)
    if src != list(range(n_src)) or tgt != list(range(n_tgt)):
        raise AssertionError("alignment does not cover every sentence exactly once, in order")
