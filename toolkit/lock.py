"""One writer at a time: a build, a bulletin or a delivery holds the project's lock.

The operating system releases the lock when the process ends, however it ends,
so a killed build never leaves a project locked.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from toolkit.content.problems import Problem, ProblemError

LOCK_FILE = Path(".toolkit-cache", "lock")


@contextmanager
def project_lock(project_dir: Path) -> Iterator[None]:
    """Hold the project's lock, or stop with a problem if another command holds it."""
    path = project_dir / LOCK_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a+b") as handle:
        try:
            _lock(handle.fileno())
        except OSError:
            raise ProblemError(Problem("project", None, "", "another toolkit command is "
                                       "writing to this project", "wait for it to finish, "
                                       "then run this again")) from None
        yield


def _lock(fd: int) -> None:
    if os.name == "nt":
        import msvcrt

        msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
    else:
        import fcntl

        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
