"""`toolkit init`: a new project folder to edit."""

from __future__ import annotations

import shutil
from pathlib import Path

from toolkit.commands import UserError
from toolkit.project import CONTENT_DIR
from toolkit.settings import SETTINGS_FILE
from toolkit.templates import TEMPLATES_DIR, defaults_dir


def init(target: Path) -> None:
    """Make a project in `target`: toolkit.toml and every template to edit, an empty
    content/; refuses a folder that is a project already."""
    if (target / SETTINGS_FILE).exists():
        raise UserError(f"{target / SETTINGS_FILE} exists already; nothing was changed")
    target.mkdir(parents=True, exist_ok=True)
    shutil.copy(defaults_dir() / SETTINGS_FILE, target / SETTINGS_FILE)
    shutil.copytree(defaults_dir() / TEMPLATES_DIR, target / TEMPLATES_DIR, dirs_exist_ok=True)
    (target / CONTENT_DIR).mkdir(exist_ok=True)
