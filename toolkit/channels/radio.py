"""Radio channel: what the commune loudspeaker announcer reads aloud.

Each live unit that asks for radio gets `outbox/radio/<id>.txt`: a script in the
spoken register (`toolkit.spoken.verbalise`: "1022" is "một không hai hai", "UBND"
is "Ủy ban nhân dân"), read as it is written: the template's opening, the title,
the summary, the key points as sentences ("Bước một: ..."), where to go, the
hotline said twice as announcers do, the closing. A build given a week (`toolkit
bulletin --week 2021-W10`) also makes that week's bulletin,
`outbox/radio/2021-W10/ban-tin-2021-W10.txt`: the week's units, opened and closed
once, which must fit its slot on air (`slot_s`).

A script is plain UTF-8 text with Windows line ends (the announcer's computer opens
it in Notepad), in short lines broken where a reader pauses (`wrapped`), paragraphs
apart. A line wholly in square brackets is a note for the announcer (how long the
script reads), never read aloud: `aloud()` leaves such lines out.
"""

from __future__ import annotations

import math
import re
import string
from collections.abc import Sequence
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from pydantic import Field, ValidationInfo, field_validator

from toolkit.channels.base import Channel, Message, Shown
from toolkit.content.model import KINDS, AnyUnit, Example, Notice, Procedure
from toolkit.content.view import bare_url, hotline
from toolkit.i18n import N_, _, day, vietnamese
from toolkit.jobs import Context, File, Job, digest
from toolkit.memo import memo
from toolkit.outbox import Item
from toolkit.periods import Period
from toolkit.problems import Problem, ProblemError, quote
from toolkit.settings import Settings
from toolkit.spoken.numbers import DIGITS, Numbers
from toolkit.spoken.verbalise import reading_seconds, sentences, spoken, unsaid, words_of
from toolkit.templates import Strict, Template, channel_template

if TYPE_CHECKING:
    from toolkit.spoken.voices import Voice

SCRIPT, WEEKLY = "script", "weekly-script"  # what each file is, for the manifest and report
AUDIO, CUES, TIMINGS = "weekly-audio", "weekly-cues", "weekly-timings"
SPEECH_CACHE = Path(".toolkit-cache", "speech")  # each sentence a voice said, by voice and text
RADIO_TITLE = N_("Radio bulletin {week}")  # the MP3's title, in Vietnamese whatever the officer's
LINE_END = "\r\n"
NOTE = re.compile(r"^\s*\[.*\]\s*$")  # a line for the announcer's eyes only
WEEK_NAME = re.compile(r"\d{4}-W\d{2}")
ROUND_TO_S = 5  # a reading time is "about" so many seconds: rounded to this
# Breaking lines: how much a bad place to break weighs against a line left short, and
# how short a last line may be (of the width) before it costs.
PLACE_WEIGHT = 4.0
NUMBER_BREAK = 6.0  # inside a number said in words: worse than inside a two-syllable word
NUMBER_WORDS = frozenset((*DIGITS, "mười", "mươi", "trăm", "nghìn", "ngàn", "triệu", "tỷ",
                          "linh", "lẻ", "mốt", "lăm", "tư", "phẩy"))
COUNTED = frozenset(("ngày", "tháng", "số", "thứ", "bước", "giờ", "lần"))  # kept with theirs
LAST_LINE_AT_LEAST = 0.4

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


def _known_placeholders(text: str, known: frozenset[str]) -> str:
    """`text` if it names only `known` placeholders; else a ValueError that says which
    it may use."""
    try:
        names = {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}
    except ValueError as err:
        raise ValueError(_("{pattern}: {error}").format(pattern=quote(text), error=err)) from None
    unknown = names - known
    if unknown:
        raise ValueError(_("{pattern} uses {unknown}; the placeholders known here are "
                           "{known}").format(pattern=quote(text), unknown=_braced(unknown),
                                             known=_braced(known) or _("none")))
    return text


def _braced(names: frozenset[str] | set[str]) -> str:
    return ", ".join("{" + name + "}" for name in sorted(names))


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
        return tuple(_known_placeholders(text, FRAMING) for text in texts)


class WeeklyFraming(Strict):
    """The sentences that open and close the week's bulletin, and go between its units."""

    opening: tuple[str, ...] = ()
    between: str = ""
    closing: tuple[str, ...] = ()

    @field_validator("opening", "closing")
    @classmethod
    def _placeholders(cls, texts: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(_known_placeholders(text, WEEKLY_FRAMING) for text in texts)

    @field_validator("between")
    @classmethod
    def _between(cls, text: str) -> str:
        return _known_placeholders(text, WEEKLY_FRAMING)


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
        return _known_placeholders(text, PHRASES[str(info.field_name)])


class Notes(Strict):
    """The notes for the announcer at the top of a script, and how a time is written."""

    reading: str
    weekly: str
    minutes: str
    seconds: str

    @field_validator("*")
    @classmethod
    def _placeholders(cls, text: str, info: ValidationInfo) -> str:
        return _known_placeholders(text, NOTES[str(info.field_name)])


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


class Radio(Channel[RadioTemplate]):
    """A script per live unit that asks for radio, and the week's bulletin when a build is
    given a week. A model example is read too: the loudspeakers carry "good people, good
    deeds" and model stories in every commune, and the plan asks that models be known."""

    name = "radio"
    label = N_("radio scripts")
    templates = "radio"
    template = RadioTemplate
    kinds = KINDS
    reported = {SCRIPT: N_("radio")}
    media_types = {".txt": "text/plain; charset=utf-8", ".mp3": "audio/mpeg",
                   ".cue": "text/plain; charset=utf-8", ".json": "application/json"}
    # Makes a file of the week besides its units' files: `toolkit bulletin`, which builds the
    # channels made by period and those that announce them, is to build this one too.
    periodic = True

    def plan(self, units: Sequence[AnyUnit], context: Context[RadioTemplate]) -> list[Job]:
        """A job per live unit's script, and one for the week's bulletin if the build is
        given a week that has units for radio."""
        settings, template = context.settings, context.template
        jobs = [Job((File(f"{u.id}.txt", SCRIPT),), u.id, (u.id,),
                    partial(render_script, u, settings, template))
                for u in sorted(units, key=lambda u: u.id) if self._live(u, context)]
        week = context.period
        if week is not None and WEEK_NAME.fullmatch(week.name):
            chosen = self.of_week(units, week)
            if chosen:
                jobs.append(Job((File(weekly_path(week), WEEKLY),), None,
                                tuple(u.id for u in chosen),
                                partial(render_weekly, week, tuple(chosen), settings, template),
                                uses=(week.name,)))
                if template.voice:
                    jobs.append(_audio_job(week, tuple(chosen), context))
        return jobs

    def _live(self, unit: AnyUnit, context: Context[RadioTemplate]) -> bool:
        return self.name in unit.wanted_channels and unit.is_live(context.today)

    def of_week(self, units: Sequence[AnyUnit], week: Period) -> list[AnyUnit]:
        """The units of a week that ask for radio, not expired before it starts, by kind,
        then date, then id (as the printed bulletin orders them)."""
        order = {kind: i for i, kind in enumerate(KINDS)}
        picked = [u for u in units if self.name in u.wanted_channels and week.holds(u)
                  and not u.is_expired(week.start)]
        return sorted(picked, key=lambda u: (order[u.kind], u.publish, u.id))

    def keeps(self, item: Item) -> bool:
        """The bulletins of other weeks stay: each is the script of its own week."""
        return "/" in item.path

    def check(self, unit: AnyUnit, context: Context[RadioTemplate],
              thorough: bool = False) -> list[Problem]:
        """A unit's script must fit the weekly slot on its own; `toolkit check` also warns
        of what the script cannot say (a stray symbol, an unknown part of an address)."""
        if self.name not in unit.wanted_channels:
            return []
        template = context.template
        problems = _too_long(unit, unit_seconds(unit, context.settings, template), template)
        if thorough:
            problems += _unsaid_warnings(unit, context.settings, template)
        return problems

    def shown(self, items: Sequence[Item], outbox: Path) -> dict[str, list[Shown]]:
        """Each unit's script as the announcer reads it, and how long it reads."""
        pace = _pace(outbox)
        found: dict[str, list[Shown]] = {}
        for item in items:
            if item.unit is None or item.product != SCRIPT:
                continue
            try:
                text = (outbox / self.name / item.path).read_text(encoding="utf-8-sig")
            except (OSError, UnicodeDecodeError):
                continue
            found[item.unit] = [Message(text.replace(LINE_END, "\n"), _reading_note(text, pace))]
        return found


CHANNEL = Radio()
MADE = memo(CHANNEL.name)  # each unit's spoken sentences, by unit, settings and template


# -- Scripts --------------------------------------------------------------------------

def weekly_path(week: Period) -> str:
    """Where the week's bulletin goes in outbox/radio/."""
    return f"{week.name}/ban-tin-{week.name}.txt"


def aloud(text: str) -> str:
    """A script without its notes for the announcer (its lines wholly in square
    brackets): what is read aloud, as `sentences` and a voice take it."""
    lines = text.lstrip("\ufeff").splitlines()
    return "\n".join(line for line in lines if not NOTE.match(line))


def render_script(unit: AnyUnit, settings: Settings,
                  template: RadioTemplate) -> tuple[bytes]:
    """The bytes of a unit's script."""
    return (_encoded(script(unit, settings, template)),)


def render_weekly(week: Period, units: tuple[AnyUnit, ...], settings: Settings,
                  template: RadioTemplate) -> tuple[bytes]:
    """The bytes of the week's bulletin; a ProblemError when it reads longer than its
    slot, saying by how much and what to do."""
    text = weekly_script(week, units, settings, template)
    seconds = reading_seconds(aloud(text), template.words_per_minute)
    if seconds > template.slot_s:
        raise ProblemError(_over_slot(week, units, seconds, settings, template))
    return (_encoded(text),)


def _audio_job(week: Period, units: tuple[AnyUnit, ...],
               context: Context[RadioTemplate]) -> Job:
    """The week's bulletin read aloud: the MP3, its cue sheet and its timings."""
    from toolkit.spoken.audio import DRAFT_SUFFIX

    stem = weekly_path(week).removesuffix(".txt")
    if context.template.voice == "draft":
        stem += DRAFT_SUFFIX
    files = (File(f"{stem}.mp3", AUDIO), File(f"{stem}.cue", CUES),
             File(f"{stem}.json", TIMINGS))
    render = partial(render_audio, week, units, context.settings, context.template,
                     context.project_dir / SPEECH_CACHE)
    return Job(files, None, tuple(u.id for u in units), render,
               uses=(week.name, context.template.voice))


def render_audio(week: Period, units: tuple[AnyUnit, ...], settings: Settings,
                 template: RadioTemplate, cache: Path) -> tuple[bytes, bytes, bytes]:
    """The week's bulletin as the template's voice reads it, a paragraph a group (the
    longer pause goes between them); sentences said before come from `cache`."""
    from toolkit.spoken.audio import speak

    text = aloud(weekly_script(week, units, settings, template))
    paragraphs = [sentences(p) for p in text.split("\n\n") if p.strip()]
    title = vietnamese(RADIO_TITLE).format(week=week.name)
    spoken = speak(paragraphs, _voice(template), title=title,
                   stem=f"ban-tin-{week.name}", cache=cache)
    files = spoken.files()
    return files[spoken.file_name], files[spoken.cue_name], files[spoken.timings_name]


def _voice(template: RadioTemplate) -> Voice:
    """The voice the template names: espeak-ng (a draft), or the service the
    environment configures (a ProblemError naming what is not set)."""
    from toolkit.spoken.voices import EspeakVoice, ServiceVoice

    return EspeakVoice() if template.voice == "draft" else ServiceVoice.from_environment()


def _encoded(text: str) -> bytes:
    return text.replace("\n", LINE_END).encode("utf-8")


def script(unit: AnyUnit, settings: Settings, template: RadioTemplate) -> str:
    """A unit's script: a note of how long it reads, the opening, the unit, its hotline
    twice, the closing; lines short, paragraphs apart (line ends are "\\n" here)."""
    return _with_note(_paragraphs(unit, settings, template), [], template)


def unit_seconds(unit: AnyUnit, settings: Settings, template: RadioTemplate) -> float:
    """How long a unit's script reads at the template's pace (without laying it out in
    lines: every build checks every unit)."""
    paragraphs = _paragraphs(unit, settings, template)
    return _words(paragraphs) * 60 / template.words_per_minute


def _paragraphs(unit: AnyUnit, settings: Settings, template: RadioTemplate) -> list[list[str]]:
    """The sentences of a unit's script as said, by paragraph."""
    org = settings.organisation.name
    said = _speaker(unit, settings, template)
    return [said.framing(template.unit.opening, org=org), *_body(unit, settings, template),
            said.hotline(hotline(unit, settings)), said.framing(template.unit.closing, org=org)]


def _words(paragraphs: list[list[str]]) -> int:
    return sum(words_of(sentence) for paragraph in paragraphs for sentence in paragraph)


def weekly_script(week: Period, units: Sequence[AnyUnit], settings: Settings,
                  template: RadioTemplate) -> str:
    """The week's bulletin: the weekly opening, each unit (its own hotline only where it
    differs from the organisation's), the organisation's hotline twice, the closing."""
    org, shared = settings.organisation.name, settings.organisation.hotline
    said = _Speaker(template, (shared,))
    fields = {"org": org, "start": f"{week.start:%d/%m}", "end": day(week.end),
              "number": str(week.number)}
    paragraphs = [said.framing(template.weekly.opening, **fields)]
    for number, unit in enumerate(units):
        if number and template.weekly.between:
            paragraphs.append(said.framing((template.weekly.between,), **fields))
        paragraphs += _body(unit, settings, template)
        own = hotline(unit, settings)
        if _digits(own) != _digits(shared):
            paragraphs.append(_speaker(unit, settings, template).hotline(own))
    paragraphs += [said.hotline(shared), said.framing(template.weekly.closing, **fields)]
    slot = _vietnamese_time(template.slot_s, template)
    note = template.notes.weekly.format(week=week.name, count=len(units), slot=slot)
    return _with_note(paragraphs, [note], template)


def _with_note(paragraphs: list[list[str]], notes: list[str], template: RadioTemplate) -> str:
    """The script: its notes in square brackets (the reading time last), a blank line,
    then each paragraph's sentences in short lines, paragraphs apart."""
    paragraphs = [p for p in paragraphs if p]
    seconds = _words(paragraphs) * 60 / template.words_per_minute
    reading = template.notes.reading.format(time=_vietnamese_time(seconds, template),
                                            wpm=template.words_per_minute)
    lines = [f"[{note}]" for note in (*notes, reading)]
    for paragraph in paragraphs:
        lines.append("")
        for sentence in paragraph:
            lines += wrapped(sentence, template.line_chars)
    return "\n".join(lines) + "\n"


def wrapped(sentence: str, width: int) -> list[str]:
    """A sentence in lines of at most `width` characters (a word longer than a line
    stays whole), broken where a reader pauses anyway: after a comma, before "và",
    "để", "tại" (`subtitles.place_cost`, the rules the captions follow), never inside a
    number said in words, never leaving a word alone on the last line when it can be
    helped; lines as even as those breaks allow, all chosen together."""
    words = sentence.split()
    after = [_break_cost(words, j) for j in range(1, len(words))]  # the cost to break there
    best = [0.0] + [math.inf] * len(words)  # the least cost of the first j words
    start = [0] * (len(words) + 1)  # where the last line of that best setting starts
    for j in range(1, len(words) + 1):
        length = -1
        for i in range(j - 1, -1, -1):
            length += len(words[i]) + 1
            if length > width and i < j - 1:
                break
            last = j == len(words)
            cost = best[i] + _room_cost(length, width, last, i > 0)
            if not last:
                cost += PLACE_WEIGHT * after[j - 1]
            if cost < best[j]:
                best[j], start[j] = cost, i
    lines, j = [], len(words)
    while j:
        lines.append(" ".join(words[start[j]:j]))
        j = start[j]
    return lines[::-1]


def _room_cost(length: int, width: int, last: bool, after_another: bool) -> float:
    """How bad the room a line leaves is: any room, but on the last line only when it is
    much shorter than the others."""
    if last:
        room = max(0.0, width * LAST_LINE_AT_LEAST - length) if after_another else 0.0
    else:
        room = max(0, width - length)
    return (room / width * 10) ** 2


def _break_cost(words: list[str], j: int) -> float:
    """How bad a break before words[j] is."""
    from toolkit.render.subtitles import place_cost

    before, after = words[j - 1], words[j]
    year = after.lower() == "năm" and j >= 2 and words[j - 2].lower() == "tháng"
    in_number = _number_word(after) and (_number_word(before) or before.lower() in COUNTED)
    return NUMBER_BREAK if in_number and not year else place_cost(before, after)


def _number_word(word: str) -> bool:
    """A word of a number said ("hai", "mươi", "nghìn"): a line should not leave the
    rest of its number, nor its "tháng" or "số", for the next ("không hai | năm một",
    "tháng | ba" are harder to read out than to write)."""
    return word.lower() in NUMBER_WORDS


class _Speaker:
    """Texts said in the template's words and numbers, these phone numbers digit by digit."""

    def __init__(self, template: RadioTemplate, phones: tuple[str, ...]) -> None:
        self.template = template
        self.phones = tuple(dict.fromkeys(p for p in phones if p))

    def say(self, text: str) -> list[str]:
        """`text` in words, as sentences."""
        return sentences(spoken(text, self.template.words, phones=self.phones,
                                numbers=self.template.spoken_numbers))

    def framing(self, texts: Sequence[str], **fields: str) -> list[str]:
        """An opening or a closing, its placeholders filled."""
        return [s for text in texts for s in self.say(_sentence(text.format(**fields)))]

    def phrase(self, pattern: str, **fields: str) -> list[str]:
        """One of the template's phrases, filled and said."""
        return self.say(_sentence(pattern.format(**fields)))

    def hotline(self, number: str) -> list[str]:
        """The number to call, said twice."""
        if not number.strip():
            return []
        phrases = self.template.phrases
        return [*self.phrase(phrases.hotline, hotline=number),
                *self.phrase(phrases.again, hotline=number)]


def _speaker(unit: AnyUnit, settings: Settings, template: RadioTemplate) -> _Speaker:
    return _Speaker(template, (hotline(unit, settings), settings.organisation.hotline))


def _body(unit: AnyUnit, settings: Settings, template: RadioTemplate) -> list[list[str]]:
    """A unit's paragraphs as said (title, summary, key points, where to go), made once
    for a unit, settings and template (its script and the weeks' bulletins take them)."""
    key = digest(unit.fingerprint, settings.digest, template.digest)
    made = MADE.get(key)
    if made is None:
        made = MADE.put(key, "\n\n".join("\n".join(p) for p in _said_body(unit, settings,
                                                                              template) if p))
    return [paragraph.split("\n") for paragraph in made.split("\n\n") if paragraph]


def _said_body(unit: AnyUnit, settings: Settings, template: RadioTemplate) -> list[list[str]]:
    said, phrases = _speaker(unit, settings, template), template.phrases
    points: list[str] = []
    if unit.key_points:
        step = phrases.step if isinstance(unit, Procedure) else phrases.point
        points = said.say(_sentence(getattr(phrases, unit.KEY_POINTS)))
        for number, point in enumerate(unit.key_points, start=1):
            points += said.phrase(step, number=str(number), text=_sentence(point, stop=""))
    return [said.say(_sentence(unit.title)), said.say(_sentence(unit.summary)), points,
            _facts(unit, said, phrases)]


def _facts(unit: AnyUnit, said: _Speaker, phrases: Phrases) -> list[str]:
    """Where to go and when: a procedure's place and its online address, a notice's
    hours, an example's place."""
    facts: list[str] = []
    if isinstance(unit, Procedure):
        if unit.where:
            facts += said.phrase(phrases.where, where=_sentence(unit.where, stop=""))
        if unit.online:
            facts += said.phrase(phrases.online, site=_site(unit.online.url))
    elif isinstance(unit, Notice) and unit.hours:
        facts += said.phrase(phrases.hours, hours=_sentence(unit.hours, stop=""))
    elif isinstance(unit, Example) and unit.place:
        facts += said.phrase(phrases.place, place=_sentence(unit.place, stop=""))
    return facts


def _site(url: str) -> str:
    """An address as an announcer gives it: its host, without "www." and the path."""
    return bare_url(url).split("/")[0].removeprefix("www.")


def _sentence(text: str, stop: str = ".") -> str:
    """`text` as one sentence: trimmed, ending with a stop unless it has one (`stop` ""
    for a text set inside a phrase, which ends it)."""
    text = " ".join(text.split())
    if not stop:
        return text.rstrip(".;,")
    return text if not text or text[-1] in ".!?…:" else text + stop


def _digits(text: str) -> str:
    return re.sub(r"\D", "", text)


# -- Reading times --------------------------------------------------------------------

def _rounded(seconds: float, up: bool = False) -> tuple[int, int]:
    """A reading time as minutes and seconds, rounded to ROUND_TO_S (at least that); `up`
    to the next, for a time said against a limit (never "about 5 min" over a 5 min slot)."""
    steps = math.ceil(seconds / ROUND_TO_S) if up else round(seconds / ROUND_TO_S)
    return divmod(ROUND_TO_S * max(1, steps), 60)


def _vietnamese_time(seconds: float, template: RadioTemplate) -> str:
    """"1 phút 20 giây", as the template writes minutes and seconds (a script is in
    Vietnamese whatever language the officer reads)."""
    minutes, rest = _rounded(seconds)
    parts = [template.notes.minutes.format(n=minutes)] if minutes else []
    if rest:
        parts.append(template.notes.seconds.format(n=rest))
    return " ".join(parts)


def duration(seconds: float, up: bool = False) -> str:
    """A reading time as the officer reads it: "1 min 20 s" ("1 phút 20 giây")."""
    minutes, rest = _rounded(seconds, up)
    if not minutes:
        return _("{seconds} s").format(seconds=rest)
    if not rest:
        return _("{minutes} min").format(minutes=minutes)
    return _("{minutes} min {seconds} s").format(minutes=minutes, seconds=rest)


def _pace(outbox: Path) -> int | None:
    """The words a minute of the project whose outbox (or preview area) this is; None if
    its template cannot be read."""
    from toolkit.project import find_root

    root = find_root(outbox.resolve())
    if root is None:
        return None
    try:
        return channel_template(root, CHANNEL.templates, RadioTemplate).words_per_minute
    except ProblemError:
        return None


def _reading_note(text: str, pace: int | None) -> str:
    """What the review page notes of a script: how long it reads, at what pace."""
    words = words_of(aloud(text))
    if pace is None:
        return _("Radio: {words} words").format(words=words)
    return _("Radio: read aloud in about {time} at {pace} words a minute ({words} words)"
             ).format(time=duration(words * 60 / pace), pace=pace, words=words)


# -- Problems ---------------------------------------------------------------------------

def _too_long(unit: AnyUnit, seconds: float, template: RadioTemplate) -> list[Problem]:
    """A problem when a unit's script alone reads longer than the weekly slot."""
    if seconds <= template.slot_s:
        return []
    return [Problem(unit.source, unit.lines.get("summary"), "summary", _(
        "the radio script reads in about {time} at {pace} words a minute, longer than the "
        "{slot} slot of the weekly radio bulletin").format(
            time=duration(seconds, up=True), pace=template.words_per_minute,
            slot=duration(template.slot_s)),
        _("shorten the summary and the key points, or leave radio out of channels:"))]


def _over_slot(week: Period, units: Sequence[AnyUnit], seconds: float, settings: Settings,
               template: RadioTemplate) -> Problem:
    """The week's bulletin reads longer than its slot: by how much, its longest unit,
    and what to do."""
    lengths = {u.id: unit_seconds(u, settings, template) for u in units}
    longest = max(sorted(lengths), key=lambda i: lengths[i])
    minutes, rest = _rounded(seconds, up=True)
    over = 60 * minutes + rest - template.slot_s
    return Problem(f"outbox/radio/{weekly_path(week)}", None, "", _(
        "the radio bulletin of {week} reads in about {time}, {over} more than its {slot} "
        "slot; its longest unit is {unit} (about {longest})").format(
            week=week.name, time=duration(seconds, up=True), over=duration(over),
            slot=duration(template.slot_s), unit=longest, longest=duration(lengths[longest])),
        _("leave a unit out of the radio (list its channels: without radio), shorten the "
          "summaries and key points, or raise slot_s in templates/radio/default.toml, then "
          "run this again"))


def _unsaid_warnings(unit: AnyUnit, settings: Settings,
                     template: RadioTemplate) -> list[Problem]:
    """A warning for each field of the script with something it cannot say."""
    phones = (hotline(unit, settings), settings.organisation.hotline)
    problems = []
    for field, line, text in _spoken_fields(unit):
        left = unsaid(text, template.words, phones=phones, numbers=template.spoken_numbers)
        if left:
            problems.append(Problem(unit.source, unit.lines.get(line), field, _(
                "{what} cannot be read aloud: the radio script leaves it out or as written"
            ).format(what=", ".join(map(quote, left))), _(
                "write it in words, or say how it is read under [words] in "
                "templates/radio/default.toml"), warning=True))
    return problems


def _spoken_fields(unit: AnyUnit) -> list[tuple[str, str, str]]:
    """(field, the key of its line, text) of every field a script says."""
    fields: list[tuple[str, str, str]] = [("title", "title", unit.title),
                                          ("summary", "summary", unit.summary)]
    key = unit.KEY_POINTS
    fields += [(key, f"{key}.{n}", point) for n, point in enumerate(unit.key_points, start=1)]
    extra: dict[str, Any] = {"where": getattr(unit, "where", None),
                             "hours": getattr(unit, "hours", None),
                             "place": getattr(unit, "place", None)}
    fields += [(name, name, value) for name, value in extra.items() if value]
    return fields
