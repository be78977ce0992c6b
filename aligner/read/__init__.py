"""Reading input: bytes to normalised text (encodings, BOMs, damaged UTF-8), the script checks
that catch a file given on the wrong side, and bilingual pages split into their two texts."""

from __future__ import annotations

from .decode import Decoded, decode_bytes, normalize_text, read_text
from .pair import check_texts, read_pair, side_warnings
from .script import check_language, check_pair, hangul_share, is_hangul, language_mismatch

__all__ = [
    "Decoded",
    "check_language",
    "check_pair",
    "check_texts",
    "decode_bytes",
    "hangul_share",
    "is_hangul",
    "language_mismatch",
    "normalize_text",
    "read_pair",
    "read_text",
    "side_warnings",
]
