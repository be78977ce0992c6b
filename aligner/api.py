"""The library's entry points: files, texts or sentences in, an :class:`Alignment` out.

``align_files`` does everything ``aligner align`` does before writing: reading (encodings),
every input check, the mode choice. The CLI, ``aligner batch`` and the review editor call it,
so each check lives here once and reads the same from every door.
"""

from __future__ import annotations

import time
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

from .alignment import Alignment
from .embed import Embedder, load_embedder
from .embed.windows import window_mode
from .embed.workers import WORKERS_FROM, rough_sentences
from .errors import AlignerError
from .matching.comparable import ComparableParams, align_comparable
from .matching.mode import relation_of, unrelated
from .parallel.align import AlignParams, align_sentences
from .parallel.resplit import resplit
from .parallel.warm import compile_in_background
from .progress import progress
from .read import normalize_text, read_pair
from .segment import SEGMENTS, Sentence, split_is_cached, split_text, splitter_id
from .segment.srx import resolve_srx
from .segment.structure import annotate

ALIGN_MODES = ("auto", "parallel", "comparable")
# Two texts whose lengths differ by more than this factor are not translations of each other
# (translations stay within a factor of about 4 in characters); below LENGTH_CHECK_CHARS
# either way the check is skipped, as such texts align in seconds whatever they are.
MAX_LENGTH_RATIO = 30
LENGTH_CHECK_CHARS = 200_000
UNRELATED_WARNING = "{reason}; no pairs (--mode parallel forces a monotone alignment)."


def align_files(
    src_path: str | Path, tgt_path: str | Path, *,
    src_lang: str = "en", tgt_lang: str = "ko", embedder: Embedder | None = None,
    params: AlignParams | None = None, mode: str = "auto",
    comparable: ComparableParams | None = None, encoding: str | None = None, force: bool = False,
    segments: str = "sentences", srx: str | Path | None = None,
) -> Alignment:  # fmt: skip
    """Read, check and align two files; the result carries the input warnings.

    Documents (.docx, .odt, .html, .md, .xliff, .tmx, .srt, .vtt, .pdf) are read as text with
    their structure: headings and paragraphs are soft boundaries for the aligner, subtitle
    timing goes into TMX props. A bilingual XLIFF or TMX given as both files gives both sides.
    ``force`` aligns even when a file does not look like its language (or the two look
    swapped). ``mode``: 'auto' (decide from the texts: translations are aligned in parallel,
    related texts in comparable mode, unrelated texts get no pairs; the choice and its
    reason are in ``result.info["mode_choice"]``), 'parallel' (translations) or 'comparable'
    (related texts: only the pairs that correspond). ``segments``/``srx``: see
    :func:`align_texts`. ``-`` reads standard input.
    """
    src, tgt, warnings = read_pair(src_path, tgt_path, src_lang=src_lang, tgt_lang=tgt_lang,
                                   encoding=encoding, force=force)  # fmt: skip
    result = _align(
        src.text, tgt.text, src_lang=src_lang, tgt_lang=tgt_lang, embedder=embedder,
        params=params, mode=mode, comparable=comparable, segments=segments, srx=srx,
        regions=(src.regions, tgt.regions), force=force, names=(str(src_path), str(tgt_path)),
    )  # fmt: skip
    inputs = {
        "src_path": str(src_path), "tgt_path": str(tgt_path),
        "src_encoding": src.encoding, "tgt_encoding": tgt.encoding,
        "src_format": src.format, "tgt_format": tgt.format,
    }  # fmt: skip
    return replace(result, info={**result.info, "inputs": inputs},
                   warnings=warnings + result.warnings)  # fmt: skip


def align_texts(
    src_text: str, tgt_text: str, *,
    src_lang: str = "en", tgt_lang: str = "ko", embedder: Embedder | None = None,
    params: AlignParams | None = None, mode: str = "auto",
    comparable: ComparableParams | None = None, segments: str = "sentences",
    srx: str | Path | None = None, force: bool = False,
) -> Alignment:  # fmt: skip
    """Split both texts into sentences and align them (see :func:`align_files` for ``mode``).

    ``segments="lines"`` makes every non-empty line one segment, never split (texts exported
    from a CAT tool, one verse per line); ``srx`` (an SRX 2.0 file, or 'omegat' for the bundled
    rules that mirror OmegaT's defaults) splits the source side as a CAT tool would, so the
    memory's units are the segments it shows. Texts from files should be read with
    :func:`aligner.read_text` (encodings, normalisation); other text is normalised here.
    Texts of wildly different lengths cannot be translations and would cost time and memory
    for nothing: they are refused unless ``force``.
    """
    return _align(
        src_text, tgt_text, src_lang=src_lang, tgt_lang=tgt_lang, embedder=embedder,
        params=params, mode=mode, comparable=comparable, segments=segments, srx=srx,
        force=force,
    )  # fmt: skip


def _start_workers_early(embedder: Embedder, texts: tuple[str, str], langs: tuple[str, str],
                         split_cache_dir) -> bool:  # fmt: skip
    """Whether the pair is long enough to be embedded on worker processes (then this process
    mostly waits while they work: the caller gets the kernels ready meanwhile); if so the
    workers start now, so that they load the model while this process splits. A rerun, whose
    splits are in the split cache of ``split_cache_dir`` (None: not cached), has no splitting
    to overlap with: its workers start only if some window is not in the embedding cache
    either (a warm rerun of Genesis with two workers took 2.0-2.5 s against 1.7 s in one
    process, starting workers it never used)."""
    start = getattr(embedder, "start", None)
    if start is None or max(rough_sentences(t) for t in texts) < WORKERS_FROM:
        return False
    pairs = zip(texts, langs, strict=True)
    if not all(split_is_cached(t, lang, split_cache_dir) for t, lang in pairs):
        start()
    return True


@contextmanager
def _prefetching(embedder: Embedder, params: AlignParams, mode: str):
    """What sends each side's sentences to the embedding workers as soon as it is split (the
    source side's then compute while the target side is split), or None (comparable mode, or
    windows not made from sentence states); on the way out, whatever was sent and not
    collected (a side left empty, an error) is cancelled."""
    prefetch = getattr(embedder, "prefetch", None)
    if prefetch is None or mode == "comparable" or window_mode(params.windows, embedder) != "pool":
        yield None
        return
    try:
        yield lambda sentences: prefetch([s.text for s in sentences])
    finally:
        embedder.discard_prefetched()


def _split_pair(src_text, tgt_text, src_lang, tgt_lang, segments, srx, regions, threads=1,
                on_split=None, cache_dir=None):  # fmt: skip
    """Both sides split (SRX rules on the source side only: the side a CAT tool segments),
    with the documents' structure on the sentences; and the splitters' names. ``threads``:
    what the splitters may use (as many as the embedder's processes: --jobs);
    ``on_split(sentences)`` runs as each side is done; ``cache_dir``: the split cache's
    folder (the embedding cache's; None with --no-cache)."""
    if segments not in SEGMENTS:
        raise AlignerError(f"unknown segments {segments!r}; use one of {', '.join(SEGMENTS)}.")
    if srx is not None and segments == "lines":
        raise AlignerError("SRX rules split text and lines mode never splits: give one of them.")
    rules = resolve_srx(srx) if srx is not None else None
    with progress(len(src_text) + len(tgt_text), "splitting", unit="char") as update:
        src = split_text(src_text, src_lang, progress=update, segments=segments, srx=rules,
                         threads=threads, cache_dir=cache_dir)  # fmt: skip
        if on_split is not None:
            on_split(src)
        tgt = split_text(tgt_text, tgt_lang, progress=update, segments=segments, threads=threads,
                         cache_dir=cache_dir)  # fmt: skip
        if on_split is not None:
            on_split(tgt)
    src, tgt = annotate(src, regions[0]), annotate(tgt, regions[1])
    split = (f"{splitter_id(src_lang, segments=segments, srx=rules)}+"
             f"{splitter_id(tgt_lang, segments=segments)}")  # fmt: skip
    return src, tgt, split


def _align(src_text, tgt_text, *, src_lang, tgt_lang, embedder, params, mode, comparable,
           segments, srx, regions=((), ()), force=False,
           names=("source", "target")) -> Alignment:  # fmt: skip
    if mode not in ALIGN_MODES:
        raise AlignerError(f"unknown mode {mode!r}; use one of {', '.join(ALIGN_MODES)}.")
    src_text, tgt_text = normalize_text(src_text), normalize_text(tgt_text)
    if not src_text.strip() and not tgt_text.strip():
        raise AlignerError("both texts are empty: nothing to align.")
    if mode != "comparable" and not force:
        check_lengths(src_text, tgt_text, names)
    embedder = embedder or load_embedder()
    plain = segments == "sentences" and srx is None and not any(regions)
    cache_dir = getattr(embedder, "cache_dir", None)  # the split cache shares its folder
    cacheable = segments == "sentences" and srx is None  # the splits split_text caches
    on_workers = _start_workers_early(embedder, (src_text, tgt_text), (src_lang, tgt_lang),
                                      cache_dir if cacheable else None)  # fmt: skip
    if mode == "comparable" and plain:
        return align_comparable(src_text, tgt_text, src_lang=src_lang, tgt_lang=tgt_lang,
                                embedder=embedder, params=comparable)  # fmt: skip
    params = params or AlignParams()
    with _prefetching(embedder, params, mode) as prefetch:
        t0 = time.perf_counter()
        src, tgt, split = _split_pair(src_text, tgt_text, src_lang, tgt_lang, segments, srx,
                                      regions, getattr(embedder, "jobs", 1), prefetch,
                                      cache_dir)  # fmt: skip
        split_s = time.perf_counter() - t0
        if on_workers:  # this process mostly waits while they embed: get the kernels ready
            compile_in_background()
        if mode == "comparable":
            return align_comparable(src, tgt, src_lang=src_lang, tgt_lang=tgt_lang,
                                    embedder=embedder, params=comparable, split=split)  # fmt: skip
        if segments != "sentences" or srx is not None:
            # lines (--segments lines) and a CAT tool's SRX segments are the user's units: the
            # aligner does not re-split them (and the signature says so)
            params = replace(params, resplit=False)
        vectors: dict = {}  # the sentence vectors the alignment used, for the mode choice
        result = align_sentences(src, tgt, src_lang=src_lang, tgt_lang=tgt_lang,
                                 embedder=embedder, params=params, split=split,
                                 on_vectors=vectors.update)  # fmt: skip
    if params.resplit:  # our own sentence splitting: the other side may correct it
        t0 = time.perf_counter()
        result = resplit(result, embedder, src_text, tgt_text)
        result.info.setdefault("timings", {})["resplit"] = time.perf_counter() - t0
    result.info.setdefault("timings", {})["split"] = split_s
    if mode == "parallel" or not (src and tgt):
        return result
    return _auto(result, src, tgt, src_lang, tgt_lang, embedder, comparable, split,
                 (params.windows, vectors))  # fmt: skip


def _auto(parallel: Alignment, src: list[Sentence], tgt: list[Sentence], src_lang: str,
          tgt_lang: str, embedder: Embedder, comparable: ComparableParams | None,
          split: str, vectors: tuple[str, dict]) -> Alignment:  # fmt: skip
    """The parallel alignment if the texts are translations, else comparable mode's pairs.
    ``vectors``: how the windows were made, and the sentence vectors the alignment used."""
    t0 = time.perf_counter()
    relation = relation_of(parallel, embedder, *vectors)
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


def check_lengths(src_text: str, tgt_text: str, names: tuple[str, str]) -> None:
    """Refuse, up front, a pair whose sides differ in length by more than MAX_LENGTH_RATIO."""
    a, b = len(src_text.strip()), len(tgt_text.strip())
    big, small = max(a, b), min(a, b)
    if big < LENGTH_CHECK_CHARS or big <= MAX_LENGTH_RATIO * max(small, 1):
        return
    longer, shorter = names if a >= b else names[::-1]
    raise AlignerError(
        f"{longer} is {big // max(small, 1):,} times as long as {shorter} ({big:,} against "
        f"{small:,} characters; at most {MAX_LENGTH_RATIO}x for a translation): these are not "
        "translations of each other; use aligner mine for collections, or pass --force."
    )
