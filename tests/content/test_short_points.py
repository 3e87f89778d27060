"""A key point with its short form: written as {short: ..., text: ...} beside plain
items, read by every channel as its full text, its short form kept beside (the cache
included), and each way of writing it wrong said on the item's own line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import EXAMPLE, NOTICE, PROCEDURE, write_unit
from toolkit.channels.video.timeline import HEADLINE_CHARS
from toolkit.content.cache import CACHE_FILE, UnitCache
from toolkit.content.load import load_content, read_unit
from toolkit.content.model import MAX_SHORT_CHARS, Procedure
from toolkit.problems import Problem

STEPS = ('steps:\n  - "Đăng nhập Cổng dịch vụ công."\n'
         '  - "Điền tờ khai, tải giấy chứng sinh."\n')
FIRST_STEP_LINE = 9  # the line of "steps.1" in conftest's PROCEDURE


def with_steps(*items: str) -> str:
    """conftest's procedure with these steps, one a line (block items may take two)."""
    assert STEPS in PROCEDURE
    return PROCEDURE.replace(STEPS, "steps:\n" + "".join(f"  - {item}\n" for item in items))


def read(text: str):  # type: ignore[no-untyped-def]
    return read_unit(text.encode("utf-8"), "content/khai-sinh.md", "khai-sinh")


def problems_of(text: str) -> list[Problem]:
    unit, problems = read(text)
    assert unit is None and problems
    return problems


def only_problem(text: str) -> Problem:
    [problem] = problems_of(text)
    return problem


def test_plain_and_short_form_items_mix_and_every_channel_reads_the_full_text() -> None:
    unit, problems = read(with_steps(
        '"Đăng nhập Cổng dịch vụ công."',
        '{short: "Điền tờ khai", text: "Điền tờ khai điện tử, tải giấy chứng sinh."}',
        'short: "Nộp lệ phí"\n    text: "Nộp lệ phí trực tuyến qua cổng thanh toán."'))
    assert problems == [] and isinstance(unit, Procedure)
    assert unit.steps == ("Đăng nhập Cổng dịch vụ công.",
                          "Điền tờ khai điện tử, tải giấy chứng sinh.",
                          "Nộp lệ phí trực tuyến qua cổng thanh toán.")
    assert unit.key_points == unit.steps and all(isinstance(s, str) for s in unit.steps)
    assert unit.shorts == {2: "Điền tờ khai", 3: "Nộp lệ phí"}
    assert [unit.short_point(i) for i in (1, 2, 3, 4)] == [None, "Điền tờ khai", "Nộp lệ phí",
                                                           None]
    assert unit.lines["steps.2"] == FIRST_STEP_LINE + 1
    assert unit.lines["steps.3"] == FIRST_STEP_LINE + 2


@pytest.mark.parametrize("text, old, new", [
    (EXAMPLE, 'results: ["Thời gian chờ dưới 15 phút"]',
     'results: [{short: "Chờ dưới 15 phút", text: "Thời gian chờ dưới 15 phút"}]'),
    (NOTICE, 'topics: ["Hướng dẫn thủ tục", "Tra cứu hồ sơ"]',
     'topics: ["Hướng dẫn thủ tục", {short: "Tra cứu", text: "Tra cứu hồ sơ"}]'),
])
def test_results_and_topics_take_short_forms_too(text: str, old: str, new: str) -> None:
    unit, problems = read_unit(text.replace(old, new).encode("utf-8"), "content/u.md", "u")
    assert problems == [] and unit is not None
    number, short = next(iter(unit.shorts.items()))
    assert unit.short_point(number) == short and short not in unit.key_points
    assert unit.key_points[number - 1] in new


def test_a_short_form_is_cleaned_as_any_item() -> None:
    unit, _problems = read(with_steps(
        '{short: "  Điền\\vtờ khai ", text: "Điền tờ khai điện tử."}'))
    assert unit is not None and unit.short_point(1) == "Điền tờ khai"


# Each way of writing a short form wrong: the item, and words of what is said.
WRONG = {
    "another key": ('{short: "Điền", txt: "Điền tờ khai điện tử."}',
                    ["'txt'", "only short: and text:"]),
    "an unquoted comma": ("{short: Điền, text: Điền tờ khai, tải giấy chứng sinh}",
                          ["'tải giấy chứng sinh'", "only short: and text:"]),
    "no text": ('{short: "Điền"}', ["text: is missing", "both short: and text:"]),
    "no short": ('{text: "Điền tờ khai điện tử."}', ["short: is missing"]),
    "an empty short": ('{short: "", text: "Điền tờ khai điện tử."}', ["short: is empty"]),
    "a short that is a list": ('{short: ["Điền"], text: "Điền tờ khai."}',
                               ["short: should be text"]),
    "an empty text": ('{short: "Điền", text: " "}', ["text: is empty"]),
    "a text that is a list": ('{short: "Điền", text: ["Điền tờ khai."]}',
                              ["text: should be text"]),
    "a short too long": ('{short: "' + "Điền tờ khai " * 5 + '", text: "' + "Điền tờ khai " * 9
                         + '"}', ["the short form is 64 characters long, more than 48"]),
    "a short as long as its text": ('{short: "Điền tờ khai", text: "Điền tờ khai"}',
                                    ["not shorter than the text"]),
    "a bidi override in a short": ('{short: "Điền\\u202e", text: "Điền tờ khai điện tử."}',
                                   ["RIGHT-TO-LEFT OVERRIDE"]),
}


@pytest.mark.parametrize("item, said", WRONG.values(), ids=WRONG.keys())
def test_a_wrong_short_form_is_a_problem_on_its_item_line(item: str, said: list[str]) -> None:
    problem = only_problem(with_steps('"Đăng nhập Cổng dịch vụ công."', item))
    assert (problem.field, problem.line) == ("steps[2]", FIRST_STEP_LINE + 1), str(problem)
    assert all(words in problem.what for words in said), problem.what
    assert problem.fix


def test_other_keys_are_refused_saying_how_to_write_the_item() -> None:
    problem = only_problem(with_steps('"Đăng nhập."',
                                      '{short: "Điền", text: "Điền tờ khai.", icon: "x"}'))
    assert "'icon'" in problem.what and '{short: "' in problem.fix


def test_each_wrong_item_is_said_on_its_own_line() -> None:
    problems = problems_of(with_steps(
        '{short: "Đăng nhập", text: "Đăng nhập Cổng dịch vụ công."}',
        '{short: "Điền"}',
        'short: "Nộp lệ phí trực tuyến qua cổng thanh toán"\n    text: "Nộp lệ phí."',
        '"Nhận kết quả."'))
    assert [(p.field, p.line) for p in problems] == [("steps[2]", FIRST_STEP_LINE + 1),
                                                     ("steps[3]", FIRST_STEP_LINE + 2)]


def test_a_text_too_long_is_said_on_its_item_as_for_a_plain_item() -> None:
    problem = only_problem(with_steps('"Đăng nhập."',
                                      '{short: "Điền", text: "' + "Điền tờ khai. " * 80 + '"}'))
    assert (problem.field, problem.line) == ("steps[2]", FIRST_STEP_LINE + 1)
    assert "more than 1000" in problem.what


def test_shorts_written_as_a_field_give_no_short_form() -> None:
    unit, problems = read(PROCEDURE.replace("tags:", 'shorts: {1: "Đăng nhập"}\ntags:'))
    assert problems == [] and unit is not None and unit.shorts == {}


def test_the_video_headline_keeps_to_the_short_form_limit() -> None:
    assert HEADLINE_CHARS == MAX_SHORT_CHARS == 48


def test_the_unit_cache_keeps_the_short_forms(tmp_path: Path) -> None:
    write_unit(tmp_path, "khai-sinh", with_steps(
        '"Đăng nhập Cổng dịch vụ công."',
        '{short: "Điền tờ khai", text: "Điền tờ khai điện tử, tải giấy chứng sinh."}'))
    [parsed] = load_content(tmp_path, tmp_path / "content").units
    cached = json.loads((tmp_path / CACHE_FILE).read_text(encoding="utf-8"))
    [fields] = cached["units"].values()
    assert fields["shorts"] == {"2": "Điền tờ khai"}  # JSON keys are text
    assert UnitCache(tmp_path).get(parsed.fingerprint) == parsed
    [again] = load_content(tmp_path, tmp_path / "content").units
    assert again == parsed and again.short_point(2) == "Điền tờ khai"


def test_a_cached_short_form_past_its_limit_is_not_taken(tmp_path: Path) -> None:
    write_unit(tmp_path, "khai-sinh", with_steps(
        '{short: "Điền tờ khai", text: "Điền tờ khai điện tử, tải giấy chứng sinh."}'))
    [parsed] = load_content(tmp_path, tmp_path / "content").units
    path = tmp_path / CACHE_FILE
    cached = json.loads(path.read_text(encoding="utf-8"))
    cached["units"][parsed.fingerprint]["shorts"] = {"1": "x" * 49}
    path.write_text(json.dumps(cached), encoding="utf-8")
    assert UnitCache(tmp_path).get(parsed.fingerprint) is None  # parsed again instead
    [again] = load_content(tmp_path, tmp_path / "content").units
    assert again.short_point(1) == "Điền tờ khai"
