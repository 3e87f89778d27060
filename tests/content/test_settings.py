"""toolkit.toml: its problems on their lines, and warnings about the example values a new
project starts with, which leaflets would otherwise print."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest

from toolkit import i18n
from toolkit.cli import main
from toolkit.problems import Problem, ProblemError
from toolkit.settings import load_settings, placeholders
from toolkit.templates import defaults_dir

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def fresh(tmp_path: Path) -> Path:
    """A project as `toolkit init` makes it, its examples not yet replaced."""
    root = tmp_path / "fresh"
    assert main(["init", str(root)]) == 0
    return root


def line_of(path: Path, start: str) -> int:
    """The line of `path` that starts with `start`."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(n for n, line in enumerate(lines, start=1) if line.startswith(start))


def test_a_new_project_is_warned_of_every_example_value(fresh: Path) -> None:
    toml = fresh / "toolkit.toml"
    found = placeholders(load_settings(fresh), fresh)
    assert [(p.field, p.line) for p in found] == [
        ("organisation.name", line_of(toml, "name = ")),
        ("organisation.short_name", line_of(toml, "short_name = ")),
        ("publish.base_url", line_of(toml, "base_url = ")),
        ("publish.site_url", line_of(toml, "site_url = ")),
        ("sms.sender", line_of(toml, "sender = "))]
    assert all(p.warning and p.file == "toolkit.toml" and p.fix for p in found)
    site = next(p for p in found if p.field == "publish.site_url")
    assert site.what == ("'https://example.gov.vn' is an example address: leaflets, QR codes "
                         "and the feed would send people there")


def test_a_warning_says_it_is_one(fresh: Path) -> None:
    [name, *_] = placeholders(load_settings(fresh), fresh)
    assert str(name).startswith(f"toolkit.toml:{name.line}: warning: organisation.name: "
                                "'Ủy ban nhân dân tỉnh' is still the example")
    assert not Problem("a.md", 1, "title", "x").warning  # a problem is no warning


def test_the_sample_project_has_no_example_value() -> None:
    assert placeholders(load_settings(REPO), REPO) == []


def test_an_address_on_an_example_domain_is_warned_of_wherever_it_is(fresh: Path) -> None:
    toml = fresh / "toolkit.toml"
    text = toml.read_text(encoding="utf-8")
    text = re.sub(r'^hotline = ', 'portal = "https://dichvucong.example.gov.vn"\nhotline = ', text,
                  flags=re.MULTILINE)
    text = text.replace("https://example.gov.vn", "https://www.example.com/tinh")
    toml.write_text(text, encoding="utf-8")
    fields = [p.field for p in placeholders(load_settings(fresh), fresh)]
    # (an old toolkit.toml's portal, no longer used, still loads and is not warned of)
    assert {"publish.base_url", "publish.site_url"} <= set(fields)


def test_values_of_ones_own_are_not_warned_of(project: Path) -> None:
    toml = project / "toolkit.toml"
    mine = (REPO / "toolkit.toml").read_text(encoding="utf-8")
    toml.write_text(mine, encoding="utf-8")
    assert placeholders(load_settings(project), project) == []


def test_the_default_toolkit_toml_explains_itself_in_vietnamese() -> None:
    text = (defaults_dir() / "toolkit.toml").read_text(encoding="utf-8")
    unquoted = [re.sub(r'"[^"]*"', "", line) for line in text.splitlines()]
    comments = [line.split("#", 1)[1] for line in unquoted if "#" in line]
    assert comments and all(not re.search(r"\b(the|and|is|of|to)\b", c) for c in comments)
    tomllib.loads(text)  # still TOML, every key kept
    assert "ví dụ" in text


def test_a_setting_problem_is_on_its_line(project: Path) -> None:
    toml = project / "toolkit.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace('primary = "#0B5CAD"',
                                                             'primary = "xanh"'),
                    encoding="utf-8")
    with pytest.raises(ProblemError) as raised:
        load_settings(project)
    [problem] = raised.value.problems
    assert (problem.line, problem.field) == (line_of(toml, "primary = "), "brand.primary")
    assert problem.what == "'xanh' is not a colour like #0B5CAD"


def test_a_number_past_its_bounds_says_the_bound(project: Path) -> None:
    toml = project / "toolkit.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace("segments = 1", "segments = 0"),
                    encoding="utf-8")
    with pytest.raises(ProblemError) as raised:
        load_settings(project)
    assert raised.value.problems[0].what == "0 is less than 1, the least allowed"


def test_the_settings_problem_in_vietnamese(project: Path) -> None:
    i18n.use("vi")
    toml = project / "toolkit.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace("timezone = ", "timezone = 'x' #"),
                    encoding="utf-8")
    with pytest.raises(ProblemError) as raised:
        load_settings(project)
    assert str(raised.value.problems[0]) == (
        f"toolkit.toml:{line_of(toml, 'timezone = ')}: organisation.timezone: 'x' không phải là "
        "tên múi giờ, ví dụ Asia/Ho_Chi_Minh -> xem chú thích trong tệp toolkit.toml mặc định")
    toml.write_text((defaults_dir() / "toolkit.toml").read_text(encoding="utf-8"),
                    encoding="utf-8")
    found = placeholders(load_settings(project), project)
    assert found and all(str(p).split(": ")[1] == "cảnh báo" for p in found)
