"""Shared fixtures. Tests use the real splitters, the real bundled model and the real DTD."""

from __future__ import annotations

import os
import shutil
import signal
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CORPORA = ROOT / "corpora"
SEED = CORPORA / "joongang-2011-military-pact"
NTREX = CORPORA / "ntrex-upi-176266"
DTD = Path(__file__).parent / "data" / "tmx14.dtd"
SHARED = Path(os.environ.get("ALIGNER_SHARED", ROOT.parent / "shared"))
# Headless Chromium as CI runs it (system Chromium, never a downloaded browser build).
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]  # fmt: skip
# The exit status Ctrl-C leaves: 130 from our handler, or death by SIGINT itself. CPython 3.11
# flags a process whose KeyboardInterrupt was raised inside exec() of a string (dataclasses
# do that while a module imports), and `python -m` then exits by SIGINT although the exception
# was caught (CI saw it; a shell reports 130 for both).
INTERRUPTED = (130, -signal.SIGINT)
ARTIFACTS = Path(os.environ.get("ALIGNER_TEST_ARTIFACTS", ROOT / "out" / "test-artifacts"))


@pytest.fixture(autouse=True, scope="session")
def _isolated_cache(tmp_path_factory):
    """Keep the test suite's embedding cache out of the user's cache directory."""
    os.environ["ALIGNER_CACHE_DIR"] = str(tmp_path_factory.mktemp("cache"))
    yield


@pytest.fixture(scope="session")
def embedder():
    from aligner.embed import load_embedder

    return load_embedder(cache=False)


@pytest.fixture(scope="session")
def ntrex_alignment(embedder):
    from aligner import align_texts

    en = (NTREX / "en.txt").read_text(encoding="utf-8")
    ko = (NTREX / "ko.txt").read_text(encoding="utf-8")
    return align_texts(en, ko, embedder=embedder)


@pytest.fixture(scope="session")
def seed_alignment(embedder):
    """The *parallel* aligner forced through the seed (auto mode would choose comparable):
    writers and checks on a real alignment with many unaligned sentences."""
    from aligner import align_texts

    en = (SEED / "en.txt").read_text(encoding="utf-8")
    ko = (SEED / "ko.txt").read_text(encoding="utf-8")
    return align_texts(en, ko, embedder=embedder, mode="parallel")


def shared_file(name: str) -> Path:
    path = SHARED / name
    if not path.exists():
        pytest.skip(f"{path} not found: shared evaluation data is absent (CI has it)")
    return path


def chromium() -> str:
    """The system Chromium, or a skip that says how to get it."""
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            return path
    pytest.skip("Chromium is not installed (make browser, or apt-get install chromium); "
                "browser tests skipped")  # fmt: skip


@pytest.fixture(scope="module")
def client():
    """A real LocalCluster: 2 worker processes with one thread each, as `--workers 2` starts."""
    from distributed import Client, LocalCluster

    cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                           dashboard_address=None)  # fmt: skip
    with Client(cluster) as c:
        yield c
    cluster.close()
