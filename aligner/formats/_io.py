"""Atomic output: a half-written file must never look complete."""

from __future__ import annotations

import os
import sys
import tempfile
from contextlib import contextmanager
from pathlib import Path

from ..errors import AlignerError


@contextmanager
def atomic_path(path: str | Path):
    """Yield a temporary path next to ``path``; rename it into place only on success.

    '-' is refused here: formats that need a real file (TMX, Moses pairs, HTML) cannot go to
    stdout, and a file literally named '-' is never what the user meant.
    """
    if str(path) == "-":
        raise AlignerError("this output cannot go to stdout ('-'); give a file name.")
    target = Path(path)
    if target.is_dir():
        raise AlignerError(f"{path}: is a folder; give a file name for the output.")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
    except OSError as e:
        raise AlignerError(f"{path}: cannot write ({e.strerror}).") from None
    os.close(fd)
    # mkstemp creates 0600; an output file should get the usual umask permissions
    mask = os.umask(0)
    os.umask(mask)
    os.chmod(tmp, 0o666 & ~mask)
    try:
        yield Path(tmp)
        os.replace(tmp, target)
    except OSError as e:
        Path(tmp).unlink(missing_ok=True)
        raise AlignerError(f"{path}: cannot write ({e.strerror}).") from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_text_output(text: str, path: str | Path | None):
    """Return the text when path is None, write to stdout for '-', else write atomically."""
    if path is None:
        return text
    if str(path) == "-":
        sys.stdout.write(text)
        sys.stdout.flush()
        return None
    with atomic_path(path) as tmp:
        tmp.write_text(text, encoding="utf-8")
    return None


def check_outputs(outputs, inputs=()) -> None:
    """Refuse outputs that would destroy what the run reads or writes: an output over an input
    (a typo in -o must not destroy the text to align), over another output of the same run,
    or onto a folder."""
    ins = [Path(p) for p in inputs if p and str(p) != "-"]
    seen: list[Path] = []
    for out in outputs:
        if not out or str(out) == "-":
            continue
        o = Path(out)
        if o.is_dir():
            raise AlignerError(f"{out}: is a folder; give a file name for the output.")
        for i in ins:
            if _same_file(o, i):
                raise AlignerError(
                    f"{out}: is also an input file; refusing to overwrite it (choose another -o)."
                )
        for other in seen:
            if _same_file(o, other):
                raise AlignerError(
                    f"{out}: is named for two outputs of this run; give each its own file."
                )
        seen.append(o)


def _same_file(a: Path, b: Path) -> bool:
    if a.resolve() == b.resolve():
        return True
    return a.exists() and b.exists() and os.path.samefile(a, b)  # hard links
