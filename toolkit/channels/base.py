"""The channel contract: what every channel declares once, and the build reads.

A channel is a `Channel` subclass whose one instance its module exposes as
`CHANNEL`; the registry (`toolkit.channels`) lists them. Everything else (the
content model, the build, the review page, the report, `toolkit new`) learns
what channels there are, and what each needs and shows, from there: no other
module names a channel.

A channel's module imports only light things at its top (pydantic models, the
standard library); what renders (ReportLab, Pillow, feedgen) is imported by the
jobs it plans, so that listing the channels costs little and a build of one
channel loads nothing of the others.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Generic, TypeVar

from toolkit.content.model import KINDS, AnyUnit
from toolkit.jobs import Context, Issue, Job
from toolkit.outbox import Item
from toolkit.problems import Problem
from toolkit.settings import Settings
from toolkit.templates import Template

T = TypeVar("T", bound=Template)


@dataclass(frozen=True)
class Picture:
    """A picture the review page shows of a unit (a preview of a printed page)."""

    path: str


@dataclass(frozen=True)
class Clip:
    """A video the review page plays, with its poster frame and subtitles if any."""

    path: str
    poster: str | None = None
    subtitles: str | None = None


@dataclass(frozen=True)
class Message:
    """A text the review page shows as it goes out (an SMS), and a note on it."""

    text: str
    note: str = ""


Shown = Picture | Clip | Message


class Channel(Generic[T]):
    """One channel: its name, its template, what it needs, what it makes and shows.

    Subclasses set the attributes and implement `plan`; the rest has defaults.
    """

    name: str  # what units list in `channels:`, and the outbox folder
    label: str  # what people call it, marked with N_() and shown through _()
    templates: str  # the folder under templates/ of its template files
    template: type[T]  # what its template files hold
    kinds: tuple[str, ...] = KINDS  # the kinds that get it when a unit names no channels
    encloses: bool = False  # its files of a unit may be enclosed by channels that need them
    needs_attachments: bool = False  # given the files of the enclosing channels, by unit
    needs_issues: bool = False  # given the bulletins in the outbox, to announce them
    by_period: bool = False  # made only for a period given to the build (a bulletin)
    periodic: bool = False  # also makes a file of a period given to the build (a week's radio)
    slow: bool = False  # seconds a unit: `toolkit serve` makes its files in the background
    # What its manifest items are called in the quarterly report, by product; the
    # products not named here (previews, subtitles) are not counted.
    reported: dict[str, str] = {}
    # The media types of files it makes that the outbox does not know, by extension.
    media_types: dict[str, str] = {}

    def check(self, unit: AnyUnit, context: Context[T], thorough: bool = False) -> list[Problem]:
        """What would stop it making its files of `unit`. The build runs the quick check
        on every unit; `toolkit check` the thorough one, which may lay the unit out."""
        return []

    def check_settings(self, context: Context[T]) -> list[Problem]:
        """What is wrong with its template and the settings it uses, whatever the units:
        said once by `toolkit check`, not once a unit."""
        return []

    def plan(self, units: Sequence[AnyUnit], context: Context[T]) -> list[Job]:
        """The files it makes of these units, as jobs whose rendering is deferred so
        that the build can skip what is up to date."""
        raise NotImplementedError

    def keeps(self, item: Item) -> bool:
        """True for a file that stays in the outbox although this build did not plan it
        (a bulletin of another period); files of deleted units always go."""
        return False

    def issues(self, items: Sequence[Item], settings: Settings) -> tuple[Issue, ...]:
        """The bulletins among its files, for the channels that announce them."""
        return ()

    def shown(self, items: Sequence[Item], outbox: Path) -> dict[str, list[Shown]]:
        """What the review page shows of each unit's files here, by unit, besides links
        to them; a ProblemError if its files cannot be read."""
        return {}
