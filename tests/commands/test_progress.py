"""Long builds are never silent: bars on a terminal for stages over a second, one plain
line a stage in a log."""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from rich.console import Console

from toolkit import i18n, progress
from toolkit.progress import Bars, StageLog, progress_on

Run = Callable[..., tuple[int, str, str]]
ESCAPES = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


@pytest.fixture(autouse=True)
def one_second(monkeypatch: pytest.MonkeyPatch) -> None:
    """The threshold of the toolkit, which the tests' conftest raises for everyone else."""
    monkeypatch.setattr(progress, "SHOW_AFTER_S", 1.0)


class Clock:
    """Time that passes only when a test says so."""

    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def steps(shown: Callable[..., None], clock: Clock, stage: str, total: int,
          seconds_each: float) -> None:
    for done in range(1, total + 1):
        clock.now += seconds_each
        shown(stage, done, total, f"unit-{done}")


def terminal() -> tuple[io.StringIO, Console]:
    screen = io.StringIO()
    return screen, Console(file=screen, force_terminal=True, width=120)


def test_a_log_gets_one_line_a_stage_when_it_ends() -> None:
    log, clock = io.StringIO(), Clock()
    shown = StageLog(log, clock)
    clock.now += 0.5  # planning, before the first step: part of the stage
    steps(shown, clock, "reading content", 120, 0.025)
    assert log.getvalue() == "reading content: 120/120, 3.5 s\n"
    steps(shown, clock, "RSS news", 2, 0.05)  # quick: nothing to say in a log
    steps(shown, clock, "videos", 2, 3.0)
    assert log.getvalue().splitlines()[1:] == ["videos: 2/2, 6.0 s"]


def test_a_stage_cut_short_leaves_no_line() -> None:
    log, clock = io.StringIO(), Clock()
    shown = StageLog(log, clock)
    shown("videos", 1, 3, "a")
    shown.close()
    assert log.getvalue() == ""


def test_the_log_speaks_vietnamese() -> None:
    i18n.use("vi")
    log, clock = io.StringIO(), Clock()
    steps(StageLog(log, clock), clock, "tin RSS", 4, 0.5)
    assert log.getvalue() == "tin RSS: 4/4, 2,0 giây\n"  # a decimal comma


def test_a_short_stage_shows_nothing_on_a_terminal() -> None:
    screen, console = terminal()
    clock = Clock()
    bars = Bars(console, clock, auto_refresh=False)
    steps(bars, clock, "RSS news", 50, 0.01)
    bars.close()
    assert screen.getvalue() == ""


def test_a_long_stage_shows_a_bar_with_the_unit_and_the_time_left() -> None:
    screen, console = terminal()
    clock = Clock()
    bars = Bars(console, clock, auto_refresh=False)
    bars("leaflets and posters", 1, 4, "unit-1")
    assert screen.getvalue() == ""  # not a second yet
    clock.now += 1.5
    bars("leaflets and posters", 2, 4, "dang-ky-khai-sinh")
    shown = ESCAPES.sub("", screen.getvalue())
    assert "leaflets and posters" in shown and "2/4" in shown and "dang-ky-khai-sinh" in shown
    assert "time left:" in shown
    steps(bars, clock, "leaflets and posters", 4, 0.5)
    bars.close()
    last = ESCAPES.sub("", screen.getvalue()).split("\r")[-1]
    assert "4/4" in last and "unit-4" in last and "0:00:00" in last


def test_a_long_stage_of_one_step_still_says_it_ended() -> None:
    screen, console = terminal()
    clock = Clock()
    bars = Bars(console, clock, auto_refresh=False)
    clock.now += 2.5
    bars("bulletins", 1, 1, "2021-W06")
    assert ESCAPES.sub("", screen.getvalue()) == "bulletins: 1/1, 2.5 s\n"


def test_a_stopped_build_takes_the_bar_down() -> None:
    screen, console = terminal()
    clock = Clock()
    bars = Bars(console, clock, auto_refresh=False)
    for done in (1, 2):
        clock.now += 1.0
        bars("videos", done, 10, "a")
    assert bars.bar is not None
    bars.close()
    assert bars.bar is None and screen.getvalue().endswith("\x1b[?25h")  # cursor back


class Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_bars_on_a_terminal_a_log_elsewhere() -> None:
    with progress_on(Tty()) as shown:
        assert isinstance(shown, Bars)
    with progress_on(io.StringIO()) as shown:
        assert isinstance(shown, StageLog)


def test_a_quick_build_leaves_a_log_empty(project: Path, run: Run) -> None:
    status, out, err = run("build", "--project", str(project), "--channel", "rss",
                           "--today", "2021-03-31")
    assert (status, err) == (0, "") and out.startswith("built ")


def test_a_build_logs_its_long_stages_when_not_on_a_terminal(
        project: Path, run: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(progress, "SHOW_AFTER_S", -1.0)  # every stage is long
    status, out, err = run("build", "--project", str(project), "--channel", "rss",
                           "--today", "2021-03-31")
    assert status == 0 and out.startswith("built ")
    assert re.fullmatch(r"reading content: 3/3, \d+\.\d s\nRSS news: \d+/\d+, \d+\.\d s\n", err)
