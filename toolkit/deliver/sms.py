"""Delivering the outbox's SMS to every recipient, each exactly once.

Every message of outbox/sms/messages.csv goes to every valid number of a
recipients file. A send the ledger shows as accepted is skipped; others are
sent with an idempotency key stable for that message and number, retried with
exponential backoff and jitter on network errors, timeouts, 5xx and 429
(honouring Retry-After), and paced to the configured rate.

Waiting is bounded: a delivery waits on the gateway at most [delivery] max_wait_s
in all. When the gateway asks for a longer wait than is left, the send is left
to "retry later" and so is every send after it (the gateway said it takes none
now); when backoff has used the time up, a send that fails for a passing reason
is left to retry later too. Nothing left for later is recorded: a rerun sends
exactly those.
"""

from __future__ import annotations

import os
import random
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from toolkit.channels.sms import MESSAGES, read_messages
from toolkit.deliver.gateway import (
    EsmsGateway,
    Gateway,
    JsonGateway,
    Outcome,
    make_session,
    usable_url,
)
from toolkit.deliver.ledger import Ledger
from toolkit.deliver.phones import mask
from toolkit.deliver.recipients import read_recipients
from toolkit.problems import Problem, ProblemError
from toolkit.project import Project
from toolkit.settings import Delivery, Settings

URL_VARIABLE = "TOOLKIT_SMS_GATEWAY_URL"
TOKEN_VARIABLE = "TOOLKIT_SMS_GATEWAY_TOKEN"
Log = Callable[[str], None]
Sleep = Callable[[float], None]


@dataclass
class Tally:
    """What a delivery did."""

    sent: int = 0
    already: int = 0
    failed: Counter[str] = field(default_factory=Counter)
    later: Counter[str] = field(default_factory=Counter)  # not sent, for a rerun: by reason
    would_send: int = 0
    problems: list[Problem] = field(default_factory=list)

    @property
    def retry_later(self) -> int:
        """How many sends were left for a later run."""
        return sum(self.later.values())

    @property
    def exit_status(self) -> int:
        """0 when every send is done; 1 when any failed or is left for later."""
        return 1 if self.failed or self.later else 0

    def summary(self, dry_run: bool) -> str:
        """The line a delivery ends with."""
        if dry_run:
            return f"would send {self.would_send}, already sent {self.already} (dry run)"
        line = f"sent {self.sent}, already sent {self.already}, " \
            f"failed {sum(self.failed.values())}{_reasons(self.failed)}"
        if self.later:
            line += f", retry later {self.retry_later}{_reasons(self.later)} -> run this " \
                "again later: it sends only those not sent yet"
        return line


@dataclass(frozen=True)
class Later:
    """A send left for a later run: what the gateway said, and why it was not waited for."""

    detail: str
    reason: str  # as counted in the summary
    stop: bool = False  # the gateway takes nothing more now: send nothing else this run


def deliver(project: Project, recipients_file: Path, dry_run: bool, log: Log,
            sleep: Sleep = time.sleep) -> Tally:
    """Send every message to every recipient that has not had it yet."""
    _refuse_personal_data_inside(project, recipients_file)
    recipients = read_recipients(recipients_file)
    messages = outbox_messages(project.outbox_dir)
    sender = None if dry_run else Sender(
        make_gateway(project.settings.delivery, project.settings.sms.sender),
        project.settings, sleep)
    run = _Run(Ledger(project.root), sender, Tally(problems=list(recipients.problems)), log)
    try:
        for message_id, text in messages:
            for number in recipients.numbers:
                run.one(message_id, text, number)
    finally:
        run.ledger.close()
    return run.tally


def outbox_messages(outbox: Path) -> list[tuple[str, str]]:
    """(id, text) of every message in outbox/sms/messages.csv; ProblemError if none."""
    messages = read_messages(outbox)
    if messages is None:
        raise ProblemError(Problem(f"outbox/sms/{MESSAGES}", None, "", "not found",
                                   "build it first: toolkit build --channel sms"))
    return messages


def make_gateway(delivery: Delivery, sender: str) -> Gateway:
    """The configured adapter, with its address and token from the environment (checked
    here, and named in a problem, never shown: either may hold a secret)."""
    url, token = os.environ.get(URL_VARIABLE, ""), os.environ.get(TOKEN_VARIABLE, "")
    if not url or not token:
        raise ProblemError(Problem("environment", None, f"{URL_VARIABLE}, {TOKEN_VARIABLE}",
                                   "are not both set",
                                   "set them to the gateway's address and token; "
                                   "or try a --dry-run"))
    if not usable_url(url):
        raise ProblemError(Problem("environment", None, URL_VARIABLE,
                                   "is not an http:// or https:// address with a host "
                                   "(its value is not shown: it may hold a secret)",
                                   "set it to the gateway's address, like "
                                   "https://gateway.example/sms"))
    if not (token.isascii() and token.isprintable() and token == token.strip()):
        raise ProblemError(Problem("environment", None, TOKEN_VARIABLE,
                                   "has spaces at its ends, line breaks or letters that are "
                                   "not ASCII", "set it to the token exactly as the "
                                   "gateway gave it"))
    if delivery.adapter == "esms":
        return EsmsGateway(url, token, sender, delivery.timeout_s, make_session(),
                           delivery.esms_sms_type)
    return JsonGateway(url, token, sender, delivery.timeout_s, make_session())


class Sender:
    """Sends through a gateway: paced, retried with backoff, and waiting on the gateway
    at most max_wait_s in all."""

    def __init__(self, gateway: Gateway, settings: Settings, sleep: Sleep) -> None:
        self.gateway, self.sleep = gateway, sleep
        self.delivery, self.unicode = settings.delivery, settings.sms.unicode
        self.pace = _Pace(60 / self.delivery.per_minute, sleep)
        self.waiting_left = self.delivery.max_wait_s
        self.stopped: str | None = None  # why nothing more is sent in this run

    def send(self, number: str, text: str, key: str) -> Outcome | Later:
        """One message to one number, retried as the settings say."""
        self.pace.wait()
        outcome = self.gateway.send(number, text, key, self.unicode)
        for attempt in range(self.delivery.retries):
            if not outcome.retry:
                break
            later = self._wait(outcome, attempt)
            if later is not None:
                return later
            outcome = self.gateway.send(number, text, key, self.unicode)
        return outcome

    def _wait(self, outcome: Outcome, attempt: int) -> Later | None:
        """Wait before retry number `attempt`; or, when that would wait longer than is
        left, do not, and say why the send is left for later."""
        if outcome.retry_after is not None:
            if outcome.retry_after > self.waiting_left:
                self.stopped = self._too_long(outcome.retry_after)
                return Later(outcome.detail, self.stopped, stop=True)
            wait = outcome.retry_after
        else:
            backoff = self.delivery.backoff_s * 2 ** attempt
            wait = min(backoff + random.uniform(0, backoff), self.waiting_left)
            if backoff > 0 and wait <= 0:
                return Later(outcome.detail, f"{outcome.detail} when max_wait_s = "
                             f"{self.delivery.max_wait_s:g} was used up")
        self.waiting_left -= wait
        self.sleep(wait)
        return None

    def _too_long(self, asked: float) -> str:
        limit = self.delivery.max_wait_s
        if asked > limit:
            return f"the gateway asked to wait {_seconds(asked)}, more than " \
                f"max_wait_s = {limit:g}"
        return f"the gateway asked to wait {_seconds(asked)}, more than the " \
            f"{_seconds(self.waiting_left)} left of max_wait_s = {limit:g}"


@dataclass
class _Run:
    """One delivery under way: each send checked against the ledger, sent, counted."""

    ledger: Ledger
    sender: Sender | None  # None for a dry run
    tally: Tally
    log: Log

    def one(self, message_id: str, text: str, number: str) -> None:
        """Deliver one message to one number, unless it is done or cannot be now."""
        if self.ledger.accepted(message_id, text, number):
            self.tally.already += 1
        elif self.sender is None:
            self.tally.would_send += 1
        elif self.sender.stopped is not None:
            self.tally.later[self.sender.stopped] += 1
        else:
            result = self.sender.send(number, text, self.ledger.key(message_id, text, number))
            self._count(result, message_id, text, number)

    def _count(self, result: Outcome | Later, message_id: str, text: str, number: str) -> None:
        to = f"{message_id} to {mask(number)}"
        if isinstance(result, Later):
            self.tally.later[result.reason] += 1
            self.log(f"retry later {to}: {result.detail}; {result.reason}")
            if result.stop:
                self.log(f"stopping: {result.reason}; what is not sent is left for a "
                         "later run")
        elif result.accepted:
            self.ledger.record(message_id, text, number, result.detail)
            self.tally.sent += 1
            self.log(f"sent {to}")
        else:
            self.tally.failed[result.detail] += 1
            self.log(f"failed {to}: {result.detail}")


def _reasons(counts: Counter[str]) -> str:
    why = "; ".join(f"{n} {reason}" for reason, n in sorted(counts.items()))
    return f" ({why})" if why else ""


def _seconds(value: float) -> str:
    """A wait as people read it: 30 s, 999999 s (11.6 days)."""
    if value < 100:
        return f"{value:g} s"
    if value < 86400:
        return f"{value:.0f} s"
    return f"{value:.0f} s ({value / 86400:.1f} days)"


def _refuse_personal_data_inside(project: Project, recipients_file: Path) -> None:
    path = recipients_file.resolve()
    for folder in (project.content_dir, project.outbox_dir):
        if path.is_relative_to(folder.resolve()):
            raise ProblemError(Problem(recipients_file.name, None, "",
                                       f"is inside {folder.name}/, which is published or built",
                                       "keep the recipients file outside content/ and outbox/: "
                                       "it holds personal data"))


class _Pace:
    """At most one send per `interval` seconds."""

    def __init__(self, interval: float, sleep: Sleep) -> None:
        self.interval, self.sleep = interval, sleep
        self.last: float | None = None

    def wait(self) -> None:
        now = time.monotonic()
        if self.last is not None and now - self.last < self.interval:
            self.sleep(self.interval - (now - self.last))
        self.last = time.monotonic()
