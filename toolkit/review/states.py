"""The state of each unit on the review page: an `Entry` with its versions (the
outbox's, and a draft's in the preview area), its problems and states (broken, stale,
draft, scheduled, live, expired), in the page's order; and the `Filters` of the
index. Nothing here writes HTML."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import PurePosixPath
from urllib.parse import parse_qs

from toolkit.channels import channels
from toolkit.content.load import Content
from toolkit.content.model import KINDS, AnyUnit
from toolkit.content.text import strip_marks
from toolkit.i18n import N_
from toolkit.problems import Problem
from toolkit.review.shelf import Shelf
from toolkit.review.status import Status

SEARCH_LIMIT = 100  # characters of a search that are used

# What a unit can be, in the order badges show them; "scheduled" carries its date.
STATES: dict[str, str] = {
    "broken": N_("broken"),
    "stale": N_("stale"),
    "draft": N_("draft"),
    "scheduled": N_("scheduled"),
    "live": N_("live"),
    "expired": N_("expired"),
}


@dataclass(frozen=True)
class Version:
    """One version of a unit as built: the unit its files were made from (None when the
    area has no record of it), in which area."""

    unit: AnyUnit | None
    shelf: Shelf
    draft: bool


@dataclass
class Entry:
    """One unit on the page: what its file says now, its versions, problems, states."""

    id: str
    current: AnyUnit | None
    versions: list[Version]
    problems: list[Problem]
    source: str
    states: list[str] = field(default_factory=list)
    scheduled: date | None = None
    behind: tuple[str, ...] = ()  # channels whose files are of the version before

    @property
    def shown_unit(self) -> AnyUnit | None:
        """The unit whose title heads the entry: of the newest version built, else the
        unit as its file is now (never built)."""
        recorded = [v.unit for v in self.versions if v.unit is not None]
        return recorded[0] if recorded else self.current

    @property
    def title(self) -> str:
        """Its title as built (its file's name when it has none)."""
        unit = self.shown_unit
        return unit.title if unit is not None else self.source

    @property
    def kind(self) -> str:
        """Its kind as built ("" when unknown)."""
        unit = self.shown_unit
        return unit.kind if unit is not None else ""

    @property
    def channels(self) -> tuple[str, ...]:
        """The channels it goes to, as built."""
        unit = self.shown_unit
        return unit.wanted_channels if unit is not None else ()


def collect(content: Content, outbox: Shelf, preview: Shelf, problems: Sequence[Problem],
            today: date, status: Status | None = None) -> list[Entry]:
    """Every unit the content or either area knows, with its versions and states, newest
    first; units with problems and nothing built come first. `status` says which files
    the live loop is making again."""
    current = {u.id: u for u in content.units}
    ids = [*current, *(i for i in (*outbox.record, *outbox.files, *preview.record,
                                    *preview.files) if i not in current)]
    by_file: dict[str, list[Problem]] = {}
    for problem in problems:
        by_file.setdefault(problem.file, []).append(problem)
    entries = [_entry(i, current.get(i), outbox, preview, by_file)
               for i in dict.fromkeys(ids)]
    known = {e.source for e in entries}
    entries += [Entry(_id_of(file), None, [], found, file) for file, found in by_file.items()
                if file not in known and _is_unit_file(file, found)]
    for entry in entries:
        if status is not None and entry.current is not None:
            entry.behind = tuple(c for c in status.behind_for(entry.source)
                                 if c in entry.current.wanted_channels)
        _judge(entry, today)
    return sorted(entries, key=_order, reverse=True)


def _entry(unit_id: str, unit: AnyUnit | None, outbox: Shelf, preview: Shelf,
           by_file: dict[str, list[Problem]]) -> Entry:
    versions = []
    if (unit is None or unit.is_draft) and preview.holds(unit_id):
        versions.append(Version(preview.record.get(unit_id), preview, draft=True))
    if outbox.holds(unit_id):
        versions.append(Version(outbox.record.get(unit_id), outbox, draft=False))
    recorded = [v.unit for v in versions if v.unit is not None]
    source = unit.source if unit else (recorded[0].source if recorded else "")
    return Entry(unit_id, unit, versions, by_file.get(source, []) if source else [], source)


def _is_unit_file(file: str, problems: list[Problem]) -> bool:
    """True for a problem of a unit's file (a unit too broken to be read), not of the
    settings or a template."""
    return file.endswith(".md") and not all(p.warning for p in problems)


def _id_of(file: str) -> str:
    return PurePosixPath(file).stem


def _judge(entry: Entry, today: date) -> None:
    """The entry's states: broken, stale (content newer than its files), draft, and the
    published version's scheduled, live or expired."""
    states = []
    if any(not p.warning for p in entry.problems):
        states.append("broken")
    if is_stale(entry) or entry.behind or any(v.shelf.older.get(entry.id)
                                              for v in entry.versions):
        states.append("stale")
    if (entry.current.is_draft if entry.current is not None
            else entry.versions and all(v.draft for v in entry.versions)):
        states.append("draft")
    published = next((v.unit for v in entry.versions if not v.draft), None)
    if published is not None:
        if published.publish.date() > today:
            states.append("scheduled")
            entry.scheduled = published.publish.date()
        elif published.is_expired(today):
            states.append("expired")
        else:
            states.append("live")
    entry.states = states


def is_stale(entry: Entry) -> bool:
    """True when the unit's file is newer than the files made for it: changed since, not
    built yet, or deleted while its files remain. A broken unit keeps its last good
    files, and says so as broken."""
    unit = entry.current
    if unit is None:
        return bool(entry.versions) and not entry.problems
    target = next((v for v in entry.versions if v.draft == unit.is_draft), None)
    return target is None or target.unit is None or target.unit.fingerprint != unit.fingerprint


def _order(entry: Entry) -> tuple[bool, datetime, str]:
    unit = entry.shown_unit
    return unit is None, unit.publish if unit is not None else datetime.min, entry.id


@dataclass(frozen=True)
class Filters:
    """What the officer asked the index to show (empty: everything)."""

    kind: str = ""
    state: str = ""
    channel: str = ""
    search: str = ""

    @property
    def active(self) -> bool:
        """True when something is filtered out."""
        return bool(self.kind or self.state or self.channel or self.search)

    def keeps(self, entry: Entry) -> bool:
        """True when the entry matches every filter; a search ignores case and marks."""
        return self.matches(entry.kind, entry.states, entry.channels, folded(entry.title))

    def matches(self, kind: str, states: Sequence[str], channels: Sequence[str],
                folded_title: str) -> bool:
        """True when a unit of this kind, states, channels and title (`folded`) matches
        every filter: what the page cache keeps of each unit is enough to filter it."""
        return ((not self.kind or kind == self.kind)
                and (not self.state or self.state in states)
                and (not self.channel or self.channel in channels)
                and (not self.search or folded(self.search) in folded_title))


def parse_filters(query: str) -> Filters:
    """The filters of a page address's query (`kind=procedure&q=khai+sinh`); unknown
    values, and a query no form sends, are ignored."""
    try:
        asked = {k: v[0] for k, v in parse_qs(query, max_num_fields=10).items() if v}
    except ValueError:  # more fields than a filter form sends
        return Filters()
    kind = asked.get("kind", "")
    state = asked.get("state", "")
    channel = asked.get("channel", "")
    return Filters(kind if kind in KINDS else "", state if state in STATES else "",
                   channel if channel in unit_channels() else "",
                   " ".join(asked.get("q", "").split())[:SEARCH_LIMIT])


def folded(text: str) -> str:
    """A title or a search as they are compared: without marks (đ → d), any case."""
    return strip_marks(text).casefold()


def unit_channels() -> list[str]:
    """The channels a unit can ask for (not those made for a period)."""
    return [c.name for c in channels() if not c.by_period]
