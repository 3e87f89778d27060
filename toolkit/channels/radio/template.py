"""templates/radio/*.toml: the pace, the slot, the sentences a script is made of."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, ValidationInfo, field_validator

from toolkit.i18n import _
from toolkit.problems import quote
from toolkit.spoken.numbers import Numbers
from toolkit.templates import Strict, Template, known_placeholders

NAME = "radio"  # the channel's name: what units list in `channels:`, its outbox folder

# The placeholders each text of the template may use.
FRAMING = frozenset({"org"})
WEEKLY_FRAMING = frozenset({"org", "start", "end", "number"})
PHRASES = {"steps": frozenset(), "results": frozenset(), "topics": frozenset(),
           "step": frozenset({"number", "text"}), "point": frozenset({"number", "text"}),
           "where": frozenset({"where"}), "online": frozenset({"site"}),
           "hours": frozenset({"hours"}), "place": frozenset({"place"}),
           "hotline": frozenset({"hotline"}), "again": frozenset({"hotline"})}
NOTES = {"reading": frozenset({"time", "wpm"}),
         "weekly": frozenset({"week", "count", "slot"}),
         "minutes": frozenset({"n"}), "seconds": frozenset({"n"})}


class NumberWords(Strict):
    """How numbers are said: "nghìn" or "ngàn", "linh" or "lẻ"."""

    thousand: Literal["nghìn", "ngàn"] = "nghìn"
    zero_ten: Literal["linh", "lẻ"] = "linh"


class Framing(Strict):
    """The sentences that open and close a unit's script."""

    opening: tuple[str, ...] = ()
    closing: tuple[str, ...] = ()

    @field_validator("opening", "closing")
    @classmethod
    def _placeholders(cls, texts: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(known_placeholders(text, FRAMING) for text in texts)


class WeeklyFraming(Strict):
    """The sentences that open and close the week's bulletin, and go between its units."""

    opening: tuple[str, ...] = ()
    between: str = ""
    closing: tuple[str, ...] = ()

    @field_validator("opening", "closing")
    @classmethod
    def _placeholders(cls, texts: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(known_placeholders(text, WEEKLY_FRAMING) for text in texts)

    @field_validator("between")
    @classmethod
    def _between(cls, text: str) -> str:
        return known_placeholders(text, WEEKLY_FRAMING)


class Phrases(Strict):
    """The sentences a unit's fields are said in."""

    steps: str
    results: str
    topics: str
    step: str
    point: str
    where: str
    online: str
    hours: str
    place: str
    hotline: str
    again: str

    @field_validator("*")
    @classmethod
    def _placeholders(cls, text: str, info: ValidationInfo) -> str:
        return known_placeholders(text, PHRASES[str(info.field_name)])


class Notes(Strict):
    """The notes for the announcer at the top of a script, and how a time is written."""

    reading: str
    weekly: str
    minutes: str
    seconds: str

    @field_validator("*")
    @classmethod
    def _placeholders(cls, text: str, info: ValidationInfo) -> str:
        return known_placeholders(text, NOTES[str(info.field_name)])


class RadioTemplate(Template):
    """templates/radio/*.toml: the pace, the slot, the sentences scripts are made of."""

    words_per_minute: int = Field(160, ge=100, le=240)
    slot_s: int = Field(300, ge=10, le=7200)
    line_chars: int = Field(60, ge=30, le=200)
    numbers: NumberWords = NumberWords()
    unit: Framing = Framing()
    weekly: WeeklyFraming = WeeklyFraming()
    phrases: Phrases
    notes: Notes
    words: dict[str, str] = {}  # abbreviations and names said otherwise, added to the known
    # Who reads the week's bulletin aloud: nobody, espeak-ng (a draft), or a service.
    voice: Literal["", "draft", "service"] = ""

    @field_validator("words")
    @classmethod
    def _no_empty_words(cls, words: dict[str, str]) -> dict[str, str]:
        for written, said in words.items():
            if not written.strip() or not said.strip():
                raise ValueError(_("{written} = {said}: neither side may be empty").format(
                    written=quote(written), said=quote(said)))
        return words

    @property
    def spoken_numbers(self) -> Numbers:
        """The way this template says numbers, as the verbaliser takes it."""
        return Numbers(self.numbers.thousand, self.numbers.zero_ten)
