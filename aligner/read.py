"""Decode and normalise input text so that splitting and offsets work on one canonical form."""

from __future__ import annotations

import codecs
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from .errors import AlignerError

# Characters that look like spaces (or nothing) to a reader but confuse splitters.
_SPACE_LIKE = {
    "\u00a0": " ",  # no-break space
    "\u2007": " ",
    "\u202f": " ",
    "\u3000": " ",  # ideographic space
    "\u200b": "",  # zero-width space
    "\u200c": "",
    "\u200d": "",
    "\u2060": "",
    "\ufeff": "",  # stray BOM inside text
    "\u000b": "\n",  # vertical tab (Word line break)
    "\u000c": "\n",  # form feed (page break from PDF converters)
    "\u2028": "\n",
    "\u2029": "\n\n",
}
_TRANSLATE = str.maketrans(_SPACE_LIKE)

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str


def normalize_text(text: str) -> str:
    """NFC, '\\n' line ends, odd spaces folded: the form every offset refers to."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = text.translate(_TRANSLATE)
    return unicodedata.normalize("NFC", text)


def decode_bytes(data: bytes, name: str = "input", encoding: str | None = None) -> Decoded:
    """Decode bytes: explicit encoding, else BOM, else UTF-8, else a detected legacy encoding."""
    if encoding:
        try:
            return Decoded(data.decode(encoding), encoding)
        except LookupError:
            raise AlignerError(f"{name}: unknown encoding '{encoding}'.") from None
        except UnicodeDecodeError as e:
            raise AlignerError(
                f"{name}: not valid {encoding} (byte {e.start}); check --encoding."
            ) from None
    for bom, enc in _BOMS:
        if data.startswith(bom):
            try:
                return Decoded(data.decode(enc), enc.replace("-sig", ""))
            except UnicodeDecodeError:
                break
    if b"\x00" in data[:4096]:
        raise AlignerError(
            f"{name}: looks like a binary file (NUL bytes), not text; give a plain-text file."
        )
    try:
        return Decoded(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None or best.encoding is None:
        raise AlignerError(
            f"{name}: cannot tell the text encoding; convert it to UTF-8 or pass --encoding."
        )
    enc = best.encoding
    # CP949 is a superset of EUC-KR: prefer it so extended Hangul syllables decode.
    if enc in ("euc_kr", "euc-kr"):
        enc = "cp949"
    try:
        return Decoded(data.decode(enc), enc)
    except UnicodeDecodeError:
        raise AlignerError(
            f"{name}: cannot decode as {enc}; convert it to UTF-8 or pass --encoding."
        ) from None


def read_text(path: str | Path, encoding: str | None = None) -> Decoded:
    """Read a file as normalised text; user mistakes become one-line AlignerErrors."""
    p = Path(path)
    if str(path) == "-":
        import sys

        data = sys.stdin.buffer.read()
    else:
        if not p.exists():
            raise AlignerError(f"{path}: no such file.")
        if p.is_dir():
            raise AlignerError(f"{path}: is a folder, not a text file.")
        try:
            data = p.read_bytes()
        except OSError as e:
            raise AlignerError(f"{path}: cannot read ({e.strerror}).") from None
    decoded = decode_bytes(data, str(path), encoding)
    return Decoded(normalize_text(decoded.text), decoded.encoding)
