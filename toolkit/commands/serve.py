"""`toolkit serve`: the outbox read-only over HTTP, with a review page at /."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from toolkit.project import open_project
from toolkit.serve import make_server


def serve(project_dir: Path, host: str, port: int, started: Callable[[str], None]) -> None:
    """Serve until interrupted; `started` is told the address once it listens."""
    project = open_project(project_dir)
    server = make_server(project, host, port)
    address, bound = server.server_address[:2]
    started(f"serving {project.outbox_dir} at http://{address!s}:{bound}/ (Ctrl+C stops)")
    try:
        server.serve_forever()
    finally:
        server.server_close()
