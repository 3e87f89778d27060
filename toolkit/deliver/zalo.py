"""The Zalo Official Account API (openapi.zalo.me): a post as an OA article.

`POST /v2.0/article/create` (the OA's access token in the `access_token` header)
with `type: "normal"`, `title` (150 characters at most), `author` (50),
`description` (300), `cover` (`cover_type: "photo"`, `photo_url`, `status`),
`body` (paragraphs `{"type": "text", "content": ...}`), `status: "show"` and
`comment`. Zalo takes the cover by address, not by upload: it is the square card
where the outbox is published (`[publish] base_url`), so the outbox must be on the
portal before its posts go to Zalo. Zalo makes the article in the background:
create answers a `token`, and `POST /v2.0/article/verify` with it answers the
article's `id`. The OA's articles are listed by `GET /v2.0/article/getslice`
(`offset`, `limit` 10 at most, `type: normal`), newest first; `GET /v2.0/oa/getoa`
says which OA a token belongs to.

Zalo answers 200 whatever happened, with `{"error": <code>, "message": ...}`:
0 is success; -32 is its rate limit (retry later); any other code is a refusal,
shown with Zalo's message. Zalo cannot schedule an article: one whose publish
time is ahead waits for a run at or after that time.

Like Facebook, Zalo takes no idempotency key: an article that may have been made
is looked for among the OA's newest articles by its title, made since the first
attempt.
"""

from __future__ import annotations

import html
from datetime import UTC, datetime, timedelta
from typing import Any

import requests

from toolkit.deliver import platform
from toolkit.deliver.platform import (
    Account,
    Answer,
    Later,
    Progress,
    Reply,
    Request,
    Retrier,
    Timing,
    said,
    send,
    status_reply,
)
from toolkit.deliver.posts import Post, PostFile
from toolkit.i18n import N_, _
from toolkit.settings import Settings

NAME = "zalo"
LABEL = N_("Zalo OA")
OA_VARIABLE = "TOOLKIT_ZALO_OA_ID"
TOKEN_VARIABLE = "TOOLKIT_ZALO_OA_TOKEN"
URL_VARIABLE = "TOOLKIT_ZALO_API_URL"
VARIABLES = (OA_VARIABLE, TOKEN_VARIABLE)  # what a page needs set
OPENAPI_URL = "https://openapi.zalo.me"

RATE_LIMIT_CODES = frozenset({-32})  # too many requests: nothing was done
TOKEN_CODES = frozenset({-216, -124})  # the access token is invalid or has expired
AUTHOR_LIMIT = 50
CLOCK_SKEW = timedelta(minutes=10)
PAGE_SIZE = 10  # the most getslice gives at once
PAGES_LOOKED_AT = 5  # the 50 newest articles: where one of this run would be


def account(need_token: bool) -> Account | None:
    """The OA's account from the environment: None when none of it is set; a
    ProblemError naming the variable when a part is missing or wrong."""
    return platform.account((OA_VARIABLE, TOKEN_VARIABLE, URL_VARIABLE), OPENAPI_URL, _(
        "set them to the OA's id and an OA access token; or try a --dry-run"), need_token)


def placeholder() -> Account:
    """An account for a dry run of an OA whose id is not set: it sends nothing."""
    return Account("", "", OPENAPI_URL)


class Zalo(platform.Page):
    """A Zalo Official Account: articles."""

    name = NAME
    label = LABEL

    def kind(self, post: Post) -> str:
        """Always an article."""
        return N_("article")

    def files(self, post: Post) -> tuple[PostFile, ...]:
        """The square card, its cover."""
        return (post.square,)

    def timing(self, post: Post, now: datetime) -> Timing:
        """Now when its time has come; Zalo schedules nothing, so else a later run."""
        return Timing() if post.publish <= now else Timing(wait_until=post.publish)

    def prepare(self) -> Reply | Later:
        """Check that the token is the OA's whose id is set: posts go where the ledger
        says they went."""
        found = self.retrier.call(lambda: self._send("GET", "/v2.0/oa/getoa"))
        if isinstance(found, Later) or found.kind != "ok":
            return found
        if str(found.data.get("oa_id", "")) != self.account.page:
            return Reply.refused(_("{variable} is the token of another OA").format(
                variable=TOKEN_VARIABLE), _("set {token} and {oa} to the same OA's token and "
                                            "id").format(token=TOKEN_VARIABLE, oa=OA_VARIABLE))
        return found

    def publish(self, post: Post, progress: Progress) -> Reply | Later:
        """Make the article; its id, when Zalo tells it."""
        made = self.retrier.publish(lambda: self._send("POST", "/v2.0/article/create",
                                                       self.article(post)),
                                    lambda: self.find(post, progress))
        if isinstance(made, Later) or made.kind != "ok":
            return made
        if made.data.get("id"):  # found on the OA after a failed attempt
            return made
        token = made.data.get("token")
        if not isinstance(token, str) or not token:
            return Reply.ok({"id": "?"})
        progress.save(token=token)
        verified = self.retrier.call(lambda: self._send("POST", "/v2.0/article/verify",
                                                        {"token": token}))
        article = verified.data.get("id") if isinstance(verified, Reply) else None
        return Reply.ok({"id": str(article) if article else "?"})

    def find(self, post: Post, progress: Progress) -> Reply | Later:
        """The article with this title made since the first attempt, if the OA has it."""
        since = progress.since - CLOCK_SKEW
        for page in range(PAGES_LOOKED_AT):
            listed = self._slice(page)
            if isinstance(listed, Later) or listed.kind != "ok":
                return listed
            articles = listed.data.get("medias")
            if not isinstance(articles, list) or not articles:
                break
            for article in articles:
                if isinstance(article, dict) and _is_it(article, post, since):
                    return Reply.ok({"id": str(article.get("id", "")) or "?"})
        return Reply.ok({})

    def _slice(self, page: int) -> Reply | Later:
        """The OA's articles, newest first, PAGE_SIZE at a time."""
        params = {"offset": str(page * PAGE_SIZE), "limit": str(PAGE_SIZE), "type": "normal"}
        return self.retrier.call(lambda: self._send("GET", "/v2.0/article/getslice",
                                                    params=params))

    def article(self, post: Post) -> dict[str, Any]:
        """The article Zalo is asked to make of the post."""
        return {
            "type": "normal", "title": post.zalo_title, "author": self._author(),
            "description": post.zalo_description,
            "cover": {"cover_type": "photo", "photo_url": self._address(post.square),
                      "status": "show"},
            "body": [{"type": "text", "content": f"<p>{html.escape(paragraph)}</p>"}
                     for paragraph in post.zalo_body],
            "status": "show", "comment": "show",
        }

    def _author(self) -> str:
        """The organisation's name, or its short name when the name is too long."""
        name = self.settings.organisation.name
        return name if len(name) <= AUTHOR_LIMIT else self.settings.organisation.short_name

    def _address(self, image: PostFile) -> str:
        """Where the card is read on the portal that publishes the outbox."""
        channel, _slash, path = image.name.partition("/")
        return self.settings.outbox_url(channel, path)

    def _send(self, method: str, path: str, body: dict[str, Any] | None = None,
              params: dict[str, str] | None = None) -> Reply:
        request = Request(method, self.account.url + path, self.delivery.timeout_s,
                          {"access_token": self.account.token}, params or {}, None, body)
        return send(self.session, request, self._judge)

    def _judge(self, answer: Answer) -> Reply:
        return zalo_judge(answer, (self.account.token, self.account.page))


def zalo_judge(answer: Answer, secrets: tuple[str, ...] = ()) -> Reply:
    """What Zalo's answer means: the status for what is no answer of Zalo's (429, 5xx),
    then the code in the JSON, whatever the status."""
    decided = status_reply(answer)
    if decided is not None:
        return decided
    if answer.body is None:
        return Reply.retry(f"Zalo: {answer.missing}", sure=False)
    data = answer.json_object()
    if data is None or isinstance(data.get("error"), bool) or not isinstance(
            data.get("error"), int):
        if not 200 <= answer.status < 300:
            return Reply.refused(f"Zalo: HTTP {answer.status}", _(
                "check {variable}, then run this again").format(variable=URL_VARIABLE))
        return Reply.retry(_("Zalo answered without its error code"), sure=False)
    code: int = data["error"]
    if code == 0:
        result = data.get("data")
        return Reply.ok(result if isinstance(result, dict) else {})
    detail = _("{said} (error {code})").format(
        said=said("Zalo", data.get("message"), secrets), code=code)
    if code in RATE_LIMIT_CODES:
        return Reply.retry(detail, sure=True, data=data)
    return Reply.refused(detail, _fix(code), data)


def _fix(code: int) -> str:
    if code in TOKEN_CODES:
        return _("set {variable} to a new OA access token (they expire after a day), then run "
                 "this again").format(variable=TOKEN_VARIABLE)
    return _("look at the post on the review page, and check that the outbox is published at "
             "[publish] base_url (Zalo takes the cover from there), then run this again")


def _is_it(article: dict[str, Any], post: Post, since: datetime) -> bool:
    """True for the article of this post: its title, made since `since` (when Zalo says
    when; an article it lists without a date is taken by its title alone)."""
    if article.get("title") != post.zalo_title:
        return False
    made = article.get("create_date")
    if isinstance(made, bool) or not isinstance(made, int | float):
        return True
    seconds = made / 1000 if made > 1e11 else made  # Zalo gives milliseconds
    return datetime.fromtimestamp(seconds, UTC) >= since


def adapter(found: Account, settings: Settings, session: requests.Session,
            retrier: Retrier) -> Zalo:
    """The adapter of this account."""
    return Zalo(found, settings, session, retrier)
