"""Unit.lines: the line of every field, list item and nested key, for messages about them."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import PROCEDURE
from tests.content.test_load import add_field, edit, load_ok, only_problem
from toolkit.content.load import load_content

ONLINE = 'online:\n  url: "https://dichvucong.gov.vn"\n  full: true\n'


def test_every_field_item_and_key_has_its_line() -> None:
    unit = load_ok(edit(PROCEDURE, 'tags: ["hộ tịch"]\n', 'tags: ["hộ tịch"]\n' + ONLINE))
    assert unit.lines == {
        "kind": 2, "title": 3, "summary": 4, "publish": 5, "tags": 6, "tags.1": 6,
        "online": 7, "online.url": 8, "online.full": 9, "agency": 10,
        "steps": 11, "steps.1": 12, "steps.2": 13, "body": 16}


def test_the_body_line_is_its_first_line_of_text() -> None:
    unit = load_ok(edit(PROCEDURE, "---\n\nTheo", "---\n\n\n\nTheo"))
    assert unit.lines["body"] == 15


def test_the_lines_of_a_file_with_a_bom_and_windows_line_ends() -> None:
    data = b"\xef\xbb\xbf" + PROCEDURE.replace("\n", "\r\n").encode("utf-8")
    assert load_ok(data).lines["steps.2"] == 10


def test_a_problem_of_a_list_item_is_on_the_item_line() -> None:
    problem = only_problem(edit(PROCEDURE, "Điền tờ khai", "Điền " * 201))
    assert (problem.field, problem.line) == ("steps[2]", 10)


def test_a_problem_of_a_nested_key_is_on_its_line() -> None:
    problem = only_problem(add_field(PROCEDURE, 'online:\n  url: "ftp://x"\n  full: true'))
    assert (problem.field, problem.line) == ("online.url", 4)


def test_the_lines_survive_the_unit_cache_and_leave_the_fingerprint(tmp_path: Path) -> None:
    (tmp_path / "content").mkdir()
    (tmp_path / "content" / "khai-sinh.md").write_text(PROCEDURE, encoding="utf-8")
    [parsed] = load_content(tmp_path, tmp_path / "content").units
    cache = json.loads((tmp_path / ".toolkit-cache" / "units.json").read_text(encoding="utf-8"))
    [entry] = cache["units"].values()
    assert entry["lines"] == parsed.lines and parsed.lines["steps.2"] == 10
    entry["title"] = "Từ bộ nhớ đệm"  # proves the next load reads the cache
    (tmp_path / ".toolkit-cache" / "units.json").write_text(json.dumps(cache), encoding="utf-8")
    [cached] = load_content(tmp_path, tmp_path / "content").units
    assert cached.title == "Từ bộ nhớ đệm"
    assert (cached.lines, cached.fingerprint) == (parsed.lines, parsed.fingerprint)


def test_a_cache_written_before_the_lines_is_parsed_again(tmp_path: Path) -> None:
    (tmp_path / "content").mkdir()
    (tmp_path / "content" / "khai-sinh.md").write_text(PROCEDURE, encoding="utf-8")
    load_content(tmp_path, tmp_path / "content")
    cache_file = tmp_path / ".toolkit-cache" / "units.json"
    cache = json.loads(cache_file.read_text(encoding="utf-8"))
    del cache["format"]
    for entry in cache["units"].values():
        del entry["lines"]
    cache_file.write_text(json.dumps(cache), encoding="utf-8")
    [unit] = load_content(tmp_path, tmp_path / "content").units
    assert unit.lines["steps.1"] == 9


def test_the_lines_do_not_change_the_fingerprint() -> None:
    one = load_ok(PROCEDURE)
    assert one.fingerprint == load_ok(PROCEDURE).fingerprint
    moved = load_ok(edit(PROCEDURE, "---\n\nTheo", "---\n\n\nTheo"))
    assert moved.lines["body"] == one.lines["body"] + 1
