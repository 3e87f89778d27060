"""`toolkit new`: a unit file with every field of its kind, explained."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

from toolkit.channels import defaults, names
from toolkit.commands import UserError
from toolkit.content.text import slugify
from toolkit.i18n import _
from toolkit.project import Project, open_project
from toolkit.templates import defaults_dir


def new(project_dir: Path, kind: str, title: str, unit_id: str | None) -> Path:
    """Write content/<id>.md from the kind's scaffold; returns its path in the project."""
    project = open_project(project_dir)
    unit_id = id_for(unit_id, title)
    path = write_new_unit(project, unit_id, scaffold(project, kind, unit_id, title),
                          _("choose another title or pass --id"))
    return path.relative_to(project.root)


def id_for(given: str | None, title: str) -> str:
    """The id a new unit gets: the one given, else one made from its title."""
    unit_id = given or slugify(title)
    if not unit_id:
        raise UserError(_("the title has no letters to make an id from; pass --id"))
    return unit_id


def write_new_unit(project: Project, unit_id: str, text: str, if_taken: str) -> Path:
    """Write content/<id>.md, never over an existing file; `if_taken` (translated) says
    what to do when it exists."""
    path = project.content_dir / f"{unit_id}.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        with path.open("x", encoding="utf-8", newline="\n") as out:
            out.write(text)
    except FileExistsError:
        raise UserError(_("{path} exists already; {what_to_do}").format(
            path=path, what_to_do=if_taken)) from None
    return path


def scaffold(project: Project, kind: str, unit_id: str, title: str) -> str:
    """The scaffold of a kind with this unit's id, title, today's date, the hotline and
    the channels the kind gets: a draft (`status: draft`), its comments in Vietnamese, as
    the officer who fills it in reads them."""
    text = (defaults_dir() / "new" / f"{kind}.md").read_text(encoding="utf-8")
    today = datetime.now(project.settings.zone).date().isoformat()
    values = {"{id}": unit_id, "{title}": json.dumps(title, ensure_ascii=False),
              "{publish}": today, "{hotline}": project.settings.organisation.hotline,
              "{channels}": f"[{', '.join(defaults(kind))}]", "{all_channels}": ", ".join(names())}
    for placeholder, value in values.items():
        text = text.replace(placeholder, value)
    return text
