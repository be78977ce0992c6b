"""Sentence segmentation: paragraphs by blank lines, sentences by a per-language splitter.

Every character of the input belongs to at most one sentence; offsets refer to the normalised
text (see :func:`aligner.read.normalize_text`), so each sentence can be traced back.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from ..read.script import is_hangul
from .base import Sentence, Splitter, package_id
from .english import NupunktSplitter
from .korean import KiwiSplitter

__all__ = [
    "MAX_SENTENCE_CHARS",
    "SEGMENTS",
    "Sentence",
    "Splitter",
    "as_sentences",
    "get_splitter",
    "split_is_cached",
    "split_text",
    "splitter_id",
]

# A "sentence" longer than this (a PDF page without punctuation, a 1 MB line) is cut at the
# nearest space before the cap: embedding one giant string helps nobody.
MAX_SENTENCE_CHARS = 1500

# Share of the lines that stop mid-sentence that must be full for a text to count as
# hard-wrapped prose (a few headings or short last lines are allowed).
WRAPPED_FULL_SHARE = 0.8
WRAP_WIDTH_QUANTILE = 0.9

_PARA = re.compile(r"\n[ \t]*\n\s*")
_TERMINAL = tuple(".!?。！？…:;\"'”’)]」』")
# Full-width and ideographic sentence punctuation as the splitters understand it. The splitter
# sees this one-for-one view (same length, so offsets hold); sentences keep the original text.
_SPLIT_VIEW = str.maketrans({"．": ".", "！": "!", "？": "?", "。": ".", "｡": "."})
_HAS_END = re.compile(r"[.!?。！？．｡…]")
# Where a block longer than its splitter's ``max_run`` is cut into pieces: after sentence
# punctuation, so that real sentences are not cut.
_PIECE_END = re.compile(r"[.!?。！？．｡…][\"'”’)\]」』]*\s+")


def get_splitter(lang: str) -> Splitter:
    """Korean (and CJK-free Hangul text) uses kiwipiepy; everything else nupunkt."""
    if lang.lower().split("-")[0] == "ko":
        return KiwiSplitter()
    return NupunktSplitter()


def splitter_id(lang: str, *, segments: str = "sentences", srx=None) -> str:
    """Name and version of the splitter a language gets, for signatures."""
    if segments == "lines":
        return "lines"
    if srx is not None:
        from .srx import resolve_srx

        return resolve_srx(srx).id
    return package_id(get_splitter(lang).name)


def as_sentences(items: Sequence[str] | Sequence[Sentence]) -> list[Sentence]:
    """Sentences as given (already split): strings get offsets as if joined by one space."""
    out = []
    pos = 0
    for s in items:
        if isinstance(s, Sentence):
            out.append(s)
        else:
            out.append(Sentence(str(s), pos, pos + len(str(s)), 0))
            pos += len(str(s)) + 1
    return out


def _paragraphs(text: str):
    pos = 0
    for m in _PARA.finditer(text):
        yield pos, m.start()
        pos = m.end()
    yield pos, len(text)


def _is_wrapped(prev: str, nxt: str) -> bool:
    """A line break inside running text (hard-wrapped prose), not a line of its own."""
    prev, nxt = prev.rstrip(), nxt.lstrip()
    if len(prev) < 50 or not nxt or prev.endswith(_TERMINAL):
        return False
    return nxt[0].islower() or is_hangul(nxt[0])


def _hard_wrapped(text: str) -> bool:
    """Whether the text is prose hard-wrapped at a fixed width, so that a line break inside a
    sentence is no boundary. An editor breaks a line only where the next word would not fit:
    in wrapped prose nearly every line that stops mid-sentence is full (its length plus the
    next word passes the wrap width). In a text with one verse, subtitle or list item per
    line, lines stop where their unit stops, whatever their length: there every line break is
    a boundary (the Korean Bible, whose verses have no final period, had verse lines joined)."""
    lines = [line.rstrip() for line in text.split("\n")]
    pairs = [
        (a, b.split(None, 1)[0]) for a, b in zip(lines, lines[1:], strict=False) if a and b.strip()
    ]
    if not pairs:
        return False
    # the wrap width: the 90th percentile of line lengths, so that one long unbreakable line
    # (a URL) does not make every other line look short
    lengths = sorted(len(a) for a, _ in pairs)
    width = lengths[round(WRAP_WIDTH_QUANTILE * (len(lengths) - 1))]
    open_lines = [(a, w) for a, w in pairs if not a.endswith(_TERMINAL)]
    if not open_lines:
        return False
    full = sum(len(a) + 1 + len(w) > width for a, w in open_lines)
    return full >= WRAPPED_FULL_SHARE * len(open_lines)


def _lines(text: str, start: int, end: int, wrapped: bool = True):
    """Blocks of lines inside a paragraph that a splitter should see as one run of text."""
    pieces = []
    pos = start
    while pos < end:
        nl = text.find("\n", pos, end)
        stop = end if nl == -1 else nl
        pieces.append((pos, stop))
        pos = stop + 1
    block_start, block_end = None, None
    for i, (s, e) in enumerate(pieces):
        if block_start is None:
            block_start = s
        block_end = e
        nxt = pieces[i + 1] if i + 1 < len(pieces) else None
        if nxt is None or not (wrapped and _is_wrapped(text[s:e], text[nxt[0] : nxt[1]])):
            yield block_start, block_end
            block_start = None


def _cap(text: str, s: int, e: int):
    while e - s > MAX_SENTENCE_CHARS:
        cut = text.rfind(" ", s + MAX_SENTENCE_CHARS // 2, s + MAX_SENTENCE_CHARS)
        if cut == -1:
            cut = s + MAX_SENTENCE_CHARS
        yield s, cut
        s = cut
        while s < e and text[s].isspace():
            s += 1
    if s < e:
        yield s, e


def _pieces(block: str, limit: int | None):
    """A block cut into runs of at most ``limit`` characters, each ending after sentence
    punctuation where there is one (else at a space, else anywhere)."""
    pos = 0
    while limit and len(block) - pos > limit:
        window = block[pos : pos + limit]
        ends = [m.end() for m in _PIECE_END.finditer(window)]
        cut = ends[-1] if ends else window.rfind(" ") + 1 or limit
        yield pos, pos + cut
        pos += cut
    yield pos, len(block)


def _block_pieces(block: str, splitter: Splitter) -> list[tuple[int, int, bool]]:
    """A block as the pieces its splitter sees: (start, end, whether to split it). A run
    without sentence punctuation (a PDF page, a line of a megabyte) is only capped: the
    splitter has nothing to find there, and kiwipiepy takes minutes on a megabyte; long
    blocks reach a slow splitter in pieces for the same reason."""
    return [
        (ps, pe, not (pe - ps > MAX_SENTENCE_CHARS and not _HAS_END.search(block, ps, pe)))
        for ps, pe in _pieces(block, getattr(splitter, "max_run", None))
    ]


def _split_pieces(pieces: list[str], splitter: Splitter, threads: int):
    """The splitter's spans of each piece, in order: several at once where it can and more
    than one thread is allowed (kiwipiepy splits a list on its own threads, ~2x on a book
    with two; the spans are the same)."""
    many = getattr(splitter, "spans_many", None)
    if many is not None and threads > 1 and len(pieces) > 1:
        return many(pieces)
    return map(splitter.spans, pieces)


SEGMENTS = ("sentences", "lines")


def split_text(
    text: str, lang: str, splitter: Splitter | None = None, progress=None, *,
    segments: str = "sentences", srx=None, threads: int = 1, cache_dir=None,
) -> list[Sentence]:  # fmt: skip
    """Split normalised text into sentences with paragraph ids and character offsets.

    ``segments="lines"``: every non-empty line is one segment, never split. ``srx`` (a path
    or :class:`~aligner.segment.srx.SrxRules`): cut as those SRX rules cut, as a CAT tool
    does. ``progress(n)``, if given, is called with the number of characters done after each
    block (books take seconds in kiwipiepy). ``threads`` above 1 lets a splitter that can
    split many blocks at once do so (kiwipiepy, on its threads: one per core this process
    may use); the sentences are the same either way. ``cache_dir``: keep the default
    splitters' sentences in that folder's split cache (:mod:`aligner.segment.cache`), so that
    a rerun on the same text neither loads nor runs the splitter.
    """
    if segments not in SEGMENTS:
        raise ValueError(f"segments must be one of {SEGMENTS}, not {segments!r}")
    if segments == "lines" or srx is not None:
        from .lines import split_lines
        from .srx import resolve_srx, split_srx

        if progress:
            progress(len(text))
        if segments == "lines":
            return split_lines(text)
        return split_srx(text, lang, resolve_srx(srx))
    if cache_dir is not None and splitter is None:
        from .cache import split_cache

        cache = split_cache(cache_dir)
        before = cache.hits
        out = cache.split(
            text, splitter_id(lang), lambda: _split_sentences(text, lang, None, progress, threads)
        )
        if progress and cache.hits > before:  # served from the cache: report the whole text
            progress(len(text))
        return out
    return _split_sentences(text, lang, splitter, progress, threads)


def split_is_cached(text: str, lang: str, cache_dir) -> bool:
    """Whether :func:`split_text` with the default splitter will find ``text`` in the split
    cache of ``cache_dir`` (None: no cache), i.e. splitting it takes no time."""
    if cache_dir is None:
        return False
    from .cache import split_cache

    return split_cache(cache_dir).has(text, splitter_id(lang))


def _split_sentences(text: str, lang: str, splitter: Splitter | None, progress, threads: int):
    splitter = splitter or get_splitter(lang)
    wrapped = _hard_wrapped(text)
    blocks = []  # (paragraph, start in text, block, its pieces)
    for para, (ps, pe) in enumerate(_paragraphs(text)):
        for bs, be in _lines(text, ps, pe, wrapped):
            block = text[bs:be]
            if block.strip():
                blocks.append((para, bs, block, _block_pieces(block, splitter)))
    todo = [b[2][s:e].translate(_SPLIT_VIEW) for b in blocks for s, e, split in b[3] if split]
    results = iter(_split_pieces(todo, splitter, threads))
    out: list[Sentence] = []
    done = 0
    for para, bs, block, pieces in blocks:
        spans = []
        for ps, pe, split in pieces:
            spans += [(ps + s, ps + e) for s, e in next(results)] if split else [(ps, pe)]
        for s, e in spans:
            for cs, ce in _cap(block, s, e):
                # trim whitespace so offsets point at the sentence itself
                while cs < ce and block[cs].isspace():
                    cs += 1
                while ce > cs and block[ce - 1].isspace():
                    ce -= 1
                if ce > cs:
                    out.append(Sentence(block[cs:ce], bs + cs, bs + ce, para))
        if progress:
            progress(bs + len(block) - done)
            done = bs + len(block)
    if progress and len(text) > done:
        progress(len(text) - done)
    # renumber paragraphs densely so empty ones leave no gaps
    ids = {p: i for i, p in enumerate(dict.fromkeys(s.para for s in out))}
    return [Sentence(s.text, s.start, s.end, ids[s.para]) for s in out]
