"""`toolkit bulletin`: the bulletin of a period, and what announces it."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from toolkit import build as pipeline
from toolkit.channels import channels
from toolkit.content.load import Progress
from toolkit.lock import project_lock
from toolkit.periods import Period, week_of
from toolkit.project import open_project


def bulletin(project_dir: Path, period: Period | None, force: bool,
             progress: Progress) -> tuple[Period, pipeline.Report]:
    """One build for `period` (default: this week) of the channels made by period and of
    those that announce what they make (the feed, the SMS list)."""
    project = open_project(project_dir)
    period = period or week_of(datetime.now(project.settings.zone).date())
    wanted = tuple(c.name for c in channels() if c.by_period or c.periodic or c.needs_issues)
    options = pipeline.Options(wanted, force=force, period=period)
    with project_lock(project.root, "bulletin"):
        return period, pipeline.build(project, options, progress)
