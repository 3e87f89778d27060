"""Worker processes end with the process that started them, however it ends."""

from __future__ import annotations

import functools
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


BOUND = """
import subprocess, sys
from toolkit.workers import bound
child = subprocess.Popen(["sleep", "60"], **bound())
print(child.pid, flush=True)
child.wait()
"""


@needs_linux
def test_a_program_a_worker_starts_ends_when_the_worker_is_killed() -> None:
    worker = subprocess.Popen([sys.executable, "-c", BOUND], stdout=subprocess.PIPE, text=True)
    assert worker.stdout is not None
    program = int(worker.stdout.readline())
    worker.kill()
    worker.wait()
    wait_for(lambda: not alive(program), seconds=5)


@needs_linux
def test_a_program_whose_starter_died_before_it_was_bound_does_not_run() -> None:
    """The child checks, once bound, that its starter still lives: else the kernel would
    never tell it, and an encoder would run on into the folder the next build cleans."""
    from toolkit.workers import _die_with

    late = functools.partial(_die_with, 1)  # as if our starter had died, leaving init
    ran = subprocess.run([sys.executable, "-c", "print('ran')"], capture_output=True,
                         text=True, preexec_fn=late)
    assert ran.returncode == 1 and ran.stdout == ""
