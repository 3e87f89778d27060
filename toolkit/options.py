"""What a build is asked to do (`Options`) and what it did (`Report`).

Kept apart from the pipeline (`toolkit.build`) so that a build with nothing to do
answers without loading it (`toolkit.unchanged`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from toolkit.i18n import _
from toolkit.periods import Period
from toolkit.problems import Problem

if TYPE_CHECKING:
    from toolkit.executors import Executor


@dataclass(frozen=True)
class Options:
    """What the user asked of this build: which channels (default: all), which units
    (default: all), and a period when a bulletin is wanted; where jobs render: an
    `executor` opened for the build (a Dask cluster), else here, with `jobs` worker
    processes."""

    channels: tuple[str, ...] = ()
    only: frozenset[str] = frozenset()
    jobs: int = 1
    force: bool = False
    today: date | None = None
    period: Period | None = None
    executor: Executor | None = None


@dataclass
class Report:
    """What a build did, for the summary line and the exit status."""

    built: int = 0
    current: int = 0
    removed: int = 0
    problems: list[Problem] = field(default_factory=list)
    failed: set[str] = field(default_factory=set)
    read: set[Path] = field(default_factory=set)  # every file the jobs read
    settled: bool = True  # no job failed to render or be written (a full disk, a crash)

    @property
    def ok(self) -> bool:
        """True when nothing was skipped for a problem."""
        return not self.problems

    def summary(self) -> str:
        """The one line a build ends with."""
        parts = [_("built {n}").format(n=self.built), _("up to date {n}").format(n=self.current)]
        if self.removed:
            parts.append(_("removed {n}").format(n=self.removed))
        if self.failed:
            parts.append(_("failed {n}").format(n=len(self.failed)))
        return ", ".join(parts)
