"""`toolkit import`: a unit file from an officer's Word draft."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from toolkit.commands import UserError
from toolkit.commands.new import id_for, write_new_unit
from toolkit.content.load import read_unit
from toolkit.content.word import read_docx, unit_text
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
    """Write content/<id>.md from `docx` (never over a file), and check it."""
    project = open_project(project_dir)
    draft = read_docx(docx)
    if not draft.title:
        raise UserError(f"{docx.name}: no Heading 1 to take the title from; "
                        "give the title the style Heading 1 in Word")
    unit_id = id_for(unit_id, draft.title)
    text = unit_text(draft, kind, unit_id, datetime.now(project.settings.zone).date())
    path = write_new_unit(project, unit_id, text, "pass --id to import under another name")
    name = path.relative_to(project.root)
    _, problems = read_unit(text.encode("utf-8"), name.as_posix(), unit_id)
    return Imported(name, draft.notes, problems)
