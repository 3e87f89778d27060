"""Delivering the outbox's SMS to every recipient, each exactly once.

Every message of outbox/sms/messages.csv goes to every valid number of a
recipients file. A send the ledger shows as accepted is skipped; others are
sent with an idempotency key stable for that message and number, retried with
exponential backoff and jitter on network errors, timeouts, 5xx and 429
(honouring Retry-After), and paced to the configured rate.
"""

from __future__ import annotations

import os
import random
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import requests

from toolkit.content.problems import Problem, ProblemError
from toolkit.channels.sms import MESSAGES, read_messages
from toolkit.deliver.gateway import EsmsGateway, Gateway, JsonGateway, Outcome
from toolkit.deliver.ledger import Ledger, send_key
from toolkit.deliver.phones import mask
from toolkit.deliver.recipients import read_recipients
from toolkit.project import Project
from toolkit.settings import Delivery

URL_VARIABLE = "TOOLKIT_SMS_GATEWAY_URL"
TOKEN_VARIABLE = "TOOLKIT_SMS_GATEWAY_TOKEN"


@dataclass
class Tally:
    """What a delivery did."""

    sent: int = 0
    already: int = 0
    failed: Counter[str] = field(default_factory=Counter)
    would_send: int = 0
    problems: list[Problem] = field(default_factory=list)

    def summary(self, dry_run: bool) -> str:
        """The line a delivery ends with."""
        if dry_run:
            return f"would send {self.would_send}, already sent {self.already} (dry run)"
        failed = sum(self.failed.values())
        why = "; ".join(f"{n} {reason}" for reason, n in sorted(self.failed.items()))
        return f"sent {self.sent}, already sent {self.already}, failed {failed}" + \
            (f" ({why})" if why else "")


def deliver(project: Project, recipients_file: Path, dry_run: bool,
            log: Callable[[str], None], sleep: Callable[[float], None] = time.sleep) -> Tally:
    """Send every message to every recipient that has not had it yet."""
    _refuse_personal_data_inside(project, recipients_file)
    recipients = read_recipients(recipients_file)
    messages = outbox_messages(project.outbox_dir)
    tally = Tally(problems=list(recipients.problems))
    gateway = None if dry_run else make_gateway(project.settings.delivery,
                                                project.settings.sms.sender)
    ledger = Ledger(project.root)
    pace = _Pace(60 / project.settings.delivery.per_minute, sleep)
    try:
        for message_id, text in messages:
            for number in recipients.numbers:
                key = send_key(message_id, text, number)
                if ledger.accepted(key):
                    tally.already += 1
                elif gateway is None:
                    tally.would_send += 1
                else:
                    pace.wait()
                    outcome = _send_with_retries(gateway, number, text, key, project, sleep)
                    _count(outcome, message_id, number, key, tally, ledger, log)
    finally:
        ledger.close()
    return tally


def outbox_messages(outbox: Path) -> list[tuple[str, str]]:
    """(id, text) of every message in outbox/sms/messages.csv; ProblemError if none."""
    messages = read_messages(outbox)
    if messages is None:
        raise ProblemError(Problem(f"outbox/sms/{MESSAGES}", None, "", "not found",
                                   "build it first: toolkit build --channel sms"))
    return messages


def make_gateway(delivery: Delivery, sender: str) -> Gateway:
    """The configured adapter, with its address and token from the environment."""
    url, token = os.environ.get(URL_VARIABLE, ""), os.environ.get(TOKEN_VARIABLE, "")
    if not url or not token:
        raise ProblemError(Problem("environment", None, f"{URL_VARIABLE}, {TOKEN_VARIABLE}",
                                   "are not both set",
                                   "set them to the gateway's address and token; "
                                   "or try a --dry-run"))
    session = requests.Session()
    if delivery.adapter == "esms":
        return EsmsGateway(url, token, sender, delivery.timeout_s, session,
                           delivery.esms_sms_type)
    return JsonGateway(url, token, sender, delivery.timeout_s, session)


def _send_with_retries(gateway: Gateway, number: str, text: str, key: str, project: Project,
                       sleep: Callable[[float], None]) -> Outcome:
    delivery = project.settings.delivery
    unicode = project.settings.sms.unicode
    outcome = gateway.send(number, text, key, unicode)
    for attempt in range(delivery.retries):
        if not outcome.retry:
            break
        backoff = delivery.backoff_s * 2 ** attempt
        sleep(outcome.retry_after if outcome.retry_after is not None
              else backoff + random.uniform(0, backoff))
        outcome = gateway.send(number, text, key, unicode)
    return outcome


def _count(outcome: Outcome, message_id: str, number: str, key: str, tally: Tally,
           ledger: Ledger, log: Callable[[str], None]) -> None:
    if outcome.accepted:
        ledger.record(key, message_id, mask(number), outcome.detail)
        tally.sent += 1
        log(f"sent {message_id} to {mask(number)}")
    else:
        tally.failed[outcome.detail] += 1
        log(f"failed {message_id} to {mask(number)}: {outcome.detail}")


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

    def __init__(self, interval: float, sleep: Callable[[float], None]) -> None:
        self.interval, self.sleep = interval, sleep
        self.last: float | None = None

    def wait(self) -> None:
        now = time.monotonic()
        if self.last is not None and now - self.last < self.interval:
            self.sleep(self.interval - (now - self.last))
        self.last = time.monotonic()
