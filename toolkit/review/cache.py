"""What `toolkit serve` answers at /, /screen and /screen.json, kept against what it is
made of (`ReviewCache`), so that a request costs a look at the files' stamps, not a
reading of them.

The review page is kept as a `Review` (the units' index rows and sections drawn once)
under a key of everything it is made of: the stamps (`toolkit.content.listing`) of every
file under content/ (units, photos, recordings) and of the files units name elsewhere,
of each area's manifests and record (`units.json`), of toolkit.toml and the project's
templates; the settings, the language, the day, and what the live loop says of the
units (its problems, the files it is making again). The filters of a request are
applied to the kept `Review`: a reviewer clicking filters recomputes nothing. The
waiting-room screen's list is kept the same way (its key: the outbox's record, the
video manifest, the settings and templates, the day), and its page by language.

A stamp is None when a file changed in the last two seconds (its times may not have
moved yet on a second change): then nothing is kept or used, and the page is made
afresh. One computation runs at a time (`Flights`): requests that come meanwhile wait
for it and share its bytes when it answers what they ask (the same key, or one begun
after they arrived), so a burst of requests never makes the page twice over at once.
Looking at the stamps is shared the same way: requests that come together walk the
files once or twice, not each.

With the live loop of `toolkit serve`, which watches content/, the walk of content/ (a
stat of every file: the most a request costs in a large catalogue) is skipped while
the loop is idle and has built nothing since the walk that the kept page was checked
against: any change under content/ makes it busy first. Served without the live loop,
every request walks content/.

A page drawn anew reuses what did not change: each area (`Shelves`, by the bytes of its
manifests and record) and each unit's section (`Sections`, by everything it shows).
"""

from __future__ import annotations

import gc
import hashlib
import threading
from collections.abc import Callable, Hashable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Generic, TypeVar

from toolkit.channels import names
from toolkit.content.listing import listed, stamp, stats
from toolkit.i18n import language
from toolkit.outbox import MANIFEST
from toolkit.project import Project
from toolkit.record import RECORD, Record, read_record
from toolkit.review.page import REPORTS, Drawn, Review, draw, review_model
from toolkit.review.screen import screen_list, screen_page
from toolkit.review.shelf import Shelf, read_shelf
from toolkit.review.states import Entry, Version
from toolkit.review.status import Status
from toolkit.settings import SETTINGS_FILE

T = TypeVar("T")
TEMPLATES = "templates"
VIDEO = "video"


@dataclass
class _Flight(Generic[T]):
    """One computation under way: what it is for, its number, then its outcome."""

    params: Hashable
    stamp: Hashable | None
    number: int
    done: bool = False
    value: T | None = None
    error: BaseException | None = None


class Flights(Generic[T]):
    """The last value computed, under its key, and one computation at a time.

    A key is `params` (what is not on disk: language, day, settings…) and a `stamp`
    of the files (None: changed too recently to be trusted). A value computed under
    a stamp is kept until one of another key replaces it; one computed under None is
    not kept, and drops the kept one (files changed since it was made). A request
    takes a `ticket()` before it stamps the files; it shares a computation with the
    same params that either has its stamp or was begun after its ticket (so read the
    files later than it did); otherwise it waits for the one under way to end.
    """

    def __init__(self) -> None:
        self._changed = threading.Condition()
        self._kept: tuple[Hashable, Hashable, T] | None = None
        self._running: _Flight[T] | None = None
        self._begun = 0
        self.computed = 0  # how many computations ran (what the tests and bench count)

    def ticket(self) -> int:
        """Taken before the files are stamped: which computations began after."""
        with self._changed:
            return self._begun

    def get(self, ticket: int, params: Hashable, stamp: Hashable | None,
            compute: Callable[[], T], keep: Callable[[T], bool] = lambda value: True) -> T:
        """The value for `params` and `stamp`: kept, shared with a computation under way,
        or computed here; `keep` may refuse to keep a value (it was not made of what
        `stamp` covers)."""
        with self._changed:
            while True:
                kept = self._kept
                if stamp is not None and kept is not None and kept[:2] == (params, stamp):
                    return kept[2]
                flight = self._running
                if flight is None:
                    break
                if flight.params == params and (flight.number > ticket
                                                or (stamp is not None and flight.stamp == stamp)):
                    return self._share(flight)
                self._changed.wait()
            self._begun += 1
            flight = _Flight[T](params, stamp, self._begun)
            self._running = flight
            self.computed += 1
        try:
            value = compute()
        except BaseException as error:
            self._end(flight, None, error, kept=False)
            raise
        self._end(flight, value, None, kept=stamp is not None and keep(value))
        return value

    def _share(self, flight: _Flight[T]) -> T:
        while not flight.done:
            self._changed.wait()
        if flight.error is not None:
            raise flight.error
        return flight.value  # type: ignore[return-value]

    def _end(self, flight: _Flight[T], value: T | None, error: BaseException | None,
             kept: bool) -> None:
        with self._changed:
            flight.value, flight.error, flight.done = value, error, True
            if kept:
                self._kept = (flight.params, flight.stamp, value)  # type: ignore[assignment]
            elif error is None:
                self._kept = None
            self._running = None
            self._changed.notify_all()


class Records:
    """Each area's record (`units.json`), read again only when its bytes changed: the
    review page and the screen's list both read the outbox's."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._kept: dict[Path, tuple[str, Record]] = {}

    def get(self, folder: Path) -> Record:
        """The record of `folder`, as `read_record` reads it."""
        digest = _digest([folder / RECORD])
        with self._lock:
            kept = self._kept.get(folder)
        if kept is not None and kept[0] == digest:
            return kept[1]
        record = read_record(folder)
        with self._lock:
            self._kept[folder] = (digest, record)
        return record


class Shelves:
    """Each area as the page reads it (`Shelf`), read again only when the bytes of its
    record or of a manifest changed (a manifest names the bytes of every file it lists,
    so the files that the channels show are the same too), or the language did."""

    def __init__(self, records: Records) -> None:
        self._records = records
        self._lock = threading.Lock()
        self._kept: dict[tuple[Path, str], tuple[Hashable, Shelf]] = {}

    def get(self, folder: Path, prefix: str) -> Shelf:
        """The area in `folder`, its files served under `prefix`."""
        key = (language(), names(), _digest(area_files(folder)))
        with self._lock:
            kept = self._kept.get((folder, prefix))
        if kept is not None and kept[0] == key:
            return kept[1]
        shelf = read_shelf(folder, prefix, self._records.get(folder),
                           kept[1].record if kept is not None else None)
        with self._lock:
            self._kept[(folder, prefix)] = (key, shelf)
        return shelf


class Sections:
    """Each unit as drawn for the last page (`Drawn`), by everything its index row and
    section show, so that a page drawn anew after one unit changed draws one unit. What
    it keeps are views of the last page's bytes: no second copy of them. It forgets
    them all when the language or the settings change."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._for: Hashable = None
        self._last: dict[Hashable, tuple[Review, int]] = {}
        self._keys: list[Hashable] = []
        self.drawn = 0  # how many units were drawn (what the tests count)

    def begin(self, project: Project) -> None:
        """A page is about to be drawn."""
        wanted = (language(), project.settings.digest)
        with self._lock:
            if wanted != self._for:
                self._for, self._last = wanted, {}
            self._keys = []

    def draw(self, entry: Entry, project: Project) -> Drawn:
        """The entry drawn: as on the last page if nothing it shows changed."""
        key = section_key(entry, project)
        with self._lock:
            self._keys.append(key)
            last = self._last.get(key)
        if last is not None:
            return last[0].drawn(last[1])
        with self._lock:
            self.drawn += 1
        return draw(entry, project)

    def end(self, review: Review | None) -> None:
        """The page is drawn (None: it failed): keep its units only."""
        with self._lock:
            if review is not None and len(review.rows) == len(self._keys):
                self._last = {key: (review, number) for number, key in enumerate(self._keys)}
            self._keys = []


def section_key(entry: Entry, project: Project) -> Hashable:
    """Everything a unit's section shows (with the language and the settings): its
    unit as its file says now and as each version was built, its problems and states,
    and what each area has of it (files and their bytes, what channels show, its feed
    item, channels behind)."""
    current = entry.current
    page = project.settings.unit_page(entry.id)
    return (entry.id, entry.source, current.fingerprint if current is not None else None,
            tuple(entry.problems), tuple(entry.states), entry.scheduled, entry.behind,
            tuple(_version_key(entry.id, page, v) for v in entry.versions))


def _version_key(unit_id: str, page: str, version: Version) -> Hashable:
    shelf = version.shelf
    return (version.draft, shelf.prefix, version.unit.fingerprint if version.unit else None,
            tuple(shelf.files.get(unit_id, ())), tuple(shelf.checksums.get(unit_id, ())),
            tuple(shelf.shown.get(unit_id, ())), shelf.feed.get(page),
            shelf.older.get(unit_id, ()))


@dataclass
class ReviewCache:
    """What a server answers at /, /screen and /screen.json, kept against what it is
    made of (see the module's docstring). `watched`: a live loop watches content/ and
    says in its status when it is busy, so content/ need not be walked while it is idle."""

    watched: bool = False
    pages: Flights[Review] = field(default_factory=Flights)
    # looking at the files' stamps, shared by the requests that come together: a walk
    # of a large content/ is the most a kept page costs
    looks: Flights[tuple[str, str] | None] = field(default_factory=Flights)
    lists: Flights[bytes] = field(default_factory=Flights)
    records: Records = field(default_factory=Records)
    shelves: Shelves = field(init=False)
    sections: Sections = field(default_factory=Sections)
    _screen: tuple[Hashable, bytes] | None = None
    # (generation of the live loop, stamp of content/) when content/ was last walked
    _walked: tuple[str, str] | None = None
    # files the units named outside content/ when the page was last drawn
    _named: tuple[Path, ...] = ()

    def __post_init__(self) -> None:
        self.shelves = Shelves(self.records)

    def page(self, project: Project, query: str, status: Status,
             today: date | None = None) -> bytes:
        """The review page for `query` and `status`, from the kept `Review` if nothing it
        is made of changed, else drawn anew (once for every request waiting for it)."""
        today = today or datetime.now(project.settings.zone).date()
        ticket, looked = self.pages.ticket(), self.looks.ticket()
        params = (project.root, project.settings.digest, language(), today,
                  status.problems, status.behind, status.behind_sources)
        named = self._named
        key = self.looks.get(looked, (project.root, status.busy, status.generation, named),
                             None, lambda: self._stamps(project, status, named))
        review = self.pages.get(ticket, params, key,
                                lambda: self._review(project, status, today),
                                keep=lambda review: review.named == named)
        return review.page(project, query, status)

    def screen_list(self, project: Project, today: date | None = None) -> bytes:
        """What /screen.json answers, kept until the outbox's record, the video manifest,
        the settings or templates change, or the day does."""
        today = today or datetime.now(project.settings.zone).date()
        ticket = self.lists.ticket()
        params = (project.root, project.settings.digest, today)
        key = stamp([*stats([project.root / SETTINGS_FILE, project.outbox_dir / RECORD,
                             project.outbox_dir / VIDEO / MANIFEST]),
                     *listed(project.root / TEMPLATES, "")])
        return self.lists.get(ticket, params, key, lambda: screen_list(
            project, today, self.records.get(project.outbox_dir)))

    def screen_page(self, project: Project) -> bytes:
        """What /screen answers: the same for one language and organisation."""
        key = (language(), project.settings.organisation.name)
        kept = self._screen
        if kept is None or kept[0] != key:
            kept = self._screen = (key, screen_page(project))
        return kept[1]

    def _stamps(self, project: Project, status: Status, named: tuple[Path, ...]
                ) -> tuple[str, str] | None:
        """The stamps of what the page is made of (None: something changed too recently):
        content/, and the settings, templates, areas and files units name elsewhere."""
        content = self._content(project, status)
        rest = stamp([*stats(self._page_files(project)), *listed(project.root / TEMPLATES, ""),
                      *stats(named)])
        return None if content is None or rest is None else (content, rest)

    def _content(self, project: Project, status: Status) -> str | None:
        """The stamp of every file under content/; while the live loop is idle and has
        built nothing since content/ was last walked, that walk's."""
        idle = self.watched and not status.busy and bool(status.generation)
        walked = self._walked
        if idle and walked is not None and walked[0] == status.generation:
            return walked[1]
        with _no_collection():
            found = stamp(listed(project.content_dir, ""))
        if idle and found is not None:
            self._walked = (status.generation, found)
        return found

    @staticmethod
    def _page_files(project: Project) -> list[Path]:
        """The files the page reads besides content/ and templates/: the settings, each
        area's record and manifests, the quarterly reports' manifest."""
        areas = (project.outbox_dir, project.preview_dir)
        return [project.root / SETTINGS_FILE, project.outbox_dir / REPORTS / MANIFEST,
                *(path for area in areas for path in area_files(area))]

    def _review(self, project: Project, status: Status, today: date) -> Review:
        self.sections.begin(project)
        review = None
        try:
            review = review_model(project, status, today, self.shelves.get,
                                  self.sections.draw)
        finally:
            self.sections.end(review)
        self._named = review.named
        return review


@contextmanager
def _no_collection() -> Iterator[None]:
    """No cyclic garbage collection meanwhile: a walk of 10,000 files makes some 40,000
    objects that live until it ends, enough to set off a collection of everything the
    server keeps (150 ms) every other request; they hold no cycles and go with it."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def area_files(folder: Path) -> list[Path]:
    """The files an area's shelf is read from: its record and each channel's manifest."""
    return [folder / RECORD, *(folder / name / MANIFEST for name in names())]


def _digest(paths: Sequence[Path]) -> str:
    """One digest of the bytes of `paths` (a missing file is told from an empty one)."""
    h = hashlib.blake2b(digest_size=20)
    for path in paths:
        try:
            data = path.read_bytes()
        except OSError:
            h.update(b"\0missing\0")
            continue
        h.update(len(data).to_bytes(8, "little"))
        h.update(data)
    return h.hexdigest()
