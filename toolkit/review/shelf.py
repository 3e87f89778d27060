"""An area as the review page reads it (`Shelf`): the outbox, or the preview area of
drafts, read once a page from its manifests and record: the units its files were
built from, files by unit and of many units, what each channel shows of each unit
(`Channel.shown`), and the items of its feeds. It reads no unit file."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

from toolkit.channels import channels
from toolkit.channels.base import Channel, Shown
from toolkit.content.model import AnyUnit
from toolkit.outbox import ChannelOutbox, Item
from toolkit.problems import ProblemError
from toolkit.record import Record, read_record
from toolkit.review.feed import FeedItem, feed_items

PREVIEW_PREFIX = "/preview"  # where the server puts the preview area's files


@dataclass
class Shelf:
    """One area (the outbox, or the preview area of drafts) read once for the page: the
    units it was built from, files by unit and of many units, what each channel shows
    of each unit, the items of its feeds, and what could not be read."""

    folder: Path
    prefix: str
    record: Mapping[str, AnyUnit] = field(default_factory=dict)
    files: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    # the sha256 of each of a unit's files, as `files` lists them: its section is drawn
    # again only when one changed (a preview made again keeps its path)
    checksums: dict[str, list[str]] = field(default_factory=dict)
    shared: list[tuple[str, str]] = field(default_factory=list)
    shown: dict[str, list[tuple[str, Shown]]] = field(default_factory=dict)
    # (channel, item) by guid (the unit's page)
    feed: dict[str, tuple[str, FeedItem]] = field(default_factory=dict)
    unread: list[str] = field(default_factory=list)
    # channels whose files of a unit are of an older version than its record
    older: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def url(self, path: str) -> str:
        """The server's address of a file of this area (`path`: channel/file)."""
        return f"{self.prefix}/{quote(path)}"

    def holds(self, unit_id: str) -> bool:
        """True when the area has a record or files of the unit."""
        return unit_id in self.record or unit_id in self.files


def read_shelf(folder: Path, prefix: str, record: Record | None = None,
               known: Mapping[str, AnyUnit] | None = None) -> Shelf:
    """What an area holds, from its manifests and `record` (default: read from the
    area); reads no unit file. `known`: the units of the area as read before, taken
    again where the record has the same version of them."""
    record = record if record is not None else read_record(folder)
    units = _recorded(record, known or {})
    older = {i: behind for i, unit in units.items() if (behind := _older(record, unit))}
    shelf = Shelf(folder, prefix, units, older=older)
    for channel in channels():
        items = sorted(ChannelOutbox(folder, channel.name).items.values(), key=lambda i: i.path)
        _add_channel(shelf, channel, items, folder)
    shelf.feed = feed_items(folder, shelf.shared)
    return shelf


def _recorded(record: Record, known: Mapping[str, AnyUnit]) -> dict[str, AnyUnit]:
    """The record's units (those it cannot read left out), validated again only where
    `known` has no unit of the same version: after a build that changed one unit of
    10,000, the page validates one."""
    units = {}
    for unit_id in record.units:
        before = known.get(unit_id)
        same = before is not None and record.units.version(unit_id) == before.fingerprint
        unit = before if same else record.units.get(unit_id)
        if unit is not None:
            units[unit_id] = unit
    return units


def _older(record: Record, unit: AnyUnit) -> tuple[str, ...]:
    """The channels whose files of `unit` are of an older version than it (as
    `Record.behind`, with the unit at hand)."""
    made = record.made.get(unit.id, {})
    return tuple(sorted(c for c, version in made.items() if version != unit.fingerprint))


def _add_channel(shelf: Shelf, channel: Channel[Any], items: Sequence[Item],
                 folder: Path) -> None:
    for item in items:
        where = (channel.name, f"{channel.name}/{item.path}")
        if item.unit is None:
            shelf.shared.append(where)
        else:
            shelf.files.setdefault(item.unit, []).append(where)
            shelf.checksums.setdefault(item.unit, []).append(item.sha256)
    try:
        shown = channel.shown(items, folder)
    except ProblemError as err:
        shelf.unread.extend(str(p) for p in err.problems)
        return
    for unit, things in shown.items():
        shelf.shown.setdefault(unit, []).extend((channel.name, t) for t in things)
