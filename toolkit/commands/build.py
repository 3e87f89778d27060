"""`toolkit build`: every unit to every channel it asks for, under the project's lock."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from toolkit import unchanged
from toolkit.commands import UserError
from toolkit.executors import DASK, LOCAL, Where, opened
from toolkit.i18n import _
from toolkit.lock import project_lock
from toolkit.options import Options, Report
from toolkit.project import open_project
from toolkit.settings import SCHEDULER_ADDRESS, Build

if TYPE_CHECKING:
    from toolkit.content.load import Progress


def build(project_dir: Path, options: Options, progress: Progress,
          executor: str | None = None, scheduler: str | None = None) -> Report:
    """Build the outbox as `options` ask; what was done and what was not. The jobs render
    where `executor` and `scheduler` say (the command line's), else where toolkit.toml's
    [build] says, else here."""
    if options.channels:
        _refuse_unknown_channels(options)
    if options.jobs < 1:
        raise UserError(_("--jobs must be 1 or more"))
    project = open_project(project_dir)
    where = _where(executor, scheduler, project.settings.build)
    with project_lock(project.root, "build"):
        # Nothing changed since the last build: said again before the pipeline is loaded.
        last = unchanged.replayed(project, options, unchanged.started(project, options))
        if last is not None:
            return last
        from toolkit import build as pipeline

        with opened(where, project.root, options.jobs) as running:
            return pipeline.build(project, replace(options, executor=running), progress)


def _refuse_unknown_channels(options: Options) -> None:
    """A channel named that the toolkit does not have, or one made by its own command."""
    from toolkit.channels import channel, names

    for name in options.channels:
        if name not in names():
            raise UserError(_("--channel {name}: not a channel; choose from {names}").format(
                name=name, names=", ".join(names())))
        if channel(name).by_period and options.period is None:
            raise UserError(_("--channel {name}: it is made for a period, by its own command: "
                              "toolkit {name} --week ...").format(name=name))


def _where(executor: str | None, scheduler: str | None, settings: Build) -> Where:
    """Where the jobs render: the command line's choice over toolkit.toml's; a scheduler
    given alone means a cluster."""
    chosen = executor or (DASK if scheduler else settings.executor)
    if chosen == LOCAL:
        if scheduler:
            raise UserError(_("--scheduler goes with --executor dask, not --executor local"))
        return Where()
    if scheduler and not re.fullmatch(SCHEDULER_ADDRESS, scheduler):
        raise UserError(_("--scheduler {value}: not a scheduler address like "
                          "tcp://192.168.1.10:8786").format(value=scheduler))
    address = scheduler or settings.scheduler
    if not address:
        raise UserError(_("--executor dask needs the scheduler's address: --scheduler "
                          "tcp://HOST:8786, or scheduler in [build] of toolkit.toml"))
    return Where(DASK, address)
