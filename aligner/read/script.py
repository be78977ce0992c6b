"""Which writing system a text is in, so that a Korean file on the English side is caught early.

A wrong-side file does not crash the aligner: it silently produces an alignment of nonsense.
Counting letters by script is enough to tell Hangul from Latin text (Korean news text holds a
few per cent Latin acronyms; English text holds no Hangul). Hangul and ASCII letters, almost
every letter of our texts, are counted by regular expressions; only the rest goes through
:func:`letter_script` one by one (a book's 200k characters: ~10 ms, not 80).
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter

from ..errors import AlignerError

# Language code (first part, lower case) → the script its text is written in.
_LANG_SCRIPT = {
    "ko": "Hangul",
    "ja": "Japanese",
    "zh": "Han",
    "ru": "Cyrillic",
    "uk": "Cyrillic",
    "bg": "Cyrillic",
    "ar": "Arabic",
    "fa": "Arabic",
    "he": "Hebrew",
    "el": "Greek",
    "th": "Thai",
    "hi": "Devanagari",
}
_LATIN_LANGS = set(
    "en de fr es it pt nl sv da no nb nn fi et lv lt pl cs sk sl hr sr bs hu ro tr id ms vi "
    "tl ca eu gl ga cy is mt sq af sw".split()
)
_NAMES = {"ko": "Korean", "en": "English", "ja": "Japanese", "zh": "Chinese"}

MIN_LETTERS = 20  # below this, too little text to judge
MIN_SHARE = 0.2  # the expected script must have at least this share of letters …
OTHER_SHARE = 0.5  # … unless no other script dominates (mixed text is not a mistake)
# Characters looked at: a book's first 200k characters tell its script as well as all of it.
SCRIPT_SAMPLE = 200_000


def letter_script(ch: str) -> str | None:
    """The script of one letter (None for digits, punctuation, symbols, spaces)."""
    o = ord(ch)
    if 0xAC00 <= o <= 0xD7A3 or 0x1100 <= o <= 0x11FF or 0x3130 <= o <= 0x318F:
        return "Hangul"
    if o < 0x80:
        return "Latin" if ch.isalpha() else None
    if not ch.isalpha():
        return None
    if 0x3040 <= o <= 0x30FF or 0x31F0 <= o <= 0x31FF:
        return "Japanese"
    if 0x4E00 <= o <= 0x9FFF or 0x3400 <= o <= 0x4DBF or 0xF900 <= o <= 0xFAFF:
        return "Han"
    try:
        name = unicodedata.name(ch)
    except ValueError:
        return "Other"
    name = name.removeprefix("FULLWIDTH ")
    for script in ("LATIN", "CYRILLIC", "ARABIC", "HEBREW", "GREEK", "THAI", "DEVANAGARI"):
        if name.startswith(script):
            return script.capitalize()
    return "Other"


_HANGUL_RANGES = "\uac00-\ud7a3\u1100-\u11ff\u3130-\u318f"
_HANGUL_CHAR = re.compile(f"[{_HANGUL_RANGES}]")
_ASCII_LETTER = re.compile("[A-Za-z]")
_OTHER_CHAR = re.compile(f"[^\\x00-\\x7f{_HANGUL_RANGES}]")


def script_counts(text: str) -> Counter:
    """Letters per script in ``text`` (what :func:`letter_script` says of each character)."""
    counts = Counter(s for s in map(letter_script, _OTHER_CHAR.findall(text)) if s)
    for script, pattern in (("Hangul", _HANGUL_CHAR), ("Latin", _ASCII_LETTER)):
        n = len(pattern.findall(text))
        if n:
            counts[script] += n
    return counts


def is_hangul(ch: str) -> bool:
    """A Hangul syllable or jamo: the one Hangul test of the package."""
    return letter_script(ch) == "Hangul"


def hangul_share(text: str) -> float:
    """Share of Hangul among the Hangul and Latin letters of ``text`` (0 when there are none):
    how bilingual pages send a line to the Korean or the English side."""
    hangul = len(_HANGUL_CHAR.findall(text))
    latin = len(_ASCII_LETTER.findall(text))
    latin += sum(letter_script(c) == "Latin" for c in _OTHER_CHAR.findall(text))
    total = hangul + latin
    return hangul / total if total else 0.0


def script_shares(text: str, limit: int = SCRIPT_SAMPLE) -> dict[str, float]:
    """Share of letters per script over the first ``limit`` characters (empty: no letters)."""
    counts = script_counts(text[:limit])
    total = sum(counts.values())
    return {s: n / total for s, n in counts.most_common()} if total else {}


def expected_script(lang: str) -> str | None:
    """The script a language code implies, or None when we do not know the language."""
    code = lang.lower().replace("_", "-").split("-")[0]
    if code in _LANG_SCRIPT:
        return _LANG_SCRIPT[code]
    if code in _LATIN_LANGS:
        return "Latin"
    return None


def language_mismatch(text: str, lang: str) -> str | None:
    """If ``text`` is clearly not in ``lang``'s script, say what it looks like; else None."""
    want = expected_script(lang)
    if want is None:
        return None
    counts = script_counts(text[:SCRIPT_SAMPLE])
    total = sum(counts.values())
    if total < MIN_LETTERS:
        return None
    share = counts[want] / total
    if want == "Japanese":  # Japanese mixes kana with Han characters
        share += counts["Han"] / total
    top, top_n = counts.most_common(1)[0]
    if share >= MIN_SHARE or top == want or top_n / total < OTHER_SHARE:
        return None
    return f"{top} {100 * top_n / total:.0f}% of letters, {want} {100 * share:.0f}%"


def check_language(text: str, lang: str, name: str = "input", option: str = "") -> None:
    """Raise AlignerError when ``text`` is written in another script than ``lang`` uses.

    ``name`` is the file (or side) to name in the message, ``option`` the flag that sets its
    language (e.g. ``--src-lang``), so that the message says what to do.
    """
    found = language_mismatch(text, lang)
    if found is None:
        return
    label = _NAMES.get(lang.lower().split("-")[0], lang)
    fix = f"swap the files or set {option}" if option else "swap the inputs or fix the language"
    raise AlignerError(
        f"{name}: does not look like {label} ({found}); {fix}, or pass --force to align anyway."
    )


def check_pair(
    src_text: str,
    tgt_text: str,
    src_lang: str = "en",
    tgt_lang: str = "ko",
    src_name: str = "source",
    tgt_name: str = "target",
) -> None:
    """Check both sides; when each looks like the other's language, say they are swapped."""
    src_bad = language_mismatch(src_text, src_lang)
    tgt_bad = language_mismatch(tgt_text, tgt_lang)
    if src_bad and tgt_bad and not language_mismatch(src_text, tgt_lang):
        if not language_mismatch(tgt_text, src_lang):
            raise AlignerError(
                f"{src_name} and {tgt_name} look swapped ({src_name}: {src_bad}); give the "
                f"{_NAMES.get(src_lang, src_lang)} file first, or pass --force to align anyway."
            )
    check_language(src_text, src_lang, src_name, "--src-lang")
    check_language(tgt_text, tgt_lang, tgt_name, "--tgt-lang")
