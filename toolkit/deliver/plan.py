"""What a delivery would send to whom, before anything is sent.

A dry run shows it in full; a send on a terminal shows the messages and the
counts and asks before it starts. Numbers are always masked (+8491****678), and
numbers written more than once in the recipients file are named with their lines:
each is sent to once.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from toolkit.deliver.ledger import Ledger
from toolkit.deliver.phones import mask
from toolkit.deliver.recipients import Recipients
from toolkit.i18n import _, ngettext
from toolkit.problems import printable


@dataclass(frozen=True)
class Planned:
    """One message of the outbox, the numbers it would go to now, and how many numbers
    have it already."""

    message_id: str
    text: str
    numbers: tuple[str, ...]
    already: int


@dataclass(frozen=True)
class Plan:
    """Every message with its recipients, and the recipients file it was made from."""

    messages: tuple[Planned, ...]
    recipients: Recipients
    source: str  # the recipients file's name, as messages name it

    @property
    def sends(self) -> int:
        """How many SMS would go out."""
        return sum(len(m.numbers) for m in self.messages)

    @property
    def already(self) -> int:
        """How many were sent before, by the ledger."""
        return sum(m.already for m in self.messages)


# Asked before a real send: True to send what the plan says.
Confirm = Callable[[Plan], bool]


def make_plan(ledger: Ledger, messages: list[tuple[str, str]], recipients: Recipients,
              source: str) -> Plan:
    """Each message with the numbers the ledger has not recorded it as sent to."""
    planned = []
    for message_id, text in messages:
        numbers = tuple(n for n in recipients.numbers
                        if not ledger.accepted(message_id, text, n))
        planned.append(Planned(message_id, text, numbers,
                               len(recipients.numbers) - len(numbers)))
    return Plan(tuple(planned), recipients, source)


def message_lines(plan: Plan) -> Iterator[str]:
    """Each message, its text, and to whom it would go: all the recipients listed, or
    (when some have it already) the masked numbers it still goes to."""
    everyone = len(plan.recipients.numbers)
    for message in plan.messages:
        yield f'{message.message_id}: "{printable(message.text)}"'
        yield "  " + _to_whom(message, everyone)


def _to_whom(message: Planned, everyone: int) -> str:
    if not message.numbers:
        return _("sent to every recipient already: nothing to send")
    if not message.already:
        return ngettext("to the {n} recipient listed below", "to all {n} recipients listed below",
                        everyone).format(n=everyone)
    return ngettext("to {n} recipient (the others have it already): {numbers}",
                    "to {n} recipients (the others have it already): {numbers}",
                    len(message.numbers)).format(
        n=len(message.numbers), numbers=", ".join(mask(n) for n in message.numbers))


def recipient_lines(plan: Plan) -> Iterator[str]:
    """Every recipient, masked, with the line of the recipients file it is on."""
    numbers = plan.recipients.numbers
    yield ngettext("{n} recipient in {file}:", "{n} recipients in {file}:",
                   len(numbers)).format(n=len(numbers), file=plan.source)
    for number in numbers:
        lines = plan.recipients.lines.get(number, [])
        yield "  " + ngettext("{number} (line {lines})", "{number} (lines {lines})",
                              len(lines)).format(number=mask(number), lines=_joined(lines))


def merged_lines(plan: Plan) -> Iterator[str]:
    """The numbers written more than once, and on which lines: each is sent to once."""
    merged = plan.recipients.merged
    if not merged:
        return
    yield ngettext("{n} number is written more than once in {file}; it gets each message "
                   "once:",
                   "{n} numbers are written more than once in {file}; each gets each message "
                   "once:", len(merged)).format(n=len(merged), file=plan.source)
    for number, lines in merged.items():
        yield "  " + _("{number}: lines {lines}").format(number=mask(number),
                                                         lines=_joined(lines))


def totals_line(plan: Plan) -> str:
    """How many SMS, of how many messages, to how many recipients."""
    sends, messages = plan.sends, sum(1 for m in plan.messages if m.numbers)
    people = len({n for m in plan.messages for n in m.numbers})
    return _("{sends} in all: {messages} to {recipients}").format(
        sends=ngettext("{n} SMS", "{n} SMS", sends).format(n=sends),
        messages=ngettext("{n} message", "{n} messages", messages).format(n=messages),
        recipients=ngettext("{n} recipient", "{n} recipients", people).format(n=people))


def dry_run_lines(plan: Plan) -> Iterator[str]:
    """What a dry run shows: the messages and to whom, the recipients, the merged
    duplicates."""
    yield from message_lines(plan)
    yield from recipient_lines(plan)
    yield from merged_lines(plan)


def _joined(lines: list[int]) -> str:
    return ", ".join(str(line) for line in lines)
