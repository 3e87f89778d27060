"""The live preview loop of `toolkit serve`: watch, rebuild, tell the open pages.

`Live` watches content/, templates/ and toolkit.toml (watchfiles). A saved edit
rebuilds what changed, at once and in this process, for every channel but the
slow ones (video); the review pages open in a browser are then told to reload
(Server-Sent Events, through `Events`). The slow channels, and the channels that
enclose their files (the feed), are built next in a process of their own
(`toolkit.live.background`), which the next edit stops: an officer never waits
for a video to see a leaflet. Every build holds the project's lock as the command "serve";
a build refused because another command holds it is said on the page and in the
log, and tried again at the next change.

What the page shows of the loop (`status()`): the problems of the last builds
(each beside its unit), what it is doing, notes on builds that could not run,
and a generation that changes whenever the files do.
"""

from __future__ import annotations

import contextlib
import json
import sys
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from toolkit.i18n import _, decimal, ngettext
from toolkit.live.events import KEEPALIVE, Events, Listener, event
from toolkit.problems import Problem, ProblemError
from toolkit.project import CONTENT_DIR, Project, open_project
from toolkit.review import Status
from toolkit.settings import SETTINGS_FILE

__all__ = ["KEEPALIVE", "Events", "Listener", "Live", "event"]

TEMPLATES_DIR = "templates"
STEP_MS = 50  # a burst of changes is over after this long without one


@dataclass
class Outcome:
    """What a build of the loop found: its problems, whether its files changed, and
    whether it ran at all (not with a broken toolkit.toml)."""

    problems: list[Problem]
    changed: bool
    ran: bool = True


class Live:
    """The watch, rebuild and tell loop of one project (see the module's docstring).

    `channels` restricts what is built (default: all); `today` builds and judges as if
    it were that day; `log` is told, one line at a time, what the loop did.
    """

    def __init__(self, project: Project, channels: tuple[str, ...] = (),
                 today: date | None = None, log: Callable[[str], None] | None = None) -> None:
        self.root = project.root
        self.today = today
        self.events = Events()
        self.log = log or _stderr
        self.channels = channels
        self._project = project
        self._lock = threading.Lock()
        self._wake = threading.Condition(self._lock)
        self._wanted: set[str] = set()
        self._stop = threading.Event()
        self._problems: list[Problem] = []
        self._slow_problems: list[Problem] = []
        self._notes: tuple[str, ...] = ()
        # The units (by file; None: all) whose slow channels' files are of their version
        # before an edit, until the background build has made them again.
        self._behind: frozenset[str] | None = frozenset()
        self._activity, self._busy = _("Making what changed since the last build…"), True
        self._generation = 0
        self._started = f"{time.time_ns():x}"
        self._threads: list[threading.Thread] = []
        # Imported here: `python -m toolkit.live.background` must find it not yet loaded.
        from toolkit.live.background import Background

        self._background = Background(self.root, today, self)

    @property
    def project(self) -> Project:
        """The project as last opened (toolkit.toml is read again when it changes)."""
        with self._lock:
            return self._project

    @property
    def generation(self) -> str:
        """Changes whenever a build of the loop changed files or problems."""
        with self._lock:
            return f"{self._started}-{self._generation}"

    @property
    def building_in_background(self) -> bool:
        """True while the slow channels are being built in the background."""
        return self._background.running

    def status(self) -> Status:
        """What the review page says of the loop."""
        with self._lock:
            problems = tuple(dict.fromkeys([*self._problems, *self._slow_problems]))
            behind = _slow() if self._behind is None or self._behind else ()
            return Status(problems, self._activity, self._busy, self._notes,
                          f"{self._started}-{self._generation}", behind, self._behind)

    def start(self, watch: bool = True) -> None:
        """Build what changed since the last build, then (with `watch`) rebuild on every
        change until `close()`."""
        self._spawn(self._builder, "toolkit-live-build")
        if watch:
            self._spawn(self._watch_settings, "toolkit-live-watch-settings")
            self._spawn(self._watch_folders, "toolkit-live-watch")
        self.changed([])

    def _spawn(self, target: Callable[[], None], name: str) -> None:
        thread = threading.Thread(target=target, name=name, daemon=True)
        self._threads.append(thread)
        thread.start()

    def changed(self, paths: Iterable[str]) -> None:
        """Ask for a rebuild because of changes to `paths` (none: look at everything)."""
        named = set(paths) or {""}  # "": anything may have changed
        with self._wake:
            self._wanted |= named
            self._wake.notify()

    def close(self) -> None:
        """Stop watching and building, end the pages' event streams; a build under way
        in this process finishes first (its files stay whole)."""
        self._stop.set()
        with self._wake:
            self._wake.notify_all()
        self._background.stop(for_good=True)
        self.events.close()
        for thread in self._threads:
            thread.join(timeout=30)

    def _builder(self) -> None:
        while True:
            with self._wake:
                while not self._wanted and not self._stop.is_set():
                    self._wake.wait()
                if self._stop.is_set():
                    return
                paths, self._wanted = self._wanted, set()
            self._background.stop()  # a new edit: the slow build starts again after
            try:
                self._rebuild(paths)
            except Exception as error:  # a fault of ours must not end the loop
                self._note(_("The rebuild failed: {error}. It is tried again at your next "
                             "change.").format(error=f"{type(error).__name__}: {error}"))

    def _rebuild(self, paths: set[str]) -> None:
        self._say(_("Rebuilding what changed…"), busy=True)
        started = time.monotonic()
        outcome = self._build_fast(paths)
        if outcome is None:
            return
        seconds = time.monotonic() - started
        with self._lock:
            before = set(self._problems)
            self._problems = outcome.problems
            self._slow_problems = [p for p in self._slow_problems
                                   if not _touched(p.file, paths)]
            self._notes = ()
            self._generation += 1  # even an edit that changes nothing is answered
        for problem in outcome.problems:
            if problem not in before:
                self.log(str(problem))
        self.log(_("rebuilt in {seconds} s").format(seconds=decimal(seconds, 1)))
        self._say(self._idle(), busy=False)
        self.events.publish("reload", self.generation)
        slow = self._slow_channels()
        if slow and outcome.ran and not self._stop.is_set():
            with self._lock:
                self._behind = _behind(self._behind, paths)
            self._background.start(slow)

    def _build_fast(self, paths: set[str]) -> Outcome | None:
        """Build every channel asked for but the slow ones, under the lock; None when it
        could not run (said on the page)."""
        from toolkit import build as pipeline
        from toolkit.lock import project_lock

        try:
            project = open_project(self.root) if _settings_touched(paths) else self.project
        except ProblemError as err:
            return Outcome(list(err.problems), changed=False, ran=False)
        with self._lock:
            self._project = project
        fast = tuple(c for c in self._wanted_channels() if c not in _slow())
        with contextlib.ExitStack() as held:
            try:
                held.enter_context(project_lock(project.root, "serve"))
            except ProblemError as err:
                self._refused(err)
                return None
            if not fast:
                from toolkit.content.load import load_content

                content = load_content(project.root, project.content_dir)
                return Outcome(list(content.problems), changed=False)
            report = pipeline.build(project, pipeline.Options(fast, today=self.today),
                                    self._progress)
        return Outcome(list(report.problems), changed=bool(report.built or report.removed))

    def _wanted_channels(self) -> tuple[str, ...]:
        from toolkit.channels import channels

        return tuple(c.name for c in channels() if not c.by_period
                     and (not self.channels or c.name in self.channels))

    def _slow_channels(self) -> tuple[str, ...]:
        """The slow channels asked for, then those that enclose their files (the feed)."""
        from toolkit.channels import channels

        wanted = self._wanted_channels()
        slow = tuple(c for c in wanted if c in _slow())
        if not slow:
            return ()
        return slow + tuple(c.name for c in channels()
                            if c.needs_attachments and c.name in wanted and c.name not in slow)

    def _progress(self, stage: str, done: int, total: int, current: str) -> None:
        """Progress of the build under way, for the page (not every step: a long stage
        would flood the pages)."""
        if total >= 10 and done % max(1, total // 10) and done != total:
            return
        self._say(_("Rebuilding: {stage} {done}/{total}").format(stage=stage, done=done,
                                                               total=total), busy=True)

    def _refused(self, err: ProblemError) -> None:
        why = "; ".join(p.what for p in err.problems)
        self._note(_("This change is not built yet: {why}. It is built at your next change.")
                   .format(why=why))

    def _note(self, text: str) -> None:
        with self._lock:
            self._notes = (text,)
            self._generation += 1
        self.log(text)
        self._say(self._idle(), busy=False)
        self.events.publish("reload", self.generation)

    def _say(self, text: str, busy: bool) -> None:
        """What the loop is doing: kept for new pages, sent to open ones."""
        with self._lock:
            self._activity, self._busy = text, busy
        self.events.publish("status", json.dumps({"text": text, "busy": busy},
                                                 ensure_ascii=False))

    def _idle(self) -> str:
        with self._lock:
            count = len(set(self._problems) | set(self._slow_problems))
        problems = (ngettext("{n} problem", "{n} problems", count).format(n=count)
                    if count else _("no problems"))
        return _("Up to date at {time} ({problems}). Watching content/, templates/ and "
                 "toolkit.toml: save an edit and this page shows it.").format(
            time=f"{datetime.now():%H:%M:%S}", problems=problems)

    def background_progress(self, stage: str, done: int, total: int, current: str) -> None:
        """Progress of the background build (told by `Background`)."""
        self._say(_("Making in the background: {stage} {done}/{total} {current}").format(
            stage=stage, done=done, total=total, current=current), busy=True)

    def background_done(self, problems: list[Problem], changed: bool) -> None:
        """The background build ended: its problems join the page's, which reloads if
        its files changed."""
        with self._lock:
            before = set(self._slow_problems)
            self._slow_problems = problems
            if changed or before != set(problems) or self._behind != frozenset():
                self._generation += 1
            self._behind = frozenset()
        for problem in problems:
            if problem not in before and problem not in self._problems:
                self.log(str(problem))
        self.log(_("made in the background: {channels}").format(
            channels=", ".join(self._slow_channels())))
        self._say(self._idle(), busy=False)
        self.events.publish("reload", self.generation)

    def background_failed(self, text: str) -> None:
        """The background build could not run, or stopped: said on the page."""
        self._note(text)

    def _watch_settings(self) -> None:
        """toolkit.toml, and content/ or templates/ appearing or going: the project's own
        folder, not its subfolders."""
        def wanted(_change: object, path: str) -> bool:
            return Path(path).name in (SETTINGS_FILE, CONTENT_DIR, TEMPLATES_DIR)

        self._watch([self.root], wanted, recursive=False)

    def _watch_folders(self) -> None:
        """content/ and templates/, all the way down."""
        from watchfiles import DefaultFilter

        self._watch([self.root / CONTENT_DIR, self.root / TEMPLATES_DIR], DefaultFilter(),
                    recursive=True)

    def _watch(self, paths: list[Path], wanted: Callable[[Any, str], bool],
               recursive: bool) -> None:
        """Report changes under `paths` until stopped; a folder that appears is watched
        from then on (within a second)."""
        from watchfiles import watch

        while not self._stop.is_set():
            present = [p for p in paths if p.exists()]
            if not present:
                self._stop.wait(1.0)
                continue
            try:
                for changes in watch(*present, watch_filter=wanted, step=STEP_MS,
                                     stop_event=self._stop, rust_timeout=1000,
                                     yield_on_timeout=True, recursive=recursive,
                                     raise_interrupt=False):
                    if changes:
                        self.changed(self._relative(path) for _, path in changes)
                    if [p for p in paths if p.exists()] != present:
                        break  # a folder came or went: watch what is there now
            except (OSError, RuntimeError) as err:
                self.log(_("watching {paths} failed: {error}").format(
                    paths=", ".join(map(str, present)), error=err))
                self._stop.wait(1.0)

    def _relative(self, path: str) -> str:
        try:
            return Path(path).relative_to(self.root).as_posix()
        except ValueError:
            return path


def _behind(before: frozenset[str] | None, paths: set[str]) -> frozenset[str] | None:
    """The units whose slow files are behind, once `paths` changed: those files too, or
    every unit after a change of settings or templates. The first build (no path) says
    nothing: what is behind then is not known until the background build has run."""
    if paths == {""}:
        return before
    if before is None or _shared_touched(paths):
        return None
    return before | paths


def _touched(file: str, paths: set[str]) -> bool:
    """True when a problem's file may have changed with `paths`: itself, what every
    unit's files are made with, or anything (no path)."""
    return file in paths or "" in paths or _shared_touched(paths)


def _shared_touched(paths: set[str]) -> bool:
    """True when what every unit's files are made with changed: settings, a template."""
    return SETTINGS_FILE in paths or any(
        p == TEMPLATES_DIR or p.startswith(f"{TEMPLATES_DIR}/") for p in paths)


def _settings_touched(paths: set[str]) -> bool:
    """True when toolkit.toml may have changed (no path: anything may have)."""
    return "" in paths or SETTINGS_FILE in paths


def _stderr(line: str) -> None:
    sys.stderr.write(f"{line}\n")
    sys.stderr.flush()


def _slow() -> tuple[str, ...]:
    """The channels whose files take seconds a unit (video): made in the background."""
    from toolkit.channels import channels

    return tuple(c.name for c in channels() if c.slow)
