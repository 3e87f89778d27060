"""Worker processes that end with the build that started them.

A pool's workers wait on a pipe for their next job. If the build is killed
(kill -9, the OOM killer) nothing ever arrives: without help they would wait
forever, orphaned, holding memory. On Linux the kernel kills a worker forked
from the build when the build dies (PR_SET_PDEATHSIG); elsewhere, and for
workers started by a fork server (Python 3.14's default on Linux), a thread in
each worker waits for the build to end and then ends the worker. The ffmpeg runs
a worker starts are bound to it the same way (`bound()`, Linux).
"""

from __future__ import annotations

import ctypes
import functools
import os
import signal
import sys
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # multiprocessing is imported where a pool starts: most builds start none
    from concurrent.futures import ProcessPoolExecutor

PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>


def cores() -> int:
    """How many cores this process may use."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def pool(workers: int) -> ProcessPoolExecutor:
    """A process pool whose workers die with this process."""
    from concurrent.futures import ProcessPoolExecutor

    return ProcessPoolExecutor(max_workers=workers, initializer=_bind_to_parent,
                               initargs=(os.getpid(),))


def _bind_to_parent(parent: int) -> None:
    """Runs first in each worker: arrange to end when `parent` ends."""
    # Forked from the build itself (Linux's usual start method), not from a fork server.
    forked = sys.platform.startswith("linux") and os.getppid() == parent
    if forked and die_with_parent():
        if os.getppid() != parent:  # the parent died before the arrangement was made
            os._exit(1)
        return
    import multiprocessing

    watched = multiprocessing.parent_process()
    if watched is not None:
        threading.Thread(target=_exit_when_ended, args=(watched.sentinel,), daemon=True).start()


def die_with_parent() -> bool:
    """Ask Linux to kill this process when its parent ends; True if it agreed."""
    prctl = _prctl()
    return prctl is not None and prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) == 0


@functools.cache
def _prctl() -> Callable[..., int] | None:
    """libc's prctl, looked up once (before a fork: a child between fork and exec must
    not load anything)."""
    try:
        prctl: Callable[..., int] = ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):
        return None
    return prctl


def bound() -> dict[str, Any]:
    """Options for `subprocess.run` or `Popen` that end the child (an ffmpeg run) when the
    process that started it ends (Linux): a killed build leaves no encoder running,
    still writing into the folder the next build cleans."""
    if not sys.platform.startswith("linux") or _prctl() is None:
        return {}
    return {"preexec_fn": functools.partial(_die_with, os.getpid())}


def _die_with(parent: int) -> None:
    """Runs in the child between fork and exec: end with `parent`, and end now if
    `parent` died before the arrangement was made (it would never be signalled)."""
    if die_with_parent() and os.getppid() != parent:
        os._exit(1)


def _exit_when_ended(sentinel: int) -> None:
    import multiprocessing.connection

    multiprocessing.connection.wait([sentinel])
    os._exit(1)
