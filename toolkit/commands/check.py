"""`toolkit check`: every problem of every unit, before anything is built."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from toolkit import build
from toolkit.content.load import Content
from toolkit.problems import Problem
from toolkit.project import open_project


def check(project_dir: Path, today: date | None) -> tuple[Content, list[Problem]]:
    """The units that are fine, and the problems of the rest, in file order."""
    return build.check(open_project(project_dir), today)
