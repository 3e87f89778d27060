"""Worker processes end with the process that started them, however it ends."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.faults.test_build import alive, children, needs_linux, wait_for

POOL = """
import sys, time
import multiprocessing
import toolkit.workers as workers
if sys.argv[1] == "fallback":
    workers.die_with_parent = lambda: False  # as on a system without PR_SET_PDEATHSIG
if sys.argv[1] == "forkserver":
    multiprocessing.set_start_method("forkserver")  # Python 3.14's default on Linux
with workers.pool(2) as running:
    list(running.map(time.sleep, [0, 0]))  # both workers are up
    print("ready", flush=True)
    time.sleep(60)
"""


@needs_linux
@pytest.mark.parametrize("way", ["linux", "fallback", "forkserver"])
def test_workers_end_when_their_parent_is_killed(way: str) -> None:
    parent = subprocess.Popen([sys.executable, "-c", POOL, way], stdout=subprocess.PIPE,
                              text=True)
    assert parent.stdout is not None and parent.stdout.readline() == "ready\n"
    workers = children(parent.pid)
    workers |= {w for helper in workers for w in children(helper)}  # under a fork server
    assert len(workers) >= 2
    parent.kill()
    parent.wait()
    wait_for(lambda: not any(alive(w) for w in workers), seconds=10)
