"""Nothing lost, ever: each way an output could destroy an input, or a run could write a
half-file, tried with real files (and a real tiny tmpfs for a full disk, where root may mount
one)."""

import json
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from conftest import NTREX, SEED

ALIGNER = [sys.executable, "-m", "aligner"]
EN = (NTREX / "en.txt").read_text(encoding="utf-8")
KO = (NTREX / "ko.txt").read_text(encoding="utf-8")


def run(*args, **kw):
    return subprocess.run([*ALIGNER, *map(str, args)], capture_output=True, text=True, **kw)


def refused(p, *words):
    assert p.returncode == 1, p.stderr
    line = p.stderr.strip()
    assert "\n" not in line and line.startswith("aligner: error:") and "Traceback" not in line
    for w in words:
        assert w in line, line


@pytest.fixture
def pair(tmp_path):
    """The NTREX sample as c.en / c.ko: the names Moses output would give."""
    en, ko = tmp_path / "c.en", tmp_path / "c.ko"
    en.write_text(EN, encoding="utf-8")
    ko.write_text(KO, encoding="utf-8")
    return en, ko


@pytest.fixture
def tiny_disk(tmp_path):
    """A real 1.5 MiB tmpfs (a full disk that cannot be faked by permissions: root ignores
    those); skipped where this user may not mount."""
    mnt = tmp_path / "disk"
    mnt.mkdir()
    p = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1536k", "tmpfs", str(mnt)],
                       capture_output=True)  # fmt: skip
    if p.returncode:
        pytest.skip("cannot mount a tmpfs here (needs root): no real full disk to test on")
    yield mnt
    subprocess.run(["umount", str(mnt)], check=True)


def test_moses_never_writes_over_its_inputs(pair, tmp_path):
    en, ko = pair
    for out in ("c", "c.moses"):
        refused(run("align", en, ko, "-o", out, "-f", "moses", cwd=tmp_path), "also an input")
    tsv = tmp_path / "c.tsv"
    assert run("align", en, ko, "-o", tsv, "-q").returncode == 0
    tsv_as_en = tmp_path / "x.en"  # convert reads x.en and would write x.en / x.ko
    tsv_as_en.write_bytes(tsv.read_bytes())
    refused(run("convert", "--from", "tsv", tsv_as_en, tmp_path / "x", "-f", "moses"),
            "also an input")  # fmt: skip
    assert en.read_text(encoding="utf-8") == EN and ko.read_text(encoding="utf-8") == KO
    assert tsv_as_en.read_bytes() == tsv.read_bytes()


def test_extract_never_writes_over_its_page(tmp_path):
    page = tmp_path / "en.txt"
    original = (SEED / "page.txt").read_bytes()
    page.write_bytes(original)
    refused(run("extract", "en.txt", "-o", ".", cwd=tmp_path), "also an input")
    assert page.read_bytes() == original and not (tmp_path / "ko.txt").exists()


def test_deeply_nested_html_is_read_whole_or_refused(tmp_path):
    """Old Korean news pages leave hundreds of <font> tags open; libxml2 cut them at 256."""
    body = "<p>The ministry confirmed the talks on Monday in Seoul.</p>"
    tail = (
        "<p>국방부는 월요일 서울에서 회담을 확인했다고 밝혔다.</p><p>Last paragraph stays here.</p>"
    )
    page = tmp_path / "page.html"
    page.write_text(f"<html><body>{body}{'<font>' * 300}{tail}</body></html>", encoding="utf-8")
    out = tmp_path / "out"
    p = run("extract", page, "-o", out)
    assert p.returncode == 0, p.stderr
    assert "Last paragraph stays here." in (out / "en.txt").read_text(encoding="utf-8")
    assert "국방부는" in (out / "ko.txt").read_text(encoding="utf-8")
    page.write_text(f"<html><body>{body}{'<font>' * 5000}{tail}</body></html>", encoding="utf-8")
    refused(run("extract", page, "-o", tmp_path / "deep"), "too deeply")
    assert not (tmp_path / "deep" / "en.txt").exists()


def test_special_files_are_written_in_place_and_links_kept(pair, tmp_path):
    en, ko = pair
    assert run("align", en, ko, "-o", "/dev/null", "-f", "tsv", "-q").returncode == 0
    assert Path("/dev/null").is_char_device()
    fifo = tmp_path / "out.fifo"
    os.mkfifo(fifo)
    got = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_text(encoding="utf-8")))
    reader.start()
    p = run("align", en, ko, "-o", fifo, "-f", "tsv", "-q", timeout=120)
    reader.join(60)
    assert p.returncode == 0, p.stderr
    assert fifo.is_fifo() and got and got[0].count("\n") >= 14
    target = tmp_path / "real.tsv"
    target.write_text("old", encoding="utf-8")
    link = tmp_path / "link.tsv"
    link.symlink_to(target)
    assert run("align", en, ko, "-o", link, "-q").returncode == 0
    assert link.is_symlink() and target.read_text(encoding="utf-8").count("\n") >= 14


def test_two_outputs_of_one_run_must_differ(pair, tmp_path):
    en, ko = pair
    out = tmp_path / "out.tsv"
    refused(run("align", en, ko, "-o", out, "--html", out), "two outputs")
    assert not out.exists()


def test_a_full_disk_leaves_no_half_file(tiny_disk, pair):
    """extract writes both texts or neither; a TMX that does not fit is not left behind."""
    from aligner.errors import AlignerError
    from aligner.formats import Table, Unit, write

    big = [Unit("word " * 2000, "말 " * 2000, 0.5, "1-1") for _ in range(300)]
    with pytest.raises(AlignerError, match="no space left"):
        write(Table(big), tiny_disk / "big.tmx")
    page = tiny_disk.parent / "page.txt"
    en = "".join(f"English line {i} of the report, with words.\n" for i in range(20_000))
    ko = "".join(f"한국어 기사의 {i}번째 문장이다.\n" for i in range(20_000))
    page.write_text(en + ko, encoding="utf-8")
    refused(run("extract", page, "-o", tiny_disk / "x"), "no space left")
    assert sorted(os.listdir(tiny_disk)) in ([], ["x"])
    assert not (tiny_disk / "x").exists() or os.listdir(tiny_disk / "x") == []


def test_nan_options_and_hostile_rows(pair, tmp_path):
    en, ko = pair
    for opt in (["--min-score", "nan"], ["--threshold", "nan"], ["--skip-cost", "-inf"],
                ["--tmx-src-code", "en_US"]):  # fmt: skip
        p = run("align", en, ko, "-o", tmp_path / "o.tmx", *opt)
        assert p.returncode == 2 and "Traceback" not in p.stderr, p.stderr
    assert "did you mean 'en-US'" in p.stderr
    rows = tmp_path / "rows.jsonl"
    rows.write_text(json.dumps({"src_text": "A.", "tgt_text": "가.", "score": 0.5,
                                "type": "1\t-1"}) + "\n", encoding="utf-8")  # fmt: skip
    out = tmp_path / "rows.tsv"
    assert run("convert", rows, out, "-q").returncode == 0
    assert [len(r.split("\t")) for r in out.read_text(encoding="utf-8").splitlines()] == [6]
    rows.write_text('{"src_text": "A.", "tgt_text": "가.", "score": NaN}\n', encoding="utf-8")
    refused(run("convert", rows, tmp_path / "nan.jsonl"), "finite number")
    rows.write_text('{"src_text": ["A."], "tgt_text": "가."}\n', encoding="utf-8")
    refused(run("convert", rows, tmp_path / "t.tsv"), "must be a string")


def test_an_empty_side_or_stdin_twice_is_a_mistake(pair, tmp_path):
    en, _ = pair
    empty = tmp_path / "empty.txt"
    empty.write_text("\n", encoding="utf-8")
    refused(run("align", en, empty), "is empty", "--force")
    refused(run("align", "-", "-", input="Hello.\n"), "only one input can be '-'")
    assert run("align", en, empty, "--force", "-q").returncode == 0


def test_stale_partial_files_are_cleaned_up(tmp_path):
    from aligner.formats import Table, Unit, write

    dead = tmp_path / ".out.tsv.999999999.abc.part"  # a killed run's leftover
    live = tmp_path / f".out.tsv.{os.getpid()}.abc.part"  # a run still writing
    dead.write_text("x")
    live.write_text("x")
    write(Table([Unit("A.", "가.", 0.5, "1-1")]), tmp_path / "out.tsv")
    assert not dead.exists() and live.exists()


def test_wildly_different_lengths_are_refused_up_front(tmp_path):
    big = tmp_path / "big.txt"
    big.write_text("\n".join(f"word{i}" for i in range(40_000)), encoding="utf-8")
    refused(run("align", big, NTREX / "ko.txt", timeout=60), "times as long", "--force")
