"""Auto mode (the default): translations are aligned in parallel, related texts in comparable
mode, unrelated texts get no pairs; the choice and its reason travel with the result."""

from __future__ import annotations

import json
import random
import sys

import pytest
from click.testing import CliRunner
from conftest import CORPORA, NTREX, ROOT, SEED, SHARED, shared_file
from lxml import etree

from aligner import align_files, align_sentences, align_texts
from aligner.cli import main
from aligner.embed import load_embedder
from aligner.matching.comparable import ComparableParams
from aligner.matching.mode import relation_of
from aligner.read.page import extract_page

sys.path.insert(0, str(ROOT / "benchmarks"))
from related import related_document, related_set  # noqa: E402

SAMPLE = CORPORA / "auto-mode-sample" / "documents.jsonl"


@pytest.fixture(scope="module")
def cached():
    """One embedder for the module, cached (in the test session's own cache folder): auto mode
    embeds the sentences the parallel aligner embedded already."""
    return load_embedder()


def _jsonl(path):
    return [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines() if x.strip()]


def _judge(src, tgt, src_lang, tgt_lang, embedder) -> str:
    parallel = align_sentences(src, tgt, src_lang=src_lang, tgt_lang=tgt_lang, embedder=embedder)
    return relation_of(parallel, embedder).mode


def _parallel_everywhere(docs, embedder):
    wrong = []
    for d in docs:
        sl, tl = d.get("src_lang", "en"), d.get("tgt_lang", "ko")
        if _judge(d["src"], d["tgt"], sl, tl, embedder) != "parallel":
            wrong.append(d.get("id"))
    assert not wrong, f"auto mode did not take these translations for translations: {wrong}"


@pytest.mark.parametrize("name", ["ntrex_enko_dev", "textberg_defr", "transread_enfr_dev"])
def test_auto_takes_every_evaluation_translation_for_one(name, cached):
    _parallel_everywhere(_jsonl(shared_file(f"eval/{name}.jsonl")), cached)


def test_auto_takes_bible_books_for_translations(cached):
    """The twelve shortest books here (embedding all 66 from a cold cache takes the suite
    ~18 minutes): `make bench-mode` judges every book."""
    books = sorted(_jsonl(shared_file("eval/bible_enko_books.jsonl")), key=lambda d: len(d["src"]))
    _parallel_everywhere(books[:12], cached)


def test_auto_takes_the_bundled_translations_for_translations(cached):
    """The fresh-clone case: a Bible book, a novel's first pages and an NTREX document."""
    docs = _jsonl(SAMPLE)
    assert {d["id"].split(".")[0] for d in docs} == {"bible", "transread"}
    _parallel_everywhere(docs, cached)
    en, ko = ((NTREX / f).read_text(encoding="utf-8") for f in ("en.txt", "ko.txt"))
    auto = align_texts(en, ko, embedder=cached)
    forced = align_texts(en, ko, embedder=cached, mode="parallel")
    # auto mode never changes a parallel result: same beads, same scores
    assert auto.mode == "parallel" and auto.beads == forced.beads
    assert auto.signature == forced.signature
    choice = auto.info["mode_choice"]
    assert choice["mode"] == "parallel" and "translations" in choice["reason"]
    assert "mode_choice" not in forced.info


def test_auto_takes_the_seed_page_for_related_texts(cached):
    page = extract_page((SEED / "page.txt").read_text(encoding="utf-8"))
    result = align_texts(page.en, page.ko, embedder=cached)
    assert result.mode == "comparable" and result.info["mode_choice"]["mode"] == "comparable"
    assert "related, not translations" in result.info["mode_choice"]["reason"]
    # only pairs the pair model is sure enough of; every sentence listed once
    assert all(b.score >= ComparableParams().threshold for b in result.pairs)
    assert sorted(i for b in result.beads for i in b.src_ids) == list(range(len(result.src)))


def test_auto_takes_related_articles_made_from_the_bundled_translation_for_related(cached):
    """The benchmark's generator on the bundled NTREX document (fresh clone): every seed."""
    en = (NTREX / "en.txt").read_text(encoding="utf-8").splitlines()
    ko = (NTREX / "ko.txt").read_text(encoding="utf-8").splitlines()
    for seed in range(1, 6):
        doc = related_document(en, ko, random.Random(f"{seed}:bundled"))
        assert _judge(doc["src"], doc["tgt"], "en", "ko", cached) == "comparable", seed


def test_auto_takes_every_benchmark_document_for_related(cached):
    raw = SHARED / "eval" / "raw" / "ntrex"
    if not raw.exists():
        pytest.skip(f"{raw} not found: shared evaluation data is absent (CI has it)")
    wrong = [(seed, d["id"]) for seed in (1, 2, 3) for d in related_set(raw, seed)
             if _judge(d["src"], d["tgt"], "en", "ko", cached) != "comparable"]  # fmt: skip
    assert not wrong


def test_cli_default_on_the_seed_says_comparable_and_writes_only_pairs(tmp_path):
    en, ko = SEED / "extracted" / "en.txt", SEED / "extracted" / "ko.txt"
    out = tmp_path / "seed.tmx"
    page = tmp_path / "seed.html"
    r = CliRunner().invoke(main, ["align", str(en), str(ko), "-o", str(out), "--html", str(page)])
    assert r.exit_code == 0, r.output
    assert "mode: comparable (" in r.output and "not translations" in r.output
    html = page.read_text(encoding="utf-8")
    assert "auto mode: comparable (" in html and "probability that a pair corresponds" in html
    header = etree.parse(str(out)).getroot().find("header")
    assert header.find("prop[@type='x-signature']").text.startswith("mode:comparable|")
    assert header.find("prop[@type='x-mode-choice']").text.startswith("auto: comparable (")
    tus = etree.parse(str(out)).getroot().findall("body/tu")
    scores = [float(tu.find("prop[@type='x-score']").text) for tu in tus]
    # a memory of the corresponding pairs only: no unaligned sentence, nothing under threshold
    assert all(len(tu.findall("tuv")) == 2 for tu in tus)
    assert all(s >= ComparableParams().threshold for s in scores)
    jsonl = tmp_path / "seed.jsonl"
    r = CliRunner().invoke(main, ["align", str(en), str(ko), "-o", str(jsonl), "-q"])
    assert r.exit_code == 0 and "mode:" not in r.output
    meta = json.loads(jsonl.read_text(encoding="utf-8").splitlines()[0])["meta"]
    assert meta["mode"] == "comparable" and meta["mode_choice"]["mode"] == "comparable"


def test_auto_says_when_texts_are_unrelated(cached, tmp_path):
    """An English news report against a Korean Bible book: no pair, and the warning says why."""
    jude = _jsonl(SAMPLE)[0]
    en = tmp_path / "en.txt"
    ko = tmp_path / "ko.txt"
    en.write_text((NTREX / "en.txt").read_text(encoding="utf-8"), encoding="utf-8")
    ko.write_text("\n".join(jude["tgt"]) + "\n", encoding="utf-8")
    result = align_files(en, ko, embedder=cached)
    assert result.info["mode_choice"]["mode"] == "unrelated" and not result.pairs
    assert any("look unrelated" in w for w in result.warnings)
    r = CliRunner().invoke(main, ["align", str(en), str(ko), "-o", str(tmp_path / "u.tmx")])
    assert r.exit_code == 0, r.output
    assert "mode: unrelated" in r.output
    assert not etree.parse(str(tmp_path / "u.tmx")).getroot().findall("body/tu")


def test_the_sample_is_a_copy_of_the_shared_data():
    """The sample is what the shared set holds: its sentences, unchanged, where it is present."""
    if not (SHARED / "eval" / "bible_enko_books.jsonl").exists():
        pytest.skip("shared evaluation data is absent: nothing to compare the sample with")
    books = {d["id"]: d for d in _jsonl(SHARED / "eval" / "bible_enko_books.jsonl")}
    jude = _jsonl(SAMPLE)[0]
    assert jude["src"] == books[jude["id"]]["src"] and jude["tgt"] == books[jude["id"]]["tgt"]


def test_auto_takes_a_translated_sentence_or_two_for_a_translation(cached):
    """Nothing lies beyond the bead of a one-sentence text: its cosine alone decides."""
    en = "The attack occurred just before 7 a.m. near Beacon's Beach in Encinitas."
    ko = "그 공격은 엔시니타스의 비콘 해변 근처에서 오전 7시 전에 일어났다."
    one = align_texts(en, ko, embedder=cached)
    assert one.mode == "parallel" and [b.type for b in one.beads] == ["1-1"]
    en2 = en + " A shark attacked and injured a 13-year-old boy on Saturday."
    ko2 = ko + " 토요일에 상어 한 마리가 13세 소년을 공격해 다치게 했다."
    two = align_texts(en2, ko2, embedder=cached)
    assert two.mode == "parallel" and [b.type for b in two.beads] == ["1-1", "1-1"]
    assert align_texts(en, "창세기 1장 1절. 태초에 하나님이 천지를 창조하시니라.",
                       embedder=cached).mode != "parallel"  # fmt: skip


def test_mode_choice_uses_the_vectors_the_alignment_made(tmp_path):
    """Auto mode judges from the parallel alignment's own sentence vectors: on a fresh cache
    nothing is read back (before, every sentence's state was looked up a second time), and the
    judgement equals the one made by looking them up."""
    emb = load_embedder(cache_dir=tmp_path, jobs=1)
    en, ko = (NTREX / "en.txt").read_text("utf-8"), (NTREX / "ko.txt").read_text("utf-8")
    result = align_texts(en, ko, embedder=emb)
    assert result.info["mode_choice"]["mode"] == "parallel"
    assert emb.hits == 0 and emb.misses > 0
    again = relation_of(result, emb)  # every vector from the cache
    assert emb.hits >= len(result.src) + len(result.tgt)
    assert again.as_info() == result.info["mode_choice"]
