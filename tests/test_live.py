"""The live loop of `toolkit serve`: a saved edit is rebuilt and the pages are told; problems
come and go with the edits; a build refused by the lock is said and retried; the slow
channels are built in the background, which the next edit stops."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from tests.conftest import PROCEDURE, write_unit
from toolkit.channels import channel
from toolkit.live import Events, Listener, Live, event
from toolkit.lock import project_lock
from toolkit.outbox import ChannelOutbox
from toolkit.project import open_project

TODAY = date(2021, 3, 31)
QUICK = ("print", "sms", "rss")
LEAFLET = Path("outbox", "print", "khai-sinh", "khai-sinh-leaflet.pdf")


class Loop:
    """A live loop under test, a page listening to it, and what it logged."""

    def __init__(self, project: Path, channels: tuple[str, ...]) -> None:
        self.lines: list[str] = []
        self.live = Live(open_project(project), channels, TODAY, self.lines.append)

    def wait(self, name: str, within: float = 10.0, listener: Listener | None = None) -> str:
        """The data of the next event `name` the page gets."""
        deadline = time.monotonic() + within
        assert listener is not None
        while time.monotonic() < deadline:
            message = listener.next(0.1)
            if message is None:
                raise AssertionError("the events closed")
            if message.startswith(f"event: {name}\n".encode()):
                return message.decode().split("data: ", 1)[1].strip()
        raise AssertionError(f"no {name} event within {within} s; log: {self.lines}")

    def until(self, condition: object, within: float = 10.0) -> None:
        deadline = time.monotonic() + within
        while time.monotonic() < deadline:
            if callable(condition) and condition():
                return
            time.sleep(0.05)
        raise AssertionError(f"not within {within} s; log: {self.lines}")


@pytest.fixture
def loop(project: Path, request: pytest.FixtureRequest) -> Iterator[Loop]:
    channels = getattr(request, "param", QUICK)
    running = Loop(project, channels)
    yield running
    running.live.close()


def edit(project: Path, old: str, new: str) -> None:
    path = project / "content" / "khai-sinh.md"
    path.write_text(path.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")


def test_a_saved_edit_is_rebuilt_and_the_pages_are_told(project: Path, loop: Loop) -> None:
    with loop.live.events.listen() as page:
        loop.live.start()
        first = loop.wait("reload", listener=page)
        leaflet = (project / LEAFLET).read_bytes()
        assert first == loop.live.generation
        edit(project, "Đăng ký khai sinh trực tuyến", "Khai sinh: tiêu đề mới")
        saved = time.monotonic()
        second = loop.wait("reload", listener=page)
        took = time.monotonic() - saved
    assert second != first
    assert (project / LEAFLET).read_bytes() != leaflet
    assert took < 5.0, f"{took:.2f} s from the save to the reload"  # the bench: < 2 s
    assert any("rebuilt in" in line for line in loop.lines)
    status = loop.live.status()
    assert status.generation == second and not status.busy and not status.problems


def test_problems_come_with_an_edit_and_go_with_its_fix(project: Path, loop: Loop) -> None:
    with loop.live.events.listen() as page:
        loop.live.start()
        loop.wait("reload", listener=page)
        edit(project, "publish: 2021-02-09", "publish: 2021-02-30")
        loop.wait("reload", listener=page)
        problems = loop.live.status().problems
        assert [p.file for p in problems] == ["content/khai-sinh.md"]
        assert "2021-02-30" in problems[0].what
        assert any("2021-02-30" in line for line in loop.lines)  # said in the log once
        edit(project, "publish: 2021-02-30", "publish: 2021-02-09")
        loop.wait("reload", listener=page)
    assert loop.live.status().problems == ()


def test_a_build_refused_by_the_lock_is_said_then_retried(project: Path, loop: Loop) -> None:
    with loop.live.events.listen() as page:
        loop.live.start()
        loop.wait("reload", listener=page)
        holder = subprocess.Popen(
            [sys.executable, "-c", "import sys, time; from pathlib import Path; "
             "from toolkit.lock import project_lock\n"
             "with project_lock(Path(sys.argv[1]), 'build'):\n"
             "    print('held', flush=True); sys.stdin.read()", str(project)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        try:
            assert holder.stdout is not None and holder.stdout.readline() == "held\n"
            edit(project, "Đăng ký khai sinh trực tuyến", "Khai sinh: lần một")
            loop.wait("reload", listener=page)
            notes = loop.live.status().notes
            assert len(notes) == 1 and "toolkit build" in notes[0]
            assert "at your next change" in notes[0]
        finally:
            holder.communicate("")
        edit(project, "Khai sinh: lần một", "Khai sinh: lần hai")
        loop.wait("reload", listener=page)
    assert loop.live.status().notes == ()
    assert "Khai sinh: lần hai" in (project / "outbox" / "units.json").read_text("utf-8")


def test_a_change_of_settings_is_read(project: Path, loop: Loop) -> None:
    with loop.live.events.listen() as page:
        loop.live.start()
        loop.wait("reload", listener=page)
        settings = project / "toolkit.toml"
        text = settings.read_text(encoding="utf-8")
        name = loop.live.project.settings.organisation.name
        settings.write_text(text.replace(name, "UBND xã Thử Nghiệm", 1), encoding="utf-8")
        loop.wait("reload", listener=page)
    assert loop.live.project.settings.organisation.name == "UBND xã Thử Nghiệm"


@pytest.mark.parametrize("loop", [("print", "sms")], indirect=True)
def test_the_slow_channels_are_built_in_the_background(project: Path, loop: Loop,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(channel("video"), "slow", False)
    monkeypatch.setattr(channel("sms"), "slow", True)
    with loop.live.events.listen() as page:
        loop.live.start()
        loop.wait("reload", listener=page)  # print, in this process
        assert not ChannelOutbox(project / "outbox", "sms").items
        loop.wait("reload", within=30, listener=page)  # sms, in the background
    assert ChannelOutbox(project / "outbox", "sms").items
    assert any("made in the background: sms" in line for line in loop.lines)


@pytest.mark.parametrize("loop", [("print", "video")], indirect=True)
def test_an_edit_stops_the_background_build_at_once(project: Path, loop: Loop) -> None:
    """A clip takes seconds to encode: the next edit must not wait for it."""
    with loop.live.events.listen() as page:
        loop.live.start()
        loop.wait("reload", listener=page)
        live = loop.live
        loop.until(lambda: live.building_in_background)
        time.sleep(1.0)  # well into an encode
        edit(project, "Đăng ký khai sinh trực tuyến", "Khai sinh: sửa giữa chừng")
        saved = time.monotonic()
        loop.wait("reload", listener=page)
        assert time.monotonic() - saved < 5.0
        # The leaflet is new; the clip is of the version before until it is made again.
        assert live.status().behind_for("content/khai-sinh.md") == ("video",)
        assert live.status().behind_for("content/tan-phong.md") == ()
        loop.until(lambda: live.building_in_background)  # again, for the new version
    live.close()
    assert not live.building_in_background
    with project_lock(project, "test"):  # nobody holds the lock any more
        pass
    video = ChannelOutbox(project / "outbox", "video")
    for item in video.items.values():  # what the manifest lists is whole on disk
        assert (project / "outbox" / "video" / item.path).stat().st_size == item.bytes


def test_events_reach_every_listener_until_closed() -> None:
    events = Events(limit=2)
    with events.listen() as one, events.listen() as two, events.listen() as three:
        assert one is not None and two is not None and three is None
        assert events.listeners == 2
        events.publish("reload", "g-2")
        assert one.next(1) == two.next(1) == b"event: reload\ndata: g-2\n\n"
        assert one.next(0.01) == b": \n\n"  # a comment keeps an idle stream open
        events.close()
        assert one.next(1) is None
    assert events.listeners == 0
    with events.listen() as late:
        assert late is None


def test_an_event_of_several_lines_is_several_data_fields() -> None:
    assert event("status", "a\nb") == b"event: status\ndata: a\ndata: b\n\n"
    assert event("hello", "") == b"event: hello\ndata: \n\n"


def test_the_first_build_catches_up_with_edits_made_while_stopped(project: Path,
                                                                  loop: Loop) -> None:
    write_unit(project, "khai-sinh", PROCEDURE.replace("UBND cấp xã", "UBND phường"))
    with loop.live.events.listen() as page:
        loop.live.start(watch=False)
        loop.wait("reload", listener=page)
    assert (project / LEAFLET).is_file()
    assert "UBND phường" in (project / "outbox" / "units.json").read_text("utf-8")


def background_process(project: Path, *channels: str) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-m", "toolkit.live.background", str(project),
                             *(f"--channel={c}" for c in channels), "--today=2021-03-31"],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


def test_the_background_process_tells_its_outcome_in_json_lines(project: Path) -> None:
    child = background_process(project, "sms")
    assert child.stdout is not None
    messages = [json.loads(line) for line in child.stdout]
    _out, err = child.communicate("")
    assert child.returncode == 0 and err == ""
    assert any("progress" in m for m in messages)
    assert messages[-1] == {"done": {"problems": [], "changed": True}}


def test_the_background_process_ends_quietly_when_its_server_goes(project: Path) -> None:
    child = background_process(project, "video")
    assert child.stdout is not None and child.stdin is not None
    child.stdout.readline()  # under way
    child.stdin.close()  # the server has gone
    child.wait(timeout=10)
    assert child.stderr is not None and "Traceback" not in child.stderr.read()
    child.stdout.close()
    child.stderr.close()
    with project_lock(project, "test"):  # it let go of the lock
        pass
