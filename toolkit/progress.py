"""How far a long build has got: a progress bar on a terminal, one line a stage in a log.

The build tells a progress callable after each step of a stage (reading the
content, each channel): `(stage, done, total, current)`, with the stage already in
the user's language and `current` the unit or file just done. On a terminal, a
stage that has lasted more than a second gets a bar (steps done, the unit at hand,
the time left); shorter stages show nothing, so nothing flickers. Not on a terminal
(cron, a pipe into a log), each stage that lasted more than a second ends with one plain
line: "RSS: 120/120, 3.4 s".
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, TextIO

from toolkit.i18n import _, decimal

if TYPE_CHECKING:  # rich is imported only where a bar is drawn: most runs draw none
    from rich.console import Console
    from rich.progress import Progress, TaskID

# A stage shorter than this shows no bar: it would only flicker.
SHOW_AFTER_S = 1.0
Clock = Callable[[], float]


class _Stages:
    """What both displays share: which stage is under way and since when. A stage
    starts when the one before it ends (or the display is made), so the time of a
    stage includes the work before its first step."""

    def __init__(self, clock: Clock) -> None:
        self.clock = clock
        self.since = clock()
        self.stage: tuple[str, int] | None = None

    def __call__(self, stage: str, done: int, total: int, current: str = "") -> None:
        """One more step of `stage` is done: `done` of `total`, the last one `current`."""
        if (stage, total) != self.stage:
            self._end(finished=False)
            self.stage = (stage, total)
        self._step(stage, done, total, current)
        if done >= total:
            self._end(finished=True)

    def close(self) -> None:
        """The command is over (or was stopped): take down whatever is still shown."""
        self._end(finished=False)

    def _end(self, finished: bool) -> None:
        if self.stage is None:
            return
        if finished:
            self._finished(*self.stage, self.clock() - self.since)
        self._stop()
        self.stage = None
        self.since = self.clock()

    def _step(self, stage: str, done: int, total: int, current: str) -> None:
        """Show one step."""

    def _finished(self, stage: str, total: int, seconds: float) -> None:
        """Say that a stage has ended."""

    def _stop(self) -> None:
        """Take down what shows the stage."""


def stage_line(stage: str, total: int, seconds: float) -> str:
    """The line a finished stage leaves: "RSS: 120/120, 3.4 s"."""
    return _("{stage}: {done}/{total}, {seconds} s").format(
        stage=stage, done=total, total=total, seconds=decimal(seconds, 1))


class StageLog(_Stages):
    """Not on a terminal: one plain line a stage that lasted more than SHOW_AFTER_S,
    when it ends (a log of quick builds stays empty)."""

    def __init__(self, stream: TextIO, clock: Clock = time.monotonic) -> None:
        super().__init__(clock)
        self.stream = stream

    def _finished(self, stage: str, total: int, seconds: float) -> None:
        if seconds > SHOW_AFTER_S:
            self.stream.write(stage_line(stage, total, seconds) + "\n")
            self.stream.flush()


class Bars(_Stages):
    """On a terminal: a bar for a stage once it has lasted more than SHOW_AFTER_S; a
    stage of one long step, which never showed a bar, still says that it ended."""

    def __init__(self, console: Console, clock: Clock = time.monotonic,
                 auto_refresh: bool = True) -> None:
        super().__init__(clock)
        self.console, self.auto_refresh = console, auto_refresh
        self.bar: Progress | None = None
        self.task: TaskID | None = None

    def _step(self, stage: str, done: int, total: int, current: str) -> None:
        if self.bar is not None and self.task is not None:
            self.bar.update(self.task, completed=done, current=current)
        elif done < total and self.clock() - self.since > SHOW_AFTER_S:
            self._show(stage, done, total, current)

    def _show(self, stage: str, done: int, total: int, current: str) -> None:
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeRemainingColumn,
        )

        self.bar = Progress(TextColumn("{task.description}"), BarColumn(),
                            MofNCompleteColumn(), TextColumn(_("time left:")),
                            TimeRemainingColumn(), TextColumn("{task.fields[current]}"),
                            console=self.console, get_time=self.clock,
                            auto_refresh=self.auto_refresh)
        self.task = self.bar.add_task(stage, total=total, completed=done, current=current)
        self.bar.start()

    def _finished(self, stage: str, total: int, seconds: float) -> None:
        if self.bar is None and seconds > SHOW_AFTER_S:
            self.console.print(stage_line(stage, total, seconds), highlight=False,
                               markup=False)

    def _stop(self) -> None:
        if self.bar is not None:
            self.bar.stop()  # the finished bar stays on screen, the cursor comes back
        self.bar, self.task = None, None


@contextmanager
def progress_on(stream: TextIO | None = None) -> Iterator[_Stages]:
    """The progress display for `stream` (default: stderr): bars on a terminal, a line a
    stage elsewhere; taken down when the command ends, however it ends."""
    stream = stream if stream is not None else sys.stderr
    shown: _Stages = _bars(stream) if stream.isatty() else StageLog(stream)
    try:
        yield shown
    finally:
        shown.close()


def _bars(stream: TextIO) -> Bars:
    from rich.console import Console

    return Bars(Console(file=stream))
