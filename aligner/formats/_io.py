"""Output that never destroys anything: atomic files, special files written in place, and the
checks every run makes on its outputs before it starts work.

- A regular file appears only when complete: it is written to a hidden temporary file beside it
  (``.NAME.PID.XXXX.part``) and renamed into place. A killed run's leftover temporaries are
  removed by the next write to the same name (their process is gone).
- A symbolic link is followed: the file it points to is replaced, the link stays.
- A device node or FIFO (``-o /dev/null``, ``-o >(gzip > x)``) is written in place, never
  renamed over: replacing ``/dev/null`` with a regular file would break the whole system.
- Outputs are checked before any work: not a folder, not an input, not another output of the
  same run, in a folder that can be written and has room.
"""

from __future__ import annotations

import errno
import glob
import os
import stat
import sys
import tempfile
from contextlib import contextmanager
from pathlib import Path

from ..errors import AlignerError

# A folder with less free space than this is "full": refuse before minutes of work are lost.
MIN_FREE_BYTES = 1 << 20


def _reason(e: OSError) -> str:
    if e.errno == errno.ENOSPC:
        return "no space left on the device; free some space or write elsewhere"
    if e.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
        return f"{e.strerror.lower()}; choose a folder you can write to"
    return (e.strerror or str(e)).lower()


def resolve_output(path: str | Path) -> Path:
    """The file an output name means: symbolic links followed (loops refused)."""
    p = Path(path)
    try:
        return Path(os.path.realpath(p, strict=False)) if p.is_symlink() else p
    except (OSError, RuntimeError):
        raise AlignerError(f"{path}: a symbolic link that loops; give a real file name.") from None


def is_special(path: Path) -> bool:
    """A device node, FIFO or socket: written in place, never replaced."""
    try:
        mode = path.stat().st_mode
    except OSError:
        return False
    return not stat.S_ISREG(mode) and not stat.S_ISDIR(mode)


def _remove_stale_parts(target: Path) -> None:
    """Temporaries of ``target`` left by runs that were killed (their process is gone)."""
    for leftover in glob.glob(os.path.join(glob.escape(str(target.parent)),
                                           f".{glob.escape(target.name)}.*.part")):  # fmt: skip
        pid = Path(leftover).name[len(target.name) + 2 :].split(".", 1)[0]
        if pid.isdigit() and not _alive(int(pid)):
            Path(leftover).unlink(missing_ok=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True
    return True


@contextmanager
def atomic_path(path: str | Path):
    """Yield the path to write; a regular file is renamed into place only on success.

    '-' is refused here: formats that need a real file (TMX, Moses pairs) cannot go to stdout,
    and a file literally named '-' is never what the user meant.
    """
    if str(path) == "-":
        raise AlignerError("this output cannot go to stdout ('-'); give a file name.")
    target = resolve_output(path)
    if target.is_dir():
        raise AlignerError(f"{path}: is a folder; give a file name for the output.")
    if is_special(target):
        try:
            yield target
        except OSError as e:
            raise AlignerError(f"{path}: cannot write ({_reason(e)}).") from None
        return
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        _remove_stale_parts(target)
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.{os.getpid()}.", suffix=".part",
                                   dir=target.parent)  # fmt: skip
    except OSError as e:
        raise AlignerError(f"{path}: cannot write ({_reason(e)}).") from None
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
        raise AlignerError(f"{path}: cannot write ({_reason(e)}).") from None
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
    with atomic_path(path) as tmp, open(tmp, "w", encoding="utf-8", newline="") as f:
        f.write(text)
    return None


def check_outputs(outputs, inputs=()) -> None:
    """Refuse outputs that would destroy what the run reads or writes, or that cannot be
    written: an output over an input (a typo in -o must not destroy the text to align), over
    another output of the same run, onto a folder, or into a folder that is read-only or full
    (found now, not after minutes of work)."""
    ins = [Path(p) for p in inputs if p and str(p) != "-"]
    seen: list[Path] = []
    for out in outputs:
        if not out or str(out) == "-":
            continue
        o = resolve_output(out)
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
        if not is_special(o):
            _check_folder(o.parent, out)


def _check_folder(folder: Path, out) -> None:
    """The output's folder (made if missing) takes a new file and has room for it."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, probe = tempfile.mkstemp(prefix=".aligner-probe.", dir=folder)
        os.close(fd)
        os.unlink(probe)
        free = os.statvfs(folder)
    except OSError as e:
        raise AlignerError(f"{out}: cannot write there ({_reason(e)}).") from None
    if free.f_bavail * free.f_frsize < MIN_FREE_BYTES:
        raise AlignerError(f"{out}: cannot write there (no space left on the device; free some "
                           "space or write elsewhere).")  # fmt: skip


def _same_file(a: Path, b: Path) -> bool:
    try:
        if a.resolve() == b.resolve():
            return True
        return a.exists() and b.exists() and os.path.samefile(a, b)  # hard links
    except (OSError, RuntimeError):  # a link loop is no file at all
        return False
