"""The Dask executor: a build's jobs rendered by the workers of a Dask scheduler.

`toolkit build --executor dask --scheduler tcp://HOST:8786` (or [build] in
toolkit.toml). This computer plans, packs each stale job with the files it reads
(`toolkit.executors.shipping`), sends it, and writes the outbox as the results
come, as a local build does: a worker writes nothing of the project.

- A file is sent to the cluster once, under the key of its digest, and stays
  there while a job in flight reads it: a worker fetches a font once, whatever
  the jobs it runs (and a photo only with its unit's jobs).
- Jobs go a few ahead of what the workers can run, not all at once: the
  cluster holds the files of the jobs in flight, not of the whole catalogue.
- A worker lost mid-job (killed, out of memory, its computer gone) is Dask's to
  recover: the scheduler runs the job again on another worker, up to 3 more
  times (its `distributed.scheduler.allowed-failures`); after that the job is a
  problem of its unit, and the build goes on. A job that raises (a full temporary disk)
  runs once more (`RETRIES`). Nothing is written but whole results, so the
  outbox is as consistent as after a local build.
- Each job has a key of its own: two jobs with the same inputs (a unit's A3 and
  A4 posters) are two jobs, and a job run again is the same task.

Dask is imported here only, and only when a build asks for a cluster.
"""

from __future__ import annotations

import time
import uuid
from collections import Counter, deque
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType, TracebackType
from typing import Any

from toolkit.executors import Result
from toolkit.executors.shipping import Packer, run_shipped
from toolkit.i18n import _
from toolkit.jobs import Job
from toolkit.problems import Problem, ProblemError

CONNECT_S = 10.0  # how long the scheduler may take to answer
WORKERS_S = 60.0  # how long to wait for a first worker to join it
RETRIES = 1  # a job that raises runs once more (a worker lost is the scheduler's to retry)
AHEAD = 2  # jobs in flight for each thread of the workers
COUNT_EVERY_S = 5.0  # how often the workers' threads are counted again (workers join)
FILE_KEY = "toolkit-file-{digest}"


class Cluster:
    """Renders jobs on the workers of the Dask scheduler at `scheduler`, for the project
    at `root`. A context manager for the whole build: it connects when a first job is
    to be made (a build with nothing to make needs no cluster, nor Dask), once; a
    cluster that cannot be used is the same problem for every channel."""

    def __init__(self, scheduler: str, root: Path) -> None:
        self.scheduler, self.root = scheduler, root
        self.client: Any = None
        self.unusable: ProblemError | None = None
        self.threads, self.counted = 1, float("-inf")

    def __enter__(self) -> Cluster:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        if self.client is not None:
            self.client.close()

    def _connected(self) -> Any:
        """The client, connected on first use; ProblemError when Dask is not installed or
        the scheduler does not answer, or has no worker."""
        if self.unusable is not None:
            raise self.unusable
        if self.client is None:
            try:
                self.client = _client(self.scheduler)
                self._wait_for_workers()
            except ProblemError as err:
                self.unusable = err
                raise
        return self.client

    def render(self, jobs: list[Job]) -> Iterator[tuple[Job, Result]]:
        """Each job with its bytes or its problem, in the order they are done."""
        if not jobs:
            return
        client, distributed = self._connected(), _distributed()
        packer, sent = Packer(self.root), _Sent(client)
        waiting: deque[Job] = deque(jobs)
        running: dict[Any, tuple[Job, tuple[str, ...]]] = {}
        done = distributed.as_completed(loop=client.loop)
        try:
            while waiting or running:
                while waiting and len(running) < self._ahead():
                    job = waiting.popleft()
                    shipped, sources = packer.pack(job)
                    files = sent.hold(sources)
                    future = client.submit(run_shipped, shipped, files, key=_key(job),
                                           retries=RETRIES, pure=False)
                    running[future] = (job, tuple(files))
                    done.add(future)
                future = next(done)
                job, digests = running.pop(future)
                sent.release(digests)
                yield job, self._result(job, future, distributed)
        finally:
            if running:
                client.cancel(list(running))

    def _wait_for_workers(self) -> None:
        try:
            self.client.wait_for_workers(1, timeout=WORKERS_S)
        except TimeoutError:
            raise ProblemError(Problem(self.scheduler, None, "", _(
                "no worker has joined this scheduler in {n} seconds").format(n=int(WORKERS_S)),
                _("on each computer, start: dask worker {address} --nthreads 1 --nworkers N "
                  "(N: its number of cores)").format(address=self.scheduler))) from None

    def _ahead(self) -> int:
        """How many jobs to keep in flight: a few for each thread of the workers (counted
        again now and then, as workers come and go)."""
        now = time.monotonic()
        if now - self.counted > COUNT_EVERY_S:
            self.threads = max(1, sum(self.client.nthreads().values()))
            self.counted = now
        return self.threads * AHEAD

    def _result(self, job: Job, future: Any, distributed: ModuleType) -> Result:
        """A done job's bytes or problem; a job whose workers kept dying is a problem of
        its own, a lost scheduler one of the build (a job that raised raises here)."""
        try:
            result: Result = future.result()
        except distributed.KilledWorker:
            return ProblemError(Problem(job.paths[0], None, "", _(
                "the worker making it stopped every time it was tried"), _(
                "look at what dask worker printed (memory, a crash), then run this again")))
        except distributed.CancelledError:
            raise ProblemError(Problem(self.scheduler, None, "", _(
                "the Dask scheduler stopped answering during the build"), _(
                "check that it is running and reachable, then run this again: what was "
                "made is kept"))) from None
        return result


class _Sent:
    """The files sent to the cluster, by digest, held there while a job in flight reads
    them: sent once, fetched once by each worker that needs them."""

    def __init__(self, client: Any) -> None:
        self.client = client
        self.futures: dict[str, Any] = {}
        self.readers: Counter[str] = Counter()

    def hold(self, sources: dict[str, Path]) -> dict[str, Any]:
        """The futures of a job's files (their digests to futures), sending the new ones."""
        new = {}
        for digest, path in sources.items():
            if digest not in self.futures:
                try:
                    new[FILE_KEY.format(digest=digest)] = path.read_bytes()
                except OSError:
                    continue  # gone since it was read: missing on the worker, as it is here
        if new:
            for key, future in self.client.scatter(new).items():
                self.futures[key.removeprefix(FILE_KEY.format(digest=""))] = future
        held = {d: self.futures[d] for d in sources if d in self.futures}
        self.readers.update(held.keys())
        return held

    def release(self, digests: tuple[str, ...]) -> None:
        """A job is done with its files: those no job in flight reads leave the cluster."""
        for digest in digests:
            if digest not in self.readers:
                continue
            self.readers[digest] -= 1
            if self.readers[digest] <= 0:
                del self.readers[digest]
                del self.futures[digest]


def _client(scheduler: str) -> Any:
    """A client of the scheduler at `scheduler`; ProblemError when Dask is not installed
    or nothing answers there."""
    distributed = _distributed()
    try:
        return distributed.Client(scheduler, timeout=CONNECT_S, set_as_default=False)
    except (OSError, TimeoutError, ValueError):
        raise ProblemError(Problem(scheduler, None, "", _(
            "no Dask scheduler answers at this address"), _(
            "check the address (dask scheduler prints it), that the scheduler is running "
            "and that this computer can reach it (a firewall, port 8786), then run this "
            "again"))) from None


def _key(job: Job) -> str:
    """A task key of its own for each job, named by what it makes (the dashboard groups
    tasks by it)."""
    return f"toolkit-{job.files[0].product}-{uuid.uuid4().hex}"


def _distributed() -> ModuleType:
    """The `distributed` module; ProblemError saying how to install it when it is not."""
    try:
        import distributed
    except ImportError:
        raise ProblemError(Problem("dask", None, "", _(
            "Dask is not installed on this computer"), _(
            'install it: pip install "cchc-toolkit[dask]" (and the toolkit on every worker), '
            "or build here without --executor dask"))) from None
    return distributed
