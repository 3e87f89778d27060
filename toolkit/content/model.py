"""The content model: the three kinds of unit and the fields editors write.

Field names, their meaning and their defaults are the contract with editors
(see DESIGN.md); `toolkit new` writes a scaffold from templates that mirror
these classes, and `toolkit check` validates against them.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, field_validator

CHANNELS: tuple[str, ...] = ("print", "video", "rss", "sms", "bulletin")
KINDS: tuple[str, ...] = ("procedure", "example", "notice")

# Channels a unit gets when it names none: a model example is a story, not an SMS.
DEFAULT_CHANNELS: dict[str, tuple[str, ...]] = {
    "procedure": CHANNELS,
    "example": ("print", "video", "rss", "bulletin"),
    "notice": CHANNELS,
}

ID_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
URL_PATTERN = re.compile(r"^https?://[^\s/$.?#][^\s]*$", re.IGNORECASE)


def _text(value: str) -> str:
    value = value.strip()
    if not value:
        raise ValueError("is empty")
    return value


def _blank_is_none(value: object) -> object:
    """An optional field left empty (as `toolkit new` writes it) means not given."""
    if isinstance(value, str) and not value.strip():
        return None
    return value


def _url(value: str) -> str:
    value = value.strip()
    if not URL_PATTERN.match(value):
        raise ValueError(f"{value!r} is not a web address")
    return value


def _unit_id(value: str) -> str:
    if not ID_PATTERN.match(value):
        raise ValueError(f"{value!r} is not a valid id")
    return value


Text = Annotated[str, AfterValidator(_text)]
Url = Annotated[str, AfterValidator(_url)]
UnitId = Annotated[str, AfterValidator(_unit_id)]
OptionalText = Annotated[Text | None, BeforeValidator(_blank_is_none)]
OptionalUrl = Annotated[Url | None, BeforeValidator(_blank_is_none)]


class Online(BaseModel):
    """Where a procedure can be done online, and whether fully online."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    url: Url
    full: bool = False


class Unit(BaseModel):
    """Fields every kind of unit has."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)

    kind: str
    id: UnitId
    title: Text = Field(max_length=160)
    summary: Text = Field(max_length=400)
    publish: datetime
    expires: Annotated[date | None, BeforeValidator(_blank_is_none)] = None
    channels: tuple[Literal["print", "video", "rss", "sms", "bulletin"], ...] | None = None
    audience: Literal["citizens", "officials"] = "citizens"
    tags: tuple[Text, ...] = ()
    image: OptionalText = None
    link: OptionalUrl = None
    sms: OptionalText = None
    body: str = ""

    # Where the unit came from; set by the loader, not written by editors.
    source: str = ""
    fingerprint: str = ""

    @field_validator("publish", mode="before")
    @classmethod
    def _date_or_datetime(cls, value: object) -> object:
        """A bare date means the start of that day, local time."""
        if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value.strip()):
            try:
                value = date.fromisoformat(value.strip())
            except ValueError as err:
                raise ValueError(f"{value!r} is not a real date ({err})") from None
        if isinstance(value, date) and not isinstance(value, datetime):
            return datetime(value.year, value.month, value.day)
        return value

    @field_validator("publish")
    @classmethod
    def _naive_local(cls, value: datetime) -> datetime:
        if value.tzinfo is not None:
            raise ValueError("must be local time without a zone, like 2021-02-15 08:00")
        return value

    @field_validator("channels")
    @classmethod
    def _no_repeats(cls, value: tuple[str, ...] | None) -> tuple[str, ...] | None:
        if value is not None and len(set(value)) != len(value):
            raise ValueError("names a channel twice")
        return value

    @property
    def wanted_channels(self) -> tuple[str, ...]:
        """The channels this unit goes to: its own list, else its kind's default."""
        if self.channels is not None:
            return self.channels
        return DEFAULT_CHANNELS[self.kind]

    def is_live(self, today: date) -> bool:
        """True when the unit is published on `today` and not yet expired."""
        return self.publish.date() <= today and not self.is_expired(today)

    def is_expired(self, today: date) -> bool:
        """True once the unit's `expires` date has passed."""
        return self.expires is not None and self.expires < today

    def wants(self, channel: str, today: date) -> bool:
        """True when the unit asks for `channel` and has not expired: print and video are
        made before the publish date, as printers and editors need the lead time."""
        return channel in self.wanted_channels and not self.is_expired(today)


class Procedure(Unit):
    """A guide to one administrative procedure."""

    kind: Literal["procedure"]
    code: OptionalText = None
    agency: Text
    field: OptionalText = None
    steps: tuple[Text, ...] = Field(min_length=1)
    documents: tuple[Text, ...] = ()
    processing_time: OptionalText = None
    fee: OptionalText = None
    where: OptionalText = None
    online: Online | None = None
    legal_basis: tuple[Text, ...] = ()

    @property
    def key_points(self) -> tuple[str, ...]:
        """The points a short form (slide, SMS teaser) walks through."""
        return self.steps


class Example(Unit):
    """A model example or initiative worth copying."""

    kind: Literal["example"]
    organisation: Text
    place: OptionalText = None
    results: tuple[Text, ...] = Field(min_length=1)

    @property
    def key_points(self) -> tuple[str, ...]:
        """The points a short form (slide, SMS teaser) walks through."""
        return self.results


class Notice(Unit):
    """A hotline or service notice."""

    kind: Literal["notice"]
    hotline: Text
    hours: OptionalText = None
    topics: tuple[Text, ...] = ()
    how: tuple[Text, ...] = ()

    @property
    def key_points(self) -> tuple[str, ...]:
        """The points a short form (slide, SMS teaser) walks through."""
        return self.topics


MODELS: dict[str, type[Unit]] = {"procedure": Procedure, "example": Example, "notice": Notice}

AnyUnit = Procedure | Example | Notice
