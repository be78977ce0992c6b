import os

import numpy as np
import pytest
from conftest import SEED

from aligner.embed import CachedEmbedder, load_embedder


def test_bundled_model_is_normalised_and_multilingual(embedder):
    en = ["The shark attack happened near the beach.", "Stock prices fell sharply today."]
    ko = ["상어 공격은 해변 근처에서 일어났다.", "오늘 주가가 급락했다."]
    e, k = embedder.encode(en), embedder.encode(ko)
    assert e.shape == (2, 512) and e.dtype == np.float32
    assert np.allclose(np.linalg.norm(e, axis=1), 1.0, atol=1e-5)
    sims = e @ k.T
    assert sims[0, 0] > sims[0, 1] + 0.2 and sims[1, 1] > sims[1, 0] + 0.2


def test_encoding_is_deterministic(embedder):
    texts = ["같은 문장을 두 번 넣는다.", "Same sentence twice."]
    assert np.array_equal(embedder.encode(texts), embedder.encode(texts))


def test_cache_skips_the_model_on_second_run(tmp_path):
    emb = load_embedder(cache=True, cache_dir=tmp_path)
    texts = ["첫 번째 문장.", "Second sentence.", "첫 번째 문장."]
    first = emb.encode(texts)
    assert emb.misses == 3 and emb.hits == 0
    again = load_embedder(cache=True, cache_dir=tmp_path)
    second = again.encode(texts)
    assert again.misses == 0 and again.hits == 3
    assert np.allclose(first, second)
    assert (tmp_path / "embeddings.sqlite").exists()


def test_unwritable_cache_falls_back(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    emb = CachedEmbedder(load_embedder(cache=False), blocker / "sub")
    assert emb.encode(["문장."]).shape == (1, 512)


def test_sentence_transformers_model_from_local_folder(tmp_path, monkeypatch):
    """Proves the loading code offline on a tiny randomly initialised model (not quality)."""
    pytest.importorskip("sentence_transformers", reason="[st] extra not installed")
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("TRANSFORMERS_OFFLINE", "1")
    from sentence_transformers import SentenceTransformer

    try:  # sentence-transformers >= 6
        from sentence_transformers.sentence_transformer import modules as models
    except ImportError:
        from sentence_transformers import models
    from transformers import BertConfig, BertModel, BertTokenizerFast

    vocab = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"] + list("abcdefghij가나다라마")
    (tmp_path / "vocab.txt").write_text("\n".join(vocab), encoding="utf-8")
    tok = BertTokenizerFast(vocab_file=str(tmp_path / "vocab.txt"))
    cfg = BertConfig(
        vocab_size=len(vocab), hidden_size=32, num_hidden_layers=1, num_attention_heads=2,
        intermediate_size=64, max_position_embeddings=64,
    )  # fmt: skip
    hf_dir = tmp_path / "hf"
    BertModel(cfg).save_pretrained(hf_dir)
    tok.save_pretrained(hf_dir)
    word = models.Transformer(str(hf_dir), max_seq_length=32)
    dim = getattr(word, "get_embedding_dimension", None) or word.get_word_embedding_dimension
    pool = models.Pooling(dim())
    model_dir = tmp_path / "tiny-st"
    SentenceTransformer(modules=[word, pool]).save(str(model_dir))

    emb = load_embedder(str(model_dir), cache=False)
    vecs = emb.encode(["abc", "가나다", "abc"])
    assert vecs.shape == (3, 32)
    assert np.allclose(np.linalg.norm(vecs, axis=1), 1.0, atol=1e-5)
    assert np.allclose(vecs[0], vecs[2])
    assert emb.model_id == f"st:{model_dir}"
    from aligner.embed.windows import window_embeddings, window_mode

    assert window_mode("pool", emb) == "encode"  # no window states: the exact re-encoding
    wins = window_embeddings(["abc", "가나", "dej"], [1, 2], emb, mode="pool")
    assert np.allclose(wins[2][0], emb.encode(["abc 가나"])[0], atol=1e-5)
    import torch

    if not torch.cuda.is_available():
        from aligner.errors import AlignerError

        on_gpu = load_embedder(str(model_dir), cache=False, device="cuda")
        with pytest.raises(AlignerError, match="no CUDA GPU"):
            on_gpu.encode(["abc"])


def test_missing_sentence_transformers_model_is_a_clear_error(tmp_path):
    pytest.importorskip("sentence_transformers", reason="[st] extra not installed")
    from aligner.errors import AlignerError

    with pytest.raises(AlignerError, match="no such model folder"):
        load_embedder(str(tmp_path / "no-such-model"), cache=False)
    (tmp_path / "empty").mkdir()
    with pytest.raises(AlignerError, match="not a sentence-transformers model folder"):
        load_embedder(str(tmp_path / "empty"), cache=False)


def test_unknown_hub_model_fails_at_once_offline():
    """No network here: a hub name that is not cached fails before any work, in seconds, and
    says what is bundled (the hub client alone retried for over a minute)."""
    import subprocess
    import sys
    import time

    pytest.importorskip("sentence_transformers", reason="[st] extra not installed")
    t0 = time.monotonic()
    p = subprocess.run(
        [sys.executable, "-m", "aligner", "align", "a.txt", "b.txt", "-m", "no-such-model-x"],
        capture_output=True, text=True, timeout=60, env={**os.environ, "HF_HUB_OFFLINE": "1"},
    )  # fmt: skip
    assert p.returncode == 1 and "bundled models: usem3" in p.stderr, p.stderr
    assert time.monotonic() - t0 < 30


# ---------------------------------------------------------------- windows inside the model

SEED_EN = [x for x in (SEED / "en.txt").read_text(encoding="utf-8").splitlines() if x.strip()]


def _reencoded(embedder, sentences, k):
    from aligner.embed.windows import window_texts

    return embedder.encode(window_texts(sentences, k))


def test_pooled_windows_match_their_reencoded_text(embedder):
    """Windows composed inside the model are the windows' own embeddings, not an average."""
    from aligner.embed.windows import compose_windows, window_embeddings

    sents = SEED_EN
    pooled = window_embeddings(sents, [1, 2, 3, 4], embedder, mode="pool")
    assert np.allclose(pooled[1], embedder.encode(sents), atol=1e-5)
    lengths = np.array([len(s) for s in sents], dtype=np.float32)
    for k in (2, 3, 4):
        exact = _reencoded(embedder, sents, k)
        cos = np.sum(pooled[k] * exact, axis=1)
        summed = np.sum(compose_windows(pooled[1], k, lengths) * exact, axis=1)
        assert pooled[k].shape == exact.shape
        assert cos.min() > 0.99 and np.median(cos) > 0.9999, (k, cos.min())
        assert summed.min() < 0.97  # the sum of sentence vectors is a much rougher window


def test_pooled_windows_of_short_and_empty_texts(embedder):
    from aligner.embed.windows import window_embeddings

    for sents in ([], ["Hi."], ["", "A.", "?"]):
        w = window_embeddings(sents, [1, 2, 3], embedder, mode="pool")
        for k in (1, 2, 3):
            assert w[k].shape == (max(0, len(sents) - k + 1), 512)
            assert np.all(np.isfinite(w[k]))


def test_cache_keeps_window_states_and_recomputes_only_an_edit(tmp_path):
    from aligner.embed.windows import window_embeddings

    sents = SEED_EN[:12]
    first = load_embedder(cache=True, cache_dir=tmp_path, jobs=1)
    a = window_embeddings(sents, [1, 2, 3], first, mode="pool")
    assert first.misses == 12 and first.hits == 0
    again = load_embedder(cache=True, cache_dir=tmp_path, jobs=1)
    b = window_embeddings(sents, [1, 2, 3], again, mode="pool")
    assert again.misses == 0 and all(np.array_equal(a[k], b[k]) for k in a)
    edited = sents[:5] + ["An edited sentence."] + sents[6:]
    third = load_embedder(cache=True, cache_dir=tmp_path, jobs=1)
    c = window_embeddings(edited, [1, 2, 3], third, mode="pool")
    assert third.misses == 3  # the edit and its two neighbours (their seams changed)
    assert np.array_equal(c[2][:4], a[2][:4]) and not np.allclose(c[2][5], a[2][5])


def test_a_state_the_cache_holds_is_the_one_every_run_uses(tmp_path):
    """A sentence's state moves in its last bits with the sentences computed beside it (on
    some CPUs). A text the cache holds already (in an alignment: the same "(0)" on both
    sides) keeps that state when another text computes it again, so a rerun of the first text
    reads exactly what its first run used."""
    from aligner.embed.windows import window_embeddings

    one = [x for s in SEED_EN[:30] for x in (s, "(0)")]
    other = [x for i, s in enumerate(SEED_EN[:30]) for x in (f"{s} [{i}]", "(0)")]
    first = load_embedder(cache=True, cache_dir=tmp_path, jobs=1)
    a1 = window_embeddings(one, [1, 2], first, mode="pool")
    window_embeddings(other, [1, 2], first, mode="pool")  # computes "(0)" once more
    again = load_embedder(cache=True, cache_dir=tmp_path, jobs=1)
    a2 = window_embeddings(one, [1, 2], again, mode="pool")
    assert again.misses == 0 and all(np.array_equal(a1[k], a2[k]) for k in a1)


def test_results_are_identical_whatever_the_number_of_jobs():
    """Work is cut into the same chunks for any --jobs; two worker processes really run."""
    texts = [f"{s} ({i})" for i in range(60) for s in SEED_EN]  # 840 texts: 4 chunks
    one = load_embedder(cache=False, jobs=1)
    two = load_embedder(cache=False, jobs=2)
    assert np.array_equal(one.encode(texts), two.encode(texts))
    s1, j1 = one.pooled(texts)
    s2, j2 = two.pooled(texts)
    assert np.array_equal(s1, s2) and np.array_equal(j1, j2)
    assert two._pool is not None and len(set(two._pool._processes)) == 2


def test_prepared_model_copy_loads_the_same_model(tmp_path, monkeypatch):
    """The tokenizer and weight table are prepared once in the cache folder (fast start-up);
    vectors are the same, and a broken copy or an unwritable folder only costs time."""
    from aligner.embed.usem3 import USEEmbedder

    texts = ["The treaty was signed.", "조약이 체결되었다."]
    monkeypatch.setenv("ALIGNER_CACHE_DIR", str(tmp_path))
    fresh = USEEmbedder().encode(texts)
    folder = next(p for p in (tmp_path / "models").iterdir() if p.is_dir())
    assert {p.name for p in folder.iterdir()} == {"model.pickle", "table.npy"}
    prepared = USEEmbedder()
    assert np.array_equal(prepared.encode(texts), fresh)
    assert isinstance(prepared._model._model.table, np.memmap)
    (folder / "model.pickle").write_bytes(b"truncated")
    assert np.array_equal(USEEmbedder().encode(texts), fresh)
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("ALIGNER_CACHE_DIR", str(blocker))
    assert np.array_equal(USEEmbedder().encode(texts), fresh)


def test_worker_processes_do_not_rerun_an_unguarded_script(tmp_path):
    """A notebook-style script without ``if __name__ == "__main__":`` runs once, not once per
    worker (a spawned worker imports the parent's main module unless it is hidden)."""
    import subprocess
    import sys

    script = tmp_path / "unguarded.py"
    script.write_text(
        "from aligner.embed import load_embedder\n"
        "print('script ran', flush=True)\n"
        "emb = load_embedder(cache=False, jobs=2)\n"
        "vecs = emb.encode([f'Sentence number {i}.' for i in range(800)])\n"
        "print('workers', emb._pool is not None, vecs.shape, flush=True)\n"
    )
    out = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr[-500:]
    assert out.stdout.count("script ran") == 1
    assert "workers True (800, 512)" in out.stdout and "failed" not in out.stderr


def test_prefetched_window_states_are_the_ones_pooled_computes(tmp_path):
    """A side sent to the workers as soon as it is split (``prefetch``) is collected, not
    computed again, by the ``pooled`` call of the same sentences; the numbers are the same."""
    texts = [f"{s} ({i})" for i in range(60) for s in SEED_EN]  # 840 sentences: 4 chunks
    two = load_embedder(cache=True, cache_dir=tmp_path, jobs=2)
    two.prefetch(texts)
    assert list(two.inner._pending) == [tuple(texts)]  # on its way, nothing computed here
    s2, j2 = two.pooled(texts)
    assert not two.inner._pending and two.misses == len(texts)
    s1, j1 = load_embedder(cache=False, jobs=1).pooled(texts)
    assert np.array_equal(s1, s2) and np.array_equal(j1, j2)
    two.prefetch(texts)  # all cached now: nothing to send
    assert not two.inner._pending


def test_workers_started_early_take_all_the_work():
    """``start`` brings every worker up before there is work; from then on even a small input
    goes to them, so this process never loads the model."""
    two = load_embedder(cache=False, jobs=2)
    two.start()
    assert len(two._pool._processes) == 2
    small = ["The treaty was signed.", "조약이 체결되었다."]
    assert np.array_equal(two.encode(small), load_embedder(cache=False, jobs=1).encode(small))
    assert two.local._model is None


def test_processes_starting_together_wait_for_the_one_making_the_model_copy(tmp_path, monkeypatch):
    """Workers that start together on a first run do not each parse the wheel's files: the
    others wait for the one making the prepared copy, then load it."""
    import subprocess
    import sys
    import time

    from aligner.embed.usem3 import USEEmbedder, _making_copy, _prepared_dir

    monkeypatch.setenv("ALIGNER_CACHE_DIR", str(tmp_path))  # the worker inherits it
    folder = _prepared_dir(USEEmbedder().model_id)
    script = (
        "import time\n"
        "from aligner.embed.usem3 import USEEmbedder\n"
        "USEEmbedder().prepare()\n"
        "print(time.time())\n"
    )
    with _making_copy(folder):
        worker = subprocess.Popen([sys.executable, "-c", script], text=True,
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE)  # fmt: skip
        time.sleep(4)  # it would have loaded the model by now (~1.5 s) without the lock
        released = time.time()
    out, err = worker.communicate(timeout=120)
    assert worker.returncode == 0, err[-500:]
    assert float(out) >= released
    assert {p.name for p in folder.iterdir()} == {"model.pickle", "table.npy"}


def test_prefetched_work_nobody_collects_is_cancelled():
    """A side sent ahead and never collected (the other side empty, an error) is cancelled, so
    it holds no memory and keeps neither the workers nor the exit waiting."""
    texts = [f"{s} ({i})" for i in range(60) for s in SEED_EN]
    two = load_embedder(cache=False, jobs=2)
    two.prefetch(texts)
    futures = two._pending[tuple(texts)]
    two.discard_prefetched()
    assert not two._pending
    assert sum(f.cancelled() for f in futures) >= 1  # the queued chunks never ran
