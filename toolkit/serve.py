"""Serving the outbox read-only over HTTP, as the portal and a reviewer see it.

Files carry their media type, an ETag and Last-Modified, and answer
conditional requests with 304 (what feed readers and portals send) and byte
ranges with 206 (what video players send). Nothing outside the outbox is ever
served, however the path is encoded; the drafts of the preview area are served
the same way under /preview/. The page at / shows every unit for review before
anything goes out; the server keeps it (and the screen's) until what it is made of
changes (`toolkit.review.cache`). With the live loop of `toolkit serve` (`toolkit.live`), the
page listens at /events (Server-Sent Events) and reloads when a rebuild changed
what it shows.

The server is met by whatever a network sends: bursts of connections (a deep
listen queue), clients that connect and say nothing or trickle a request (each
request has `timeout` seconds to arrive whole), clients that stop reading or
hang up mid-video (dropped quietly), and headers no browser sends (absurd
ranges and dates are answered, never a traceback). Every request leaves one
access-log line on stderr, with control characters escaped.
"""

from __future__ import annotations

import io
import os
import re
import stat
import sys
import time
from email.utils import formatdate, parsedate_to_datetime
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from socket import socket
from typing import TYPE_CHECKING, BinaryIO
from urllib.parse import unquote, urlsplit

from toolkit.channels import media_type
from toolkit.live import KEEPALIVE, Live, event
from toolkit.project import Project
from toolkit.review import PREVIEW_PREFIX, review_page
from toolkit.review.cache import ReviewCache
from toolkit.review.screen import LIST_PATH, SCREEN_PATH

if TYPE_CHECKING:
    from datetime import date


TEXT_TYPES = ("text/", "application/rss+xml", "application/json")
CHUNK = 64 * 1024
TIMEOUT = 30.0  # seconds a request may take to arrive, and a client may stall reading
BACKLOG = 1024  # connections the kernel holds until they are accepted (socketserver: 5)
RANGE_SPEC = re.compile(r"(?P<first>[0-9]*)-(?P<last>[0-9]*)")
ENTITY_TAG = re.compile(r'(?:W/)?"[^"]*"')
# C0 and C1 controls and the backslash, escaped in the log as http.server does
CONTROL = {c: f"\\x{c:02x}" for c in (*range(0x20), *range(0x7f, 0xa0))} | {ord("\\"): "\\\\"}
OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
EVENTS_PATH = "/events"
RETRY_MS = 2000  # how soon a page's event stream reconnects after it broke


def make_server(project: Project, host: str, port: int, timeout: float = TIMEOUT,
                live: Live | None = None, today: date | None = None) -> OutboxServer:
    """A server of the project's outbox; `serve_forever()` runs it.

    `timeout` (seconds, > 0) bounds how long a request may take to arrive and
    how long a client may leave the answer unread before it is dropped. With
    `live`, the review page shows what the live loop knows and listens to it;
    `today` judges units as if it were that day. The review page and the screen's are
    kept until what they are made of changes (`toolkit.review.cache`).
    """
    handler = type("OutboxHandler", (OutboxHandler,), {
        "project": project, "timeout": timeout, "live": live, "today": today,
        "review": ReviewCache(watched=live is not None)})
    return OutboxServer((host, port), handler)


class OutboxServer(ThreadingHTTPServer):
    """A thread per connection, a listen queue deep enough for bursts, no tracebacks.

    socketserver listens with a backlog of 5: a burst of 200 requests for the
    feed lost connections that the kernel dropped before the server accepted
    them. The kernel caps the backlog at net.core.somaxconn.
    """

    request_queue_size = BACKLOG
    daemon_threads = True

    def handle_error(self, request: object, client_address: tuple[str, int]) -> None:
        """The last resort for an error the handler let through: one line, no traceback.

        A client that went away (reset, broken pipe, timeout) is not an error.
        """
        error = sys.exc_info()[1]
        if isinstance(error, OSError):
            return
        sys.stderr.write(printable(f"{client_address[0]} - unexpected "
                                   f"{type(error).__name__}: {error}") + "\n")


def printable(text: str) -> str:
    """`text` with control characters escaped: a request must not drive the log's terminal."""
    return text.translate(CONTROL)


class DeadlineReader(io.RawIOBase):
    """The socket's input, each read waiting no later than `deadline`.

    A socket timeout bounds each read; a client that sends a byte every few
    seconds never trips it and holds its thread for good. Reading through this,
    a whole request must arrive within `timeout` seconds of its start. The
    socket keeps `timeout` for writing the answer.
    """

    def __init__(self, sock: socket, timeout: float) -> None:
        super().__init__()
        self.sock, self.timeout = sock, timeout
        self.deadline = time.monotonic() + timeout

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        left = self.deadline - time.monotonic()
        if left <= 0:
            raise TimeoutError("the request did not arrive in time")
        self.sock.settimeout(min(left, self.timeout))
        try:
            return self.sock.recv_into(buffer)
        finally:
            self.sock.settimeout(self.timeout)


class OutboxHandler(BaseHTTPRequestHandler):
    """Answers GET and HEAD for files of the outbox, and the review page at /."""

    project: Project
    review: ReviewCache  # the server's: what / and /screen answer, kept
    live: Live | None = None
    today: date | None = None
    raw_requestline: bytes  # set by http.server before parse_request
    timeout = TIMEOUT
    server_version = "toolkit-outbox"
    default_request_version = "HTTP/1.0"  # a malformed request line gets a status line too
    _status: int | None = None  # of the answer under way, once its status line is out
    _note = ""  # why it failed, for its access-log line

    def setup(self) -> None:
        """The connection, its input read through a per-request deadline."""
        super().setup()
        self.rfile.close()  # the socket's own reader: replaced, and it would keep the socket open
        self._reader = DeadlineReader(self.connection, self.timeout)
        self.rfile = io.BufferedReader(self._reader)

    def handle(self) -> None:
        """The connection's requests; a client that hangs up or stalls ends it quietly."""
        try:
            super().handle()
        except OSError:  # ConnectionResetError, BrokenPipeError, TimeoutError and kin
            self.close_connection = True

    def handle_one_request(self) -> None:
        """One request, which must arrive whole within `timeout` seconds of its start."""
        self._status, self._note = None, ""
        self._reader.deadline = time.monotonic() + self.timeout
        super().handle_one_request()

    def parse_request(self) -> bool:
        """The request line and headers; a line cut short by the client hanging up is no
        request (http.server would answer it as if it were one), and gets no answer."""
        if not self.raw_requestline.endswith(b"\n"):
            self.close_connection = True
            return False
        return super().parse_request()

    def version_string(self) -> str:
        """The Server header: the toolkit, not the Python version (nobody needs it)."""
        return self.server_version

    def do_GET(self) -> None:
        self._answer(with_body=True)

    def do_HEAD(self) -> None:
        self._answer(with_body=False)

    def send_response(self, code: int, message: str | None = None) -> None:
        """The status line (and its access-log line); remembered, so a failure knows."""
        self._status = int(code)
        super().send_response(code, message)

    def log_error(self, format: str, *args: object) -> None:
        """Errors show in the request's access-log line (its status); no second line."""

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        """The access-log line: request, status, size, and why, if the server failed."""
        note = f" ({self._note})" if self._note else ""
        status = int(code) if isinstance(code, int) else code  # HTTPStatus prints as a name
        self.log_message('"%s" %s %s%s', self.requestline, status, size, note)

    def log_message(self, format: str, *args: object) -> None:
        """One access-log line per request, on stderr, control characters escaped."""
        sys.stderr.write(f"{self.address_string()} - [{self.log_date_time_string()}] "
                         f"{printable(format % args)}\n")

    def _answer(self, with_body: bool) -> None:
        """Answers a request; a failure of ours is a 500 with its reason in the log line.

        A client that went away is left to `handle`; anything else must not become
        a traceback on stderr or a connection dropped without an answer.
        """
        try:
            self._route(with_body)
        except (ConnectionError, TimeoutError):
            raise
        except Exception as error:
            self._fail(error)

    def _fail(self, error: Exception) -> None:
        self.close_connection = True
        reason = f"{type(error).__name__}: {error}"
        if self._status is None:
            self._note = reason
            self.send_error(HTTPStatus.INTERNAL_SERVER_ERROR, "the server could not answer")
        else:  # its access-log line is written: a second says why the answer stopped short
            self.log_message('"%s" stopped after %s (%s)', self.requestline, self._status,
                             reason)

    def _route(self, with_body: bool) -> None:
        path = url_path(self.path)
        if path is None:
            self.send_error(HTTPStatus.BAD_REQUEST, "not a path")
            return
        if path == "/":
            self._send_page(with_body)
            return
        if path == EVENTS_PATH and self.live is not None:
            self._send_events(self.live, with_body)
            return
        if path == SCREEN_PATH:
            self._send_bytes(self.review.screen_page(self._project()),
                             "text/html; charset=utf-8", with_body)
            return
        if path == LIST_PATH:
            self._send_bytes(self.review.screen_list(self._project(), self._today()),
                             "application/json; charset=utf-8", with_body)
            return
        target = self._file(path)
        source = None if target is None else open_regular(target)
        if target is None or source is None:
            self.send_error(HTTPStatus.NOT_FOUND, "not in the outbox")
            return
        with source:
            self._send_file(source, unquote(path).lstrip("/"), with_body)

    def _project(self) -> Project:
        """The project as the live loop last read it (its settings may have changed)."""
        return self.live.project if self.live is not None else self.project

    def _today(self) -> date | None:
        """The day units are judged as of: the server's or the live loop's, else None
        (today where the office is)."""
        return self.today or (self.live.today if self.live is not None else None)

    def _send_page(self, with_body: bool) -> None:
        """The review page, filtered as the query asks, with what the live loop knows;
        kept by the server's cache until what it is made of changes."""
        query = urlsplit(self.path).query
        status = self.live.status() if self.live is not None else None
        page = review_page(self._project(), query, status, self._today(), self.review)
        self._send_bytes(page, "text/html; charset=utf-8", with_body)

    def _send_events(self, live: Live, with_body: bool) -> None:
        """The page's stream of events: `hello` with the generation of the files, then
        `status` and `reload` as the live loop sends them, a comment when idle; the
        stream ends when the server stops. Too many open pages get a 503."""
        self.close_connection = True
        if not with_body:
            self._event_stream_headers()
            return
        with live.events.listen() as listener:
            if listener is None:
                self.send_error(HTTPStatus.SERVICE_UNAVAILABLE, "too many pages listen")
                return
            self._event_stream_headers()
            self.wfile.write(f"retry: {RETRY_MS}\n\n".encode()
                             + event("hello", live.generation))
            while (message := listener.next(KEEPALIVE)) is not None:
                self.wfile.write(message)

    def _event_stream_headers(self) -> None:
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/event-stream; charset=utf-8")
        self.send_header("Cache-Control", "no-cache")
        self.end_headers()

    def _file(self, path: str) -> Path | None:
        """The file a URL path names in the outbox, or in the preview area under
        /preview/, or None: never anything outside them."""
        relative = unquote(path).lstrip("/")
        if "\x00" in relative or "\\" in relative:
            return None
        area = self._project().outbox_dir
        drafts = PREVIEW_PREFIX.lstrip("/") + "/"
        if relative.startswith(drafts):
            area, relative = self._project().preview_dir, relative.removeprefix(drafts)
        try:
            root = area.resolve()
            target = (root / relative).resolve()
            hidden = any(part.startswith(".") for part in Path(relative).parts)
            if hidden or not target.is_relative_to(root) or not target.is_file():
                return None
        except OSError:  # a name too long for the file system, a folder we may not read
            return None
        return target

    def _send_file(self, source: BinaryIO, name: str, with_body: bool) -> None:
        """Headers and body of an open file (`name`: its path in the outbox) describing the
        same bytes, even if a build replaces the file meanwhile (the open file is the old
        one, whole)."""
        info = os.fstat(source.fileno())
        size = info.st_size
        etag = f'"{size:x}-{info.st_mtime_ns:x}"'
        modified = formatdate(info.st_mtime, usegmt=True)
        if self._not_modified(etag, info.st_mtime):
            self.send_response(HTTPStatus.NOT_MODIFIED)
            self.send_header("ETag", etag)
            self.send_header("Last-Modified", modified)
            self.end_headers()
            return
        span = self._range(etag, modified, size)
        if span is not None and not span:
            self.send_response(HTTPStatus.REQUESTED_RANGE_NOT_SATISFIABLE)
            self.send_header("Content-Range", f"bytes */{size}")
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        self.send_response(HTTPStatus.OK if span is None else HTTPStatus.PARTIAL_CONTENT)
        body = range(size) if span is None else span
        self.send_header("Content-Type", _content_type(name))
        self.send_header("Content-Length", str(len(body)))
        self.send_header("ETag", etag)
        self.send_header("Last-Modified", modified)
        self.send_header("Accept-Ranges", "bytes")
        if span is not None:
            self.send_header("Content-Range", f"bytes {span.start}-{span.stop - 1}/{size}")
        self.end_headers()
        if with_body:
            self._copy(source, body)

    def _range(self, etag: str, modified: str, size: int) -> range | None:
        """The bytes to send: None for the whole file (200), an empty range for 416.

        Range is honoured for GET only (RFC 9110 section 14.2), and only if If-Range,
        when sent, names this very file (section 13.1.5): a player resuming a video
        that a build has since replaced gets the new file whole, not a splice.
        """
        wanted = self.headers.get("Range")
        if wanted is None or self.command != "GET":
            return None
        validator = self.headers.get("If-Range")
        if validator is not None and validator.strip() not in (etag, modified):
            return None
        return byte_range(wanted, size)

    def _not_modified(self, etag: str, mtime: float) -> bool:
        """If-None-Match (weak comparison), else If-Modified-Since: is the client's copy current?

        An If-Modified-Since that is not a valid HTTP date (unparsable, a year past
        9999) is ignored, as RFC 9110 section 13.1.3 requires; so is a date in the
        future, which we cannot have sent (RFC 7232 section 3.3 called it invalid).
        """
        tags = self.headers.get("If-None-Match")
        if tags is not None:
            return tags.strip() == "*" or any(tag.removeprefix("W/") == etag
                                              for tag in ENTITY_TAG.findall(tags))
        since = http_date(self.headers.get("If-Modified-Since", ""))
        return since is not None and since <= time.time() and int(mtime) <= since

    def _copy(self, source: BinaryIO, span: range) -> None:
        source.seek(span.start)
        length = len(span)
        while length > 0:
            chunk = source.read(min(CHUNK, length))
            if not chunk:  # the file shrank under us: the answer is short, end it
                self.close_connection = True
                return
            self.wfile.write(chunk)
            length -= len(chunk)

    def _send_bytes(self, data: bytes, content_type: str, with_body: bool) -> None:
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Cache-Control", "no-cache")
        self.end_headers()
        if with_body:
            self.wfile.write(data)


def url_path(target: str) -> str | None:
    """The path of a request target, origin-form (`/a?b`) or absolute-form (`http://h/a`).

    None for anything else (`*`, `a/b`, a URL urlsplit refuses, such as `http://[`).
    """
    try:
        parts = urlsplit(target)
    except ValueError:
        return None
    if target.startswith("/"):
        return parts.path
    if parts.scheme in ("http", "https") and parts.netloc:
        return parts.path or "/"
    return None


def open_regular(path: Path) -> BinaryIO | None:
    """`path` opened for reading if it is (still) a regular file, else None.

    The file is checked once open, so one that a build removes or replaces in the
    meantime is a 404 or the new file, never a traceback; O_NONBLOCK so a FIFO
    put in its place cannot block the thread.
    """
    try:
        fd = os.open(path, OPEN_FLAGS)
    except OSError:
        return None
    source = os.fdopen(fd, "rb")
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        source.close()
        return None
    return source


def byte_range(header: str, size: int) -> range | None:
    """The bytes a Range header asks of a file of `size` bytes.

    None means ignore the header and send the whole file (RFC 9110 section 14.2
    lets a server ignore Range): another unit than bytes, several ranges (they
    would need a multipart answer, which no player needs), or invalid syntax
    (`bytes=5-2`, `bytes=abc`). An empty range means unsatisfiable, 416
    (section 14.1.1): a first byte at or past the end, or a suffix of 0 bytes.
    Numbers may have any length (int() refuses past 4,300 digits): a first byte
    of 5,000 digits is past the end, a last byte or suffix of 5,000 digits is
    the end of the file.
    """
    unit, equals, ranges = header.partition("=")
    if not equals or unit.strip().lower() != "bytes":
        return None
    specs = [spec.strip() for spec in ranges.split(",") if spec.strip()]
    match = RANGE_SPEC.fullmatch(specs[0]) if len(specs) == 1 else None
    if match is None or not (match["first"] or match["last"]):
        return None
    first, last = match["first"], match["last"]
    if not first:  # the last N bytes
        return range(size - _capped(last, size), size)
    if last and _less(last, first):
        return None
    stop = min(_capped(last, size) + 1, size) if last else size
    return range(_capped(first, size), stop)


def _capped(digits: str, cap: int) -> int:
    """A decimal number of any length, at most `cap`."""
    digits = digits.lstrip("0") or "0"
    return cap if len(digits) > len(str(cap)) else min(int(digits), cap)


def _less(a: str, b: str) -> bool:
    """a < b for decimal numbers of any length."""
    a, b = a.lstrip("0"), b.lstrip("0")
    return (len(a), a) < (len(b), b)


def http_date(text: str) -> float | None:
    """Seconds since the epoch of an HTTP date, or None if it is not one.

    parsedate_to_datetime raises ValueError for a year past 9999 or a bad offset,
    and OverflowError for a year too long for a C long.
    """
    try:
        return parsedate_to_datetime(text).timestamp()
    except (TypeError, ValueError, OverflowError):
        return None


def _content_type(name: str) -> str:
    kind = media_type(name)
    return f"{kind}; charset=utf-8" if kind.startswith(TEXT_TYPES) else kind
