"""What a reviewer does to an alignment, as pure functions over :class:`~aligner.Alignment`.

Each edit returns a new alignment and leaves its argument as it was. The new one is built by
``Alignment``'s constructor, which runs ``check_complete``: every sentence of each side stays
in exactly one bead (in order, for parallel results), so no edit can lose or duplicate a
sentence. The review editor's web layer calls only these; a notebook can call them too::

    from aligner.review import edits
    fixed = edits.merge(result, 7)                  # bead 7 with bead 8
    fixed = edits.set_status(fixed, 7, "confirmed")

Beads are addressed by their index in ``alignment.beads``. A new bead gets its score from
``scorer`` (for instance :func:`embedding_scorer`), else from the bead(s) it came from; a
bead with one side empty scores 0. New beads start unreviewed (status None).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import replace

from ..alignment import STATUSES, Alignment, Bead
from ..errors import AlignerError

# (source text, target text) -> score; higher is better, like the aligner's own scores.
Scorer = Callable[[str, str], float]
SIDES = ("src", "tgt")
DIRECTIONS = ("next", "prev")
_SPACES = re.compile(r"\s+")


def embedding_scorer(embedder) -> Scorer:
    """The aligner's bead score: cosine of the embeddings of the two sides' joined texts (the
    embedder's vectors are L2-normalised, and its cache makes repeated texts free)."""

    def score(src: str, tgt: str) -> float:
        a, b = embedder.encode([src, tgt])
        return float(a @ b)

    return score


def merge(
    alignment: Alignment, k: int, other: int | None = None, *, scorer: Scorer | None = None
) -> Alignment:
    """Bead ``k`` and bead ``other`` (default: the next one) become one bead.

    Parallel results merge only neighbours; comparable and mining results may merge any two
    beads (an unaligned sentence joining a pair, say)."""
    other = k + 1 if other is None else other
    _check_index(alignment, k)
    _check_index(alignment, other, what="to merge with")
    if other == k:
        raise AlignerError(f"cannot merge bead {k} with itself.")
    if alignment.mode == "parallel" and abs(other - k) != 1:
        raise AlignerError(
            f"beads {k} and {other} are not neighbours; in a parallel alignment only "
            "neighbouring beads merge (move sentences one by one instead)."
        )
    return _join(alignment, k, other, scorer, f"merging beads {k} and {other}")


def _join(alignment: Alignment, k: int, other: int, scorer, what: str) -> Alignment:
    """Beads ``k`` and ``other`` as one bead, in the place of the earlier one."""
    a, b = sorted((k, other))
    first, second = alignment.beads[a], alignment.beads[b]
    scores = [x.score for x in (first, second) if x.aligned]
    merged = _bead(
        alignment,
        sorted(first.src_ids + second.src_ids),
        sorted(first.tgt_ids + second.tgt_ids),
        scorer,
        min(scores, default=0.0),
    )
    beads = list(alignment.beads)
    beads[a] = merged
    del beads[b]
    return _rebuild(alignment, beads, what)


def pair(alignment: Alignment, k: int, other: int, *, scorer: Scorer | None = None) -> Alignment:
    """Pair two unaligned beads, one with source sentences only, one with target only. They
    need not be neighbours, as long as no pair would cross (in a parallel alignment)."""
    _check_index(alignment, k)
    _check_index(alignment, other, what="to pair with")
    one, two = alignment.beads[k], alignment.beads[other]
    for n, b in ((k, one), (other, two)):
        if b.aligned:
            raise AlignerError(
                f"bead {n} already has both sides; pair joins two unaligned beads (unpair "
                "it first, or merge)."
            )
    if bool(one.src_ids) == bool(two.src_ids):
        side = "source" if one.src_ids else "target"
        raise AlignerError(
            f"beads {k} and {other} both hold only {side} sentences; pair one source with "
            "one target."
        )
    return _join(alignment, k, other, scorer, f"pairing beads {k} and {other}")


def split(
    alignment: Alignment, k: int, src_at: int, tgt_at: int, *, scorer: Scorer | None = None
) -> Alignment:
    """Split bead ``k`` into two: its first ``src_at`` source and first ``tgt_at`` target
    sentences, then the rest (a split at any sentence boundary of either side)."""
    b = _check_index(alignment, k)
    n, m = len(b.src_ids), len(b.tgt_ids)
    if not (0 <= src_at <= n and 0 <= tgt_at <= m):
        raise AlignerError(
            f"bead {k} has {n} source and {m} target sentences; split points must be "
            f"0–{n} and 0–{m}, not {src_at} and {tgt_at}."
        )
    if src_at + tgt_at == 0 or src_at + tgt_at == n + m:
        raise AlignerError(f"that split of bead {k} would leave one part empty.")
    parts = [
        _bead(alignment, b.src_ids[:src_at], b.tgt_ids[:tgt_at], scorer, b.score),
        _bead(alignment, b.src_ids[src_at:], b.tgt_ids[tgt_at:], scorer, b.score),
    ]
    beads = alignment.beads[:k] + parts + alignment.beads[k + 1 :]
    return _rebuild(alignment, beads, f"splitting bead {k}")


def move(
    alignment: Alignment, k: int, side: str, direction: str, *, scorer: Scorer | None = None
) -> Alignment:
    """Move the boundary sentence of bead ``k`` on ``side`` ('src' or 'tgt') to the
    neighbouring bead: its last sentence to the start of the next bead, or its first to the
    end of the previous one. A bead left with no sentence disappears."""
    b = _check_index(alignment, k)
    if side not in SIDES or direction not in DIRECTIONS:
        raise AlignerError(
            f"move needs side src/tgt and direction next/prev, not {side}/{direction}."
        )
    if alignment.mode != "parallel":
        raise AlignerError(
            "moving sentences between neighbours needs document order (a parallel alignment); "
            "here unpair the bead and pair the sentences instead."
        )
    n = k + 1 if direction == "next" else k - 1
    if not 0 <= n < len(alignment.beads):
        raise AlignerError(f"bead {k} has no {'next' if direction == 'next' else 'previous'} bead.")
    ids = b.src_ids if side == "src" else b.tgt_ids
    if not ids:
        raise AlignerError(f"bead {k} has no {_side_name(side)} sentence to move.")
    moved = ids[-1] if direction == "next" else ids[0]
    rest = ids[:-1] if direction == "next" else ids[1:]
    nb = alignment.beads[n]
    near = nb.src_ids if side == "src" else nb.tgt_ids
    near = (moved, *near) if direction == "next" else (*near, moved)
    here = _with_side(alignment, b, side, rest, scorer)
    there = _with_side(alignment, nb, side, near, scorer)
    beads = list(alignment.beads)
    beads[k], beads[n] = here, there
    beads = [x for x in beads if x.src_ids or x.tgt_ids]
    return _rebuild(alignment, beads, f"moving a sentence of bead {k}")


def unpair(alignment: Alignment, k: int) -> Alignment:
    """Bead ``k``'s sentences become unaligned, one bead each (sources first)."""
    b = _check_index(alignment, k)
    parts = [Bead((i,), (), 0.0) for i in b.src_ids] + [Bead((), (j,), 0.0) for j in b.tgt_ids]
    if parts == [replace(b, status=None)] or parts == [b]:
        raise AlignerError(f"bead {k} is already a single unaligned sentence.")
    beads = alignment.beads[:k] + parts + alignment.beads[k + 1 :]
    return _rebuild(alignment, beads, f"unpairing bead {k}")


def set_status(alignment: Alignment, k: int, status: str | None) -> Alignment:
    """Confirm (``'confirmed'``), reject (``'rejected'``) or clear (None) bead ``k``."""
    b = _check_index(alignment, k)
    if status is not None and status not in STATUSES:
        raise AlignerError(f"status must be one of {', '.join(STATUSES)} or none, not {status!r}.")
    beads = list(alignment.beads)
    beads[k] = replace(b, status=status)
    return replace(alignment, beads=beads)


def edit_text(
    alignment: Alignment, side: str, sentence: int, text: str, *, scorer: Scorer | None = None
) -> Alignment:
    """Replace the text of one sentence (a typo in the source, a stray character).

    Whitespace runs become one space; a sentence cannot be emptied, since every input
    sentence stays in the alignment (unpair or reject its bead instead). The bead holding it
    keeps its status and is scored again."""
    if side not in SIDES:
        raise AlignerError(f"side must be src or tgt, not {side!r}.")
    sentences = list(alignment.src if side == "src" else alignment.tgt)
    if not (isinstance(sentence, int) and 0 <= sentence < len(sentences)):
        raise AlignerError(
            f"no {_side_name(side)} sentence {sentence} (there are {len(sentences)})."
        )
    text = _SPACES.sub(" ", str(text)).strip()
    if not text:
        raise AlignerError(
            "a sentence cannot be emptied: every input sentence stays in the alignment "
            "(reject or unpair its bead instead)."
        )
    sentences[sentence] = replace(sentences[sentence], text=text)
    edited = replace(alignment, **{side: sentences})
    k = next(n for n, b in enumerate(edited.beads)
             if sentence in (b.src_ids if side == "src" else b.tgt_ids))  # fmt: skip
    b = edited.beads[k]
    beads = list(edited.beads)
    beads[k] = replace(_bead(edited, b.src_ids, b.tgt_ids, scorer, b.score), status=b.status)
    return replace(edited, beads=beads)


# The edits the review editor offers, by the name its page sends.
OPERATIONS: dict[str, Callable[..., Alignment]] = {
    "merge": merge,
    "pair": pair,
    "split": split,
    "move": move,
    "unpair": unpair,
    "status": set_status,
    "text": edit_text,
}
# Edits whose new beads take a score (the others keep theirs).
SCORED = {"merge", "pair", "split", "move", "text"}


def _check_index(alignment: Alignment, k, what: str = "") -> Bead:
    if not isinstance(k, int) or isinstance(k, bool) or not 0 <= k < len(alignment.beads):
        where = f" {what}" if what else ""
        raise AlignerError(f"no bead {k!r}{where}: the alignment has {len(alignment.beads)}.")
    return alignment.beads[k]


def _side_name(side: str) -> str:
    return "source" if side == "src" else "target"


def _text(alignment: Alignment, side: str, ids: Sequence[int]) -> str:
    sentences = alignment.src if side == "src" else alignment.tgt
    return " ".join(sentences[i].text for i in ids)


def _bead(alignment, src_ids, tgt_ids, scorer: Scorer | None, fallback: float) -> Bead:
    """A new bead over these ids, scored by ``scorer`` when given and both sides are there."""
    src_ids, tgt_ids = tuple(src_ids), tuple(tgt_ids)
    if not src_ids or not tgt_ids:
        return Bead(src_ids, tgt_ids, 0.0)
    if scorer is None:
        return Bead(src_ids, tgt_ids, fallback)
    score = scorer(_text(alignment, "src", src_ids), _text(alignment, "tgt", tgt_ids))
    return Bead(src_ids, tgt_ids, round(float(score), 6))


def _with_side(alignment, b: Bead, side: str, ids, scorer) -> Bead:
    src, tgt = (ids, b.tgt_ids) if side == "src" else (b.src_ids, ids)
    return _bead(alignment, src, tgt, scorer, b.score)


def _rebuild(alignment: Alignment, beads: list[Bead], what: str) -> Alignment:
    """The alignment with these beads; an order the mode does not allow is refused."""
    try:
        return replace(alignment, beads=beads)
    except AssertionError:
        raise AlignerError(
            f"{what} would make pairs cross; a parallel alignment keeps both texts in order."
        ) from None
