"""The content model: the three kinds of unit and the fields editors write.

Field names, their meaning and their defaults are the contract with editors
(see DESIGN.md); `toolkit new` writes a scaffold from templates that mirror
these classes, and `toolkit check` validates against them.
"""

from __future__ import annotations

import calendar
import contextlib
import re
from datetime import date, datetime
from typing import Annotated, Any, ClassVar, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from toolkit.content.fields import (  # noqa: F401 (KINDS, ID_PATTERN: part of the model)
    ID_PATTERN,
    KINDS,
    MAX_TEXT_CHARS,
    Text,
    Url,
    is_trusted,
    one_line_text,
    refusal,
    refuse_long,
    refuse_uncarried,
)
from toolkit.content.text import (
    markdown_breaks,
    needs_care,
)
from toolkit.i18n import N_, _
from toolkit.problems import quote

# What people call each kind, translated where it is shown (kind_label).
KIND_LABELS: dict[str, str] = {"procedure": N_("procedure"), "example": N_("model example"),
                               "notice": N_("notice")}

# What starts an HTML tag, a comment or a declaration: "<" and a letter, "/", "!"
# or "?". A "<" before a space or a digit ("< 15 phút") is just text.
MARKUP = re.compile(r"<[A-Za-z/!?]")
# Dates in the front matter: ISO, year first (2021-03-15), with or without a time; and
# the ways people write them day first (15/03/2021, 15/3/2021, 15-03-2021, 15.03.2021),
# which are refused with the ISO form to copy.
ISO_DAY = re.compile(r"(?P<year>\d{4})-(?P<month>\d{1,2})-(?P<day>\d{1,2})(?P<time>[ T].*)?")
DAY_FIRST = re.compile(r"(?P<day>\d{1,2})(?P<sep>[/.-])(?P<month>\d{1,2})(?P=sep)"
                       r"(?P<year>\d{4})(?P<time>[ T].*)?")
DATE_FIX = N_("write the date as YYYY-MM-DD, e.g. 2021-02-15")

# Limits that keep every channel quick and every product sane. A leaflet panel
# holds about 2,500 characters; the feed carries a longer body, up to this.
MAX_BODY_CHARS = 20_000
MAX_ITEMS = 50  # items of any one list: steps, documents, tags...
# A key point's short form (what its video slide shows, large) is at most this long.
MAX_SHORT_CHARS = 48
# How an editor writes a key point with its short form, as messages show it.
SHORT_FORM = '{short: "Đăng nhập", text: "Đăng nhập Cổng dịch vụ công."}'
SHORT_FIX = N_("give a few words of the text as short:, or write the item as plain text")


def kind_label(kind: str) -> str:
    """What people call a kind of unit ("procedure": "thủ tục"), in their language; an
    unknown kind as it is written."""
    return _(KIND_LABELS[kind]) if kind in KIND_LABELS else kind


def _plain(value: str) -> str:
    """Titles, summaries and tags are plain text: readers show a feed's titles as they
    are, and take its descriptions for HTML."""
    found = MARKUP.search(value) if "<" in value else None
    if found is None:
        return value
    tag = value[found.start():value.find(">", found.start()) + 1 or found.start() + 30]
    raise refusal(_("{tag} looks like HTML; titles, summaries and tags are plain text").format(
                      tag=quote(tag, 30)),
                  _("write the text without <...> tags (bold, links and lists belong in the "
                    "body, in Markdown)"))


def _body(value: str) -> str:
    """The Markdown body with pasted breaks made Markdown, and nothing no channel can
    carry (a cached body included)."""
    return refuse_uncarried(markdown_breaks(value)) if needs_care(value) else value


def _blank_is_none(value: object) -> object:
    """An optional field left empty (as `toolkit new` writes it) means not given."""
    if isinstance(value, str) and not value.strip():
        return None
    return value


def _channel_name(value: str) -> str:
    """A channel the toolkit has (the registry knows them all)."""
    if is_trusted():
        return value
    from toolkit.channels import names

    if value not in names():
        raise refusal(_("{value} is not a channel").format(value=quote(value)),
                      _("list some of: {channels}").format(channels=", ".join(names())))
    return value


def _unit_id(value: str) -> str:
    if not ID_PATTERN.match(value):
        raise ValueError(_("{value} is not a valid id").format(value=quote(value)))
    return value


def calendar_day(value: object) -> object:
    """A date written in the front matter: ISO (2021-03-15) as a date, with a time as the
    text pydantic reads; written day first as people write it (15/03/2021) refused with
    the ISO form to copy; a day that does not exist (2021-02-30) refused saying why."""
    if is_trusted():
        return value
    if not isinstance(value, str):
        return value
    text = value.strip()
    iso = ISO_DAY.fullmatch(text)
    if iso:
        year, month, day = (int(iso[part]) for part in ("year", "month", "day"))
        _refuse_unreal_day(text, year, month, day)
        written = f"{year:04d}-{month:02d}-{day:02d}"
        if written != text[:10]:
            raise _day_written_otherwise(text, written + (iso["time"] or ""), _(
                "{value} is not written as YYYY-MM-DD"))
        return date(year, month, day) if not iso["time"] else text
    day_first = DAY_FIRST.fullmatch(text)
    if day_first:
        year, month, day = (int(day_first[part]) for part in ("year", "month", "day"))
        _refuse_unreal_day(text, year, month, day)
        raise _day_written_otherwise(
            text, f"{year:04d}-{month:02d}-{day:02d}" + (day_first["time"] or ""),
            _("{value} is written day first"))
    return value


def _refuse_unreal_day(text: str, year: int, month: int, day: int) -> None:
    """Refuse a day the calendar does not have, saying why: no month 13, no 30 February."""
    if year < 1:
        why = _("{value} is not a real date: there is no year {year}").format(
            value=quote(text), year=year)
    elif not 1 <= month <= 12:
        why = _("{value} is not a real date: there is no month {month}").format(
            value=quote(text), month=month)
    elif day < 1:
        why = _("{value} is not a real date: there is no day {day}").format(
            value=quote(text), day=day)
    elif day > (days := calendar.monthrange(year, month)[1]):
        why = _("{value} is not a real date: month {month} of {year} has {days} days").format(
            value=quote(text), month=month, year=year, days=days)
    else:
        return
    raise refusal(why, _(DATE_FIX))


def _day_written_otherwise(text: str, iso: str, what: str) -> PydanticCustomError:
    """A real date not written as YYYY-MM-DD (`what` says how it is written), and the
    form to write instead."""
    return refusal(what.format(value=quote(text)),
                   _("write dates as YYYY-MM-DD: did you mean {iso}?").format(iso=iso))


def _optional_day(value: object) -> object:
    """An optional date: empty means none; else as `calendar_day` reads it."""
    value = _blank_is_none(value)
    return None if value is None else calendar_day(value)


def _split_point(item: dict[Any, Any]) -> tuple[str, str]:
    """A key point written with its short form ({short: ..., text: ...}): its short form,
    checked and cleaned, and its text as written (checked as any item's where it is
    kept). Refused, saying how to write it, with keys other than those two or without
    one of them, or with a short form too long or no shorter than the text."""
    others = [str(key) for key in item if key not in ("short", "text")]
    if others:
        raise refusal(_("{keys} is not allowed in a key point, which takes only short: and "
                        "text:").format(keys=", ".join(quote(key, 30) for key in others)),
                      _("write the item as {example}, with text that has commas in double "
                        "quotes").format(example=SHORT_FORM))
    missing = [f"{key}:" for key in ("short", "text") if key not in item]
    if missing:
        raise refusal(_("{keys} is missing: a key point with a short form needs both short: "
                        "and text:").format(keys=" ".join(missing)),
                      _("write the item as {example}").format(example=SHORT_FORM))
    text = item["text"]
    if not isinstance(text, str):
        raise refusal(_("text: should be text"), _('put the text in double quotes: "..."'))
    if not text.strip():
        raise refusal(_("text: is empty"), _("write the whole key point as text:"))
    return _short_form(item["short"], text), text


def _short_form(short: object, text: str) -> str:
    """A key point's short form: one line of text as any item, at most MAX_SHORT_CHARS
    characters and shorter than its text."""
    if short is None or (isinstance(short, str) and not short.strip()):
        raise refusal(_("short: is empty"), _(SHORT_FIX))
    if not isinstance(short, str):
        raise refusal(_("short: should be text"), _('put the text in double quotes: "..."'))
    if len(short.strip()) > MAX_SHORT_CHARS:
        raise refusal(_("the short form is {length} characters long, more than {limit}").format(
                          length=len(short.strip()), limit=MAX_SHORT_CHARS),
                      _("shorten it: the slide shows a few words, the caption says the rest"))
    short = one_line_text(short)
    if len(short) >= len(text.strip()):
        raise refusal(_("the short form is not shorter than the text"), _(SHORT_FIX))
    return short


def _key_point(value: object) -> object:
    """A key point as written, a text or {short: ..., text: ...}: its text (the short
    form is checked here, and kept by `Unit._short_forms`)."""
    return _split_point(value)[1] if isinstance(value, dict) else value


def _at_most_short(value: str) -> str:
    """A short form kept (as the unit cache gives it back) is within its limit."""
    refuse_long(value, MAX_SHORT_CHARS)
    return value


def _one_or_more(value: object) -> object:
    """A list field that may be given one value alone: that value as a list of one; empty
    means none."""
    value = _blank_is_none(value)
    if value is None:
        return ()
    return [value] if isinstance(value, str) else value


# An item of steps, results or topics: a text, or a text with its short form.
KeyPoint = Annotated[Text, BeforeValidator(_key_point)]
ShortText = Annotated[Text, AfterValidator(_at_most_short)]
PlainText = Annotated[Text, AfterValidator(_plain)]
UnitId = Annotated[str, AfterValidator(_unit_id)]
ChannelName = Annotated[str, AfterValidator(_channel_name)]
OptionalText = Annotated[Text | None, BeforeValidator(_blank_is_none)]
OptionalUrl = Annotated[Url | None, BeforeValidator(_blank_is_none)]


def _items() -> Any:
    """An optional list: empty when not given, at most MAX_ITEMS items."""
    return Field(default=(), max_length=MAX_ITEMS)


class Online(BaseModel):
    """Where a procedure can be done online, and whether fully online."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    url: Url
    full: bool = False


class Unit(BaseModel):
    """Fields every kind of unit has."""

    # The validators are built when a unit is first read, not at import: a command that
    # reads none (a build of an empty project, `toolkit --help`) does not pay for them.
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True,
                              defer_build=True)

    kind: str
    id: UnitId
    title: PlainText = Field(max_length=160)
    summary: PlainText = Field(max_length=400)
    publish: datetime
    expires: Annotated[date | None, BeforeValidator(_optional_day)] = None
    channels: tuple[ChannelName, ...] | None = None
    audience: Literal["citizens", "officials"] = "citizens"
    # A draft is rendered for review (the preview area), never into the outbox.
    status: Literal["draft", "ready"] = "ready"
    tags: tuple[PlainText, ...] = _items()
    image: OptionalText = None
    link: OptionalUrl = None
    sms: OptionalText = None
    # Recorded narration for the video: audio files (MP3, WAV, M4A, OGG, FLAC) from the
    # unit's folder, one a captioned slide in order (the summary on the title card, each
    # key point that has a caption, the closing call), or one file for the whole script.
    # One file alone may be written without a list.
    narration: Annotated[tuple[Text, ...], BeforeValidator(_one_or_more)] = _items()
    body: Annotated[str, AfterValidator(_body)] = Field("", max_length=MAX_BODY_CHARS)

    # Where the unit came from; set by the loader, not written by editors.
    source: str = ""
    fingerprint: str = ""
    # The line each field starts on ("steps"), and each item of a list ("steps.2",
    # counted from 1), for messages about them; "body" is the body's first line.
    lines: dict[str, int] = {}
    # The short forms editors gave key points, by the point's number (from 1); taken
    # from the items as written (`_short_forms`), kept so that the cache keeps them.
    shorts: dict[int, ShortText] = {}

    @model_validator(mode="before")
    @classmethod
    def _short_forms(cls, data: Any) -> Any:
        """Keep the short forms of the key points written as {short: ..., text: ...};
        their items become their texts (`_key_point`), and a bad one is reported there.
        Key points all plain (as the cache keeps them) leave `shorts` as it is given."""
        items = data.get(cls.KEY_POINTS) if isinstance(data, dict) and cls.KEY_POINTS else None
        if not isinstance(items, (list, tuple)) or not any(isinstance(i, dict) for i in items):
            return data
        shorts: dict[int, str] = {}
        for number, item in enumerate(items, start=1):
            if isinstance(item, dict):
                with contextlib.suppress(ValueError):  # said on the item itself
                    shorts[number] = _split_point(item)[0]
        return {**data, "shorts": shorts}

    @field_validator("publish", mode="before")
    @classmethod
    def _date_or_datetime(cls, value: object) -> object:
        """A bare date means the start of that day, local time."""
        value = calendar_day(value)
        if isinstance(value, date) and not isinstance(value, datetime):
            return datetime(value.year, value.month, value.day)
        return value

    @field_validator("publish")
    @classmethod
    def _naive_local(cls, value: datetime) -> datetime:
        if value.tzinfo is not None:
            raise ValueError(_("must be local time without a zone, like 2021-02-15 08:00"))
        return value

    @field_validator("channels")
    @classmethod
    def _no_repeats(cls, value: tuple[str, ...] | None) -> tuple[str, ...] | None:
        if value is not None and len(set(value)) != len(value):
            raise ValueError(_("names a channel twice"))
        return value

    @property
    def wanted_channels(self) -> tuple[str, ...]:
        """The channels this unit goes to: its own list, else those its kind gets."""
        from toolkit.channels import defaults

        return self.channels if self.channels is not None else defaults(self.kind)

    KEY_POINTS: ClassVar[str] = ""  # each kind names its field: steps, results, topics

    @property
    def key_points(self) -> tuple[str, ...]:
        """The points a short form (slide, SMS teaser) walks through."""
        return tuple(getattr(self, self.KEY_POINTS, ()))

    def short_point(self, number: int) -> str | None:
        """The short form the editor gave key point `number` (from 1), if any: what its
        slide shows, the point itself being said in full."""
        return self.shorts.get(number)

    @property
    def is_draft(self) -> bool:
        """True while the unit is written for review only."""
        return self.status == "draft"

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
    steps: tuple[KeyPoint, ...] = Field(min_length=1, max_length=MAX_ITEMS)
    documents: tuple[Text, ...] = _items()
    processing_time: OptionalText = None
    fee: OptionalText = None
    where: OptionalText = None
    online: Online | None = None
    legal_basis: tuple[Text, ...] = _items()

    KEY_POINTS: ClassVar[str] = "steps"  # the field of the points a short form walks


class Example(Unit):
    """A model example or initiative worth copying."""

    kind: Literal["example"]
    organisation: Text
    place: OptionalText = None
    results: tuple[KeyPoint, ...] = Field(min_length=1, max_length=MAX_ITEMS)

    KEY_POINTS: ClassVar[str] = "results"  # the field of the points a short form walks


class Notice(Unit):
    """A hotline or service notice."""

    kind: Literal["notice"]
    hotline: Text
    hours: OptionalText = None
    topics: tuple[KeyPoint, ...] = _items()
    how: tuple[Text, ...] = _items()

    KEY_POINTS: ClassVar[str] = "topics"  # the field of the points a short form walks


MODELS: dict[str, type[Unit]] = {"procedure": Procedure, "example": Example, "notice": Notice}

AnyUnit = Procedure | Example | Notice
