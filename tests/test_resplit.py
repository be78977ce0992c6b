"""The aligner fixes the splitting where the other side of a bead shows it was wrong."""

from aligner import AlignParams, align_texts
from aligner.alignment import Alignment, Bead, check_complete
from aligner.parallel.resplit import candidate_cuts, resplit
from aligner.read import normalize_text
from aligner.segment import Sentence


def test_candidate_cuts_are_plausible_sentence_ends():
    text = "It is said like the letter u. The Assembly Commission met in The Hague on Monday."
    cuts = candidate_cuts(text, "en", {"the"})
    assert [text[:c] for c, _ in cuts] == ["It is said like the letter u."]  # not "in | The"
    title = "An agreement engineered by Arizona Sen. Jeff Flake was reached on Friday."
    assert candidate_cuts(title, "en", {"the", "was"}) == []  # Jeff is a name
    headline = "Dolly Menga's goal secured victory Promoted Livingston stunned Rangers on Sunday."
    assert candidate_cuts(headline, "en", set()) == []
    cut = candidate_cuts(headline, "en", set(), opens_paragraph=True)  # a headline opens it
    assert "Dolly Menga's goal secured victory" in [headline[:c] for c, _ in cut]
    ko = "그는 아침 일찍 집을 떠났다. 그리고 “다시 오겠다”고 말했다"
    assert [ko[:c] for c, _ in candidate_cuts(ko, "ko")] == ["그는 아침 일찍 집을 떠났다."]


def test_a_boundary_the_splitter_missed_is_cut(embedder):
    """nupunkt reads "u." as an initial; the Korean side shows two sentences."""
    en = ("In this context the Welsh letter w is pronounced similarly to the Yorkshire English "
          "pronunciation of the letter u. The Assembly Commission, which is currently drafting "
          "legislation to introduce the name changes, said the final decision will of course "
          "be a matter for the members themselves.")  # fmt: skip
    ko = ("이 맥락에서 웨일스어 글자 w는 u의 요크셔 영어 발음과 비슷하게 발음된다. "
          "현재 이름 변경을 도입하는 법안을 작성하고 있는 의회 위원회는 "
          "최종 결정은 물론 의원들 스스로의 문제일 것이라고 말했다.")  # fmt: skip
    plain = align_texts(en, ko, embedder=embedder, params=AlignParams(resplit=False))
    assert [b.type for b in plain.beads] == ["1-2"]
    fixed = align_texts(en, ko, embedder=embedder)
    assert [b.type for b in fixed.beads] == ["1-1", "1-1"]
    assert fixed.info["resplit"] == {"cut": 1, "joined": 0}
    assert fixed.src[0].text.endswith("letter u.") and fixed.src[1].text.startswith("The ")
    check_complete(fixed.beads, len(fixed.src), len(fixed.tgt))
    norm = normalize_text(en)
    assert all(norm[s.start : s.end] == s.text for s in fixed.src)
    assert "resplit" not in fixed.signature and "resplit:no" in plain.signature


def test_a_cut_where_no_sentence_ends_is_joined(embedder):
    """Two Korean pieces, the first stopping on a syllable no sentence ends on, against one
    English sentence: one sentence again."""
    en_text = "The burnt orange raffia bag was topped with a white leather handle."
    ko_text = "번트 오렌지 라피아 백은 화이트 래 더 핸들로 장식되었다."
    cut = ko_text.index(" 더")
    src = [Sentence(en_text, 0, len(en_text), 0)]
    tgt = [
        Sentence(ko_text[:cut], 0, cut, 0),
        Sentence(ko_text[cut + 1 :], cut + 1, len(ko_text), 0),
    ]
    result = Alignment([Bead((0,), (0, 1), 0.7)], src, tgt, "en", "ko")
    fixed = resplit(result, embedder, en_text, ko_text)
    assert [s.text for s in fixed.tgt] == [ko_text]
    assert [b.type for b in fixed.beads] == ["1-1"] and fixed.info["resplit"]["joined"] == 1


def test_lines_and_srx_segments_are_never_resplit(embedder):
    """--segments lines and --srx give the user's (or the CAT tool's) units: kept as they are,
    and the signature says the aligner did not re-split them."""
    en = ("In this context the Welsh letter w is pronounced similarly to the Yorkshire English "
          "pronunciation of the letter u. The Assembly Commission, which is currently drafting "
          "legislation to introduce the name changes, said the final decision will of course "
          "be a matter for the members themselves.")  # fmt: skip
    ko = ("이 맥락에서 웨일스어 글자 w는 u의 요크셔 영어 발음과 비슷하게 발음된다.\n"
          "현재 이름 변경을 도입하는 법안을 작성하고 있는 의회 위원회는 "
          "최종 결정은 물론 의원들 스스로의 문제일 것이라고 말했다.")  # fmt: skip
    lines = align_texts(en, ko, embedder=embedder, segments="lines", mode="parallel")
    assert [s.text for s in lines.src] == [en] and "resplit" not in lines.info
    assert "resplit:no" in lines.signature
    srx = align_texts(en, ko, embedder=embedder, srx="omegat", mode="parallel")
    assert "resplit" not in srx.info and "resplit:no" in srx.signature
