"""Translation units: the rows every writer emits, from an alignment or read back from our own
TSV/JSONL (so a reviewer's edited spreadsheet can become a TMX without re-aligning)."""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from ..alignment import STATUSES
from ..errors import AlignerError
from ..segment.structure import merge_props


@dataclass(frozen=True)
class Unit:
    """One row: the two texts, the score and type of their bead, and where they came from."""

    src_text: str
    tgt_text: str
    score: float
    type: str
    src_ids: tuple[int, ...] = ()
    tgt_ids: tuple[int, ...] = ()
    src_para: int | None = None
    tgt_para: int | None = None
    src_doc: str | None = None  # mining: the document each side came from
    tgt_doc: str | None = None
    cosine: float | None = None  # mining: the plain cosine beside the margin score
    # what the documents carried, for TMX <prop>s: a subtitle cue's timing per side
    # (("x-src-start", "00:00:01,000"), ("x-src-end", ...), ("x-tgt-start", ...), ...)
    props: tuple[tuple[str, str], ...] = ()
    status: str | None = None  # a reviewer's verdict: "confirmed", "rejected" or None

    @property
    def aligned(self) -> bool:
        return bool(self.src_text.strip()) and bool(self.tgt_text.strip())


@dataclass(frozen=True)
class Table:
    """What every writer takes: the units and what is known about them.

    ``meta`` is the JSONL metadata line ({} writes none); ``inputs`` are the files the units
    were aligned or read from, which no output of the same run may overwrite; ``changes``
    what reading them had to change. ``sentences`` (source and target sentence texts by id,
    when known) lets JSONL keep the sentence boundaries inside n-m beads, so the review
    editor can split them again after a reload.
    """

    units: list[Unit]
    src_lang: str = "en"
    tgt_lang: str = "ko"
    signature: str = ""
    mode: str = "parallel"
    meta: dict = field(default_factory=dict)
    inputs: tuple[str, ...] = ()
    sentences: tuple[tuple[str, ...], tuple[str, ...]] | None = None
    # what reading the rows back had to change (a spreadsheet's quoting undone, a number
    # typed into a text cell...), one line each, for `aligner convert` to report
    changes: tuple[str, ...] = ()


def units_from_alignment(alignment) -> Iterator[Unit]:
    info = alignment.info
    src_doc, tgt_doc = info.get("src_doc"), info.get("tgt_doc")
    cosines = iter(info.get("cosine", ()))
    for b in alignment.beads:
        yield Unit(
            alignment.src_text(b), alignment.tgt_text(b), b.score, b.type, b.src_ids, b.tgt_ids,
            alignment.src[b.src_ids[0]].para if b.src_ids else None,
            alignment.tgt[b.tgt_ids[0]].para if b.tgt_ids else None,
            src_doc[b.src_ids[0]] if src_doc and b.src_ids else None,
            tgt_doc[b.tgt_ids[0]] if tgt_doc and b.tgt_ids else None,
            next(cosines, None) if alignment.mode == "mining" and b.aligned else None,
            props=_side_props("src", [alignment.src[i] for i in b.src_ids])
            + _side_props("tgt", [alignment.tgt[j] for j in b.tgt_ids]),
            status=b.status,
        )  # fmt: skip


def _side_props(side: str, sentences) -> tuple[tuple[str, str], ...]:
    """A bead side's document props (first start, last end), named for TMX."""
    if not any(s.props for s in sentences):
        return ()
    return tuple((f"x-{side}-{k}", v) for k, v in merge_props(s.props for s in sentences))


def as_table(result) -> Table:
    """A Table as it is, or the Table of an :class:`~aligner.Alignment`."""
    if isinstance(result, Table):
        return result
    meta = {
        "signature": result.signature,
        "src_lang": result.src_lang,
        "tgt_lang": result.tgt_lang,
        "mode": result.mode,
        **result.summary(),
    }
    if "mode_choice" in result.info:  # --mode auto: what it chose and why
        meta["mode_choice"] = result.info["mode_choice"]
    paths = result.info.get("inputs", {})
    inputs = tuple(p for p in (paths.get("src_path"), paths.get("tgt_path")) if p)
    sentences = (tuple(s.text for s in result.src), tuple(s.text for s in result.tgt))
    return Table(list(units_from_alignment(result)), result.src_lang, result.tgt_lang,
                 result.signature, result.mode, meta, inputs, sentences)  # fmt: skip


def keep_unit(u: Unit, include_unaligned: bool = True, min_score: float | None = None) -> bool:
    """Unaligned units only if asked for; aligned units only at or above ``min_score``, except
    confirmed ones: a reviewer's confirmation outranks the model's score."""
    if not u.aligned:
        return include_unaligned
    return min_score is None or u.score >= min_score or u.status == "confirmed"


def select_units(
    units: Iterable[Unit], include_unaligned: bool = True, min_score: float | None = None
) -> list[Unit]:
    if min_score is not None and not math.isfinite(min_score):
        raise AlignerError(f"min_score must be a finite number, not {min_score!r}.")
    return [u for u in units if keep_unit(u, include_unaligned, min_score)]


def default_unaligned(table: Table, include_unaligned: bool | None) -> bool:
    """Whether rows with one side go out: yes for alignments, no for mining (where most
    sentences are unpaired and listing them would bury the pairs), unless the caller says."""
    if include_unaligned is not None:
        return include_unaligned
    return table.mode != "mining"


def normalise_for_dedupe(text: str) -> str:
    """NFKC, case-folded, whitespace collapsed: what counts as 'the same segment'."""
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


def dedupe_units(units: Iterable[Unit]) -> tuple[list[Unit], int]:
    """Keep the first of each normalised (src, tgt) pair; returns (units, duplicates removed)."""
    seen: set[tuple[str, str]] = set()
    kept: list[Unit] = []
    removed = 0
    for u in units:
        key = (normalise_for_dedupe(u.src_text), normalise_for_dedupe(u.tgt_text))
        if key in seen:
            removed += 1
            continue
        seen.add(key)
        kept.append(u)
    return kept, removed


def parse_ids(text: str, where: str) -> tuple[int, ...]:
    text = text.strip()
    if not text:
        return ()
    try:
        return tuple(int(x) for x in text.split(","))
    except ValueError:
        raise AlignerError(f"{where}: ids must be comma-separated numbers, got {text!r}.") from None


def parse_status(text: str | None, where: str) -> str | None:
    """A status cell or field read back: empty means not reviewed."""
    text = (text or "").strip().lower()
    if not text:
        return None
    if text not in STATUSES:
        raise AlignerError(
            f"{where}: status must be {' or '.join(STATUSES)} (or empty), got {text!r}."
        )
    return text


def parse_score(text: str, where: str) -> float:
    try:
        score = float(text) if text.strip() else 0.0
    except ValueError:
        score = math.nan
    if not math.isfinite(score):
        raise AlignerError(f"{where}: score must be a finite number, got {text[:40]!r}.")
    return score


def type_of(src_ids, tgt_ids, src: str, tgt: str) -> str:
    """The bead type of a row read back, from its ids or, without ids, from its texts."""
    n = len(src_ids) if src_ids else int(bool(src.strip()))
    m = len(tgt_ids) if tgt_ids else int(bool(tgt.strip()))
    return f"{n}-{m}"
