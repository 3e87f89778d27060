"""Fake Facebook Graph and Zalo OA APIs on 127.0.0.1, and posts written as the social
channel writes them (DESIGN-15's post.json), for the social delivery's tests.

The fakes answer as the documented APIs do: the Graph API's error object
`{"error": {"message", "type", "code", "error_subcode", "fbtrace_id"}}` with a 4xx
(a rate limit too), the resumable video upload (start, transfer, finish) with its
offsets and subcode 1363037 for a chunk not where it is expected, the window of
scheduled_publish_time (10 minutes to 30 days); Zalo's 200 with `{"error": code}`.
Each operation can be scripted to misbehave: refuse, fail before or after doing
it, hold its answer, rate-limit.
"""

from __future__ import annotations

import email
import email.policy
import hashlib
import json
import os
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit
from zoneinfo import ZoneInfo

import pytest

from toolkit.outbox import ChannelOutbox

FB_PAGE, FB_TOKEN = "1234567890", "EAAB-fb-SECRET-token"
OA_ID, OA_TOKEN = "9876543210", "zalo-SECRET-token"
CHUNK = 1000  # the fake's video chunk


# --- posts as the social channel writes them ---------------------------------------------

def post_json(unit: str, publish: datetime, video: str | None = None,
              message: str | None = None, title: str | None = None) -> dict[str, Any]:
    """A post.json of DESIGN-15 (format 1)."""
    title = title or f"Thủ tục {unit}"
    return {
        "format": 1, "unit": unit, "title": title,
        "link": f"https://dongnai.gov.vn/{unit}",
        "publish": publish.isoformat(),
        "facebook": {"message": message or f"{title}\n\nGọi 1022 để được hướng dẫn.\n"
                                           f"https://dongnai.gov.vn/{unit}\n#HoTich #DongNai"},
        "zalo": {"title": title, "description": f"Hướng dẫn {title.lower()}.",
                 "body": [f"{title}: nộp hồ sơ trực tuyến.", "Gọi 1022 để được hướng dẫn."]},
        "images": {"portrait": "card-4x5.png", "square": "card-1x1.png"},
        "video": video,
    }


def write_posts(project: Path, *posts: dict[str, Any], clip_bytes: int = 3500) -> None:
    """Write the posts, their cards (and clips) and the manifest, as a build would."""
    outbox = project / "outbox"
    social = ChannelOutbox(outbox, "social")
    for post in posts:
        unit = post["unit"]
        data = json.dumps(post, ensure_ascii=False, indent=2, sort_keys=True).encode()
        social.write(f"{unit}/post.json", data, unit, "x", "post")
        for name, size in (("card-4x5.png", 2400), ("card-1x1.png", 1800)):
            social.write(f"{unit}/{name}", _png(unit + name, size), unit, "x", "card")
        if post["video"]:
            clip = outbox / post["video"]
            clip.parent.mkdir(parents=True, exist_ok=True)
            clip.write_bytes(_bytes(unit, clip_bytes))
    social.save()


def rewrite(project: Path, unit: str, data: bytes) -> None:
    """Put other bytes in a post.json, listed in the manifest as a build would list them."""
    social = ChannelOutbox(project / "outbox", "social")
    social.write(f"{unit}/post.json", data, unit, "y", "post")
    social.save()


def _png(seed: str, size: int) -> bytes:
    return b"\x89PNG\r\n\x1a\n" + _bytes(seed, size - 8)


def _bytes(seed: str, size: int) -> bytes:
    out = bytearray()
    block = seed.encode()
    while len(out) < size:
        block = hashlib.sha256(block).digest()
        out += block
    return bytes(out[:size])


def hours(n: float) -> datetime:
    """A moment `n` hours from now, in Vietnam's time as a post says it."""
    return (datetime.now(UTC) + timedelta(hours=n)).astimezone(
        ZoneInfo("Asia/Ho_Chi_Minh")).replace(microsecond=0)


# --- a scripted HTTP server --------------------------------------------------------------

@dataclass
class Scripted:
    """What both fakes share: a script of actions per operation, the requests seen."""

    script: dict[str, list[str]] = field(default_factory=dict)
    requests: list[tuple[str, str, str]] = field(default_factory=list)  # method, op, path
    lock: threading.Lock = field(default_factory=threading.Lock)
    port: int = 0

    def action(self, method: str, op: str, path: str) -> str:
        with self.lock:
            self.requests.append((method, op, path))
            queue = self.script.get(op, [])
            return queue.pop(0) if queue else "ok"

    def count(self, op: str) -> int:
        return sum(1 for _m, o, _p in self.requests if o == op)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"


class Handler(BaseHTTPRequestHandler):
    """Hands each request to the fake's `handle(method, path, query, headers, form)`,
    which returns (status, body, headers) or None to close without an answer."""

    fake: Any

    def do_GET(self) -> None:
        self._answer("GET")

    def do_POST(self) -> None:
        self._answer("POST")

    def _answer(self, method: str) -> None:
        parts = urlsplit(self.path)
        body = self.rfile.read(int(self.headers.get("Content-Length", "0") or 0))
        form = parse_form(self.headers.get("Content-Type", ""), body)
        query = {k: v[0] for k, v in parse_qs(parts.query).items()}
        answer = self.fake.handle(method, parts.path, query, self.headers, form)
        if answer is None:
            self.close_connection = True
            return
        status, payload, extra = answer
        data = json.dumps(payload).encode()
        try:
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            for name, value in extra.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(data)
        except OSError:
            pass

    def log_message(self, *args: object) -> None:
        pass


def parse_form(content_type: str, body: bytes) -> dict[str, Any]:
    """The fields of a form (multipart: files as bytes) or of a JSON body."""
    if content_type.startswith("multipart/form-data"):
        message = email.message_from_bytes(
            b"Content-Type: " + content_type.encode() + b"\r\n\r\n" + body,
            policy=email.policy.HTTP)
        fields: dict[str, Any] = {}
        for part in message.iter_parts():
            name = str(part.get_param("name", header="content-disposition"))
            payload: Any = part.get_payload(decode=True)
            fields[name] = payload if part.get_filename() else payload.decode()
        return fields
    if content_type.startswith("application/x-www-form-urlencoded"):
        return {k: v[0] for k, v in parse_qs(body.decode()).items()}
    if content_type.startswith("application/json"):
        return json.loads(body or b"{}")
    return {}


def serve(fake: Any) -> ThreadingHTTPServer:
    handler = type("FakeHandler", (Handler,), {"fake": fake})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05},
                     daemon=True).start()
    fake.port = server.server_address[1]
    return server


def _timed(action: str, default: float) -> float:
    return float(action.partition(":")[2] or default)


# --- the Graph API -------------------------------------------------------------------------

@dataclass
class Video:
    id: str
    session: str
    size: int
    received: bytearray = field(default_factory=bytearray)
    finished: bool = False
    description: str = ""
    title: str = ""
    scheduled: int | None = None


@dataclass
class FakeGraph(Scripted):
    """A Page on the Graph API: photo posts, resumable video uploads, listings."""

    photos: list[dict[str, Any]] = field(default_factory=list)
    videos: dict[str, Video] = field(default_factory=dict)
    serial: int = 100
    transferred: int = 0  # bytes of chunks taken

    def posts(self) -> int:
        """How many posts the Page has (published or scheduled)."""
        return len(self.photos) + sum(1 for v in self.videos.values() if v.finished)

    def handle(self, method: str, path: str, query: dict[str, str], headers: Any,
               form: dict[str, Any]) -> tuple[int, Any, dict[str, str]] | None:
        parts = [p for p in path.split("/") if p]
        op = self._op(method, parts, form)
        action = self.action(method, op, path)
        if headers.get("Authorization") != f"Bearer {FB_TOKEN}":
            return _error(400, 190, "Invalid OAuth access token - Cannot parse access token")
        before = _before(action)
        if before is not None:
            return before
        if action.startswith("drop"):
            time.sleep(_timed(action, 1.0))
            return None
        if len(parts) >= 2 and parts[-2] != FB_PAGE and op != "video-get":
            return _error(400, 100, "(#100) Unsupported post request.")
        answer = self._do(op, parts, query, form, action)
        if action.startswith(("hold", "accept-hang")):
            time.sleep(_timed(action, 1.0))
        if action == "500-after":
            return _error(500, 2, "An unexpected error has occurred. Please retry your request "
                                  "later.", transient=True)
        if action == "cut":
            return None
        return answer

    def _op(self, method: str, parts: list[str], form: dict[str, Any]) -> str:
        edge = parts[-1] if parts else ""
        if edge == "videos" and method == "POST":
            return str(form.get("upload_phase", "?"))
        if method == "GET" and edge in ("photos", "scheduled_posts"):
            return "list"
        if method == "GET":
            return "video-get"
        return "photo" if edge == "photos" else "?"

    def _next(self) -> str:
        with self.lock:
            self.serial += 1
            return str(self.serial)

    def _do(self, op: str, parts: list[str], query: dict[str, str], form: dict[str, Any],
            action: str) -> tuple[int, Any, dict[str, str]]:
        if op == "photo":
            return self._photo(form)
        if op == "list":
            return self._list(parts[-1])
        if op == "video-get":
            video = self.videos.get(parts[-1])
            if video is None:
                return _error(400, 100, f"Unsupported get request. Object with ID '{parts[-1]}' "
                                        "does not exist")
            return 200, {"id": video.id, **({"description": video.description}
                                             if video.finished else {})}, {}
        if op == "start":
            size = int(form["file_size"])
            video = Video(self._next(), f"session-{self._next()}", size)
            self.videos[video.id] = video
            return 200, {"video_id": video.id, "upload_session_id": video.session,
                         "start_offset": "0", "end_offset": str(min(size, CHUNK))}, {}
        if op == "transfer":
            return self._transfer(form, action)
        if op == "finish":
            return self._finish(form)
        return _error(400, 100, "(#100) Unknown request")

    def _photo(self, form: dict[str, Any]) -> tuple[int, Any, dict[str, str]]:
        if not isinstance(form.get("source"), bytes) or not form.get("caption"):
            return _error(400, 100, "(#100) Missing source or caption")
        scheduled = _scheduled(form)
        if isinstance(scheduled, tuple):
            return scheduled
        photo_id = self._next()
        self.photos.append({"id": photo_id, "post_id": f"{FB_PAGE}_{photo_id}",
                            "name": form["caption"], "created_time": _graph_time(),
                            "scheduled": scheduled, "bytes": form["source"]})
        return 200, {"id": photo_id, "post_id": f"{FB_PAGE}_{photo_id}"}, {}

    def _list(self, edge: str) -> tuple[int, Any, dict[str, str]]:
        scheduled = edge == "scheduled_posts"
        rows = [{"id": p["post_id"] if scheduled else p["id"],
                 ("message" if scheduled else "name"): p["name"],
                 "created_time": p["created_time"]}
                for p in reversed(self.photos) if (p["scheduled"] is not None) == scheduled]
        return 200, {"data": rows, "paging": {}}, {}

    def _transfer(self, form: dict[str, Any], action: str) -> tuple[int, Any, dict[str, str]]:
        video = next((v for v in self.videos.values()
                      if v.session == form.get("upload_session_id")), None)
        if video is None or action == "expire":
            if video is not None:
                video.session = "expired"
            return _error(400, 6001, "There was a problem uploading your video. Please try "
                                     "uploading it again.", subcode=1363019)
        start, chunk = int(form["start_offset"]), form["video_file_chunk"]
        expected = len(video.received)
        if start != expected:
            return _error(400, 6001, "There was a problem uploading your video file. Please "
                                     "try again.", subcode=1363037, data={
                                         "start_offset": expected,
                                         "end_offset": min(video.size, expected + CHUNK)})
        video.received += chunk
        self.transferred += len(chunk)
        at = len(video.received)
        return 200, {"start_offset": str(at), "end_offset": str(min(video.size, at + CHUNK))}, {}

    def _finish(self, form: dict[str, Any]) -> tuple[int, Any, dict[str, str]]:
        video = next((v for v in self.videos.values()
                      if v.session == form.get("upload_session_id")), None)
        if video is None or len(video.received) != video.size:
            return _error(400, 6001, "The video upload is not complete", subcode=1363019)
        scheduled = _scheduled(form)
        if isinstance(scheduled, tuple):
            return scheduled
        video.finished, video.scheduled = True, scheduled
        video.description, video.title = form.get("description", ""), form.get("title", "")
        return 200, {"success": True}, {}

    def finished(self) -> list[Video]:
        return [v for v in self.videos.values() if v.finished]


def _scheduled(form: dict[str, Any]) -> int | tuple[int, Any, dict[str, str]] | None:
    """The scheduled time of a publishing request, as the Graph API checks it."""
    if form.get("published", "true") == "true":
        return None
    when = int(form.get("scheduled_publish_time", "0"))
    ahead = when - time.time()
    if not 600 <= ahead <= 30 * 86400:
        return _error(400, 100, "(#100) The specified scheduled publish time is invalid.")
    return when


def _graph_time() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S+0000")


def _error(status: int, code: int, message: str, subcode: int | None = None,
           data: dict[str, Any] | None = None, transient: bool = False,
           headers: dict[str, str] | None = None) -> tuple[int, Any, dict[str, str]]:
    error: dict[str, Any] = {"message": message, "type": "OAuthException", "code": code,
                             "fbtrace_id": "AbC_12-xyz"}
    if subcode is not None:
        error["error_subcode"] = subcode
    if data is not None:
        error["error_data"] = data
    if transient:
        error["is_transient"] = True
    return status, {"error": error}, headers or {}


def _before(action: str) -> tuple[int, Any, dict[str, str]] | None:
    """The answers given before anything is done: nothing is done."""
    if action == "500":
        return _error(500, 2, "An unexpected error has occurred. Please retry your request "
                              "later.", transient=True)
    if action.startswith("429"):
        return 429, {}, {"Retry-After": action.partition(":")[2] or "0"}
    if action.startswith("ratelimit:"):
        _r, code, minutes = [*action.split(":"), "0"][:3]
        usage = {FB_PAGE: [{"type": "pages", "call_count": 100, "total_cputime": 10,
                            "total_time": 10, "estimated_time_to_regain_access": int(minutes)}]}
        return _error(400, int(code), "(#32) Page request limit reached",
                      headers={"X-Business-Use-Case-Usage": json.dumps(usage)})
    if action.startswith("refuse:"):
        _r, code, message = action.split(":", 2)
        return _error(400, int(code), message)
    if action.startswith("hang"):
        time.sleep(_timed(action, 1.0))
    return None


# --- the Zalo OA API -----------------------------------------------------------------------

@dataclass
class FakeZalo(Scripted):
    """An OA on openapi.zalo.me: articles made from a token, listed newest first."""

    articles: list[dict[str, Any]] = field(default_factory=list)
    serial: int = 500
    oa_id: str = OA_ID

    def handle(self, method: str, path: str, query: dict[str, str], headers: Any,
               form: dict[str, Any]) -> tuple[int, Any, dict[str, str]] | None:
        op = path.rstrip("/").rsplit("/", 1)[-1]
        action = self.action(method, op, path)
        if headers.get("access_token") != OA_TOKEN:
            return 200, {"error": -216, "message": "Access token is invalid"}, {}
        if action == "500":
            return 500, {"error": -1, "message": "Internal error"}, {}
        if action == "rate":
            return 200, {"error": -32, "message": "Request exceeded rate limit"}, {}
        if action.startswith("refuse:"):
            _r, code, message = action.split(":", 2)
            return 200, {"error": int(code), "message": message}, {}
        if action.startswith("hang"):
            time.sleep(_timed(action, 1.0))
        if action.startswith("drop"):
            time.sleep(_timed(action, 1.0))
            return None
        answer = self._do(op, query, form)
        if action.startswith(("hold", "accept-hang")):
            time.sleep(_timed(action, 1.0))
        if action == "500-after":
            return 500, {"error": -1, "message": "Internal error"}, {}
        return answer

    def _do(self, op: str, query: dict[str, str],
            form: dict[str, Any]) -> tuple[int, Any, dict[str, str]]:
        if op == "getoa":
            return 200, {"error": 0, "message": "Success",
                         "data": {"oa_id": self.oa_id, "name": "UBND tỉnh Đồng Nai"}}, {}
        if op == "create":
            problem = _article_problem(form)
            if problem:
                return 200, {"error": -201, "message": problem}, {}
            with self.lock:
                self.serial += 1
                article = {"id": f"art{self.serial}", "token": f"tok{self.serial}",
                           "title": form["title"], "create_date": int(time.time() * 1000),
                           "status": "show", "sent": form}
                self.articles.append(article)
            return 200, {"error": 0, "message": "Success", "data": {"token": article["token"]}}, {}
        if op == "verify":
            found = next((a for a in self.articles if a["token"] == form.get("token")), None)
            if found is None:
                return 200, {"error": -201, "message": "token is invalid"}, {}
            return 200, {"error": 0, "message": "Success", "data": {"id": found["id"]}}, {}
        if op == "getslice":
            offset, limit = int(query.get("offset", 0)), min(10, int(query.get("limit", 10)))
            newest = list(reversed(self.articles))[offset:offset + limit]
            medias = [{k: a[k] for k in ("id", "title", "create_date", "status")} for a in newest]
            return 200, {"error": 0, "message": "Success",
                         "data": {"medias": medias, "total": len(self.articles)}}, {}
        return 404, {"error": 404, "message": "empty api"}, {}


def _article_problem(form: dict[str, Any]) -> str:
    if form.get("type") != "normal" or not form.get("author") or len(form["author"]) > 50:
        return "author is invalid"
    if not form.get("title") or len(form["title"]) > 150:
        return "title is invalid"
    if not form.get("description") or len(form["description"]) > 300:
        return "description is invalid"
    cover = form.get("cover") or {}
    if cover.get("cover_type") != "photo" or not str(cover.get("photo_url", "")).startswith(
            "https://"):
        return "cover is invalid"
    if not form.get("body") or not all(b.get("type") == "text" for b in form["body"]):
        return "body is invalid"
    return ""


# --- the fakes running, with the environment pointing at them ---------------------------------

def running_graph(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeGraph]:
    """The Graph API on 127.0.0.1, with the Page's id and token in the environment (for a
    fixture: yield from it)."""
    fake = FakeGraph()
    server = serve(fake)
    monkeypatch.setenv("TOOLKIT_FACEBOOK_API_URL", f"{fake.url}/v25.0")
    monkeypatch.setenv("TOOLKIT_FACEBOOK_PAGE_ID", FB_PAGE)
    monkeypatch.setenv("TOOLKIT_FACEBOOK_PAGE_TOKEN", FB_TOKEN)
    yield fake
    server.shutdown()
    server.server_close()


def running_oa(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeZalo]:
    """Zalo's OA API on 127.0.0.1, with the OA's id and token in the environment."""
    fake = FakeZalo()
    server = serve(fake)
    monkeypatch.setenv("TOOLKIT_ZALO_API_URL", fake.url)
    monkeypatch.setenv("TOOLKIT_ZALO_OA_ID", OA_ID)
    monkeypatch.setenv("TOOLKIT_ZALO_OA_TOKEN", OA_TOKEN)
    yield fake
    server.shutdown()
    server.server_close()


def unset_pages(monkeypatch: pytest.MonkeyPatch) -> None:
    """No page set in the environment, whatever the machine has."""
    for name in list(os.environ):
        if name.startswith(("TOOLKIT_FACEBOOK_", "TOOLKIT_ZALO_")):
            monkeypatch.delenv(name)


def fast(project: Path, **values: object) -> None:
    """Quick retries and short deadlines in toolkit.toml's [delivery]."""
    toml = project / "toolkit.toml"
    lines = toml.read_text(encoding="utf-8").splitlines()
    wanted = {"backoff_s": 0.01, "timeout_s": 0.5, "retries": 3, **values}
    for name, value in wanted.items():
        at = [i for i, line in enumerate(lines) if line.startswith(f"{name} =")]
        lines[at[0]] = f"{name} = {json.dumps(value)}"
    toml.write_text("\n".join(lines) + "\n", encoding="utf-8")
