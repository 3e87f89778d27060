"""The record of an area: units validated when first asked for, JSON kept as it was read
for units unchanged, and a record of another version read in full and filtered."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.test_build import Run, build
from toolkit import record
from toolkit.record import RECORD, Units, read_record, save_record


def _saved(project: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((project / "outbox" / RECORD).read_bytes())
    return data


def test_units_are_validated_only_when_asked_for(project: Path, run: Run,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    build(run, project, "--channel", "sms", "--channel", "rss")
    validated: list[str] = []
    check = record._unit

    def counted(fields: Any, trusted: bool = False) -> Any:
        validated.append(fields["id"])
        return check(fields, trusted)

    monkeypatch.setattr(record, "_unit", counted)
    units = read_record(project / "outbox").units
    assert set(units) == {"khai-sinh", "tong-dai-1022", "tan-phong"} and validated == []
    assert units["khai-sinh"].title and validated == ["khai-sinh"]


def test_an_unchanged_unit_is_written_back_as_it_was_read(project: Path, run: Run) -> None:
    build(run, project, "--channel", "sms", "--channel", "rss")
    before = read_record(project / "outbox")
    again = Units.of({i: before.units[i] for i in before.units}, before.units)
    assert all(again.fields(i) is before.units.fields(i) for i in before.units)
    save_record(project / "outbox", record.Record(again, before.made))
    assert _saved(project)["units"] == {i: before.units.fields(i) for i in before.units}


def test_a_record_of_another_version_is_read_in_full_and_filtered(project: Path,
                                                                  run: Run) -> None:
    build(run, project, "--channel", "sms", "--channel", "rss")
    data = _saved(project)
    data["version"] = "0.0.1"
    data["units"]["khai-sinh"]["title"] = ""  # no longer a valid unit
    (project / "outbox" / RECORD).write_text(json.dumps(data), encoding="utf-8")
    units = read_record(project / "outbox").units
    assert set(units) == {"tong-dai-1022", "tan-phong"}
    assert list(units.values())
