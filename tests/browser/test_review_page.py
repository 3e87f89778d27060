"""The review page in a real browser: Debian's chromium driven by Playwright.

The page loads in Vietnamese with no console error and fits a phone; a clip plays;
an edit saved on disk reloads the page with the new preview, in its place; a problem
shows beside its unit at once; the filters work with a tap. Skipped only where no
chromium binary is installed (`.ci/run` installs Debian's package; Playwright never
downloads a browser here).
"""

from __future__ import annotations

import subprocess
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest

from tests.browser.chromium import CHROMIUM, NEEDED, watched_page
from toolkit import i18n
from toolkit.live import Listener, Live
from toolkit.project import open_project
from toolkit.serve import make_server

pytestmark = NEEDED

if CHROMIUM is not None:
    from playwright.sync_api import Browser, Page

TODAY = date(2021, 3, 31)
CLIP = "khai-sinh/khai-sinh-16x9.mp4"
PHONE = {"width": 375, "height": 800}
DESKTOP = {"width": 1280, "height": 900}


@dataclass
class Site:
    """The project served with its live loop, and a page listening to the loop."""

    url: str
    project: Path
    live: Live
    listener: Listener

    def built(self, within: float = 15.0) -> None:
        """Wait for the loop's next build to be over."""
        deadline = time.monotonic() + within
        while time.monotonic() < deadline:
            message = self.listener.next(0.1)
            if message is not None and message.startswith(b"event: reload\n"):
                return
        raise AssertionError("the live loop did not rebuild")

    def edit(self, old: str, new: str) -> None:
        path = self.project / "content" / "khai-sinh.md"
        path.write_text(path.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")


def tiny_clip(path: Path) -> None:
    """A two-second H.264 clip (ffmpeg's test pattern): enough for a player to play."""
    import imageio_ffmpeg

    path.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run([imageio_ffmpeg.get_ffmpeg_exe(), "-v", "error", "-y", "-f", "lavfi", "-i",
                    "testsrc=size=320x180:rate=25:duration=2", "-pix_fmt", "yuv420p",
                    "-c:v", "libx264", "-movflags", "+faststart", str(path)], check=True)


@pytest.fixture
def site(project: Path) -> Iterator[Site]:
    clip = project / "outbox" / "video" / CLIP
    tiny_clip(clip)
    (project / "outbox" / "video" / "manifest.json").write_text(
        '{"channel": "video", "items": [{"unit": "khai-sinh", "path": "' + CLIP + '", '
        f'"sha256": "x", "bytes": {clip.stat().st_size}, "inputs": "x", "product": "video"}}]}}',
        encoding="utf-8")
    i18n.use("vi")
    live = Live(open_project(project), ("print", "sms", "rss"), TODAY, log=lambda line: None)
    httpd = make_server(open_project(project), "127.0.0.1", 0, live=live, today=TODAY)
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05},
                              daemon=True)
    thread.start()
    with live.events.listen() as listener:
        assert listener is not None
        served = Site(f"http://127.0.0.1:{httpd.server_address[1]}/", project, live, listener)
        live.start()
        served.built()
        yield served
    live.close()
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture
def errors() -> list[str]:
    return []


def open_page(browser: Browser, url: str, errors: list[str], viewport: dict[str, int]) -> Page:
    """A tab on `url`; console errors and uncaught exceptions land in `errors`."""
    page: Page = watched_page(browser, viewport, errors)
    page.goto(url)
    page.wait_for_load_state("load")
    return page


def test_the_page_is_vietnamese_fits_a_phone_and_has_no_error(site: Site, browser: Browser,
                                                              errors: list[str]) -> None:
    page = open_page(browser, site.url, errors, PHONE)
    page.wait_for_timeout(300)  # the event stream opens
    assert page.evaluate("document.documentElement.lang") == "vi"
    assert "duyệt bài trước khi đăng" in page.inner_text("h1")
    assert "Đã cập nhật lúc" in page.inner_text("#live")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    images = page.locator("img")
    assert images.count() >= 8  # leaflets and posters of two units
    for index in range(images.count()):
        image = images.nth(index)
        image.scroll_into_view_if_needed()
        assert image.get_attribute("alt"), image.get_attribute("src")
        image.evaluate("img => img.decode()")
        assert image.evaluate("img => img.naturalWidth") > 0
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert errors == []
    page.close()


def test_a_clip_plays_without_a_second_set_of_subtitles(site: Site, browser: Browser,
                                                         errors: list[str]) -> None:
    page = open_page(browser, site.url, errors, DESKTOP)
    assert page.locator("track").count() == 0
    video = page.locator("#khai-sinh video")
    video.scroll_into_view_if_needed()
    video.evaluate("v => { v.muted = true; return v.play(); }")
    page.wait_for_function("document.querySelector('#khai-sinh video').currentTime > 0.3",
                           timeout=10_000)
    assert video.evaluate("v => v.videoWidth") == 320
    assert errors == []
    page.close()


def test_an_edit_on_disk_reloads_the_page_with_the_new_preview(site: Site, browser: Browser,
                                                               errors: list[str]) -> None:
    page = open_page(browser, site.url, errors, DESKTOP)
    page.wait_for_timeout(300)  # the event stream opens
    preview = page.locator("#khai-sinh .previews img").first
    preview.scroll_into_view_if_needed()
    preview.evaluate("img => img.decode()")
    before = preview.screenshot()
    where = page.evaluate("window.scrollY")
    assert where > 0
    site.edit("Đăng ký khai sinh trực tuyến", "Đăng ký khai tử trực tuyến")
    saved = time.monotonic()
    page.wait_for_function("document.querySelector('#khai-sinh h2').textContent"
                           ".includes('khai tử')", timeout=10_000)
    took = time.monotonic() - saved
    page.wait_for_load_state("load")
    preview = page.locator("#khai-sinh .previews img").first
    preview.evaluate("img => img.decode()")
    assert preview.screenshot() != before  # the new leaflet, not the one cached
    assert abs(page.evaluate("window.scrollY") - where) < 50  # the page kept its place
    assert took < 5.0, f"{took:.2f} s from the save to the new page"
    assert errors == []
    page.close()


def test_a_problem_shows_beside_its_unit_at_once(site: Site, browser: Browser,
                                                 errors: list[str]) -> None:
    page = open_page(browser, site.url, errors, DESKTOP)
    page.wait_for_timeout(300)
    site.edit("publish: 2021-02-09", "publish: 2021-02-30")
    page.wait_for_selector("#khai-sinh .problems", timeout=10_000)
    assert "2021-02-30" in page.inner_text("#khai-sinh .problems")
    assert "có lỗi" in page.inner_text("#khai-sinh .badge.broken")
    site.edit("publish: 2021-02-30", "publish: 2021-02-09")
    page.wait_for_selector("#khai-sinh .problems", state="detached", timeout=10_000)
    assert errors == []
    page.close()


def test_the_filters_work_with_a_tap(site: Site, browser: Browser, errors: list[str]) -> None:
    page = open_page(browser, site.url, errors, PHONE)
    with page.expect_navigation():
        page.select_option("select[name=kind]", "notice")
    assert "kind=notice" in page.url
    assert page.locator("section.unit").count() == 1
    assert page.locator("section#tong-dai-1022").count() == 1
    page.fill("input[name=q]", "khai sinh")
    with page.expect_navigation():
        page.press("input[name=q]", "Enter")
    assert page.locator("section.unit").count() == 0
    assert "Không có bài nào khớp với bộ lọc." in page.inner_text("body")
    assert errors == []
    page.close()
