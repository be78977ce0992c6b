"""The batch manifest: one pair per line, ``src_path<TAB>tgt_path[<TAB>name]``.

Relative paths are resolved against the manifest's folder; blank lines and lines starting with
``#`` are ignored; every mistake is one line naming the file and line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from ..errors import AlignerError

SUMMARY = "summary.tsv"


@dataclass(frozen=True)
class Pair:
    """One pair to align: where the texts are (or the texts themselves, from a table), its
    id (which names its output), the line or row it came from (for messages) and, from a
    table, languages that differ from the run's."""

    src: Path | None
    tgt: Path | None
    name: str
    line: int
    # a table's pair may carry its texts and languages itself
    src_text: str | None = None
    tgt_text: str | None = None
    src_lang: str | None = None
    tgt_lang: str | None = None

    @property
    def inline(self) -> bool:
        return self.src_text is not None


_NAME_OK = re.compile(r"^[\w.\-]+$")


def file_name_ok(name: str) -> bool:
    """Whether a pair id can name an output file as it is."""
    return bool(_NAME_OK.match(name)) and name not in (".", "..", Path(SUMMARY).stem)


def _default_name(src: Path, base: Path) -> str:
    try:
        rel = src.resolve().relative_to(base.resolve())
    except ValueError:
        rel = Path(src.parent.name) / src.name
    stem = rel.with_suffix("") if rel.suffix else rel
    return re.sub(r"[^\w.\-]+", "_", "_".join(stem.parts)).strip("_") or "pair"


def read_manifest(path: str | Path) -> list[Pair]:
    """Parse and check a manifest; every mistake is an AlignerError naming file and line."""
    mpath = Path(path)
    if not mpath.is_file():
        raise AlignerError(f"{path}: no such manifest file.")
    try:
        lines = mpath.read_text(encoding="utf-8-sig").splitlines()
    except UnicodeDecodeError:
        raise AlignerError(f"{path}: the manifest must be UTF-8 text.") from None
    base = mpath.parent.absolute()  # workers may run elsewhere: they get absolute paths
    pairs: list[Pair] = []
    seen: dict[str, int] = {}
    for no, raw in enumerate(lines, 1):
        line = raw.rstrip("\r")
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        cols = [c.strip() for c in line.split("\t")]
        where = f"{path}:{no}"
        if len(cols) not in (2, 3) or not cols[0] or not cols[1]:
            raise AlignerError(
                f"{where}: expected 'src_path<TAB>tgt_path[<TAB>name]', got {len(cols)} "
                f"tab-separated field(s): {line[:80]!r}"
            )
        src, tgt = (Path(c) if Path(c).is_absolute() else base / c for c in cols[:2])
        for p in (src, tgt):
            if not p.is_file():
                raise AlignerError(f"{where}: {p}: no such file.")
        name = cols[2] if len(cols) == 3 and cols[2] else _default_name(src, base)
        if not _NAME_OK.match(name) or name in (".", ".."):  # names in a manifest name files
            raise AlignerError(
                f"{where}: name {name!r} may only contain letters, digits, '.', '-' and '_'."
            )
        if name == Path(SUMMARY).stem:
            raise AlignerError(f"{where}: the name {name!r} is reserved for the summary file.")
        if name in seen:
            raise AlignerError(
                f"{where}: the output name {name!r} is already used on line {seen[name]}; "
                "give one of them a name in a third column."
            )
        seen[name] = no
        pairs.append(Pair(src, tgt, name, no))
    if not pairs:
        raise AlignerError(f"{path}: the manifest lists no pairs.")
    return pairs


def output_path(outdir: str | Path, pair: Pair, fmt: str) -> Path:
    return Path(outdir) / f"{pair.name}.{fmt}"
