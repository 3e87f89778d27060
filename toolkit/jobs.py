"""What a channel hands to the build: jobs, and the context they are planned in."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Generic, TypeVar

from toolkit.periods import Period
from toolkit.settings import Settings
from toolkit.templates import Template


@dataclass(frozen=True)
class Attachment:
    """A file another channel put in the outbox for a unit (a leaflet, a video).

    `path` includes the channel folder: "print/<unit>/leaflet.pdf".
    """

    path: str
    url: str
    length: int
    mime: str


@dataclass(frozen=True)
class Issue:
    """A bulletin in the outbox, for the feed and the SMS list to announce."""

    period: Period
    url: str  # of its PDF
    length: int


# Where jobs keep their temporary files (a video's stills): emptied as each build
# starts, under the project's lock, so what a killed build left there goes.
SCRATCH_DIR = Path(".toolkit-cache", "work")


T = TypeVar("T", bound=Template)


@dataclass(frozen=True)
class Context(Generic[T]):
    """Everything besides the units that a channel plans with.

    `attachments` and `issues` are filled only for the channels that need them;
    `period` only when a build is asked for one (a bulletin).
    """

    settings: Settings
    template: T
    today: date
    project_dir: Path
    attachments: Mapping[str, tuple[Attachment, ...]] = field(default_factory=dict)
    issues: tuple[Issue, ...] = ()
    period: Period | None = None

    @property
    def scratch(self) -> Path:
        """The folder for a job's temporary files."""
        return self.project_dir / SCRATCH_DIR


@dataclass(frozen=True)
class File:
    """A file a job makes: where it goes in the channel's folder, and what it is (a
    "leaflet", a "preview"), as the manifest records it for the report and review."""

    path: str
    product: str


@dataclass(frozen=True)
class Job:
    """Files made together (a leaflet and its previews): what they are, what they are
    made from, how to make them.

    `render()` returns the bytes of each of `files`, in order; it may raise
    ProblemError for its unit (a leaflet whose text does not fit), and then nothing
    of the job is written. `unit` is the unit the files belong to (None for a file
    of many units, like a feed); `units` every unit they are made from.

    What the bytes depend on is declared, never hashed by the channel: the units
    (by their fingerprints), `reads` (files such as a photo, a logo or fonts,
    fingerprinted by their bytes) and `uses` (anything else, as text: a period,
    the enclosures a feed names). The build adds the template, the settings and
    the toolkit version; a job whose fingerprint matches the manifest is up to
    date and is not run.

    `threads` is how many cores `render()` keeps busy (a clip's encode runs x264 with
    two threads): a cluster gives a job that many of a machine's cores, so that it is
    filled and never oversubscribed. It is no input: the bytes are the same however
    many cores a job gets.
    """

    files: tuple[File, ...]
    unit: str | None
    units: tuple[str, ...]
    render: Callable[[], tuple[bytes, ...]]
    reads: tuple[Path, ...] = ()
    uses: tuple[str, ...] = ()
    threads: int = 1

    @property
    def paths(self) -> tuple[str, ...]:
        """Where its files go, in order."""
        return tuple(f.path for f in self.files)


def digest(*parts: str) -> str:
    """A short, stable fingerprint of some strings."""
    h = hashlib.sha256()
    for part in parts:
        h.update(part.encode())
        h.update(b"\0")
    return h.hexdigest()[:20]
