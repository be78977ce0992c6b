"""Korean sentences with kiwipiepy, plus post-rules for the errors measured on NTREX dev text.

kiwipiepy misses boundaries around quotes (it nests a quoted passage of several sentences into
one) and cuts where no sentence ends (after a quoted noun phrase, before an attribution, at a
dash, inside a word). Each rule below fixes one of those; ``benchmarks/splitting.py`` measures
them (recall 0.9884 -> 0.9958, precision 0.8283 -> 0.8316 against the dev set's units).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache

_CLOSE_QUOTES = "”\"’'」』"
# `…했다.” “그러나…` and `…말했다. “그렇다…`: a finished sentence (closed quote or not)
# followed by an opening quote is a boundary kiwi misses (it nests the quote instead).
_QUOTE_QUOTE = re.compile(r"([.?!…][”\"’]?)\s+(?=[“\"‘])")
# `…것들이었습니다." 그는 자신이 …`: a quoted sentence closed, then a new sentence (kiwi nests
# it into the quote); a short attribution after it is joined back below.
_QUOTE_END = re.compile(r"([.?!…][”\"’])\s+(?=[가-힣0-9A-Za-z(])")
# A short attribution after a closed quote (`“…” 그가 말했다.`, `…” 요즘, 그는 말한다.`)
# belongs to the quote.
_SPEECH = re.compile(
    r"(말했|말한|말합|밝혔|밝힌|전했|전한|덧붙|설명했|강조했|주장했|지적했|물었|답했|썼다|썼습"
    r"|보도했|했다|했습니다)"
)
# Inside a quoted passage kiwi keeps its sentences together: `“…범죄자들입니다. 따라서 …”`.
# A Hangul syllable, terminal punctuation and a space start a new sentence.
_INNER_END = re.compile(r"(?<=[가-힣][.!?])\s+(?=[가-힣A-Za-z0-9“\"‘'(])")
# A dash ends no sentence: `“…겪었을 때” - 그는 …`.
_DASH_END = re.compile(r"\s[-–—]$")
# Syllables a Korean sentence (or headline) ends on; kiwi sometimes cuts after others
# (`화이트 래 | 더 핸들`).
_FINAL = frozenset("다요까죠네군라자지음함임니오")
# `…입니다.”라고 말했다`: a quotative particle right after the closing quote continues the sentence
_QUOTATIVE = re.compile(r"^(이?라고|이?라며|이?라는|이?라면서|하고|하며|고\s)")


@lru_cache(maxsize=1)
def _kiwi():
    """One Kiwi per process, made on the first Korean split, without its three optional
    dictionaries: they add words (compound nouns and phrases; corrections of misspelt words;
    Kiwi's own list of proper and common nouns), and sentence boundaries hardly depend on
    them. Without the multi-word and typo dictionaries the splits of the NTREX dev texts, all
    66 Bible books and the bundled samples are identical, and the load plus first split takes
    1.0 CPU s instead of 2.1; without the default dictionary too, 0.7 s instead of 1.0
    (2026-12-02), with the NTREX texts identical and 8 of the Bible's 31,000 Korean verses
    cut differently (4 with a cut more, 4 with one fewer). Kiwi holds the GIL while it loads
    and splits, so a background thread would overlap nothing; given a list, it splits on
    threads of its own, one per core this process may use (Kiwi's own default counts every
    core of the machine)."""
    from kiwipiepy import Kiwi

    from ..embed.workers import available_cores

    return Kiwi(
        num_workers=available_cores(),
        load_default_dict=False,
        load_multi_dict=False,
        load_typo_dict=False,
    )


def loaded_kiwi():
    """The process's Kiwi if a split has made it, else None (nothing is loaded)."""
    return _kiwi() if _kiwi.cache_info().currsize else None


class KiwiSplitter:
    name = "kiwipiepy"
    # kiwipiepy's time grows with the run it is given (a 1 MB line with a single period took
    # minutes): longer blocks reach it in pieces of at most this many characters
    max_run = 5000

    def spans(self, text: str) -> list[tuple[int, int]]:
        raw = [(s.start, s.end) for s in _kiwi().split_into_sents(text)]
        return _fix_quotes(text, raw)

    def spans_many(self, texts: list[str]) -> Iterator[list[tuple[int, int]]]:
        """:meth:`spans` of each text, split on Kiwi's threads (the same spans)."""
        for text, sents in zip(texts, _kiwi().split_into_sents(texts), strict=True):
            yield _fix_quotes(text, [(s.start, s.end) for s in sents])


def _fix_quotes(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    split: list[tuple[int, int]] = []
    for s, e in spans:
        cut = s
        ends = [*_QUOTE_QUOTE.finditer(text, s, e), *_QUOTE_END.finditer(text, s, e)]
        for m in sorted(ends, key=lambda m: m.start()):
            split.append((cut, m.end(1)))
            cut = m.end()
        for m in _INNER_END.finditer(text, cut, e):
            split.append((cut, m.start()))
            cut = m.end()
        split.append((cut, e))
    merged: list[tuple[int, int]] = []
    for s, e in split:
        if merged and _continues(text[merged[-1][0] : merged[-1][1]].rstrip(), text[s:e].strip()):
            merged[-1] = (merged[-1][0], e)
            continue
        merged.append((s, e))
    return merged


def _continues(prev: str, cur: str) -> bool:
    """Whether ``cur`` continues the sentence ``prev`` (kiwi cut where none ends)."""
    if not prev:
        return False
    if prev[-1] in _CLOSE_QUOTES:
        if _QUOTATIVE.match(cur) or (
            len(cur) <= 30 and _SPEECH.search(cur) and cur[:1] not in '“"‘'
        ):
            return True
        # a quoted phrase, not a quoted sentence: `‘역대 … 마침표’가 될 것도 확실하다.`
        inner = prev[:-1].rstrip()
        return (
            bool(inner)
            and inner[-1] not in ".!?…"
            and inner[-1] not in _FINAL
            and cur[:1] not in "“\"‘'"
        )
    if _DASH_END.search(prev):
        return True
    return "가" <= prev[-1] <= "힣" and prev[-1] not in _FINAL
