"""SMS gateways: the generic JSON form, and eSMS (a Vietnamese brandname gateway).

An adapter turns one message to one number into an HTTP request and its answer
into an Outcome: accepted, worth retrying (with the wait the gateway asked for), or
refused, always with a short why. Whatever the network or the gateway does (close
mid-answer, trickle it, answer nonsense) is one of those: nothing raises. A request
has `timeout` seconds in all, answer included (deadline.py).

The URL and the token come from the environment, never from toolkit.toml, and are
never printed: the why of a failure is the exception's type and a short reason,
never its text, which requests fills with the URL, query string and all.
"""

from __future__ import annotations

import http.client
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any, Protocol
from urllib.parse import urlsplit

import requests
import urllib3

from toolkit.deliver.deadline import Deadline, DeadlineAdapter
from toolkit.i18n import N_, _, decimal

RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
ANSWER_LIMIT = 64 * 1024  # far more than any gateway says about one SMS
# RFC 9110: delay-seconds = 1*DIGIT. Past a year a value is a bug or a hostile gateway,
# not a wait anyone means, and counts as no value at all.
DELAY_SECONDS = re.compile(r"[0-9]{1,12}")
MAX_RETRY_AFTER_S = 366 * 86400
# Everything the transport can raise while sending and reading an answer.
TRANSPORT_ERRORS = (requests.RequestException, urllib3.exceptions.HTTPError,
                    http.client.HTTPException, OSError, UnicodeError)
# The request cannot be made at all: trying again cannot help.
NOT_RETRYABLE = (requests.exceptions.InvalidURL, requests.exceptions.InvalidHeader,
                 requests.exceptions.InvalidSchema, requests.exceptions.MissingSchema,
                 requests.exceptions.URLRequired, requests.exceptions.InvalidJSONError,
                 UnicodeError)
# What each failure is called, most particular first.
REASONS: tuple[tuple[type[BaseException] | tuple[type[BaseException], ...], str], ...] = (
    (NOT_RETRYABLE, N_("the request could not be made")),
    (requests.exceptions.SSLError, N_("TLS failed")),
    (requests.exceptions.ProxyError, N_("the proxy failed")),
    (requests.ConnectTimeout, N_("could not connect in time")),
    (requests.ReadTimeout, N_("no answer in time")),
    (requests.exceptions.ChunkedEncodingError, N_("the answer was cut off")),
    (requests.exceptions.ContentDecodingError, N_("the answer could not be decoded")),
    (requests.ConnectionError, N_("the connection failed")),
)
OTHER_FAILURE = N_("the request failed")


@dataclass(frozen=True)
class Outcome:
    """What became of one request: accepted, worth retrying (and after how long), why."""

    accepted: bool
    retry: bool
    detail: str
    retry_after: float | None = None


@dataclass(frozen=True)
class Answer:
    """What came back: the status, Retry-After as sent, and the body, or (None) why
    there is none: cut off, or not all of it came before the deadline."""

    status: int
    retry_after: str | None
    body: bytes | None
    missing: str = ""


Judge = Callable[[Answer], Outcome]


class Gateway(Protocol):
    """Sends one message to one number."""

    def send(self, number: str, text: str, key: str, unicode: bool) -> Outcome:
        """Send, and say what became of it."""


@dataclass
class JsonGateway:
    """POST {"to", "text", "sender"} with a bearer token and an Idempotency-Key; a 2xx
    status is acceptance, whatever the body (or what came of it)."""

    url: str
    token: str
    sender: str
    timeout: float
    session: requests.Session

    def send(self, number: str, text: str, key: str, unicode: bool) -> Outcome:
        """Send, and say what became of it."""
        headers = {"Authorization": f"Bearer {self.token}", "Idempotency-Key": key}
        body = {"to": number, "text": text, "sender": self.sender}
        return _post(self.session, self.url, body, headers, self.timeout, _json_judge)


@dataclass
class EsmsGateway:
    """eSMS's REST form: JSON with ApiKey, SecretKey, Phone, Content, Brandname, SmsType,
    IsUnicode and RequestId (eSMS refuses a RequestId it saw in the last 24 hours);
    CodeResult 100 means accepted. The token is "ApiKey:SecretKey"."""

    url: str
    token: str
    sender: str
    timeout: float
    session: requests.Session
    sms_type: str = "2"

    def send(self, number: str, text: str, key: str, unicode: bool) -> Outcome:
        """Send, and say what became of it."""
        api_key, _, secret = self.token.partition(":")
        body = {"ApiKey": api_key, "SecretKey": secret, "Phone": number.replace("+84", "0", 1),
                "Content": text, "Brandname": self.sender, "SmsType": self.sms_type,
                "IsUnicode": "1" if unicode else "0", "RequestId": key}
        return _post(self.session, self.url, body, {}, self.timeout, _esms_judge)


def make_session() -> requests.Session:
    """A session whose every request can be held to a total deadline; no redirects, no
    retries of its own (the sender retries, with the same idempotency key)."""
    made = requests.Session()
    adapter = DeadlineAdapter(max_retries=0)
    made.mount("http://", adapter)
    made.mount("https://", adapter)
    return made


def usable_url(url: str) -> bool:
    """True for an http:// or https:// address with a host that requests can use."""
    if not url.isprintable() or any(c.isspace() for c in url):
        return False
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError for a port that is no port
        requests.PreparedRequest().prepare_url(url, None)
    except (ValueError, requests.RequestException):
        return False
    return parts.scheme.lower() in ("http", "https") and bool(parts.hostname)


def parse_retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds to wait from Retry-After: delay-seconds (digits only) or an HTTP date
    (one in the past is 0). None for anything else, including inf, nan, negative
    numbers, fractions and waits beyond a year: the caller then backs off as usual."""
    if value is None:
        return None
    text = value.strip(" \t")
    seconds = float(text) if DELAY_SECONDS.fullmatch(text) else _until(text, now)
    return seconds if seconds is not None and seconds <= MAX_RETRY_AFTER_S else None


def describe(err: BaseException) -> str:
    """A failure as logs may show it: a short reason and the exception's type, never
    its message (requests puts the URL in it)."""
    reason = next((words for kinds, words in REASONS if isinstance(err, kinds)),
                  OTHER_FAILURE)
    return f"{_(reason)} ({type(err).__name__})"


def _until(text: str, now: datetime | None) -> float | None:
    """Seconds from now to an HTTP date; None if `text` is not one."""
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


def _post(session: requests.Session, url: str, body: dict[str, str], headers: dict[str, str],
          timeout: float, judge: Judge) -> Outcome:
    with Deadline(timeout) as deadline:
        try:
            answer = _exchange(session, url, body, headers, timeout, deadline)
        except TRANSPORT_ERRORS as err:
            if deadline.passed:
                return Outcome(False, True, _too_slow(deadline))
            return Outcome(False, not isinstance(err, NOT_RETRYABLE), describe(err))
    return _outcome(answer, judge)


def _exchange(session: requests.Session, url: str, body: dict[str, str],
              headers: dict[str, str], timeout: float, deadline: Deadline) -> Answer:
    """Send, and read the answer (up to ANSWER_LIMIT bytes of body) before the deadline."""
    response = session.post(url, json=body, headers=headers, timeout=timeout, stream=True,
                            allow_redirects=False)
    with response:
        data, missing = read_body(response)
    if deadline.passed:  # what came may be cut short by the deadline without an error
        data, missing = None, _too_slow(deadline)
    return Answer(response.status_code, response.headers.get("Retry-After"), data, missing)


def read_body(response: requests.Response, limit: int = ANSWER_LIMIT) -> tuple[bytes | None, str]:
    """The body, at most a little over `limit` bytes; or None, and why."""
    data = bytearray()
    try:
        for chunk in response.iter_content(8192):
            data += chunk
            if len(data) > limit:
                break
    except TRANSPORT_ERRORS as err:
        return None, describe(err)
    return bytes(data), ""


def _outcome(answer: Answer, judge: Judge) -> Outcome:
    if answer.status in RETRY_STATUSES:
        return Outcome(False, True, f"HTTP {answer.status}",
                       parse_retry_after(answer.retry_after))
    if 300 <= answer.status < 400:
        return Outcome(False, False, _("HTTP {status} (a redirect, not followed)").format(
            status=answer.status))
    if not 200 <= answer.status < 300:
        return Outcome(False, False, f"HTTP {answer.status}")
    return judge(answer)


def _too_slow(deadline: Deadline) -> str:
    return _("no full answer within {seconds} s").format(seconds=decimal(deadline.seconds))


def _json_judge(answer: Answer) -> Outcome:
    return Outcome(True, False, f"HTTP {answer.status}")


def _esms_judge(answer: Answer) -> Outcome:
    """CodeResult 100 is acceptance; an answer cut off is retried (the RequestId keeps
    the retry from being a second SMS); any other answer is a refusal, said briefly."""
    if answer.body is None:
        return Outcome(False, True, f"eSMS: {answer.missing}")
    try:
        data: Any = json.loads(answer.body)
    except (ValueError, RecursionError):
        return Outcome(False, False, _("eSMS answered without JSON"))
    if not isinstance(data, dict):
        return Outcome(False, False, _("eSMS answered JSON that is not an object"))
    code = _code(data.get("CodeResult"))
    return Outcome(code == "100", False, f"eSMS CodeResult {code}")


def _code(value: object) -> str:
    """CodeResult as it may be shown: a short code, else a word for what it was."""
    if value is None:
        return _("(none)")
    text = str(value) if isinstance(value, (str, int)) and not isinstance(value, bool) else ""
    return text if re.fullmatch(r"[0-9A-Za-z_-]{1,12}", text) else _("(unreadable)")
