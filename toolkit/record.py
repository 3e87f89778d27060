"""What the outbox, or the preview area, was last made from: the units as built.

The review page shows a unit's title, kind and dates from the same build as its
files (never a new title beside old previews), and calls it stale when the
content has changed since. The build takes a draft's published version from the
outbox's record, so that the outbox keeps it (in the feed too) while the draft
is reworked. The record is JSON (never pickle), one file per area, written
atomically and only when it changes.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from toolkit.content.model import MODELS, AnyUnit
from toolkit.files import write_atomic

RECORD = "units.json"
FORMAT = 1


def load_record(folder: Path) -> dict[str, AnyUnit]:
    """The units `folder` (the outbox or the preview area) was last built from, by id;
    nothing for a record that is missing, unreadable or of another format."""
    try:
        data = json.loads((folder / RECORD).read_bytes())
    except (OSError, ValueError):
        return {}
    units = data.get("units") if isinstance(data, dict) and data.get("format") == FORMAT else None
    if not isinstance(units, dict):
        return {}
    return {unit.id: unit for unit in map(_unit, units.values()) if unit is not None}


def _unit(fields: Any) -> AnyUnit | None:
    try:
        return MODELS[fields["kind"]].model_validate(fields)  # type: ignore[return-value]
    except (TypeError, KeyError, ValidationError):
        return None


def save_record(folder: Path, units: Iterable[AnyUnit]) -> None:
    """Record the units `folder` now holds files of; the same units, the same bytes."""
    fields = {u.id: u.model_dump(mode="json") for u in sorted(units, key=lambda u: u.id)}
    data = json.dumps({"format": FORMAT, "units": fields}, ensure_ascii=False, indent=1,
                      sort_keys=True).encode("utf-8") + b"\n"
    path = folder / RECORD
    try:
        if path.read_bytes() == data:
            return
    except OSError:
        pass
    write_atomic(path, data)
