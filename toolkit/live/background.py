"""The slow channels' build (video), in a process of its own that the next edit stops.

A clip takes seconds to encode; an officer who saves an edit must not wait for
it to see the new leaflet. So the live loop builds the slow channels here, in a
child process (`python -m toolkit.live.background`), which it ends (SIGTERM) as
soon as another edit comes. The child holds the project's lock while it builds;
stopped, it leaves what any stopped build leaves: complete files, truthful
manifests, partial files the next build clears. It tells its progress and its
outcome as JSON lines on its output, and ends when its input does (the server
has gone).
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import threading
from datetime import date
from pathlib import Path
from typing import Any, Protocol

from toolkit.i18n import _
from toolkit.problems import Problem, ProblemError
from toolkit.project import open_project

STOP_WAIT = 5.0  # seconds a background build has to end once told to


class Told(Protocol):
    """What is told of the background build (the live loop)."""

    def background_progress(self, stage: str, done: int, total: int, current: str) -> None:
        """A step of the build is done."""

    def background_done(self, problems: list[Problem], changed: bool) -> None:
        """The build ended, with these problems; `changed`: files were made or removed."""

    def background_failed(self, text: str) -> None:
        """The build could not run, or stopped unexpectedly: `text` says so."""


class Background:
    """The build of some channels of the project in `root` (as if `today`, if given), in
    a process that `stop()` ends at once; what it does is told to `told`."""

    def __init__(self, root: Path, today: date | None, told: Told) -> None:
        self.root, self.today, self.told = root, today, told
        self._process: subprocess.Popen[bytes] | None = None
        self._reader: threading.Thread | None = None
        self._stopped = threading.Event()
        self._lock = threading.Lock()  # one start or stop at a time
        self._closed = False

    def start(self, channels: tuple[str, ...]) -> None:
        """Build `channels` in a new process (after stopping one under way)."""
        with self._lock:
            if not self._closed:
                self._stop()
                self._start(channels)

    def _start(self, channels: tuple[str, ...]) -> None:
        from toolkit import i18n

        command = [sys.executable, "-m", __name__, str(self.root),
                   *(f"--channel={c}" for c in channels)]
        if self.today is not None:
            command.append(f"--today={self.today.isoformat()}")
        self._stopped = threading.Event()
        # Its own session: Ctrl+C in the terminal is the server's to handle, and the
        # server stops it. Its input stays open while the server lives.
        self._process = subprocess.Popen(
            command, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            env={**os.environ, i18n.ENV: i18n.language()},
            start_new_session=sys.platform != "win32")
        self._reader = threading.Thread(target=self._read, args=(self._process, self._stopped),
                                        name="toolkit-live-background", daemon=True)
        self._reader.start()

    def stop(self, for_good: bool = False) -> None:
        """End the background build, if one runs, and wait until it has; `for_good`: start
        none again."""
        with self._lock:
            self._closed = self._closed or for_good
            self._stop()

    def _stop(self) -> None:
        process, reader = self._process, self._reader
        if process is None:
            return
        self._stopped.set()
        if process.poll() is None:
            process.terminate()  # SIGTERM: the build stops where it is (see `main`)
            try:
                process.wait(STOP_WAIT)
            except subprocess.TimeoutExpired:
                process.kill()
        process.wait()
        if reader is not None:
            reader.join()
        if process.stdin is not None:
            process.stdin.close()
        self._process = self._reader = None

    @property
    def running(self) -> bool:
        """True while a background build runs."""
        return self._process is not None and self._process.poll() is None

    def _read(self, process: subprocess.Popen[bytes], stopped: threading.Event) -> None:
        """Pass the child's messages on, until it ends; a child that dies is said."""
        assert process.stdout is not None
        ended = False
        with process.stdout:
            for line in process.stdout:
                message = _message(line)
                if stopped.is_set() or message is None:
                    continue
                if "progress" in message:
                    self.told.background_progress(*message["progress"])
                elif "done" in message:
                    problems = [Problem(**p) for p in message["done"]["problems"]]
                    self.told.background_done(problems, bool(message["done"]["changed"]))
                    ended = True
                elif "refused" in message:
                    self.told.background_failed(str(message["refused"]))
                    ended = True
        status = process.wait()
        if not ended and not stopped.is_set():
            self.told.background_failed(_(
                "The build in the background stopped unexpectedly (exit status {status}). "
                "It starts again at your next change.").format(status=status))


def _message(line: bytes) -> dict[str, Any] | None:
    """One message of the background process; None for a line that is not one."""
    try:
        message = json.loads(line)
    except ValueError:
        return None
    return message if isinstance(message, dict) else None


class Cancelled(BaseException):
    """Raised in the background process when it is told to stop (SIGTERM)."""


STOPPING = threading.Event()


def _cancel(_signal: int, _frame: object) -> None:
    STOPPING.set()
    raise Cancelled


def main(argv: list[str]) -> int:
    """The background process: build the channels asked for (`ROOT --channel=C ...
    [--today=DATE]`), under the project's lock, telling progress and outcome as JSON
    lines on stdout. SIGTERM stops it where it is; so does the end of its input."""
    root = Path(argv[0])
    channels = tuple(a.removeprefix("--channel=") for a in argv[1:]
                     if a.startswith("--channel="))
    today = next((date.fromisoformat(a.removeprefix("--today=")) for a in argv[1:]
                  if a.startswith("--today=")), None)
    try:  # from the first moment a stop can raise Cancelled, it is caught
        signal.signal(signal.SIGTERM, _cancel)
        signal.signal(signal.SIGINT, _cancel)
        threading.Thread(target=_end_with_input, daemon=True).start()
        _build_and_tell(root, channels, today)
    except Cancelled:
        return 1
    except Exception:
        if STOPPING.is_set():  # stopped inside a library, which wrapped Cancelled in its error
            return 1
        raise
    return 0


def _build_and_tell(root: Path, channels: tuple[str, ...], today: date | None) -> None:
    from toolkit import build as pipeline
    from toolkit.lock import project_lock

    def tell(**message: Any) -> None:
        sys.stdout.write(json.dumps(message, ensure_ascii=False) + "\n")
        sys.stdout.flush()

    def progress(stage: str, done: int, total: int, current: str) -> None:
        tell(progress=[stage, done, total, current])

    try:
        project = open_project(root)
        with project_lock(project.root, "serve"):
            report = pipeline.build(project, pipeline.Options(channels, today=today), progress)
    except ProblemError as err:
        why = "; ".join(p.what for p in err.problems)
        tell(refused=_("The build in the background did not run: {why}. It is tried again "
                       "at your next change.").format(why=why))
        return
    except OSError as err:
        tell(refused=_("The build in the background failed: {error}. It is tried again at "
                       "your next change.").format(error=err))
        return
    tell(done={"problems": [vars(p) for p in report.problems],
               "changed": bool(report.built or report.removed)})


def _end_with_input() -> None:
    """Stop this process (as SIGTERM does) once its input ends: the server has ended."""
    with contextlib.suppress(OSError):  # unbuffered: no lock held at the process's exit
        while os.read(sys.stdin.fileno(), 4096):
            pass
    os.kill(os.getpid(), signal.SIGTERM)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
