"""The waiting-room screen: the playlist the video channel makes for signage players, the
list `/screen.json` answers, and the page of `/screen` (its playback is tested in a
browser: tests/browser/test_screen.py)."""

from __future__ import annotations

import http.client
import json
import math
import threading
from collections.abc import Callable, Iterator, Sequence
from datetime import date
from pathlib import Path
from urllib.parse import urljoin

import pytest

from toolkit import i18n
from toolkit.channels.video import (
    CHANNEL,
    PLAYLIST,
    PLAYLIST_FILE,
    VIDEO,
    VideoTemplate,
    clip_path,
    render_playlist,
    scenes,
    screen_size,
)
from toolkit.content.load import load_content
from toolkit.content.model import AnyUnit
from toolkit.jobs import Context, Job
from toolkit.project import open_project
from toolkit.review.screen import screen_list, screen_page
from toolkit.serve import make_server
from toolkit.templates import channel_template

Run = Callable[..., tuple[int, str, str]]
TODAY = date(2021, 3, 31)
NEWEST_FIRST = ["tan-phong", "khai-sinh", "tong-dai-1022"]  # published 26/02, 09/02, 08/02


def units_of(project: Path) -> list[AnyUnit]:
    return load_content(project, project / "content", remember=False).units


def context(project: Path, today: date = TODAY) -> Context[VideoTemplate]:
    return Context(open_project(project).settings,
                   channel_template(project, "video", VideoTemplate), today, project)


def playlist_job(project: Path, today: date = TODAY) -> Job:
    jobs = CHANNEL.plan(units_of(project), context(project, today))
    [job] = [j for j in jobs if j.paths == (PLAYLIST_FILE,)]
    return job


def playlist(project: Path, today: date = TODAY) -> list[str]:
    return playlist_job(project, today).render()[0].decode("utf-8").splitlines()


def uris(lines: Sequence[str]) -> list[str]:
    return [line for line in lines if line and not line.startswith("#")]


def edit(project: Path, unit: str, old: str, new: str) -> None:
    path = project / "content" / f"{unit}.md"
    path.write_text(path.read_text("utf-8").replace(old, new, 1), "utf-8")


# The playlist


def test_the_playlist_is_extended_m3u_of_the_live_landscape_clips_newest_first(
        project: Path) -> None:
    job = playlist_job(project)
    assert job.unit is None and job.files[0].product == PLAYLIST
    assert job.units == tuple(NEWEST_FIRST)
    lines = playlist(project)
    assert lines[0] == "#EXTM3U"
    assert uris(lines) == [f"{u}/{u}-16x9.mp4" for u in NEWEST_FIRST]
    titles = {u.id: u.title for u in units_of(project)}
    assert [line.split(",", 1)[1] for line in lines if line.startswith("#EXTINF:")] == [
        titles[u] for u in NEWEST_FIRST]


def test_each_entry_says_its_clip_length_in_whole_seconds_rounded_up(project: Path) -> None:
    template = context(project).template
    settings = open_project(project).settings
    lengths = {u.id: scenes(u, settings, template)[-1].end / template.fps
               for u in units_of(project)}
    said = [int(line.removeprefix("#EXTINF:").split(",")[0])
            for line in playlist(project) if line.startswith("#EXTINF:")]
    assert said == [math.ceil(lengths[u]) for u in NEWEST_FIRST]
    assert all(s >= template.timing.min_total for s in said)


def test_each_entry_is_a_clip_the_same_plan_makes_found_from_the_folder_or_over_http(
        project: Path) -> None:
    jobs = CHANNEL.plan(units_of(project), context(project))
    clips = {f.path for j in jobs for f in j.files if f.product == VIDEO}
    for uri in uris(playlist(project)):
        assert uri in clips
        assert (Path("/outbox/video") / uri).parent.parent == Path("/outbox/video")
        assert urljoin("http://portal/video/playlist.m3u8", uri) == \
            f"http://portal/video/{uri}"


def test_the_same_units_give_the_same_bytes(project: Path) -> None:
    first, second = playlist_job(project).render(), playlist_job(project).render()
    assert first == second
    assert first[0].endswith(b"\n") and b"\r" not in first[0]
    assert first[0].decode("utf-8")  # UTF-8, as .m3u8 says


def test_an_expired_unit_drops_out_on_the_day_after_it_expires(project: Path) -> None:
    edit(project, "tan-phong", "publish:", "expires: 2021-03-30\npublish:")
    assert "tan-phong/tan-phong-16x9.mp4" in uris(playlist(project, date(2021, 3, 30)))
    assert "tan-phong/tan-phong-16x9.mp4" not in uris(playlist(project, date(2021, 3, 31)))


def test_a_scheduled_unit_joins_on_its_publish_date(project: Path) -> None:
    edit(project, "tan-phong", "publish: 2021-02-26", "publish: 2021-04-02")
    assert "tan-phong/tan-phong-16x9.mp4" not in uris(playlist(project, date(2021, 4, 1)))
    assert uris(playlist(project, date(2021, 4, 2)))[0] == "tan-phong/tan-phong-16x9.mp4"


def test_a_unit_not_asking_for_video_is_not_played(project: Path) -> None:
    edit(project, "khai-sinh", "publish:", "channels: [sms]\npublish:")
    assert "khai-sinh/khai-sinh-16x9.mp4" not in uris(playlist(project))


def test_no_live_unit_gives_a_playlist_of_no_clip(project: Path) -> None:
    assert playlist(project, date(2021, 1, 1)) == ["#EXTM3U"]


def test_the_screen_plays_the_widest_landscape_size_and_none_without_one(
        project: Path) -> None:
    template = context(project).template
    assert screen_size(template) == "16x9"
    wide = template.model_copy(update={"sizes": {"4x3": (1440, 1080), "21x9": (2520, 1080),
                                                 "9x16": (1080, 1920)}})
    assert screen_size(wide) == "21x9"
    portrait = template.model_copy(update={"sizes": {"9x16": (1080, 1920)}})
    assert screen_size(portrait) is None
    assert render_playlist((), "16x9", open_project(project).settings, template) == (
        b"#EXTM3U\n",)


def test_the_build_puts_the_playlist_in_the_outbox_and_the_server_types_it(
        project: Path, run: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("toolkit.channels.video._unit_jobs", lambda *args: [])
    assert run("build", "--project", str(project), "--channel", "video",
               "--today", "2021-03-31")[0] == 0
    made = project / "outbox" / "video" / PLAYLIST_FILE
    assert uris(made.read_text("utf-8").splitlines()) == [
        clip_path(u, "16x9") for u in NEWEST_FIRST]
    manifest = json.loads((project / "outbox" / "video" / "manifest.json").read_bytes())
    [item] = manifest["items"]
    assert (item["path"], item["unit"], item["product"]) == (PLAYLIST_FILE, None, PLAYLIST)
    assert item["units"] == NEWEST_FIRST
    with served(project) as get:
        response = get(f"/video/{PLAYLIST_FILE}")
        assert response.status == 200
        assert response.getheader("Content-Type") == "audio/x-mpegurl"
        assert response.body == made.read_bytes()  # type: ignore[attr-defined]


def test_a_draft_is_in_the_preview_areas_playlist_only(project: Path, run: Run,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("toolkit.channels.video._unit_jobs", lambda *args: [])
    edit(project, "khai-sinh", "publish:", "status: draft\npublish:")
    assert run("build", "--project", str(project), "--channel", "video",
               "--today", "2021-03-31")[0] == 0
    assert "khai-sinh" not in (project / "outbox" / "video" / PLAYLIST_FILE).read_text("utf-8")
    drafts = project / ".toolkit-cache" / "preview" / "video" / PLAYLIST_FILE
    assert uris(drafts.read_text("utf-8").splitlines()) == ["khai-sinh/khai-sinh-16x9.mp4"]


# The list the screen reads


def outbox_with_clips(project: Path, run: Run, clips: dict[str, bytes],
                      posters: Sequence[str] = ()) -> None:
    """The outbox as a build leaves it (its record), with these landscape clips (by unit)
    and poster frames listed in the video manifest, without encoding a clip."""
    assert run("build", "--project", str(project), "--channel", "sms",
               "--today", "2021-03-31")[0] == 0
    write_clips(project, clips, posters)


def write_clips(project: Path, clips: dict[str, bytes], posters: Sequence[str] = ()) -> None:
    """Put these clips (and poster frames) in outbox/video and its manifest, replacing
    what it listed."""
    folder = project / "outbox" / "video"
    items = []
    for unit, data in clips.items():
        for path, product, content in [(clip_path(unit, "16x9"), VIDEO, data),
                                       (clip_path(unit, "9x16"), VIDEO, data)] + (
                [(f"{unit}/{unit}-16x9.jpg", "poster-frame", b"jpeg")] if unit in posters
                else []):
            (folder / path).parent.mkdir(parents=True, exist_ok=True)
            (folder / path).write_bytes(content)
            items.append({"unit": unit, "path": path, "sha256": "x", "bytes": len(content),
                          "inputs": "x", "product": product, "units": [unit]})
    (folder / "manifest.json").write_text(json.dumps({"channel": "video", "items": items}),
                                          "utf-8")


def listed(project: Path, today: date = TODAY) -> list[dict[str, str | None]]:
    clips: list[dict[str, str | None]] = json.loads(screen_list(open_project(project),
                                                                today))["clips"]
    return clips


def test_the_list_holds_each_live_landscape_clip_in_the_playlist_order(
        project: Path, run: Run) -> None:
    outbox_with_clips(project, run, {u: b"mp4" for u in NEWEST_FIRST}, posters=["khai-sinh"])
    titles = {u.id: u.title for u in units_of(project)}
    assert listed(project) == [
        {"src": f"/video/{u}/{u}-16x9.mp4", "title": titles[u],
         "poster": "/video/khai-sinh/khai-sinh-16x9.jpg" if u == "khai-sinh" else None}
        for u in NEWEST_FIRST]
    assert screen_list(open_project(project), TODAY) == screen_list(open_project(project),
                                                                    TODAY)


def test_the_list_is_judged_on_the_day_asked_with_no_build_between(project: Path,
                                                                     run: Run) -> None:
    edit(project, "tan-phong", "publish:", "expires: 2021-03-30\npublish:")
    edit(project, "tong-dai-1022", "publish: 2021-02-08", "publish: 2021-04-02")
    outbox_with_clips(project, run, {u: b"mp4" for u in NEWEST_FIRST})

    def ids(today: date) -> list[str | None]:
        return [c["src"] for c in listed(project, today)]

    assert ids(date(2021, 3, 30)) == ["/video/tan-phong/tan-phong-16x9.mp4",
                                      "/video/khai-sinh/khai-sinh-16x9.mp4"]
    assert ids(date(2021, 3, 31)) == ["/video/khai-sinh/khai-sinh-16x9.mp4"]
    assert ids(date(2021, 4, 2)) == ["/video/tong-dai-1022/tong-dai-1022-16x9.mp4",
                                     "/video/khai-sinh/khai-sinh-16x9.mp4"]


def test_the_list_has_only_clips_on_disk_and_no_draft(project: Path, run: Run) -> None:
    outbox_with_clips(project, run, {"khai-sinh": b"mp4"})
    edit(project, "tan-phong", "publish:", "status: draft\npublish:")
    preview = project / ".toolkit-cache" / "preview" / "video"
    preview.mkdir(parents=True)
    (preview / "manifest.json").write_text('{"channel": "video", "items": []}', "utf-8")
    assert [c["src"] for c in listed(project)] == ["/video/khai-sinh/khai-sinh-16x9.mp4"]


def test_a_broken_video_template_keeps_the_screen_playing(project: Path, run: Run) -> None:
    outbox_with_clips(project, run, {"khai-sinh": b"mp4"})
    (project / "templates" / "video").mkdir(parents=True, exist_ok=True)
    (project / "templates" / "video" / "default.toml").write_text("fps = ", "utf-8")
    assert [c["src"] for c in listed(project)] == ["/video/khai-sinh/khai-sinh-16x9.mp4"]


def test_an_outbox_never_built_lists_nothing(project: Path) -> None:
    assert listed(project) == []


# The page


def test_the_page_is_vietnamese_black_and_full_screen_with_no_controls(project: Path) -> None:
    i18n.use("vi")
    page = screen_page(open_project(project)).decode("utf-8")
    assert "<html lang=vi>" in page
    assert "Chưa có video nào đang đăng." in page
    assert "Ủy ban nhân dân tỉnh Đồng Nai" in page
    video = page[page.index("<video"):page.index("</video>")]
    for attribute in (" muted", " autoplay", " playsinline"):
        assert attribute in video
    assert "controls" not in video
    assert "background:#000" in page and "cursor:none" in page
    assert "object-fit:contain" in page
    assert "data-list='/screen.json'" in page and "data-poll='60'" in page
    assert "http" not in page.replace("http-equiv", "")  # no external script or font


def test_the_page_speaks_english_when_asked(project: Path) -> None:
    page = screen_page(open_project(project)).decode("utf-8")
    assert "<html lang=en>" in page and "No video is live yet." in page


# The server


@pytest.fixture
def get(project: Path) -> Iterator[Callable[..., http.client.HTTPResponse]]:
    with served(project) as answer:
        yield answer


class served:
    """The project's outbox served, as a `with` block giving a function that GETs."""

    def __init__(self, project: Path, today: date = TODAY) -> None:
        self.httpd = make_server(open_project(project), "127.0.0.1", 0, today=today)

    def __enter__(self) -> Callable[..., http.client.HTTPResponse]:
        threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05},
                         daemon=True).start()
        return self.get

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def get(self, path: str, method: str = "GET") -> http.client.HTTPResponse:
        connection = http.client.HTTPConnection("127.0.0.1", self.httpd.server_address[1],
                                                timeout=5)
        connection.request(method, path)
        response = connection.getresponse()
        response.body = response.read()  # type: ignore[attr-defined]
        return response


def test_the_server_answers_the_page_and_its_list(project: Path, run: Run,
                                                  get: Callable[..., http.client.HTTPResponse]
                                                  ) -> None:
    outbox_with_clips(project, run, {"khai-sinh": b"mp4"})
    page = get("/screen")
    assert page.status == 200
    assert page.getheader("Content-Type") == "text/html; charset=utf-8"
    assert b"<video id=clip" in page.body  # type: ignore[attr-defined]
    answer = get("/screen.json")
    assert answer.status == 200
    assert answer.getheader("Content-Type") == "application/json; charset=utf-8"
    assert answer.getheader("Cache-Control") == "no-cache"
    assert json.loads(answer.body)["clips"][0]["src"] == (  # type: ignore[attr-defined]
        "/video/khai-sinh/khai-sinh-16x9.mp4")
    head = get("/screen.json", method="HEAD")
    assert head.status == 200 and head.body == b""  # type: ignore[attr-defined]
    assert get("/video/khai-sinh/khai-sinh-16x9.mp4").status == 200
