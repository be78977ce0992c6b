"""The CLI as a user runs it: a real subprocess, real files, real exit codes."""

import json
import subprocess
import sys

import pytest
from conftest import NTREX, SEED

ALIGNER = [sys.executable, "-m", "aligner"]


def run(*args, **kw):
    return subprocess.run([*ALIGNER, *map(str, args)], capture_output=True, text=True, **kw)


def test_align_writes_tsv_to_stdout():
    p = run("align", NTREX / "en.txt", NTREX / "ko.txt", "-o", "-")
    assert p.returncode == 0, p.stderr
    rows = [line.split("\t") for line in p.stdout.splitlines()]
    assert len(rows) >= 14 and all(len(r) == 6 for r in rows)
    assert rows[0][3] == "1-1"


@pytest.mark.parametrize("ext", ["tmx", "jsonl", "tsv"])
def test_align_writes_each_format(tmp_path, ext):
    out = tmp_path / f"seed.{ext}"
    p = run("align", SEED / "en.txt", SEED / "ko.txt", "-o", out)
    assert p.returncode == 0, p.stderr
    assert out.exists() and out.stat().st_size > 0
    assert "pairs" in p.stderr and "unaligned" in p.stderr
    assert not list(tmp_path.glob("*.part"))


def test_split_prints_one_sentence_per_line():
    p = run("split", "--lang", "ko", SEED / "ko.txt")
    assert p.returncode == 0
    assert "2007년 방위청이 방위성으로 승격된 이후론 첫 방한이다." in p.stdout.splitlines()


def test_eval_json(tmp_path):
    en = (NTREX / "en.txt").read_text(encoding="utf-8").splitlines()
    ko = (NTREX / "ko.txt").read_text(encoding="utf-8").splitlines()
    path = tmp_path / "e.jsonl"
    doc = {"id": "d", "src_lang": "en", "tgt_lang": "ko", "src": en, "tgt": ko,
           "gold": [[[i], [i]] for i in range(len(en))]}  # fmt: skip
    path.write_text(json.dumps(doc) + "\n", encoding="utf-8")
    p = run("eval", path, "--json")
    assert p.returncode == 0, p.stderr
    r = json.loads(p.stdout)
    assert set(r) >= {"strict", "lax", "documents", "seconds", "unaligned"}
    assert set(r["strict"]) == {"precision", "recall", "f1"}
    p = run("eval", path, "--confusion", "--unaligned", "sentence", "--no-resplit")
    assert p.returncode == 0, p.stderr
    assert "gold type" in p.stdout and "\n1-1 " in p.stdout
    assert "unaligned:sentence" in p.stdout and "resplit:no" in p.stdout


@pytest.mark.parametrize(
    "args, message",
    [
        (["align", "no-such.txt", NTREX / "ko.txt"], "no-such.txt: no such file"),
        (["align", NTREX / "en.txt", NTREX / "ko.txt", "-o", "x.docx"], "output format"),
        (["eval", "missing.jsonl"], "missing.jsonl: no such file"),
    ],
)
def test_user_mistakes_give_one_line_and_exit_1(args, message):
    p = run(*args)
    assert p.returncode == 1
    assert message in p.stderr
    assert "Traceback" not in p.stderr
    assert len(p.stderr.strip().splitlines()) == 1


def test_empty_inputs_are_an_error(tmp_path):
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.write_text("  \n\n")
    b.write_text("")
    p = run("align", a, b)
    assert p.returncode == 1 and "empty" in p.stderr and "Traceback" not in p.stderr


def test_usage_error_exits_2():
    p = run("align")
    assert p.returncode == 2


def test_help_explains_scores():
    p = run("align", "--help")
    assert p.returncode == 0 and "higher is better" in p.stdout


def test_closed_pipe_is_not_an_error(tmp_path):
    big = tmp_path / "big.txt"
    big.write_text("\n".join(f"This is sentence number {i}." for i in range(20000)))
    p = subprocess.Popen([*ALIGNER, "split", "--lang", "en", str(big)],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE)  # fmt: skip
    p.stdout.readline()
    p.stdout.close()  # like `| head -1`
    _, err = p.communicate(timeout=120)
    assert p.returncode == 0
    assert b"Traceback" not in err and b"Error" not in err


@pytest.mark.parametrize(
    "extra, message",
    [
        (["-o", "-", "-f", "tmx"], "TMX output cannot go to stdout"),
        (["-o", "-", "-f", "moses"], "Moses output cannot go to stdout"),
        (["-o", "-", "--html", "-"], "both write to stdout"),
    ],
)
def test_outputs_that_cannot_go_to_stdout(tmp_path, extra, message):
    p = run("align", NTREX / "en.txt", NTREX / "ko.txt", *extra, cwd=tmp_path)
    assert p.returncode == 1 and message in p.stderr
    assert list(tmp_path.iterdir()) == []  # no file called '-', '-.en' or '-.ko'


def test_output_folder_and_permissions(tmp_path):
    (tmp_path / "dir.tsv").mkdir()
    p = run("align", NTREX / "en.txt", NTREX / "ko.txt", "-o", tmp_path / "dir.tsv")
    assert p.returncode == 1 and "is a folder" in p.stderr and "Traceback" not in p.stderr
    out = tmp_path / "ok.tsv"
    assert run("align", NTREX / "en.txt", NTREX / "ko.txt", "-o", out, "-q").returncode == 0
    import os

    mask = os.umask(0)
    os.umask(mask)
    assert out.stat().st_mode & 0o777 == 0o666 & ~mask  # not mkstemp's 0600


def test_convert_refuses_to_overwrite_its_input(tmp_path):
    out = tmp_path / "a.tsv"
    assert run("align", NTREX / "en.txt", NTREX / "ko.txt", "-o", out, "-q").returncode == 0
    before = out.read_bytes()
    p = run("convert", out, out)
    assert p.returncode == 1 and "also an input" in p.stderr
    assert out.read_bytes() == before


QUICK_EXIT_CHECK = """
import gc
from click.testing import CliRunner
from aligner.cli import main, quick_exit
from aligner.segment import split_text
from aligner.segment.korean import loaded_kiwi

assert loaded_kiwi() is None  # asking loads nothing
CliRunner().invoke(main, ["split", "-", "--lang", "ko"], input="안녕하세요. 반갑습니다.")
kiwi = loaded_kiwi()
assert kiwi is not None and split_text("하나. 둘.", "ko")
assert quick_exit._registered
quick_exit.prepare()  # what the exit handler the command registered does
assert gc.get_freeze_count() > 0
assert any(x is kiwi for x in quick_exit._kept) and quick_exit._kept in quick_exit._kept
print("ok")
"""


def test_a_command_registers_a_quick_exit_that_keeps_kiwi_and_freezes_the_collector():
    """The work a finished command's teardown skips (aligner/cli/quick_exit.py): checked in a
    child, so that this process's collector stays as it is."""
    p = subprocess.run([sys.executable, "-c", QUICK_EXIT_CHECK], capture_output=True, text=True)
    assert p.returncode == 0, p.stderr
    assert p.stdout.strip() == "ok"
