"""A project folder: toolkit.toml, content/, templates/ and outbox/."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from toolkit.settings import Settings, load_settings

CONTENT_DIR = "content"
OUTBOX_DIR = "outbox"
PREVIEW_DIR = ".toolkit-cache/preview"


@dataclass(frozen=True)
class Project:
    """Where a project's parts are, and its settings."""

    root: Path
    settings: Settings

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


def open_project(root: Path) -> Project:
    """Open the project in `root`; a ProblemError says what is missing or wrong."""
    root = root.resolve()
    return Project(root, load_settings(root))
