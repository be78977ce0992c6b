"""Decode and normalise input text so that splitting and offsets work on one canonical form."""

from __future__ import annotations

import codecs
import errno
import os
import stat
import sys
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from ..errors import AlignerError

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


# Formats people pass by mistake: the first bytes say what the file is and what to do instead.
_MAGIC = (
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"%PDF-", "a PDF; read it as a file (aligner reads .pdf files with a text layer)"),
    (b"PK\x03\x04", "a zip archive (.docx/.odt are read as files, not as text)"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Office file (.doc); save it as .docx"),
    (b"{\\rtf", "an RTF document; save it as plain text"),
    (b"\x1f\x8b", "gzip-compressed; decompress it first"),
    (b"\x7fELF", "a program, not text"),
)


@dataclass(frozen=True)
class Decoded:
    """A file as normalised text; documents (DOCX, HTML, SRT...) also say where each of their
    blocks sits in it (``regions``: paragraphs, headings, cues with their timing)."""

    text: str
    encoding: str
    replaced: int = 0  # undecodable bytes replaced by U+FFFD (a damaged UTF-8 file)
    format: str = "text"
    regions: tuple = ()


def normalize_text(text: str) -> str:
    """NFC, '\\n' line ends, odd spaces folded: the form every offset refers to."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = text.translate(_TRANSLATE)
    return unicodedata.normalize("NFC", text)


def check_not_binary(data: bytes, name: str = "input") -> None:
    """Refuse images, archives, PDFs and other non-text files with a message naming the file."""
    for magic, what in _MAGIC:
        if data.startswith(magic):
            raise AlignerError(f"{name}: not a text file ({what}).")


def _utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 without a BOM shows as NUL bytes on every other position (ASCII-heavy text)."""
    if len(data) < 4 or len(data) % 2:
        return None
    # Spaces, digits and line ends give (byte, 0) in little-endian: NULs on odd positions.
    even, odd = data[0::2].count(0), data[1::2].count(0)
    half = len(data) // 2
    if odd > 0.01 * half and odd > 4 * even:
        enc = "utf-16-le"
    elif even > 0.01 * half and even > 4 * odd:
        enc = "utf-16-be"
    else:
        return None
    try:
        text = data.decode(enc)
    except UnicodeDecodeError:
        return None
    return enc if "\x00" not in text else None


def _damaged_utf8(data: bytes) -> Decoded | None:
    """UTF-8 with a few broken bytes (a file cut mid-character, one bad byte) stays UTF-8.

    Guessing a legacy encoding for it would turn every correct character into mojibake; replacing
    the few bad bytes keeps the rest. Needs many valid non-ASCII characters per bad byte.
    """
    text = data.decode("utf-8", errors="replace")
    bad = text.count("\ufffd") - data.count("\ufffd".encode())
    good = sum(1 for c in text if ord(c) > 127) - text.count("\ufffd")
    if 0 < bad and bad * 20 <= good:
        return Decoded(text, "utf-8", replaced=bad)
    return None


# When a common encoding fits about as well as the detector's best guess, the common one
# wins (charset-normalizer alone calls short French cp1252 text mac_latin2).
_COMMON = (
    "cp949", "euc_kr", "cp1252", "latin_1", "cp1251", "cp932", "shift_jis", "euc_jp",
    "euc_jis_2004", "euc_jisx0213", "gb18030", "gbk", "big5", "cp1250", "iso8859_15", "koi8_r",
    "cp1253", "cp1254", "cp1255", "cp1256", "cp1257", "cp874",
)  # fmt: skip


def _detect(data: bytes) -> str | None:
    from charset_normalizer import from_bytes

    matches = [m for m in from_bytes(data) if m.encoding]
    if not matches:
        return None
    best = matches[0]

    def rank(m) -> int:
        return min((_COMMON.index(c) for c in m.could_be_from_charset if c in _COMMON),
                   default=len(_COMMON))  # fmt: skip

    close = [
        m for m in matches
        if m.chaos <= best.chaos + 0.15 and m.coherence >= best.coherence - 0.05
    ]  # fmt: skip
    pick = min(close, key=rank)
    return pick.encoding if rank(pick) < len(_COMMON) else best.encoding


def decode_bytes(data: bytes, name: str = "input", encoding: str | None = None) -> Decoded:
    """Decode bytes: explicit encoding, else BOM, else UTF-8, else a detected legacy encoding."""
    check_not_binary(data, name)
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
    nul = data.find(b"\x00")
    if nul != -1:
        enc = _utf16_without_bom(data)
        if enc:
            return Decoded(data.decode(enc), enc)
        raise AlignerError(
            f"{name}: looks like a binary file (NUL byte at offset {nul}), not text; "
            "give a plain-text file (or pass --encoding if it is UTF-16/32 without a BOM)."
        )
    try:
        return Decoded(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError:
        pass
    damaged = _damaged_utf8(data)
    if damaged is not None:
        return damaged
    enc = _detect(data)
    if enc is None:
        raise AlignerError(
            f"{name}: cannot tell the text encoding; convert it to UTF-8 or pass --encoding."
        )
    # CP949 is a superset of EUC-KR: prefer it so extended Hangul syllables decode.
    if enc in ("euc_kr", "euc-kr"):
        enc = "cp949"
    try:
        return Decoded(data.decode(enc), enc)
    except UnicodeDecodeError:
        raise AlignerError(
            f"{name}: cannot decode as {enc}; convert it to UTF-8 or pass --encoding."
        ) from None


# Inputs larger than this are refused up front: the aligner holds a text (and its sentences and
# vectors) in memory, and a multi-gigabyte "text" is a disk image or a log, not a document.
MAX_INPUT_BYTES = 2 << 30
# How long a FIFO may stay without a writer before we say so (a FIFO nobody writes to would
# otherwise block forever).
FIFO_WAIT_SECONDS = 30
_CHUNK = 1 << 20


def _too_big(name: str) -> AlignerError:
    return AlignerError(
        f"{name}: larger than {MAX_INPUT_BYTES >> 30} GiB, the most one input may be; "
        "split it into documents (aligner batch) or mine it (aligner mine)."
    )


def _read_stream(f, name: str) -> bytes:
    """Read a stream to its end, at most MAX_INPUT_BYTES; a binary stream (``/dev/zero``,
    ``/dev/urandom``) is refused at its first chunk, not after gigabytes."""
    parts, total = [], 0
    while True:
        chunk = f.read(_CHUNK)
        if not chunk:
            return b"".join(parts)
        if not parts:
            check_not_binary(chunk, name)
            nul = chunk.find(b"\x00")
            if nul != -1 and _utf16_without_bom(chunk[: len(chunk) // 2 * 2]) is None:
                raise AlignerError(f"{name}: binary data (NUL byte at offset {nul}), not text.")
        total += len(chunk)
        if total > MAX_INPUT_BYTES:
            raise _too_big(name)
        parts.append(chunk)


def _read_special(path: Path) -> bytes:
    """A FIFO or device: wait (interruptibly) for a writer, then read as a bounded stream."""
    import fcntl
    import select
    import time

    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    try:
        poller = select.poll()
        poller.register(fd, select.POLLIN)
        deadline = time.monotonic() + FIFO_WAIT_SECONDS
        while not poller.poll(250):
            if time.monotonic() > deadline:
                raise AlignerError(
                    f"{path}: nothing to read after {FIFO_WAIT_SECONDS} s (a FIFO with no "
                    "writer?); start the program that writes to it first."
                )
        fcntl.fcntl(fd, fcntl.F_SETFL, fcntl.fcntl(fd, fcntl.F_GETFL) & ~os.O_NONBLOCK)
        with os.fdopen(fd, "rb", closefd=False) as f:
            return _read_stream(f, str(path))
    finally:
        os.close(fd)


def read_bytes(path: str | Path) -> bytes:
    """The bytes of an input: a file (at most MAX_INPUT_BYTES), a FIFO or device, or ``-``
    (standard input); every problem is a one-line AlignerError naming the input."""
    if str(path) == "-":
        return _read_stream(sys.stdin.buffer, "standard input")
    p = Path(path)
    try:
        st = os.stat(p)
        if stat.S_ISDIR(st.st_mode):
            raise AlignerError(f"{path}: is a folder, not a text file.")
        if not stat.S_ISREG(st.st_mode):
            return _read_special(p)
        if st.st_size > MAX_INPUT_BYTES:
            raise _too_big(str(path))
        return p.read_bytes()
    except FileNotFoundError:
        raise AlignerError(f"{path}: no such file.") from None
    except OSError as e:
        if e.errno == errno.ELOOP:
            raise AlignerError(f"{path}: a symbolic link that loops; give the real file.") from None
        reason = (e.strerror or str(e)).lower()
        raise AlignerError(f"{path}: cannot read ({reason}).") from None


def read_text(path: str | Path, encoding: str | None = None, *, lang: str | None = None) -> Decoded:
    """Read a file as normalised text; user mistakes become one-line AlignerErrors.

    Documents (.docx, .odt, .html, .md, .xliff, .tmx, .srt, .vtt, .pdf; known by content,
    then extension) become their text, with their paragraph structure in ``regions``. A
    bilingual file (an XLIFF with targets, a TMX) gives its side in ``lang``.
    """
    data = read_bytes(path)
    from .documents import detect_format, layout, pick_side, read_document

    fmt = detect_format(str(path), data)
    if fmt != "text":
        doc = read_document(fmt, data, str(path), encoding)
        text, regions = layout(pick_side(doc, lang, str(path)), normalize_text)
        return Decoded(text, doc.encoding, doc.replaced, fmt, regions)
    decoded = decode_bytes(data, str(path), encoding)
    return Decoded(normalize_text(decoded.text), decoded.encoding, decoded.replaced)
