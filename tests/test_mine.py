"""Mining mode: pooled collections, exact blocked scoring, CLI formats (real model, small)."""

from __future__ import annotations

import json
import random

import numpy as np
import pytest
from click.testing import CliRunner
from conftest import DTD, NTREX, SEED
from lxml import etree

from aligner.cli import main
from aligner.matching.margin import mutual_best, ratio_margin
from aligner.matching.mine import MineParams, mine_scores, mine_sentences, select_pairs
from aligner.read.collection import read_side
from aligner.segment import split_text


def _lines(path):
    return [x.strip() for x in path.read_text(encoding="utf-8").splitlines() if x.strip()]


@pytest.fixture(scope="module")
def collection():
    """NTREX sample (line i ↔ line i) with a third of the Korean lines removed, the rest
    shuffled, and the Korean seed article's sentences added as distractors (its English
    translation is left out: those would be true pairs)."""
    en, ko = _lines(NTREX / "en.txt"), _lines(NTREX / "ko.txt")
    assert len(en) == len(ko) == 14
    rng = random.Random(5)
    kept = sorted(rng.sample(range(len(ko)), 10))
    ko_noise = [s.text for s in split_text((SEED / "ko.txt").read_text(encoding="utf-8"), "ko")]
    src = list(en)
    tgt = [(ko[i], i) for i in kept] + [(t, None) for t in ko_noise]
    rng.shuffle(tgt)
    gold = {(i, j) for j, (_, i) in enumerate(tgt) if i is not None}
    return src, [t for t, _ in tgt], gold


def test_recovers_true_pairs_among_distractors(collection, embedder):
    src, tgt, gold = collection
    res = mine_sentences(src, tgt, embedder=embedder)
    pred = {(b.src_ids[0], b.tgt_ids[0]) for b in res.pairs}
    tp = len(pred & gold)
    assert tp / len(pred) >= 0.9, pred - gold
    assert tp / len(gold) >= 0.9
    # pairs first, then every other sentence exactly once; scores are margins (> threshold)
    assert all(b.score >= MineParams().threshold for b in res.pairs)
    assert len(res.info["cosine"]) == len(res.pairs)
    assert res.mode == "mining" and "mode:mining" in res.signature
    assert len(res.unaligned_src) == len(src) - len(pred)


def test_block_size_does_not_change_results(collection, embedder):
    src, tgt, _ = collection
    x, y = embedder.encode(src), embedder.encode(tgt)
    small = mine_sentences(src, tgt, params=MineParams(block=7), src_vecs=x, tgt_vecs=y)
    big = mine_sentences(src, tgt, params=MineParams(block=1024), src_vecs=x, tgt_vecs=y)
    assert small.beads == big.beads
    # and the blocked computation is the comparable mode's full-matrix margin, exactly
    full = ratio_margin(x @ y.T, 4)
    s = mine_scores(x, y, k=4, block=7)
    assert (s.fwd == full.argmax(axis=1)).all() and (s.bwd == full.argmax(axis=0)).all()
    np.testing.assert_allclose(s.fwd_margin, full.max(axis=1), rtol=1e-5)
    mutual = {(i, j) for i, j, _ in select_pairs(s, -np.inf, mutual=True)}
    assert mutual == set(mutual_best(full))


def test_union_is_one_to_one_and_contains_mutual(collection, embedder):
    src, tgt, _ = collection
    s = mine_scores(embedder.encode(src), embedder.encode(tgt), block=5)
    union = select_pairs(s, 1.0, mutual=False)
    mutual = select_pairs(s, 1.0, mutual=True)
    assert len({i for i, _, _ in union}) == len(union) == len({j for _, j, _ in union})
    assert {(i, j) for i, j, _ in mutual} <= {(i, j) for i, j, _ in union}


def _folders(tmp_path, collection):
    """Two folders of documents: the NTREX lines split over two files per side."""
    src, tgt, _ = collection
    a, b = tmp_path / "en", tmp_path / "ko"
    (a / "sub").mkdir(parents=True)
    b.mkdir()
    (a / "one.txt").write_text("\n".join(src[:10]) + "\n", encoding="utf-8")
    (a / "sub" / "two.txt").write_text("\n\n".join(src[10:]) + "\n", encoding="utf-8")
    (b / "x.txt").write_text("\n".join(tgt[:7]) + "\n", encoding="utf-8")
    (b / "y.txt").write_text("\n".join(tgt[7:]) + "\n", encoding="utf-8")
    (b / "notes.md").write_text("not a document", encoding="utf-8")
    return a, b


def test_folders_pool_sentences_and_keep_document_names(tmp_path, collection):
    src, tgt, _ = collection
    a, b = _folders(tmp_path, collection)
    side = read_side(a, "en", presplit=True)
    sents, docs = side.sentences, side.docs
    assert [s.text for s in sents] == src
    assert docs[0] == "one.txt" and docs[-1] == "sub/two.txt"
    out = tmp_path / "m.jsonl"
    r = CliRunner().invoke(main, ["mine", str(a), str(b), "--presplit", "-o", str(out)])
    assert r.exit_code == 0, r.output
    assert "pairs from 14 en × 32 ko" in r.output  # the one-line summary
    rows = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    assert "mode:mining" in rows[0]["meta"]["signature"]
    pairs = rows[1:]
    assert len(pairs) >= 9 and all(p["src_text"] and p["tgt_text"] for p in pairs)
    assert {p["tgt_doc"] for p in pairs} == {"x.txt", "y.txt"}
    assert all(p["score"] >= 1.15 and 0 < p["cosine"] <= 1 for p in pairs)


def test_cli_writes_tsv_and_tmx(tmp_path, collection):
    a, b = _folders(tmp_path, collection)
    tsv = tmp_path / "m.tsv"
    args = ["mine", str(a), str(b), "--presplit", "--threshold", "1.2", "-q"]
    r = CliRunner().invoke(main, [*args, "-o", str(tsv), "--doc-columns", "--header"])
    assert r.exit_code == 0, r.output
    rows = [x.split("\t") for x in tsv.read_text(encoding="utf-8").splitlines()]
    assert rows[0][-2:] == ["src_doc", "tgt_doc"] and len(rows[0]) == 8
    assert all(len(x) == 8 and x[0] and x[1] and float(x[2]) >= 1.2 for x in rows[1:])
    plain = tmp_path / "all.tsv"
    r = CliRunner().invoke(main, [*args, "-o", str(plain), "--include-unaligned"])
    assert r.exit_code == 0, r.output
    lines = plain.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 14 + 32 - (len(rows) - 1)  # every sentence once
    tmx = tmp_path / "m.tmx"
    r = CliRunner().invoke(main, [*args, "-o", str(tmx)])
    assert r.exit_code == 0, r.output
    doc = etree.parse(str(tmx))
    assert etree.DTD(str(DTD)).validate(doc)
    assert len(doc.findall(".//tu")) == len(rows) - 1


@pytest.mark.parametrize("case", ["missing", "empty_folder", "empty_file", "bad_extension"])
def test_bad_input_is_one_line_exit_1(tmp_path, case):
    en = NTREX / "en.txt"
    (tmp_path / "empty").mkdir()
    (tmp_path / "blank.txt").write_text("\n\n", encoding="utf-8")
    src, out = str(en), str(tmp_path / "o.tsv")
    tgt = {
        "missing": str(tmp_path / "nope.txt"),
        "empty_folder": str(tmp_path / "empty"),
        "empty_file": str(tmp_path / "blank.txt"),
        "bad_extension": str(NTREX / "ko.txt"),
    }[case]
    if case == "bad_extension":
        out = str(tmp_path / "o.xlsx")
    r = CliRunner().invoke(main, ["mine", src, tgt, "-o", out])
    assert r.exit_code == 1, r.output
    assert r.output.startswith("aligner: error:") and r.output.count("\n") == 1, r.output
