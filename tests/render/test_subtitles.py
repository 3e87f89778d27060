"""Captions by the rules people use (toolkit/render/subtitles.py): runs never cut,
listed words kept whole, breaks before conjunctions, even lines, no flashing cues,
reading speed; checked on sentences of the sample content."""

from __future__ import annotations

from itertools import pairwise
from pathlib import Path

import pytest

from toolkit.content.load import load_content
from toolkit.render.subtitles import (
    COMPOUNDS,
    PHRASE_OPENERS,
    Cue,
    Rules,
    chunks,
    frames_to_read,
    inside_word,
    runs,
    srt,
    timed,
    webvtt,
)
from toolkit.render.typeset import NBSP

RULES = Rules()
REPO = Path(__file__).resolve().parents[2]
HOTLINE = ("Người dân, doanh nghiệp gọi Tổng đài Dịch vụ công (0251) 1022 để hỏi về thủ tục "
           "hành chính, tra cứu tình trạng hồ sơ và gửi phản ánh, kiến nghị.")
TAN_PHU = ("Tổ một cửa lưu động của huyện Tân Phú định kỳ về các ấp xa trung tâm để hướng dẫn "
           "và nhận hồ sơ hộ tịch, chứng thực cho người dân.")
HEALTH = ("Khám sức khỏe tại cơ sở y tế có giấy khám sức khỏe điện tử được kết nối dữ liệu "
          "(không áp dụng với hạng A1, A2, A3).")
DEADLINE = ("Hồ sơ nộp trực tuyến được miễn lệ phí đến hết ngày 31/12/2021 theo quyết định "
            "của UBND tỉnh Đồng Nai.")
WIDTHS = (20, 26, 32, 37, 42)  # narrow lines make every rule bite


def sample_texts() -> list[str]:
    """Every summary and key point (steps, results, topics) of the sample content."""
    units = load_content(REPO, REPO / "content", remember=False).units
    return [u.summary for u in units] + [p for u in units for p in u.key_points]


def lines_of(text: str, rules: Rules = RULES) -> list[str]:
    return [line for cue in chunks(text, rules) for line in cue]


def cuts(groups: list[tuple[str, ...]]) -> set[int]:
    """The index of each word after which a line or a cue ends (but the last)."""
    ends: set[int] = set()
    count = 0
    for lines in groups:
        for line in lines:
            count += len(line.split())
            ends.add(count - 1)
    return ends - {count - 1}


def inside_runs(text: str, rules: Rules) -> set[int]:
    """The index of each word after which no cut may fall: inside a run."""
    inside: set[int] = set()
    count = 0
    for run in runs(text, rules):
        inside.update(range(count, count + len(run) - 1))
        count += len(run)
    return inside


# --- runs -----------------------------------------------------------------------------


@pytest.mark.parametrize("text, run", [
    (HOTLINE, ("(0251)", "1022")),
    (TAN_PHU, ("Tân", "Phú")),
    (DEADLINE, ("ngày", "31/12/2021")),
    ("Hạn nộp hồ sơ là ngày 04/02/2021.", ("ngày", "04/02/2021.")),
    ("Từ ngày 15 tháng 3 năm 2021, hồ sơ được nhận tại nhà.",
     ("ngày", "15", "tháng", "3", "năm", "2021,")),
    (HEALTH, ("(không", "áp", "dụng", "với", "hạng", "A1,", "A2,", "A3).")),
    ("Ông Nguyễn Văn An, công chức tư pháp, hướng dẫn người dân.",
     ("Ông", "Nguyễn", "Văn", "An,")),
    ("Làm việc từ 7 giờ 30 đến 17 giờ, thứ Hai đến thứ Sáu.", ("7", "giờ", "30")),
    ("Làm việc từ 7 giờ 30 đến 17 giờ, thứ Hai đến thứ Sáu.", ("thứ", "Hai")),
    ("Nộp hồ sơ tại Bộ phận Một cửa UBND cấp huyện.", ("Bộ", "phận", "Một", "cửa")),
    ("Theo Nghị định số 45/2020/NĐ-CP của Chính phủ.", ("số", "45/2020/NĐ-CP")),
    ("Người dân TP. Long Khánh nộp hồ sơ.", ("TP.", "Long", "Khánh")),
])
def test_what_reads_as_one_is_one_run(text: str, run: tuple[str, ...]) -> None:
    assert any(run == found[i:i + len(run)] for found in runs(text, RULES)
               for i in range(len(found))), runs(text, RULES)


def test_a_run_stops_short_of_the_words_of_the_next() -> None:
    found = runs("Nộp hồ sơ tại Bộ phận Một cửa UBND cấp huyện.", RULES)
    assert ("Bộ", "phận", "Một", "cửa") in found
    found = runs("Nộp tại Sở Giao thông vận tải Đồng Nai.", RULES)
    assert ("Sở", "Giao", "thông") in found


def test_a_bracketed_phrase_longer_than_a_line_may_break() -> None:
    text = ("Mang theo giấy tờ (căn cước công dân, giấy khai sinh của con, giấy chứng nhận "
            "kết hôn) khi đến nhận kết quả.")
    assert all(len(" ".join(run)) <= RULES.max_chars for run in runs(text, RULES))


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("text", [HOTLINE, TAN_PHU, HEALTH, DEADLINE])
def test_no_line_or_cue_cuts_a_run(text: str, width: int) -> None:
    rules = Rules(max_chars=width)
    groups = chunks(text, rules)
    assert not cuts(groups) & inside_runs(text, rules), groups


def test_the_named_splits_of_the_sample_are_gone() -> None:
    assert not any(line.endswith(("(0251)", "Tân")) for line in lines_of(HOTLINE + " " + TAN_PHU))
    assert not any(line.endswith("điện") for line in lines_of(HEALTH))
    assert "(không áp dụng với hạng A1, A2, A3)." in " / ".join(lines_of(HEALTH))


# --- words, conjunctions, balance -----------------------------------------------------------


def test_compounds_are_pairs_of_syllables_in_lower_case() -> None:
    assert all(len(c.split()) == 2 and c == c.lower() for c in COMPOUNDS)
    assert inside_word("điện", "tử,") and inside_word("Dịch", "vụ")
    assert not inside_word("điện,", "tử")


@pytest.mark.parametrize("width", WIDTHS[1:])  # at 20, a cost among others
def test_a_two_syllable_word_stays_on_one_line_when_it_can(width: int) -> None:
    text = "Điền tờ khai điện tử, tải lên bản chụp rõ nét giấy chứng sinh và các giấy tờ liên quan."
    words = text.split()
    groups = chunks(text, Rules(max_chars=width))
    assert not [i for i in cuts(groups) if inside_word(words[i], words[i + 1])], groups


def test_a_line_breaks_before_a_conjunction_not_after() -> None:
    lines = lines_of("Thanh toán lệ phí và cước bưu chính trực tuyến.")
    assert lines == ["Thanh toán lệ phí", "và cước bưu chính trực tuyến."]


def test_two_lines_are_even_when_nothing_else_decides() -> None:
    lines = lines_of("Người dân tự đánh giá mức độ hài lòng trên thiết bị điện tử "
                     "sau mỗi giao dịch")
    assert len(lines) == 2 and abs(len(lines[0]) - len(lines[1])) <= 4, lines


def test_lines_break_after_punctuation_when_they_can() -> None:
    groups = chunks("Chọn thủ tục đăng ký khai sinh, điền tờ khai điện tử, "
                    "tải lên bản chụp giấy chứng sinh.", RULES)
    assert groups[0][0].endswith(",")


# --- cues and timing ------------------------------------------------------------------------


def test_a_short_fragment_joins_its_neighbour() -> None:
    groups = chunks(HOTLINE, RULES)
    assert all(len(" ".join(lines)) >= RULES.least_chars for lines in groups), groups
    assert " ".join(groups[0]).startswith("Người dân, doanh nghiệp")


def test_a_text_shorter_than_a_cue_is_one_cue_held_the_least_time() -> None:
    cues = timed(chunks("Xin chào.", RULES), 0, RULES)
    assert len(cues) == 1 and cues[0].end == round(RULES.min_seconds * 25)


def test_a_cue_is_timed_at_the_target_pace_within_the_limits() -> None:
    line = ("Người dân tự đánh giá mức độ hài lòng", "trên thiết bị điện tử sau mỗi giao dịch")
    assert frames_to_read(line, RULES) == 138  # 77 characters at 14 a second: 5.5 s
    assert frames_to_read(("x" * 200,), RULES) == 7 * 25
    fast = Rules(target_cps=30)
    assert frames_to_read(line, fast) == 114  # never faster than max_cps, 17


def test_rules_made_as_the_template_makes_them_keep_the_new_defaults() -> None:
    rules = Rules(42, 2, 0.8333, 7.0, 17, 2, 25)
    assert rules.target_cps == 14 and rules.min_seconds == 0.8333


def test_one_line_cues_when_the_template_allows_one() -> None:
    rules = Rules(max_lines=1)
    groups = chunks(HOTLINE, rules)
    assert all(len(lines) == 1 and len(lines[0]) <= 42 for lines in groups)
    assert " ".join(line for g in groups for line in g).split() == HOTLINE.split()


def test_a_word_longer_than_a_line_stands_alone() -> None:
    text = "Xem tại https://dichvucong.dongnai.gov.vn/thu-tuc/dang-ky-khai-sinh-truc-tuyen ngay."
    lines = lines_of(text)
    assert "https://dichvucong.dongnai.gov.vn/thu-tuc/dang-ky-khai-sinh-truc-tuyen" in lines
    assert " ".join(lines).split() == text.split()


def test_cue_text_has_ordinary_spaces_and_markup_characters_stay() -> None:
    text = "Gọi (0251) 1022 & hỏi <Bộ phận Một cửa> về hồ sơ của ông/bà."
    groups = chunks(text, RULES)
    assert " ".join(line for g in groups for line in g) == text
    assert NBSP not in srt(timed(groups, 0, RULES), 25).decode()


def test_srt_and_webvtt_number_and_time_the_cues() -> None:
    cues = [Cue(0, 38, ("Người dân, doanh nghiệp",)), Cue(40, 100, ("gọi (0251) 1022",))]
    assert srt(cues, 25).decode().splitlines()[:3] == [
        "1", "00:00:00,000 --> 00:00:01,520", "Người dân, doanh nghiệp"]
    assert webvtt(cues, 25).decode().splitlines()[5] == "00:00:01.600 --> 00:00:04.000"


# --- every sentence of the sample ----------------------------------------------------------


@pytest.mark.parametrize("text", sample_texts())
def test_every_sample_sentence_keeps_every_rule(text: str) -> None:
    groups = chunks(text, RULES)
    assert " ".join(line for g in groups for line in g).split() == text.split()
    assert all(1 <= len(lines) <= 2 for lines in groups)
    assert all(len(line) <= RULES.max_chars for lines in groups for line in lines)
    assert not cuts(groups) & inside_runs(text, RULES), groups
    lines = [line for g in groups for line in g]
    assert not [line for line in lines[:-1] if line.split()[-1] in PHRASE_OPENERS], lines
    cues = timed(groups, 10, RULES)
    for cue in cues:
        seconds = (cue.end - cue.start) / RULES.fps
        assert seconds >= RULES.min_seconds
        assert len(cue.text) / seconds <= RULES.max_cps
    for before, after in pairwise(cues):
        assert after.start - before.end == RULES.gap_frames
    if len(text) >= RULES.least_chars:
        assert len(cues[0].text) >= RULES.least_chars or len(cues) == 1


def test_the_sample_has_no_flashing_cue_and_few_short_ones() -> None:
    groups = [g for text in sample_texts() for g in chunks(text, RULES)]
    short = [g for g in groups if len(" ".join(g)) < RULES.least_chars]
    assert len(short) <= 2, short  # where a name left no other cut: held 1.5 s all the same
