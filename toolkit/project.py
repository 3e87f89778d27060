"""A project folder: toolkit.toml, content/, templates/ and outbox/."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from toolkit.i18n import _
from toolkit.problems import Problem, ProblemError
from toolkit.settings import SETTINGS_FILE, Settings, load_settings

CONTENT_DIR = "content"
OUTBOX_DIR = "outbox"
PREVIEW_DIR = ".toolkit-cache/preview"


@dataclass(frozen=True)
class Project:
    """Where a project's parts are, and its settings."""

    root: Path
    settings: Settings

    def today(self) -> date:
        """The day it is where the project is (its time zone)."""
        return datetime.now(self.settings.zone).date()

    @property
    def content_dir(self) -> Path:
        """The editors' unit files."""
        return self.root / CONTENT_DIR

    @property
    def outbox_dir(self) -> Path:
        """Where finished files wait for the print shop, the portal and the gateway."""
        return self.root / OUTBOX_DIR

    @property
    def preview_dir(self) -> Path:
        """Drafts rendered for review, laid out as the outbox; nobody outside picks it up."""
        return self.root / PREVIEW_DIR


def open_project(folder: Path) -> Project:
    """Open the project `folder` is in: the folder itself or the nearest folder above it
    with a toolkit.toml, as git finds its repository, so that a command works from
    content/ too. A ProblemError says what is missing or wrong."""
    start = folder.resolve()
    if not start.is_dir():
        raise ProblemError(Problem(str(folder), None, "", _("is not a folder"), _(
            "check the folder given with --project")))
    root = find_root(start)
    if root is None:
        raise ProblemError(Problem(SETTINGS_FILE, None, "", _(
            "not found in {folder} or in any folder above it").format(folder=start), _(
            "run this in a project folder (or a folder inside it), pass --project DIR, or make "
            "a project with: toolkit init DIR")))
    return Project(root, load_settings(root))


def find_root(start: Path) -> Path | None:
    """The project folder holding `start`: the nearest of it and its parents that has a
    toolkit.toml; None when none has."""
    for candidate in (start, *start.parents):
        if (candidate / SETTINGS_FILE).is_file():
            return candidate
    return None
