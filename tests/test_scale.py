"""Mining past one process: sharded search (exact and IVF) against the exhaustive margin, the
neighbour means from the one kernel, duplicates out, a real 2-worker LocalCluster, Parquet."""

import subprocess
import sys

import numpy as np
import pyarrow.parquet as pq
import pytest
from conftest import NTREX

from aligner import MineParams, mine_files, mine_sentences
from aligner.matching import knn
from aligner.matching.margin import neighbour_means, topk_means
from aligner.matching.mine import candidate_scores, mine_scores, select_pairs
from aligner.matching.shards import split_rows, topk_lists


def pool(n: int, seed: int = 0, d: int = 64):
    """Clustered unit vectors; target row i is source row i plus noise for 60 % of rows."""
    rng = np.random.default_rng(seed)
    centres = rng.standard_normal((n // 20 + 1, d))
    latent = centres[rng.integers(0, len(centres), n)] + rng.standard_normal((n, d))
    x = latent + 0.6 * rng.standard_normal((n, d))
    y = np.where(rng.random((n, 1)) < 0.6, latent, rng.standard_normal((n, d)) * 1.4)
    y = y + 0.6 * rng.standard_normal((n, d))
    norm = lambda v: (v / np.linalg.norm(v, axis=1, keepdims=True)).astype(np.float32)  # noqa: E731
    return norm(x), norm(y)


def test_sharded_exact_topk_gives_the_kernels_neighbour_means():
    x, y = pool(3000)
    fwd = topk_lists(None, split_rows(x, 700), split_rows(y, 900), [900, 900, 900, 300], 4,
                     "exact", block=256)  # fmt: skip
    r, _ = neighbour_means(x, y, 4, block=500)
    np.testing.assert_allclose(topk_means(fwd[0]), r, rtol=1e-6)
    full = x @ y.T
    np.testing.assert_array_equal(fwd[1][:, 0], full.argmax(axis=1))


def test_candidates_and_each_index_keep_the_exhaustive_pairs():
    x, y = pool(10000, seed=1)
    p = MineParams()
    exact = {(i, j) for i, j, _ in select_pairs(mine_scores(x, y, 4), p.threshold,
                                                  p.mutual, p.min_cosine)}  # fmt: skip
    assert len(exact) > 4000
    for kind, floor in (("exact", 0.999), ("ivf", 0.97), ("hnsw", 0.97)):
        xs, ys = split_rows(x, 5000), split_rows(y, 5000)
        if kind != "exact":
            assert isinstance(knn.build(ys[0], kind), knn.INDEX_TYPES[kind])
        fwd = topk_lists(None, xs, ys, [5000, 5000], 16, kind)
        bwd = topk_lists(None, ys, xs, [5000, 5000], 16, kind)
        got = {(i, j) for i, j, _ in select_pairs(candidate_scores(fwd, bwd, 4), p.threshold,
                                                  p.mutual, p.min_cosine)}  # fmt: skip
        assert len(got & exact) / len(exact) >= floor, kind


@pytest.mark.parametrize("kind", ["ivf", "hnsw"])
def test_each_index_survives_pickling(kind):
    import pickle

    _, y = pool(5000, seed=2)
    index = knn.build(y, kind)
    again = pickle.loads(pickle.dumps(index))
    a, b = index.search(y[:50], 5), again.search(y[:50], 5)
    np.testing.assert_array_equal(a[1], b[1])
    assert (a[1][:, 0] == np.arange(50)).all()


def test_duplicates_are_left_unpaired_not_mined():
    src = ["The talks resumed on Monday.", "the  talks resumed on monday.", "Prices rose."]
    tgt = ["회담은 월요일에 재개되었다.", "물가가 올랐다."]
    result = mine_sentences(src, tgt, params=MineParams(threshold=1.0, min_cosine=0.2))
    assert result.info["duplicates"] == {"src": 1, "tgt": 0}
    paired = {b.src_ids[0] for b in result.pairs}
    assert 1 not in paired and paired <= {0, 2}
    assert sorted(i for b in result.beads for i in b.src_ids) == [0, 1, 2]


def test_mining_on_a_cluster_finds_the_pairs_one_process_finds(client, tmp_path):
    """Embeddings made on the workers, exact top-k per shard there: the same pairs as the
    exhaustive in-process run on a real document pair."""
    here = mine_files(NTREX / "en.txt", NTREX / "ko.txt")
    there = mine_files(NTREX / "en.txt", NTREX / "ko.txt", client=client)
    assert [(b.src_ids, b.tgt_ids) for b in there.pairs] == [
        (b.src_ids, b.tgt_ids) for b in here.pairs
    ]
    assert len(there.pairs) >= 12
    there.write(tmp_path / "pairs.parquet")
    table = pq.read_table(tmp_path / "pairs.parquet")
    assert table.column_names[-4:] == ["src_doc", "tgt_doc", "cosine", "margin"]
    assert table.num_rows == len(there.pairs)  # mining writes pairs only by default
    assert set(table.column("src_doc").to_pylist()) == {"en.txt"}


def test_cli_mine_on_two_workers_writes_parquet(tmp_path):
    out = tmp_path / "pairs.parquet"
    p = subprocess.run([sys.executable, "-m", "aligner", "mine", NTREX / "en.txt",
                        NTREX / "ko.txt", "-o", out, "-j", "2", "--index", "ivf"],
                       capture_output=True, text=True, timeout=300)  # fmt: skip
    assert p.returncode == 0, p.stderr
    assert "warning" not in p.stderr  # no port-in-use noise from the local cluster
    rows = pq.read_table(out).to_pylist()
    assert len(rows) >= 12 and all(r["margin"] >= 1.15 and r["cosine"] >= 0.3 for r in rows)
    assert all("index:ivf" in r["signature"] for r in rows)


def test_parquet_format_round_trip_and_no_stdout(ntrex_alignment, tmp_path):
    from aligner import formats
    from aligner.errors import AlignerError

    out = tmp_path / "x.parquet"
    stats = formats.write(ntrex_alignment, out)
    assert stats["written"] == len(ntrex_alignment.beads)
    back = formats.read(out)
    assert [(u.src_ids, u.tgt_ids, u.type) for u in back.units] == [
        (b.src_ids, b.tgt_ids, b.type) for b in ntrex_alignment.beads
    ]
    assert back.signature == ntrex_alignment.signature
    with pytest.raises(AlignerError, match="Parquet output cannot go to stdout"):
        formats.write(ntrex_alignment, "-", "parquet")


def test_exact_topk_is_the_sorted_products_in_any_block_size():
    x, y = pool(700, seed=3)
    full = x @ y[:300].T
    want = np.argsort(-full, axis=1, kind="stable")[:, :8]
    for block in (64, 4096):
        vals, ids = knn.exact_topk(x, y[:300], 8, block=block)
        np.testing.assert_array_equal(ids, want)
        np.testing.assert_allclose(vals, np.take_along_axis(full, want, axis=1), rtol=1e-5)
    vals, ids = knn.exact_topk(x[:5], y[:3], 8)  # fewer rows than k: padded
    assert (ids[:, 3:] == -1).all() and (vals[:, 3:] == knn.INVALID).all()
    assert sorted(ids[0, :3]) == [0, 1, 2]


def test_ivf_with_many_small_lists_trains_without_faiss_warnings(capfd):
    _, y = pool(6000, seed=4)
    index = knn.IVFIndex(y)
    assert index.index.nlist == 6000 // knn.TRAIN_PER_LIST  # 16·√n lists, capped
    assert "WARNING" not in capfd.readouterr().err


def test_auto_searches_exactly_up_to_the_measured_limit():
    assert knn.index_kind("auto", 100_000, 100_000) == "exact"  # about a minute on 2 workers
    assert knn.index_kind("auto", 1_000_000, 1_000_000) == "hnsw"
    assert knn.index_kind("ivf", 10, 10) == "ivf"
    assert knn.index_kind("exact", 10**7, 10**7) == "exact"
    with pytest.raises(ValueError, match="unknown index"):
        knn.index_kind("annoy", 10, 10)


def test_mining_in_one_process_with_hnsw_keeps_the_exhaustive_pairs():
    """``index="hnsw"`` without a cluster: one graph per side, the pairs exact scoring finds."""
    x, y = pool(8000, seed=5)
    names = [f"row {i}" for i in range(len(x))]
    pairs = {}
    for kind in ("exact", "hnsw"):
        params = MineParams(index=kind)
        found = mine_sentences(names, names, src_vecs=x, tgt_vecs=y, params=params)
        pairs[kind] = {(b.src_ids[0], b.tgt_ids[0]) for b in found.beads
                       if b.src_ids and b.tgt_ids}  # fmt: skip
        assert f"index:{kind}" in found.signature
    assert len(pairs["exact"]) > 3000
    assert len(pairs["hnsw"] & pairs["exact"]) / len(pairs["exact"]) >= 0.97
