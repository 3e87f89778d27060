"""`toolkit report`: the quarterly report, written into the outbox under the lock."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from toolkit import report as quarterly
from toolkit.lock import project_lock
from toolkit.outbox import ChannelOutbox
from toolkit.periods import Period, quarter_of
from toolkit.problems import Problem
from toolkit.project import open_project

FOLDER = "report"  # outbox/report/: not a channel, a command's own folder


def report(project_dir: Path, quarter: Period | None) -> tuple[str, list[Problem]]:
    """Write the report of `quarter` (default: this quarter); returns its path in the
    project, the problems of units left out of it, and a warning if it counts nothing."""
    project = open_project(project_dir)
    quarter = quarter or quarter_of(datetime.now(project.settings.zone).date())
    with project_lock(project.root, "report"):
        made = quarterly.report(project, quarter)
        outbox = ChannelOutbox(project.outbox_dir, FOLDER)
        outbox.write(made.path, made.data, None, "")
        outbox.save()
    return f"outbox/{FOLDER}/{made.path}", [*made.content.problems, *made.problems]
