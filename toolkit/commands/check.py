"""`toolkit check`: every problem of every unit, before anything is built."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from toolkit import checks
from toolkit.content.load import Content
from toolkit.problems import Problem
from toolkit.project import open_project


def check(project_dir: Path, today: date | None) -> tuple[Content, list[Problem]]:
    """The units that could be read, and every problem and warning, in file order."""
    return checks.check(open_project(project_dir), today)


def errors(problems: list[Problem]) -> list[Problem]:
    """The problems that fail the check: all but the warnings."""
    return [p for p in problems if not p.warning]


def fine_units(content: Content, problems: list[Problem]) -> int:
    """How many units have no problem at all (a warning does not count): a unit read
    without trouble may still fail what a channel needs of it."""
    failing = {p.file for p in errors(problems)}
    return sum(1 for unit in content.units if unit.source not in failing)
