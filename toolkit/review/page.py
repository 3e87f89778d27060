"""The review page as a whole: its head, the header (what the live loop says, problems of
no unit, the files of many units), the filters, the count and index of the units shown,
then a section for each.

It is made in two steps, so that `toolkit serve` can keep the costly one
(`toolkit.review.cache`): `review_model` reads the content and both areas and draws each
unit's index row and section once, into one body of bytes (a `Review`); `Review.page`
then puts around it what changes from one request to the next (what the live loop says,
the filters asked) and takes the rows and sections the filters keep. `review_page` does
both."""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING
from urllib.parse import quote

from toolkit.channels import channels
from toolkit.content.load import Content, load_content
from toolkit.content.model import KINDS, kind_label
from toolkit.i18n import _, language, ngettext
from toolkit.outbox import ChannelOutbox
from toolkit.problems import Problem
from toolkit.project import Project
from toolkit.review.markup import capital, link, prose
from toolkit.review.markup import escape as _e
from toolkit.review.section import badges, problem_list, section
from toolkit.review.shelf import PREVIEW_PREFIX, Shelf, read_shelf
from toolkit.review.states import (
    SEARCH_LIMIT,
    STATES,
    Entry,
    Filters,
    collect,
    folded,
    parse_filters,
    unit_channels,
)
from toolkit.review.status import Status
from toolkit.review.style import SCRIPT, STYLE

if TYPE_CHECKING:
    from toolkit.review.cache import ReviewCache

REPORTS = "report"  # outbox/report/: the quarterly reports, a command's folder, not a channel
RECORDINGS = frozenset({".mp3", ".m4a", ".ogg", ".wav"})  # shared files the page plays
TAIL = f"<script>{SCRIPT}</script></body></html>".encode()
MAIN = b"<main>"
MAIN_END = b"</main>"
INDEX_END = b"</ol></nav>"


def review_page(project: Project, query: str = "", status: Status | None = None,
                today: date | None = None, cache: ReviewCache | None = None) -> bytes:
    """The page: every unit, newest first, filtered as `query` asks; `status` is what
    the live loop knows (None: a server without one). With `cache` (a server's), what
    the page is made of is read again only when it changed."""
    status = status or Status()
    if cache is not None:
        return cache.page(project, query, status, today)
    return review_model(project, status, today).page(project, query, status)


@dataclass(frozen=True, slots=True)
class Facts:
    """What the filters ask of a unit: its kind, states, channels and title (folded)."""

    kind: str
    states: tuple[str, ...]
    channels: tuple[str, ...]
    folded_title: str


@dataclass(frozen=True, slots=True)
class Row:
    """A unit as the page keeps it: what the filters ask of it, and where its index
    row and its section are in the page's body (start, end)."""

    facts: Facts
    index: tuple[int, int]
    section: tuple[int, int]


@dataclass(frozen=True, slots=True)
class Drawn:
    """A unit drawn for the page: its index row, its section, and its facts. The bytes
    may be views of an earlier page's (the cache's `Sections` hands those back)."""

    index: bytes | memoryview
    section: bytes | memoryview
    facts: Facts


# Draws an entry (the cache's `Sections` keeps what it drew by what it shows).
Draw = Callable[[Entry, Project], Drawn]
# Reads an area (the cache's `Shelves` keeps them by the bytes of its manifests).
Read = Callable[[Path, str], Shelf]


def draw(entry: Entry, project: Project) -> Drawn:
    """The entry's index row and section, and what the filters ask of it."""
    row = f"<li><a href='#{_e(entry.id)}'>{_e(entry.title)}</a> {badges(entry)}</li>"
    return Drawn(row.encode(), section(entry, project.settings).encode(),
                 Facts(entry.kind, tuple(entry.states), entry.channels, folded(entry.title)))


def review_model(project: Project, status: Status, today: date | None = None,
                 read: Read = read_shelf, draw: Draw = draw) -> Review:
    """Everything of the page that the files make it: the units, their states, their
    index rows and sections drawn once; `read` and `draw` may keep what they read and
    drew (the server's cache does)."""
    today = today or datetime.now(project.settings.zone).date()
    content = load_content(project.root, project.content_dir, remember=False)
    outbox = read(project.outbox_dir, "")
    preview = read(project.preview_dir, PREVIEW_PREFIX)
    problems = _unique([*content.problems, *status.problems])
    entries = collect(content, outbox, preview, problems, today, status)
    sources = {e.source for e in entries}
    loose = [p for p in problems if p.file not in sources]
    rows, body = _body([draw(e, project) for e in entries])
    return Review(rows, body, tuple(outbox.unread), tuple(loose), _shared(project, outbox),
                  bool(content.problems), named_outside(project, content))


def _body(drawn: list[Drawn]) -> tuple[list[Row], bytes]:
    """The index and the sections of every unit drawn, as one body, and where each is."""
    if not drawn:
        return [], b""
    label = _("Units")
    opening = f"<nav aria-label='{_e(label)}'><ol class=index>".encode()
    at = len(opening)
    indexes = []
    for unit in drawn:
        indexes.append((at, at + len(unit.index)))
        at += len(unit.index)
    at += len(INDEX_END) + len(MAIN)
    rows = []
    for unit, index in zip(drawn, indexes, strict=True):
        rows.append(Row(unit.facts, index, (at, at + len(unit.section))))
        at += len(unit.section)
    return rows, b"".join([opening, *(u.index for u in drawn), INDEX_END, MAIN,
                           *(u.section for u in drawn), MAIN_END])


def named_outside(project: Project, content: Content) -> tuple[Path, ...]:
    """The files units name (photos, recordings) outside content/: the page's cache
    watches content/ as a whole, and these too."""
    found = []
    for unit in content.units:
        folder = (project.root / unit.source).parent
        for value in (unit.image, *unit.narration):
            path = Path(os.path.normpath(folder / value)) if value else None  # "../anh/x.jpg"
            if path is not None and not path.is_relative_to(project.content_dir):
                found.append(path)
    return tuple(sorted(set(found)))


@dataclass
class Review:
    """The page as the files make it (`review_model`): its rows, the body holding their
    index rows and sections, and the header's parts that come from the files. It keeps
    the last whole page it put together and the last filtered one, so that requests for
    the same page share one copy of its bytes."""

    rows: list[Row]
    body: bytes
    unread: tuple[str, ...]
    loose: tuple[Problem, ...]
    shared: str
    unreadable: bool  # some unit could not be read (said when no unit is shown)
    named: tuple[Path, ...]  # files the units name outside content/
    _prefix: bytes | None = None  # of the whole page held in `body`, if any
    _start: int = 0  # where the body starts in `body` once a whole page holds it
    _filtered: tuple[tuple[Filters, bytes], bytes] | None = None
    _tally: str | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def page(self, project: Project, query: str, status: Status) -> bytes:
        """The page for `query` (its filters) and `status` (what the live loop says)."""
        filters = parse_filters(query)
        kept = [r for r in self.rows
                if filters.matches(r.facts.kind, r.facts.states, r.facts.channels,
                                   r.facts.folded_title)
                ] if filters.active else self.rows
        prefix = self._prefix_for(project, status, filters, kept)
        if not self.rows:
            return prefix + TAIL
        with self._lock:
            if not filters.active:
                return self._whole(prefix)
            return self._only(filters, prefix, kept)

    def _prefix_for(self, project: Project, status: Status, filters: Filters,
                    kept: list[Row]) -> bytes:
        parts = [_head(project, status), _header(project, status, self),
                 _filters(filters, len(kept), len(self.rows))]
        if not self.rows:
            parts.append(_empty(self.unreadable, live=bool(status.generation)))
        elif kept is self.rows:
            if self._tally is None:
                self._tally = _count(self.rows)
            parts.append(self._tally)
        else:
            parts.append(_count(kept))
        return "".join(parts).encode()

    def _whole(self, prefix: bytes) -> bytes:
        """The unfiltered page: the body between `prefix` and the script, one copy shared
        by every request with this prefix (the last one asked)."""
        if prefix != self._prefix:
            with memoryview(self.body) as body:
                size = len(self.body) - self._start - (0 if self._prefix is None else len(TAIL))
                whole = b"".join((prefix, body[self._start:self._start + size], TAIL))
            self.body, self._start, self._prefix = whole, len(prefix), prefix
        return self.body

    def _only(self, filters: Filters, prefix: bytes, kept: Sequence[Row]) -> bytes:
        """The page of the rows `filters` keep; the last one is kept for requests of the
        same filters."""
        if self._filtered is not None and self._filtered[0] == (filters, prefix):
            return self._filtered[1]
        start = self._start
        with memoryview(self.body) as body:
            parts: list[bytes | memoryview] = [prefix, body[start:start + self._index_start()]]
            parts += [body[start + r.index[0]:start + r.index[1]] for r in kept]
            parts += [INDEX_END, MAIN]
            parts += [body[start + r.section[0]:start + r.section[1]] for r in kept]
            page = b"".join([*parts, MAIN_END, TAIL])
            parts.clear()
        self._filtered = ((filters, prefix), page)
        return page

    def _index_start(self) -> int:
        """Where the first index row starts in the body: after the index's opening."""
        return self.rows[0].index[0]

    def drawn(self, number: int) -> Drawn:
        """The unit of row `number` as drawn: views of this page's bytes, so that a page
        drawn next shares what did not change without a copy of its own."""
        row = self.rows[number]
        with self._lock:
            body, start = memoryview(self.body), self._start
        return Drawn(body[start + row.index[0]:start + row.index[1]],
                     body[start + row.section[0]:start + row.section[1]], row.facts)


def _unique(problems: Iterable[Problem]) -> list[Problem]:
    return list(dict.fromkeys(problems))


def _head(project: Project, status: Status) -> str:
    title = _("Review: {organisation}").format(organisation=project.settings.organisation.name)
    return (f"<!doctype html><html lang={language()}><meta charset=utf-8>"
            "<meta name=viewport content='width=device-width,initial-scale=1'>"
            "<link rel=icon href='data:,'>"  # no request for a favicon the outbox lacks
            f"<title>{_e(title)}</title><style>{STYLE}</style>"
            f"<body data-generation='{_e(status.generation)}'>")


def _header(project: Project, status: Status, review: Review) -> str:
    name = project.settings.organisation.name
    heading = _("{organisation}: review before publishing").format(organisation=name)
    parts = [f"<header><h1>{_e(heading)}</h1>"]
    if status.generation:
        offline = _("The page has lost toolkit serve; it reconnects by itself. If it does "
                    "not, start toolkit serve again.")
        parts.append(f"<p id=live role=status class='{'busy' if status.busy else ''}' "
                     f"data-offline='{_e(offline)}'>{_e(status.activity)}</p>")
    else:
        still = _("This page shows the outbox as it is; it is not rebuilt when a unit "
                  "changes: run `toolkit build`, then reload the page.")
        parts.append(f"<p class=meta>{prose(still)}</p>")
    parts += [f"<p class=note role=alert>{_e(note)}</p>" for note in status.notes]
    unread = _("{problem}; what it holds is not shown.")
    parts += [f"<p class=note>{_e(unread.format(problem=p))}</p>" for p in review.unread]
    if review.loose:
        heading = _("Problems of the project")
        parts.append(f"<h2>{_e(heading)}</h2>{problem_list(review.loose, True)}")
    parts.append(review.shared)
    return "".join(parts) + "</header>"


def _shared(project: Project, outbox: Shelf) -> str:
    """Links to the files of many units (feeds, SMS list, bulletins) and the reports."""
    labels = {c.name: capital(_(c.label)) for c in channels()}
    groups: dict[str, list[tuple[str, str]]] = {}
    for channel, path in outbox.shared:
        groups.setdefault(labels.get(channel, channel), []).append(
            (outbox.url(path), path.split("/", 1)[1]))
    reports = sorted(ChannelOutbox(project.outbox_dir, REPORTS).items.values(),
                     key=lambda i: i.path, reverse=True)
    if reports:
        groups[_("Quarterly reports")] = [(f"/{REPORTS}/{quote(i.path)}",
                                           PurePosixPath(i.path).name) for i in reports]
    if not groups:
        return ""
    rows = "".join(f"<li><strong>{_e(label)}:</strong> "
                   f"{' · '.join(link(url, name) for url, name in files)}{_players(files)}</li>"
                   for label, files in groups.items())
    return f"<ul class=shared>{rows}</ul>"


def _players(files: list[tuple[str, str]]) -> str:
    """A player for each recording among files of many units (the week's radio bulletin
    read aloud), on a line of its own below their links, so that it is heard here."""
    players = [_player(url, name) for url, name in files
               if PurePosixPath(name).suffix.lower() in RECORDINGS]
    return f"<div class=players>{''.join(players)}</div>" if players else ""


def _player(url: str, name: str) -> str:
    label = _("Recording: {file}").format(file=name)
    return f"<audio controls preload=none aria-label='{_e(label)}' src='{_e(url)}'></audio>"


def _filters(filters: Filters, shown: int, total: int) -> str:
    if not total:
        return ""
    kinds = _options("kind", _("every kind"), [(k, kind_label(k)) for k in KINDS], filters.kind)
    states = _options("state", _("every state"), [(s, _(label)) for s, label in STATES.items()],
                      filters.state)
    labels = {c.name: _(c.label) for c in channels()}
    chans = _options("channel", _("every channel"),
                     [(c, labels[c]) for c in unit_channels()], filters.channel)
    words = {"kind": _("Kind"), "state": _("State"), "channel": _("Channel"),
             "search": _("Title contains"), "filter": _("Filter"), "all": _("show everything")}
    clear = f" <a href='/'>{_e(words['all'])}</a>" if filters.active else ""
    return ("<form class=filters method=get action='/'>"
            f"<label>{_e(words['kind'])}{kinds}</label>"
            f"<label>{_e(words['state'])}{states}</label>"
            f"<label>{_e(words['channel'])}{chans}</label>"
            f"<label>{_e(words['search'])}<input type=search name=q "
            f"value='{_e(filters.search)}' maxlength={SEARCH_LIMIT}></label>"
            f"<button type=submit>{_e(words['filter'])}</button>{clear}</form>")


def _options(name: str, every: str, choices: list[tuple[str, str]], chosen: str) -> str:
    options = [f"<option value=''>{_e(every)}</option>"]
    options += [f"<option value='{_e(value)}'{' selected' if value == chosen else ''}>"
                f"{_e(label)}</option>" for value, label in choices]
    return f"<select name={name}>{''.join(options)}</select>"


def _empty(unreadable: bool, live: bool) -> str:
    """What to do when there is no unit to show: never links to files that are not there."""
    if unreadable:
        text = (_("No unit could be read: fix the problems above and save; this page then "
                  "shows them.") if live else
                _("No unit could be read: fix the problems above, then run `toolkit build`."))
    elif live:
        text = _("There is no unit yet. Write one with `toolkit new procedure \"Title\"` (or "
                 "`example`, `notice`): it shows here as soon as it is saved.")
    else:
        text = _("There is no unit yet. Write one with `toolkit new procedure \"Title\"` "
                 "(or `example`, `notice`), then run `toolkit build`.")
    return f"<p class=empty>{prose(text)}</p>"


def _count(entries: Sequence[Row]) -> str:
    if not entries:
        none = _("No unit matches these filters.")
        return f"<p class=count>{_e(none)}</p>"
    tally = [ngettext("{n} unit", "{n} units", len(entries)).format(n=len(entries))]
    for state, label in STATES.items():
        n = sum(state in e.facts.states for e in entries)
        if n:
            tally.append(f"{n} {_(label)}")
    return f"<p class=count>{_e(' · '.join(tally))}</p>"
