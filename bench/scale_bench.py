"""The scale benchmark: what the text channels cost at 2,000, 10,000 and 20,000 units,
against Hugo building the same RSS in the same run, and the floor of an empty project.

    python bench/scale_bench.py [--units 2000 10000 20000] [--repeat 3] [--check]

For each catalogue size (`corpus.py`'s procedures), each a fresh process as an
officer runs it, the median of `--repeat`:
- "full": `toolkit build --channel rss --channel sms` from nothing (no outbox, no cache);
- "no-op": the same build again, nothing changed;
- "one edit": the build after one unit's text changed, saved a moment before (as the
  live loop rebuilds);
- Hugo: `hugo` building the site's RSS and one per section from the same units
  (`hugo_site.py`; Debian's hugo 0.111, `apt install hugo`), every item, no HTML.
Wall seconds, and CPU seconds (user + system of the process and its children), and
the ratio of the toolkit's full build to Hugo's, both ways.

The floor: `toolkit build` of a project with no unit, against `python -c pass`.
`--check` adds `check_bench.py`'s figures at the first size (its first check lays
out every leaflet, poster and clip: minutes).
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
from collections.abc import Callable, Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from check_bench import edit
from corpus import make_corpus
from hugo_site import make_site

WORK = Path(__file__).resolve().parent / ".work"
TOOLKIT = [sys.executable, "-m", "toolkit.cli"]
BUILD = [*TOOLKIT, "build", "--channel", "rss", "--channel", "sms", "--today", "2021-12-31"]
SETTLE_S = 2.1  # files younger than 2 s are not trusted by their stamp (content/listing.py)

Timing = tuple[float, float]  # wall seconds, CPU seconds


def timed(command: Sequence[str], cwd: Path | None = None) -> Timing:
    """Wall and CPU seconds of one run of `command` as a fresh process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(command, cwd=cwd, check=True, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def median(runs: Sequence[Timing]) -> Timing:
    """The median wall time and the median CPU time of some runs."""
    return statistics.median(r[0] for r in runs), statistics.median(r[1] for r in runs)


def repeated(repeat: int, prepare: Callable[[], None], run: Callable[[], Timing]) -> Timing:
    """The median of `repeat` runs, each after `prepare`."""
    runs = []
    for _ in range(repeat):
        prepare()
        runs.append(run())
    return median(runs)


def clean(project: Path) -> None:
    """Forget every output and cache: the next build starts from nothing."""
    shutil.rmtree(project / "outbox", ignore_errors=True)
    shutil.rmtree(project / ".toolkit-cache", ignore_errors=True)


def measure(units: int, repeat: int) -> dict[str, Timing]:
    """The toolkit's full, no-op and one-edit builds of `units`, and Hugo's."""
    project, site = WORK / f"scale-{units}", WORK / f"hugo-{units}"
    make_corpus(project, units)
    make_site(project, site)
    time.sleep(SETTLE_S)
    build = [*BUILD, "--project", str(project)]
    full = repeated(repeat, lambda: clean(project), lambda: timed(build))
    noop = repeated(repeat, lambda: None, lambda: timed(build))
    edits = iter(range(repeat))
    one_edit = repeated(repeat, lambda: edit(project, next(edits)), lambda: timed(build))
    hugo = repeated(repeat, lambda: shutil.rmtree(site / "public", ignore_errors=True),
                    lambda: timed(["hugo", "--quiet"], cwd=site))
    return {"full": full, "noop": noop, "edit": one_edit, "hugo": hugo}


def floor(repeat: int) -> dict[str, Timing]:
    """`toolkit build` of a project with no unit, and Python starting and doing nothing."""
    project = WORK / "empty"
    shutil.rmtree(project, ignore_errors=True)
    subprocess.run([*TOOLKIT, "init", str(project)], check=True, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL)
    for unit in (project / "content").glob("*.md"):
        unit.unlink()
    time.sleep(SETTLE_S)
    build = [*TOOLKIT, "build", "--project", str(project)]
    timed(build)
    return {"empty": repeated(repeat, lambda: None, lambda: timed(build)),
            "python": repeated(repeat, lambda: None,
                               lambda: timed([sys.executable, "-c", "pass"]))}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--units", type=int, nargs="+", default=[2000, 10000, 20000])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args()
    if shutil.which("hugo") is None:
        sys.exit("scale_bench: Hugo is the anchor; install it first (apt install hugo)")
    print(f"# {platform.python_implementation()} {platform.python_version()}, "
          f"{os.cpu_count()} cores, {platform.machine()}; wall / CPU seconds, "
          f"medians of {args.repeat}")
    print("| units | full rss+sms | Hugo, same RSS | full ÷ Hugo (wall, CPU) "
          "| no-op | one edit |")
    print("|---:|---:|---:|---:|---:|---:|")
    for units in args.units:
        r = measure(units, args.repeat)
        (fw, fc), (hw, hc) = r["full"], r["hugo"]
        print(f"| {units} | {fw:.2f} / {fc:.2f} | {hw:.2f} / {hc:.2f} "
              f"| {fw / hw:.1f}x, {fc / hc:.1f}x | {r['noop'][0]:.2f} / {r['noop'][1]:.2f} "
              f"| {r['edit'][0]:.2f} / {r['edit'][1]:.2f} |", flush=True)
    f = floor(args.repeat)
    print(f"\nEmpty project build: {f['empty'][0]:.3f} s wall, {f['empty'][1]:.3f} s CPU; "
          f"python -c pass: {f['python'][0]:.3f} s wall.")
    if args.check:
        subprocess.run([sys.executable, str(Path(__file__).parent / "check_bench.py"),
                        "--units", str(args.units[0]), "--repeat", str(args.repeat)],
                       check=True)


if __name__ == "__main__":
    main()
