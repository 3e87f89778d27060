"""What the outbox, or the preview area, was last made from: the units as built.

The review page shows a unit's title, kind and dates from the same build as its
files (never a new title beside old previews), calls it stale when the content
has changed since, and names the channels whose files are of an older version
(after a build of some channels only). The build takes a draft's published
version from the outbox's record, so that the outbox keeps it (in the feed too)
while the draft is reworked. The record is JSON (never pickle), one file per
area, written atomically and only when it changes. A build reads the record of
thousands of units and looks at a few (the drafts' published versions): a unit is
validated when it is first asked for, and written back as the JSON it was read as
when it has not changed.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import orjson

from toolkit import __version__
from toolkit.files import dumps, write_atomic

if TYPE_CHECKING:
    from toolkit.content.model import AnyUnit

RECORD = "units.json"
FORMAT = 2  # 2: the toolkit's version, and no indentation (a C-speed encoder)


class Units(Mapping[str, "AnyUnit"]):
    """Units by id, kept as the JSON fields they were saved as and validated when first
    asked for (`trusted`: written by this version of the toolkit), or all at once and
    those no longer valid left out (a record of another version)."""

    def __init__(self, fields: Mapping[str, Any], trusted: bool = True) -> None:
        self._fields = {i: f for i, f in fields.items() if isinstance(f, dict)}
        self._units: dict[str, AnyUnit] = {}
        if not trusted:
            self._units = {i: u for i, u in ((i, _unit(f)) for i, f in self._fields.items())
                           if u is not None}
            self._fields = {i: self._fields[i] for i in self._units}

    @classmethod
    def of(cls, units: Mapping[str, AnyUnit], before: Units) -> Units:
        """`units`, their JSON taken from `before` where they are the same version."""
        fields = {i: before._fields[i] if before.version(i) == unit.fingerprint
                  else unit.model_dump(mode="json") for i, unit in units.items()}
        made = cls(fields)
        made._units = dict(units)
        return made

    def version(self, unit_id: str) -> str | None:
        """The fingerprint of the unit as recorded, without validating it."""
        fingerprint = self._fields.get(unit_id, {}).get("fingerprint")
        return fingerprint if isinstance(fingerprint, str) else None

    def fields(self, unit_id: str) -> dict[str, Any]:
        """The unit's JSON, as saved."""
        return self._fields[unit_id]

    def __getitem__(self, unit_id: str) -> AnyUnit:
        if unit_id not in self._units:
            unit = _unit(self._fields[unit_id], trusted=True)
            if unit is None:
                raise KeyError(unit_id)
            self._units[unit_id] = unit
        return self._units[unit_id]

    def __contains__(self, unit_id: object) -> bool:
        return unit_id in self._fields

    def __iter__(self) -> Iterator[str]:
        return iter(self._fields)

    def __len__(self) -> int:
        return len(self._fields)


@dataclass(frozen=True)
class Record:
    """An area's record: the units its files were last made from, by id, and for each
    unit the version (fingerprint) each channel's files of it were made from."""

    units: Units = field(default_factory=lambda: Units({}))
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
        data = orjson.loads((folder / RECORD).read_bytes())
    except (OSError, ValueError):
        return Record()
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        return Record()
    units = data.get("units")
    made = data.get("made")
    found = Units(units if isinstance(units, dict) else {},
                  trusted=data.get("version") == __version__)
    return Record(found, {i: m for i, m in made.items() if i in found and _versions(m)}
                  if isinstance(made, dict) else {})


def load_record(folder: Path) -> Units:
    """The units `folder` was last built from, by id."""
    return read_record(folder).units


def _unit(fields: Any, trusted: bool = False) -> AnyUnit | None:
    """A unit from its recorded JSON; `trusted` when this version wrote it (its texts
    were checked then), else validated in full; None if it is no longer valid."""
    from pydantic import ValidationError

    from toolkit.content import fields as checks
    from toolkit.content.model import MODELS

    try:
        with checks.trusted() if trusted else contextlib.nullcontext():
            return MODELS[fields["kind"]].model_validate(fields)  # type: ignore[return-value]
    except (TypeError, KeyError, ValidationError):
        return None


def _versions(made: Any) -> bool:
    return isinstance(made, dict) and all(isinstance(v, str) for v in made.values())


def save_record(folder: Path, record: Record) -> None:
    """Write the record of the files `folder` now holds; the same record, the same bytes."""
    units = {i: record.units.fields(i) for i in sorted(record.units)}
    made = {i: dict(sorted(record.made[i].items())) for i in sorted(record.made)}
    data = dumps({"format": FORMAT, "version": __version__, "units": units, "made": made},
                 sort_keys=True) + b"\n"
    path = folder / RECORD
    try:
        if path.read_bytes() == data:
            return
    except OSError:
        pass
    write_atomic(path, data)
