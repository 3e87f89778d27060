"""What the social platforms' adapters share: a request held to a deadline, its
answer judged into a `Reply`, and retries that draw on one budget of waiting.

A reply is accepted (with the platform's JSON), refused (with the platform's words,
clipped, and what to do next), or worth retrying; a retry is `sure` when the
platform certainly did nothing (it never got the request, or said "too many
requests"), and unsure otherwise (no answer in time, an answer cut off, a 5xx):
a request that publishes is then not simply sent again, the page is looked at
first (`Retrier.publish`), since neither platform takes an idempotency key.

Nothing from the environment is ever in a reply: the why of a failure of the
transport is the exception's type and a short reason, never its text (requests
puts the URL in it), and whatever a platform says is quoted with the token taken
out.
"""

from __future__ import annotations

import json
import os
import random
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal, Protocol

import requests
import urllib3

from toolkit.deliver.deadline import Deadline, seconds_text
from toolkit.deliver.gateway import (
    NOT_RETRYABLE,
    RETRY_STATUSES,
    TRANSPORT_ERRORS,
    describe,
    parse_retry_after,
    read_body,
    usable_url,
)
from toolkit.deliver.posts import Post, PostFile
from toolkit.i18n import N_, _, decimal
from toolkit.problems import Problem, ProblemError, quote
from toolkit.settings import Delivery, Settings

ANSWER_LIMIT = 1 << 20  # a listing of a hundred posts is far less
# Where a problem with the platforms' settings is: the variables, not a file.
ENVIRONMENT = N_("environment")
Sleep = Callable[[float], None]
Kind = Literal["ok", "refused", "retry"]
Judge = Callable[["Answer"], "Reply"]


@dataclass(frozen=True)
class Answer:
    """What came back: the status, the headers, and the body, or (None) why there is
    none: cut off, or not all of it came before the deadline."""

    status: int
    headers: Mapping[str, str]
    body: bytes | None
    missing: str = ""

    def json_object(self) -> dict[str, Any] | None:
        """The body as a JSON object; None when it is not one."""
        if self.body is None:
            return None
        try:
            data = json.loads(self.body)
        except (ValueError, RecursionError):
            return None
        return data if isinstance(data, dict) else None


@dataclass(frozen=True)
class Reply:
    """What became of one request, judged."""

    kind: Kind
    detail: str  # short: what logs and the summary say
    data: dict[str, Any] = field(default_factory=dict)  # the platform's JSON (or its error)
    wait: float | None = None  # a retry: how long the platform asked to wait
    sure: bool = True  # a retry: the platform certainly did nothing
    fix: str = ""  # a refusal: what the officer can do about it

    @classmethod
    def ok(cls, data: dict[str, Any], detail: str = "") -> Reply:
        """Accepted, with what the platform answered."""
        return cls("ok", detail, data)

    @classmethod
    def refused(cls, detail: str, fix: str = "", data: dict[str, Any] | None = None) -> Reply:
        """Refused: sending it again as it is cannot help."""
        return cls("refused", detail, data or {}, fix=fix)

    @classmethod
    def retry(cls, detail: str, sure: bool, wait: float | None = None,
              data: dict[str, Any] | None = None) -> Reply:
        """A passing failure; `sure` when the platform certainly did nothing."""
        return cls("retry", detail, data or {}, wait, sure)


@dataclass(frozen=True)
class Request:
    """One HTTP request to a platform."""

    method: str
    url: str
    timeout: float
    headers: Mapping[str, str] = field(default_factory=dict)
    params: Mapping[str, str] = field(default_factory=dict)
    form: Mapping[str, str] | None = None
    json: Any = None
    files: Mapping[str, tuple[str, bytes, str]] | None = None


@dataclass(frozen=True)
class Later:
    """Not done in this run: what the platform said, and why it was not waited for."""

    detail: str
    reason: str  # as counted in the summary
    stop: bool = False  # the platform takes nothing more now: send it nothing else


def send(session: requests.Session, request: Request, judge: Judge) -> Reply:
    """Make the request and judge the answer; whatever the network or the platform does
    is a Reply, never an exception."""
    with Deadline(request.timeout) as deadline:
        try:
            answer = _exchange(session, request, deadline)
        except TRANSPORT_ERRORS as err:
            if deadline.passed:
                return Reply.retry(too_slow(request.timeout), sure=False)
            if isinstance(err, NOT_RETRYABLE):
                return Reply.refused(describe(err))
            return Reply.retry(describe(err), sure=_never_sent(err))
    if 300 <= answer.status < 400:
        return Reply.refused(_("HTTP {status} (a redirect, not followed)").format(
            status=answer.status))
    return judge(answer)


def status_reply(answer: Answer) -> Reply | None:
    """The reply an HTTP status alone decides (429, 5xx, other 4xx without the platform's
    own error); None when the body must be read."""
    if answer.status == 429:
        return Reply.retry("HTTP 429", sure=True, wait=parse_retry_after(
            answer.headers.get("Retry-After")))
    if answer.status in RETRY_STATUSES:
        return Reply.retry(f"HTTP {answer.status}", sure=False,
                           wait=parse_retry_after(answer.headers.get("Retry-After")))
    return None


def said(platform: str, message: object, secrets: tuple[str, ...] = ()) -> str:
    """What a platform said, as an officer reads it: quoted and clipped, with no secret
    in it (a platform may echo a token or the page's id back)."""
    text = " ".join(message.split()) if isinstance(message, str) else ""
    for secret in secrets:
        if secret:
            text = text.replace(secret, "***")
    return _("{platform} said {message}").format(platform=platform,
                                                 message=quote(text or _("nothing")))


def too_slow(seconds: float) -> str:
    """No whole answer within the deadline."""
    return _("no full answer within {seconds} s").format(seconds=decimal(seconds))


@dataclass(frozen=True)
class Account:
    """A page (a Facebook Page, a Zalo OA) and its token, from the environment (never
    printed), and the API's address."""

    page: str
    token: str
    url: str


class Page:
    """What every platform's adapter holds: its page's account, the delivery settings,
    the HTTP session and the retrier."""

    def __init__(self, found: Account, settings: Settings, session: requests.Session,
                 retrier: Retrier) -> None:
        self.account, self.settings = found, settings
        self.delivery: Delivery = settings.delivery
        self.session, self.retrier = session, retrier

    @property
    def page(self) -> str:
        """The page's id (never shown)."""
        return self.account.page


def account(variables: tuple[str, str, str], default_url: str, fix: str,
            need_token: bool) -> Account | None:
    """The page's account from the environment variables (page id, token, API address):
    None when neither id nor token is set; a ProblemError naming the variables when a
    part is missing or wrong, with `fix`."""
    page_variable, token_variable, url_variable = variables
    page, token = environment_value(page_variable), environment_value(token_variable)
    url = environment_value(url_variable) or default_url
    if not page and not token:
        return None
    if not page or (need_token and not token):
        raise ProblemError(Problem(_(ENVIRONMENT), None, f"{page_variable}, {token_variable}",
                                   _("are not both set"), fix))
    check_number(page_variable, page)
    if token:
        check_token(token_variable, token)
    check_url(url_variable, url, default_url)
    return Account(page, token, url.rstrip("/"))


def environment_value(name: str) -> str:
    """A variable of the environment, without the spaces a paste leaves at its ends."""
    return os.environ.get(name, "").strip()


def check_url(name: str, value: str, example: str) -> None:
    """Refuse an address that is no http(s) address, naming the variable, never its value."""
    if not usable_url(value):
        raise ProblemError(Problem(_(ENVIRONMENT), None, name, _(
            "is not an http:// or https:// address with a host (its value is not shown: it "
            "may hold a secret)"), _("set it to an address like {example}").format(
                example=example)))


def check_token(name: str, value: str) -> None:
    """Refuse a token with spaces, line breaks or letters no platform issues."""
    if not (value.isascii() and value.isprintable() and " " not in value):
        raise ProblemError(Problem(_(ENVIRONMENT), None, name, _(
            "has spaces, line breaks or letters that are not ASCII"),
            _("set it to the token exactly as the platform gave it")))


def check_number(name: str, value: str) -> None:
    """Refuse a page or account id that is not a number."""
    if not (value.isascii() and value.isdigit()):
        raise ProblemError(Problem(_(ENVIRONMENT), None, name, _(
            "is not a number (its value is not shown)"),
            _("set it to the id the platform shows for your page, digits only")))


class Budget:
    """All the waiting of one delivery on the platforms: max_wait_s in all."""

    def __init__(self, seconds: float) -> None:
        self.limit = self.left = seconds


class Retrier:
    """Repeats a platform's requests on passing failures, with exponential backoff and
    jitter (or the wait the platform asked for), all waits drawn from one Budget."""

    def __init__(self, platform: str, delivery: Delivery, budget: Budget, sleep: Sleep) -> None:
        self.platform, self.delivery, self.budget, self.sleep = platform, delivery, budget, sleep

    def call(self, attempt: Callable[[], Reply]) -> Reply | Later:
        """A request that may be repeated as it is (a read, a chunk of an upload)."""
        reply = attempt()
        for tries in range(self.delivery.retries):
            if reply.kind != "retry":
                break
            later = self._wait(reply, tries)
            if later is not None:
                return later
            reply = attempt()
        return reply

    def publish(self, attempt: Callable[[], Reply],
                find: Callable[[], Reply | Later]) -> Reply | Later:
        """A request that publishes: after a failure that may have published all the
        same, the usual wait (which gives the platform time to finish what it was doing),
        then `find` looks on the page (an ok Reply with the post's "id", or with no data
        when it is not there) before the request is made again."""
        reply = attempt()
        for tries in range(self.delivery.retries + 1):
            last = tries == self.delivery.retries
            if reply.kind != "retry" or (last and reply.sure):
                return reply
            later = self._wait(reply, tries)
            if later is not None:
                return later
            if not reply.sure:
                found = find()
                if isinstance(found, Later) or found.kind != "ok":
                    return Later(reply.detail, unknown_outcome(self.platform, found))
                if found.data.get("id"):
                    return found
            if last:
                break
            reply = attempt()
        return reply

    def _wait(self, reply: Reply, tries: int) -> Later | None:
        """Wait before retry number `tries`; or, when that would wait longer than is left,
        do not, and say why it is left for later."""
        if reply.wait is not None:
            if reply.wait > self.budget.left:
                return Later(reply.detail, self._too_long(reply.wait), stop=True)
            wait = reply.wait
        else:
            backoff = self.delivery.backoff_s * 2 ** tries
            wait = min(backoff + random.uniform(0, backoff), self.budget.left)
            if backoff > 0 and wait <= 0:
                return Later(reply.detail, _("{detail} when max_wait_s = {limit} was used "
                                             "up").format(detail=reply.detail,
                                                          limit=decimal(self.budget.limit)))
        self.budget.left -= wait
        self.sleep(wait)
        return None

    def _too_long(self, asked: float) -> str:
        limit = decimal(self.budget.limit)
        if asked > self.budget.limit:
            return _("{platform} asked to wait {wait}, more than max_wait_s = {limit}").format(
                platform=self.platform, wait=seconds_text(asked), limit=limit)
        return _("{platform} asked to wait {wait}, more than the {left} left of max_wait_s = "
                 "{limit}").format(platform=self.platform, wait=seconds_text(asked),
                                   left=seconds_text(self.budget.left), limit=limit)


def unknown_outcome(platform: str, found: Reply | Later) -> str:
    """Why a post is left for later: it may be on the page, and looking did not tell."""
    return _("{platform} may have it: looking on the page failed ({why}); run this again "
             "later: it looks first").format(platform=platform, why=found.detail)


def _exchange(session: requests.Session, request: Request, deadline: Deadline) -> Answer:
    """Send, and read the answer (up to ANSWER_LIMIT bytes) before the deadline."""
    response = session.request(
        request.method, request.url, params=dict(request.params) or None,
        data=dict(request.form) if request.form is not None else None, json=request.json,
        files=dict(request.files) if request.files is not None else None,
        headers=dict(request.headers), timeout=request.timeout, stream=True,
        allow_redirects=False)
    with response:
        data, missing = read_body(response, ANSWER_LIMIT)
    if deadline.passed:  # what came may be cut short by the deadline without an error
        data, missing = None, too_slow(request.timeout)
    return Answer(response.status_code, dict(response.headers), data, missing)


def _never_sent(err: BaseException) -> bool:
    """True when the request never reached the platform (no connection was made)."""
    if isinstance(err, requests.ConnectTimeout):
        return True
    reason = err.args[0] if err.args else None
    reason = getattr(reason, "reason", reason)
    return isinstance(reason, (urllib3.exceptions.NewConnectionError,
                               urllib3.exceptions.ConnectTimeoutError, ConnectionRefusedError))



@dataclass(frozen=True)
class Timing:
    """When a post goes up on a platform: at once, at a scheduled time, or not in this
    run (the platform cannot schedule that far ahead, or cannot schedule at all)."""

    at: datetime | None = None  # scheduled for this time; None: at once
    wait_until: datetime | None = None  # not yet: a run from this time posts it


class Progress(Protocol):
    """A post under way, as the ledger keeps it: kept at once, so that a run killed in
    the middle of an upload leaves the next one what it needs to look and go on."""

    since: datetime  # when the first attempt at this post began
    data: dict[str, Any]  # what it has got so far: ids, offsets

    def save(self, **values: Any) -> None:
        """Keep these values with the post, at once."""


class Platform(Protocol):
    """An adapter: one page of one platform."""

    name: str  # the word of --platform and of the ledger: "facebook"
    label: str  # what people call the page, marked for translation: "Facebook Page"

    @property
    def page(self) -> str:
        """The page's id (never shown); empty in a dry run of a page not set."""

    def kind(self, post: Post) -> str:
        """What the post is on this platform (marked for translation): photo, video."""

    def files(self, post: Post) -> tuple[PostFile, ...]:
        """The files the post sends or shows."""

    def timing(self, post: Post, now: datetime) -> Timing:
        """When the post would go up, were it sent `now`."""

    def prepare(self) -> Reply | Later:
        """Check the account before the first post of a run; ok to go on."""

    def publish(self, post: Post, progress: Progress) -> Reply | Later:
        """Post it (or go on with an upload `progress` holds); an ok Reply has its "id"."""

    def find(self, post: Post, progress: Progress) -> Reply | Later:
        """Look on the page for a post an earlier attempt may have made: an ok Reply with
        its "id", or with no data when it is not there."""
