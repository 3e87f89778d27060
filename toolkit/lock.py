"""One writer at a time: a build, a bulletin, a report or a delivery holds the project's lock.

The lock is the operating system's, so it goes when its process ends, however it
ends (Ctrl+C, kill -9, the OOM killer). It belongs to the process that took it and
is never shared with the build's worker processes (nor may one process take it
twice: closing the second handle would release the first): on POSIX a record lock
(fcntl), which a forked child does not inherit, unlike flock(); on Windows a
byte-range lock, which no other process shares. The lock file also says which
command holds it since when, so a refusal can name it.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import IO

from toolkit.i18n import _, day
from toolkit.problems import Problem, ProblemError

LOCK_FILE = Path(".toolkit-cache", "lock")
# Windows locks are mandatory: the byte locked lies past the signature, so that a
# refused command can still read who holds the lock.
WINDOWS_LOCK_OFFSET = 1 << 16


@contextmanager
def project_lock(project_dir: Path, command: str) -> Iterator[None]:
    """Hold the project's lock while `command` runs, or stop with a problem naming who
    holds it."""
    path = project_dir / LOCK_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a+b") as handle:
        try:
            _lock(handle.fileno())
        except OSError:
            raise ProblemError(_held_by(_holder(handle))) from None
        _sign(handle, command)
        yield


def _lock(fd: int) -> None:
    if sys.platform == "win32":
        import msvcrt

        os.lseek(fd, WINDOWS_LOCK_OFFSET, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
    else:
        import fcntl

        fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)


def _sign(handle: IO[bytes], command: str) -> None:
    """Write who holds the lock: process id, command, since when. Best effort: a full
    disk must not stop a command that needs no space for its lock."""
    line = f"{os.getpid()} {datetime.now():%Y-%m-%d %H:%M:%S} {command}\n"
    with contextlib.suppress(OSError):
        handle.seek(0)
        handle.truncate()
        handle.write(line.encode())
        handle.flush()


def _holder(handle: IO[bytes]) -> tuple[int, str, str] | None:
    """(process id, since, command) of the lock's holder, as it signed the lock file."""
    try:
        handle.seek(0)
        parts = handle.read(200).decode(errors="replace").split(maxsplit=3)
    except OSError:
        return None
    if len(parts) < 4 or not parts[0].isdigit():
        return None
    return int(parts[0]), f"{parts[1]} {parts[2]}", parts[3].strip()


def _held_by(holder: tuple[int, str, str] | None) -> Problem:
    """The refusal: who holds the lock, since when, and what to do."""
    project = _("project")
    if holder is None:
        return Problem(project, None, "", _("another toolkit command is writing to this "
                                            "project"),
                       _("wait for it to finish, then run this again"))
    pid, since, command = holder
    who = {"command": f"toolkit {command}", "pid": pid, "since": _readable(since)}
    if not _running(pid):
        return Problem(project, None, "", _(
            "another toolkit command is writing to this project; the lock was last taken by "
            "{command} (process {pid}, started {since}), which has ended").format(**who), _(
            "wait a moment and run this again; if it keeps saying so, a process started by "
            "that command is still running: stop it"))
    return Problem(project, None, "", _(
        "another toolkit command is writing to this project: {command} (process {pid}, "
        "started {since})").format(**who), _(
        "wait for it to finish, then run this again; if it hangs, stop process {pid} "
        "({how})").format(pid=pid, how=_how_to_stop(pid)))


def _readable(since: str) -> str:
    """The time the lock file records (2021-02-09 08:30:00) as people read it."""
    try:
        taken = datetime.strptime(since, "%Y-%m-%d %H:%M:%S")
    except ValueError:
        return since
    return f"{day(taken)} {taken:%H:%M:%S}"


def _running(pid: int) -> bool:
    if sys.platform == "win32":
        return True  # no cheap check without extra packages; assume the lock is right
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _how_to_stop(pid: int) -> str:
    return _("Task Manager") if sys.platform == "win32" else f"kill {pid}"
