"""Serving the outbox: types, 200, 304, 404, ranges, no way out of the outbox or the preview
area, the page, its events, and a port that is taken."""

from __future__ import annotations

import http.client
import socket
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from toolkit.commands import UserError
from toolkit.commands.serve import serve
from toolkit.live import Live
from toolkit.project import open_project
from toolkit.serve import byte_range, make_server

Run = Callable[..., tuple[int, str, str]]


@pytest.fixture
def server(project: Path, run: Run) -> Iterator[tuple[str, int, Path]]:
    for channel in ("rss", "sms"):
        assert run("build", "--project", str(project), "--channel", channel,
                   "--today", "2021-03-31")[0] == 0
    clip = project / "outbox" / "video" / "khai-sinh" / "khai-sinh-16x9.mp4"
    clip.parent.mkdir(parents=True)
    clip.write_bytes(bytes(range(256)) * 40)
    (project / "outbox" / "video" / "manifest.json").write_text(
        '{"channel": "video", "items": [{"unit": "khai-sinh", "path": '
        '"khai-sinh/khai-sinh-16x9.mp4", "sha256": "x", "bytes": 10240, "inputs": "x", '
        '"product": "video"}]}',
        encoding="utf-8")
    (project / "outbox" / "rss" / ".partial-x").write_bytes(b"half")
    httpd = make_server(open_project(project), "127.0.0.1", 0)
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05},
                              daemon=True)
    thread.start()
    yield "127.0.0.1", httpd.server_address[1], project
    httpd.shutdown()
    httpd.server_close()


def get(server: tuple[str, int, Path], path: str, method: str = "GET",
        **headers: str) -> http.client.HTTPResponse:
    connection = http.client.HTTPConnection(server[0], server[1], timeout=5)
    connection.request(method, path, headers={k.replace("_", "-"): v
                                              for k, v in headers.items()})
    response = connection.getresponse()
    response.body = response.read()  # type: ignore[attr-defined]
    return response


@pytest.mark.parametrize("path, kind", [
    ("/rss/feed.xml", "application/rss+xml; charset=utf-8"),
    ("/sms/messages.csv", "text/csv; charset=utf-8"),
    ("/video/khai-sinh/khai-sinh-16x9.mp4", "video/mp4"),
    ("/rss/manifest.json", "application/json; charset=utf-8"),
])
def test_files_come_with_their_type(server, path: str, kind: str) -> None:  # type: ignore[no-untyped-def]
    response = get(server, path)
    assert response.status == 200
    assert response.getheader("Content-Type") == kind
    assert response.body == (server[2] / "outbox" / path.lstrip("/")).read_bytes()


def test_a_conditional_get_answers_304(server) -> None:  # type: ignore[no-untyped-def]
    first = get(server, "/rss/feed.xml")
    etag, modified = first.getheader("ETag"), first.getheader("Last-Modified")
    assert etag and modified
    again = get(server, "/rss/feed.xml", If_None_Match=etag)
    assert (again.status, again.body) == (304, b"")
    since = get(server, "/rss/feed.xml", If_Modified_Since=modified)
    assert since.status == 304
    stale = get(server, "/rss/feed.xml", If_None_Match='"other"')
    assert stale.status == 200


def test_ranges_for_video(server) -> None:  # type: ignore[no-untyped-def]
    data = (server[2] / "outbox" / "video" / "khai-sinh" / "khai-sinh-16x9.mp4").read_bytes()
    part = get(server, "/video/khai-sinh/khai-sinh-16x9.mp4", Range="bytes=100-199")
    assert part.status == 206
    assert part.getheader("Content-Range") == f"bytes 100-199/{len(data)}"
    assert part.body == data[100:200]
    tail = get(server, "/video/khai-sinh/khai-sinh-16x9.mp4", Range="bytes=-16")
    assert (tail.status, tail.body) == (206, data[-16:])
    open_end = get(server, "/video/khai-sinh/khai-sinh-16x9.mp4", Range="bytes=10000-")
    assert open_end.body == data[10000:]
    beyond = get(server, "/video/khai-sinh/khai-sinh-16x9.mp4", Range="bytes=99999-")
    assert beyond.status == 416
    assert get(server, "/video/khai-sinh/khai-sinh-16x9.mp4").getheader("Accept-Ranges") == "bytes"


@pytest.mark.parametrize("header, size, span", [
    ("bytes=0-99", 1000, range(0, 100)),
    ("bytes=900-", 1000, range(900, 1000)),
    ("bytes=990-2000", 1000, range(990, 1000)),  # an end past the file is its end
    ("bytes=-10", 1000, range(990, 1000)),
    ("bytes=-5000", 1000, range(0, 1000)),  # a suffix longer than the file is all of it
    ("bytes=1000-", 1000, range(0)),  # unsatisfiable: 416
    ("bytes=-0", 1000, range(0)),
    ("bytes=0-", 0, range(0)),
    ("bytes=0-1,5-6", 1000, None),  # ignored: the whole file, 200
    ("items=0-5", 1000, None),
    ("bytes=5-2", 1000, None),
])
def test_byte_range(header: str, size: int, span: range | None) -> None:
    assert byte_range(header, size) == span


def test_head_has_no_body(server) -> None:  # type: ignore[no-untyped-def]
    response = get(server, "/rss/feed.xml", method="HEAD")
    assert response.status == 200 and response.body == b""
    assert int(response.getheader("Content-Length")) > 0


@pytest.mark.parametrize("path", [
    "/missing.xml", "/rss/", "/../toolkit.toml", "/%2e%2e/toolkit.toml",
    "/rss/%2e%2e/%2e%2e/toolkit.toml", "/rss/..%2f..%2ftoolkit.toml", "/%2fetc%2fpasswd",
    "/rss/.partial-x", "/rss/%00feed.xml", "/rss\\..\\..\\toolkit.toml",
])
def test_nothing_outside_the_outbox_or_missing_is_served(server, path: str) -> None:  # type: ignore[no-untyped-def]
    response = get(server, path)
    assert response.status == 404
    assert b"project" not in response.body and b"[organisation]" not in response.body


def test_the_review_page_lists_units_files_and_sms(server) -> None:  # type: ignore[no-untyped-def]
    page = get(server, "/")
    assert page.status == 200
    text = page.body.decode("utf-8")
    assert "<meta name=viewport" in text
    assert "Đăng ký khai sinh trực tuyến" in text
    assert "src='/video/khai-sinh/khai-sinh-16x9.mp4'" in text
    assert "SMS: GSM-7" in text and "Dang ky khai sinh truc tuyen" in text


def test_one_access_log_line_per_request(server, capsys) -> None:  # type: ignore[no-untyped-def]
    capsys.readouterr()
    get(server, "/rss/feed.xml")
    get(server, "/missing")
    lines = capsys.readouterr().err.strip().splitlines()
    assert len(lines) == 2
    assert '"GET /rss/feed.xml HTTP/1.1" 200' in lines[0]
    assert '"GET /missing HTTP/1.1" 404' in lines[1]


@pytest.fixture
def drafts(server) -> Path:  # type: ignore[no-untyped-def]
    """A draft's preview in the preview area."""
    folder = server[2] / ".toolkit-cache" / "preview" / "print" / "khai-sinh"
    folder.mkdir(parents=True)
    (folder / "khai-sinh-leaflet-1.png").write_bytes(b"\x89PNG draft")
    return folder


def test_the_preview_area_is_served_under_preview(server, drafts: Path) -> None:  # type: ignore[no-untyped-def]
    response = get(server, "/preview/print/khai-sinh/khai-sinh-leaflet-1.png")
    assert (response.status, response.body) == (200, b"\x89PNG draft")
    assert response.getheader("Content-Type") == "image/png"
    assert get(server, "/print/khai-sinh/khai-sinh-leaflet-1.png").status == 404


@pytest.mark.parametrize("path", [
    "/preview/../toolkit.toml", "/preview/%2e%2e/%2e%2e/toolkit.toml", "/preview/../lock",
    "/preview/..%2f..%2ftoolkit.toml", "/preview/print/../../../toolkit.toml",
    "/.toolkit-cache/preview/print/khai-sinh/khai-sinh-leaflet-1.png", "/preview/",
    "/preview", "/preview/print/%00x", "/preview/.hidden",
])
def test_nothing_outside_the_preview_area_is_served(server, drafts: Path, path: str) -> None:  # type: ignore[no-untyped-def]
    (drafts.parent.parent / ".hidden").write_bytes(b"no")
    assert get(server, path).status == 404


def test_the_page_is_filtered_by_its_query(server) -> None:  # type: ignore[no-untyped-def]
    text = get(server, "/?kind=notice").body.decode("utf-8")
    assert "id='tong-dai-1022'" in text and "id='khai-sinh'" not in text
    assert "<option value='notice' selected>" in text


def test_without_a_live_loop_there_are_no_events(server) -> None:  # type: ignore[no-untyped-def]
    assert get(server, "/events").status == 404
    assert "new EventSource" in get(server, "/").body.decode("utf-8")  # the script is inert
    assert "data-generation=''" in get(server, "/").body.decode("utf-8")


@pytest.fixture
def live_server(project: Path) -> Iterator[tuple[str, int, Live]]:
    """A server with a live loop that is not started: events come from the test."""
    live = Live(open_project(project), ("sms",), log=lambda line: None)
    httpd = make_server(open_project(project), "127.0.0.1", 0, live=live)
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05},
                              daemon=True)
    thread.start()
    yield "127.0.0.1", httpd.server_address[1], live
    live.close()
    httpd.shutdown()
    httpd.server_close()


def test_the_page_listens_to_the_live_loop(live_server) -> None:  # type: ignore[no-untyped-def]
    host, port, live = live_server
    connection = http.client.HTTPConnection(host, port, timeout=5)
    connection.request("GET", "/events")
    stream = connection.getresponse()
    assert stream.status == 200
    assert stream.getheader("Content-Type") == "text/event-stream; charset=utf-8"
    assert stream.getheader("Cache-Control") == "no-cache"
    assert stream.fp is not None
    assert stream.fp.readline() == b"retry: 2000\n"
    assert stream.fp.readline() == b"\n"
    assert stream.fp.readline() == b"event: hello\n"
    assert stream.fp.readline() == f"data: {live.generation}\n".encode()
    assert stream.fp.readline() == b"\n"
    live.events.publish("reload", "next")
    assert stream.fp.readline() == b"event: reload\n"
    assert stream.fp.readline() == b"data: next\n"
    live.events.close()  # the server stops: the stream ends
    assert stream.fp.readline() == b"\n"
    assert stream.fp.readline() == b""
    connection.close()
    page = get((host, port, Path()), "/").body.decode("utf-8")
    assert f"data-generation='{live.generation}'" in page and "<p id=live" in page


def test_head_of_the_events_is_only_headers(live_server) -> None:  # type: ignore[no-untyped-def]
    host, port, live = live_server
    response = get((host, port, Path()), "/events", method="HEAD")
    assert response.status == 200 and response.body == b""
    assert live.events.listeners == 0


def test_a_port_in_use_is_named_with_what_to_do(project: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        with pytest.raises(UserError) as refused:
            serve(project, "127.0.0.1", port, lambda line: None)
    message = str(refused.value)
    assert f"port {port} is already in use" in message and "--port" in message
    assert ": :" not in message


def test_a_host_that_is_not_ours_is_said(project: Path) -> None:
    with pytest.raises(UserError) as refused:
        serve(project, "203.0.113.7", 0, lambda line: None, watch=False)
    assert "--host 203.0.113.7: not an address of this computer" in str(refused.value)
