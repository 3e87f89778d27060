"""Loading content units: valid units of each kind, and every kind of bad input."""

from __future__ import annotations

import unicodedata
from datetime import datetime
from pathlib import Path

import pytest

from tests.conftest import EXAMPLE, NOTICE, PROCEDURE, write_unit
from tests.content.test_text import to_cp1258
from toolkit.channels import names
from toolkit.content.load import load_content, read_unit
from toolkit.content.model import Example, Notice, Procedure
from toolkit.problems import Problem, by_place

STEPS = ('steps:\n  - "Đăng nhập Cổng dịch vụ công."\n'
         '  - "Điền tờ khai, tải giấy chứng sinh."\n')
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00" + bytes(range(256)) * 4


def edit(text: str, old: str, new: str) -> str:
    """`text` with `old` replaced by `new`; fails when `old` is not there."""
    assert old in text, f"{old!r} not in the unit text"
    return text.replace(old, new, 1)


def add_field(text: str, line: str) -> str:
    """`text` with one more front-matter line after kind:."""
    return edit(text, "\ntitle:", f"\n{line}\ntitle:")


def read(text: str | bytes, stem: str = "khai-sinh"):
    data = text.encode("utf-8") if isinstance(text, str) else text
    return read_unit(data, f"content/{stem}.md", stem)


def load_ok(text: str | bytes, stem: str = "khai-sinh"):
    unit, problems = read(text, stem)
    assert problems == []
    assert unit is not None
    return unit


def problems_of(text: str | bytes, stem: str = "khai-sinh") -> list[Problem]:
    unit, problems = read(text, stem)
    assert unit is None
    assert problems
    return problems


def only_problem(text: str | bytes, stem: str = "khai-sinh") -> Problem:
    problems = problems_of(text, stem)
    assert len(problems) == 1, [str(p) for p in problems]
    return problems[0]


# Bad inputs: name -> (file stem, file bytes, the fields the problems name).
# test_cli_check.py runs each of these through `toolkit check` too.
BAD_INPUTS: dict[str, tuple[str, bytes, set[str]]] = {
    "yaml-unclosed-quote": ("khai-sinh", edit(PROCEDURE, '"Đăng ký khai sinh trực tuyến"',
                                              '"Đăng ký khai sinh trực tuyến').encode(), {""}),
    "yaml-bad-indent": ("khai-sinh", edit(PROCEDURE, "summary:", "  summary:").encode(), {""}),
    "no-front-matter": ("khai-sinh", "# Đăng ký khai sinh\n\nNội dung.\n".encode(), {""}),
    "front-matter-is-a-list": ("khai-sinh", b"---\n- kind\n- title\n---\n\nbody\n", {""}),
    "procedure-missing-fields": ("khai-sinh", b"---\nkind: procedure\n---\n",
                                 {"title", "summary", "publish", "agency", "steps"}),
    "example-missing-fields": ("tan-phong", b"---\nkind: example\n---\n",
                               {"title", "summary", "publish", "organisation", "results"}),
    "notice-missing-fields": ("tong-dai", b"---\nkind: notice\n---\n",
                              {"title", "summary", "publish", "hotline"}),
    "unknown-kind": ("khai-sinh", edit(PROCEDURE, "kind: procedure", "kind: leaflet").encode(),
                     {"kind"}),
    "missing-kind": ("khai-sinh", edit(PROCEDURE, "kind: procedure\n", "").encode(), {"kind"}),
    "impossible-date": ("khai-sinh", edit(PROCEDURE, "2021-02-09", "2021-02-30").encode(),
                        {"publish"}),
    "badly-formatted-date": ("khai-sinh", edit(PROCEDURE, "2021-02-09", "09/02/2021").encode(),
                             {"publish"}),
    "unknown-field": ("khai-sinh", edit(PROCEDURE, "title:", "titel:").encode(),
                      {"titel", "title"}),
    "windows-1258": ("khai-sinh", to_cp1258(PROCEDURE), {""}),
    "binary": ("khai-sinh", PNG, {""}),
    "id-dot-dot": ("khai-sinh", add_field(PROCEDURE, 'id: "../evil"').encode(), {"id"}),
    "id-slash": ("khai-sinh", add_field(PROCEDURE, 'id: "a/b"').encode(), {"id"}),
    "id-dot": ("khai-sinh", add_field(PROCEDURE, 'id: "x.y"').encode(), {"id"}),
    "id-marks": ("khai-sinh", add_field(PROCEDURE, 'id: "đăng-ký"').encode(), {"id"}),
    "id-upper": ("khai-sinh", add_field(PROCEDURE, 'id: "Upper"').encode(), {"id"}),
    "stem-not-an-id": ("Khai Sinh", PROCEDURE.encode(), {"id"}),
    "title-too-long": ("khai-sinh", edit(PROCEDURE, '"Đăng ký khai sinh trực tuyến"',
                                         '"' + "Đăng ký " * 25 + '"').encode(), {"title"}),
    "bad-link": ("khai-sinh", add_field(PROCEDURE, 'link: "ftp://dichvucong.gov.vn"').encode(),
                 {"link"}),
    "steps-not-a-list": ("khai-sinh", edit(PROCEDURE, STEPS, 'steps: "one string"\n').encode(),
                         {"steps"}),
    "unknown-channel": ("khai-sinh", add_field(PROCEDURE, "channels: [rss, fax]").encode(),
                        {"channels[2]"}),
    "escape-character": ("khai-sinh", edit(PROCEDURE, "kể từ", "kể\x1b từ").encode(), {"body"}),
    "bidi-override": ("khai-sinh", edit(PROCEDURE, "Đăng ký khai", "Đăng \u202eký khai").encode(),
                      {"title"}),
    "escaped-control": ("khai-sinh", edit(PROCEDURE, "UBND cấp", "UBND\\e cấp").encode(),
                        {"agency"}),
    "yaml-alias": ("khai-sinh", edit(PROCEDURE, 'tags: ["hộ tịch"]',
                                     'tags: &t ["hộ tịch"]\nfield: *t').encode(), {""}),
    "markup-in-summary": ("khai-sinh", edit(PROCEDURE, "Cha mẹ nộp", "<i>Cha mẹ</i> nộp").encode(),
                          {"summary"}),
    "markup-in-tag": ("khai-sinh", edit(PROCEDURE, '["hộ tịch"]', '["<b>hộ tịch</b>"]').encode(),
                      {"tags[1]"}),
    "body-too-long": ("khai-sinh", edit(PROCEDURE, "kể từ ngày sinh.", "x " * 10_001).encode(),
                      {"body"}),
    "step-too-long": ("khai-sinh", edit(PROCEDURE, "Đăng nhập Cổng", "Đăng " * 201).encode(),
                      {"steps[1]"}),
    "too-many-tags": ("khai-sinh", edit(PROCEDURE, '["hộ tịch"]', str([f"t{i}" for i in range(51)])
                                        ).encode(), {"tags"}),
}


# --- valid units ------------------------------------------------------------


def test_procedure_loads() -> None:
    unit = load_ok(PROCEDURE)
    assert isinstance(unit, Procedure)
    assert unit.kind == "procedure"
    assert unit.id == "khai-sinh"
    assert unit.title == "Đăng ký khai sinh trực tuyến"
    assert unit.summary.startswith("Cha mẹ nộp hồ sơ")
    assert unit.publish == datetime(2021, 2, 9)
    assert unit.agency == "UBND cấp xã"
    assert unit.steps == ("Đăng nhập Cổng dịch vụ công.", "Điền tờ khai, tải giấy chứng sinh.")
    assert unit.tags == ("hộ tịch",)
    assert unit.body == "Theo Luật Hộ tịch, **60 ngày** kể từ ngày sinh."
    assert unit.source == "content/khai-sinh.md"
    assert unit.fingerprint


def test_notice_loads() -> None:
    unit = load_ok(NOTICE, "tong-dai-1022")
    assert isinstance(unit, Notice)
    assert unit.id == "tong-dai-1022"
    assert unit.hotline == "1022"
    assert unit.topics == ("Hướng dẫn thủ tục", "Tra cứu hồ sơ")
    assert unit.publish == datetime(2021, 2, 8)
    assert unit.body == "Tổng đài làm việc giờ hành chính."


def test_example_loads() -> None:
    unit = load_ok(EXAMPLE, "tan-phong")
    assert isinstance(unit, Example)
    assert unit.organisation == "UBND phường Tân Phong"
    assert unit.results == ("Thời gian chờ dưới 15 phút",)
    assert unit.publish == datetime(2021, 2, 26)
    assert unit.body == "Câu chuyện."


def test_publish_with_a_time() -> None:
    unit = load_ok(edit(PROCEDURE, "publish: 2021-02-09", "publish: 2021-02-09 08:30"))
    assert unit.publish == datetime(2021, 2, 9, 8, 30)


def test_fingerprint_changes_with_the_bytes() -> None:
    one = load_ok(PROCEDURE)
    two = load_ok(edit(PROCEDURE, "60 ngày", "61 ngày"))
    assert one.fingerprint != two.fingerprint
    assert load_ok(PROCEDURE).fingerprint == one.fingerprint


def test_nfd_file_is_loaded_as_nfc() -> None:
    nfd = unicodedata.normalize("NFD", PROCEDURE)
    assert nfd != PROCEDURE
    unit = load_ok(nfd)
    assert unit.title == unicodedata.normalize("NFC", "Đăng ký khai sinh trực tuyến")
    assert unit.title == "Đăng ký khai sinh trực tuyến"
    assert unit.steps[1] == unicodedata.normalize("NFC", "Điền tờ khai, tải giấy chứng sinh.")
    assert unit.agency == "UBND cấp xã"
    assert unit.tags == ("hộ tịch",)
    assert unit.body == "Theo Luật Hộ tịch, **60 ngày** kể từ ngày sinh."
    assert unicodedata.is_normalized("NFC", unit.body)


def test_nfd_title_alone_is_loaded_as_nfc() -> None:
    nfd_title = unicodedata.normalize("NFD", "Đăng ký khai sinh")
    unit = load_ok(edit(PROCEDURE, '"Đăng ký khai sinh trực tuyến"', f'"{nfd_title}"'))
    assert unit.title == unicodedata.normalize("NFC", nfd_title)
    assert unit.title != nfd_title


def test_utf8_bom_is_accepted() -> None:
    unit = load_ok(b"\xef\xbb\xbf" + PROCEDURE.encode("utf-8"))
    assert unit.kind == "procedure"
    assert unit.title == "Đăng ký khai sinh trực tuyến"


def test_crlf_line_ends_are_accepted() -> None:
    unit = load_ok(PROCEDURE.replace("\n", "\r\n"))
    plain = load_ok(PROCEDURE)
    assert "\r" not in unit.body
    assert "\r" not in unit.title and "\r" not in unit.summary
    assert all("\r" not in step for step in unit.steps)
    assert unit.model_dump(exclude={"fingerprint"}) == plain.model_dump(exclude={"fingerprint"})


def test_id_defaults_to_the_file_stem() -> None:
    assert load_ok(PROCEDURE, "dang-ky-khai-sinh-2021").id == "dang-ky-khai-sinh-2021"


def test_id_in_the_file_wins_over_the_stem() -> None:
    unit = load_ok(add_field(PROCEDURE, "id: khai-sinh-truc-tuyen"), "Bản nháp")
    assert unit.id == "khai-sinh-truc-tuyen"


def test_hotline_written_as_a_number_is_text() -> None:
    unit = load_ok(edit(NOTICE, 'hotline: "1022"', "hotline: 1022"), "tong-dai")
    assert unit.hotline == "1022"
    assert isinstance(unit.hotline, str)


def test_hotline_with_a_leading_zero_keeps_its_digits() -> None:
    unit = load_ok(edit(NOTICE, 'hotline: "1022"', "hotline: 02513456"), "tong-dai")
    assert unit.hotline == "02513456"


def test_procedure_code_written_as_a_number_keeps_its_digits() -> None:
    unit = load_ok(add_field(PROCEDURE, "code: 1.001190"))
    assert unit.code == "1.001190"


def test_all_digit_id_written_without_quotes_is_accepted() -> None:
    unit, problems = read(add_field(NOTICE, "id: 2021"), "tong-dai")
    assert [str(p) for p in problems] == []
    assert unit is not None and unit.id == "2021"


def test_all_digit_id_in_quotes_is_accepted() -> None:
    assert load_ok(add_field(NOTICE, 'id: "2021"'), "tong-dai").id == "2021"


@pytest.mark.parametrize("field", ["image", "link", "sms", "expires", "code", "fee", "where",
                                   "processing_time", "field"])
def test_empty_optional_field_is_none(field: str) -> None:
    unit = load_ok(add_field(PROCEDURE, f'{field}: ""'))
    assert getattr(unit, field) is None


def test_empty_optional_fields_of_notice_and_example_are_none() -> None:
    notice = load_ok(add_field(NOTICE, 'hours: ""'), "tong-dai")
    example = load_ok(add_field(EXAMPLE, 'place: ""'), "tan-phong")
    assert notice.hours is None
    assert example.place is None


def test_procedure_and_notice_go_to_every_channel_by_default() -> None:
    assert load_ok(PROCEDURE).channels is None
    assert set(load_ok(PROCEDURE).wanted_channels) == set(names())
    assert set(load_ok(NOTICE, "tong-dai").wanted_channels) == set(names())


def test_example_gets_no_sms_by_default() -> None:
    wanted = load_ok(EXAMPLE, "tan-phong").wanted_channels
    assert "sms" not in wanted
    assert set(wanted) == {"print", "video", "rss", "bulletin", "social", "radio"}


def test_channels_given_are_kept() -> None:
    unit = load_ok(add_field(EXAMPLE, "channels: [rss, sms]"), "tan-phong")
    assert unit.wanted_channels == ("rss", "sms")


# --- bad input ----------------------------------------------------------------


@pytest.mark.parametrize("case", sorted(BAD_INPUTS))
def test_bad_input_gives_problems_not_exceptions(case: str) -> None:
    stem, data, fields = BAD_INPUTS[case]
    unit, problems = read_unit(data, f"content/{stem}.md", stem)
    assert unit is None
    assert problems
    for problem in problems:
        assert isinstance(problem, Problem)
        assert problem.file == f"content/{stem}.md"
        assert problem.what.strip()
        assert problem.fix.strip()
    assert {p.field for p in problems} == fields


def test_unclosed_quote_has_a_line_number() -> None:
    problem = only_problem(BAD_INPUTS["yaml-unclosed-quote"][1])
    assert "not valid YAML" in problem.what
    # The quote opens on line 3; YAML notices on line 4, where the next quote closes it.
    assert problem.line in (3, 4)


def test_bad_indentation_points_at_its_line() -> None:
    problem = only_problem(BAD_INPUTS["yaml-bad-indent"][1])
    assert "not valid YAML" in problem.what
    assert problem.line == 4  # "  summary:" is the 4th line of the file
    assert "indentation" in problem.fix


def test_no_front_matter() -> None:
    problem = only_problem(BAD_INPUTS["no-front-matter"][1])
    assert problem.what == "has no front matter"
    assert problem.line == 1
    assert '"---"' in problem.fix


def test_front_matter_that_is_a_list() -> None:
    problem = only_problem(BAD_INPUTS["front-matter-is-a-list"][1])
    assert "not a list of fields" in problem.what
    assert "name: value" in problem.fix


@pytest.mark.parametrize(("case", "required"), [
    ("procedure-missing-fields", {"title", "summary", "publish", "agency", "steps"}),
    ("example-missing-fields", {"title", "summary", "publish", "organisation", "results"}),
    ("notice-missing-fields", {"title", "summary", "publish", "hotline"}),
])
def test_every_missing_field_is_reported_at_once(case: str, required: set[str]) -> None:
    stem, data, _ = BAD_INPUTS[case]
    problems = problems_of(data, stem)
    assert {p.field for p in problems} == required
    assert len(problems) == len(required)
    assert all(p.what == "is missing" for p in problems)


def test_several_different_problems_are_reported_at_once() -> None:
    text = edit(edit(edit(PROCEDURE, "2021-02-09", "2021-02-30"), "title:", "titel:"),
                STEPS, 'steps: "one"\n')
    fields = {p.field for p in problems_of(text)}
    assert {"publish", "titel", "title", "steps"} <= fields


def test_problems_are_in_line_order() -> None:
    text = edit(edit(PROCEDURE, "2021-02-09", "2021-02-30"), STEPS, 'steps: "one"\n')
    lines = [p.line for p in problems_of(text)]
    assert lines == sorted(lines)
    assert lines == [5, 8]


def test_unknown_kind() -> None:
    problem = only_problem(BAD_INPUTS["unknown-kind"][1])
    assert problem.field == "kind"
    assert problem.line == 2
    assert "'leaflet'" in problem.what
    assert "procedure" in problem.fix and "example" in problem.fix and "notice" in problem.fix


def test_missing_kind() -> None:
    problem = only_problem(BAD_INPUTS["missing-kind"][1])
    assert problem.field == "kind"
    assert problem.what == "is missing"
    assert "kind: procedure" in problem.fix


def test_impossible_date() -> None:
    problem = only_problem(BAD_INPUTS["impossible-date"][1])
    assert problem.field == "publish"
    assert problem.line == 5
    assert "2021-02-30" in problem.what
    assert "not a real date" in problem.what
    assert "YYYY-MM-DD" in problem.fix


def test_badly_formatted_date() -> None:
    problem = only_problem(BAD_INPUTS["badly-formatted-date"][1])
    assert problem.field == "publish"
    assert "09/02/2021" in problem.what
    assert "YYYY-MM-DD" in problem.fix


def test_impossible_expiry_date() -> None:
    problem = only_problem(add_field(PROCEDURE, "expires: 2021-04-31"))
    assert problem.field == "expires"
    assert "2021-04-31" in problem.what
    assert "YYYY-MM-DD" in problem.fix


def test_unknown_field_suggests_the_known_one() -> None:
    problems = problems_of(BAD_INPUTS["unknown-field"][1])
    unknown = next(p for p in problems if p.field == "titel")
    assert unknown.line == 3
    assert "is not a field of a procedure" in unknown.what
    assert unknown.fix == "did you mean title?"


def test_unknown_field_without_a_close_match_lists_the_fields() -> None:
    problem = only_problem(add_field(NOTICE, 'xyzzy: "1"'), "tong-dai")
    assert problem.field == "xyzzy"
    assert "hotline" in problem.fix and "topics" in problem.fix
    assert "fingerprint" not in problem.fix


def test_windows_1258_file() -> None:
    problem = only_problem(BAD_INPUTS["windows-1258"][1])
    assert "not UTF-8" in problem.what
    assert "Windows-1258" in problem.what and "TCVN3" in problem.what
    assert "UTF-8" in problem.fix


def test_binary_file() -> None:
    problem = only_problem(BAD_INPUTS["binary"][1])
    assert "not a text file" in problem.what
    assert "UTF-8" in problem.fix


@pytest.mark.parametrize("bad_id", ["../evil", "a/b", "x.y", "đăng-ký", "Upper", "-a", "a--b",
                                    "a b", ""])
def test_bad_id_is_refused(bad_id: str) -> None:
    problem = only_problem(add_field(PROCEDURE, f"id: {bad_id!r}".replace("'", '"')))
    assert problem.field == "id"
    assert problem.line == 3  # add_field puts it after kind:
    assert "lowercase" in problem.fix


def test_file_name_that_is_no_id() -> None:
    problem = only_problem(PROCEDURE, "Khai Sinh")
    assert problem.file == "content/Khai Sinh.md"
    assert problem.field == "id"
    assert "'Khai Sinh'" in problem.what
    assert "rename the file" in problem.fix and "set id" in problem.fix


def test_too_long_title_gives_its_length() -> None:
    problem = only_problem(BAD_INPUTS["title-too-long"][1])
    assert problem.field == "title"
    assert problem.line == 3
    assert "is 200 characters long, more than 160" in problem.what


def test_title_of_160_characters_is_fine() -> None:
    title = "Đ" * 160
    assert load_ok(edit(PROCEDURE, '"Đăng ký khai sinh trực tuyến"', f'"{title}"')).title == title


def test_bad_link() -> None:
    problem = only_problem(BAD_INPUTS["bad-link"][1])
    assert problem.field == "link"
    assert "ftp://dichvucong.gov.vn" in problem.what
    assert "https://" in problem.fix


def test_steps_that_is_one_string() -> None:
    problem = only_problem(BAD_INPUTS["steps-not-a-list"][1])
    assert problem.field == "steps"
    assert problem.what == "should be a list"
    assert "  - " in problem.fix


def test_empty_steps() -> None:
    problem = only_problem(edit(PROCEDURE, STEPS, "steps: []\n"))
    assert problem.field == "steps"
    assert "at least one" in problem.what


def test_unknown_channel() -> None:
    problem = only_problem(BAD_INPUTS["unknown-channel"][1])
    assert problem.field == "channels[2]"
    assert "'fax'" in problem.what
    assert ", ".join(names()) in problem.fix


def test_empty_required_text() -> None:
    problem = only_problem(edit(PROCEDURE, '"UBND cấp xã"', '""'))
    assert problem.field == "agency"
    assert problem.what == "is empty"
    assert "agency:" in problem.fix


# --- the content folder ---------------------------------------------------------


def test_load_content_of_the_fixture_project(project: Path) -> None:
    content = load_content(project, project / "content")
    assert content.problems == []
    assert content.broken == set()
    assert sorted(u.id for u in content.units) == ["khai-sinh", "tan-phong", "tong-dai-1022"]
    assert {u.source for u in content.units} == {
        "content/khai-sinh.md", "content/tan-phong.md", "content/tong-dai-1022.md"}


def test_broken_unit_is_left_out_and_the_rest_load(project: Path) -> None:
    write_unit(project, "hong", edit(PROCEDURE, "2021-02-09", "2021-02-30"))
    content = load_content(project, project / "content")
    assert len(content.units) == 3
    assert content.broken == {"hong"}
    assert [p.file for p in content.problems] == ["content/hong.md"]


def test_broken_unit_with_an_id_is_known_by_it(project: Path) -> None:
    write_unit(project, "hong", add_field(edit(PROCEDURE, "2021-02-09", "2021-02-30"),
                                          "id: khai-sinh-cu"))
    assert load_content(project, project / "content").broken == {"khai-sinh-cu"}


def test_duplicate_ids_are_both_refused(project: Path) -> None:
    write_unit(project, "khai-sinh-2", add_field(PROCEDURE, "id: khai-sinh"))
    content = load_content(project, project / "content")
    assert sorted(u.id for u in content.units) == ["tan-phong", "tong-dai-1022"]
    assert "khai-sinh" in content.broken
    problems = {p.file: p for p in content.problems}
    assert set(problems) == {"content/khai-sinh.md", "content/khai-sinh-2.md"}
    assert all(p.field == "id" for p in problems.values())
    assert "content/khai-sinh-2.md" in problems["content/khai-sinh.md"].what
    assert "content/khai-sinh.md" in problems["content/khai-sinh-2.md"].what
    assert all(p.fix for p in problems.values())


def test_units_in_subfolders_are_loaded(project: Path) -> None:
    write_unit(project, "2021/thang-3", edit(PROCEDURE, "2021-02-09", "2021-03-01"))
    content = load_content(project, project / "content")
    unit = next(u for u in content.units if u.id == "thang-3")
    assert unit.source == "content/2021/thang-3.md"


def test_every_bad_input_in_one_folder(project: Path) -> None:
    names = set()
    for case, (stem, data, _) in BAD_INPUTS.items():
        name = stem if case == "stem-not-an-id" else f"bad-{case}"
        write_unit(project, name, data)
        names.add(f"content/{name}.md")
    content = load_content(project, project / "content")
    assert sorted(u.id for u in content.units) == ["khai-sinh", "tan-phong", "tong-dai-1022"]
    assert {p.file for p in content.problems} == names
    assert len(content.broken) == len(BAD_INPUTS)


# --- problems -------------------------------------------------------------------


def test_problem_str_has_file_line_field_what_and_fix() -> None:
    problem = Problem("content/a.md", 3, "title", "is missing", "add a title")
    assert str(problem) == "content/a.md:3: title: is missing -> add a title"


def test_problem_str_without_line() -> None:
    problem = Problem("content/a.md", None, "steps", "should be a list", "use - items")
    assert str(problem) == "content/a.md: steps: should be a list -> use - items"


def test_problem_str_without_field() -> None:
    problem = Problem("content/a.md", 1, "", "has no front matter", "add ---")
    assert str(problem) == "content/a.md:1: has no front matter -> add ---"


def test_problem_str_without_fix() -> None:
    assert str(Problem("content/a.md", 2, "id", "is bad")) == "content/a.md:2: id: is bad"


def test_loaded_problem_formats_as_one_line() -> None:
    problem = only_problem(BAD_INPUTS["impossible-date"][1])
    assert str(problem) == (
        "content/khai-sinh.md:5: publish: '2021-02-30' is not a real date: month 2 of 2021 has "
        "28 days -> write the date as YYYY-MM-DD, e.g. 2021-02-15")


def test_by_place_sorts_by_file_then_line() -> None:
    problems = [Problem("b.md", 2, "", "x"), Problem("a.md", None, "", "y"),
                Problem("a.md", 7, "", "z"), Problem("b.md", 1, "", "w")]
    assert [(p.file, p.line) for p in by_place(problems)] == [
        ("a.md", None), ("a.md", 7), ("b.md", 1), ("b.md", 2)]


def test_image_must_exist_next_to_the_unit(tmp_path: Path) -> None:
    (tmp_path / "content" / "anh").mkdir(parents=True)
    (tmp_path / "content" / "anh" / "co.jpg").write_bytes(b"\xff\xd8\xff\xe0")
    good = PROCEDURE.replace("publish:", "image: anh/co.jpg\npublish:")
    bad = PROCEDURE.replace("publish:", "image: anh/khong-co.jpg\npublish:")
    (tmp_path / "content" / "co-anh.md").write_text(good, encoding="utf-8")
    (tmp_path / "content" / "thieu-anh.md").write_text(bad, encoding="utf-8")
    content = load_content(tmp_path, tmp_path / "content")
    assert [u.id for u in content.units] == ["co-anh"]
    assert [(p.file, p.field) for p in content.problems] == [("content/thieu-anh.md", "image")]
    assert content.broken == {"thieu-anh"}


def test_hidden_files_and_folders_are_passed_over(tmp_path: Path) -> None:
    content_dir = tmp_path / "content"
    (content_dir / ".trash").mkdir(parents=True)
    (content_dir / "khai-sinh.md").write_text(PROCEDURE, encoding="utf-8")
    (content_dir / "._khai-sinh.md").write_bytes(b"\x00\x05\x16\x07 Mac OS X")
    (content_dir / ".trash" / "cu.md").write_text(PROCEDURE, encoding="utf-8")
    content = load_content(tmp_path, content_dir)
    assert ([u.id for u in content.units], content.problems) == (["khai-sinh"], [])


def test_a_cached_unit_is_the_same_as_a_parsed_one(tmp_path: Path) -> None:
    (tmp_path / "content").mkdir()
    (tmp_path / "content" / "khai-sinh.md").write_text(PROCEDURE, encoding="utf-8")
    parsed = load_content(tmp_path, tmp_path / "content").units
    assert (tmp_path / ".toolkit-cache" / "units.json").is_file()
    cached = load_content(tmp_path, tmp_path / "content").units
    assert cached == parsed


def test_a_corrupt_cache_is_ignored(tmp_path: Path) -> None:
    (tmp_path / "content").mkdir()
    (tmp_path / "content" / "khai-sinh.md").write_text(PROCEDURE, encoding="utf-8")
    (tmp_path / ".toolkit-cache").mkdir()
    (tmp_path / ".toolkit-cache" / "units.json").write_text("{oops", encoding="utf-8")
    assert [u.id for u in load_content(tmp_path, tmp_path / "content").units] == ["khai-sinh"]


def _tampered_cache(root: Path, field: str, value: str) -> None:
    """Load a unit once, then change one field of its cached entry behind the loader."""
    import json

    (root / "content").mkdir()
    (root / "content" / "khai-sinh.md").write_text(PROCEDURE, encoding="utf-8")
    load_content(root, root / "content")
    cache_file = root / ".toolkit-cache" / "units.json"
    data = json.loads(cache_file.read_text(encoding="utf-8"))
    for fields in data["units"].values():
        fields[field] = value
    cache_file.write_text(json.dumps(data), encoding="utf-8")


def test_a_cache_entry_that_no_longer_validates_is_parsed_again(tmp_path: Path) -> None:
    _tampered_cache(tmp_path, "title", "")
    units = load_content(tmp_path, tmp_path / "content").units
    assert [u.title for u in units] == ["Đăng ký khai sinh trực tuyến"]


# --- characters no channel can carry, aliases, markup, limits ----------------------------


def test_a_control_character_has_its_line_column_and_field() -> None:
    problem = only_problem(edit(PROCEDURE, "kể từ", "kể\x1b từ"))
    assert (problem.line, problem.field) == (13, "body")
    assert problem.what == ("U+001B ESC at column 34 is an invisible control character, which "
                            "no feed or PDF can hold")
    assert problem.fix.startswith("delete it")


def test_a_control_character_in_a_list_item_names_the_list() -> None:
    problem = only_problem(edit(PROCEDURE, "tải giấy", "tải\x07 giấy"))
    assert (problem.line, problem.field) == (10, "steps")
    assert problem.what.startswith("U+0007 BEL at column 23 ")


def test_the_rest_of_a_file_with_a_control_character_is_checked_too() -> None:
    text = edit(edit(PROCEDURE, "kể từ", "kể\x1b từ"), "2021-02-09", "2021-02-30")
    assert [p.field for p in problems_of(text)] == ["publish", "body"]


def test_an_escaped_control_character_names_its_field_and_line() -> None:
    problem = only_problem(edit(PROCEDURE, '"UBND cấp xã"', '"UBND \\x1b cấp xã"'))
    assert (problem.line, problem.field) == (7, "agency")
    assert problem.what.startswith('U+001B ESC (written as an escape in quotes')


@pytest.mark.parametrize("pasted", ["\v", "\u2028", "\u2029", "\f"])
def test_a_pasted_break_in_a_field_is_a_space(pasted: str) -> None:
    unit = load_ok(edit(PROCEDURE, "Đăng ký khai", f"Đăng ký{pasted}khai"))
    assert unit.title == "Đăng ký khai sinh trực tuyến"


@pytest.mark.parametrize("pasted, body", [
    ("\v", "Theo Luật Hộ tịch,\\\n**60 ngày** kể từ ngày sinh."),
    ("\u2028", "Theo Luật Hộ tịch,\\\n**60 ngày** kể từ ngày sinh."),
    ("\u2029", "Theo Luật Hộ tịch,\n\n**60 ngày** kể từ ngày sinh."),
    ("\f", "Theo Luật Hộ tịch,\n\n**60 ngày** kể từ ngày sinh."),
])
def test_a_pasted_break_in_the_body_is_a_markdown_break(pasted: str, body: str) -> None:
    assert load_ok(edit(PROCEDURE, "tịch, **60", f"tịch,{pasted}**60")).body == body


def test_a_stale_cache_entry_with_a_control_character_is_parsed_again(tmp_path: Path) -> None:
    _tampered_cache(tmp_path, "body", "a\x1bb\vc")
    [unit] = load_content(tmp_path, tmp_path / "content").units
    assert unit.body == "Theo Luật Hộ tịch, **60 ngày** kể từ ngày sinh."


@pytest.mark.parametrize("front", ["tags: &t [a]\nfield: *t", "field: &f Hộ tịch",
                                   "<<: &m {fee: x}"])
def test_yaml_anchors_and_aliases_are_refused_with_their_line(front: str) -> None:
    problem = only_problem(edit(PROCEDURE, 'tags: ["hộ tịch"]', front))
    assert problem.line == 6
    assert "YAML anchor" in problem.what and "not allowed" in problem.what


def test_an_ampersand_or_star_in_quotes_is_text() -> None:
    unit = load_ok(edit(PROCEDURE, '"UBND cấp xã"', '"&UBND *cấp xã"'))
    assert unit.agency == "&UBND *cấp xã"


def test_a_huge_value_is_quoted_cut_short() -> None:
    problem = only_problem(edit(PROCEDURE, "kind: procedure", "kind: " + "x" * 100_000))
    assert problem.what == "'" + "x" * 59 + "…' is not a kind of unit"


def test_a_list_where_text_is_wanted_is_named_not_printed() -> None:
    problem = only_problem(add_field(PROCEDURE, "audience: [" + ", ".join(["a"] * 5000) + "]"))
    assert problem.what == "a list is not one of: citizens, officials"


def test_the_length_of_a_long_list_is_reported() -> None:
    problem = only_problem(BAD_INPUTS["too-many-tags"][1])
    assert problem.what == "has 51 items, more than 50"


def test_a_long_step_is_reported_with_its_length() -> None:
    problem = only_problem(BAD_INPUTS["step-too-long"][1])
    assert problem.what.startswith("is 10") and problem.what.endswith("characters long, more "
                                                                      "than 1000")
    assert "body" in problem.fix


def test_a_unit_file_past_the_limit_is_not_parsed(tmp_path: Path) -> None:
    from toolkit.content.load import MAX_UNIT_BYTES

    (tmp_path / "content").mkdir()
    (tmp_path / "content" / "dai.md").write_bytes(PROCEDURE.encode() + b"x" * MAX_UNIT_BYTES)
    content = load_content(tmp_path, tmp_path / "content")
    assert content.broken == {"dai"}
    assert content.problems[0].what.startswith("is larger than a unit file can be")


@pytest.mark.parametrize("summary", ["< 15 phút", "phí <= 8.000đ", "1 < 2 > 0", "a <3"])
def test_a_less_than_sign_that_starts_no_tag_is_text(summary: str) -> None:
    assert load_ok(edit(PROCEDURE, "Cha mẹ nộp", f"{summary} Cha mẹ nộp")).summary.startswith(
        summary)


@pytest.mark.parametrize("markup", ["<b>", "</p>", "<!-- x -->", "<svg/onload=alert(1)",
                                    "<?php"])
def test_something_like_a_tag_in_a_title_is_a_problem(markup: str) -> None:
    problem = only_problem(edit(PROCEDURE, "Đăng ký khai", f"Đăng ký {markup} khai"))
    assert problem.field == "title" and problem.line == 3
    assert "looks like HTML" in problem.what and "plain text" in problem.what


# --- the unit's photo: cheap checks in the loader ------------------------------------------


def _with_photo(tmp_path: Path, image: str, data: bytes | None = None) -> list[Problem]:
    (tmp_path / "content" / "anh").mkdir(parents=True, exist_ok=True)
    if data is not None:
        (tmp_path / "content" / "anh" / "mot.jpg").write_bytes(data)
    (tmp_path / "content" / "u.md").write_text(
        PROCEDURE.replace("publish:", f"image: {image}\npublish:"), encoding="utf-8")
    return load_content(tmp_path, tmp_path / "content").problems


@pytest.mark.parametrize("image", ["/etc/passwd", "C:/Users/a/anh.jpg", "../../x.jpg",
                                   "anh/../../../x.jpg"])
def test_a_photo_outside_the_project_is_refused(tmp_path: Path, image: str) -> None:
    [problem] = _with_photo(tmp_path, image)
    assert (problem.field, problem.line) == ("image", 5)
    assert "absolute path" in problem.what or "outside the project" in problem.what


def test_a_photo_up_a_folder_but_inside_the_project_is_fine(tmp_path: Path) -> None:
    (tmp_path / "anh").mkdir()
    (tmp_path / "anh" / "a.png").write_bytes(PNG)
    assert _with_photo(tmp_path, "../anh/a.png") == []


def test_the_loader_never_imports_pillow(tmp_path: Path) -> None:
    import subprocess
    import sys

    (tmp_path / "content" / "anh").mkdir(parents=True)
    (tmp_path / "content" / "anh" / "mot.jpg").write_bytes(b"\xff\xd8\xff\xe0" + bytes(100))
    (tmp_path / "content" / "u.md").write_text(
        PROCEDURE.replace("publish:", "image: anh/mot.jpg\npublish:"), encoding="utf-8")
    code = ("import sys; from pathlib import Path; from toolkit.content.load import load_content; "
            f"c = load_content(Path({str(tmp_path)!r}), Path({str(tmp_path / 'content')!r})); "
            "assert not c.problems, c.problems; print('PIL' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_many_new_units_are_read_on_every_core_as_they_would_be_here(
        project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from toolkit import i18n, workers
    from toolkit.content import load

    write_unit(project, "hong", "---\nkind: procedure\ntitle: [\n---\n")
    here = load_content(project, project / "content", remember=False)
    monkeypatch.setattr(load, "PARSE_IN_WORKERS", 2)
    monkeypatch.setattr(load, "PARSE_CHUNK", 1)
    monkeypatch.setattr(load, "cores", lambda: 2)
    started = []
    monkeypatch.setattr(load, "pool", lambda n: started.append(n) or workers.pool(n))
    i18n.use("en")
    apart = load_content(project, project / "content", remember=False)
    assert started == [2]
    assert apart.units == here.units and apart.broken == here.broken
    assert apart.problems == here.problems and "hong.md" in apart.problems[0].file
