"""The waiting-room screen in a real browser: Debian's chromium driven by Playwright.

Tiny H.264 clips (ffmpeg's test pattern, 1.2 s, 16:9) stand for the units' clips. The
page starts them by itself, muted, full window, with no controls; plays them in the
playlist's order and moves on at each end, round again; skips a clip that does not
load; picks up a new clip, and drops an expired one, without a reload; says calmly
that nothing is live. Skipped only where no chromium binary is installed.
"""

from __future__ import annotations

import json
import subprocess
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest

from tests.browser.chromium import CHROMIUM, NEEDED, watched_page
from tests.test_screen import Run, write_clips
from toolkit import i18n
from toolkit.project import open_project
from toolkit.review import screen
from toolkit.serve import OutboxServer, make_server

pytestmark = NEEDED

if CHROMIUM is not None:
    from playwright.sync_api import Browser, Page

TODAY = date(2021, 3, 31)
SCREEN = {"width": 960, "height": 540}
# Newest first: tan-phong (26/02), khai-sinh (09/02), tong-dai-1022 (08/02).
ORDER = ["tan-phong", "khai-sinh", "tong-dai-1022"]
# What the page saw: each clip as it starts playing, and every element's state.
WATCH = """(() => { window.started = [];
document.addEventListener('playing', e => window.started.push(
  new URL(e.target.currentSrc).pathname.split('/')[2]), true); })()"""


def tiny_clip(colour: str, path: Path) -> bytes:
    """A 1.2-second 16:9 H.264 clip of one colour, encoded as the channel's clips are
    (yuv420p, moov first)."""
    import imageio_ffmpeg

    subprocess.run([imageio_ffmpeg.get_ffmpeg_exe(), "-v", "error", "-y", "-f", "lavfi", "-i",
                    f"color=c={colour}:size=320x180:rate=25:duration=1.2", "-pix_fmt",
                    "yuv420p", "-c:v", "libx264", "-movflags", "+faststart", str(path)],
                   check=True)
    return path.read_bytes()


@pytest.fixture(scope="module")
def clips(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    folder = tmp_path_factory.mktemp("clips")
    return {unit: tiny_clip(colour, folder / f"{unit}.mp4")
            for unit, colour in zip(ORDER, ["red", "green", "blue"], strict=True)}


@dataclass
class Screen:
    """The project served, with the day the server judges by."""

    url: str
    project: Path
    httpd: OutboxServer

    def judge_as_of(self, day: date) -> None:
        self.httpd.RequestHandlerClass.today = day  # type: ignore[attr-defined]


@pytest.fixture
def served(project: Path, run: Run, monkeypatch: pytest.MonkeyPatch) -> Iterator[Screen]:
    monkeypatch.setattr(screen, "POLL_SECONDS", 1)
    assert run("build", "--project", str(project), "--channel", "sms",
               "--today", TODAY.isoformat())[0] == 0
    i18n.use("vi")
    httpd = make_server(open_project(project), "127.0.0.1", 0, today=TODAY)
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05},
                              daemon=True)
    thread.start()
    yield Screen(f"http://127.0.0.1:{httpd.server_address[1]}/screen", project, httpd)
    httpd.shutdown()
    httpd.server_close()


def open_screen(browser: Browser, url: str, errors: list[str]) -> Page:
    page: Page = watched_page(browser, SCREEN, errors)
    page.add_init_script(WATCH)
    page.goto(url)
    return page


def started(page: Page, count: int, timeout: float = 15_000) -> list[str]:
    page.wait_for_function(f"window.started.length >= {count}", timeout=timeout)
    return list(page.evaluate("window.started"))[:count]


def test_the_clips_play_in_order_one_after_the_other_and_round_again(
        served: Screen, browser: Browser, clips: dict[str, bytes]) -> None:
    write_clips(served.project, clips)
    errors: list[str] = []
    page = open_screen(browser, served.url, errors)
    assert started(page, 4) == [*ORDER, ORDER[0]]
    video = page.locator("#clip")
    assert video.evaluate("v => v.muted && !v.controls && v.videoWidth === 320")
    assert video.bounding_box() == {"x": 0, "y": 0, **SCREEN}
    assert video.evaluate("v => getComputedStyle(v).objectFit") == "contain"
    assert page.evaluate("getComputedStyle(document.body).cursor") == "none"
    assert page.evaluate("getComputedStyle(document.body).backgroundColor") == "rgb(0, 0, 0)"
    assert page.locator("#idle").is_hidden()
    assert errors == []
    page.close()


def test_a_clip_that_does_not_load_is_skipped(served: Screen, browser: Browser,
                                               clips: dict[str, bytes]) -> None:
    write_clips(served.project, {**clips, "khai-sinh": b"not a video at all"})
    errors: list[str] = []
    page = open_screen(browser, served.url, errors)
    assert started(page, 3) == ["tan-phong", "tong-dai-1022", "tan-phong"]
    page.close()


def test_a_clip_gone_from_the_server_is_skipped(served: Screen, browser: Browser,
                                                clips: dict[str, bytes]) -> None:
    write_clips(served.project, clips)
    (served.project / "outbox" / "video" / "khai-sinh" / "khai-sinh-16x9.mp4").unlink()
    page = open_screen(browser, served.url, [])
    assert started(page, 3) == ["tan-phong", "tong-dai-1022", "tan-phong"]
    page.close()


def test_with_no_live_clip_a_calm_message_until_one_comes(served: Screen, browser: Browser,
                                                          clips: dict[str, bytes]) -> None:
    errors: list[str] = []
    page = open_screen(browser, served.url, errors)
    idle = page.locator("#idle")
    idle.wait_for(state="visible", timeout=5_000)
    assert "Chưa có video nào đang đăng." in idle.inner_text()
    assert page.locator("#clip").is_hidden()
    write_clips(served.project, {"khai-sinh": clips["khai-sinh"]})
    assert started(page, 1) == ["khai-sinh"]  # within a poll, without a reload
    assert idle.is_hidden()
    assert errors == []
    page.close()


def test_new_and_expired_clips_come_and_go_without_a_reload(served: Screen, browser: Browser,
                                                            clips: dict[str, bytes]) -> None:
    write_clips(served.project, {"khai-sinh": clips["khai-sinh"]})
    page = open_screen(browser, served.url, [])
    assert started(page, 1) == ["khai-sinh"]
    write_clips(served.project, clips)  # the next loop holds all three
    page.wait_for_function("window.started.slice(-3).join() === "
                           f"'{','.join(ORDER)}'", timeout=15_000)
    served.judge_as_of(date(2030, 1, 1))
    record = served.project / "outbox" / "units.json"
    data = json.loads(record.read_bytes())
    data["units"]["tan-phong"]["expires"] = "2029-12-31"
    record.write_text(json.dumps(data), "utf-8")
    page.evaluate("window.started = []")
    page.wait_for_function("window.started.length >= 4", timeout=20_000)
    later = page.evaluate("window.started")
    assert "tan-phong" not in later[-3:]  # gone the day after it expired
    page.close()


def test_a_click_asks_for_full_screen_and_turns_the_sound_on(
        served: Screen, browser: Browser, clips: dict[str, bytes]) -> None:
    write_clips(served.project, clips)
    errors: list[str] = []
    page = open_screen(browser, served.url, errors)
    started(page, 1)
    video = page.locator("#clip")
    assert video.evaluate("v => v.muted")
    page.mouse.click(10, 10)
    assert video.evaluate("v => !v.muted")
    started(page, 2)  # the next clip keeps the sound on
    assert video.evaluate("v => !v.muted")
    assert errors == []
    page.close()
