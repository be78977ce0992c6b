"""Hostile input, refusals, exit codes and interruption: real files, the real CLI, real signals."""

import os
import signal
import subprocess
import sys
import time

import pytest
from conftest import DTD, INTERRUPTED, NTREX
from lxml import etree

from aligner import align_texts
from aligner.formats._io import atomic_path
from aligner.read import normalize_text
from aligner.segment import MAX_SENTENCE_CHARS

ALIGNER = [sys.executable, "-m", "aligner"]
EN = (NTREX / "en.txt").read_text(encoding="utf-8")
KO = (NTREX / "ko.txt").read_text(encoding="utf-8")


def run(*args, **kw):
    return subprocess.run([*ALIGNER, *map(str, args)], capture_output=True, text=True, **kw)


def one_line_error(p, *words):
    assert p.returncode == 1, p.stderr
    assert "Traceback" not in p.stderr
    lines = p.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("aligner: error:"), p.stderr
    for w in words:
        assert w in lines[0]


def tsv_rows(text):
    return [line.split("\t") for line in text.splitlines()]


# --- reading -----------------------------------------------------------------------------


def test_cp949_and_utf16_files_align_like_utf8(tmp_path):
    en, ko = tmp_path / "en.txt", tmp_path / "ko.txt"
    en.write_bytes(EN.encode("utf-16"))
    ko.write_bytes(KO.encode("cp949"))
    p = run("align", en, ko, "-o", "-", "-v")
    assert p.returncode == 0, p.stderr
    assert "utf-16" in p.stderr and "cp949" in p.stderr
    rows = tsv_rows(p.stdout)
    assert all(len(r) == 6 for r in rows)
    assert " ".join(r[1] for r in rows if r[1]).split() == KO.split()
    assert " ".join(r[0] for r in rows if r[0]).split() == EN.split()


def test_binary_input_is_one_line_naming_the_file(tmp_path):
    img = tmp_path / "scan.png"
    img.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00")
    one_line_error(run("align", img, NTREX / "ko.txt"), str(img), "PNG")


# --- wrong side, empty sides ---------------------------------------------------------------


def test_korean_on_the_english_side_stops_and_force_proceeds(tmp_path):
    out = tmp_path / "out.tsv"
    ko2 = tmp_path / "ko2.txt"
    ko2.write_text(KO, encoding="utf-8")
    p = run("align", NTREX / "ko.txt", ko2, "-o", out)
    one_line_error(p, "ko.txt", "does not look like English", "--force")
    assert not out.exists()
    p = run("align", NTREX / "ko.txt", NTREX / "en.txt", "-o", out)
    one_line_error(p, "look swapped")
    p = run("align", NTREX / "ko.txt", ko2, "-o", out, "--force", "-q")
    assert p.returncode == 0, p.stderr
    assert out.exists()


def test_one_side_empty_is_refused_and_force_reports_every_sentence_unaligned(tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_text(" \n\t\n", encoding="utf-8")
    p = run("align", NTREX / "en.txt", empty, "-o", "-")
    one_line_error(p, "empty.txt is empty", "--force")
    p = run("align", NTREX / "en.txt", empty, "-o", "-", "--force")
    assert p.returncode == 0, p.stderr
    assert "warning" in p.stderr and "empty.txt is empty" in p.stderr
    rows = tsv_rows(p.stdout)
    assert rows and all(r[3] == "1-0" and r[1] == "" for r in rows)
    assert [int(r[4]) for r in rows] == list(range(len(rows)))


def test_both_empty_is_an_error(tmp_path):
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.write_bytes(b"")
    b.write_bytes(b"\xef\xbb\xbf \r\n")  # a BOM and whitespace is still empty
    one_line_error(run("align", a, b), "both empty")


# --- writing ----------------------------------------------------------------------------


def test_refuses_to_write_over_an_input(tmp_path):
    en, ko = tmp_path / "en.txt", tmp_path / "ko.txt"
    en.write_text(EN, encoding="utf-8")
    ko.write_text(KO, encoding="utf-8")
    link = tmp_path / "link.tsv"
    link.symlink_to(ko)
    for target in (ko, tmp_path / "." / "en.txt", link):
        one_line_error(run("align", en, ko, "-o", target, "-f", "tsv"), "is also an input")
    assert ko.read_text(encoding="utf-8") == KO and en.read_text(encoding="utf-8") == EN


def test_interrupted_write_leaves_old_file_and_no_partial(tmp_path):
    out = tmp_path / "out.tmx"
    out.write_text("previous complete output", encoding="utf-8")
    with pytest.raises(KeyboardInterrupt):
        with atomic_path(out) as tmp:
            tmp.write_text("<?xml version='1.0'?><tmx version='1.4'><body>", encoding="utf-8")
            raise KeyboardInterrupt
    assert out.read_text(encoding="utf-8") == "previous complete output"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.tmx"]


def _fresh_signals():
    """Run the child as a shell would: SIGINT default and unblocked, whatever libraries loaded
    earlier in this test process did to the inherited signal state."""
    signal.pthread_sigmask(signal.SIG_SETMASK, [])
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def test_ctrl_c_while_reading_exits_130_with_a_message(tmp_path):
    fifo = tmp_path / "src.fifo"
    os.mkfifo(fifo)
    out = tmp_path / "out.tmx"
    proc = subprocess.Popen(
        [*ALIGNER, "align", str(fifo), str(NTREX / "ko.txt"), "-o", str(out)],
        stderr=subprocess.PIPE, text=True, preexec_fn=_fresh_signals,
    )  # fmt: skip
    # Opening the FIFO's write end without blocking succeeds only once the aligner has opened
    # it for reading: from then on it waits inside its own error handling for our data.
    deadline = time.monotonic() + 60
    while True:
        try:
            fd = os.open(fifo, os.O_WRONLY | os.O_NONBLOCK)
            break
        except OSError:
            assert time.monotonic() < deadline and proc.poll() is None
            time.sleep(0.05)
    try:
        time.sleep(0.2)
        err = None
        for _ in range(6):  # a user presses Ctrl-C again if the first press seems lost
            proc.send_signal(signal.SIGINT)
            try:
                _, err = proc.communicate(timeout=20)
                break
            except subprocess.TimeoutExpired:
                continue
        assert err is not None, "the aligner ignored six Ctrl-C presses"
    finally:
        os.close(fd)
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode in INTERRUPTED, err
    assert "interrupted" in err and "Traceback" not in err
    assert not out.exists() and not list(tmp_path.glob("*.part"))


def test_ctrl_c_during_alignment_leaves_no_output(tmp_path):
    en, ko = tmp_path / "en.txt", tmp_path / "ko.txt"
    en.write_text((EN + "\n") * 15, encoding="utf-8")
    ko.write_text((KO + "\n") * 15, encoding="utf-8")
    out = tmp_path / "out.tmx"
    proc = subprocess.Popen(
        [*ALIGNER, "align", str(en), str(ko), "-o", str(out), "-v", "--no-cache"],
        stderr=subprocess.PIPE, text=True, preexec_fn=_fresh_signals,
    )  # fmt: skip
    first = proc.stderr.readline()  # the encodings line: the run is under way
    assert "utf-8" in first
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=60)
    if proc.returncode == 0:  # finished before the signal landed: then the file is whole
        etree.parse(str(out))
        return
    assert proc.returncode in INTERRUPTED, err
    assert "interrupted" in err and "Traceback" not in err
    assert not out.exists() and not list(tmp_path.glob("*.part"))


def _spawned_workers(pid: int) -> list[int]:
    """Pids of the multiprocessing workers ``pid`` has started (from /proc)."""
    found = []
    for d in os.listdir("/proc"):
        try:
            with open(f"/proc/{d}/stat") as f:
                ppid = int(f.read().rsplit(")", 1)[1].split()[1])
            with open(f"/proc/{d}/cmdline", "rb") as f:
                cmd = f.read()
        except (OSError, ValueError, IndexError):
            continue
        if ppid == pid and b"spawn_main" in cmd:
            found.append(int(d))
    return found


def test_ctrl_c_to_the_group_while_the_embedding_workers_start(tmp_path):
    """A terminal's Ctrl-C reaches every process of the group. Pressed while the embedding
    workers are still importing (each of them printed a KeyboardInterrupt traceback there),
    the run ends with its one-line message alone, and no worker outlives it."""
    en, ko = tmp_path / "en.txt", tmp_path / "ko.txt"
    en.write_text((EN + "\n") * 60, encoding="utf-8")  # 840 lines: long enough for workers
    ko.write_text((KO + "\n") * 60, encoding="utf-8")
    proc = subprocess.Popen(
        [*ALIGNER, "align", str(en), str(ko), "-o", str(tmp_path / "out.tmx"), "--jobs", "2",
         "--no-cache"],
        stderr=subprocess.PIPE, text=True, preexec_fn=lambda: (_fresh_signals(), os.setsid()),
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 120
        # the moment a worker's Python has set what SIGINT does to it (it then imports)
        while not (workers := [w for w in _spawned_workers(proc.pid) if _sigint_set(w)]):
            assert proc.poll() is None and time.monotonic() < deadline, "no worker started"
            time.sleep(0.005)
        os.killpg(proc.pid, signal.SIGINT)
        _, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
    assert proc.returncode in INTERRUPTED, err
    assert "Traceback" not in err and "KeyboardInterrupt" not in err, err
    assert err.strip().splitlines()[-1].startswith("aligner: interrupted"), err
    deadline = time.monotonic() + 30
    while any(_alive(pid) for pid in workers):
        assert time.monotonic() < deadline, "a worker outlived the run"
        time.sleep(0.1)


def _sigint_set(pid: int) -> bool:
    """Whether process ``pid`` catches or ignores SIGINT (not the default any more)."""
    try:
        with open(f"/proc/{pid}/status") as f:
            masks = dict(line.split(":\t", 1) for line in f if line.startswith("Sig"))
    except OSError:
        return False
    return any(int(masks[k], 16) & (1 << (signal.SIGINT - 1)) for k in ("SigCgt", "SigIgn"))


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


# --- exit codes --------------------------------------------------------------------------


def test_exit_codes_and_debug_traceback(tmp_path):
    assert run("align", NTREX / "en.txt").returncode == 2  # missing argument
    assert run("align", "--no-such-option", "a", "b").returncode == 2
    assert run("align", NTREX / "en.txt", NTREX / "ko.txt", "--max-src", "0").returncode == 2
    p = run("align", NTREX / "en.txt", NTREX / "ko.txt", "--max-total", "1")
    assert p.returncode == 2 and "--max-total" in p.stderr and "2<=x<=12" in p.stderr
    missing = tmp_path / "missing.txt"
    one_line_error(run("align", missing, NTREX / "ko.txt"), "no such file")
    p = run("align", missing, NTREX / "ko.txt", "--debug")
    assert p.returncode == 1 and "Traceback" in p.stderr and "no such file" in p.stderr


# --- hostile text through the library ------------------------------------------------------

HOSTILE = {
    "identical lines": ("The meeting was adjourned.\n" * 400, "회의가 휴회되었다.\n" * 400),
    "numbers urls emoji": (
        "2023\n1,234,567.89\nhttps://example.com/a?b=c&d=e\n😀😀🎉\n42 %\nwww.un.org\n",
        "2023\n1,234,567.89\nhttps://example.com/a?b=c&d=e\n😀😀🎉\n42 %\nwww.un.org\n",
    ),
    "control characters": (
        "Pasted\x0bfrom Word.\x07 Bell\x01 and\x1f units.\x00 NUL too.\n" + EN,
        "워드에서\x0b붙여넣음.\x07 벨\x01 문자.\x1f\n" + KO,
    ),
    "rtl and mixed scripts": (
        "He said \u202bשלום עולם\u202c and left. مرحبا بالعالم. Then 東京 and Москва.\n" + EN,
        "그는 \u202bשלום\u202c 라고 말했다. مرحبا. 東京과 Москва.\n" + KO,
    ),
}


@pytest.mark.parametrize("name", list(HOSTILE))
def test_hostile_text_loses_nothing_and_writes_valid_files(embedder, tmp_path, name):
    src, tgt = HOSTILE[name]
    result = align_texts(src, tgt, embedder=embedder)
    for side, sentences in ((src, result.src), (tgt, result.tgt)):
        ids = [i for b in result.beads for i in (b.src_ids if side is src else b.tgt_ids)]
        assert ids == list(range(len(sentences)))
        kept = "".join("".join(s.text for s in sentences).split())
        assert kept == "".join(normalize_text(side).split())  # not one character lost
    tmx = tmp_path / "out.tmx"
    stats = result.to_tmx(tmx, include_unaligned=True)
    assert etree.DTD(str(DTD)).validate(etree.parse(str(tmx)))
    if name == "control characters":
        assert stats["illegal_chars_removed"] >= 4
    rows = tsv_rows(result.to_tsv())
    assert len(rows) == len(result.beads) and all(len(r) == 6 for r in rows)


def test_one_megabyte_line_is_cut_quickly(tmp_path):
    """kiwipiepy needs minutes for 1 MB in one piece; a line without punctuation is just cut."""
    words = ["가나다", "라마바", "사아자", "차카타파"]
    line = " ".join(words[i % 4] + str(i % 97) for i in range(170_000))[:1_000_000]
    path = tmp_path / "big.txt"
    path.write_text(line + "\n", encoding="utf-8")
    p = run("split", "--lang", "ko", path, timeout=120)
    assert p.returncode == 0, p.stderr
    pieces = p.stdout.splitlines()
    assert len(line) == 1_000_000 and len(pieces) >= len(line) // MAX_SENTENCE_CHARS
    assert max(map(len, pieces)) <= MAX_SENTENCE_CHARS
    assert "".join(pieces).replace(" ", "") == line.replace(" ", "")
