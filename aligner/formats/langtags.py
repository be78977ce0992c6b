"""Language tags (BCP 47), checked with ``langcodes`` before any work starts.

A TMX whose ``xml:lang`` is ``en_US`` or ``ko kr`` is rejected by CAT tools (and by our own
``aligner validate``), so every language code the user gives is checked up front and a
mistyped one is refused with the corrected form suggested.
"""

from __future__ import annotations

import langcodes


def valid_language_tag(tag: str | None) -> bool:
    """A well-formed, registered BCP 47 tag (``langcodes`` alone also takes ``en_US``)."""
    if not tag or "_" in tag or any(c.isspace() for c in tag):
        return False
    try:
        return bool(langcodes.tag_is_valid(tag))
    except (ValueError, langcodes.LanguageTagError):
        return False


def suggest_tag(tag: str) -> str | None:
    """The standard form of a mistyped tag (``en_US`` → ``en-US``), or None."""
    try:
        fixed = langcodes.standardize_tag(tag.strip().replace("_", "-").replace(" ", "-"))
    except (ValueError, langcodes.LanguageTagError):
        return None
    return fixed if valid_language_tag(fixed) else None


def tag_problem(tag: str) -> str | None:
    """Why ``tag`` is not usable, with the fix when there is one; None when it is fine."""
    if valid_language_tag(tag):
        return None
    fix = suggest_tag(tag)
    hint = f"; did you mean {fix!r}?" if fix else " (e.g. en, ko, en-US, ko-KR)"
    return f"{tag!r} is not a BCP 47 language tag{hint}"
