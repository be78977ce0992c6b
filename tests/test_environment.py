"""A hostile environment: a damaged or full cache, a read-only install with no home, a hostile
summary, a FIFO nobody writes to. The cache and resume state are optimisations: they heal or
are ignored, never stop the run."""

import os
import random
import shutil
import sqlite3
import subprocess
import sys
import warnings
import zlib
from pathlib import Path

import numpy as np
import pytest
from conftest import NTREX, ROOT

from aligner import align_files
from aligner.embed import CachedEmbedder

ALIGNER = [sys.executable, "-m", "aligner"]


def _mount(path: Path, *options: str) -> bool:
    path.mkdir(parents=True, exist_ok=True)
    return subprocess.run(["mount", "-t", "tmpfs", "-o", ",".join(options), "tmpfs", str(path)],
                          capture_output=True).returncode == 0  # fmt: skip


def test_a_damaged_cache_is_moved_aside_and_the_run_goes_on(tmp_path, embedder):
    emb = CachedEmbedder(embedder.inner if hasattr(embedder, "inner") else embedder, tmp_path)
    texts = [f"Sentence number {i} of the damaged cache test." for i in range(300)]
    expected = emb.encode(texts)
    emb._db.close()
    data = bytearray((tmp_path / "embeddings.sqlite").read_bytes())
    rng = random.Random(3)
    for _ in range(300):
        data[rng.randrange(100, len(data))] = rng.randrange(256)
    (tmp_path / "embeddings.sqlite").write_bytes(bytes(data))
    for extra in ("-wal", "-shm"):
        Path(f"{tmp_path}/embeddings.sqlite{extra}").unlink(missing_ok=True)
    again = CachedEmbedder(emb.inner, tmp_path)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        got = again.encode(texts)
    np.testing.assert_allclose(got, expected, atol=1e-5)
    assert any("damaged" in str(w.message) for w in caught), [str(w.message) for w in caught]
    assert list(tmp_path.glob("embeddings.sqlite.damaged-*"))


def test_cached_vectors_of_the_wrong_length_are_recomputed(tmp_path, embedder):
    inner = embedder.inner if hasattr(embedder, "inner") else embedder
    emb = CachedEmbedder(inner, tmp_path)
    texts = ["The first sentence.", "The second sentence.", "The third sentence."]
    expected = emb.encode(texts)
    db = sqlite3.connect(tmp_path / "embeddings.sqlite")
    short = np.ones(7, np.float32).tobytes()  # well-formed, checksum and all, but 7 long
    with db:
        db.execute("UPDATE vec SET v = ?, crc = ? WHERE rowid = 1", (short, zlib.crc32(short)))
    db.close()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        got = CachedEmbedder(inner, tmp_path).encode(texts)
    np.testing.assert_allclose(got, expected, atol=1e-5)
    assert any("wrong length" in str(w.message) for w in caught)


def test_a_full_cache_disk_does_not_stop_the_alignment(tmp_path):
    disk = tmp_path / "cache"
    if not _mount(disk, "size=64k"):
        pytest.skip("cannot mount a tmpfs here (needs root)")
    try:
        env = {**os.environ, "ALIGNER_CACHE_DIR": str(disk)}
        p = subprocess.run([*ALIGNER, "align", NTREX / "en.txt", NTREX / "ko.txt", "-o", "-"],
                           capture_output=True, text=True, env=env)  # fmt: skip
        assert p.returncode == 0, p.stderr
        assert len(p.stdout.splitlines()) >= 14 and "Traceback" not in p.stderr
    finally:
        subprocess.run(["umount", str(disk)], check=True)


@pytest.fixture
def readonly_install(tmp_path):
    """A copy of the package where nothing can be written (a read-only tmpfs for root, who
    ignores permissions; read-only permissions otherwise)."""
    ro = tmp_path / "ro"
    mounted = os.geteuid() == 0 and _mount(ro, "size=64m")
    ro.mkdir(exist_ok=True)
    shutil.copytree(ROOT / "aligner", ro / "aligner",
                    ignore=shutil.ignore_patterns("__pycache__"))  # fmt: skip
    if mounted:
        subprocess.run(["mount", "-o", "remount,ro", str(ro)], check=True)
    elif os.geteuid() == 0:
        pytest.skip("cannot mount a read-only tmpfs here, and root ignores permissions")
    else:
        for p in ro.rglob("*"):
            p.chmod(0o555 if p.is_dir() else 0o444)
        ro.chmod(0o555)
    yield ro
    if mounted:
        subprocess.run(["umount", str(ro)], check=True)


def test_runs_from_a_read_only_install_without_a_home(readonly_install, tmp_path):
    env = {k: v for k, v in os.environ.items()
           if k not in ("ALIGNER_CACHE_DIR", "NUMBA_CACHE_DIR", "XDG_CACHE_HOME")}  # fmt: skip
    env.update(PYTHONPATH=str(readonly_install), HOME=str(readonly_install / "no-home"),
               TMPDIR=str(tmp_path))  # fmt: skip
    p = subprocess.run([*ALIGNER, "--help"], capture_output=True, text=True, env=env, cwd=tmp_path)
    assert p.returncode == 0 and "Traceback" not in p.stderr, p.stderr
    out = tmp_path / "out.tsv"
    p = subprocess.run([*ALIGNER, "align", NTREX / "en.txt", NTREX / "ko.txt", "-o", out],
                       capture_output=True, text=True, env=env, cwd=tmp_path)  # fmt: skip
    assert p.returncode == 0 and "Traceback" not in p.stderr, p.stderr
    assert str(readonly_install) in subprocess.run(
        [sys.executable, "-c", "import aligner; print(aligner.__file__)"], capture_output=True,
        text=True, env=env, cwd=tmp_path).stdout  # fmt: skip
    assert len(out.read_text(encoding="utf-8").splitlines()) >= 14


def test_a_hostile_summary_is_ignored_on_rerun(tmp_path):
    from aligner.batch import align_batch

    for name in ("en.txt", "ko.txt"):
        shutil.copy(NTREX / name, tmp_path / name)
    (tmp_path / "m.tsv").write_text("en.txt\tko.txt\tnews\n", encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    for junk in (b"\xff\xfe\x00garbage", b"pair\tstatus\n" + b"x" * 300_000, b"\x00" * 100):
        (out / "summary.tsv").write_bytes(junk)
        results = align_batch(tmp_path / "m.tsv", out)
        assert [r.status for r in results] in (["aligned"], ["skipped"])
        assert (out / "summary.tsv").read_text(encoding="utf-8").startswith("pair\tstatus")


def test_a_fifo_nobody_writes_to_is_an_error_not_a_hang(tmp_path, monkeypatch):
    from aligner.errors import AlignerError
    from aligner.read import decode

    fifo = tmp_path / "in.fifo"
    os.mkfifo(fifo)
    monkeypatch.setattr(decode, "FIFO_WAIT_SECONDS", 1)
    with pytest.raises(AlignerError, match="nothing to read"):
        align_files(fifo, NTREX / "ko.txt")


def test_the_corridor_stays_bounded_for_lopsided_inputs():
    """200,000 lines against 2,000 once asked for a 16 GB lattice: the corridor is capped."""
    from aligner.parallel.corridor import MAX_CELLS, bounded, full_corridor

    n, m = 200_000, 2_000
    lo, hi = bounded(*full_corridor(n, m), n, m)
    assert lo[0] == 0 and hi[-1] == m and (np.diff(lo) >= 0).all() and (np.diff(hi) >= 0).all()
    assert (hi[:-1] >= lo[1:]).all()  # every row reaches the next: a path exists
    assert (int((hi - lo).max()) + 1) * (n + 1) <= MAX_CELLS


KERNELS_SCRIPT = """
import sys
from pathlib import Path

from aligner import align_files, mine_sentences
from aligner.parallel.warm import compile_kernels

cache, en, ko = map(Path, sys.argv[1:])
compile_kernels()
before = sorted(p.name for p in (cache / "numba").rglob("*.nbc"))
for mode in ("parallel", "comparable"):
    align_files(en, ko, mode=mode)
mine_sentences(en.read_text().splitlines(), ko.read_text().splitlines())
after = sorted(p.name for p in (cache / "numba").rglob("*.nbc"))
print(len(before), before == after, after)
"""


def test_kernels_compiled_ahead_are_the_ones_the_aligner_uses(tmp_path):
    """``compile_kernels`` (run while embedding workers encode) compiles each kernel for the
    array types real documents give it: aligning, comparable mode and mining afterwards
    compile nothing new (numba would add a second signature to its disk cache)."""
    env = {k: v for k, v in os.environ.items() if k != "NUMBA_CACHE_DIR"}
    env["ALIGNER_CACHE_DIR"] = str(tmp_path)
    p = subprocess.run(
        [sys.executable, "-c", KERNELS_SCRIPT, tmp_path, NTREX / "en.txt", NTREX / "ko.txt"],
        capture_output=True, text=True, env=env, timeout=300,
    )  # fmt: skip
    assert p.returncode == 0, p.stderr[-800:]
    n, same, _ = p.stdout.split(" ", 2)
    assert int(n) >= 4 and same == "True", p.stdout
