"""Benchmark of `toolkit serve`: a burst of concurrent requests for the feed.

    python bench/serve_bench.py [--clients 200] [--rounds 5] [--backlog 1024]

The server runs in its own process (as `toolkit serve` does) on 127.0.0.1,
serving a 2,600-byte feed.xml; the clients are threads of this process that
wait on a barrier, then each connects, sends `GET /rss/feed.xml` and reads the
answer to the end, with a client timeout (`--client-timeout`, default 5 s).
For each round: how many answers were 200 with the whole feed, how many timed
out or failed, the time from the barrier to the last answer, and the median and
slowest request. `--backlog 5` is socketserver's default, the listen queue the
server had before; the kernel caps any backlog at net.core.somaxconn.
"""

from __future__ import annotations

import argparse
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--backlog", type=int, default=None,
                        help="listen backlog of the server (default: the toolkit's)")
    parser.add_argument("--client-timeout", type=float, default=5.0)
    parser.add_argument("--serve", metavar="PROJECT", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        serve(args.serve, args.backlog)
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
