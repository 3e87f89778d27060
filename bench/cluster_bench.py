"""Benchmark of the Dask executor, and the plan it implies for a national catalogue.

    python bench/cluster_bench.py [--units 40] [--video-units 4] [--workers 2]
                                  [--cores-per-worker 8] [--network-mb-s 110] [--repeat 1]

For synthetic procedures (bench/corpus.py), print (a leaflet, A3 and A4 posters,
their JPEG previews) for `--units`, video (both orientations, the sidecars) for
`--video-units`, each build a fresh `toolkit build` process from an empty outbox:

- one local worker (`--jobs 1`): what a unit costs. A print job keeps one core
  busy; a clip job holds two cores (`Job.threads`, what the cluster gives it),
  so a clip's cost is twice its wall time, in core-seconds;
- `--workers` local worker processes (`--jobs 2`), and the same number of
  single-threaded worker processes of a LocalCluster (`--executor dask`, the
  workers warmed up by a first build, as long-lived workers are): wall time,
  against what the costs predict on that many cores; the CPU the computer
  running `toolkit build` spends a job (packing, sending, writing the outbox);
  the cluster's outbox compared with the local one, byte for byte;
- the bytes a unit's files weigh: what the workers send back.

Then the plan for `--provinces` x `--procedures` units (34 x 2,000, every unit
a leaflet, two posters and both clips), on 1, 10 and 50 worker computers of
`--cores-per-worker` cores each (`dask worker ... --nworkers C --nthreads 1`):
the time the cores need, the time the results need over the building computer's
network link (`--network-mb-s`, 110 MB/s: gigabit Ethernet), and what the
building computer's own CPU needs a job; the wall time is the largest of them.
"""

from __future__ import annotations

import argparse
import filecmp
import logging
import os
import platform
import resource
import shutil
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus import make_corpus

WORK = Path(__file__).resolve().parent / ".work"
TODAY = "2021-12-31"
HOUR = 3600.0


@dataclass(frozen=True)
class Run:
    """One build: its wall time, the CPU of the build itself (`toolkit build`'s process,
    start-up and imports aside), and of its whole process and what it waited for (its
    worker processes, their ffmpeg runs)."""

    seconds: float
    own_cpu: float
    all_cpu: float


def fastest(repeat: int, project: Path, channel: str, *extra: str) -> Run:
    """The fastest of `repeat` builds (the one least disturbed by whatever else runs)."""
    return min((timed(project, channel, *extra) for _ in range(repeat)),
               key=lambda run: run.seconds)


def timed(project: Path, channel: str, *extra: str) -> Run:
    """A build of `channel` from an empty outbox, in a fresh process."""
    shutil.rmtree(project / "outbox", ignore_errors=True)
    shutil.rmtree(project / ".toolkit-cache", ignore_errors=True)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    command = [sys.executable, "-c", BUILD, str(project), channel, TODAY, *extra]
    start = time.perf_counter()
    done = subprocess.run(command, check=True, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    own = float(done.stdout.split()[-1])
    return Run(seconds, own, after.ru_utime + after.ru_stime - before.ru_utime
               - before.ru_stime)


# The build in a fresh process, printing the CPU the build itself used, start-up and the
# imports of what renders aside (Dask's too, when it is asked for): those are paid once.
BUILD = """
import importlib, resource, sys
from toolkit.cli import main
project, channel, today, *extra = sys.argv[1:]
for module in ("toolkit.channels.print_pdf.leaflet", "toolkit.channels.print_pdf.poster",
               "toolkit.channels.video.frames", *(["distributed"] if "dask" in extra else [])):
    importlib.import_module(module)
def cpu():
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime
start = cpu()
status = main(["build", "--project", project, "--channel", channel, "--today", today, *extra])
print(cpu() - start)
sys.exit(status)
"""


def corpus(name: str, units: int) -> Path:
    """A synthetic project of `units` procedures (made once)."""
    project = WORK / f"cluster-{name}-{units}"
    if not (project / "content").is_dir():
        make_corpus(project, units)
    return project


def outbox_bytes(project: Path) -> int:
    return sum(p.stat().st_size for p in (project / "outbox").rglob("*") if p.is_file()
               and p.name != "manifest.json")


def same_outbox(one: Path, other: Path) -> bool:
    """Every file of both outboxes the same, byte for byte."""
    files = sorted(p.relative_to(one) for p in one.rglob("*") if p.is_file())
    if files != sorted(p.relative_to(other) for p in other.rglob("*") if p.is_file()):
        return False
    return all(filecmp.cmp(one / f, other / f, shallow=False) for f in files)


@dataclass(frozen=True)
class Measured:
    """One channel: per-unit costs and the checks of a run on `workers` cores."""

    channel: str
    units: int
    jobs_per_unit: int
    cost: float  # core-seconds a unit
    serial: Run
    local: Run
    cluster: Run
    cluster_cpu: float  # CPU seconds of the cluster's worker processes and their ffmpeg
    unit_bytes: float
    same: bool

    @property
    def coordinator(self) -> float:
        """CPU seconds a unit of the building computer, in a build on the cluster."""
        return self.cluster.own_cpu / self.units


def measure(channel: str, project: Path, units: int, jobs_per_unit: int, cores_held: int,
            workers: int, scheduler: str, worker_cpu: WorkerCpu, repeat: int) -> Measured:
    serial = fastest(repeat, project, channel, "--jobs", "1")
    unit_bytes = outbox_bytes(project) / units
    local = fastest(repeat, project, channel, "--jobs", str(workers))
    kept = project.with_name(project.name + "-local")
    shutil.rmtree(kept, ignore_errors=True)
    shutil.copytree(project / "outbox", kept)
    before = worker_cpu()
    cluster = fastest(repeat, project, channel, "--executor", "dask", "--scheduler", scheduler)
    cluster_cpu = (worker_cpu() - before) / repeat
    same = same_outbox(kept, project / "outbox")
    return Measured(channel, units, jobs_per_unit, serial.seconds * cores_held / units, serial,
                    local, cluster, cluster_cpu, unit_bytes, same)


class WorkerCpu:
    """The CPU seconds the worker processes of a cluster and what they waited for
    (ffmpeg) have used so far."""

    def __init__(self, client: object) -> None:
        import psutil

        pids = client.run(os.getpid).values()  # type: ignore[attr-defined]
        self.processes = [psutil.Process(pid) for pid in pids]

    def __call__(self) -> float:
        total = 0.0
        for process in self.processes:
            times = process.cpu_times()
            total += times.user + times.system + times.children_user + times.children_system
        return total


def report(measured: Sequence[Measured], workers: int) -> None:
    print(f"\n| channel | units | a unit (core-s) | 1 local worker | {workers} local "
          f"workers | {workers} cluster workers | predicted on {workers} cores "
          "| building CPU a unit | MB a unit | same bytes |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---|")
    for m in measured:
        predicted = m.cost * m.units / workers
        print(f"| {m.channel} | {m.units} | {m.cost:.2f} | {m.serial.seconds:.1f} s "
              f"| {m.local.seconds:.1f} s | {m.cluster.seconds:.1f} s | {predicted:.1f} s "
              f"| {m.coordinator * 1000:.0f} ms | {m.unit_bytes / 1e6:.2f} "
              f"| {'yes' if m.same else 'NO'} |")
    for m in measured:
        here = m.serial.all_cpu / m.units
        print(f"{m.channel}: CPU seconds a unit: {here:.2f} with one local worker (ffmpeg "
              f"included); {m.cluster_cpu / m.units:.2f} in the cluster's workers")


def plan(measured: Sequence[Measured], units: int, cores: int, network: float,
         overhead: float) -> None:
    cost = sum(m.cost for m in measured)
    weight = sum(m.unit_bytes for m in measured)
    coordinator = sum(m.coordinator for m in measured)
    core_hours = units * cost / HOUR
    print(f"\nPlan: {units:,} units, {cost:.2f} core-seconds a unit ({core_hours:,.0f} "
          f"core-hours), {weight / 1e6:.1f} MB a unit ({units * weight / 1e9:,.0f} GB), "
          f"{coordinator * 1000:.0f} ms of the building computer's CPU a unit; "
          f"workers of {cores} cores; the cluster's overhead over the prediction: "
          f"x{overhead:.2f}")
    print("\n| worker computers | cores | compute | results over the network | building "
          "computer | wall time |")
    print("|---:|---:|---:|---:|---:|---:|")
    for computers in (1, 10, 50):
        compute = units * cost / (computers * cores) * overhead
        transfer = units * weight / (network * 1e6)
        own = units * coordinator
        print(f"| {computers} | {computers * cores} | {compute / HOUR:.1f} h "
              f"| {transfer / HOUR:.1f} h | {own / HOUR:.1f} h "
              f"| **{max(compute, transfer, own) / HOUR:.1f} h** |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--units", type=int, default=40)
    parser.add_argument("--video-units", type=int, default=4)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--provinces", type=int, default=34)
    parser.add_argument("--procedures", type=int, default=2000)
    parser.add_argument("--cores-per-worker", type=int, default=8)
    parser.add_argument("--network-mb-s", type=float, default=110.0)
    parser.add_argument("--repeat", type=int, default=1,
                        help="builds of each kind; the fastest counts (a busy machine)")
    args = parser.parse_args()

    from distributed import Client, LocalCluster

    print(f"{platform.machine()}, {os.cpu_count()} cores, CPython {platform.python_version()}, "
          f"load average {os.getloadavg()[0]:.2f} at the start")
    with LocalCluster(n_workers=args.workers, threads_per_worker=1, processes=True,
                      dashboard_address=":0", silence_logs=logging.ERROR) as cluster, \
            Client(cluster) as client:
        timed(corpus("warm", 2), "print", "--executor", "dask", "--scheduler",
              cluster.scheduler_address)  # the workers import what they render with
        worker_cpu = WorkerCpu(client)
        measured = [
            measure("print", corpus("print", args.units), args.units, 3, 1, args.workers,
                    cluster.scheduler_address, worker_cpu, args.repeat),
            measure("video", corpus("video", args.video_units), args.video_units, 3, 2,
                    args.workers, cluster.scheduler_address, worker_cpu, args.repeat),
        ]
    report(measured, args.workers)
    predicted = sum(m.cost * m.units for m in measured) / args.workers
    overhead = sum(m.cluster.seconds for m in measured) / predicted
    plan(measured, args.provinces * args.procedures, args.cores_per_worker, args.network_mb_s,
         overhead)
    print(f"\nload average {os.getloadavg()[0]:.2f} at the end")


if __name__ == "__main__":
    main()
