"""The library's entry points: files, texts or sentences in, an :class:`Alignment` out.

``align_files`` does everything ``aligner align`` does before writing: reading (encodings),
every input check, the mode choice. The CLI, ``aligner batch`` and the review editor call it,
so each check lives here once and reads the same from every door.
"""

from __future__ import annotations

import time
from dataclasses import replace
from pathlib import Path

from .alignment import Alignment
from .embed import Embedder, load_embedder
from .errors import AlignerError
from .matching.comparable import ComparableParams, align_comparable
from .matching.mode import relation_of, unrelated
from .parallel.align import AlignParams, align_sentences
from .progress import progress
from .read import normalize_text, read_pair
from .segment import Sentence, split_text, splitter_id

ALIGN_MODES = ("auto", "parallel", "comparable")
UNRELATED_WARNING = "{reason}; no pairs (--mode parallel forces a monotone alignment)."


def align_files(
    src_path: str | Path, tgt_path: str | Path, *,
    src_lang: str = "en", tgt_lang: str = "ko", embedder: Embedder | None = None,
    params: AlignParams | None = None, mode: str = "auto",
    comparable: ComparableParams | None = None, encoding: str | None = None, force: bool = False,
) -> Alignment:  # fmt: skip
    """Read, check and align two files; the result carries the input warnings.

    ``force`` aligns even when a file does not look like its language (or the two look
    swapped). ``mode``: 'auto' (decide from the texts: translations are aligned in parallel,
    related texts in comparable mode, unrelated texts get no pairs; the choice and its
    reason are in ``result.info["mode_choice"]``), 'parallel' (translations) or 'comparable'
    (related texts: only the pairs that correspond). ``-`` reads standard input.
    """
    src, tgt, warnings = read_pair(src_path, tgt_path, src_lang=src_lang, tgt_lang=tgt_lang,
                                   encoding=encoding, force=force)  # fmt: skip
    result = align_texts(
        src.text, tgt.text, src_lang=src_lang, tgt_lang=tgt_lang, embedder=embedder,
        params=params, mode=mode, comparable=comparable,
    )  # fmt: skip
    inputs = {
        "src_path": str(src_path), "tgt_path": str(tgt_path),
        "src_encoding": src.encoding, "tgt_encoding": tgt.encoding,
    }  # fmt: skip
    return replace(result, info={**result.info, "inputs": inputs},
                   warnings=warnings + result.warnings)  # fmt: skip


def align_texts(
    src_text: str, tgt_text: str, *,
    src_lang: str = "en", tgt_lang: str = "ko", embedder: Embedder | None = None,
    params: AlignParams | None = None, mode: str = "auto",
    comparable: ComparableParams | None = None,
) -> Alignment:  # fmt: skip
    """Split both texts into sentences and align them (see :func:`align_files` for ``mode``).

    Texts from files should be read with :func:`aligner.read_text` (encodings, normalisation);
    other text is normalised here.
    """
    if mode not in ALIGN_MODES:
        raise AlignerError(f"unknown mode {mode!r}; use one of {', '.join(ALIGN_MODES)}.")
    src_text, tgt_text = normalize_text(src_text), normalize_text(tgt_text)
    if not src_text.strip() and not tgt_text.strip():
        raise AlignerError("both texts are empty: nothing to align.")
    embedder = embedder or load_embedder()
    if mode == "comparable":
        return align_comparable(src_text, tgt_text, src_lang=src_lang, tgt_lang=tgt_lang,
                                embedder=embedder, params=comparable)  # fmt: skip
    t0 = time.perf_counter()
    with progress(len(src_text) + len(tgt_text), "splitting", unit="char") as update:
        src = split_text(src_text, src_lang, progress=update)
        tgt = split_text(tgt_text, tgt_lang, progress=update)
    split_s = time.perf_counter() - t0
    split = f"{splitter_id(src_lang)}+{splitter_id(tgt_lang)}"
    result = align_sentences(src, tgt, src_lang=src_lang, tgt_lang=tgt_lang, embedder=embedder,
                             params=params, split=split)  # fmt: skip
    result.info.setdefault("timings", {})["split"] = split_s
    if mode == "parallel" or not (src and tgt):
        return result
    return _auto(result, src, tgt, src_lang, tgt_lang, embedder, comparable, split)


def _auto(parallel: Alignment, src: list[Sentence], tgt: list[Sentence], src_lang: str,
          tgt_lang: str, embedder: Embedder, comparable: ComparableParams | None,
          split: str) -> Alignment:  # fmt: skip
    """The parallel alignment if the texts are translations, else comparable mode's pairs."""
    t0 = time.perf_counter()
    relation = relation_of(parallel, embedder)
    chosen, warnings = parallel, []
    if relation.mode == "comparable":
        chosen = align_comparable(src, tgt, src_lang=src_lang, tgt_lang=tgt_lang,
                                  embedder=embedder, params=comparable, split=split)  # fmt: skip
        if not chosen.pairs:
            relation = unrelated(relation)
            warnings.append(UNRELATED_WARNING.format(reason=relation.reason))
    timings = {**parallel.info.get("timings", {}), **chosen.info.get("timings", {}),
               "mode_choice": time.perf_counter() - t0}  # fmt: skip
    info = {**chosen.info, "timings": timings, "mode_choice": relation.as_info()}
    return replace(chosen, info=info, warnings=[*chosen.warnings, *warnings])
