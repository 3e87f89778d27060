"""The scripts: a unit's, and the week's bulletin, in the spoken register."""

from __future__ import annotations

import math
import re
from collections.abc import Sequence

from toolkit.channels.radio.lines import wrapped
from toolkit.channels.radio.template import NAME, Phrases, RadioTemplate
from toolkit.content.model import AnyUnit, Example, Notice, Procedure
from toolkit.content.view import bare_url, hotline
from toolkit.i18n import _, day
from toolkit.jobs import digest
from toolkit.memo import memo
from toolkit.periods import Period
from toolkit.problems import Problem, ProblemError
from toolkit.settings import Settings
from toolkit.spoken.verbalise import reading_seconds, sentences, spoken, words_of

LINE_END = "\r\n"
NOTE = re.compile(r"^\s*\[.*\]\s*$")  # a line for the announcer's eyes only
ROUND_TO_S = 5  # a reading time is "about" so many seconds: rounded to this
MADE = memo(NAME)  # each unit's spoken sentences, by unit, settings and template


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
