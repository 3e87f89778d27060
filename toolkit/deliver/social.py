"""Delivering the social channel's posts to a Facebook Page and a Zalo OA, each once.

Every post of `outbox/social/` goes to every page that is set in the environment
(facebook.py, zalo.py). First a plan is made: each post on each page, already
posted (by the ledger), not yet due, or to post now or scheduled. A dry run stops
there and shows it all; a real run on a terminal shows it and asks.

Exactly once, per post and per page, across crashes and reruns: a post's key is
its unit, its version (the bytes of its post.json) and the page, keyed with the
project's secret (ledger.py). Before anything is sent, the intent is recorded
under that key; the answer turns it into a post. Neither platform takes an
idempotency key, so a post whose outcome is unknown (no answer in time, a run
killed between the platform's answer and the record) is looked for on the page
before it is sent again: by the next attempt in this run, or first thing in the
next run, which finds the intent still there. An upload a run left halfway goes on
where it stopped.

Waiting is bounded as for SMS: all the retries of a delivery wait on the platforms
at most [delivery] max_wait_s in all; a platform that asks for more is sent
nothing more in this run, and what is left is said, for a rerun.
"""

from __future__ import annotations

import json
import sqlite3
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, tzinfo
from types import ModuleType
from typing import Any, Literal

from toolkit.deliver import facebook, zalo
from toolkit.deliver.gateway import make_session
from toolkit.deliver.ledger import LEDGER_FILE, Ledger, keyed
from toolkit.deliver.platform import (
    ENVIRONMENT,
    Budget,
    Later,
    Platform,
    Reply,
    Retrier,
    Timing,
    unknown_outcome,
)
from toolkit.deliver.posts import Post, PostFile, read_posts, size_text, social_folder
from toolkit.i18n import N_, _, day, ngettext
from toolkit.problems import Problem, ProblemError, clip, printable, quote
from toolkit.project import Project

# The platforms, in the order their posts go: each adapter module spells its own name.
ADAPTERS: tuple[ModuleType, ...] = (facebook, zalo)
Log = Callable[[str], None]
Sleep = Callable[[float], None]
State = Literal["post", "already", "wait", "interrupted"]


@dataclass(frozen=True)
class Planned:
    """One post on one page, and what a run would do with it."""

    post: Post
    platform: str  # the adapter's name
    label: str  # the page, as people call it (marked for translation)
    kind: str  # photo, video, article (marked for translation)
    files: tuple[PostFile, ...]
    timing: Timing
    state: State
    key: str | None  # in the ledger; None when the page's id is not set (a dry run)
    earlier: bool = False  # an earlier version of this post is on this page


@dataclass(frozen=True)
class Plan:
    """Every post on every page, in the order they would go."""

    entries: tuple[Planned, ...]
    zone: tzinfo  # the project's time zone, for the times people read

    def count(self, *states: State) -> int:
        """How many entries are in one of these states."""
        return sum(1 for entry in self.entries if entry.state in states)


# Asked before a real run: True to post what the plan says.
Confirm = Callable[[Plan], bool]


@dataclass
class Tally:
    """What a delivery did."""

    posted: int = 0
    already: int = 0
    waiting: int = 0
    would_post: int = 0
    failed: Counter[str] = field(default_factory=Counter)
    later: Counter[str] = field(default_factory=Counter)  # not posted, for a rerun: by reason
    problems: list[Problem] = field(default_factory=list)
    plan: Plan | None = None
    declined: bool = False

    @property
    def retry_later(self) -> int:
        """How many posts were left for a later run."""
        return sum(self.later.values())

    @property
    def exit_status(self) -> int:
        """0 when every post that is due is posted; 1 when any failed, is left for later,
        could not be read, or was not confirmed."""
        broken = any(not p.warning for p in self.problems)
        return 1 if self.failed or self.later or self.declined or broken else 0

    def summary(self, dry_run: bool) -> str:
        """The line a delivery ends with."""
        if dry_run:
            return _("would post {would}, already posted {already}, waiting {waiting} "
                     "(dry run)").format(would=self.would_post, already=self.already,
                                         waiting=self.waiting)
        if self.declined:
            return _("nothing was posted: posting was not confirmed")
        line = _("posted {posted}, already posted {already}, failed {failed}").format(
            posted=self.posted, already=self.already,
            failed=f"{sum(self.failed.values())}{_reasons(self.failed)}")
        if self.waiting:
            line = _("{summary}, waiting {waiting} (not due yet: a later run posts them)").format(
                summary=line, waiting=self.waiting)
        if self.later:
            line = _("{summary}, retry later {later} -> run this again later: it posts only "
                     "what is not posted yet").format(
                summary=line, later=f"{self.retry_later}{_reasons(self.later)}")
        return line


def deliver(project: Project, dry_run: bool, log: Log, only: frozenset[str] = frozenset(),
            platforms: tuple[str, ...] = (), sleep: Sleep = time.sleep,
            confirm: Confirm | None = None) -> Tally:
    """Post every post not posted yet to every page set in the environment (or those
    `platforms` name), only the units `only` names if any; a dry run only says what
    would go where (`Tally.plan`). `confirm`, when given, is asked before the first
    post and may stop the delivery."""
    chosen, problems = _accounts(platforms, dry_run)
    posts, broken = read_posts(project.outbox_dir)
    posts, missing = _only(posts, only)
    tally = Tally(problems=[*problems, *broken, *missing])
    budget = Budget(project.settings.delivery.max_wait_s)
    session = make_session()
    adapters = {module.NAME: module.adapter(found, project.settings, session, Retrier(
        _(module.LABEL), project.settings.delivery, budget, sleep)) for module, found in chosen}
    ledger = PostLedger(project)
    try:
        plan = make_plan(ledger, posts, adapters, _now(), project.settings.zone)
        tally.plan, tally.already, tally.waiting = plan, plan.count("already"), plan.count("wait")
        if dry_run:
            tally.would_post = plan.count("post", "interrupted")
        elif plan.count("post", "interrupted") and confirm is not None and not confirm(plan):
            tally.declined = True
        else:
            run = _Run(ledger, adapters, tally, log, plan.zone)
            for entry in plan.entries:
                run.one(entry)
    finally:
        ledger.close()
    return tally


def make_plan(ledger: PostLedger, posts: list[Post], adapters: dict[str, Platform],
              now: datetime, zone: tzinfo) -> Plan:
    """Each post on each page, with what the ledger says of it."""
    entries = []
    for post in posts:
        for name, platform in adapters.items():
            page = platform.page
            key = ledger.key(name, page, post) if page else None
            timing = platform.timing(post, now)
            recorded = ledger.state(key) if key else None
            state: State = ("already" if recorded == "posted" else
                            "interrupted" if recorded == "sending" else
                            "wait" if timing.wait_until is not None else "post")
            earlier = bool(page) and state != "already" and ledger.posted_before(name, page, post)
            entries.append(Planned(post, name, platform.label, platform.kind(post),
                                   platform.files(post), timing, state, key, earlier))
    return Plan(tuple(entries), zone)


# --- what people read of a plan ------------------------------------------------------

def plan_lines(plan: Plan) -> Iterator[str]:
    """Every post on every page: where, what, when, its caption's first line, its files
    with their sizes, and what the ledger says of it."""
    for entry in plan.entries:
        yield _("{unit}: {page}, {kind}, {when}").format(
            unit=entry.post.unit, page=_(entry.label), kind=_(entry.kind),
            when=when_text(entry, plan.zone))
        note = _note(entry)
        if note:
            yield f"  ({note})"
        yield f'  "{printable(clip(_first_line(entry), 70))}"'
        for shown in entry.files:
            yield f"  {shown.name} ({size_text(shown.size)})"


def totals_lines(plan: Plan) -> Iterator[str]:
    """How many posts would go to each page."""
    for label in dict.fromkeys(entry.label for entry in plan.entries):
        n = sum(1 for e in plan.entries if e.label == label and e.state in ("post", "interrupted"))
        yield _("{page}: {posts}").format(page=_(label), posts=ngettext(
            "{n} post to make", "{n} posts to make", n).format(n=n))


def when_text(entry: Planned, zone: tzinfo) -> str:
    """When the post goes up: now, scheduled for a time, or a later run."""
    if entry.timing.wait_until is not None:
        return _("not yet: a run from {time} posts it").format(
            time=moment_text(entry.timing.wait_until, zone))
    if entry.timing.at is not None:
        return _("scheduled {time}").format(time=moment_text(entry.timing.at, zone))
    return _("now")


def moment_text(moment: datetime, zone: tzinfo) -> str:
    """A time as people read it, where the project is: 15/03/2021 08:00."""
    local = moment.astimezone(zone)
    return f"{day(local.date())} {local:%H:%M}"


def _note(entry: Planned) -> str:
    if entry.state == "already":
        return _("already posted")
    if entry.state == "interrupted":
        return _("an earlier run did not learn whether it was posted: the page is looked at "
                 "first, and it is posted only if it is not there")
    if entry.key is None:
        return _("its page's id is not set: whether it was posted before cannot be told")
    if entry.earlier:
        return _("an earlier version is on the page: this one goes up as a new post")
    return ""


def _first_line(entry: Planned) -> str:
    text = entry.post.message if entry.platform == facebook.NAME else entry.post.zalo_title
    return text.strip().split("\n", 1)[0]


# --- the ledger of posts ---------------------------------------------------------------

class PostLedger:
    """The posts table of the project's ledger (ledger.py): an intent, then a post."""

    def __init__(self, project: Project) -> None:
        self.ledger = Ledger(project.root)
        self.connection = self.ledger.connection

    def key(self, platform: str, page: str, post: Post) -> str:
        """The key of one version of one post on one page."""
        return keyed(self.ledger.secret,
                     f"post\0{platform}\0{page}\0{post.unit}\0{post.version}".encode())

    def state(self, key: str) -> str | None:
        """"sending" (an intent whose outcome is unknown), "posted", or None."""
        row = self._query("SELECT state FROM posts WHERE key = ?", (key,)).fetchone()
        return None if row is None else str(row[0])

    def posted_before(self, platform: str, page: str, post: Post) -> bool:
        """True when another version of this unit's post is on this page."""
        return self._query("SELECT 1 FROM posts WHERE unit = ? AND platform = ? AND page = ? "
                           "AND state = 'posted'",
                           (post.unit, platform, self._page(platform, page))).fetchone() is not None

    def begin(self, key: str, platform: str, page: str, post: Post) -> Intent:
        """The intent of posting (recorded at once), or the one an earlier run left."""
        row = self._query("SELECT since, progress FROM posts WHERE key = ?", (key,)).fetchone()
        if row is not None:
            return Intent(self, key, datetime.fromisoformat(row[0]), _loads(row[1]))
        since = _now()
        self._write("INSERT INTO posts (key, unit, platform, page, state, since, progress) "
                    "VALUES (?, ?, ?, ?, 'sending', ?, '{}')",
                    (key, post.unit, platform, self._page(platform, page), since.isoformat()))
        return Intent(self, key, since, {})

    def save(self, key: str, progress: dict[str, Any]) -> None:
        """Keep how far a post has got, at once."""
        self._write("UPDATE posts SET progress = ? WHERE key = ?", (_dumps(progress), key))

    def posted(self, key: str, answer: str) -> None:
        """The platform has the post."""
        self._write("UPDATE posts SET state = 'posted', answer = ?, at = CURRENT_TIMESTAMP "
                    "WHERE key = ?", (answer, key))

    def forget(self, key: str) -> None:
        """Nothing was posted: the next run posts it anew."""
        self._write("DELETE FROM posts WHERE key = ? AND state = 'sending'", (key,))

    def close(self) -> None:
        """Close the database."""
        self.ledger.close()

    def _page(self, platform: str, page: str) -> str:
        return keyed(self.ledger.secret, f"page\0{platform}\0{page}".encode())

    def _query(self, sql: str, values: tuple[Any, ...]) -> sqlite3.Cursor:
        try:
            return self.connection.execute(sql, values)
        except sqlite3.Error as err:
            raise ProblemError(_unusable(err)) from None

    def _write(self, sql: str, values: tuple[Any, ...]) -> None:
        try:
            with self.connection:
                self.connection.execute(sql, values)
        except sqlite3.Error as err:
            raise ProblemError(_unusable(err)) from None


@dataclass
class Intent:
    """A post under way, as the ledger keeps it (platform.Progress)."""

    ledger: PostLedger
    key: str
    since: datetime
    data: dict[str, Any]

    def save(self, **values: Any) -> None:
        """Keep these values with the post, at once."""
        self.data.update(values)
        self.ledger.save(self.key, self.data)


# --- a run -----------------------------------------------------------------------------

@dataclass
class _Run:
    """One delivery under way: each post of the plan posted, recorded, counted."""

    ledger: PostLedger
    adapters: dict[str, Platform]
    tally: Tally
    log: Log
    zone: tzinfo
    stopped: dict[str, str] = field(default_factory=dict)  # platform: why it takes no more
    ready: dict[str, Reply | Later] = field(default_factory=dict)  # platform: its account

    def one(self, entry: Planned) -> None:
        """Post one post on one page, unless it is posted, not due, or the platform takes
        nothing more now."""
        if entry.state in ("already", "wait") or entry.key is None:
            return
        if entry.platform in self.stopped:
            self.tally.later[self.stopped[entry.platform]] += 1
            return
        platform = self.adapters[entry.platform]
        prepared = self._prepare(entry.platform, platform)
        if prepared is not None:
            self._count(entry, prepared, None)
            return
        intent = self.ledger.begin(entry.key, entry.platform, platform.page, entry.post)
        if entry.state == "interrupted":
            found = platform.find(entry.post, intent)
            if isinstance(found, Reply) and found.kind == "ok" and found.data.get("id"):
                self.ledger.posted(entry.key, _answer(entry, found, "found"))
                self.tally.already += 1
                self.log(_("{unit} is on the {page} already: an earlier run posted it").format(
                    unit=entry.post.unit, page=_(entry.label)))
                return
            if isinstance(found, Later) or found.kind != "ok":
                self._count(entry, Later(found.detail, unknown_outcome(_(entry.label), found)),
                            intent)
                return
        self._count(entry, platform.publish(entry.post, intent), intent)

    def _prepare(self, name: str, platform: Platform) -> Reply | Later | None:
        """The account checked once a run; None when it may be posted to."""
        if name not in self.ready:
            self.ready[name] = platform.prepare()
            checked = self.ready[name]
            if isinstance(checked, Later) or checked.kind != "ok":
                self.log(_("the {page} is left out: {why}").format(page=_(platform.label),
                                                                 why=checked.detail))
        checked = self.ready[name]
        return None if isinstance(checked, Reply) and checked.kind == "ok" else checked

    def _count(self, entry: Planned, result: Reply | Later, intent: Intent | None) -> None:
        where = {"unit": entry.post.unit, "page": _(entry.label)}
        if isinstance(result, Later):
            self.tally.later[result.reason] += 1
            self.log(_("retry later {unit} to the {page}: {detail}; {reason}").format(
                **where, detail=result.detail, reason=result.reason))
            if result.stop:
                self.stopped[entry.platform] = result.reason
                self.log(_("stopping posts to the {page}: {reason}; what is not posted is left "
                           "for a later run").format(page=_(entry.label), reason=result.reason))
        elif result.kind == "ok" and intent is not None:
            self.ledger.posted(intent.key, _answer(entry, result, entry.kind))
            self.tally.posted += 1
            self.log(_("posted {unit} to the {page}: {kind}, {when}").format(
                **where, kind=_(entry.kind), when=when_text(entry, self.zone)))
        else:
            if intent is not None and result.sure and not intent.data:
                self.ledger.forget(intent.key)  # nothing went up: the next run posts it anew
            self.tally.failed[result.detail] += 1
            fix = f" -> {result.fix}" if result.fix else ""
            self.log(_("failed {unit} to the {page}: {why}").format(**where, why=result.detail)
                     + fix)


def _answer(entry: Planned, reply: Reply, what: str) -> str:
    """What the ledger keeps of a post: what it is and the platform's id for it (in
    English, whatever the officer reads: it is a record, not a message)."""
    return f"{entry.platform} {what} {reply.data.get('id', '?')}"


def _accounts(asked: tuple[str, ...], dry_run: bool) -> tuple[list[tuple[ModuleType, Any]],
                                                                list[Problem]]:
    """The pages set in the environment (of those asked for), each with its account; a
    dry run shows the pages not set too. ProblemError when a page asked for is not set,
    or (not in a dry run) none is."""
    chosen: list[tuple[ModuleType, Any]] = []
    problems, errors = [], []
    considered = [m for m in ADAPTERS if not asked or m.NAME in asked]
    for module in considered:
        found = module.account(need_token=not dry_run)
        if found is not None:
            chosen.append((module, found))
        elif dry_run:
            problems.append(Problem(_(ENVIRONMENT), None, ", ".join(module.VARIABLES), _(
                "are not set: a real run would post nothing to the {page}").format(
                    page=_(module.LABEL)), _(_SET_THEM), warning=True))
            chosen.append((module, module.placeholder()))
        elif module.NAME in asked:
            errors.append(_not_set(module))
        else:
            problems.append(Problem(_(ENVIRONMENT), None, ", ".join(module.VARIABLES), _(
                "are not set: nothing goes to the {page}").format(page=_(module.LABEL)),
                _(_SET_THEM), warning=True))
    if errors or not chosen:
        raise ProblemError(*(errors or [_not_set(m) for m in considered]))
    return chosen, problems


_SET_THEM = N_("set them to post there (README: Posting to Facebook and Zalo)")


def _not_set(module: ModuleType) -> Problem:
    return Problem(_(ENVIRONMENT), None, ", ".join(module.VARIABLES), _("are not set"), _(
        "set them to the page's id and access token (README: Posting to Facebook and Zalo); "
        "or try a --dry-run"))


def _only(posts: list[Post], only: frozenset[str]) -> tuple[list[Post], list[Problem]]:
    """The posts of the units asked for, and a problem for each unit without a post."""
    if not only:
        return posts, []
    found = {post.unit for post in posts}
    folder = social_folder()
    problems = [Problem(f"outbox/{folder}", None, "", _("has no post of {unit}").format(
        unit=quote(unit)), _("build it first: toolkit build --channel {channel} --only "
                             "{unit}").format(channel=folder, unit=unit))
        for unit in sorted(only - found)]
    return [post for post in posts if post.unit in only], problems


def _reasons(counts: Counter[str]) -> str:
    why = "; ".join(f"{n} {reason}" for reason, n in sorted(counts.items()))
    return f" ({why})" if why else ""


def _unusable(err: sqlite3.Error) -> Problem:
    return Problem(str(LEDGER_FILE), None, "", _("cannot be used ({error})").format(
        error=f"{type(err).__name__}: {str(err)[:80]}"), _(
        "free disk space, or restore it from a backup; then run this again"))


def _now() -> datetime:
    return datetime.now().astimezone()


def _loads(text: str | None) -> dict[str, Any]:
    try:
        data = json.loads(text or "{}")
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def _dumps(data: dict[str, Any]) -> str:
    return json.dumps(data, sort_keys=True)
