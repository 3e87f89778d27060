"""`toolkit init`: a new project folder to edit."""

from __future__ import annotations

import shutil
from pathlib import Path

from toolkit.commands import UserError
from toolkit.content.cache import CACHE_FILE
from toolkit.deliver.ledger import LEDGER_FILE
from toolkit.deliver.secret import KEY_FILE
from toolkit.i18n import _
from toolkit.project import CONTENT_DIR, OUTBOX_DIR
from toolkit.settings import SETTINGS_FILE
from toolkit.templates import TEMPLATES_DIR, defaults_dir

GITIGNORE = ".gitignore"
# What a project makes for itself and never shares through git: the built files, the
# cache (and the lock in it), the ledger of sends and its secret key.
IGNORED = (f"/{OUTBOX_DIR}/", f"/{CACHE_FILE.parent.as_posix()}/", f"/{LEDGER_FILE}",
           f"/{KEY_FILE}")


def init(target: Path) -> None:
    """Make a project in `target`: toolkit.toml and every template to edit, an empty
    content/, and a .gitignore; refuses a folder that is a project already."""
    if (target / SETTINGS_FILE).exists():
        raise UserError(_("{file} exists already; nothing was changed").format(
            file=target / SETTINGS_FILE))
    target.mkdir(parents=True, exist_ok=True)
    shutil.copy(defaults_dir() / SETTINGS_FILE, target / SETTINGS_FILE)
    shutil.copytree(defaults_dir() / TEMPLATES_DIR, target / TEMPLATES_DIR, dirs_exist_ok=True)
    (target / CONTENT_DIR).mkdir(exist_ok=True)
    write_gitignore(target)


def write_gitignore(target: Path) -> None:
    """Keep what the toolkit makes out of git: a .gitignore with IGNORED, or the lines
    missing from the one the folder has (its own lines stay)."""
    path = target / GITIGNORE
    existing = path.read_text(encoding="utf-8") if path.exists() else ""
    have = {line.strip() for line in existing.splitlines()}
    missing = [line for line in IGNORED if line not in have]
    if not missing:
        return
    start = existing if not existing or existing.endswith("\n") else existing + "\n"
    path.write_text(start + "\n".join(missing) + "\n", encoding="utf-8", newline="\n")
