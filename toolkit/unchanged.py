"""A build with nothing to do stops before it reads a unit.

Most builds change nothing: the live loop rebuilds after every save, an officer
runs `toolkit build` again to be sure. With 20,000 units, reading and checking
every unit to learn that costs seconds. So each build leaves behind, in
`.toolkit-cache/build.json`, what it started from and what it left: a stamp of
every file of the project (names, sizes, change times: `content.listing`, no bytes
read) and of the files outside it that its jobs read (shared fonts), taken as it
started; and a stamp of the areas' manifests and records and of every file they
list, taken as it ended. The next build asking the same (channels, units, day,
period, language, version) with both stamps unchanged has nothing to do: it says
what the last one said and stops.

A stamp is only a shortcut. A file changed within the file system's clock tick of
the build starting gives no stamp; a build with a job that failed to render or be
written (a full disk, an encoder that crashed) leaves none; either way the next
build does all its work.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from toolkit import __version__
from toolkit.content.listing import listed, stamp, stats
from toolkit.files import read_cache, write_cache
from toolkit.i18n import language
from toolkit.options import Options, Report
from toolkit.outbox import MANIFEST
from toolkit.problems import Problem
from toolkit.project import Project
from toolkit.record import RECORD

STATE_FILE = Path(".toolkit-cache", "build.json")
FORMAT = 1


@dataclass(frozen=True)
class Outcome:
    """What a build with nothing left to do says: how many jobs are up to date, and the
    problems of the units it leaves out."""

    current: int
    problems: list[Problem]
    failed: list[str]


def started(project: Project, options: Options) -> str | None:
    """The stamp of what a build asked for `options` reads, taken as it starts."""
    today = options.today or project.today()
    return inputs(project.root, project.outbox_dir, _request(options, today))


def replayed(project: Project, options: Options, stamp: str | None) -> Report | None:
    """What the last build said, when nothing has changed since (`stamp` as `started`
    took it) and it is not forced; None when this build has work to do."""
    last = None if options.force else replay(project.root, stamp, _areas(project))
    if last is None:
        return None
    return Report(current=last.current, problems=last.problems, failed=set(last.failed))


def remember(project: Project, stamp: str | None, report: Report) -> None:
    """Keep what this build started from (`stamp`: None when a job failed to render or
    be written), left and said, for the next one."""
    outcome = Outcome(report.current + report.built, report.problems, sorted(report.failed))
    keep(project.root, stamp, _areas(project), outcome, report.read)


def _areas(project: Project) -> tuple[Path, Path]:
    return project.outbox_dir, project.preview_dir


def _request(options: Options, today: date) -> str:
    """What a build is asked for, as far as its outputs depend on it (no channel named:
    every channel)."""
    return _digest(language(), str(today), *sorted(options.channels), "--only",
                   *sorted(options.only), repr(options.period))


def inputs(root: Path, skip: Path, request: str) -> str | None:
    """The stamp of what a build is asked and reads in the project: its files, but those
    under `skip` (the outbox); None when one has just changed."""
    found = stamp(listed(root, "", (skip,)))
    return None if found is None else _digest(request, found)


def _with_outside(started: str | None, outside: Iterable[Path]) -> str | None:
    """The stamp of a build's inputs with the files outside the project its jobs read."""
    beyond = stamp(stats(sorted(outside)))
    return None if started is None or beyond is None else _digest(started, beyond)


def outputs(folders: Sequence[Path]) -> str:
    """The stamp of what the build left: each area's record, each channel's manifest, and
    the size and time of every file a manifest lists (one deleted or replaced by someone
    else makes it differ)."""
    h = hashlib.sha256()
    for folder in folders:
        h.update(_bytes(folder / RECORD))
        for channel in _channel_folders(folder):
            manifest = _bytes(channel / MANIFEST)
            h.update(f"{channel.name}\0".encode() + manifest)
            h.update(_listed(channel, manifest).encode())
    return h.hexdigest()[:20]


def _channel_folders(folder: Path) -> list[Path]:
    """The channels' folders in an area (the outbox, the preview area)."""
    try:
        return sorted(Path(e.path) for e in os.scandir(folder) if e.is_dir())
    except OSError:
        return []


def replay(root: Path, started: str | None, folders: Sequence[Path]) -> Outcome | None:
    """What the last build said, when it started from the same stamp and its outputs are
    as it left them; None when this build has work to do."""
    state = read_cache(root / STATE_FILE, __version__, FORMAT, "build")
    names = state.get("outside", [])
    beyond = [Path(name) for name in names if isinstance(name, str)]
    if started is None or state.get("inputs") != _with_outside(started, beyond):
        return None
    if state.get("outputs") != outputs(folders):
        return None
    try:
        return Outcome(int(state["current"]), [Problem(**p) for p in state["problems"]],
                       [str(unit) for unit in state["failed"]])
    except (KeyError, TypeError, ValueError):
        return None


def keep(root: Path, started: str | None, folders: Sequence[Path], outcome: Outcome,
         read: Iterable[Path]) -> None:
    """Keep what this build started from, left and said; forget it when it has no stamp
    (then the next build does its work)."""
    beyond = sorted(p for p in read if not p.is_relative_to(root))
    stamped = _with_outside(started, beyond)
    if stamped is None:
        write_cache(root / STATE_FILE, __version__, FORMAT, "build", {})
        return
    write_cache(root / STATE_FILE, __version__, FORMAT, "build", {
        "inputs": stamped, "outside": [str(p) for p in beyond],
        "outputs": outputs(folders), "current": outcome.current,
        "problems": [dataclasses.asdict(p) for p in outcome.problems], "failed": outcome.failed,
    })


def _listed(folder: Path, manifest: bytes) -> str:
    try:
        items = json.loads(manifest)["items"]
        paths = [folder / item["path"] for item in items]
    except (ValueError, KeyError, TypeError):
        return ""
    return "".join(f"{path}\0{_seen(stat)}\0" for path, stat in stats(paths))


def _seen(stat: os.stat_result | None) -> str:
    return "missing" if stat is None else f"{stat.st_size} {stat.st_mtime_ns}"


def _bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError:
        return b"missing"


def _digest(*parts: str) -> str:
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()[:20]
