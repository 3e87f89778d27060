"""Where a build's jobs are rendered: here, or on a Dask cluster.

The build hands its stale jobs to an `Executor` and takes back, as each is done,
the job with its bytes or the `ProblemError` that stopped it; it alone writes the
outbox. `Local` renders here: in this process for one job or one worker, else in
worker processes that end with the build (`toolkit.workers`). `Cluster`
(`toolkit.executors.cluster`) sends each job, packed with the files it reads
(`toolkit.executors.shipping`), to the workers of a Dask scheduler.

Which one a build uses is `toolkit build --executor` and `--scheduler`, else
[build] in toolkit.toml, else `Local`. Nothing of Dask is imported unless a
build asks for it: a local build must stay light.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Protocol, TypeAlias

from toolkit.problems import ProblemError

if TYPE_CHECKING:
    from toolkit.jobs import Job

LOCAL, DASK = "local", "dask"
EXECUTORS = (LOCAL, DASK)

# A job's bytes, one for each of its files, or the problem that stopped it.
Result: TypeAlias = "tuple[bytes, ...] | ProblemError"


class Executor(Protocol):
    """What renders a build's jobs."""

    def render(self, jobs: list[Job]) -> Iterator[tuple[Job, Result]]:
        """Each job with its bytes or its problem, in the order they are done."""
        ...


@dataclass(frozen=True)
class Local:
    """Here: in this process for one job or one worker (nothing to start), else in
    `workers` worker processes that end with the build."""

    workers: int = 1

    def render(self, jobs: list[Job]) -> Iterator[tuple[Job, Result]]:
        """Each job with its bytes or its problem: first the files of many units (a feed,
        the SMS list) here, since the whole catalogue costs more to send to a worker than
        to render; then the others, in the order of `jobs`."""
        many = [job for job in jobs if job.unit is None]
        own = [job for job in jobs if job.unit is not None]
        yield from ((job, render_one(job.render)) for job in many)
        if self.workers <= 1 or len(own) < 2:
            yield from ((job, render_one(job.render)) for job in own)
            return
        from toolkit.workers import pool  # multiprocessing: only for a build that renders

        with pool(min(self.workers, len(own))) as running:
            yield from zip(own, running.map(render_one, [j.render for j in own]), strict=True)


def run(jobs: list[Job], executor: Executor) -> Iterator[tuple[Job, Result]]:
    """Render `jobs` with `executor`: each with its bytes or the problem that stopped it,
    as they are done."""
    return executor.render(jobs)


def render_one(render: Callable[[], tuple[bytes, ...]]) -> Result:
    """A job's bytes, or the problem that stopped it (returned, to cross processes)."""
    try:
        return render()
    except ProblemError as err:
        return err


@dataclass(frozen=True)
class Where:
    """Where a build renders: `LOCAL`, or `DASK` at a scheduler's address."""

    executor: str = LOCAL
    scheduler: str = ""


def opened(where: Where, root: Path, workers: int) -> AbstractContextManager[Executor]:
    """The executor `where` names, ready for the whole build of the project at `root`
    (a cluster's client connects once, and closes when the build ends); `workers` is
    the number of local worker processes. ProblemError when the cluster cannot be used:
    Dask not installed, the scheduler not reached, workers not installed alike."""
    if where.executor != DASK:
        return nullcontext(Local(workers))
    from toolkit.executors.cluster import Cluster

    return Cluster(where.scheduler, root)
