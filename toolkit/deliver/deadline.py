"""A total deadline for one HTTP request: connecting, sending, headers and body.

requests' timeout bounds each read from the socket, not the request: a gateway
that sends its answer a byte every 2 s never trips a 10 s timeout. Here a timer
shuts the connection's socket down when the deadline passes; the read blocked on
it returns at once, requests raises (or sees the answer end early), and the caller,
who can ask `Deadline.passed`, says that no full answer came in time.

The connection is found through the connection class of each pool the adapter
hands out: it tells the deadline of the current thread which connection the request
went out on, whether new or reused. Shutting down a socket that is between
requests never happens: the deadline is over (`__exit__`) before the next one.
"""

from __future__ import annotations

import contextlib
import functools
import socket
import threading
from typing import Any, Self

from requests.adapters import HTTPAdapter

from toolkit.i18n import _, decimal

_current = threading.local()


class Deadline:
    """`with Deadline(s):` around one request on a `DeadlineAdapter` bounds all of it."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.passed = False
        self._lock = threading.Lock()
        self._connection: Any = None
        self._over = False
        self._timer = threading.Timer(seconds, self._expire)
        self._timer.daemon = True

    def __enter__(self) -> Self:
        _current.deadline = self
        self._timer.start()
        return self

    def __exit__(self, *exc: object) -> None:
        with self._lock:
            self._over = True
        self._timer.cancel()
        _current.deadline = None

    def watch(self, connection: Any) -> None:
        """The request goes out on `connection`: cut it at the deadline (now, if passed)."""
        with self._lock:
            self._connection = connection
            if self.passed and not self._over:
                _shut(connection)

    def _expire(self) -> None:
        # Under the lock: once __exit__ has run, this deadline touches no socket, so a
        # connection reused by the next request is never cut by this one's timer.
        with self._lock:
            if self._over:
                return
            self.passed = True
            if self._connection is not None:
                _shut(self._connection)


class DeadlineAdapter(HTTPAdapter):
    """An HTTPAdapter whose connections report to the current thread's Deadline."""

    def get_connection_with_tls_context(self, *args: Any, **kwargs: Any) -> Any:
        """The pool for a request (proxied or not), its connections watched."""
        return _watched_pool(super().get_connection_with_tls_context(*args, **kwargs))


class _Watched:
    """Mixed into a pool's connection class: each request, and each connect (which may
    end after the deadline), tells the current Deadline which connection it is."""

    def connect(self) -> None:
        _report(self)  # a slow TLS handshake is cut too: its socket is already self.sock
        super().connect()  # type: ignore[misc]
        _report(self)

    def request(self, *args: Any, **kwargs: Any) -> Any:
        _report(self)
        return super().request(*args, **kwargs)  # type: ignore[misc]


def _report(connection: Any) -> None:
    deadline = getattr(_current, "deadline", None)
    if deadline is not None:
        deadline.watch(connection)


@functools.cache
def _watched_class(base: type) -> type:
    return type(f"Watched{base.__name__}", (_Watched, base), {})


def _watched_pool(pool: Any) -> Any:
    """The pool, making its connections (from now on) report to the Deadline."""
    if not issubclass(pool.ConnectionCls, _Watched):
        pool.ConnectionCls = _watched_class(pool.ConnectionCls)
    return pool


def _shut(connection: Any) -> None:
    """Shut the connection's socket down: a read blocked on it returns at once."""
    sock = getattr(connection, "sock", None)
    if sock is None:
        return
    with contextlib.suppress(OSError):
        sock.shutdown(socket.SHUT_RDWR)


def seconds_text(value: float) -> str:
    """A wait as people read it: 30 s, 3600 s, 999999 s (11.6 days)."""
    if value < 100:
        return _("{seconds} s").format(seconds=decimal(value))
    if value < 86400:
        return _("{seconds} s").format(seconds=f"{value:.0f}")
    return _("{seconds} s ({days} days)").format(seconds=f"{value:.0f}",
                                                 days=decimal(value / 86400, 1))
