"""`toolkit check` counts what it says: problems, the files they are in, the units with
none, and warnings apart (they fail nothing)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import PROCEDURE, write_unit
from toolkit import i18n
from toolkit.cli import check_summary
from toolkit.problems import Problem

Run = Callable[..., tuple[int, str, str]]
TOO_LONG_SMS = PROCEDURE.replace('tags: ["hộ tịch"]', 'tags: ["hộ tịch"]\nsms: "' +
                                 "Đăng ký khai sinh trực tuyến. " * 20 + '"')
PLACEHOLDER = Problem("toolkit.toml", 7, "organisation.website", "is still the example",
                      "write your own", warning=True)


def test_a_unit_a_channel_finds_a_problem_with_is_not_fine(project: Path, run: Run) -> None:
    write_unit(project, "khai-sinh", TOO_LONG_SMS)
    status, out, err = run("check", "--project", str(project))
    assert status == 1
    assert err.startswith("content/khai-sinh.md:") and ": sms: " in err
    assert out.startswith("1 problem in 1 file; 2 units are fine")  # (and any warnings)


def test_the_summary_in_vietnamese(project: Path, run: Run) -> None:
    write_unit(project, "khai-sinh", TOO_LONG_SMS)
    i18n.use("vi")
    out = run("check", "--project", str(project))[1]
    assert out.startswith("1 lỗi trong 1 tệp; 2 bài không có lỗi")


@pytest.fixture
def with_warning(monkeypatch: pytest.MonkeyPatch) -> None:
    """`check` finds one warning, PLACEHOLDER, and only that one."""
    from toolkit import checks

    found = checks.check

    def check(*args: object, **kwargs: object) -> tuple[object, list[Problem]]:
        content, problems = found(*args, **kwargs)  # type: ignore[arg-type]
        return content, [*(p for p in problems if not p.warning), PLACEHOLDER]

    monkeypatch.setattr(checks, "check", check)


@pytest.mark.usefixtures("with_warning")
def test_a_warning_is_said_and_counted_apart_but_fails_nothing(project: Path, run: Run) -> None:
    status, out, err = run("check", "--project", str(project))
    assert status == 0
    assert err == str(PLACEHOLDER) + "\n" and "warning" in err
    assert out == "3 units, no problems; 1 warning\n"


@pytest.mark.usefixtures("with_warning")
def test_warnings_come_after_the_problems(project: Path, run: Run) -> None:
    write_unit(project, "khai-sinh", TOO_LONG_SMS)
    status, out, err = run("check", "--project", str(project))
    assert status == 1
    lines = err.splitlines()
    assert lines[0].startswith("content/khai-sinh.md:") and lines[-1] == str(PLACEHOLDER)
    assert out == "1 problem in 1 file; 2 units are fine; 1 warning\n"


def problem(file: str, warning: bool = False) -> Problem:
    return Problem(file, 1, "title", "is wrong", warning=warning)


@pytest.mark.parametrize(("units", "fine", "failing", "warnings", "expected"), [
    (3, 3, [], 0, "3 units, no problems"),
    (1, 1, [], 0, "1 unit, no problems"),
    (0, 0, [], 2, "0 units, no problems; 2 warnings"),
    (1, 0, [problem("a.md")], 0, "1 problem in 1 file; 0 units are fine"),
    (3, 1, [problem("a.md"), problem("a.md"), problem("b.md")], 1,
     "3 problems in 2 files; 1 unit is fine; 1 warning"),
])
def test_the_summary_counts(units: int, fine: int, failing: list[Problem], warnings: int,
                            expected: str) -> None:
    assert check_summary(units, fine, failing, warnings) == expected
