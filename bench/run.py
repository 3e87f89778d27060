"""Benchmark of the text channels: full rss+sms build, no-op rebuild, peak memory.

    python bench/run.py [--units 2000 1000] [--repeat 3]

Each figure is the median wall time of `toolkit build` run as a fresh process
(start-up and imports included), as an officer would run it. "full" starts
from an empty outbox and no cache; "no-op" rebuilds with nothing changed.
Peak memory is the largest resident set of the build process and its workers.
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus import make_corpus

WORK = Path(__file__).resolve().parent / ".work"
BUILD = [sys.executable, "-m", "toolkit.cli", "build", "--channel", "rss", "--channel", "sms",
         "--today", "2021-12-31"]


def timed_build(project: Path, *extra: str) -> tuple[float, int]:
    """Wall seconds and peak RSS (KiB) of one build in a fresh process."""
    start = time.perf_counter()
    subprocess.run([*BUILD, "--project", str(project), *extra], check=True,
                   stdout=subprocess.DEVNULL)
    seconds = time.perf_counter() - start
    return seconds, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss


def clean(project: Path) -> None:
    """Forget every output and the unit cache: the next build starts from nothing."""
    shutil.rmtree(project / "outbox", ignore_errors=True)
    shutil.rmtree(project / ".toolkit-cache", ignore_errors=True)


def measure(units: int, repeat: int, jobs: int) -> dict[str, float]:
    """Full and no-op build times for a corpus of `units` procedures."""
    project = WORK / f"corpus-{units}"
    make_corpus(project, units)
    time.sleep(2.1)  # files younger than 2 s are not trusted by their stamp (content/listing.py)
    full, noop = [], []
    peak = 0
    for _ in range(repeat):
        clean(project)
        seconds, peak = timed_build(project, "--jobs", str(jobs))
        full.append(seconds)
        noop.append(timed_build(project, "--jobs", str(jobs))[0])
    return {"full": statistics.median(full), "noop": statistics.median(noop),
            "peak_mb": peak / 1024}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--units", type=int, nargs="+", default=[2000, 1000])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--jobs", type=int, nargs="+", default=[1, 2])
    args = parser.parse_args()
    print(f"# {platform.python_implementation()} {platform.python_version()}, "
          f"{os.cpu_count()} cores, {platform.machine()}")
    print("| units | jobs | full rss+sms build | no-op rebuild | peak memory |")
    print("|---:|---:|---:|---:|---:|")
    for units in args.units:
        for jobs in args.jobs:
            r = measure(units, args.repeat, jobs)
            print(f"| {units} | {jobs} | {r['full']:.2f} s | {r['noop']:.2f} s "
                  f"| {r['peak_mb']:.0f} MB |", flush=True)


if __name__ == "__main__":
    main()
