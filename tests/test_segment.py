from conftest import NTREX, SEED

from aligner.read import normalize_text
from aligner.segment import MAX_SENTENCE_CHARS, split_text


def _check_offsets(text, sentences):
    for s in sentences:
        assert text[s.start : s.end] == s.text
    starts = [s.start for s in sentences]
    assert starts == sorted(starts)


def test_english_seed_sentences_and_offsets():
    text = normalize_text((SEED / "en.txt").read_text(encoding="utf-8"))
    sents = split_text(text, "en")
    _check_offsets(text, sents)
    texts = [s.text for s in sents]
    assert texts[0] == "Korea, Japan talk of military pact"
    # a quote followed by attribution stays one sentence; "U.S." does not end one
    assert any(t.startswith("Kim is to meet this week with U.S. Defense") for t in texts)
    assert "[YONHAP]" in texts  # the photo credit is its own line piece
    assert sents[0].para == 0 and sents[-1].para > 5


def test_korean_seed_sentences_and_paragraphs():
    text = normalize_text((SEED / "ko.txt").read_text(encoding="utf-8"))
    sents = split_text(text, "ko")
    _check_offsets(text, sents)
    texts = [s.text for s in sents]
    # two headline lines are separate sentences, in the same paragraph
    assert texts[0].startswith("한·일, 미·중 한날 국방장관 회담")
    assert texts[1] == "김관진-기타자와 서울 회담"
    assert sents[0].para == sents[1].para == 0
    assert "2007년 방위청이 방위성으로 승격된 이후론 첫 방한이다." in texts
    assert len(sents) >= 20


def test_one_sentence_per_line_files_keep_lines():
    en = split_text(normalize_text((NTREX / "en.txt").read_text(encoding="utf-8")), "en")
    ko = split_text(normalize_text((NTREX / "ko.txt").read_text(encoding="utf-8")), "ko")
    assert len(en) >= 14 and len(ko) >= 14


def test_korean_quote_rules():
    text = "그는 “이것은 시작일 뿐이다.” “우리는 계속 싸울 것이다.” 그가 말했다."
    sents = [s.text for s in split_text(text, "ko")]
    assert sents[0] == "그는 “이것은 시작일 뿐이다.”"
    assert sents[-1].endswith("그가 말했다.")
    assert len(sents) == 2


def test_overlong_line_is_cut_at_spaces():
    text = " ".join(["word"] * 2000)  # 10 kB, no punctuation
    sents = split_text(text, "en")
    assert len(sents) > 1
    assert all(len(s.text) <= MAX_SENTENCE_CHARS for s in sents)
    assert " ".join(s.text for s in sents) == text


def test_hard_wrapped_prose_is_joined():
    text = (
        "This sentence was wrapped by an old text editor because it is long, and\n"
        "it continues on the next line. A second one.\nTitle Line"
    )
    sents = [s.text for s in split_text(text, "en")]
    assert sents[0].startswith("This sentence was wrapped") and sents[0].endswith("next line.")
    assert sents[-1] == "Title Line"


def test_korean_quotative_particle_stays_with_the_quote():
    text = "“여전히 지역 규모의 재난입니다.”라고 적십자가 말했다. “그렇습니다.” 라고 그가 답했다."
    sents = [s.text for s in split_text(text, "ko")]
    assert sents == ["“여전히 지역 규모의 재난입니다.”라고 적십자가 말했다.",
                     "“그렇습니다.” 라고 그가 답했다."]  # fmt: skip


def test_verse_per_line_text_keeps_its_lines():
    """Genesis 1:3-7 in the Korean Revised Version, one verse per line: the verses have no
    final period and most lines are long, but lines of every length stop where a verse stops,
    so the text is not hard-wrapped prose (1:5 and 1:6 were joined)."""
    verses = [
        "하나님이 가라사대 빛이 있으라 하시매 빛이 있었고",
        "그 빛이 하나님의 보시기에 좋았더라 하나님이 빛과 어두움을 나누사",
        "빛을 낮이라 칭하시고 어두움을 밤이라 칭하시니라 "
        "저녁이 되며 아침이 되니 이는 첫째 날이니라",
        "하나님이 가라사대 물 가운데 궁창이 있어 물과 물로 나뉘게 하리라 하시고",
        "하나님이 궁창을 만드사 궁창 아래의 물과 궁창 위의 물로 나뉘게 하시매 그대로 되니라",
    ]
    sents = split_text("\n".join(verses), "ko")
    assert not any("\n" in s.text for s in sents)
    ends = {s.end for s in sents}
    pos = 0
    for v in verses:  # every verse ends a sentence
        pos += len(v)
        assert pos in ends
        pos += 1


def test_korean_cuts_where_no_sentence_ends_are_undone():
    cases = {
        # a quoted phrase continues the sentence
        "그는 ‘역대 대통령 임기 중 가장 극적인 마침표’가 될 것이다.": 1,
        # a dash ends no sentence
        "“그렇게 어린 나이에 많은 일을 겪었을 때” - 그는 14세에 첫 올림픽에 갔다.": 1,
        # an attribution after the quote
        "“사람들은 다른 방식으로 사회 생활을 합니다” 요즘, 그는 말한다.": 1,
        # two sentences inside one quoted passage
        "“후원자의 80%가 불법으로 체류 중입니다. 따라서 계속 추적할 예정입니다.”라고 덧붙였다.": 2,
    }
    for text, n in cases.items():
        assert len(split_text(text, "ko")) == n, [s.text for s in split_text(text, "ko")]


def test_english_words_nupunkt_took_for_abbreviations_end_sentences():
    text = "He was shot in the chest, abdomen and hand. Officers described the shooting."
    assert len(split_text(text, "en")) == 2
    assert len(split_text("Mr. Smith met Dr. Jones in St. Louis on Jan. 5.", "en")) == 1


def test_korean_split_on_several_threads_is_the_same():
    """Given threads, kiwipiepy splits every block of a text at once on its own threads: the
    sentences, offsets and paragraphs are those of the one-thread split, and the progress
    reported adds up to the text."""
    one_text = "\n\n".join((d / "ko.txt").read_text(encoding="utf-8") for d in (SEED, NTREX))
    text = normalize_text("\n\n".join([one_text] * 3) + "\n" + "가" * (MAX_SENTENCE_CHARS + 9))
    done = []
    many = split_text(text, "ko", threads=2, progress=done.append)
    assert many == split_text(text, "ko")
    assert sum(done) == len(text) and len(many) > 100
    _check_offsets(text, many)
