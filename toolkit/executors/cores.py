"""The cores of a machine, shared by the jobs its worker processes run.

A job takes as many of its machine's cores as it keeps busy (`Job.threads`: a
clip's encode two, a leaflet one) and waits while they are taken, so that a
machine runs as many leaflets as it has cores, or half as many clips, and is
never oversubscribed. Dask cannot count this itself: its resources are counted
per worker process, and a machine must run one single-threaded worker process a
core, as the build's own pool does (rendering is Python that holds the GIL: two
threads of one process make leaflets 1.04 times as fast as one). So the worker
processes of a machine keep a ledger: a lock file per core in the temporary
folder, of which a job holds as many as it takes while it renders. The system
releases the locks of a process that dies, a killed worker's included.

Where there are no file locks (Windows), jobs do not wait.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from toolkit import workers

try:
    import fcntl
except ImportError:  # Windows
    fcntl = None  # type: ignore[assignment]

POLL_S = 0.05  # how often a waiting job looks again


@contextlib.contextmanager
def cores(wanted: int, total: int | None = None, folder: Path | None = None) -> Iterator[int]:
    """Hold `wanted` of the machine's `total` cores (default: all it has; a job wanting
    more takes them all) for as long as the block runs, waiting until they are free;
    gives how many it holds."""
    total = total or workers.cores()
    wanted = max(1, min(wanted, total))
    ledger = None if fcntl is None else folder or _ledger()
    if ledger is None:
        yield wanted
        return
    held = _take(ledger, wanted, total)
    while held is None:
        time.sleep(POLL_S)
        held = _take(ledger, wanted, total)
    try:
        yield wanted
    finally:
        for descriptor in held:
            os.close(descriptor)  # closing the file releases its lock


def _ledger() -> Path | None:
    """This user's ledger folder in the temporary folder, made private; None when it
    cannot be (another user's folder, a link in its place)."""
    folder = Path(tempfile.gettempdir()) / f"toolkit-cores-{os.getuid()}"
    try:
        folder.mkdir(mode=0o700, exist_ok=True)
        found = folder.lstat()
    except OSError:
        return None
    mine = found.st_uid == os.getuid() and not folder.is_symlink() and folder.is_dir()
    return folder if mine else None


def _take(ledger: Path, wanted: int, total: int) -> list[int] | None:
    """The open lock files of `wanted` free cores, all locked, or None (and nothing held)
    when fewer are free. One job at a time of the machine looks, so that two jobs never
    each hold a part of what both wait for."""
    with _locked(ledger / "ledger.lock"):
        held: list[int] = []
        for core in range(total):
            descriptor = os.open(ledger / f"core-{core}", os.O_RDWR | os.O_CREAT, 0o600)
            try:
                fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                os.close(descriptor)
                continue
            held.append(descriptor)
            if len(held) == wanted:
                return held
        for descriptor in held:
            os.close(descriptor)
        return None


@contextlib.contextmanager
def _locked(path: Path) -> Iterator[None]:
    """Hold the lock of the file at `path` (waiting for it) while the block runs."""
    descriptor = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX)
        yield
    finally:
        os.close(descriptor)
