"""The result object: an ordered list of beads that accounts for every sentence on both sides."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from .segment import Sentence

# Modes of a result. Parallel beads are in order; comparable and mining pairs may cross, but
# every sentence is still in exactly one bead.
MODES = ("parallel", "comparable", "mining")
# What a reviewer said about a bead (None: not reviewed). Confirmed beads are marked in every
# output format; rejected beads stay in TSV/JSONL (marked) and are left out of TMX.
STATUSES = ("confirmed", "rejected")


@dataclass(frozen=True)
class Bead:
    """A group of source sentences aligned to a group of target sentences.

    ``score`` is the cosine similarity of the two sides' embeddings (−1…1, higher is better;
    with the bundled model real translations score about 0.5–0.9, unrelated sentences below
    0.3); 0.0 for unaligned beads. Mining results score by ratio margin instead (see
    ``aligner.matching.mine``). ``status`` is a reviewer's verdict (see ``STATUSES``), None
    until someone reviews the bead (``aligner review``, :mod:`aligner.review.edits`).
    """

    src_ids: tuple[int, ...]
    tgt_ids: tuple[int, ...]
    score: float
    status: str | None = None

    def __post_init__(self):
        if self.status is not None and self.status not in STATUSES:
            raise ValueError(f"unknown bead status {self.status!r} ({', '.join(STATUSES)})")

    @property
    def type(self) -> str:
        return f"{len(self.src_ids)}-{len(self.tgt_ids)}"

    @property
    def aligned(self) -> bool:
        return bool(self.src_ids) and bool(self.tgt_ids)


@dataclass(frozen=True)
class Alignment:
    """Beads over two sentence lists, with the settings that made them (``signature``), what
    the run measured (``info``) and what the user should know about the input (``warnings``)."""

    beads: list[Bead]
    src: list[Sentence]
    tgt: list[Sentence]
    src_lang: str = "en"
    tgt_lang: str = "ko"
    signature: str = ""
    info: dict = field(default_factory=dict)
    mode: str = "parallel"
    warnings: list[str] = field(default_factory=list)

    def __post_init__(self):
        if self.mode not in MODES:
            raise ValueError(f"unknown mode {self.mode!r} ({', '.join(MODES)})")
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

    # --- exports (thin wrappers over aligner.formats.write) ---
    def write(self, path: str | Path, fmt: str | None = None, **options) -> dict:
        """Write in any registered format (from the extension, or ``fmt``); see
        :func:`aligner.formats.write`."""
        from .formats import write

        return write(self, path, fmt, **options)

    def to_dataframe(self):
        from .formats.frame import to_dataframe

        return to_dataframe(self)

    def to_tsv(self, path: str | Path | None = None, **options) -> str | None:
        return self._write_text("tsv", path, options)

    def to_jsonl(self, path: str | Path | None = None, **options) -> str | None:
        return self._write_text("jsonl", path, options)

    def to_tmx(self, path: str | Path, **options) -> dict:
        from .formats import write

        return write(self, path, "tmx", **options)

    def to_html(self, path: str | Path | None = None, **options) -> str | None:
        """Self-contained HTML review page; see :func:`aligner.review.html.write_html`."""
        return self._write_text("html", path, options)

    def _write_text(self, fmt: str, path, options: dict) -> str | None:
        """Write to ``path`` (``-`` = stdout), or return the text when ``path`` is None."""
        from .formats import render, write

        if path is None:
            return render(self, fmt, **options)
        write(self, path, fmt, **options)
        return None

    def _repr_html_(self) -> str:
        from .review.html import repr_html

        return repr_html(self)


def fill_unaligned(pairs: Iterable[Bead], n_src: int, n_tgt: int) -> list[Bead]:
    """The pair beads, then every sentence no pair holds as a 1-0 or 0-1 bead (comparable and
    mining results, and a side with no sentences): nothing the user gave is left out."""
    beads = list(pairs)
    done_src = {i for b in beads for i in b.src_ids}
    done_tgt = {j for b in beads for j in b.tgt_ids}
    beads += [Bead((i,), (), 0.0) for i in range(n_src) if i not in done_src]
    beads += [Bead((), (j,), 0.0) for j in range(n_tgt) if j not in done_tgt]
    return beads


def check_complete(beads: list[Bead], n_src: int, n_tgt: int, ordered: bool = True) -> None:
    """Every sentence in exactly one bead, in order: the invariant nothing may break.

    ``ordered=False`` (comparable and mining) still requires exactly once, but allows crossing
    pairs.
    """
    src = [i for b in beads for i in b.src_ids]
    tgt = [j for b in beads for j in b.tgt_ids]
    if not ordered:
        src, tgt = sorted(src), sorted(tgt)
    if src != list(range(n_src)) or tgt != list(range(n_tgt)):
        raise AssertionError("alignment does not cover every sentence exactly once, in order")
