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

import re
from collections.abc import Sequence
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from toolkit.channels.base import Channel, Message, Shown
from toolkit.channels.radio.script import (
    LINE_END,
    aloud,
    duration,
    render_script,
    render_weekly,
    unit_seconds,
    weekly_path,
    weekly_script,
)
from toolkit.channels.radio.template import NAME, RadioTemplate
from toolkit.content.model import KINDS, AnyUnit
from toolkit.content.view import hotline
from toolkit.i18n import N_, _, vietnamese
from toolkit.jobs import Context, File, Job
from toolkit.outbox import Item
from toolkit.periods import Period
from toolkit.problems import Problem, ProblemError, quote
from toolkit.settings import Settings
from toolkit.spoken.verbalise import sentences, unsaid, words_of
from toolkit.templates import channel_template

if TYPE_CHECKING:
    from toolkit.spoken.voices import Voice

SCRIPT, WEEKLY = "script", "weekly-script"  # what each file is, for the manifest and report
AUDIO, CUES, TIMINGS = "weekly-audio", "weekly-cues", "weekly-timings"
SPEECH_CACHE = Path(".toolkit-cache", "speech")  # each sentence a voice said, by voice and text
RADIO_TITLE = N_("Radio bulletin {week}")  # the MP3's title, in Vietnamese whatever the officer's
WEEK_NAME = re.compile(r"\d{4}-W\d{2}")


class Radio(Channel[RadioTemplate]):
    """A script per live unit that asks for radio, and the week's bulletin when a build is
    given a week. A model example is read too: the loudspeakers carry "good people, good
    deeds" and model stories in every commune, and the plan asks that models be known."""

    name = NAME
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
