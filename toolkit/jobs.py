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
class Job:
    """Files made together (a leaflet and its previews): where they go, what they
    are made from, how to make them.

    `render()` returns the bytes of each of `paths`, in order. `inputs`
    fingerprints everything the bytes depend on besides the settings, the
    template and the toolkit version (the build adds those); a job whose
    fingerprint matches the manifest is up to date and is not run. A render may
    raise ProblemError for its unit (a leaflet whose text does not fit): then
    nothing of the job is written.
    """

    paths: tuple[str, ...]
    unit: str | None
    units: tuple[str, ...]
    inputs: str
    render: Callable[[], tuple[bytes, ...]]


def digest(*parts: str) -> str:
    """A short, stable fingerprint of some strings."""
    h = hashlib.sha256()
    for part in parts:
        h.update(part.encode())
        h.update(b"\0")
    return h.hexdigest()[:20]
