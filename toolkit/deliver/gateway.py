"""SMS gateways: the generic JSON form, and eSMS (a Vietnamese brandname gateway).

An adapter turns one message to one number into an HTTP request and its answer
into an Outcome. The URL and the token come from the environment, never from
toolkit.toml, and are never printed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from typing import Protocol

import requests

RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})


@dataclass(frozen=True)
class Outcome:
    """What became of one request: accepted, worth retrying (and after how long), why."""

    accepted: bool
    retry: bool
    detail: str
    retry_after: float | None = None


class Gateway(Protocol):
    """Sends one message to one number."""

    def send(self, number: str, text: str, key: str, unicode: bool) -> Outcome:
        """Send, and say what became of it."""


@dataclass
class JsonGateway:
    """POST {"to", "text", "sender"} with a bearer token and an Idempotency-Key."""

    url: str
    token: str
    sender: str
    timeout: float
    session: requests.Session

    def send(self, number: str, text: str, key: str, unicode: bool) -> Outcome:
        """Send, and say what became of it."""
        headers = {"Authorization": f"Bearer {self.token}", "Idempotency-Key": key}
        body = {"to": number, "text": text, "sender": self.sender}
        return _post(self.session, self.url, body, headers, self.timeout, accepted=_is_2xx)


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
        return _post(self.session, self.url, body, {}, self.timeout, accepted=_esms_accepted)


def _is_2xx(response: requests.Response) -> tuple[bool, str]:
    return True, f"HTTP {response.status_code}"


def _esms_accepted(response: requests.Response) -> tuple[bool, str]:
    try:
        code = str(response.json().get("CodeResult"))
    except ValueError:
        return False, "eSMS answered without JSON"
    return code == "100", f"eSMS CodeResult {code}"


def _post(session: requests.Session, url: str, body: dict[str, str], headers: dict[str, str],
          timeout: float, accepted: object) -> Outcome:
    try:
        response = session.post(url, json=body, headers=headers, timeout=timeout)
    except requests.Timeout:
        return Outcome(False, True, "timed out")
    except requests.ConnectionError as err:
        return Outcome(False, True, f"could not connect ({type(err).__name__})")
    if response.status_code in RETRY_STATUSES:
        return Outcome(False, True, f"HTTP {response.status_code}",
                       _retry_after(response.headers.get("Retry-After")))
    if not 200 <= response.status_code < 300:
        return Outcome(False, False, f"HTTP {response.status_code}")
    ok, detail = accepted(response)  # type: ignore[operator]
    return Outcome(ok, False, detail)


def _retry_after(value: str | None) -> float | None:
    """Seconds to wait: Retry-After as a number of seconds or as an HTTP date."""
    if value is None:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        return max(0.0, (parsedate_to_datetime(value) - datetime.now(timezone.utc)).total_seconds())
    except (TypeError, ValueError):
        return None
