"""The checks every aligning entry point makes on its two inputs, in one place.

``aligner align``, ``aligner batch``, the review editor and mining all read through here, so a
Korean file given as the English side, a damaged UTF-8 file or an empty side is caught the same
way, with the same one-line message, whichever door the user came in by.
"""

from __future__ import annotations

import logging
from pathlib import Path

from ..errors import AlignerError
from .decode import Decoded, read_text
from .script import check_pair

_log = logging.getLogger("aligner")


def _how(side: Decoded) -> str:
    return side.encoding if side.format == "text" else f"{side.format} ({len(side.regions)} blocks)"


def side_warnings(name: str, side: Decoded) -> list[str]:
    """What the user should hear about one input that is readable but not clean."""
    if side.replaced:
        return [f"{name}: {side.replaced} undecodable bytes replaced by U+FFFD (damaged UTF-8)."]
    return []


def read_pair(
    src_path: str | Path, tgt_path: str | Path, *, src_lang: str = "en", tgt_lang: str = "ko",
    encoding: str | None = None, force: bool = False,
) -> tuple[Decoded, Decoded, list[str]]:  # fmt: skip
    """Read both files and check them; returns (source, target, warnings).

    Both empty is an error; one empty side, a side that is not in its language, or two
    swapped sides are errors unless ``force`` (they are almost always a mistake: the wrong file
    given); with ``force``, one empty side is a warning and every sentence of the other side is
    reported unaligned. Standard input (``-``) can be read once, so only one side may be ``-``.
    """
    src_name, tgt_name = str(src_path), str(tgt_path)
    if src_name == "-" and tgt_name == "-":
        raise AlignerError(
            "only one input can be '-' (standard input is read once); give the other as a file."
        )
    src = read_text(src_path, encoding, lang=src_lang)
    tgt = read_text(tgt_path, encoding, lang=tgt_lang)
    _log.info("%s: %s; %s: %s", src_name, _how(src), tgt_name, _how(tgt))
    warnings = check_texts(src.text, tgt.text, src_lang=src_lang, tgt_lang=tgt_lang,
                           src_name=src_name, tgt_name=tgt_name, force=force)  # fmt: skip
    return src, tgt, side_warnings(src_name, src) + side_warnings(tgt_name, tgt) + warnings


def check_texts(
    src_text: str, tgt_text: str, *, src_lang: str = "en", tgt_lang: str = "ko",
    src_name: str = "source", tgt_name: str = "target", force: bool = False,
) -> list[str]:  # fmt: skip
    """The checks of :func:`read_pair` on texts already in memory (a batch table holds them);
    returns the warnings, raises AlignerError for a pair that cannot be aligned."""
    if not src_text.strip() and not tgt_text.strip():
        raise AlignerError(f"{src_name} and {tgt_name} are both empty: nothing to align.")
    warnings = []
    for name, text in ((src_name, src_text), (tgt_name, tgt_text)):
        if text.strip():
            continue
        if not force:
            raise AlignerError(
                f"{name} is empty, so every sentence of the other file would be unaligned; "
                "give the right file, or pass --force to align anyway."
            )
        warnings.append(f"{name} is empty: every sentence of the other file is reported unaligned.")
    if not force:
        check_pair(src_text, tgt_text, src_lang, tgt_lang, src_name, tgt_name)
    return warnings
