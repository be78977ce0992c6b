"""Costs fitted to the document: the model, when it is used, and what it buys on real data."""

from dataclasses import replace

import numpy as np
import pytest
from conftest import NTREX, shared_file

from aligner import AlignParams, align_sentences
from aligner.alignment import check_complete
from aligner.evaluate import evaluate_file
from aligner.parallel.costs import CostParams, bead_features
from aligner.parallel.doc_model import SKIP, fit, length_llr, model_costs, type_prior


def _params(**score) -> AlignParams:
    return replace(AlignParams(), costs=replace(CostParams(), **score))


def test_when_costs_are_fitted():
    p = CostParams()
    assert not p.fits(99, 500) and p.fits(100, 100)  # auto: both sides long enough
    assert CostParams(kind="fitted").fits(3, 3)
    assert not CostParams(kind="fixed").fits(10_000, 10_000)
    assert not CostParams(kind="fitted", skip_cost=0.4).fits(500, 500)  # a hand-set skip
    assert not CostParams(kind="fitted", fit_rounds=0).fits(500, 500)
    with pytest.raises(ValueError, match="unknown costs"):
        CostParams(kind="bogus").fits(5, 5)


def test_five_sentence_beads_only_where_costs_are_fitted():
    p = AlignParams()
    short, long_ = set(p.bead_types(fitted=False)), set(p.bead_types(fitted=True))
    assert (1, 3) in short and not {(1, 4), (4, 1), (2, 3), (3, 2)} & short
    assert {(1, 4), (4, 1), (2, 3), (3, 2)} <= long_ and (2, 4) not in long_
    assert (1, 4) not in AlignParams(max_total=4).bead_types(fitted=True)  # a hand-set total
    assert (1, 4) in AlignParams(max_total=5).bead_types(fitted=False)
    with pytest.raises(ValueError, match="max_total"):
        AlignParams(max_total=1)


def test_bead_limit_grows_only_where_it_may():
    p = AlignParams()
    grown = set(p.bead_types(fitted=True, grown=True))
    assert {(1, 6), (2, 5), (3, 4), (4, 4), (6, 2)} <= grown and (1, 7) not in grown
    assert set(p.bead_types(fitted=False, grown=True)) == set(p.bead_types(fitted=False))
    assert not AlignParams(max_total=5).can_grow(True)  # a hand-set total stays
    assert max(a for a, _ in AlignParams(max_src=3).bead_types(True, grown=True)) == 3


def _lattice(n: int, m: int, seed: int = 0):
    """A full lattice of real-looking 1-1 cosines: high on the diagonal, low elsewhere."""
    rng = np.random.default_rng(seed)
    s = rng.normal(0.2, 0.08, (n + 1, m + 1)).astype(np.float32)
    for i in range(1, n + 1):
        s[i, i] = 0.8
    s[0, :] = -2.0
    s[:, 0] = -2.0
    lo, hi = np.zeros(n + 1, dtype=np.int64), np.full(n + 1, m, dtype=np.int64)
    return {(1, 1): s}, lo, hi


def test_fit_reads_the_path():
    sims, lo, hi = _lattice(40, 40)
    lengths = np.full(40, 50.0)
    feats, _ = bead_features(sims, lo, hi, lengths, lengths, CostParams())
    path = [(i, i + 1, i, i + 1) for i in range(38)] + [(38, 39, 38, 38), (39, 40, 38, 40)]
    model = fit(feats, path, lo)
    # 38 1-1 beads and one skip (the 1-2 bead is not a type here: not counted), add-one
    assert model.prior[(1, 1)] == pytest.approx(39 / 41)
    assert model.prior[SKIP] == pytest.approx(2 / 41)
    mu_true, mu_chance, spread = model.similarity[(1, 1)]
    assert mu_true > mu_chance and spread > 0
    costs, skip = model_costs(feats, model, 40, gain_weight=10.0)
    diag = costs[0, np.arange(1, 41), np.arange(1, 41)]
    off = costs[0, 5, 20]
    assert np.all(diag < skip) and off > 2 * skip  # a true pair beats leaving both out


def test_length_mismatch_costs_are_bounded():
    """Heavy tails: a true bead far off in length (a caption run into it) stays affordable."""
    delta = np.linspace(0.0, 3.0, 301)
    llr = length_llr(delta, 0.1, 0.6)
    assert llr[0] == pytest.approx(np.log(6.0))  # as long as expected: evidence for a bead
    assert np.all(np.diff(llr) < 0)  # every extra mismatch lowers the score
    assert llr[-1] > np.log(0.1 / 0.6)  # but never below the bound
    gauss = -(3.0**2) / (2 * 0.1**2) + 3.0**2 / (2 * 0.6**2) + np.log(6.0)
    assert gauss < -400 < llr[-1]  # where a Gaussian length model would forbid the bead


def test_fitted_costs_keep_every_sentence(embedder):
    en = (NTREX / "en.txt").read_text(encoding="utf-8").splitlines()
    ko = (NTREX / "ko.txt").read_text(encoding="utf-8").splitlines()
    res = align_sentences(en, ko, embedder=embedder, params=_params(kind="fitted"))
    assert res.info["costs"] == "fitted" and "1-1" in res.info["bead_prior"]
    check_complete(res.beads, len(en), len(ko))
    assert "costs:fitted" in res.signature
    fixed = align_sentences(en, ko, embedder=embedder, params=_params(kind="fixed"))
    assert fixed.info["costs"] == "fixed" and "bead_prior" not in fixed.info


def test_fitted_costs_lift_text_berg(embedder):
    """Text+Berg de-fr (7 long OCR'd articles): fixed costs 0.898 strict F1, fitted 0.922
    (0.913 with a Gaussian length model: the floor catches a return to it)."""
    path = shared_file("eval/textberg_defr.jsonl")
    fixed = evaluate_file(path, embedder, _params(kind="fixed"))["strict"]["f1"]
    auto = evaluate_file(path, embedder, AlignParams())["strict"]["f1"]
    assert auto >= 0.915 and auto > fixed + 0.01


def test_placeholder_verses_pair_one_to_one(embedder):
    """Mark 9:44, 9:46, 11:26 read "(없음)" ("none") in the Korean Revised Version; the gold
    pairs each with the KJV verse it stands for. A cosine floor in the fitted costs forbade
    that 1-1 and merged the verse pair into a 2-2 with its neighbour."""
    import json

    path = shared_file("eval/bible_enko_books.jsonl")
    with path.open(encoding="utf-8") as f:
        mark = next(d for d in map(json.loads, f) if d["id"].endswith("Mark"))
    src, tgt = mark["src"][340:460], mark["tgt"][340:460]  # fitted: 120 verses a side
    assert sum("(없음)" in t for t in tgt) == 3
    res = align_sentences(src, tgt, embedder=embedder)
    assert res.info["costs"] == "fitted"
    assert [(b.src_ids, b.tgt_ids) for b in res.beads] == [((i,), (i,)) for i in range(120)]


def test_literary_text_grows_its_beads(embedder):
    """Les Confessions (TransRead en-fr, 236 x 326 sentences): the fitted path keeps using
    5-sentence beads, so the limit grows to 8 and larger gold beads come within reach."""
    import json

    from aligner.embed.windows import window_embeddings
    from aligner.evaluate import score_documents
    from aligner.parallel.align import align_embeddings

    path = shared_file("eval/transread_enfr_dev.jsonl")
    with path.open(encoding="utf-8") as f:
        doc = next(d for d in map(json.loads, f) if d["id"].endswith("Confessions"))
    src_win = window_embeddings(doc["src"], range(1, 7), embedder)
    tgt_win = window_embeddings(doc["tgt"], range(1, 7), embedder)
    src_len = np.array([len(s) for s in doc["src"]], dtype=np.float64)
    tgt_len = np.array([len(s) for s in doc["tgt"]], dtype=np.float64)
    f1, largest = {}, {}
    for total in (None, 5):  # 0.8585 and 0.8333 strict F1
        p = AlignParams(max_total=total)
        beads, _, _, info = align_embeddings(src_win, tgt_win, src_len, tgt_len, p)
        test = [(tuple(range(s0, s1)), tuple(range(t0, t1))) for s0, s1, t0, t1 in beads]
        f1[total] = score_documents([doc["gold"]], [test])["strict"]["f1"]
        largest[total] = max(s1 - s0 + t1 - t0 for s0, s1, t0, t1 in beads)
        assert info["grown"] == (total is None)
    assert largest == {None: 8, 5: 5}
    assert f1[None] > f1[5] + 0.01


def test_the_type_prior_trusts_a_literal_path_and_spreads_a_free_one():
    literal = {(1, 1): 99, (2, 1): 1, (2, 2): 0, SKIP: 0}
    addone = {t: (c + 1) / 104 for t, c in literal.items()}
    assert type_prior(literal, 1.0, 0.55, 3.0) == addone  # 3 x 1 % is under add-one's share
    free = {(1, 1): 70, (2, 1): 20, (2, 2): 0, SKIP: 10}
    p = type_prior(free, 1.0, 0.55, 3.0)  # min(0.55, 3 x 30 %) of the mass spread evenly
    assert p[(2, 2)] == pytest.approx(0.55 / 4)
    assert p[(1, 1)] == pytest.approx(0.45 * 0.7 + 0.55 / 4)
    assert sum(p.values()) == pytest.approx(1.0)
    assert type_prior(free, 1.0, 0.0, 3.0) == {t: (c + 1) / 104 for t, c in free.items()}
    mid = {(1, 1): 90, (2, 1): 10, SKIP: 0}
    assert type_prior(mid, 1.0, 0.55, 3.0)[SKIP] == pytest.approx(0.3 / 3)


def _strict_f1(embedder, docs, **costs) -> float:
    """Strict F1 over ``docs`` (eval records) with the given cost settings."""
    from aligner.evaluate import score_documents

    tests = []
    for d in docs:
        res = align_sentences(d["src"], d["tgt"], embedder=embedder, params=_params(**costs))
        tests.append([(b.src_ids, b.tgt_ids) for b in res.beads])
    return score_documents([d["gold"] for d in docs], tests)["strict"]["f1"]


def test_a_spread_prior_finds_literary_merges_and_keeps_verses_apart(tmp_path):
    """Hard EM keeps missing the bead types its first path missed (doc_model.type_prior).
    Two TransRead books gain with the spread prior (Jane Eyre 0.888 -> 0.914 strict F1, Les
    Confessions 0.859 -> 0.884); Romans, whose path is nearly all 1-1, stays exact, and would
    not if the prior were spread whatever the path (slope 100: the same spread on every
    document; Mark and Romans 1.000 -> 0.996 at 0.5)."""
    import json

    from aligner.embed import load_embedder

    with shared_file("eval/transread_enfr_dev.jsonl").open(encoding="utf-8") as f:
        novels = [d for d in map(json.loads, f) if d["id"].endswith(("JaneEyre", "Confessions"))]
    with shared_file("eval/bible_enko_books.jsonl").open(encoding="utf-8") as f:
        verses = [d for d in map(json.loads, f) if d["id"].endswith("Romans")]
    assert len(novels) == 2 and len(verses) == 1
    embedder = load_embedder(cache_dir=tmp_path)  # each text embedded once for all settings
    spread, add_one = _strict_f1(embedder, novels), _strict_f1(embedder, novels, fit_prior_spread=0)
    assert spread > add_one + 0.01
    assert _strict_f1(embedder, verses) == 1.0
    assert _strict_f1(embedder, verses, fit_prior_slope=100) < 1.0
