import json

from conftest import NTREX, shared_file

from aligner.evaluate import evaluate_file, score_documents


def test_scores_follow_vecalign_definitions():
    gold = [[[[0], [0]], [[1, 2], [1]], [[3], []]]]
    test = [[((0,), (0,)), ((1,), (1,)), ((2,), ()), ((3,), ())]]
    r = score_documents(gold, test)
    # precision: 0-0 and 3-∅ strict; 1-1 lax only; 2-∅ neither
    assert r["strict"]["precision"] == 0.5 and r["lax"]["precision"] == 0.75
    # recall over gold beads with both sides: 0-0 strict, (1,2)-1 lax only
    assert r["strict"]["recall"] == 0.5 and r["lax"]["recall"] == 1.0


def test_evaluate_on_a_real_document(tmp_path, embedder):
    en = (NTREX / "en.txt").read_text(encoding="utf-8").splitlines()
    ko = (NTREX / "ko.txt").read_text(encoding="utf-8").splitlines()
    path = tmp_path / "one.jsonl"
    doc = {"id": "upi", "src_lang": "en", "tgt_lang": "ko", "src": en, "tgt": ko,
           "gold": [[[i], [i]] for i in range(len(en))]}  # fmt: skip
    path.write_text(json.dumps(doc, ensure_ascii=False) + "\n", encoding="utf-8")
    r = evaluate_file(path, embedder)
    assert r["documents"] == 1
    assert r["strict"]["f1"] >= 0.92


def test_ntrex_dev_accuracy_floor(embedder):
    """The NTREX en-ko dev set (62 documents): strict F1 well above the peers' 0.958."""
    r = evaluate_file(shared_file("eval/ntrex_enko_dev.jsonl"), embedder)
    assert r["strict"]["f1"] >= 0.96
    assert r["lax"]["f1"] >= 0.99
