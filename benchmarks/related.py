"""Seed-like related-article documents made from NTREX, with their gold links (fixed seeds).

The seed page pairs an English report with a Korean article written separately on the same
story: the Korean side has sentences of its own, the English side too, the shared content is
mostly in the same order with local crossings, and the sentences that do correspond are loose
(a clause of a sentence, two sentences condensed into one, a number or a name left out). This
module makes documents with those properties out of a real translation (NTREX dev, line i =
line i), so that precision and recall can be measured on hundreds of pairs instead of one page:

- **same-story distractors on both sides**: each line is kept on both sides (a true pair), on one
  side only (its partner is gone), or dropped; the two sides lose *different* sentences; pairs
  come in runs, as a related article retells passages of the report;
- **loose pairs**: a kept Korean sentence may be cut to some of its clauses, lose its numbers,
  Latin names and parentheses, take on a clause of a sentence the English side lacks, or absorb
  the next pair's sentence (two English sentences condensed into one Korean: two links);
- **echoes**: a Korean sentence elsewhere repeats a clause of a sentence the English side has,
  wrapped in other content (on the seed: the Chinese press "reporting" the meeting the lead
  describes): a same-story neighbour closer to a true pair than most;
- **partial reordering**: blocks of Korean sentences move elsewhere, neighbours swap; a few
  documents tell the story in their own order altogether (the Korean side shuffled).

Gold = the links (English index, Korean index) of the pairs that survive. The title line keeps
its place on both sides. Lines repeated in a document (a headline repeated as the first line
of the body) are kept once, as a page extraction does: otherwise a correct pair with the
repeat would count as wrong.
"""

from __future__ import annotations

import random
import re
from pathlib import Path

from perturb import _documents  # the raw NTREX dev half, one document at a time

# Share of lines kept on both sides / English only / Korean only (rest: dropped on both):
# each side keeps 60 % of the lines, 42 % of them with a partner. On the seed page about a
# third of each side's sentences have one.
P_PAIR, P_EN_ONLY, P_KO_ONLY = 0.25, 0.35, 0.35
MAX_PAIRED = 0.5  # documents where more of a side is paired are drawn again
P_STAY = 0.6  # a pair is followed by another pair (runs of 2.5 pairs on average)
# Loosening a kept pair's Korean side (independent draws, in this order).
P_CONDENSE = 0.2  # absorb the next pair's Korean sentence (both cut to some clauses)
P_CUT = 0.45  # keep only some clauses
P_STRIP = 0.3  # drop numbers, Latin words and parentheses
P_ADD = 0.20  # append a clause of a Korean sentence whose English partner was dropped
P_ECHO = 0.2  # a kept English line gets a Korean echo somewhere else
ECHO_KEEP = (0.25, 0.45)  # share of the echoed sentence an echo repeats
# Reordering of the Korean side.
BLOCK_MOVES = (1, 2)  # blocks moved per document (min, max)
P_SWAP = 0.15  # neighbours swapped
P_SHUFFLED = 0.1  # documents whose Korean side is shuffled altogether

# Clause boundaries of a Korean sentence: a comma, or a connective ending before a space.
_KO_CLAUSE = re.compile(
    r"(?:,|[가-힣](?:며|면서|지만|는데|으나|었고|았고|였고|했고|하고|해서|어서|아서))(\s+)"
)
_NUMBER = re.compile(r"\d[\d,.]*\s?[%가-힣]{0,2}")
_LATIN = re.compile(r"[A-Za-z][A-Za-z.&'-]*")
_PARENS = re.compile(r"\s*\([^()]*\)")
MIN_CLAUSE = 8  # characters: shorter pieces stay attached to their neighbour
KEEP = (0.45, 0.8)  # share of a cut sentence's characters that stays
ADD_MAX = 0.5  # an added clause is at most half as long as the sentence it joins


def clauses(sentence: str) -> list[str]:
    parts: list[str] = []
    cuts = [0, *(m.start(1) for m in _KO_CLAUSE.finditer(sentence)), len(sentence)]
    for p in (sentence[a:b].strip() for a, b in zip(cuts, cuts[1:], strict=False)):
        if parts and (len(p) < MIN_CLAUSE or len(parts[-1]) < MIN_CLAUSE):
            parts[-1] = f"{parts[-1]} {p}"
        elif p:
            parts.append(p)
    return parts


def cut(sentence: str, rng: random.Random, keep: tuple[float, float] | None = None) -> str:
    """A contiguous run of clauses holding about half to four fifths of the sentence: enough
    that a reader still sees the correspondence (shorter cuts made pairs nobody would make)."""
    keep = keep or KEEP
    parts = clauses(sentence)
    if len(parts) < 2:
        return sentence
    total = len(sentence)
    runs = [
        (a, b)
        for a in range(len(parts))
        for b in range(a + 1, len(parts) + 1)
        if (a, b) != (0, len(parts)) and keep[0] <= sum(map(len, parts[a:b])) / total <= keep[1]
    ]
    if not runs:
        return sentence
    a, b = rng.choice(runs)
    text = " ".join(parts[a:b]).rstrip(" ,")
    return text if text.endswith((".", "다", '"', "”")) else text + "."


def strip_details(sentence: str) -> str:
    out = _PARENS.sub("", sentence)
    out = _NUMBER.sub("", out)
    out = _LATIN.sub("", out)
    out = re.sub(r"\s{2,}", " ", out).strip()
    return out if len(out) >= len(sentence) / 3 else sentence


def related_document(en: list[str], ko: list[str], rng: random.Random) -> dict:
    """One seed-like document from a line-aligned translation; see the module docstring."""
    seen: set[str] = set()
    keep = [i for i, (e, k) in enumerate(zip(en, ko, strict=True))
            if not ({e.lower(), k} & seen or seen.update({e.lower(), k}))]  # fmt: skip
    en, ko = [en[i] for i in keep], [ko[i] for i in keep]
    state = _states(len(en), rng)
    spare = [ko[i] for i, s in enumerate(state) if s == "none"]  # gone from both sides
    src = [i for i, s in enumerate(state) if s in ("pair", "en")]
    units: list[tuple[str, list[int], str]] = []  # Korean sentence, English lines held, how
    echoes = _echoes(ko, state, rng)
    i = 0
    while i < len(en):
        if state[i] == "ko":
            units.append((ko[i], [], ""))
        elif state[i] == "pair":
            text, held, how = ko[i], [i], []
            nxt = i + 1 < len(en) and state[i + 1] == "pair"
            if i and nxt and rng.random() < P_CONDENSE:
                text = f"{cut(text, rng).rstrip('.')}며 {cut(ko[i + 1], rng)}"
                held.append(i + 1)
                how.append("condensed")
                i += 1
            elif i and rng.random() < P_CUT:
                text, how = cut(text, rng), how + ["cut"]
            if i and rng.random() < P_STRIP:
                text, how = strip_details(text), how + ["stripped"]
            extra = (
                [c for c in clauses(rng.choice(spare)) if len(c) <= ADD_MAX * len(text)]
                if spare
                else []
            )
            if i and extra and rng.random() < P_ADD:
                text = f"{text.rstrip('.')}며 {rng.choice(extra)}"
                how.append("added")
            units.append((text, held, "+".join(how) or "translation"))
        i += 1
    for echo in echoes:
        units.insert(rng.randrange(1, len(units) + 1), (echo, [], "echo"))
    order = _reorder(len(units), rng)
    tgt = [units[k][0] for k in order]
    pos = {line: n for n, line in enumerate(src)}
    kinds = {(pos[line], j): units[k][2] for j, k in enumerate(order) for line in units[k][1]}
    return {"src": [en[i] for i in src], "tgt": tgt, "gold": set(kinds), "kinds": kinds}


def _echoes(ko: list[str], state: list[str], rng: random.Random) -> list[str]:
    """Korean sentences repeating part of a line the English side keeps, plus other content."""
    others = [ko[i] for i, s in enumerate(state) if s in ("ko", "none")]
    out = []
    for i, s in enumerate(state):
        if i and s in ("pair", "en") and others and rng.random() < P_ECHO:
            part = cut(ko[i], rng, ECHO_KEEP)
            if part != ko[i]:
                out.append(f"{rng.choice(clauses(rng.choice(others))).rstrip('.')}며 {part}")
    return out


def _states(n: int, rng: random.Random) -> list[str]:
    """Where each line is kept (pair, en, ko, none): pairs come in runs (a related article
    retells whole passages of the report, then goes its own way), ``P_PAIR`` of the lines in
    the long run; redrawn until at most ``MAX_PAIRED`` of each side's sentences have a partner
    (a related article, not a translation with gaps)."""
    enter = P_PAIR * (1 - P_STAY) / (1 - P_PAIR)  # keeps the share of pairs at P_PAIR
    rest = [P_EN_ONLY, P_KO_ONLY, 1 - P_PAIR - P_EN_ONLY - P_KO_ONLY]
    for _ in range(100):
        state = ["pair"]
        for _ in range(n - 1):
            if rng.random() < (P_STAY if state[-1] == "pair" else enter):
                state.append("pair")
            else:
                state.append(rng.choices(["en", "ko", "none"], rest)[0])
        pairs = state.count("pair")
        if pairs >= 2 and all(pairs <= MAX_PAIRED * (pairs + state.count(side))
                              for side in ("en", "ko")):  # fmt: skip
            return state
    return state


def _reorder(n: int, rng: random.Random) -> list[int]:
    """Korean order: the title stays first; blocks of 1-3 sentences move, neighbours swap."""
    order = list(range(1, n))
    if rng.random() < P_SHUFFLED:
        rng.shuffle(order)
        return [0, *order] if n else []
    for _ in range(rng.randint(*BLOCK_MOVES)):
        if len(order) < 4:
            break
        size = rng.randint(1, 3)
        a = rng.randrange(0, len(order) - size + 1)
        block, order = order[a : a + size], order[:a] + order[a + size :]
        b = rng.randrange(0, len(order) + 1)
        order = order[:b] + block + order[b:]
    for k in range(len(order) - 1):
        if rng.random() < P_SWAP:
            order[k], order[k + 1] = order[k + 1], order[k]
    return [0, *order] if n else []


def related_set(raw: Path, seed: int = 1, min_lines: int = 12) -> list[dict]:
    """Every NTREX dev document (``min_lines`` lines or more) made seed-like, seeded."""
    out = []
    for k, (doc_id, en, ko) in enumerate(_documents(raw)):
        if len(en) < min_lines:
            continue
        doc = related_document(en, ko, random.Random(f"{seed}:{k}"))
        out.append({"id": doc_id, **doc})
    return out
