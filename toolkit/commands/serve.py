"""`toolkit serve`: the outbox read-only over HTTP, with a review page at /, and the live
preview loop (watch, rebuild, reload the page) unless asked to only serve."""

from __future__ import annotations

import errno
import socket
from collections.abc import Callable
from datetime import date
from pathlib import Path

from toolkit.channels import channel, names
from toolkit.commands import UserError
from toolkit.i18n import _
from toolkit.live import Live
from toolkit.project import Project, open_project
from toolkit.serve import OutboxServer, make_server

NEARBY_PORTS = 20  # ports tried after a busy one, to suggest one that is free


def serve(project_dir: Path, host: str, port: int, started: Callable[[str], None],
          watch: bool = True, channels: tuple[str, ...] = (), today: date | None = None,
          log: Callable[[str], None] | None = None) -> None:
    """Serve until interrupted; `started` is told the address once it listens.

    With `watch` (the default) the project is rebuilt when content/, templates/ or
    toolkit.toml change (`channels`: only these; `today`: as if it were that day) and
    open review pages reload; without it the server only serves, as for a portal.
    `log` is told what the live loop does (default: stderr).
    """
    _check_channels(channels)
    project = open_project(project_dir)
    live = Live(project, channels, today, log) if watch else None
    server = _listen(project, host, port, live, today)
    address, bound = server.server_address[:2]
    url = f"http://{_host(str(address))}:{bound}/"
    if live is None:
        started(_("serving {folder} at {url} (Ctrl+C stops)").format(
            folder=project.outbox_dir, url=url))
    else:
        started(_("review page at {url}: a saved edit in content/, templates/ or toolkit.toml "
                  "is rebuilt and the page reloads (Ctrl+C stops)").format(url=url))
        live.start()
    try:
        server.serve_forever()
    finally:
        if live is not None:
            live.close()
        server.server_close()


def _check_channels(wanted: tuple[str, ...]) -> None:
    for name in wanted:
        if name not in names():
            raise UserError(_("--channel {name}: not a channel; choose from {names}").format(
                name=name, names=", ".join(names())))
        if channel(name).by_period:
            raise UserError(_("--channel {name}: it is made for a period, by its own command: "
                              "toolkit {name} --week ...").format(name=name))


def _listen(project: Project, host: str, port: int, live: Live | None,
            today: date | None) -> OutboxServer:
    """The server, listening; a port in use or not ours to take is said with what to do."""
    try:
        return make_server(project, host, port, live=live, today=today)
    except OSError as err:
        raise UserError(_address_problem(err, host, port)) from None


def _address_problem(err: OSError, host: str, port: int) -> str:
    if err.errno == errno.EADDRINUSE:
        free = free_port_near(host, port)
        suggestion = (_("choose another port, e.g. toolkit serve --port {free}").format(free=free)
                      if free else _("choose another port with --port"))
        return _("port {port} is already in use (is toolkit serve already running?) -> "
                 "stop the other server, or {suggestion}").format(port=port,
                                                                 suggestion=suggestion)
    if err.errno == errno.EACCES:
        return _("port {port} may only be used by an administrator -> choose a port from "
                 "1024 up, e.g. toolkit serve --port 8000").format(port=port)
    if err.errno == errno.EADDRNOTAVAIL or isinstance(err, socket.gaierror):
        return _("--host {host}: not an address of this computer -> use 127.0.0.1 (this "
                 "computer only) or 0.0.0.0 (every network it is on)").format(host=host)
    return _("cannot listen on {host}:{port}: {error}").format(
        host=host, port=port, error=err.strerror or err)


def free_port_near(host: str, port: int) -> int | None:
    """A port after `port` that nothing listens on now, or None."""
    for candidate in range(port + 1, min(port + 1 + NEARBY_PORTS, 65536)):
        with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as probe:
            try:
                probe.bind((host, candidate))
            except OSError:
                continue
            return candidate
    return None


def _host(address: str) -> str:
    """How an address is written in a URL (an IPv6 one in brackets)."""
    return f"[{address}]" if ":" in address else address
