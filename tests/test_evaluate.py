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


def test_full_pipeline_eval_scores_by_gold_sentences(tmp_path, embedder):
    """--split: our splitter cuts one gold sentence in two; links are still scored per gold."""
    en = (NTREX / "en.txt").read_text(encoding="utf-8").splitlines()
    ko = (NTREX / "ko.txt").read_text(encoding="utf-8").splitlines()
    doc = {"id": "upi", "src_lang": "en", "tgt_lang": "ko", "src": en, "tgt": ko,
           "gold": [[[i], [i]] for i in range(len(en))],
           "src_text": " ".join(en), "tgt_text": "\n\n".join(ko)}  # fmt: skip
    path = tmp_path / "text.jsonl"
    path.write_text(json.dumps(doc, ensure_ascii=False) + "\n", encoding="utf-8")
    r = evaluate_file(path, embedder, split=True)
    assert r["strict"]["f1"] >= 0.85 and r["lax"]["f1"] >= 0.95


def test_beads_in_gold_ids_merges_split_gold_sentences():
    from aligner.alignment import Alignment, Bead
    from aligner.evaluate.run import _gold_spans, beads_in_gold_ids
    from aligner.segment import Sentence

    src_text, tgt_text = "A b. C d! E f.", "가. 나. 다."
    ours_src = [Sentence("A b.", 0, 4, 0), Sentence("C d!", 5, 9, 0), Sentence("E f.", 10, 14, 0)]
    ours_tgt = [Sentence("가.", 0, 2, 0), Sentence("나. 다.", 3, 8, 0)]
    beads = [Bead((0,), (0,), 0.9), Bead((1,), (), 0.0), Bead((2,), (1,), 0.8)]
    result = Alignment(beads, ours_src, ours_tgt)
    # gold: "A b. C d!" is one sentence on the source side; the target has three
    src_spans = _gold_spans(src_text, ["A b. C d!", "E f."])
    tgt_spans = _gold_spans(tgt_text, ["가.", "나.", "다."])
    assert beads_in_gold_ids(result, src_spans, tgt_spans) == [((0,), (0,)), ((1,), (1, 2))]


def test_unaligned_runs_are_scored_in_the_gold_form():
    from aligner.evaluate import gold_unaligned_form

    blocks = [[[[0], [0]], [[1, 2], []], [[3], [1]]]]  # TransRead: a 2-0 bead
    singles = [[[[0], [0]], [[], [1]], [[], [2]], [[1], [3]]]]  # Text+Berg: 0-1, 0-1
    assert gold_unaligned_form(blocks) == "block"
    assert gold_unaligned_form(singles) == "sentence"
    assert gold_unaligned_form([[[[0], [0]], [[1], []], [[], [1]]]]) == "block"  # neither
    # the same alignment, written both ways: strict precision counts beads
    test_block = [((0,), (0,)), ((1, 2), ()), ((3,), (1,))]
    test_single = [((0,), (0,)), ((1,), ()), ((2,), ()), ((3,), (1,))]
    assert score_documents(blocks, [test_block])["strict"]["precision"] == 1.0
    assert score_documents(blocks, [test_single])["strict"]["precision"] == 0.5


def test_bead_confusion_says_what_we_made_of_each_gold_bead():
    from aligner.evaluate import bead_confusion

    gold = [[[[0], [0]], [[1, 2], [1, 2]], [[3], []]]]
    test = [[((0,), (0,)), ((1,), (1,)), ((2,), (2,)), ((3,), ())]]
    table = bead_confusion(gold, test)
    assert table["1-1"] == {"gold": 1, "exact": 1, "as": {}}
    assert table["2-2"] == {"gold": 1, "exact": 0, "as": {"1-1 + 1-1": 1}}
    assert table["1-0"]["exact"] == 1
