"""Dates in the front matter: ISO only; a date written day first, as people write it,
is refused with the ISO form to copy, on its line; a day the calendar lacks says so."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from tests.conftest import PROCEDURE
from tests.content.test_load import add_field, edit, load_ok, only_problem
from toolkit import i18n

PUBLISH_LINE = 5  # publish: in PROCEDURE
EXPIRES_LINE = 3  # a field added after kind:


@pytest.mark.parametrize("written", ["15/03/2021", "15/3/2021", "15-03-2021", "15.03.2021",
                                     " 15/03/2021"])
def test_a_publish_date_written_day_first_is_refused_with_the_iso_form(written: str) -> None:
    problem = only_problem(edit(PROCEDURE, "publish: 2021-02-09", f"publish: {written}"))
    assert (problem.line, problem.field) == (PUBLISH_LINE, "publish")
    assert problem.what == f"'{written.strip()}' is written day first"
    assert problem.fix == "write dates as YYYY-MM-DD: did you mean 2021-03-15?"


def test_an_expiry_date_written_day_first_is_refused_too() -> None:
    problem = only_problem(add_field(PROCEDURE, "expires: 30.06.2021"))
    assert (problem.line, problem.field) == (EXPIRES_LINE, "expires")
    assert problem.fix.endswith("did you mean 2021-06-30?")


def test_a_day_first_date_with_a_time_keeps_the_time() -> None:
    problem = only_problem(edit(PROCEDURE, "publish: 2021-02-09", "publish: 15/03/2021 08:30"))
    assert problem.fix.endswith("did you mean 2021-03-15 08:30?")


def test_an_iso_date_without_its_zeros_is_refused_with_them() -> None:
    problem = only_problem(edit(PROCEDURE, "publish: 2021-02-09", "publish: 2021-3-5"))
    assert problem.what == "'2021-3-5' is not written as YYYY-MM-DD"
    assert problem.fix.endswith("did you mean 2021-03-05?")


@pytest.mark.parametrize("written, why", [
    ("31/02/2021", "month 2 of 2021 has 28 days"),
    ("29.02.2024", None),  # a leap year: a real day, written day first
    ("2021-04-31", "month 4 of 2021 has 30 days"),
    ("15/13/2021", "there is no month 13"),
    ("00/01/2021", "there is no day 0"),
    ("0000-01-01", "there is no year 0"),
])
def test_a_day_that_does_not_exist_says_so(written: str, why: str | None) -> None:
    problem = only_problem(edit(PROCEDURE, "publish: 2021-02-09", f"publish: {written}"))
    assert problem.line == PUBLISH_LINE
    if why is None:
        assert problem.fix.endswith("did you mean 2024-02-29?")
    else:
        assert problem.what == f"'{written}' is not a real date: {why}"
        assert "YYYY-MM-DD" in problem.fix and "did you mean" not in problem.fix


def test_iso_stays_the_accepted_form() -> None:
    unit = load_ok(add_field(edit(PROCEDURE, "publish: 2021-02-09", "publish: 2021-02-09 08:30"),
                             "expires: 2021-12-31"))
    assert (unit.publish, unit.expires) == (datetime(2021, 2, 9, 8, 30), date(2021, 12, 31))


def test_a_date_in_quotes_is_read_the_same() -> None:
    problem = only_problem(edit(PROCEDURE, "publish: 2021-02-09", 'publish: "15/03/2021"'))
    assert problem.fix.endswith("did you mean 2021-03-15?")


def test_the_date_problems_in_vietnamese() -> None:
    i18n.use("vi")
    day_first = only_problem(edit(PROCEDURE, "publish: 2021-02-09", "publish: 15/03/2021"))
    assert str(day_first) == (
        "content/khai-sinh.md:5: publish: '15/03/2021' đang viết ngày trước (ngày/tháng/năm) "
        "-> ở đầu bài, ngày viết năm trước theo dạng YYYY-MM-DD: có phải ý bạn là 2021-03-15?")
    unreal = only_problem(edit(PROCEDURE, "publish: 2021-02-09", "publish: 2021-02-30"))
    assert unreal.what == "'2021-02-30' không phải là ngày có thật: tháng 2/2021 chỉ có 28 ngày"
