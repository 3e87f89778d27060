"""Templates: the data (TOML) that shapes a channel's output.

A project's own `templates/<channel>/<name>.toml` wins; otherwise the default
shipped with the toolkit is used, so a project needs copies only of the
templates it changes (`toolkit init` copies them all, for editing).
"""

from __future__ import annotations

import hashlib
import tomllib
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from toolkit.content.problems import Problem, ProblemError

TEMPLATES_DIR = "templates"


@dataclass(frozen=True)
class Template:
    """One template: its settings and a fingerprint of its bytes."""

    name: str
    data: dict[str, Any]
    digest: str

    def __getitem__(self, key: str) -> Any:
        return self.data[key]


def defaults_dir() -> Path:
    """The folder of defaults shipped inside the package (toolkit.toml, templates)."""
    return Path(str(resources.files("toolkit") / "defaults"))


def load_template(project_dir: Path, folder: str, name: str = "default") -> Template:
    """Read templates/<folder>/<name>.toml from the project, else the shipped default."""
    relative = Path(TEMPLATES_DIR, folder, f"{name}.toml")
    path = project_dir / relative
    if not path.is_file():
        path = defaults_dir() / relative
    data = path.read_bytes()
    try:
        parsed = tomllib.loads(data.decode("utf-8-sig"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as err:
        raise ProblemError(Problem(relative.as_posix(), None, "", f"is not valid TOML ({err})",
                                   "check quotes and [section] headers")) from None
    return Template(f"{folder}/{name}", parsed, hashlib.sha256(data).hexdigest()[:20])
