"""Benchmarks of `toolkit serve`: a burst of concurrent requests for the feed, and the
live preview loop (a saved edit to its new leaflet preview on the review page).

    python bench/serve_bench.py [--clients 200] [--rounds 5] [--backlog 1024]
    python bench/serve_bench.py --live [--edits 5] [--channels print,sms,rss]

The server runs in its own process (as `toolkit serve` does) on 127.0.0.1,
serving a 2,600-byte feed.xml; the clients are threads of this process that
wait on a barrier, then each connects, sends `GET /rss/feed.xml` and reads the
answer to the end, with a client timeout (`--client-timeout`, default 5 s).
For each round: how many answers were 200 with the whole feed, how many timed
out or failed, the time from the barrier to the last answer, and the median and
slowest request. `--backlog 5` is socketserver's default, the listen queue the
server had before; the kernel caps any backlog at net.core.somaxconn.

`--live` copies the sample project (this repository's content/ and toolkit.toml)
to a temporary folder, builds it (`toolkit build`, every channel unless
`--channels` says otherwise), then runs `toolkit serve` on it in its own process
with its live loop, and a page's event stream (/events) over HTTP. Each edit
changes the title of the sample's birth registration unit and saves it; for each:
the time from the save to the `reload` event, and to the review page and the new
leaflet preview fetched as the reloaded page fetches them (checked to be the new
bytes). Edits alternate between an idle loop and one whose background build (the
videos of the last edit) is under way, which the edit stops.
"""

from __future__ import annotations

import argparse
import hashlib
import queue
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
FEED = b"<?xml version='1.0'?><rss version='2.0'>" + b"x" * 2554 + b"</rss>"  # 2,600 bytes
REQUEST = b"GET /rss/feed.xml HTTP/1.1\r\nHost: bench\r\n\r\n"


def serve(project: str, backlog: int) -> None:
    """The server side: serve `project` on a free port, print the port, run until killed."""
    from toolkit.project import open_project
    from toolkit.serve import OutboxServer, make_server

    OutboxServer.request_queue_size = backlog
    httpd = make_server(open_project(Path(project)), "127.0.0.1", 0)
    print(httpd.server_address[1], flush=True)
    sys.stderr = open("/dev/null", "w")  # noqa: SIM115 (the access log is not measured)
    httpd.serve_forever()


def one_request(port: int, timeout: float) -> float | None:
    """Seconds for one request, or None if it failed or timed out."""
    start = time.perf_counter()
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=timeout) as sock:
            sock.sendall(REQUEST)
            answer = b""
            while chunk := sock.recv(65536):
                answer += chunk
    except OSError:
        return None
    return time.perf_counter() - start if answer.endswith(FEED) else None


def burst(port: int, clients: int, timeout: float) -> tuple[list[float], int, float]:
    """(times of the requests answered, failures, seconds until the last one ended)."""
    results: list[float | None] = []
    barrier = threading.Barrier(clients + 1)

    def client() -> None:
        barrier.wait()
        results.append(one_request(port, timeout))

    threads = [threading.Thread(target=client) for _ in range(clients)]
    for thread in threads:
        thread.start()
    barrier.wait()
    start = time.perf_counter()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - start
    answered = [r for r in results if r is not None]
    return answered, len(results) - len(answered), wall


UNIT = "dang-ky-khai-sinh-truc-tuyen"
TITLE = "Đăng ký khai sinh trực tuyến, nhận giấy khai sinh tại nhà"
PREVIEW = f"print/{UNIT}/{UNIT}-leaflet-1.png"


def live_serve(project: str, channels: tuple[str, ...]) -> None:
    """The server side of --live: `toolkit serve` with its live loop on a free port."""
    from toolkit.commands.serve import serve as toolkit_serve

    def started(line: str) -> None:
        print(line.split("http://127.0.0.1:", 1)[1].split("/", 1)[0], flush=True)

    sys.stderr = open("/dev/null", "w")  # noqa: SIM115 (the access log is not measured)
    toolkit_serve(Path(project), "127.0.0.1", 0, started, channels=channels)


def events(port: int, found: queue.Queue[tuple[float, str]]) -> None:
    """A page's event stream: (arrival, data) of each `reload` event into `found`."""
    with socket.create_connection(("127.0.0.1", port)) as sock:
        sock.sendall(b"GET /events HTTP/1.1\r\nHost: bench\r\n\r\n")
        stream = sock.makefile("rb")
        name = ""
        for line in stream:
            if line.startswith(b"event: "):
                name = line[7:].strip().decode()
            elif line.startswith(b"data: ") and name == "reload":
                found.put((time.perf_counter(), line[6:].strip().decode()))


def fetch(port: int, path: str) -> bytes:
    """The body of one GET (the server closes after HTTP/1.0)."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(f"GET {path} HTTP/1.0\r\nHost: bench\r\n\r\n".encode())
        answer = b""
        while chunk := sock.recv(65536):
            answer += chunk
    return answer.split(b"\r\n\r\n", 1)[1]


def live(edits: int, channels: tuple[str, ...]) -> None:
    """Saved edits to their new leaflet preview, through `toolkit serve`'s live loop."""
    with tempfile.TemporaryDirectory() as temp:
        project = Path(temp)
        shutil.copy(REPO / "toolkit.toml", project / "toolkit.toml")
        shutil.copytree(REPO / "content", project / "content")
        only = [f"--channel={c}" for c in channels]
        started = time.perf_counter()
        subprocess.run([sys.executable, "-m", "toolkit.cli", "build", "--project", temp, *only],
                       check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        print(f"sample built in {time.perf_counter() - started:.1f} s "
              f"({', '.join(channels) or 'every channel'})")
        server = subprocess.Popen([sys.executable, __file__, "--live-serve", temp,
                                   "--channels", ",".join(channels)],
                                  stdout=subprocess.PIPE, text=True)
        try:
            port = int(server.stdout.readline())  # type: ignore[union-attr]
            found: queue.Queue[tuple[float, str]] = queue.Queue()
            threading.Thread(target=events, args=(port, found), daemon=True).start()
            found.get(timeout=60)  # the first build: nothing had changed
            _edits(project, port, found, edits)
        finally:
            server.terminate()
            server.wait()


def _edits(project: Path, port: int, found: queue.Queue[tuple[float, str]],
           edits: int) -> None:
    unit = project / "content" / f"{UNIT}.md"
    text = unit.read_text(encoding="utf-8")
    print("| edit | loop | save → reload event | save → page and new preview fetched |")
    print("|---:|---|---:|---:|")
    for edit in range(1, edits + 1):
        busy = edit % 2 == 0
        time.sleep(1.0 if busy else 0.2)  # busy: the last edit's videos are being made
        if not busy:
            _wait_idle(port)
        before = hashlib.sha256(fetch(port, f"/{PREVIEW}")).digest()
        while not found.empty():  # reloads of the background build, before this edit
            found.get()
        title = f"Khai sinh: lần sửa {edit}"
        saved = time.perf_counter()
        unit.write_text(text.replace(TITLE, title), encoding="utf-8")
        while True:  # a reload of a background build may come first: not this edit's
            reloaded, _generation = found.get(timeout=60)
            page = fetch(port, "/").decode("utf-8")
            if title in page:
                break
        preview = fetch(port, f"/{PREVIEW}")
        fetched = time.perf_counter()
        assert hashlib.sha256(preview).digest() != before, "not the new preview"
        print(f"| {edit} | {'background build under way' if busy else 'idle'} | "
              f"{(reloaded - saved) * 1000:.0f} ms | {(fetched - saved) * 1000:.0f} ms |",
              flush=True)


def _wait_idle(port: int, within: float = 120.0) -> None:
    """Until the page no longer says the loop is busy (the background build is over)."""
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        if b"id=live role=status class='busy'" not in fetch(port, "/"):
            return
        time.sleep(0.5)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--live", action="store_true",
                        help="measure the live preview loop instead of a burst")
    parser.add_argument("--edits", type=int, default=6)
    parser.add_argument("--channels", default="",
                        help="comma-separated channels to build (default: every one)")
    parser.add_argument("--live-serve", metavar="PROJECT", help=argparse.SUPPRESS)
    parser.add_argument("--clients", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--backlog", type=int, default=None,
                        help="listen backlog of the server (default: the toolkit's)")
    parser.add_argument("--client-timeout", type=float, default=5.0)
    parser.add_argument("--serve", metavar="PROJECT", help=argparse.SUPPRESS)
    args = parser.parse_args()
    channels = tuple(c for c in args.channels.split(",") if c)
    if args.serve:
        serve(args.serve, args.backlog)
        return
    if args.live_serve:
        live_serve(args.live_serve, channels)
        return
    if args.live:
        live(args.edits, channels)
        return
    from toolkit.serve import BACKLOG

    backlog = args.backlog or BACKLOG
    with tempfile.TemporaryDirectory() as temp:
        project = Path(temp)
        shutil.copy(REPO / "toolkit.toml", project / "toolkit.toml")
        (project / "outbox" / "rss").mkdir(parents=True)
        (project / "outbox" / "rss" / "feed.xml").write_bytes(FEED)
        server = subprocess.Popen([sys.executable, __file__, "--serve", temp,
                                   "--backlog", str(backlog)], stdout=subprocess.PIPE, text=True)
        try:
            port = int(server.stdout.readline())  # type: ignore[union-attr]
            print(f"{args.clients} concurrent requests for a 2,600-byte feed.xml, "
                  f"backlog {backlog}, client timeout {args.client_timeout:g} s")
            print("| round | answered | failed | all done | median | slowest |")
            print("|---:|---:|---:|---:|---:|---:|")
            for round_ in range(1, args.rounds + 1):
                answered, failed, wall = burst(port, args.clients, args.client_timeout)
                median = statistics.median(answered) if answered else float("nan")
                slowest = max(answered, default=float("nan"))
                print(f"| {round_} | {len(answered)} | {failed} | {wall:.2f} s | "
                      f"{median * 1000:.0f} ms | {slowest * 1000:.0f} ms |", flush=True)
                time.sleep(0.5)
        finally:
            server.terminate()
            server.wait()


if __name__ == "__main__":
    main()
