"""Begin or resume a review: of an alignment JSONL, of two documents (aligned first with
:func:`aligner.align_files`), of a fresh result (``aligner align --review``), or of a review
file itself. Each returns where the review is kept and its current state; a review already
under way for the same files is resumed, never started over.
"""

from __future__ import annotations

from pathlib import Path

from ..alignment import Alignment, Bead
from ..errors import AlignerError
from ..segment import Sentence
from .history import Review
from .store import (
    SUFFIX,
    check_origin,
    load_review,
    origin_of,
    save_review,
    sidecar_for,
    sidecar_for_documents,
)


def alignment_from_table(table, where: str) -> Alignment:
    """An Alignment again from rows read back (our JSONL): it needs every sentence's text,
    which JSONL written by this version records (``src_sents`` for n-m beads)."""
    if table.sentences is None:
        raise AlignerError(
            f"{where}: does not list every sentence (written with --min-score, by mining, "
            "or by an older aligner); align again with `-o FILE.jsonl`, or run `aligner "
            "review SRC TGT` on the two documents."
        )
    sides = []
    for texts in table.sentences:
        sentences, pos = [], 0
        for text in texts:
            sentences.append(Sentence(text, pos, pos + len(text), 0))
            pos += len(text) + 1
        sides.append(sentences)
    beads = [Bead(u.src_ids, u.tgt_ids, u.score, u.status) for u in table.units]
    try:
        return Alignment(beads, sides[0], sides[1], table.src_lang, table.tgt_lang,
                         table.signature, {}, table.mode)  # fmt: skip
    except AssertionError:
        raise AlignerError(f"{where}: its rows do not cover every sentence once.") from None


def review_alignment_file(path: str | Path, *, session: str | Path | None = None):
    """Review an alignment JSONL (or resume a review file, ``*.review.json``).

    Returns (review file, Review). The JSONL is read, never written; the review goes to
    ``session`` or the sidecar next to it."""
    from ..formats import read

    path = Path(path)
    if path.name.endswith(SUFFIX):
        return path, load_review(path)
    if path.suffix.lower() != ".jsonl":
        raise AlignerError(
            f"{path}: review takes an alignment JSONL (aligner align … -o out.jsonl), a "
            "review file (*.review.json), or two documents to align."
        )
    store = Path(session) if session else sidecar_for(path)
    origin = origin_of(path)
    if store.exists():
        review = load_review(store)
        check_origin(review, origin, store)
        return store, review
    alignment = alignment_from_table(read(path, "jsonl"), str(path))
    return store, _begin(alignment, store, origin)


def review_documents(src: str | Path, tgt: str | Path, *, session: str | Path | None = None,
                     **align_options):  # fmt: skip
    """Align two documents with :func:`aligner.align_files` (``align_options`` go to it) and
    review the result, or resume the review of the same two files."""
    from ..api import align_files

    store = Path(session) if session else sidecar_for_documents(src, tgt)
    origin = origin_of(src, tgt)
    if store.exists():
        review = load_review(store)
        check_origin(review, origin, store)
        return store, review
    alignment = align_files(src, tgt, **align_options)
    return store, _begin(alignment, store, origin)


def review_result(alignment: Alignment, store: str | Path):
    """Review a result made just now (``aligner align --review``); its input files are the
    origin. Refuses to replace a review already under way."""
    store = Path(store)
    check_new(store)
    inputs = alignment.info.get("inputs", {})
    paths = [p for p in (inputs.get("src_path"), inputs.get("tgt_path")) if p and p != "-"]
    return store, _begin(alignment, store, origin_of(*paths))


def check_new(store: Path) -> None:
    """A new review never replaces one under way (before any work, so nothing is wasted)."""
    if store.exists():
        raise AlignerError(
            f"{store}: a review is already under way there; reopen it with `aligner review "
            f"{store}`, or move it away to start a new one."
        )


def _begin(alignment: Alignment, store: Path, origin: dict) -> Review:
    review = Review(alignment, origin=origin)
    save_review(review, store)
    return review
