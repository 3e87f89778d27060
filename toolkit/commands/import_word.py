"""`toolkit import`: a unit file from an officer's Word draft."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from toolkit.commands import UserError
from toolkit.commands.new import id_for, write_new_unit
from toolkit.content.load import read_unit
from toolkit.content.word import read_docx, unit_text
from toolkit.i18n import _, day
from toolkit.problems import Problem
from toolkit.project import open_project


@dataclass(frozen=True)
class Imported:
    """Where the unit was written, what the importer noticed, and what `check` would
    still say of it."""

    path: Path
    notes: list[str]
    problems: list[Problem]


def import_word(project_dir: Path, docx: Path, kind: str, unit_id: str | None) -> Imported:
    """Write content/<id>.md from `docx` (never over a file), and check it. A Word draft
    has no publish date: the unit's is today, and a note says so."""
    project = open_project(project_dir)
    draft = read_docx(docx)
    if not draft.title:
        raise UserError(_("{file}: no Heading 1 to take the title from; give the title the "
                          "style Heading 1 in Word").format(file=docx.name))
    unit_id = id_for(unit_id, draft.title)
    today = datetime.now(project.settings.zone).date()
    text = unit_text(draft, kind, unit_id, today)
    path = write_new_unit(project, unit_id, text, _("pass --id to import under another name"))
    name = path.relative_to(project.root)
    _unit, problems = read_unit(text.encode("utf-8"), name.as_posix(), unit_id)
    return Imported(name, [*draft.notes, publish_note(today)], problems)


def publish_note(today: date) -> str:
    """What the editor is told of the publish date import chose: today, to be changed."""
    return _("publish set to today, {day}: change it if the unit should appear on another "
             "day (publish: YYYY-MM-DD)").format(day=day(today))
