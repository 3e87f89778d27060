"""`toolkit build`: every unit to every channel it asks for, under the project's lock."""

from __future__ import annotations

from pathlib import Path

from toolkit import build as pipeline
from toolkit.channels import channel, names
from toolkit.commands import UserError
from toolkit.content.load import Progress
from toolkit.i18n import _
from toolkit.lock import project_lock
from toolkit.project import open_project


def build(project_dir: Path, options: pipeline.Options, progress: Progress) -> pipeline.Report:
    """Build the outbox as `options` ask; what was done and what was not."""
    for name in options.channels:
        if name not in names():
            raise UserError(_("--channel {name}: not a channel; choose from {names}").format(
                name=name, names=", ".join(names())))
        if channel(name).by_period and options.period is None:
            raise UserError(_("--channel {name}: it is made for a period, by its own command: "
                              "toolkit {name} --week ...").format(name=name))
    if options.jobs < 1:
        raise UserError(_("--jobs must be 1 or more"))
    project = open_project(project_dir)
    with project_lock(project.root, "build"):
        return pipeline.build(project, options, progress)
