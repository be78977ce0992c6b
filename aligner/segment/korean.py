"""Korean sentences with kiwipiepy, plus post-rules for the quote errors measured on NTREX."""

from __future__ import annotations

import re
from functools import lru_cache

_CLOSE_QUOTES = "”\"’'」』"
# `…했다.” “그러나…` and `…말했다. “그렇다…`: a finished sentence (closed quote or not)
# followed by an opening quote is a boundary kiwi misses (it nests the quote instead).
_QUOTE_QUOTE = re.compile(r"([.?!…][”\"’]?)\s+(?=[“\"‘])")
# A short attribution after a closed quote (`“…” 그가 말했다.`) belongs to the quote.
_SPEECH = re.compile(r"(말했|밝혔|전했|덧붙였|설명했|강조했|주장했|지적했|물었|했다)")
# `…입니다.”라고 말했다`: a quotative particle right after the closing quote continues the sentence
_QUOTATIVE = re.compile(r"^(이?라고|이?라며|이?라는|이?라면서|하고|하며|고\s)")


@lru_cache(maxsize=1)
def _kiwi():
    from kiwipiepy import Kiwi

    return Kiwi()


class KiwiSplitter:
    name = "kiwipiepy"
    # kiwipiepy's time grows with the run it is given (a 1 MB line with a single period took
    # minutes): longer blocks reach it in pieces of at most this many characters
    max_run = 5000

    def spans(self, text: str) -> list[tuple[int, int]]:
        raw = [(s.start, s.end) for s in _kiwi().split_into_sents(text)]
        return _fix_quotes(text, raw)


def _fix_quotes(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    split: list[tuple[int, int]] = []
    for s, e in spans:
        cut = s
        for m in _QUOTE_QUOTE.finditer(text, s, e):
            split.append((cut, m.end(1)))
            cut = m.end()
        split.append((cut, e))
    merged: list[tuple[int, int]] = []
    for s, e in split:
        if merged:
            ps, pe = merged[-1]
            prev, cur = text[ps:pe].rstrip(), text[s:e].strip()
            after_quote = prev and prev[-1] in _CLOSE_QUOTES
            if after_quote and (
                _QUOTATIVE.match(cur)
                or (len(cur) <= 30 and _SPEECH.search(cur) and cur[:1] not in '“"‘')
            ):
                merged[-1] = (ps, e)
                continue
        merged.append((s, e))
    return merged
