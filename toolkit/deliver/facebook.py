"""The Facebook Graph API: a Page's photo post, or its video post.

A post without a clip is a photo post: `POST /{page-id}/photos` with the portrait
card (`source`) and the caption (`caption`). A post with a clip is a video post,
uploaded with the resumable protocol of `POST /{page-id}/videos` (on the
graph-video host): `upload_phase=start` with `file_size` (answers `video_id`,
`upload_session_id` and the first chunk's `start_offset`/`end_offset`), then
`upload_phase=transfer` with `start_offset` and `video_file_chunk` until the
offsets meet (each answer gives the next chunk; an error with subcode 1363037
gives in its `error_data` the offsets Facebook expects), then
`upload_phase=finish` with `title`, `description` and the publishing fields.

A post whose publish time is ahead is scheduled (`published=false`,
`scheduled_publish_time`): the Graph API takes times from 10 minutes to 30 days
ahead (the Pages API guide; older pages say 75 days or 6 months: the narrowest is
kept). A post due in less than SCHEDULE_LEAD goes up then, a few minutes late,
never early; one due further than SCHEDULE_MAX ahead waits for a later run.

Errors come as `{"error": {"message", "type", "code", "error_subcode",
"fbtrace_id"}}`. Codes 4, 17, 32, 613 and 80001 are rate limits: nothing was done,
retry later (after the wait `X-Business-Use-Case-Usage` estimates); 1, 2 and
`is_transient` are passing faults that may have done it; anything else is a
refusal, shown with Facebook's message and what to do.

Neither endpoint takes an idempotency key. What may have been posted is found
again by looking: a photo by its caption among the Page's photos and scheduled
posts made since the first attempt; a video by its id (kept as soon as the upload
starts), finished when it has the caption as its description (given only at the
finish).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import requests

from toolkit.deliver import platform
from toolkit.deliver.gateway import parse_retry_after
from toolkit.deliver.platform import (
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

NAME = "facebook"
LABEL = N_("Facebook Page")
PAGE_VARIABLE = "TOOLKIT_FACEBOOK_PAGE_ID"
TOKEN_VARIABLE = "TOOLKIT_FACEBOOK_PAGE_TOKEN"
URL_VARIABLE = "TOOLKIT_FACEBOOK_API_URL"
VARIABLES = (PAGE_VARIABLE, TOKEN_VARIABLE)  # what a page needs set
GRAPH_URL = "https://graph.facebook.com/v25.0"
# Video uploads go to this host; an address given in URL_VARIABLE takes both.
GRAPH_HOST, VIDEO_HOST = "graph.facebook.com", "graph-video.facebook.com"

RATE_LIMIT_CODES = frozenset({4, 17, 32, 613, 80001})  # throttled: nothing was done
PASSING_CODES = frozenset({1, 2})  # "temporary issue due to downtime": perhaps done
TOKEN_CODES = frozenset({102, 190})
PERMISSION_CODES = frozenset({10, *range(200, 300)})
NO_OBJECT_CODE = 100  # "Unsupported get request. Object with ID ... does not exist"
RESUME_SUBCODE = 1363037  # a chunk not where Facebook expected it: error_data says where

SCHEDULE_MIN = timedelta(minutes=10)
SCHEDULE_LEAD = SCHEDULE_MIN + timedelta(minutes=5)  # the floor, and the minutes of an upload
SCHEDULE_MAX = timedelta(days=30)
CLOCK_SKEW = timedelta(minutes=10)  # between this computer's clock and Facebook's
LISTED = "100"  # posts a lookup reads: the newest, where a post of this run would be
UPLOAD_FLOOR = 64 * 1024  # bytes a second a chunk's deadline allows beyond timeout_s
MAX_TRANSFERS = 100_000


@dataclass(frozen=True)
class Account(platform.Account):
    """The Page and its token, from the environment (never printed), and where its
    videos are uploaded."""

    video_url: str


def account(need_token: bool) -> Account | None:
    """The Page's account from the environment: None when none of it is set; a
    ProblemError naming the variable when a part is missing or wrong."""
    found = platform.account((PAGE_VARIABLE, TOKEN_VARIABLE, URL_VARIABLE), GRAPH_URL, _(
        "set them to the Page's id and a Page access token; or try a --dry-run"), need_token)
    if found is None:
        return None
    return Account(found.page, found.token, found.url, _video_url(found.url))


def placeholder() -> Account:
    """An account for a dry run of a Page whose id is not set: it sends nothing."""
    return Account("", "", GRAPH_URL, _video_url(GRAPH_URL))


def _video_url(url: str) -> str:
    """The graph-video twin of the Graph API's address; any other address as it is."""
    parts = urlsplit(url)
    if parts.hostname != GRAPH_HOST:
        return url
    return urlunsplit(parts._replace(netloc=parts.netloc.replace(GRAPH_HOST, VIDEO_HOST)))


class Facebook(platform.Page):
    """A Facebook Page: photo posts, and video posts uploaded chunk by chunk."""

    name = NAME
    label = LABEL
    account: Account

    def kind(self, post: Post) -> str:
        """A video post when the post has a clip, else a photo post."""
        return N_("video") if post.video is not None else N_("photo")

    def files(self, post: Post) -> tuple[PostFile, ...]:
        """The clip, or the portrait card."""
        return (post.video,) if post.video is not None else (post.portrait,)

    def timing(self, post: Post, now: datetime) -> Timing:
        """Now when its time has come; scheduled within Facebook's window; else later."""
        return schedule(post.publish, now)

    def prepare(self) -> Reply | Later:
        """Nothing to check: the Page's id goes with every request."""
        return Reply.ok({})

    def publish(self, post: Post, progress: Progress) -> Reply | Later:
        """Post the photo, or upload the clip and post it."""
        if post.video is None:
            return self.retrier.publish(lambda: self._photo(post),
                                        lambda: self.find(post, progress))
        return self._video(post, post.video, progress)

    def find(self, post: Post, progress: Progress) -> Reply | Later:
        """The post made by an earlier attempt, if Facebook has it."""
        if post.video is not None:
            video_id = progress.data.get("video_id")
            return self._find_video(post, str(video_id)) if video_id else Reply.ok({})
        return self._find_photo(post, progress.since - CLOCK_SKEW)

    # --- photos ---------------------------------------------------------------------

    def _photo(self, post: Post) -> Reply:
        form = {"caption": post.message, **publishing(schedule(post.publish, now()))}
        image = post.portrait.path.read_bytes()
        reply = self._send("POST", f"{self.account.url}/{self.account.page}/photos", form=form,
                           files={"source": (post.portrait.path.name, image, "image/png")},
                           extra=len(image))
        if reply.kind == "ok":
            posted = reply.data.get("post_id") or reply.data.get("id")
            if not isinstance(posted, str | int) or isinstance(posted, bool):
                return Reply.retry(_("Facebook answered without the post's id"), sure=False)
            return Reply.ok({"id": self._own(posted)})
        return reply

    def _own(self, remote: object) -> str:
        """A post's id without the Page's id it starts with ("<page>_<post>"): the ledger
        keeps no page id."""
        text = str(remote)
        return text.removeprefix(f"{self.account.page}_") or "?"

    def _find_photo(self, post: Post, since: datetime) -> Reply | Later:
        """The photo post with this caption made since `since`, published or scheduled."""
        page = f"{self.account.url}/{self.account.page}"
        for edge, text in (("photos", "name"), ("scheduled_posts", "message")):
            listed = self._listed(f"{page}/{edge}", text, edge == "photos")
            if isinstance(listed, Later) or listed.kind != "ok":
                return listed
            for item in _items(listed.data):
                if same_text(item.get(text), post.message) and _made_since(item, since):
                    return Reply.ok({"id": self._own(item.get("id", ""))})
        return Reply.ok({})

    def _listed(self, url: str, text: str, uploaded: bool) -> Reply | Later:
        """The newest posts of an edge of the Page, with their text and time."""
        params = {"fields": f"id,{text},created_time", "limit": LISTED}
        if uploaded:
            params["type"] = "uploaded"
        return self.retrier.call(lambda: self._send("GET", url, params=params))

    # --- videos ---------------------------------------------------------------------

    def _video(self, post: Post, clip: PostFile, progress: Progress) -> Reply | Later:
        uploaded = self._upload(clip, progress)
        if isinstance(uploaded, Later) or uploaded.kind != "ok":
            return uploaded
        video_id, session = str(uploaded.data["video_id"]), str(uploaded.data["session"])
        finished = self.retrier.publish(lambda: self._finish(post, session),
                                        lambda: self._find_video(post, video_id))
        if isinstance(finished, Reply) and finished.kind == "ok":
            return Reply.ok({"id": video_id})
        return finished

    def _upload(self, clip: PostFile, progress: Progress) -> Reply | Later:
        """Every chunk of the clip, going on from where an earlier attempt stopped;
        ok with the video's id and the upload session."""
        restarted = not _resumable(progress.data, clip)
        if restarted:
            started = self._start(clip, progress)
            if started is not None:
                return started
        for _step in range(MAX_TRANSFERS):
            start, end = int(progress.data["start"]), int(progress.data["end"])
            if start >= end:
                return Reply.ok({"video_id": progress.data["video_id"],
                                 "session": progress.data["session"]})
            moved = self._transfer(clip, str(progress.data["session"]), start, end)
            if isinstance(moved, Later):
                return moved
            if moved.kind == "ok":
                offsets = _offsets(moved.data, clip.size)
            elif (offsets := _resume_offsets(moved, clip.size)) in (None, (start, end)):
                if restarted:
                    return moved
                restarted = True  # the session of an earlier run is gone: upload anew
                started = self._start(clip, progress)
                if started is not None:
                    return started
                continue
            if offsets is None:
                return Reply.refused(_("Facebook answered offsets that are not in the clip"))
            progress.save(start=offsets[0], end=offsets[1])
        return Reply.refused(_("Facebook never said that the clip was all uploaded"))

    def _start(self, clip: PostFile, progress: Progress) -> Reply | Later | None:
        """Open an upload session and keep it in `progress`; None once done."""
        started = self.retrier.call(lambda: self._send(
            "POST", self._videos(), form={"upload_phase": "start",
                                          "file_size": str(clip.size)}))
        if isinstance(started, Later) or started.kind != "ok":
            return started
        offsets = _offsets(started.data, clip.size)
        video_id, session = started.data.get("video_id"), started.data.get("upload_session_id")
        if offsets is None or not video_id or not session:
            return Reply.refused(_("Facebook answered the upload's start without its session"))
        progress.save(video_id=str(video_id), session=str(session), start=offsets[0],
                      end=offsets[1], size=clip.size, file=clip.name)
        return None

    def _transfer(self, clip: PostFile, session: str, start: int, end: int) -> Reply | Later:
        with clip.path.open("rb") as handle:
            handle.seek(start)
            chunk = handle.read(end - start)
        return self.retrier.call(lambda: self._send(
            "POST", self._videos(), form={"upload_phase": "transfer", "upload_session_id": session,
                                          "start_offset": str(start)},
            files={"video_file_chunk": (clip.path.name, chunk, "application/octet-stream")},
            extra=len(chunk)))

    def _finish(self, post: Post, session: str) -> Reply:
        form = {"upload_phase": "finish", "upload_session_id": session, "title": post.title,
                "description": post.message, **publishing(schedule(post.publish, now()))}
        reply = self._send("POST", self._videos(), form=form)
        if reply.kind == "ok" and reply.data.get("success") is not True:
            return Reply.retry(_("Facebook did not say that the video was posted"), sure=False)
        return reply

    def _find_video(self, post: Post, video_id: str) -> Reply | Later:
        """The video `video_id` is posted when its description is the caption."""
        found = self.retrier.call(lambda: self._send(
            "GET", f"{self.account.url}/{video_id}", params={"fields": "id,description"}))
        if isinstance(found, Later):
            return found
        if found.kind == "refused" and found.data.get("code") == NO_OBJECT_CODE:
            return Reply.ok({})
        if found.kind != "ok":
            return found
        return Reply.ok({"id": video_id} if same_text(found.data.get("description"),
                                                      post.message) else {})

    # --- requests -------------------------------------------------------------------

    def _videos(self) -> str:
        return f"{self.account.video_url}/{self.account.page}/videos"

    def _send(self, method: str, url: str, params: dict[str, str] | None = None,
              form: dict[str, str] | None = None,
              files: dict[str, tuple[str, bytes, str]] | None = None, extra: int = 0) -> Reply:
        """One request with the Page's token in its header (never in the address), held to
        timeout_s (and a second for every UPLOAD_FLOOR bytes it carries)."""
        request = Request(method, url, self.delivery.timeout_s + extra / UPLOAD_FLOOR,
                          {"Authorization": f"Bearer {self.account.token}"}, params or {},
                          form, None, files)
        return send(self.session, request, self._judge)

    def _judge(self, answer: Answer) -> Reply:
        return graph_judge(answer, (self.account.token, self.account.page))


def schedule(publish: datetime, moment: datetime) -> Timing:
    """When a post due at `publish` goes up if sent at `moment`."""
    if publish <= moment:
        return Timing()
    if publish - moment > SCHEDULE_MAX:
        return Timing(wait_until=publish - SCHEDULE_MAX)
    return Timing(at=max(publish, moment + SCHEDULE_LEAD))


def publishing(timing: Timing) -> dict[str, str]:
    """The fields that publish a post at once or schedule it."""
    if timing.at is None:
        return {"published": "true"}
    return {"published": "false", "scheduled_publish_time": str(int(timing.at.timestamp()))}


def now() -> datetime:
    """This moment, aware."""
    return datetime.now().astimezone()


def same_text(found: object, text: str) -> bool:
    """True when what the platform keeps is the text sent (line ends and the spaces at
    its ends aside, which a platform may change)."""
    return isinstance(found, str) and _plain(found) == _plain(text)


def _plain(text: str) -> str:
    return "\n".join(line.rstrip() for line in text.replace("\r\n", "\n").strip().split("\n"))


def graph_judge(answer: Answer, secrets: tuple[str, ...] = ()) -> Reply:
    """What the Graph API's answer means: its error object first (a rate limit may come
    with a 400), then the status, then the JSON it sent."""
    data = answer.json_object()
    error = data.get("error") if data is not None else None
    if isinstance(error, dict):
        return _error_reply(answer, error, secrets)
    decided = status_reply(answer)
    if decided is not None:
        return decided
    if not 200 <= answer.status < 300:
        return Reply.refused(f"Facebook: HTTP {answer.status}", _(
            "check {variable}, then run this again").format(variable=URL_VARIABLE))
    if answer.body is None:
        return Reply.retry(f"Facebook: {answer.missing}", sure=False)
    if data is None:
        return Reply.retry(_("Facebook answered without JSON"), sure=False)
    return Reply.ok(data)


def _error_reply(answer: Answer, error: dict[str, Any], secrets: tuple[str, ...]) -> Reply:
    code, subcode = _number(error.get("code")), _number(error.get("error_subcode"))
    detail = _("{said} (code {code})").format(
        said=said("Facebook", error.get("message"), secrets),
        code=", ".join(_codes(code, subcode, error.get("fbtrace_id"))))
    if code in RATE_LIMIT_CODES or answer.status == 429:
        return Reply.retry(detail, sure=True, wait=regain_wait(answer), data=error)
    if code in PASSING_CODES or error.get("is_transient") is True or answer.status >= 500:
        return Reply.retry(detail, sure=False, wait=regain_wait(answer), data=error)
    return Reply.refused(detail, _fix(code), {**error, "code": code, "error_subcode": subcode})


def _codes(code: int | None, subcode: int | None, trace: object) -> list[str]:
    """The code, the subcode and the trace id Facebook's support asks for."""
    shown = [str(code) if code is not None else "?"]
    if subcode is not None:
        shown.append(_("subcode {subcode}").format(subcode=subcode))
    if isinstance(trace, str) and trace.isascii() and trace.replace("_", "").replace(
            "-", "").isalnum():
        shown.append(f"fbtrace_id {trace[:40]}")
    return shown


def _fix(code: int | None) -> str:
    """What to do about a refusal, by its code."""
    if code in TOKEN_CODES:
        return _("set {variable} to a new Page access token, then run this again").format(
            variable=TOKEN_VARIABLE)
    if code in PERMISSION_CODES:
        return _("give the app the pages_manage_posts permission on the Page, set a new Page "
                 "access token, then run this again")
    if code == 368:
        return _("Facebook has stopped the Page from posting for a while: wait, then run this "
                 "again")
    if code == 506:
        return _("the Page has this text already: look at the Page before running this again")
    return _("look at the post on the review page and at the Page's settings, then run this "
             "again")


def regain_wait(answer: Answer) -> float | None:
    """The wait Facebook asks for: Retry-After, else the minutes X-Business-Use-Case-Usage
    estimates before the Page may call again; None when it says nothing."""
    asked = parse_retry_after(answer.headers.get("Retry-After"))
    if asked is not None:
        return asked
    try:
        usage = json.loads(answer.headers.get("X-Business-Use-Case-Usage", ""))
    except (ValueError, RecursionError):
        return None
    minutes = [entry.get("estimated_time_to_regain_access")
               for entries in (usage.values() if isinstance(usage, dict) else ())
               if isinstance(entries, list) for entry in entries if isinstance(entry, dict)]
    waits = [m for m in minutes if isinstance(m, int) and not isinstance(m, bool) and
             0 <= m <= 24 * 60]
    return max(waits) * 60.0 if waits else None


def _number(value: object) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.lstrip("-").isdigit() and len(value) < 12:
        return int(value)
    return None


def _items(data: dict[str, Any]) -> list[dict[str, Any]]:
    listed = data.get("data")
    return [item for item in listed if isinstance(item, dict)] if isinstance(listed, list) else []


def _made_since(item: dict[str, Any], since: datetime) -> bool:
    """True when the item's created_time (2021-03-15T01:00:00+0000) is after `since`."""
    value = item.get("created_time")
    if not isinstance(value, str):
        return False
    try:
        return datetime.strptime(value, "%Y-%m-%dT%H:%M:%S%z") >= since
    except ValueError:
        return False


def _resumable(data: dict[str, Any], clip: PostFile) -> bool:
    """True when an earlier attempt left an upload of this very clip to go on with."""
    return (all(data.get(k) is not None for k in ("video_id", "session", "start", "end"))
            and data.get("size") == clip.size and data.get("file") == clip.name)


def _offsets(data: dict[str, Any], size: int) -> tuple[int, int] | None:
    """The next chunk (start_offset, end_offset) Facebook asks for; None if nonsense."""
    start, end = _number(data.get("start_offset")), _number(data.get("end_offset"))
    if start is None or end is None or not 0 <= start <= end <= size:
        return None
    return start, end


def _resume_offsets(reply: Reply, size: int) -> tuple[int, int] | None:
    """The chunk Facebook expects after a refused one (subcode 1363037), if it says."""
    if reply.kind != "refused" or reply.data.get("error_subcode") != RESUME_SUBCODE:
        return None
    error_data = reply.data.get("error_data")
    if isinstance(error_data, str):
        try:
            error_data = json.loads(error_data)
        except (ValueError, RecursionError):
            return None
    return _offsets(error_data, size) if isinstance(error_data, dict) else None


def adapter(found: Account, settings: Settings, session: requests.Session,
            retrier: Retrier) -> Facebook:
    """The adapter of this account."""
    return Facebook(found, settings, session, retrier)
