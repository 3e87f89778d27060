"""Worker processes that end with the build that started them.

A pool's workers wait on a pipe for their next job. If the build is killed
(kill -9, the OOM killer) nothing ever arrives: without help they would wait
forever, orphaned, holding memory. On Linux the kernel kills a worker forked
from the build when the build dies (PR_SET_PDEATHSIG); elsewhere, and for
workers started by a fork server (Python 3.14's default on Linux), a thread in
each worker waits for the build to end and then ends the worker.
"""

from __future__ import annotations

import ctypes
import multiprocessing
import multiprocessing.connection
import os
import signal
import sys
import threading
from concurrent.futures import ProcessPoolExecutor

PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>


def pool(workers: int) -> ProcessPoolExecutor:
    """A process pool whose workers die with this process."""
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
    watched = multiprocessing.parent_process()
    if watched is not None:
        threading.Thread(target=_exit_when_ended, args=(watched.sentinel,), daemon=True).start()


def die_with_parent() -> bool:
    """Ask Linux to kill this process when its parent ends; True if it agreed."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        return libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) == 0
    except (OSError, AttributeError):
        return False


def _exit_when_ended(sentinel: int) -> None:
    multiprocessing.connection.wait([sentinel])
    os._exit(1)
