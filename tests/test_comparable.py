"""Comparable mode on the real seed page and on NTREX made comparable (real model and splitter)."""

from __future__ import annotations

import json
import sys

import pytest
from click.testing import CliRunner
from conftest import ROOT, SEED, shared_file

from aligner import Alignment, Bead
from aligner.cli import main
from aligner.embed.windows import window_embeddings
from aligner.matching.comparable import ComparableParams, align_comparable, comparable_beads
from aligner.read.page import extract_page


@pytest.fixture(scope="module")
def seed_comparable(embedder):
    page = extract_page((SEED / "page.txt").read_text(encoding="utf-8"))
    return align_comparable(page.en, page.ko, embedder=embedder)


def test_seed_page_pairs(seed_comparable):
    res = seed_comparable
    pairs = res.pairs
    # a few sure correspondences, not a forced path through 21 × 24 sentences
    assert 2 <= len(pairs) <= 12
    assert len(pairs) < min(len(res.src), len(res.tgt)) / 2
    found = {(res.src_text(b), res.tgt_text(b)) for b in pairs}
    # the ministry's statement and its Korean quotation: the clearest correspondence on the page
    statement = "“The ministers of both countries highly"
    assert any(e.startswith(statement) and k.startswith("국방부는 “두 장관은") for e, k in found)
    # the lead and the Korean lead: who met and what they agreed
    assert any(e.startswith("At an hours-long discussion") and k.startswith("김관진 국방부 장관과")
               for e, k in found)  # fmt: skip
    # the two wrong pairs the previous comparable mode made (issue #17) are not made
    assert not any(
        e.startswith("Minister of National Defense Kim Kwan-jin, right") for e, _ in found
    )
    assert not any("Robert Gates" in e for e, _ in found)
    # every sentence is listed once; a pair's score is its probability, at least the threshold
    assert sorted(i for b in res.beads for i in b.src_ids) == list(range(len(res.src)))
    assert sorted(j for b in res.beads for j in b.tgt_ids) == list(range(len(res.tgt)))
    assert all(1 >= b.score >= ComparableParams().threshold for b in pairs)
    assert res.mode == "comparable" and "mode:comparable" in res.signature


def test_comparable_mode_relaxes_order_only():
    from aligner.segment import Sentence

    s = [Sentence("a", 0, 1, 0), Sentence("b", 2, 3, 0)]
    crossing = [Bead((0,), (1,), 0.5), Bead((1,), (0,), 0.5)]
    Alignment(crossing, s, s, mode="comparable")
    with pytest.raises(AssertionError):
        Alignment(crossing, s, s)  # parallel stays strict
    with pytest.raises(AssertionError):
        Alignment([Bead((0,), (1,), 0.5), Bead((0,), (0,), 0.5)], s, s, mode="comparable")


def test_ntrex_made_comparable(embedder):
    """A few benchmark documents: distractors must not get paired (the baseline pairs them)."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from comparable import baseline_links, comparable_set, prf

    path = shared_file("eval/ntrex_enko_dev.jsonl")
    docs = [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines() if x]
    sets = comparable_set(docs, seed=1)[:12]
    ours, base, gold = [], [], []
    for d in sets:
        ws = window_embeddings(d["src"], [1, 2], embedder)
        wt = window_embeddings(d["tgt"], [1, 2], embedder)
        beads = comparable_beads(d["src"], d["tgt"], ws, wt, ComparableParams())
        ours.append({(i, j) for b in beads if b.aligned for i in b.src_ids for j in b.tgt_ids})
        base.append(baseline_links(ws, wt, 1.1))
        gold.append(d["gold"])
    p, r, _ = prf(ours, gold)
    pb, _, _ = prf(base, gold)
    # benchmarks/comparable.md, second table: precision 0.99-1.00 at recall 0.90-0.92
    assert p >= 0.95 and r >= 0.90, (p, r)
    assert p > pb


def test_cli_comparable_is_what_auto_mode_picks_on_the_seed(tmp_path):
    en, ko = SEED / "extracted" / "en.txt", SEED / "extracted" / "ko.txt"
    out = tmp_path / "c.tsv"
    r = CliRunner().invoke(
        main, ["align", str(en), str(ko), "--mode", "comparable", "-o", str(out)]
    )
    assert r.exit_code == 0, r.output
    assert "mode:" not in r.output  # forced: nothing to decide
    rows = [x.split("\t") for x in out.read_text(encoding="utf-8").splitlines()]
    assert 2 <= sum(1 for x in rows if x[0] and x[1]) <= 12
    # the default (auto) decides comparable on these related texts and writes the same pairs
    r = CliRunner().invoke(main, ["align", str(en), str(ko), "-o", str(tmp_path / "a.tsv")])
    assert r.exit_code == 0, r.output
    assert "mode: comparable" in r.output
    assert (tmp_path / "a.tsv").read_text(encoding="utf-8") == out.read_text(encoding="utf-8")
