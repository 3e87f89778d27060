"""Delivering the outbox's SMS to every recipient, each exactly once.

Every message of outbox/sms/messages.csv goes to every valid number of a
recipients file. First a plan is made (plan.py): each message with the numbers
the ledger has not recorded it as sent to. A dry run stops there and shows it; a
send on a terminal shows it and asks. Each send of the plan then goes with an
idempotency key stable for that message and number, retried with exponential
backoff and jitter on network errors, timeouts, 5xx and 429 (honouring
Retry-After), and paced to the configured rate.

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
from toolkit.deliver.deadline import seconds_text
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
from toolkit.deliver.plan import Confirm, Plan, make_plan, merged_lines
from toolkit.deliver.recipients import read_recipients
from toolkit.i18n import N_, _, decimal
from toolkit.problems import Problem, ProblemError
from toolkit.project import Project
from toolkit.settings import Delivery, Settings

URL_VARIABLE = "TOOLKIT_SMS_GATEWAY_URL"
# Where a problem with the gateway's settings is: the variables, not a file.
ENVIRONMENT = N_("environment")
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
    plan: Plan | None = None  # what was to be sent to whom, once the ledger was read
    declined: bool = False  # asked on a terminal, the user did not confirm

    @property
    def retry_later(self) -> int:
        """How many sends were left for a later run."""
        return sum(self.later.values())

    @property
    def exit_status(self) -> int:
        """0 when every send is done; 1 when any failed, is left for later, or was not
        confirmed."""
        return 1 if self.failed or self.later or self.declined else 0

    def summary(self, dry_run: bool) -> str:
        """The line a delivery ends with."""
        if dry_run:
            return _("would send {would}, already sent {already} (dry run)").format(
                would=self.would_send, already=self.already)
        if self.declined:
            return _("nothing was sent: sending was not confirmed")
        line = _("sent {sent}, already sent {already}, failed {failed}").format(
            sent=self.sent, already=self.already,
            failed=f"{sum(self.failed.values())}{_reasons(self.failed)}")
        if self.later:
            line = _("{summary}, retry later {later} -> run this again later: it sends only "
                     "those not sent yet").format(
                summary=line, later=f"{self.retry_later}{_reasons(self.later)}")
        return line


@dataclass(frozen=True)
class Later:
    """A send left for a later run: what the gateway said, and why it was not waited for."""

    detail: str
    reason: str  # as counted in the summary
    stop: bool = False  # the gateway takes nothing more now: send nothing else this run


def deliver(project: Project, recipients_file: Path, dry_run: bool, log: Log,
            sleep: Sleep = time.sleep, confirm: Confirm | None = None) -> Tally:
    """Send every message to every recipient that has not had it yet; a dry run only
    says what would go to whom (`Tally.plan`). `confirm`, when given, is asked before
    the first send and may stop the delivery."""
    _refuse_personal_data_inside(project, recipients_file)
    recipients = read_recipients(recipients_file)
    messages = outbox_messages(project.outbox_dir)
    sender = None if dry_run else Sender(
        make_gateway(project.settings.delivery, project.settings.sms.sender),
        project.settings, sleep)
    ledger = Ledger(project.root)
    try:
        plan = make_plan(ledger, messages, recipients, recipients_file.name)
        tally = Tally(already=plan.already, problems=list(recipients.problems), plan=plan)
        if sender is None:
            tally.would_send = plan.sends
        elif plan.sends and confirm is not None and not confirm(plan):
            tally.declined = True
        else:
            _send(plan, _Run(ledger, sender, tally, log))
    finally:
        ledger.close()
    return tally


def _send(plan: Plan, run: _Run) -> None:
    """Every message of the plan to the numbers it lists, in file order."""
    for line in merged_lines(plan):
        run.log(line)
    for message in plan.messages:
        for number in message.numbers:
            run.one(message.message_id, message.text, number)


def outbox_messages(outbox: Path) -> list[tuple[str, str]]:
    """(id, text) of every message in outbox/sms/messages.csv; ProblemError if none."""
    messages = read_messages(outbox)
    if messages is None:
        raise ProblemError(Problem(f"outbox/sms/{MESSAGES}", None, "", _("not found"),
                                   _("build it first: toolkit build --channel sms")))
    return messages


def make_gateway(delivery: Delivery, sender: str) -> Gateway:
    """The configured adapter, with its address and token from the environment (checked
    here, and named in a problem, never shown: either may hold a secret)."""
    url, token = os.environ.get(URL_VARIABLE, ""), os.environ.get(TOKEN_VARIABLE, "")
    if not url or not token:
        raise ProblemError(Problem(_(ENVIRONMENT), None, f"{URL_VARIABLE}, {TOKEN_VARIABLE}",
                                   _("are not both set"),
                                   _("set them to the gateway's address and token; "
                                     "or try a --dry-run")))
    if not usable_url(url):
        raise ProblemError(Problem(_(ENVIRONMENT), None, URL_VARIABLE, _(
            "is not an http:// or https:// address with a host (its value is not shown: it "
            "may hold a secret)"),
            _("set it to the gateway's address, like https://gateway.example/sms")))
    if not (token.isascii() and token.isprintable() and token == token.strip()):
        raise ProblemError(Problem(_(ENVIRONMENT), None, TOKEN_VARIABLE, _(
            "has spaces at its ends, line breaks or letters that are not ASCII"),
            _("set it to the token exactly as the gateway gave it")))
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
                return Later(outcome.detail, _("{detail} when max_wait_s = {limit} was used "
                                               "up").format(detail=outcome.detail,
                                                            limit=decimal(self.delivery.max_wait_s)))
        self.waiting_left -= wait
        self.sleep(wait)
        return None

    def _too_long(self, asked: float) -> str:
        limit = decimal(self.delivery.max_wait_s)
        if asked > self.delivery.max_wait_s:
            return _("the gateway asked to wait {wait}, more than max_wait_s = {limit}").format(
                wait=seconds_text(asked), limit=limit)
        return _("the gateway asked to wait {wait}, more than the {left} left of max_wait_s = "
                 "{limit}").format(wait=seconds_text(asked), left=seconds_text(self.waiting_left),
                                   limit=limit)


@dataclass
class _Run:
    """One delivery under way: each send of the plan sent, recorded, counted."""

    ledger: Ledger
    sender: Sender
    tally: Tally
    log: Log

    def one(self, message_id: str, text: str, number: str) -> None:
        """Deliver one message to one number the ledger has no record of, unless the
        gateway takes nothing more now."""
        if self.sender.stopped is not None:
            self.tally.later[self.sender.stopped] += 1
        else:
            result = self.sender.send(number, text, self.ledger.key(message_id, text, number))
            self._count(result, message_id, text, number)

    def _count(self, result: Outcome | Later, message_id: str, text: str, number: str) -> None:
        to = {"message": message_id, "number": mask(number)}
        if isinstance(result, Later):
            self.tally.later[result.reason] += 1
            self.log(_("retry later {message} to {number}: {detail}; {reason}").format(
                **to, detail=result.detail, reason=result.reason))
            if result.stop:
                self.log(_("stopping: {reason}; what is not sent is left for a later "
                           "run").format(reason=result.reason))
        elif result.accepted:
            self.ledger.record(message_id, text, number, result.detail)
            self.tally.sent += 1
            self.log(_("sent {message} to {number}").format(**to))
        else:
            self.tally.failed[result.detail] += 1
            self.log(_("failed {message} to {number}: {why}").format(**to, why=result.detail))


def _reasons(counts: Counter[str]) -> str:
    why = "; ".join(f"{n} {reason}" for reason, n in sorted(counts.items()))
    return f" ({why})" if why else ""


def _refuse_personal_data_inside(project: Project, recipients_file: Path) -> None:
    path = recipients_file.resolve()
    for folder in (project.content_dir, project.outbox_dir):
        if path.is_relative_to(folder.resolve()):
            raise ProblemError(Problem(recipients_file.name, None, "", _(
                "is inside {folder}/, which is published or built").format(folder=folder.name),
                _("keep the recipients file outside content/ and outbox/: it holds personal "
                  "data")))


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
