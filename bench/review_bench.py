"""Benchmark of the review page under `toolkit serve`: drawn once, then answered from
what the server keeps, at catalogue sizes.

    python bench/review_bench.py [--units 2000,10000,20000] [--requests 20] [--clients 8]

For each size, a synthetic catalogue (`corpus.py`, in bench/.work/) is built for the
feed and the SMS (`toolkit build --channel rss --channel sms`, a fresh process), then
served by `toolkit serve --channel rss --channel sms` in a process of its own: with its
live loop (the default: content/ is not walked while the loop is idle) and without it
(`--no-watch`, as for a portal: every request stats every file under content/).

Each figure is a GET over loopback, from sending the request to the first byte of the
answer (the page ready: the server's own time) and to its last byte (the page's bytes
carried too: about 3 KB a unit):

- drawn: the first request, the cache empty (the units read, both areas, every unit
  drawn);
- kept: the median and the slowest of `--requests` requests answered from the cache;
- filter: a filter's first request (applied to the kept page) and the same again;
- one edit: the page after one unit's text changed (and, with the live loop, was built
  again by it): what changed is read again, one unit drawn again;
- at once: `--clients` requests together after an edit, one page made for them all:
  the time until the last answer, and how much the server's peak memory grew (against
  one request alone, the edit before).
"""

from __future__ import annotations

import argparse
import queue
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus import make_corpus

T = TypeVar("T")
WORK = Path(__file__).resolve().parent / ".work"
TODAY = "2021-03-31"
CHANNELS = ("rss", "sms")
SETTLE = 2.2  # seconds: a file changed more recently is not trusted by the cache
FILTER = "/?q=giay+phep"


def serve(project: str, watch: bool) -> None:
    """The server side: `toolkit serve` on a free port, its port printed, until killed."""
    from datetime import date

    from toolkit.commands.serve import serve as toolkit_serve

    def started(line: str) -> None:
        print(line.split("http://127.0.0.1:", 1)[1].split("/", 1)[0], flush=True)

    sys.stderr = open("/dev/null", "w")  # noqa: SIM115 (the access log is not measured)
    toolkit_serve(Path(project), "127.0.0.1", 0, started, watch=watch, channels=CHANNELS,
                  today=date.fromisoformat(TODAY), log=lambda line: None)


class Server:
    """`toolkit serve` in its own process, and what the bench asks of it."""

    def __init__(self, project: Path, watch: bool) -> None:
        command = [sys.executable, __file__, "--serve", str(project)]
        self.process = subprocess.Popen([*command, *([] if watch else ["--no-watch"])],
                                        stdout=subprocess.PIPE, text=True)
        self.port = int(self.process.stdout.readline())  # type: ignore[union-attr]
        self.reloads: queue.Queue[str] = queue.Queue()
        if watch:
            threading.Thread(target=self._events, daemon=True).start()

    def get(self, path: str) -> tuple[float, float, bytes]:
        """(seconds to the first byte, to the last byte, the body) of one GET."""
        start = time.perf_counter()
        with socket.create_connection(("127.0.0.1", self.port), timeout=300) as sock:
            sock.sendall(f"GET {path} HTTP/1.0\r\nHost: bench\r\n\r\n".encode())
            chunks = [sock.recv(1 << 20)]
            first = time.perf_counter() - start
            while chunk := sock.recv(1 << 20):
                chunks.append(chunk)
        last = time.perf_counter() - start
        head, _sep, body = b"".join(chunks).partition(b"\r\n\r\n")
        assert head.startswith(b"HTTP/1.0 200"), head[:100]
        return first, last, body

    def peak_mb(self) -> float:
        """The server's peak resident memory since the last `reset_peak()`, MB."""
        status = Path(f"/proc/{self.process.pid}/status").read_text()
        line = next(row for row in status.splitlines() if row.startswith("VmHWM:"))
        return int(line.split()[1]) / 1024

    def reset_peak(self) -> None:
        """Start measuring the peak again from now (Linux: clear_refs 5)."""
        Path(f"/proc/{self.process.pid}/clear_refs").write_text("5")

    def wait_built(self, within: float = 600) -> None:
        """Until the live loop has built (a `reload` event) and said nothing more for
        `SETTLE` seconds (one save may be seen as two changes, each built)."""
        self.reloads.get(timeout=within)
        while True:
            try:
                self.reloads.get(timeout=SETTLE)
            except queue.Empty:
                return

    def close(self) -> None:
        self.process.terminate()
        self.process.wait()

    def _events(self) -> None:
        with socket.create_connection(("127.0.0.1", self.port)) as sock:
            sock.sendall(b"GET /events HTTP/1.1\r\nHost: bench\r\n\r\n")
            name = ""
            for line in sock.makefile("rb"):
                if line.startswith(b"event: "):
                    name = line[7:].strip().decode()
                elif line.startswith(b"data: ") and name == "reload":
                    self.reloads.put(line[6:].strip().decode())


def edit(project: Path, number: int) -> None:
    """Change one unit's text, as an officer saving a correction."""
    path = project / "content" / "thu-tuc-00007.md"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("\n---\n", f"\n---\n\nSửa lần {number}.\n", 1),
                    encoding="utf-8")


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms" if seconds < 10 else f"{seconds:.1f} s"


def measure(project: Path, watch: bool, requests: int, clients: int) -> dict[str, str]:
    """One row of the table: the figures of one server of `project`."""
    server = Server(project, watch)
    try:
        if watch:
            server.wait_built()  # the loop's first build (nothing to do) is over
        time.sleep(SETTLE)
        first, last, page = server.get("/")
        kept = [server.get("/") for _ in range(requests)]
        filtered = server.get(FILTER), server.get(FILTER)
        after = _after_edit(server, project, watch, 1, lambda: [server.get("/")])
        _after_edit(server, project, watch, 2, server.reset_peak)
        alone = _growth(server, lambda: [server.get("/")])
        _after_edit(server, project, watch, 3, server.reset_peak)
        started = time.perf_counter()
        grew = _growth(server, lambda: _together(server, clients))
        burst = time.perf_counter() - started
    finally:
        server.close()
    return {
        "page": f"{len(page) / 2**20:.1f} MB",
        "drawn": f"{ms(first)} / {ms(last)}",
        "kept": (f"{ms(statistics.median(k[0] for k in kept))} / "
                 f"{ms(statistics.median(k[1] for k in kept))} "
                 f"(slowest {ms(max(k[1] for k in kept))})"),
        "filter": f"{ms(filtered[0][1])}, again {ms(filtered[1][1])}",
        "edit": f"{ms(after[0][0])} / {ms(after[0][1])}",
        "burst": f"{ms(burst)}, +{grew:.0f} MB (one alone: +{alone:.0f} MB)",
    }


def _after_edit(server: Server, project: Path, watch: bool, number: int,
                then: Callable[[], T]) -> T:
    """`then()` once a unit was edited, built again by the live loop if there is one,
    and settled."""
    edit(project, number)
    if watch:
        server.wait_built()
    else:
        time.sleep(SETTLE)
    return then()


def _growth(server: Server, requests: Callable[[], object]) -> float:
    """How much the server's peak memory grew (MB) while it answered `requests()`."""
    server.reset_peak()
    before = server.peak_mb()
    requests()
    return server.peak_mb() - before


def _together(server: Server, clients: int) -> list[tuple[float, float, bytes]]:
    barrier = threading.Barrier(clients)
    answers: list[tuple[float, float, bytes]] = []

    def client() -> None:
        barrier.wait()
        answers.append(server.get("/"))

    threads = [threading.Thread(target=client) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(answers) == clients and len({a[2] for a in answers}) == 1
    return answers


def prepare(units: int) -> Path:
    """The catalogue of `units` procedures, built for the feed and the SMS."""
    project = WORK / f"review-{units}"
    make_corpus(project, units)
    only = [f"--channel={c}" for c in CHANNELS]
    subprocess.run([sys.executable, "-m", "toolkit.cli", "build", "--project", str(project),
                    "--today", TODAY, *only], check=True, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL)
    return project


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", default="2000,10000,20000",
                        help="comma-separated catalogue sizes")
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--serve", metavar="PROJECT", help=argparse.SUPPRESS)
    parser.add_argument("--no-watch", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        serve(args.serve, watch=not args.no_watch)
        return
    print("Times: to the first byte / to the last byte, over loopback.")
    print(f"| units | serve | page | drawn | kept: median (slowest) | filter | one edit | "
          f"{args.clients} at once after an edit |")
    print("|---:|---|---:|---:|---:|---:|---:|---:|")
    for units in (int(n) for n in args.units.split(",")):
        project = prepare(units)
        for watch in (True, False):
            row = measure(project, watch, args.requests, args.clients)
            mode = "live loop" if watch else "--no-watch"
            print(f"| {units} | {mode} | {row['page']} | {row['drawn']} | {row['kept']} | "
                  f"{row['filter']} | {row['edit']} | {row['burst']} |", flush=True)


if __name__ == "__main__":
    main()
