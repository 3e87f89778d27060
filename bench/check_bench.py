"""Benchmark of `toolkit check`: the first check, a check with nothing changed, a check
after one edit.

    python bench/check_bench.py [--units 2000] [--repeat 3]

The corpus is `corpus.py`'s (procedures of the sample's shape). Each figure is the
wall time of `toolkit check` run as a fresh process (start-up and imports
included), as an officer or the live loop runs it: "first" with no cache at all,
"unchanged" with nothing changed since, "one edit" after one unit's text changed
(the median of `--repeat` runs each).
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus import make_corpus

WORK = Path(__file__).resolve().parent / ".work"
CHECK = [sys.executable, "-m", "toolkit.cli", "check", "--today", "2021-12-31"]


def timed(project: Path) -> float:
    """Seconds for one `toolkit check` of the project."""
    start = time.perf_counter()
    subprocess.run([*CHECK, "--project", str(project)], stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL, check=False)
    return time.perf_counter() - start


def edit(project: Path, n: int) -> None:
    """Change one unit's text, as an officer saving a correction."""
    path = sorted((project / "content").glob("*.md"))[0]
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("\n---\n", f"\n---\n\nSửa lần {n}.\n", 1), encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--units", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    project = WORK / f"check-{args.units}"
    make_corpus(project, args.units)
    shutil.rmtree(project / ".toolkit-cache", ignore_errors=True)
    first = timed(project)
    unchanged = statistics.median(timed(project) for _ in range(args.repeat))
    edits = []
    for n in range(args.repeat):
        edit(project, n)
        edits.append(timed(project))
    print(f"| units | first check | nothing changed | one edit |\n|---:|---:|---:|---:|\n"
          f"| {args.units} | {first:.2f} s | {unchanged:.2f} s "
          f"| {statistics.median(edits):.2f} s |")


if __name__ == "__main__":
    main()
