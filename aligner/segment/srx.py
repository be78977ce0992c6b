"""SRX 2.0 segmentation rules (the format CAT tools share: OmegaT, Trados, memoQ, Okapi), so a
memory's source segments are the segments the CAT tool will show.

The file is parsed with lxml; the rules are regular expressions (ICU/Java syntax, run with the
``regex`` module, which knows ``\\p{Lu}`` and inline flags). At each position between two
characters the first rule, in file order, whose ``beforebreak`` matches up to the position and
whose ``afterbreak`` matches from it decides: break or no break; no rule, no break. With
``cascade="yes"`` the rules of every language map that matches the language are used, in map
order; otherwise those of the first. Segments are trimmed of surrounding whitespace, as CAT
tools show them.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ..errors import AlignerError
from .base import Sentence
from .lines import paragraph_spans, trim_span

SRX_NS = "http://www.lisa.org/srx20"


@dataclass(frozen=True)
class SrxRule:
    brk: bool
    before: object | None  # compiled regex, None = matches everywhere
    after: object | None


@dataclass(frozen=True)
class SrxRules:
    """A parsed SRX file: rules by language-rule name, language maps in order, cascade."""

    rules: dict[str, tuple[SrxRule, ...]]
    maps: tuple[tuple[object, str], ...]  # (compiled language pattern, language rule name)
    cascade: bool
    id: str  # file name and content hash, for signatures

    def for_language(self, lang: str) -> list[SrxRule]:
        out: list[SrxRule] = []
        for pattern, name in self.maps:
            if pattern.fullmatch(lang) or pattern.fullmatch(lang.upper()):
                out.extend(self.rules.get(name, ()))
                if not self.cascade:
                    break
        return out


def _compile(pattern: str | None, where: str):
    import regex

    if pattern is None or pattern == "":
        return None
    try:
        return regex.compile(pattern, regex.V1)
    except regex.error as e:
        raise AlignerError(f"{where}: bad regular expression {pattern!r} ({e}).") from None


# Rules shipped with the package, by the name --srx takes for them.
BUNDLED = {"omegat": "omegat-english.srx"}


def resolve_srx(srx: str | Path | SrxRules) -> SrxRules:
    """Rules from parsed rules, a bundled name ('omegat': OmegaT 3.6's default English
    segmentation, mirrored) or an SRX file."""
    if isinstance(srx, SrxRules):
        return srx
    if str(srx) in BUNDLED and not Path(srx).exists():
        return load_srx(Path(__file__).resolve().parent.parent / "data" / BUNDLED[str(srx)])
    return load_srx(srx)


def load_srx(path: str | Path) -> SrxRules:
    """Read an SRX 2.0 file; a file that is not SRX is one clear error."""
    return _load(str(Path(path).resolve()))


@lru_cache(maxsize=8)
def _load(path: str) -> SrxRules:
    from lxml import etree

    try:
        data = Path(path).read_bytes()
        root = etree.fromstring(data, parser=etree.XMLParser(resolve_entities=False))
    except FileNotFoundError:
        raise AlignerError(
            f"{path}: no such SRX file (give a path, or 'omegat' for the bundled rules)."
        ) from None
    except OSError as e:
        raise AlignerError(f"{path}: cannot read ({e.strerror}).") from None
    except etree.XMLSyntaxError as e:
        raise AlignerError(f"{path}: not an SRX file (XML error: {e}).") from None
    if etree.QName(root).localname != "srx":
        raise AlignerError(f"{path}: not an SRX file (the root element is not <srx>).")
    ns = {"s": etree.QName(root).namespace or ""}
    q = "s:" if ns["s"] else ""
    header = root.find(f"{q}header", ns)
    cascade = header is not None and header.get("cascade", "no").lower() in ("yes", "true")
    rules = {}
    for lr in root.iterfind(f".//{q}languagerule", ns):
        name = lr.get("languagerulename", "")
        where = f"{path}: language rule {name!r}"
        rules[name] = tuple(
            SrxRule(r.get("break", "yes").lower() != "no",
                    _compile(r.findtext(f"{q}beforebreak", namespaces=ns), where),
                    _compile(r.findtext(f"{q}afterbreak", namespaces=ns), where))
            for r in lr.iterfind(f"{q}rule", ns)
        )  # fmt: skip
    maps = tuple(
        (_compile(m.get("languagepattern", ".*"), f"{path}: language map"),
         m.get("languagerulename", ""))
        for m in root.iterfind(f".//{q}languagemap", ns)
    )  # fmt: skip
    if not maps:
        raise AlignerError(f"{path}: no <languagemap> in this SRX file: no rule applies.")
    digest = hashlib.sha256(data).hexdigest()[:8]
    return SrxRules(rules, maps, cascade, f"srx:{Path(path).stem}-{digest}")


def break_positions(text: str, rules: list[SrxRule]) -> list[int]:
    """Where the text breaks: each position is decided by the first rule that matches it."""
    decided: dict[int, bool] = {}
    for rule in rules:
        for pos in _candidates(text, rule):
            if 0 < pos < len(text) and pos not in decided:
                decided[pos] = rule.brk
    return sorted(p for p, brk in decided.items() if brk)


def _candidates(text: str, rule: SrxRule):
    if rule.before is None and rule.after is None:
        return
    if rule.before is None:
        for pos in range(len(text) + 1):
            if rule.after.match(text, pos):
                yield pos
        return
    for m in rule.before.finditer(text):
        pos = m.end()
        if rule.after is None or rule.after.match(text, pos):
            yield pos


def split_srx(text: str, lang: str, rules: SrxRules) -> list[Sentence]:
    """Segments as the CAT tool makes them: paragraphs at blank lines (its text filter's
    default), each cut where the rules say, line breaks inside kept."""
    applicable = rules.for_language(lang)
    out: list[Sentence] = []
    for ps, pe in paragraph_spans(text):
        block = text[ps:pe]
        cuts = [0, *break_positions(block, applicable), len(block)]
        para = out[-1].para + 1 if out else 0
        spans = (trim_span(block, s, e) for s, e in zip(cuts, cuts[1:], strict=False))
        out += [Sentence(block[s:e], ps + s, ps + e, para) for s, e in spans if e > s]
    return out
