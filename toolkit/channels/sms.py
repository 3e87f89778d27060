"""SMS channel: one short message per unit, in a CSV the gateway picks up.

By default a message goes without diacritics in one 160-septet GSM-7 segment;
toolkit.toml may allow more segments ([sms] segments) or Unicode ([sms] unicode).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from functools import partial
from pathlib import Path

from pydantic import Field, field_validator

from toolkit.channels.base import Channel, Message, Shown
from toolkit.content.model import AnyUnit
from toolkit.content.view import bare_url, hotline
from toolkit.i18n import N_, _, day, ngettext
from toolkit.jobs import Context, File, Issue, Job, digest
from toolkit.memo import memo
from toolkit.outbox import Item
from toolkit.problems import Problem, ProblemError
from toolkit.settings import Settings
from toolkit.smstext import capacity, cost, to_gsm7
from toolkit.templates import Template, known_placeholders

HEADER = ("id", "text", "encoding", "units", "segments")
MESSAGES = "messages.csv"  # in outbox/sms/, where the gateway and `deliver` read it
LIST = "messages"  # what the file is, for the manifest and the report
ELLIPSIS = "..."
# What makes Excel (and LibreOffice) read a cell as a formula when an officer opens
# messages.csv: =, +, -, @, tab and CR first, and their full-width forms. A message
# never starts with one (see _defused), so the CSV holds exactly the text that is sent.
FORMULA_STARTS = "=+-@\t\r\n \uff1d\uff0b\uff0d\uff20"
PLACEHOLDERS = frozenset({"org", "title", "summary", "hotline", "link"})
BULLETIN_PLACEHOLDERS = frozenset({"org", "start", "end", "number", "link"})


class SmsTemplate(Template):
    """templates/sms/*.toml: the patterns messages are made from, and the file name."""

    patterns: tuple[str, ...] = Field(min_length=1)
    bulletin: tuple[str, ...] = ()  # the teaser of each bulletin: the first pattern that fits

    @field_validator("patterns")
    @classmethod
    def _unit_placeholders(cls, patterns: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(known_placeholders(p, PLACEHOLDERS) for p in patterns)

    @field_validator("bulletin")
    @classmethod
    def _bulletin_placeholders(cls, patterns: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(known_placeholders(p, BULLETIN_PLACEHOLDERS) for p in patterns)


class Sms(Channel[SmsTemplate]):
    """The SMS list: one message per live unit that asks for it, a teaser per bulletin."""

    name = "sms"
    label = N_("SMS messages")
    templates = "sms"
    template = SmsTemplate
    kinds = ("procedure", "notice")  # a model example is a story, not an SMS
    needs_issues = True
    reported = {LIST: N_("sms")}

    def plan(self, units: Sequence[AnyUnit], context: Context[SmsTemplate]) -> list[Job]:
        """One job: the CSV of messages for every live unit that asks for SMS."""
        chosen = sorted((u for u in units if self._wanted(u, context)),
                        key=lambda u: (u.publish, u.id))
        issues = context.issues if context.template.bulletin else ()
        render = partial(render_csv, tuple(chosen), issues, context.settings, context.template)
        return [Job((File(MESSAGES, LIST),), None, tuple(u.id for u in chosen), render,
                    uses=tuple(map(repr, issues)))]

    def _wanted(self, unit: AnyUnit, context: Context[SmsTemplate]) -> bool:
        return self.name in unit.wanted_channels and unit.is_live(context.today)

    def check(self, unit: AnyUnit, context: Context[SmsTemplate],
              thorough: bool = False) -> list[Problem]:
        """The message of a unit must fit the allowed size once converted for sending."""
        if self.name not in unit.wanted_channels:
            return []
        return _fit_problems(unit, message(unit, context.settings, context.template),
                             context.settings)

    def shown(self, items: Sequence[Item], outbox: Path) -> dict[str, list[Shown]]:
        """Each unit's message as it goes out, and what it costs."""
        return {unit: [Message(text, _cost_note(text))]
                for unit, text in read_messages(outbox) or []}


def _cost_note(text: str) -> str:
    """What a message costs, as the review page notes it: "SMS: GSM-7, 142 characters,
    1 message"."""
    price = cost(text)
    return ngettext("SMS: {encoding}, {units} characters, {segments} message",
                    "SMS: {encoding}, {units} characters, {segments} messages",
                    price.segments).format(encoding=price.encoding, units=price.units,
                                           segments=price.segments)


CHANNEL = Sms()


def _fit_problems(unit: AnyUnit, text: str, settings: Settings) -> list[Problem]:
    own = unit.sms is not None
    line = unit.lines.get("sms" if own else "title")
    if not text:
        return [Problem(unit.source, line, "sms",
                        _("is empty once converted for sending (emoji and symbols are dropped)"),
                        _("write the message in words"))]
    if _fits(text, settings):
        return []
    n, alphabet = settings.sms.segments, _alphabet(settings)
    if not own:
        return [Problem(unit.source, line, "sms",
                        ngettext("no message made from the title fits in {n} {alphabet} SMS, "
                                 "even with the title shortened",
                                 "no message made from the title fits in {n} {alphabet} SMS "
                                 "parts, even with the title shortened", n).format(
                            n=n, alphabet=alphabet),
                        _("write a short message of your own in sms:"))]
    over = _excess(text, settings)
    what = ngettext("is {over} character too long for {n} {alphabet} SMS",
                    "is {over} characters too long for {n} {alphabet} SMS", over)
    if n > 1:
        what = ngettext("is {over} character too long for {n} {alphabet} SMS parts",
                        "is {over} characters too long for {n} {alphabet} SMS parts", over)
    fix = ngettext("shorten it by {over} character; try it with: toolkit sms count \"...\"",
                   "shorten it by {over} characters; try it with: toolkit sms count \"...\"",
                   over)
    return [Problem(unit.source, line, "sms", what.format(over=over, n=n, alphabet=alphabet),
                    fix.format(over=over))]


def render_csv(units: tuple[AnyUnit, ...], issues: tuple[Issue, ...], settings: Settings,
               template: SmsTemplate) -> tuple[bytes]:
    """The CSV file: header id,text,encoding,units,segments, a row per unit, then a
    teaser per bulletin."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(HEADER)
    rows = [(u.id, message(u, settings, template)) for u in units]
    rows += [(f"bulletin-{i.period.name}", teaser(i, settings, template)) for i in issues]
    for row_id, text in rows:
        price = cost(text)
        writer.writerow((row_id, text, price.encoding, price.units, price.segments))
    return (out.getvalue().encode("utf-8"),)


def read_messages(outbox_dir: Path) -> list[tuple[str, str]] | None:
    """(id, text) of every message the SMS channel left in the outbox; None if none;
    a ProblemError if the file is not as the build wrote it (saved again from Excel)."""
    try:
        text = (outbox_dir / CHANNEL.name / MESSAGES).read_text(encoding="utf-8-sig")
    except OSError:
        return None
    except UnicodeDecodeError:
        raise ProblemError(_not_as_built(_("is not the list the build wrote: it is not UTF-8 "
                                           "(was it saved again from Excel?)"))) from None
    try:
        rows = [(row.get("id"), row.get("text")) for row in csv.DictReader(io.StringIO(text))]
    except csv.Error as err:
        raise ProblemError(_not_as_built(_("is not the list the build wrote: it is not CSV "
                                           "({error}); was it saved again from Excel?").format(
            error=err))) from None
    if any(row_id is None or message is None for row_id, message in rows):
        raise ProblemError(_not_as_built(_("is not the list the build wrote: it has rows "
                                           "without an id and a text (was it saved again from "
                                           "Excel?)")))
    return rows  # type: ignore[return-value]


def _not_as_built(what: str) -> Problem:
    return Problem(f"outbox/sms/{MESSAGES}", None, "", what,
                   _("make it again: toolkit build --channel sms"))


def teaser(issue: Issue, settings: Settings, template: SmsTemplate) -> str:
    """The SMS that announces a bulletin."""
    period = issue.period
    fields = {"org": settings.organisation.short_name, "start": f"{period.start:%d/%m}",
              "end": day(period.end), "number": period.number,
              "link": bare_url(issue.url)}
    texts = [_as_sent(pattern.format(**fields), settings) for pattern in template.bulletin]
    return _defused(next((text for text in texts if _fits(text, settings)), texts[-1]))


def message(unit: AnyUnit, settings: Settings, template: SmsTemplate) -> str:
    """The text sent for a unit: its own `sms`, else the first pattern that fits; never
    starting with what would make a spreadsheet take it for a formula. Made once:
    `check` makes it, the CSV takes it again, and the next builds keep it."""
    key = digest(unit.fingerprint, settings.digest, template.digest)
    made = MADE.get(key)
    return made if made is not None else MADE.put(key, _defused(_message(unit, settings,
                                                                             template)))


MADE = memo(CHANNEL.name)  # the messages of the units, by unit, settings and template


def _message(unit: AnyUnit, settings: Settings, template: SmsTemplate) -> str:
    if unit.sms is not None:
        return _as_sent(unit.sms, settings)
    fields = {name: _as_sent(value, settings) for name, value in _fields(unit, settings).items()}
    for pattern in template.patterns:
        text = _as_sent(pattern.format(**fields), settings)
        if _fits(text, settings):
            return text
    return _shorten_title(template.patterns[-1], fields, settings)


def _as_sent(text: str, settings: Settings) -> str:
    return text.strip() if settings.sms.unicode else to_gsm7(text)


def _defused(text: str) -> str:
    """The text without the characters at its start that make a CSV cell a formula
    (=HYPERLINK(...) would be a live link in Excel; -2+3 a sum). Dropped rather than
    escaped: an escape (a leading ') would be sent to every citizen, and the CSV must
    hold exactly the text that `deliver` and any gateway sends."""
    return text.lstrip(FORMULA_STARTS)


def _fits(text: str, settings: Settings) -> bool:
    return cost(text).segments <= settings.sms.segments


def _excess(text: str, settings: Settings) -> int:
    """How many characters must go from the end of `text` for it to fit."""
    price = cost(text)
    over = max(1, price.units - capacity(price.encoding, settings.sms.segments)) // 2
    while not _fits(text[: len(text) - over], settings):
        over += 1
    return over


def _alphabet(settings: Settings) -> str:
    return "Unicode" if settings.sms.unicode else "GSM-7"


def _fields(unit: AnyUnit, settings: Settings) -> dict[str, str]:
    link = bare_url(settings.unit_link(unit)).removeprefix("www.")
    return {"org": settings.organisation.short_name, "title": unit.title.rstrip("."),
            "summary": unit.summary, "hotline": hotline(unit, settings), "link": link}


def _shorten_title(pattern: str, fields: dict[str, str], settings: Settings) -> str:
    """Cut the title word by word until the message fits (a title is never cut mid-word)."""
    words = fields["title"].split()
    while words:
        words.pop()
        title = " ".join(words).rstrip(",;:") + ELLIPSIS
        # A pattern's own full stop after the title would make four dots.
        text = _as_sent(pattern.format(**{**fields, "title": title}), settings)
        text = text.replace(ELLIPSIS + ".", ELLIPSIS)
        if _fits(text, settings):
            return text
    return _as_sent(pattern.format(**{**fields, "title": ""}), settings)
