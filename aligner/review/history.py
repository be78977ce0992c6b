"""A review in progress: the current alignment with its undo and redo stacks.

Every edit is recorded as a :class:`Patch`, the slice of beads it replaced and the sentence
texts it changed, so undo and redo are exact and the history stays small enough to be saved
with every edit (see :mod:`aligner.review.store`). All functions here are pure.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from ..alignment import Alignment, Bead
from ..errors import AlignerError
from . import edits

# Undo steps kept; older ones are dropped (the state they led to is kept, of course).
MAX_HISTORY = 1000


@dataclass(frozen=True)
class Patch:
    """One edit: beads ``start:start+len(old)`` became ``new``; ``texts`` holds the sentence
    texts it changed as (side, sentence id, before, after)."""

    label: str
    start: int
    old: tuple[Bead, ...]
    new: tuple[Bead, ...]
    texts: tuple[tuple[str, int, str, str], ...] = ()

    def inverse(self) -> Patch:
        texts = tuple((side, i, after, before) for side, i, before, after in self.texts)
        return Patch(self.label, self.start, self.new, self.old, texts)


@dataclass(frozen=True)
class Review:
    """What a reviewer sees and can undo. ``version`` counts every change (edits, undos and
    redos), so two editors of one file can tell whether they saw the latest state; ``origin``
    says what the review was opened from (paths and checksums)."""

    alignment: Alignment
    undo: tuple[Patch, ...] = ()
    redo: tuple[Patch, ...] = ()
    version: int = 0
    origin: dict = field(default_factory=dict)


def diff(before: Alignment, after: Alignment, label: str) -> Patch:
    """The patch that turns ``before`` into ``after``: the beads between their common prefix
    and suffix, and the sentence texts that differ."""
    a, b = before.beads, after.beads
    start = 0
    while start < min(len(a), len(b)) and a[start] == b[start]:
        start += 1
    end_a, end_b = len(a), len(b)
    while end_a > start and end_b > start and a[end_a - 1] == b[end_b - 1]:
        end_a, end_b = end_a - 1, end_b - 1
    texts = tuple(
        (side, i, x.text, y.text)
        for side, xs, ys in (("src", before.src, after.src), ("tgt", before.tgt, after.tgt))
        for i, (x, y) in enumerate(zip(xs, ys, strict=True))
        if x.text != y.text
    )
    return Patch(label, start, tuple(a[start:end_a]), tuple(b[start:end_b]), texts)


def apply_patch(alignment: Alignment, patch: Patch) -> Alignment:
    """``alignment`` with ``patch`` applied; refused when the beads it replaces are not there
    (a history that does not belong to this alignment)."""
    stop = patch.start + len(patch.old)
    if tuple(alignment.beads[patch.start : stop]) != patch.old:
        raise AlignerError(f"the edit history does not match the alignment ({patch.label}).")
    sides = {"src": list(alignment.src), "tgt": list(alignment.tgt)}
    for side, i, before, after in patch.texts:
        if sides[side][i].text != before:
            raise AlignerError(f"the edit history does not match the alignment ({patch.label}).")
        sides[side][i] = replace(sides[side][i], text=after)
    beads = alignment.beads[: patch.start] + list(patch.new) + alignment.beads[stop:]
    return replace(alignment, beads=beads, src=sides["src"], tgt=sides["tgt"])


def edit(review: Review, op: str, *, scorer: edits.Scorer | None = None, **args) -> Review:
    """Apply the edit named ``op`` (see ``edits.OPERATIONS``) with ``args``; the redo stack
    is cleared, as in every editor. An edit that changes nothing is not recorded."""
    fn = edits.OPERATIONS.get(op)
    if fn is None:
        raise AlignerError(f"unknown edit {op!r}; one of {', '.join(edits.OPERATIONS)}.")
    if op in edits.SCORED:
        args["scorer"] = scorer
    try:
        after = fn(review.alignment, **args)
    except TypeError as e:  # wrong or missing arguments from a page or a notebook
        raise AlignerError(f"{op}: {e}") from None
    patch = diff(review.alignment, after, describe(op, args))
    if not patch.old and not patch.new and not patch.texts:
        return review
    undo = (*review.undo, patch)[-MAX_HISTORY:]
    return replace(review, alignment=after, undo=undo, redo=(), version=review.version + 1)


def undo(review: Review) -> Review:
    if not review.undo:
        raise AlignerError("nothing to undo.")
    patch = review.undo[-1]
    alignment = apply_patch(review.alignment, patch.inverse())
    return replace(review, alignment=alignment, undo=review.undo[:-1],
                   redo=(*review.redo, patch), version=review.version + 1)  # fmt: skip


def redo(review: Review) -> Review:
    if not review.redo:
        raise AlignerError("nothing to redo.")
    patch = review.redo[-1]
    alignment = apply_patch(review.alignment, patch)
    return replace(review, alignment=alignment, undo=(*review.undo, patch),
                   redo=review.redo[:-1], version=review.version + 1)  # fmt: skip


def describe(op: str, args: dict) -> str:
    """A label for the undo button: what the edit did, in the reviewer's words."""
    k = args.get("k")
    verb = {"confirmed": "confirm", "rejected": "reject"}.get(args.get("status"), "clear")
    labels = {
        "merge": f"merge beads {k} and {args.get('other', (k or 0) + 1)}",
        "pair": f"pair beads {k} and {args.get('other')}",
        "split": f"split bead {k}",
        "move": f"move a {'source' if args.get('side') == 'src' else 'target'} sentence of "
        f"bead {k} to the {'next' if args.get('direction') == 'next' else 'previous'} bead",
        "unpair": f"unpair bead {k}",
        "status": f"{verb} bead {k}",
        "text": f"edit {'source' if args.get('side') == 'src' else 'target'} sentence "
        f"{args.get('sentence')}",
    }  # fmt: skip
    return labels.get(op, op)
