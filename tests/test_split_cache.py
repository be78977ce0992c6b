"""The sentence-split cache: a rerun gets the same sentences without running the splitter."""

import os
import sqlite3
import warnings

import pytest
from conftest import NTREX

from aligner.api import align_texts
from aligner.embed import load_embedder
from aligner.read import normalize_text
from aligner.segment import split_is_cached, split_text
from aligner.segment.cache import _CACHES, FILE, SplitCache, split_cache

KO = normalize_text((NTREX / "ko.txt").read_text(encoding="utf-8"))
EN = normalize_text((NTREX / "en.txt").read_text(encoding="utf-8"))


def test_rerun_is_served_from_the_cache_and_is_the_same(tmp_path):
    plain = split_text(KO, "ko")
    assert not split_is_cached(KO, "ko", tmp_path) and not split_is_cached(KO, "ko", None)
    first = split_text(KO, "ko", cache_dir=tmp_path)
    cache = split_cache(tmp_path)
    assert (cache.hits, cache.misses) == (0, 1)
    again = split_text(KO, "ko", cache_dir=tmp_path)
    assert (cache.hits, cache.misses) == (1, 1)
    assert first == again == plain
    assert split_is_cached(KO, "ko", tmp_path) and not split_is_cached(KO, "en", tmp_path)
    done = []
    split_text(KO, "ko", progress=done.append, cache_dir=tmp_path)  # a hit still reports
    assert sum(done) == len(KO)
    # another text, or the same text under another language's splitter, is split anew
    split_text(KO + "\n\n끝.", "ko", cache_dir=tmp_path)
    assert split_text(EN, "en", cache_dir=tmp_path) == split_text(EN, "en")
    assert cache.misses == 3


def test_a_damaged_entry_is_split_again(tmp_path):
    split_text(KO, "ko", cache_dir=tmp_path)
    with sqlite3.connect(tmp_path / FILE) as db:
        (blob,) = db.execute("SELECT v FROM split").fetchone()
        db.execute("UPDATE split SET v = ?", (bytes([blob[0] ^ 1]) + blob[1:],))
    fresh = SplitCache(tmp_path)  # a new process: nothing remembered in memory
    assert fresh.split(KO, "kiwipiepy", lambda: split_text(KO, "ko")) == split_text(KO, "ko")
    assert (fresh.hits, fresh.misses) == (0, 1)


@pytest.mark.skipif(os.geteuid() == 0, reason="root can write anywhere")
def test_an_unwritable_folder_warns_and_splits(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        out = split_text(KO, "ko", cache_dir=blocker / "sub")
    assert out == split_text(KO, "ko")
    assert any("sentence-split cache" in str(w.message) for w in caught)


def test_a_file_in_the_way_warns_and_splits(tmp_path):
    (tmp_path / FILE).mkdir()  # a folder where the database should be: sqlite cannot open it
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        out = split_text(KO, "ko", cache_dir=tmp_path)
    assert out == split_text(KO, "ko")
    assert any("sentence-split cache" in str(w.message) for w in caught)


def test_a_damaged_file_is_moved_aside_and_the_next_run_starts_afresh(tmp_path):
    (tmp_path / FILE).write_bytes(b"this is not an sqlite database, only text " * 100)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        out = SplitCache(tmp_path).split(KO, "kiwipiepy", lambda: split_text(KO, "ko"))
    assert out == split_text(KO, "ko")
    assert [str(w.message) for w in caught if "damaged" in str(w.message)]
    assert list(tmp_path.glob(f"{FILE}.damaged-*"))
    fresh = SplitCache(tmp_path)  # the next process: a new file, no warning, a working cache
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        fresh.split(KO, "kiwipiepy", lambda: split_text(KO, "ko"))
        fresh.split(KO, "kiwipiepy", lambda: split_text(KO, "ko"))
    assert (fresh.hits, fresh.misses) == (1, 1)


def test_alignment_shares_the_embedding_cache_folder_and_no_cache_skips_it(tmp_path):
    cached = load_embedder(cache=True, cache_dir=tmp_path / "on")
    first = align_texts(EN, KO, embedder=cached, mode="parallel")
    assert (tmp_path / "on" / FILE).exists()
    assert split_cache(tmp_path / "on").misses == 2  # both sides
    again = align_texts(EN, KO, embedder=cached, mode="parallel")
    assert split_cache(tmp_path / "on").hits == 2
    assert [(b.src_ids, b.tgt_ids) for b in again.beads] == [
        (b.src_ids, b.tgt_ids) for b in first.beads
    ]
    before = set(_CACHES)
    align_texts(EN, KO, embedder=load_embedder(cache=False), mode="parallel")  # --no-cache
    assert set(_CACHES) == before


def test_the_split_command_and_comparable_mode_keep_their_splits(tmp_path, monkeypatch):
    """`aligner split` fills the cache a later `aligner align` reads (--no-cache: not), and
    comparable mode's own splitting uses it too."""
    from click.testing import CliRunner

    from aligner.cli import main
    from aligner.matching.comparable import align_comparable

    ko = tmp_path / "ko.txt"
    ko.write_text(KO, encoding="utf-8")
    monkeypatch.setenv("ALIGNER_CACHE_DIR", str(tmp_path / "off"))
    off = CliRunner().invoke(main, ["split", str(ko), "-l", "ko", "--no-cache"])
    assert off.exit_code == 0 and not (tmp_path / "off" / FILE).exists()
    monkeypatch.setenv("ALIGNER_CACHE_DIR", str(tmp_path / "on"))
    on = CliRunner().invoke(main, ["split", str(ko), "-l", "ko"])
    assert on.exit_code == 0 and on.output == off.output
    assert split_is_cached(KO, "ko", tmp_path / "on")
    assert on.output.splitlines() == [s.text.replace("\n", " ") for s in split_text(KO, "ko")]
    cached = load_embedder(cache_dir=tmp_path / "pairs")
    first = align_comparable(EN, KO, embedder=cached)
    assert split_cache(tmp_path / "pairs").misses == 2
    again = align_comparable(EN, KO, embedder=cached)
    assert split_cache(tmp_path / "pairs").hits == 2 and again.beads == first.beads
