"""Benchmark of the print channel: time per leaflet in process, and a full print build.

    python bench/print_bench.py [--units 2000] [--leaflets 50]

"per leaflet" renders one sample unit's leaflet in this process, fonts already
registered: the PDF alone, then with its two JPEG previews. "print build" is
`toolkit build --channel print` of a synthetic catalogue as a fresh process,
from an empty outbox, with 1 and 2 worker processes: with the default
template (per unit a leaflet, A3 and A4 posters, and a PNG of every page), and
with posters turned off (`sizes = {}`: a leaflet and its two previews).
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path
from unittest import mock

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus import make_corpus

from toolkit.channels import print_pdf
from toolkit.channels.print_pdf import blocks, leaflet
from toolkit.content.load import load_content
from toolkit.project import open_project
from toolkit.templates import channel_template, defaults_dir

REPO = Path(__file__).resolve().parent.parent
WORK = Path(__file__).resolve().parent / ".work"


def per_leaflet_ms(count: int, previews: bool) -> float:
    """Median milliseconds to render one leaflet of the sample's first procedure."""
    project = open_project(REPO)
    unit = next(u for u in load_content(project.root, project.content_dir).units
                if u.kind == "procedure")
    template = channel_template(project.root, print_pdf.CHANNEL.templates,
                                print_pdf.PrintTemplate)
    render = lambda: leaflet.render_leaflet(unit, None, project.settings, template,  # noqa: E731
                                            project.root)
    render()  # fonts registered, QR encoded: as in a worker after its first job
    times = []
    with mock.patch.object(blocks, "preview_jpeg", blocks.preview_jpeg if previews
                           else lambda pdf, dpi: []):
        for _ in range(count):
            start = time.perf_counter()
            render()
            times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def print_build(units: int, jobs: int, posters: bool) -> float:
    """Seconds for a full print build of `units` procedures in a fresh process."""
    project = WORK / f"print-{units}"
    if not (project / "content").is_dir():
        make_corpus(project, units)
    shutil.rmtree(project / "outbox", ignore_errors=True)
    _posters(project, posters)
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "toolkit.cli", "build", "--channel", "print",
                    "--jobs", str(jobs), "--project", str(project), "--today", "2021-12-31"],
                   check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def _posters(project: Path, wanted: bool) -> None:
    """Use the default print template, or a copy of it without posters."""
    own = project / "templates" / "leaflets" / "default.toml"
    shutil.rmtree(project / "templates", ignore_errors=True)
    if not wanted:
        own.parent.mkdir(parents=True)
        default = defaults_dir() / "templates" / "leaflets" / "default.toml"
        text = default.read_text(encoding="utf-8")
        own.write_text(text.replace("sizes = { a3 = [297, 420], a4 = [210, 297] }", "sizes = {}"),
                       encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--units", type=int, default=2000)
    parser.add_argument("--leaflets", type=int, default=50)
    parser.add_argument("--jobs", type=int, nargs="+", default=[1, 2])
    args = parser.parse_args()
    print(f"per leaflet, PDF only: {per_leaflet_ms(args.leaflets, False):.1f} ms")
    print(f"per leaflet, PDF and 2 previews: {per_leaflet_ms(args.leaflets, True):.1f} ms")
    print("| products | units | jobs | print build | leaflets a second |")
    print("|---|---:|---:|---:|---:|")
    for posters, products in ((True, "leaflet + 2 posters + previews"),
                              (False, "leaflet + previews")):
        for jobs in args.jobs:
            seconds = print_build(args.units, jobs, posters)
            print(f"| {products} | {args.units} | {jobs} | {seconds:.1f} s "
                  f"| {args.units / seconds:.1f} |", flush=True)


if __name__ == "__main__":
    main()
