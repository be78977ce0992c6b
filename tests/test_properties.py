"""Invariants over generated texts in both scripts (hypothesis), with the real model and DTD.

Nothing may be lost: every input sentence sits in exactly one bead, in order, and the sentences
together hold every non-space character of the (normalised) input. Bead sizes respect the
configured maxima; every TMX validates against the TMX 1.4 DTD; every TSV row has six columns.
"""

import tempfile
from pathlib import Path

from conftest import DTD
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from aligner import AlignParams, align_texts
from aligner.read import normalize_text
from aligner.segment import split_text

EN_WORDS = (
    "the talks ended today and officials said that both sides agreed to meet again in Seoul".split()
)
KO_WORDS = "회담이 오늘 끝났고 관계자들은 양측이 서울에서 다시 만나기로 합의했다고 밝혔다".split()
ODD = ["2024", "3.5%", "https://example.com/a?b=1", "😀", "\x0b", "\x07", "“quoted”", "Dr.", "U.S."]
SETTINGS = settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
_DTD = etree.DTD(str(DTD))


def sentence(words):
    body = st.lists(st.one_of(st.sampled_from(words), st.sampled_from(ODD)), min_size=1, max_size=9)
    end = st.sampled_from([".", "?", "!", "．", "", "다.", "…"])
    return st.builds(lambda ws, e: " ".join(ws) + e, body, end)


def text(words):
    seps = st.sampled_from([" ", " ", "\n", "\n\n", "\r\n", "\u3000"])
    parts = st.lists(st.tuples(sentence(words), seps), min_size=0, max_size=12)
    return parts.map(lambda ps: "".join(s + sep for s, sep in ps))


def script_text():
    return st.one_of(text(EN_WORDS), text(KO_WORDS), text(EN_WORDS + KO_WORDS))


def check_nothing_lost(raw, sentences, ids, lang, resplit=False):
    norm = normalize_text(raw)
    if not resplit:  # else the aligner cut or joined some of the splitter's sentences
        assert [s.text for s in sentences] == [s.text for s in split_text(norm, lang)]
    assert ids == list(range(len(sentences)))  # each sentence once, in order
    assert all(norm[s.start : s.end] == s.text for s in sentences)
    assert "".join("".join(s.text for s in sentences).split()) == "".join(norm.split())


@SETTINGS
@given(src=script_text(), tgt=script_text(), max_src=st.integers(1, 4), max_tgt=st.integers(1, 4))
def test_alignment_invariants(embedder, src, tgt, max_src, max_tgt):
    if not src.strip() and not tgt.strip():
        return  # both empty is a user error, tested elsewhere
    params = AlignParams(max_src=max_src, max_tgt=max_tgt)
    result = align_texts(src, tgt, embedder=embedder, params=params)  # auto mode, the default
    if result.mode != "parallel":  # related or unrelated: each sentence once, in any order
        assert result.info["mode_choice"]["mode"] in ("comparable", "unrelated")
        assert sorted(i for b in result.beads for i in b.src_ids) == list(range(len(result.src)))
        assert sorted(j for b in result.beads for j in b.tgt_ids) == list(range(len(result.tgt)))
        result = align_texts(src, tgt, embedder=embedder, params=params, mode="parallel")
    changed = any(result.info.get("resplit", {}).values())
    check_nothing_lost(src, result.src, [i for b in result.beads for i in b.src_ids], "en", changed)
    check_nothing_lost(tgt, result.tgt, [j for b in result.beads for j in b.tgt_ids], "ko", changed)
    fits = params.costs.fits(len(result.src), len(result.tgt))
    allowed = set(params.bead_types(fits, grown=result.info.get("grown", False)))
    for b in result.beads:
        assert b.src_ids or b.tgt_ids
        if b.aligned:  # the maxima bound aligned beads; a run of unaligned ones is one block
            assert len(b.src_ids) <= max_src and len(b.tgt_ids) <= max_tgt
            assert (len(b.src_ids), len(b.tgt_ids)) in allowed
            assert -1.0001 <= b.score <= 1.0001

    rows = [line.split("\t") for line in result.to_tsv().splitlines()]
    assert len(rows) == len(result.beads) and all(len(r) == 6 for r in rows)

    with tempfile.TemporaryDirectory() as d:
        for unaligned in (False, True):
            path = Path(d) / "out.tmx"
            result.to_tmx(path, include_unaligned=unaligned)
            tree = etree.parse(str(path))
            assert _DTD.validate(tree), _DTD.error_log.filter_from_errors()
            assert not list(Path(d).glob("*.part"))
