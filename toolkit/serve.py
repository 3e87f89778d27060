"""Serving the outbox read-only over HTTP, as the portal and a reviewer see it.

Files carry their media type, an ETag and Last-Modified, and answer
conditional requests with 304 (what feed readers and portals send) and byte
ranges with 206 (what video players send). Nothing outside the outbox is ever
served, however the path is encoded. The page at / lists the outbox unit by
unit for review before anything goes out.
"""

from __future__ import annotations

import html
import re
import sys
from email.utils import formatdate, parsedate_to_datetime
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

from toolkit.content.load import load_content
from toolkit.channels.sms import read_messages
from toolkit.outbox import media_type, unit_files
from toolkit.project import Project
from toolkit.smstext import cost

TEXT_TYPES = ("text/", "application/rss+xml", "application/json")
CHUNK = 64 * 1024
RANGE = re.compile(r"bytes=(\d*)-(\d*)$")


def make_server(project: Project, host: str, port: int) -> ThreadingHTTPServer:
    """A server of the project's outbox; `serve_forever()` runs it."""
    handler = type("OutboxHandler", (OutboxHandler,), {"project": project})
    return ThreadingHTTPServer((host, port), handler)


class OutboxHandler(BaseHTTPRequestHandler):
    """Answers GET and HEAD for files of the outbox, and the review page at /."""

    project: Project
    server_version = "toolkit-outbox"

    def do_GET(self) -> None:  # noqa: N802 (the name http.server calls)
        self._answer(with_body=True)

    def do_HEAD(self) -> None:  # noqa: N802
        self._answer(with_body=False)

    def log_error(self, format: str, *args: object) -> None:  # noqa: A002
        """Errors show in the request's access-log line (its status); no second line."""

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        """One access-log line per request, on stderr."""
        sys.stderr.write(f"{self.address_string()} - [{self.log_date_time_string()}] "
                         f"{format % args}\n")

    def _answer(self, with_body: bool) -> None:
        path = urlsplit(self.path).path
        if path == "/":
            self._send_bytes(review_page(self.project), "text/html; charset=utf-8", with_body)
            return
        target = self._file(path)
        if target is None:
            self.send_error(HTTPStatus.NOT_FOUND, "not in the outbox")
            return
        self._send_file(target, with_body)

    def _file(self, path: str) -> Path | None:
        """The outbox file a URL path names, or None: never anything outside the outbox."""
        relative = unquote(path).lstrip("/")
        if "\x00" in relative or "\\" in relative:
            return None
        root = self.project.outbox_dir.resolve()
        target = (root / relative).resolve()
        hidden = any(part.startswith(".") for part in Path(relative).parts)
        if hidden or not target.is_relative_to(root) or not target.is_file():
            return None
        return target

    def _send_file(self, target: Path, with_body: bool) -> None:
        stat = target.stat()
        etag = f'"{stat.st_size:x}-{stat.st_mtime_ns:x}"'
        modified = formatdate(stat.st_mtime, usegmt=True)
        if self._not_modified(etag, stat.st_mtime):
            self.send_response(HTTPStatus.NOT_MODIFIED)
            self.send_header("ETag", etag)
            self.send_header("Last-Modified", modified)
            self.end_headers()
            return
        start, end = 0, stat.st_size - 1
        status = HTTPStatus.OK
        wanted = self.headers.get("Range")
        if wanted:
            span = _byte_range(wanted, stat.st_size)
            if span is None:
                self.send_response(HTTPStatus.REQUESTED_RANGE_NOT_SATISFIABLE)
                self.send_header("Content-Range", f"bytes */{stat.st_size}")
                self.end_headers()
                return
            (start, end), status = span, HTTPStatus.PARTIAL_CONTENT
        self.send_response(status)
        self.send_header("Content-Type", _content_type(target.name))
        self.send_header("Content-Length", str(end - start + 1))
        self.send_header("ETag", etag)
        self.send_header("Last-Modified", modified)
        self.send_header("Accept-Ranges", "bytes")
        if status == HTTPStatus.PARTIAL_CONTENT:
            self.send_header("Content-Range", f"bytes {start}-{end}/{stat.st_size}")
        self.end_headers()
        if with_body:
            self._copy(target, start, end - start + 1)

    def _not_modified(self, etag: str, mtime: float) -> bool:
        tags = self.headers.get("If-None-Match")
        if tags is not None:
            return etag in [t.strip() for t in tags.split(",")] or tags.strip() == "*"
        since = self.headers.get("If-Modified-Since")
        if since:
            try:
                return int(mtime) <= parsedate_to_datetime(since).timestamp()
            except (TypeError, ValueError):
                return False
        return False

    def _copy(self, target: Path, start: int, length: int) -> None:
        with target.open("rb") as source:
            source.seek(start)
            while length > 0:
                chunk = source.read(min(CHUNK, length))
                if not chunk:
                    break
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


def _byte_range(header: str, size: int) -> tuple[int, int] | None:
    """The first and last byte of a single `bytes=` range, or None if unsatisfiable."""
    match = RANGE.match(header.strip())
    if not match or (not match[1] and not match[2]) or size == 0:
        return None
    if not match[1]:  # the last N bytes
        return max(0, size - int(match[2])), size - 1
    start = int(match[1])
    end = min(int(match[2]), size - 1) if match[2] else size - 1
    return (start, end) if start <= end and start < size else None


def _content_type(name: str) -> str:
    kind = media_type(name)
    return f"{kind}; charset=utf-8" if kind.startswith(TEXT_TYPES) else kind


# --- the review page ------------------------------------------------------------

STYLE = """body{font-family:system-ui,sans-serif;margin:0 auto;max-width:60rem;padding:1rem;
color:#1f2328}h1{font-size:1.4rem}section{border-top:1px solid #ccc;padding:.8rem 0}
h2{font-size:1.1rem;margin:.2rem 0}.meta{color:#666;font-size:.85rem}
img{max-width:100%;height:auto;border:1px solid #ddd;margin:.2rem 0}
video{max-width:100%;background:#000}.files a{margin-right:.6rem;font-size:.9rem}
.sms{background:#f4f6f8;padding:.5rem;font-family:monospace;white-space:pre-wrap}
.previews{display:grid;grid-template-columns:repeat(auto-fill,minmax(14rem,1fr));gap:.4rem}"""


def review_page(project: Project) -> bytes:
    """The outbox unit by unit: title, files, previews, video, SMS with its cost."""
    units = sorted(load_content(project.root, project.content_dir).units,
                   key=lambda u: (u.publish, u.id), reverse=True)
    files = {unit: [f"{channel}/{item.path}" for channel, item in found]
             for unit, found in unit_files(project.outbox_dir, ("print", "video")).items()}
    messages = dict(read_messages(project.outbox_dir) or [])
    parts = [f"<!doctype html><html lang=vi><meta charset=utf-8>"
             f"<meta name=viewport content='width=device-width,initial-scale=1'>"
             f"<title>Outbox</title><style>{STYLE}</style>"
             f"<h1>{html.escape(project.settings.organisation.name)}: outbox</h1>"
             f"<p class=meta>Feeds: <a href='/rss/feed.xml'>rss/feed.xml</a> · "
             f"SMS: <a href='/sms/messages.csv'>sms/messages.csv</a></p>"]
    for unit in units:
        parts.append(_unit_section(unit.id, unit.title, unit.kind,
                                   f"{unit.publish:%d/%m/%Y}", files.get(unit.id, []),
                                   messages.get(unit.id)))
    return "".join(parts).encode("utf-8")


def _unit_section(unit_id: str, title: str, kind: str, day: str, files: list[str],
                  message: str | None) -> str:
    def link(path: str) -> str:
        name = path.rsplit("/", 1)[-1]
        label = name.removeprefix(f"{unit_id}-").removeprefix(f"{unit_id}.")
        return f"<a href='/{html.escape(path)}'>{html.escape(label)}</a>"

    previews = [f for f in files if f.startswith("print/") and f.endswith(".png")]
    clips = [f for f in files if f.endswith(".mp4")]
    tracks = [f for f in files if f.endswith(".vtt")]
    html_parts = [f"<section id='{html.escape(unit_id)}'><h2>{html.escape(title)}</h2>"
                  f"<div class=meta>{html.escape(kind)} · {day} · {html.escape(unit_id)}</div>",
                  "<div class=files>" + " ".join(link(f) for f in files) + "</div>"]
    if previews:
        html_parts.append("<div class=previews>" + "".join(
            f"<img loading=lazy alt='' src='/{html.escape(f)}'>" for f in previews) + "</div>")
    for clip in clips[:1]:
        poster = clip.removesuffix(".mp4") + ".jpg"
        track = f"<track kind=subtitles srclang=vi src='/{html.escape(tracks[0])}' default>" \
            if tracks else ""
        html_parts.append(f"<video controls preload=none poster='/{html.escape(poster)}' "
                          f"src='/{html.escape(clip)}'>{track}</video>")
    if message is not None:
        price = cost(message)
        html_parts.append(f"<div class=meta>SMS: {price.encoding}, {price.units} units, "
                          f"{price.segments} segment(s)</div>"
                          f"<div class=sms>{html.escape(message)}</div>")
    return "".join(html_parts) + "</section>"


