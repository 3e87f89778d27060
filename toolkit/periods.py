"""Periods of publication: ISO weeks for the weekly bulletin, any span for an edition.

Kept apart from the bulletin channel so that the feed and the SMS list can name
a bulletin without loading Word and PDF libraries.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

from toolkit.i18n import _
from toolkit.problems import quote

if TYPE_CHECKING:
    from toolkit.content.model import AnyUnit


@dataclass(frozen=True)
class Period:
    """What a bulletin covers: its folder name, first and last day, and issue number."""

    name: str
    start: date
    end: date
    number: int  # the ISO week for a weekly issue; 0 for a special edition

    def holds(self, unit: AnyUnit) -> bool:
        """True when the unit was published in this period."""
        return self.start <= unit.publish.date() <= self.end


def week(name: str) -> Period:
    """The period of an ISO week like 2021-W06 (Monday to Sunday); ValueError if not one."""
    year, _, number = name.upper().partition("-W")
    start = date.fromisocalendar(int(year), int(number), 1)
    return Period(f"{int(year)}-W{int(number):02d}", start, start + timedelta(days=6),
                  int(number))


def week_of(day: date) -> Period:
    """The ISO week a day falls in."""
    year, number, _ = day.isocalendar()
    return week(f"{year}-W{number:02d}")


def span(start: date, end: date) -> Period:
    """A special edition from one day to another, both included."""
    return Period(f"{start.isoformat()}_{end.isoformat()}", start, end, 0)


def parse(name: str) -> Period | None:
    """The period a bulletin folder is named after (2021-W06, 2021-02-01_2021-02-14)."""
    try:
        if re.fullmatch(r"\d{4}-W\d{2}", name):
            return week(name)
        first, _, last = name.partition("_")
        return span(date.fromisoformat(first), date.fromisoformat(last))
    except ValueError:
        return None


def quarter(name: str) -> Period:
    """The period of a quarter like 2021-Q1; ValueError if not one."""
    match = re.fullmatch(r"(\d{4})-Q([1-4])", name.upper())
    if not match:
        raise ValueError(_("{value} is not a quarter like 2021-Q1").format(value=quote(name)))
    year, number = int(match[1]), int(match[2])
    start = date(year, 3 * number - 2, 1)
    after = date(year + 1, 1, 1) if number == 4 else date(year, 3 * number + 1, 1)
    return Period(f"{year}-Q{number}", start, after - timedelta(days=1), number)


def quarter_of(day: date) -> Period:
    """The quarter a day falls in."""
    return quarter(f"{day.year}-Q{(day.month - 1) // 3 + 1}")
