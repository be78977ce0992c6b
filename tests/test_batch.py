"""Batch mode on real corpus files: manifest parsing, outputs, summary, resume, workers."""

import csv
import shutil
import subprocess
import sys

import pytest
from conftest import NTREX, SEED

from aligner.batch import BatchOptions, align_batch, read_manifest
from aligner.errors import AlignerError


@pytest.fixture
def corpus_dir(tmp_path):
    """Two real pairs in a folder, listed with relative paths and one comment line."""
    for d in (SEED, NTREX):
        shutil.copytree(d, tmp_path / d.name, ignore=shutil.ignore_patterns("*.md", "page.txt"))
    (tmp_path / "m.tsv").write_text(
        "# src\ttgt\tname\n"
        f"{SEED.name}/en.txt\t{SEED.name}/ko.txt\tseed\n"
        "\n"
        f"{NTREX.name}/en.txt\t{NTREX.name}/ko.txt\n",
        encoding="utf-8",
    )
    return tmp_path


def summary_rows(outdir):
    with (outdir / "summary.tsv").open(encoding="utf-8") as f:
        return list(csv.DictReader(f, delimiter="\t"))


def test_manifest_resolves_relative_paths_and_names(corpus_dir):
    pairs = read_manifest(corpus_dir / "m.tsv")
    assert [p.name for p in pairs] == ["seed", f"{NTREX.name}_en"]
    assert [p.line for p in pairs] == [2, 4]
    assert pairs[0].src == corpus_dir / SEED.name / "en.txt"


@pytest.mark.parametrize(
    "text, message",
    [
        ("a.txt\n", "m.tsv:1: expected 'src_path<TAB>tgt_path[<TAB>name]', got 1"),
        ("a.txt\tmissing.txt\n", "m.tsv:1: "),
        ("# c\na.txt\ta.txt\tx\na.txt\ta.txt\tx\n", "m.tsv:3: the output name 'x' is already"),
        ("a.txt\ta.txt\tbad/name\n", "m.tsv:1: name 'bad/name' may only contain"),
        ("# only a comment\n", "lists no pairs"),
    ],
)
def test_manifest_mistakes_name_the_line(tmp_path, text, message):
    (tmp_path / "a.txt").write_text("Hello.\n", encoding="utf-8")
    (tmp_path / "m.tsv").write_text(text, encoding="utf-8")
    with pytest.raises(AlignerError, match="^.*" + message.replace("[", r"\[").replace("?", r"\?")):
        read_manifest(tmp_path / "m.tsv")


def test_batch_writes_outputs_summary_and_resumes(corpus_dir):
    out = corpus_dir / "out"
    results = align_batch(corpus_dir / "m.tsv", out)
    assert [r.status for r in results] == ["aligned", "aligned"]
    rows = summary_rows(out)
    assert [r["pair"] for r in rows] == ["seed", f"{NTREX.name}_en"]
    ntrex = rows[1]
    assert int(ntrex["src_sentences"]) == 15 and int(ntrex["beads"]) >= 14
    assert float(ntrex["mean_score"]) > 0.5
    tsv = (out / f"{NTREX.name}_en.tsv").read_text(encoding="utf-8").splitlines()
    assert len(tsv) == int(ntrex["beads"]) and all(len(x.split("\t")) == 6 for x in tsv)

    # resume: the seed output is removed, so only it is aligned again; stats carried over
    (out / "seed.tsv").unlink()
    again = align_batch(corpus_dir / "m.tsv", out)
    assert [r.status for r in again] == ["aligned", "skipped"]
    rows2 = summary_rows(out)
    assert rows2[1]["beads"] == ntrex["beads"] and rows2[1]["status"] == "skipped"
    assert not list(out.glob("*.part"))


def test_batch_records_a_failed_pair_and_goes_on(corpus_dir):
    (corpus_dir / "empty_en.txt").write_text("", encoding="utf-8")
    (corpus_dir / "empty_ko.txt").write_text("", encoding="utf-8")
    with (corpus_dir / "m.tsv").open("a", encoding="utf-8") as f:
        f.write("empty_en.txt\tempty_ko.txt\tempty\n")
    results = align_batch(corpus_dir / "m.tsv", corpus_dir / "out", options=BatchOptions("jsonl"))
    assert [r.status for r in results] == ["aligned", "aligned", "failed"]
    assert "empty" in results[2].error
    assert not (corpus_dir / "out" / "empty.jsonl").exists()
    assert (corpus_dir / "out" / "seed.jsonl").read_text(encoding="utf-8").startswith('{"meta"')


def test_cli_batch_with_two_workers(corpus_dir):
    cmd = [sys.executable, "-m", "aligner", "batch", str(corpus_dir / "m.tsv")]
    p = subprocess.run([*cmd, "-o", str(corpus_dir / "o"), "-j", "2", "-f", "tmx"],
                       capture_output=True, text=True)  # fmt: skip
    assert p.returncode == 0, p.stderr
    assert "2 aligned, 0 skipped, 0 failed of 2 pairs" in p.stderr
    assert (corpus_dir / "o" / "seed.tmx").exists()
    p = subprocess.run([*cmd, "-o", str(corpus_dir / "o"), "-f", "tmx"],
                       capture_output=True, text=True)  # fmt: skip
    assert p.returncode == 0 and "0 aligned, 2 skipped" in p.stderr


def test_cli_batch_bad_manifest_is_one_line(tmp_path):
    (tmp_path / "m.tsv").write_text("nope.txt\tnope2.txt\n", encoding="utf-8")
    p = subprocess.run(
        [sys.executable, "-m", "aligner", "batch", str(tmp_path / "m.tsv"), "-o", str(tmp_path)],
        capture_output=True, text=True,
    )  # fmt: skip
    assert p.returncode == 1
    assert p.stderr.strip().count("\n") == 0 and "m.tsv:1:" in p.stderr


def test_batch_gives_a_swapped_pair_the_reason_align_gives(corpus_dir):
    """The checks live in align_files: a batch fails a pair with the same one-line reason as
    `aligner align`, and aligns the others."""
    en, ko = f"{NTREX.name}/en.txt", f"{NTREX.name}/ko.txt"
    with (corpus_dir / "m.tsv").open("a", encoding="utf-8") as f:
        f.write(f"{ko}\t{en}\tswapped\n")
    align = subprocess.run(
        [sys.executable, "-m", "aligner", "align", ko, en, "-o", "x.tsv"],
        capture_output=True, text=True, cwd=corpus_dir,
    )  # fmt: skip
    assert align.returncode == 1
    reason = align.stderr.strip().removeprefix("aligner: error: ")
    assert "look swapped" in reason
    p = subprocess.run(
        [sys.executable, "-m", "aligner", "batch", "m.tsv", "-o", "out", "-q"],
        capture_output=True, text=True, cwd=corpus_dir,
    )  # fmt: skip
    assert p.returncode == 1  # a pair failed
    rows = {r["pair"]: r for r in summary_rows(corpus_dir / "out")}
    assert rows["swapped"]["status"] == "failed" and rows["swapped"]["error"] == reason
    assert rows["seed"]["status"] == rows[f"{NTREX.name}_en"]["status"] == "aligned"
    assert not (corpus_dir / "out" / "swapped.tsv").exists()
