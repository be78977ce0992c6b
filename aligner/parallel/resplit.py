"""Fixing the sentence splitting from the other side of each bead.

A splitter sees one language at a time. When it passes over a boundary (nupunkt takes "u."
for an initial, a headline runs into the next sentence without punctuation), the aligner
gets one sentence against two and makes a 1-2 bead. The other side shows where the sentence
should have been cut: ``resplit`` tries the plausible boundaries inside the lone sentence and
cuts it where each piece matches its share of the other side about as well as the whole did.
The reverse mistake (a cut where no sentence ends, seen as two sentences against one) is
undone by merging the two pieces. Only text the library split itself is changed; sentences a
caller gave are kept as they are.

Measured on NTREX dev as running text (``aligner eval --split``): see benchmarks/accuracy.md.
"""

from __future__ import annotations

import re
from dataclasses import replace

import numpy as np

from ..alignment import Alignment, Bead
from ..embed.base import Embedder
from ..embed.encode import encode_all
from ..read.script import is_hangul
from ..segment import Sentence

# The pieces of a cut sentence may match their share of the other side a little less well
# than the whole sentence matched all of it (shorter texts embed less reliably), but no less
# than RESPLIT_DROP below, and never below RESPLIT_FLOOR (with the bundled model unrelated
# sentences score under 0.3, translations 0.5-0.9).
RESPLIT_DROP = 0.1
RESPLIT_FLOOR = 0.4
# Neither piece may be shorter than this (characters), and a sentence with more candidate
# cuts than MAX_CUTS (a list, a table row) is left alone.
MIN_PIECE = 12
MAX_CUTS = 16
# How often one bead is cut again (a headline, a standfirst and a first sentence in one run).
MAX_DEPTH = 3

# A sentence end the splitter passed over: terminal punctuation, closers, a space, a capital.
_LATIN_END = re.compile(r"([.!?…][\"'”’)\]]*)\s+(?=[\"'“‘(\[]?[A-Z0-9])")
# In English, a headline run into the next sentence: a lowercase word, a space, a capital.
_HEADLINE_END = re.compile(r"(?<![\w'’-])([a-z]{3,})\s+(?=([A-Z][a-z]*))")
# Words a headline does not end on ("the tribunal in The Hague", "the form of Spieth").
_FUNCTION_WORDS = frozenset(
    "a an the of in on at to for by with from and or but as than that this these those its "
    "his her their our your my is are was were be been has have had will would can could not "
    "no into over under about after before against between among during without within "
    "through toward towards upon via per like near said says".split()
)
# Korean: a sentence-final syllable or terminal punctuation (and closers), then a space.
_HANGUL_END = re.compile(r"((?:[.!?…]|[다요까죠])[\"'”’」』)]*)\s+")
# Terminal punctuation a sentence may end on (a cut elsewhere is a splitting mistake).
_TERMINAL = tuple(".!?。！？…:;\"'”’)]」』")
_HANGUL_FINAL = frozenset("다요까죠네군라자지음함임니오")


def resplit(result: Alignment, embedder: Embedder, src_text: str, tgt_text: str) -> Alignment:
    """The alignment with sentences cut or joined where the other side of their bead shows the
    splitter was wrong; ``info["resplit"]`` counts both. ``src_text`` and ``tgt_text`` are the
    (normalised) texts the sentences were split from: their offsets point into them."""
    words = {
        "src": (_lowercase_words(result.src, result.src_lang), _paragraph_starts(result.src)),
        "tgt": (_lowercase_words(result.tgt, result.tgt_lang), _paragraph_starts(result.tgt)),
    }
    langs = {"src": result.src_lang, "tgt": result.tgt_lang}
    texts = {"src": src_text, "tgt": tgt_text}
    groups, cuts, joins = [], 0, 0
    sides = [([result.src[i] for i in b.src_ids], [result.tgt[j] for j in b.tgt_ids], b.score)
             for b in result.beads]  # fmt: skip
    encode = _batched(embedder, [x for s, t, _ in sides for x in _first_texts(s, t, langs, words)])
    for src, tgt, score in sides:
        done, n_cuts = _cut_bead(src, tgt, score, encode, langs, words)
        cuts += n_cuts
        for s, t, score in done:
            s, t, joined = _join_wrong_cut(s, t, langs, texts)
            joins += joined
            groups.append((s, t, score))
    if not cuts and not joins:
        return replace(result, info={**result.info, "resplit": {"cut": 0, "joined": 0}})
    src_out: list[Sentence] = []
    tgt_out: list[Sentence] = []
    beads = []
    for s, t, score in groups:
        src_ids = tuple(range(len(src_out), len(src_out) + len(s)))
        tgt_ids = tuple(range(len(tgt_out), len(tgt_out) + len(t)))
        beads.append(Bead(src_ids, tgt_ids, round(float(score), 6) if s and t else 0.0))
        src_out += s
        tgt_out += t
    info = {**result.info, "resplit": {"cut": cuts, "joined": joins}}
    return replace(result, beads=beads, src=src_out, tgt=tgt_out, info=info)


def _batched(embedder: Embedder, texts: list[str]):
    """``encode(texts)``, served from one batch encoded up front (the texts of every bead's
    first cut: one call instead of one per bead) and encoding only what it lacks. A vector
    may differ in its last bits from one encoded in a smaller batch (~1e-7 measured); the
    cuts on NTREX dev as text are the same (strict F1 0.9730 either way)."""
    unique = list(dict.fromkeys(texts))
    memo = dict(zip(unique, encode_all(embedder, unique), strict=True))

    def encode(wanted: list[str]) -> np.ndarray:
        missing = [x for x in dict.fromkeys(wanted) if x not in memo]
        memo.update(zip(missing, encode_all(embedder, missing), strict=True))
        return np.stack([memo[x] for x in wanted])

    return encode


def _lone(s: list[Sentence], t: list[Sentence]) -> str | None:
    """The side whose one sentence faces two or more on the other (the one to cut), if any."""
    return "src" if len(s) == 1 and len(t) >= 2 else "tgt" if len(t) == 1 and len(s) >= 2 else None


def _first_texts(s, t, langs, words) -> list[str]:
    """What :func:`_best_cut` encodes for a bead's first cut (nothing if it has none)."""
    side = _lone(s, t)
    if side is None:
        return []
    lone, other = (s[0], t) if side == "src" else (t[0], s)
    found = _cut_texts(lone, other, langs[side], words[side])
    return [] if found is None else found[1]


def _cut_bead(src, tgt, score, encode, langs, words):
    """The bead as one or more (src, tgt, score) groups, its lone sentence cut where the
    other side shows a boundary; and how many cuts were made."""
    todo, done, n_cuts = [(src, tgt, score, 0)], [], 0
    while todo:
        s, t, sc, depth = todo.pop(0)
        side = _lone(s, t)
        found = None
        if side and depth < MAX_DEPTH:
            lone, other = (s[0], t) if side == "src" else (t[0], s)
            found = _best_cut(lone, other, sc, encode, langs[side], words[side])
        if found is None:
            done.append((s, t, sc))
            continue
        first, second, r, c1, c2 = found
        n_cuts += 1
        if side == "src":
            todo[:0] = [([first], t[:r], c1, depth + 1), ([second], t[r:], c2, depth + 1)]
        else:
            todo[:0] = [(s[:r], [first], c1, depth + 1), (s[r:], [second], c2, depth + 1)]
    return done, n_cuts


def _cut_texts(lone: Sentence, other: list[Sentence], lang, words):
    """The candidate cuts of ``lone`` and the texts that judge them: each cut's two pieces,
    then the heads and the tails of ``other``; None when there is nothing to try. ``words``:
    the document's lowercase words, and the starts of its paragraphs."""
    lower, starts = words
    cuts = candidate_cuts(lone.text, lang, lower, lone.start in starts)
    if not cuts or len(cuts) > MAX_CUTS:
        return None
    k = len(other)
    pieces = [p for c, e in cuts for p in (lone.text[:c], lone.text[e:])]
    heads = [" ".join(x.text for x in other[:r]) for r in range(1, k)]
    tails = [" ".join(x.text for x in other[r:]) for r in range(1, k)]
    return cuts, pieces + heads + tails


def _best_cut(lone: Sentence, other: list[Sentence], score, encode, lang, words):
    """The cut of ``lone`` and the split of ``other`` after its r-th sentence whose weaker
    piece matches best, if it matches well enough: (first, second, r, cos1, cos2) or None."""
    found = _cut_texts(lone, other, lang, words)
    if found is None:
        return None
    cuts, texts = found
    k, n = len(other), 2 * len(cuts)
    vecs = encode(texts)
    p, h, t = vecs[:n], vecs[n : n + k - 1], vecs[-(k - 1) :]
    first = p[0::2] @ h.T  # cuts x (k - 1)
    second = p[1::2] @ t.T
    weaker = np.minimum(first, second)
    ci, ri = np.unravel_index(int(np.argmax(weaker)), weaker.shape)
    if weaker[ci, ri] < max(RESPLIT_FLOOR, score - RESPLIT_DROP):
        return None
    c, e = cuts[ci]
    a = Sentence(lone.text[:c], lone.start, lone.start + c, lone.para)
    b = Sentence(lone.text[e:], lone.start + e, lone.end, lone.para)
    return a, b, int(ri) + 1, float(first[ci, ri]), float(second[ci, ri])


def candidate_cuts(
    text: str, lang: str, words: set[str] = frozenset(), opens_paragraph: bool = False
) -> list[tuple[int, int]]:
    """Plausible sentence boundaries inside ``text`` as (end of the first piece, start of the
    second). ``words`` (English): words the document also writes in lower case, so that a
    capital after a lowercase word starts a sentence rather than a name; in a sentence that
    opens its paragraph (``opens_paragraph``), where a headline stands, any capital may."""
    found = []
    if lang.lower().startswith("ko"):
        found = [(m.end(1), m.end()) for m in _HANGUL_END.finditer(text)]
    else:
        for m in _LATIN_END.finditer(text):
            before = text[: m.start()].rsplit(None, 1)[-1] if text[: m.start()].strip() else ""
            nxt = text[m.end() :].lstrip("\"'“‘([").split(None, 1)[0] if text[m.end() :] else ""
            # "Arizona Sen. Jeff Flake": a short word before the period and a name after it
            if len(before.strip(".")) <= 3 and nxt.lower() not in words and _is_english(lang):
                continue
            found.append((m.end(1), m.end()))
        if _is_english(lang):
            for m in _HEADLINE_END.finditer(text):
                if m.group(1) not in _FUNCTION_WORDS and (
                    opens_paragraph or m.group(2).lower() in words
                ):
                    found.append((m.end(1), m.end()))
    return sorted((c, e) for c, e in set(found) if c >= MIN_PIECE and len(text) - e >= MIN_PIECE)


def _join_wrong_cut(src, tgt, langs, texts):
    """Two or more sentences of one paragraph against one where a sentence stops on no
    sentence end: joined (returns src, tgt, 1 if joined else 0)."""
    for side, lone, many in (("src", tgt, src), ("tgt", src, tgt)):
        if len(lone) != 1 or len(many) < 2 or len({x.para for x in many}) > 1:
            continue
        if not all(_ends(x.text, langs[side]) for x in many[:-1]):
            start, end = many[0].start, many[-1].end
            joined = Sentence(texts[side][start:end], start, end, many[0].para)
            return ([joined], tgt, 1) if side == "src" else (src, [joined], 1)
    return src, tgt, 0


def _ends(text: str, lang: str) -> bool:
    text = text.rstrip()
    if text.endswith(_TERMINAL):
        return True
    return (
        bool(text)
        and lang.lower().startswith("ko")
        and (text[-1] in _HANGUL_FINAL or not is_hangul(text[-1]))
    )


def _is_english(lang: str) -> bool:
    return lang.lower().split("-")[0] == "en"


def _lowercase_words(sentences: list[Sentence], lang: str) -> set[str]:
    if not _is_english(lang):
        return set()
    return {w for s in sentences for w in re.findall(r"\b[a-z][a-z']*\b", s.text)}


def _paragraph_starts(sentences: list[Sentence]) -> set[int]:
    """Offsets of the sentences that open a paragraph."""
    return {s.start for k, s in enumerate(sentences) if k == 0 or sentences[k - 1].para != s.para}
