"""The review page and the screen's list as `toolkit serve` keeps them
(`toolkit.review.cache`): answered from what was kept while nothing they are made of
changed, made again as soon as something did (a unit, a build, the day, the language,
what the live loop says), never kept from files changed in the last two seconds, and
made once for requests that come together."""

from __future__ import annotations

import http.client
import threading
import time
from collections.abc import Callable
from datetime import date
from itertools import count
from pathlib import Path
from typing import TypeVar

import pytest

import toolkit.review.cache as cache_module
from tests.conftest import EXAMPLE, PROCEDURE, write_unit
from toolkit import i18n
from toolkit.content import listing
from toolkit.project import open_project
from toolkit.review import Status, review_page
from toolkit.review.cache import Flights, ReviewCache
from toolkit.review.page import Review
from toolkit.serve import make_server

Run = Callable[..., tuple[int, str, str]]
T = TypeVar("T")
TODAY = date(2021, 3, 31)
QUICK = ("--channel", "sms", "--channel", "rss")
NEW_TITLE = "Khai sinh: tiêu đề mới hơn"


def build(run: Run, project: Path, *channels: str) -> None:
    status, _out, err = run("build", "--project", str(project), "--today", TODAY.isoformat(),
                            *(channels or QUICK))
    assert status == 0, err


@pytest.fixture
def settled(monkeypatch: pytest.MonkeyPatch) -> None:
    """Files count as settled at once (not two seconds after they changed), so that
    what the tests write can be kept; every edit below changes a file's size."""
    monkeypatch.setattr(listing, "SETTLED_NS", 0)


@pytest.fixture
def built(project: Path, run: Run) -> Path:
    build(run, project)
    return project


def ask(cache: ReviewCache, project: Path, query: str = "", status: Status | None = None,
        today: date = TODAY) -> bytes:
    return review_page(open_project(project), query, status, today, cache)


def retitle(project: Path, title: str = NEW_TITLE) -> None:
    write_unit(project, "khai-sinh", PROCEDURE.replace("Đăng ký khai sinh trực tuyến", title))


def test_a_kept_page_is_answered_with_the_same_bytes(built: Path, settled: None) -> None:
    cache = ReviewCache()
    first = ask(cache, built)
    assert ask(cache, built) is first  # shared, not made again
    assert cache.pages.computed == 1
    assert first == review_page(open_project(built), "", None, TODAY)  # as if not kept


def test_filters_are_applied_to_the_kept_page(built: Path, settled: None) -> None:
    cache = ReviewCache()
    for query in ("", "kind=notice", "state=live", "channel=sms", "q=khai", "kind=x", ""):
        assert ask(cache, built, query) == review_page(open_project(built), query, None,
                                                       TODAY), query
    assert cache.pages.computed == 1
    assert ask(cache, built, "kind=notice") is ask(cache, built, "kind=notice")


def test_an_edited_unit_shows_at_once(built: Path, settled: None) -> None:
    cache = ReviewCache()
    assert "Its file has changed" not in ask(cache, built).decode()
    retitle(built)
    text = ask(cache, built).decode()
    assert "Its file has changed since these files were made" in text
    assert cache.pages.computed == 2


def test_only_the_unit_that_changed_is_drawn_again(built: Path, settled: None) -> None:
    cache = ReviewCache()
    ask(cache, built)
    assert cache.sections.drawn == 3
    retitle(built)
    ask(cache, built)
    assert cache.sections.drawn == 4
    assert ask(cache, built) == review_page(open_project(built), "", None, TODAY)


def test_a_new_build_shows(built: Path, run: Run, settled: None) -> None:
    cache = ReviewCache()
    ask(cache, built)
    retitle(built)
    build(run, built)  # the manifests and the record change
    text = ask(cache, built).decode()
    assert f"<h2>{NEW_TITLE}</h2>" in text and "Its file has changed" not in text
    assert cache.pages.computed == 2


def test_files_of_an_older_version_are_said_after_a_build_of_some_channels(
        project: Path, run: Run, settled: None) -> None:
    """The area read again takes the units it knew where the record has the same
    version: the channels behind are still told from the record's versions."""
    build(run, project, "--channel", "print", *QUICK)
    cache = ReviewCache()
    assert "older version" not in ask(cache, project).decode()
    retitle(project)
    build(run, project, "--channel", "print")  # the feed and the SMS are not made again
    text = ask(cache, project).decode()
    assert text.count("made from an older version of this unit") == 2  # SMS and feed
    assert text == review_page(open_project(project), "", None, TODAY).decode()


def test_a_unit_removed_and_one_added_show(built: Path, settled: None) -> None:
    cache = ReviewCache()
    ask(cache, built)
    (built / "content" / "tan-phong.md").unlink()
    write_unit(built, "moi", EXAMPLE.replace("Một cửa hiện đại", "Một cửa mới"))
    text = ask(cache, built).decode()
    assert "Its file is gone" in text and "Nothing has been made of this unit yet." in text


def test_another_day_is_judged_again(project: Path, run: Run, settled: None) -> None:
    write_unit(project, "tan-phong", EXAMPLE.replace("publish: 2021-02-26",
                                                     "publish: 2021-04-15"))
    build(run, project)
    cache = ReviewCache()
    assert "scheduled for 15/04/2021" in ask(cache, project).decode()
    later = ask(cache, project, today=date(2021, 4, 15)).decode()
    assert "scheduled for" not in later
    assert cache.pages.computed == 2


def test_the_language_is_part_of_the_key(built: Path, settled: None) -> None:
    cache = ReviewCache()
    assert "<html lang=en>" in ask(cache, built).decode()
    i18n.use("vi")
    assert "<html lang=vi>" in ask(cache, built).decode()
    assert cache.pages.computed == 2


def test_problems_of_the_live_loop_draw_the_page_again(built: Path, settled: None) -> None:
    from toolkit.problems import Problem

    cache = ReviewCache()
    ask(cache, built, status=Status(generation="g1"))
    found = Problem("content/khai-sinh.md", 9, "steps", "is too long for the leaflet", "cut it")
    text = ask(cache, built, status=Status(problems=(found,), generation="g2")).decode()
    assert "is too long for the leaflet" in text
    assert cache.pages.computed == 2
    # what the loop is doing changes the header only
    busy = ask(cache, built, status=Status(problems=(found,), activity="Rebuilding…",
                                           busy=True, generation="g2")).decode()
    assert "Rebuilding…" in busy and cache.pages.computed == 2


def test_a_file_changed_in_the_last_two_seconds_is_never_served_stale(built: Path) -> None:
    """Within a tick of the file system's clock, a second edit of the same size may leave
    a file's stamp as it was: nothing of such a file is kept, or answered from what was."""
    cache = ReviewCache()
    for number in range(1, 4):
        title = f"Một cửa mới số {number:02d}"  # never built: its title is its file's
        write_unit(built, "moi", EXAMPLE.replace("Một cửa hiện đại ở phường Tân Phong",
                                                 title))
        assert f"<h2>{title}</h2>" in ask(cache, built).decode()
        assert cache.pages.computed == number  # made afresh every time


def test_a_page_made_of_unsettled_files_is_not_kept(built: Path, settled: None,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    cache = ReviewCache()
    ask(cache, built)
    monkeypatch.setattr(listing, "SETTLED_NS", 3_600 * 10**9)  # everything is recent
    ask(cache, built)
    ask(cache, built)
    assert cache.pages.computed == 3
    monkeypatch.setattr(listing, "SETTLED_NS", 0)
    ask(cache, built)
    ask(cache, built)
    assert cache.pages.computed == 4


def test_requests_that_come_together_make_the_page_once(
        built: Path, settled: None, monkeypatch: pytest.MonkeyPatch) -> None:
    slow = _slowed(monkeypatch)
    cache = ReviewCache()
    answers = _together(8, lambda: ask(cache, built))
    assert cache.pages.computed == 1 and slow.calls == 1
    assert all(answer is answers[0] for answer in answers)  # one copy of the bytes


def test_requests_that_come_together_share_a_page_of_unsettled_files(
        built: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Nothing is kept, but requests that arrive while the page is being made wait and
    share the next one, which reads the files after they arrived: at most two."""
    slow = _slowed(monkeypatch)
    cache = ReviewCache()
    _together(8, lambda: ask(cache, built))
    assert slow.calls <= 2


def test_a_failure_is_said_to_every_waiting_request_and_not_kept(
        built: Path, settled: None, monkeypatch: pytest.MonkeyPatch) -> None:
    real = cache_module.review_model

    def broken(*args: object, **kwargs: object) -> Review:
        time.sleep(0.2)
        raise RuntimeError("the page broke")

    monkeypatch.setattr(cache_module, "review_model", broken)
    cache = ReviewCache()
    failures = []

    def request() -> bytes:
        try:
            return ask(cache, built)
        except RuntimeError as error:
            failures.append(error)
            return b""

    _together(4, request)
    assert len(failures) == 4 and cache.pages.computed == 1
    monkeypatch.setattr(cache_module, "review_model", real)
    assert b"<section" in ask(cache, built)


def test_a_photo_outside_content_is_watched_too(built: Path, settled: None) -> None:
    photo = built / "anh" / "khai-sinh.jpg"
    photo.parent.mkdir()
    _jpeg(photo)
    write_unit(built, "khai-sinh", PROCEDURE.replace("kind: procedure\n",
                                                     "kind: procedure\nimage: ../anh/"
                                                     "khai-sinh.jpg\n"))
    cache = ReviewCache()
    assert "<span class='badge broken'>" not in ask(cache, built).decode()
    assert "<span class='badge broken'>" not in ask(cache, built).decode()
    assert cache.pages.computed == 2  # the first page named a file the stamp had not seen
    photo.unlink()
    text = ask(cache, built).decode()
    assert "<span class='badge broken'>" in text and "is not a file" in text


def test_with_the_live_loop_content_is_walked_only_when_it_may_have_changed(
        built: Path, settled: None, monkeypatch: pytest.MonkeyPatch) -> None:
    walked = _count_walks(monkeypatch, built / "content")
    cache = ReviewCache(watched=True)
    idle = Status(activity="Up to date", generation="g1")
    ask(cache, built, status=idle)
    ask(cache, built, status=idle)
    assert walked() == 1 and cache.pages.computed == 1
    retitle(built)  # the loop's watcher sees it and the loop is busy at once
    busy = Status(activity="Rebuilding…", busy=True, generation="g1")
    assert "Its file has changed" in ask(cache, built, status=busy).decode()
    assert walked() == 2
    rebuilt = Status(activity="Up to date", generation="g2")
    ask(cache, built, status=rebuilt)
    ask(cache, built, status=rebuilt)
    assert walked() == 3 and cache.pages.computed == 2


def test_without_the_live_loop_content_is_walked_at_every_request(
        built: Path, settled: None, monkeypatch: pytest.MonkeyPatch) -> None:
    walked = _count_walks(monkeypatch, built / "content")
    cache = ReviewCache()
    for _ in range(3):
        ask(cache, built)
    assert walked() == 3 and cache.pages.computed == 1


def test_the_screen_list_is_kept_until_the_day_or_the_outbox_changes(
        built: Path, run: Run, settled: None) -> None:
    cache = ReviewCache()
    project = open_project(built)
    first = cache.screen_list(project, TODAY)
    assert cache.screen_list(project, TODAY) is first
    cache.screen_list(project, date(2021, 4, 1))
    assert cache.lists.computed == 2
    retitle(built)
    build(run, built)  # the record changes
    cache.screen_list(project, date(2021, 4, 1))
    assert cache.lists.computed == 3
    assert cache.screen_page(project) is cache.screen_page(project)


def test_the_server_keeps_the_page_and_the_screen(built: Path, settled: None) -> None:
    httpd = make_server(open_project(built), "127.0.0.1", 0, today=TODAY)
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05},
                              daemon=True)
    thread.start()
    try:
        bodies = [_get(httpd.server_address[1], path)
                  for path in ("/", "/?kind=notice", "/", "/screen.json", "/screen.json")]
        assert bodies[0] == bodies[2] and b"<section" in bodies[0]
        kept: ReviewCache = httpd.RequestHandlerClass.review  # type: ignore[attr-defined]
        assert kept.pages.computed == 1 and kept.lists.computed == 1
        retitle(built)
        assert b"Its file has changed" in _get(httpd.server_address[1], "/")
    finally:
        httpd.shutdown()
        httpd.server_close()


def test_one_computation_at_a_time_whatever_the_keys() -> None:
    """Requests for different keys wait for the computation under way: at most one
    page is being made, so a burst never multiplies the memory it takes."""
    flights: Flights[int] = Flights()
    running, most = 0, 0
    lock = threading.Lock()

    def compute(value: int) -> int:
        nonlocal running, most
        with lock:
            running += 1
            most = max(most, running)
        time.sleep(0.05)
        with lock:
            running -= 1
        return value

    def request(number: int) -> int:
        ticket = flights.ticket()
        return flights.get(ticket, number % 3, f"stamp-{number % 3}",
                           lambda: compute(number % 3))

    numbers, taking = count(), threading.Lock()

    def numbered() -> int:
        with taking:
            number = next(numbers)
        return request(number)

    answers = _together(9, numbered)
    assert most == 1 and sorted(answers) == [0, 0, 0, 1, 1, 1, 2, 2, 2]


class _Slowed:
    calls = 0


def _slowed(monkeypatch: pytest.MonkeyPatch) -> _Slowed:
    """review_model made slow enough for requests to come while it runs; counted."""
    real = cache_module.review_model
    slow = _Slowed()

    def slowly(*args: object, **kwargs: object) -> Review:
        slow.calls += 1
        time.sleep(0.3)
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(cache_module, "review_model", slowly)
    return slow


def _together(many: int, request: Callable[[], T]) -> list[T]:
    """`many` requests at once (threads released together), their answers."""
    barrier = threading.Barrier(many)
    answers: list[T] = []

    def client() -> None:
        barrier.wait()
        answers.append(request())

    threads = [threading.Thread(target=client) for _ in range(many)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert len(answers) == many
    return answers


def _count_walks(monkeypatch: pytest.MonkeyPatch, folder: Path) -> Callable[[], int]:
    real = cache_module.listed
    calls = []

    def listed(where: Path, suffix: str) -> list[tuple[str, object]]:
        if where == folder:
            calls.append(where)
        return real(where, suffix)  # type: ignore[return-value]

    monkeypatch.setattr(cache_module, "listed", listed)
    return lambda: len(calls)


def _jpeg(path: Path) -> None:
    from PIL import Image

    Image.new("RGB", (40, 30), (200, 80, 40)).save(path, "JPEG")


def _get(port: int, path: str) -> bytes:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        assert response.status == 200
        return response.read()
    finally:
        connection.close()
