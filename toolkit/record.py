"""What the outbox, or the preview area, was last made from: the units as built.

The review page shows a unit's title, kind and dates from the same build as its
files (never a new title beside old previews), calls it stale when the content
has changed since, and names the channels whose files are of an older version
(after a build of some channels only). The build takes a draft's published
version from the outbox's record, so that the outbox keeps it (in the feed too)
while the draft is reworked. The record is JSON (never pickle), one file per
area, written atomically and only when it changes.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from toolkit.content.model import MODELS, AnyUnit
from toolkit.files import write_atomic

RECORD = "units.json"
FORMAT = 1


@dataclass(frozen=True)
class Record:
    """An area's record: the units its files were last made from, by id, and for each
    unit the version (fingerprint) each channel's files of it were made from."""

    units: dict[str, AnyUnit] = field(default_factory=dict)
    made: dict[str, dict[str, str]] = field(default_factory=dict)

    def behind(self, unit_id: str) -> tuple[str, ...]:
        """The channels whose files of the unit are of an older version than the one
        recorded (a build of some channels only made the others)."""
        unit = self.units.get(unit_id)
        made = self.made.get(unit_id, {})
        return tuple(sorted(c for c, version in made.items()
                            if unit is not None and version != unit.fingerprint))


def read_record(folder: Path) -> Record:
    """The record of `folder` (the outbox or the preview area); an empty one for a
    record that is missing, unreadable or of another format."""
    try:
        data = json.loads((folder / RECORD).read_bytes())
    except (OSError, ValueError):
        return Record()
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        return Record()
    units = data.get("units")
    made = data.get("made")
    found = {u.id: u for u in map(_unit, units.values()) if u is not None} if isinstance(
        units, dict) else {}
    return Record(found, {i: m for i, m in made.items() if i in found and _versions(m)}
                  if isinstance(made, dict) else {})


def load_record(folder: Path) -> dict[str, AnyUnit]:
    """The units `folder` was last built from, by id."""
    return read_record(folder).units


def _unit(fields: Any) -> AnyUnit | None:
    try:
        return MODELS[fields["kind"]].model_validate(fields)  # type: ignore[return-value]
    except (TypeError, KeyError, ValidationError):
        return None


def _versions(made: Any) -> bool:
    return isinstance(made, dict) and all(isinstance(v, str) for v in made.values())


def save_record(folder: Path, record: Record) -> None:
    """Write the record of the files `folder` now holds; the same record, the same bytes."""
    units = {i: record.units[i].model_dump(mode="json") for i in sorted(record.units)}
    made = {i: dict(sorted(record.made[i].items())) for i in sorted(record.made)}
    data = json.dumps({"format": FORMAT, "units": units, "made": made}, ensure_ascii=False,
                      indent=1, sort_keys=True).encode("utf-8") + b"\n"
    path = folder / RECORD
    try:
        if path.read_bytes() == data:
            return
    except OSError:
        pass
    write_atomic(path, data)
