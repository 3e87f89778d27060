"""Server-Sent Events for the review pages: what the live loop tells them.

Each page listening (the server's /events) has a queue; `Events.publish` puts a
message in every queue, and the server's handler writes what its queue holds to
its page as it comes, with a comment when idle. Pages that may listen at once are
capped, as each holds a thread of the server.
"""

from __future__ import annotations

import contextlib
import queue
import threading
from collections.abc import Iterator

LISTENERS = 64  # review pages that may listen at once; each holds a thread
KEEPALIVE = 15.0  # seconds between comments on an idle event stream


class Events:
    """Server-Sent Events for the review pages: each listener has a queue of
    messages; `publish` puts one in every queue. At most `limit` listeners."""

    def __init__(self, limit: int = LISTENERS) -> None:
        self.limit = limit
        self._lock = threading.Lock()
        self._queues: set[queue.SimpleQueue[bytes | None]] = set()
        self._closed = False

    @contextlib.contextmanager
    def listen(self) -> Iterator[Listener | None]:
        """A listener for as long as the page listens; None when too many listen or the
        events are closed."""
        inbox: queue.SimpleQueue[bytes | None] = queue.SimpleQueue()
        with self._lock:
            admitted = not self._closed and len(self._queues) < self.limit
            if admitted:
                self._queues.add(inbox)
        if not admitted:
            yield None
            return
        try:
            yield Listener(inbox)
        finally:
            with self._lock:
                self._queues.discard(inbox)

    def publish(self, name: str, data: str) -> None:
        """Send the event `name` with `data` (one line) to every listener."""
        message = event(name, data)
        with self._lock:
            for inbox in self._queues:
                inbox.put(message)

    def close(self) -> None:
        """End every listener's stream (the server is stopping)."""
        with self._lock:
            self._closed = True
            for inbox in self._queues:
                inbox.put(None)

    @property
    def listeners(self) -> int:
        """How many pages listen now."""
        with self._lock:
            return len(self._queues)


class Listener:
    """One page's stream of events."""

    def __init__(self, inbox: queue.SimpleQueue[bytes | None]) -> None:
        self._inbox = inbox

    def next(self, timeout: float) -> bytes | None:
        """The next message; a comment after `timeout` seconds of silence (it keeps the
        connection open and finds clients that went away); None once the events close."""
        try:
            return self._inbox.get(timeout=timeout)
        except queue.Empty:
            return b": \n\n"


def event(name: str, data: str) -> bytes:
    """One Server-Sent Event; each line of `data` is a data field."""
    lines = "".join(f"data: {line}\n" for line in data.splitlines() or [""])
    return f"event: {name}\n{lines}\n".encode()
