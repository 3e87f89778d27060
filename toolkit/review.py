"""The review page: every unit as an officer checks it before it goes out, and as it is.

Each unit shows its state (draft, scheduled with its date, live, expired,
broken with its problems, stale when its content is newer than its files), what
each channel shows of it (`Channel.shown`: previews of printed pages, both clips,
the SMS text and its cost), the feed item as the portal will show it, and links
to its files. Title, kind and dates come from the record of the build that made
the files (`toolkit.record`), never from a newer edit; a draft is shown beside
its published version. An index at the top filters by kind, state, channel and
title, and links the files of many units (feeds, bulletins, reports).

Plain HTML with a viewport, readable on a phone, no external scripts, no build
step; under `toolkit serve` with its live loop a small script reloads the page
(keeping its scroll position) when a rebuild has changed it. Making the page
writes nothing (not even the cache of units).
"""

from __future__ import annotations

import html
import re
import struct
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from email.utils import parsedate_to_datetime
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import parse_qs, quote

from toolkit.channels import channels, media_type
from toolkit.channels.base import Channel, Clip, Message, Picture, Shown
from toolkit.content.load import Content, load_content
from toolkit.content.model import KINDS, AnyUnit, kind_label
from toolkit.content.text import strip_marks
from toolkit.i18n import N_, _, day, language, ngettext
from toolkit.outbox import ChannelOutbox, Item
from toolkit.problems import Problem, ProblemError
from toolkit.project import Project
from toolkit.record import load_record
from toolkit.settings import Settings

PREVIEW_PREFIX = "/preview"  # where the server puts the preview area's files
REPORTS = "report"  # outbox/report/: the quarterly reports, a command's folder, not a channel
FEED_TYPE = "application/rss+xml"
SEARCH_LIMIT = 100  # characters of a search that are used
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"

# What a unit can be, in the order badges show them; "scheduled" carries its date.
STATES: dict[str, str] = {
    "broken": N_("broken"),
    "stale": N_("stale"),
    "draft": N_("draft"),
    "scheduled": N_("scheduled"),
    "live": N_("live"),
    "expired": N_("expired"),
}

STYLE = """*{box-sizing:border-box}
body{font:16px/1.45 system-ui,sans-serif;margin:0 auto;max-width:64rem;padding:.8rem;
color:#1f2328;background:#fff;overflow-wrap:anywhere}
h1{font-size:1.35rem;margin:.2rem 0 .6rem}h2{font-size:1.15rem;margin:.1rem 0}
h3{font-size:1rem;margin:.8rem 0 .3rem}a{color:#0b57d0}
.meta,.count{color:#57606a;font-size:.9rem}
#live{background:#eef6ee;border-left:4px solid #2e7d32;padding:.4rem .6rem;margin:.4rem 0}
#live.busy{background:#fff8e1;border-color:#f9a825}#live.off{background:#f4f6f8;border-color:#888}
.shared{margin:.4rem 0;padding:0;list-style:none}.shared li{margin:.2rem 0}
.note{background:#fff8e1;border-left:4px solid #f9a825;padding:.4rem .6rem;margin:.4rem 0}
.empty{background:#f4f6f8;padding:1rem;border-radius:.4rem}
form.filters{display:flex;flex-wrap:wrap;gap:.5rem;align-items:end;margin:.8rem 0;
padding:.6rem;background:#f4f6f8;border-radius:.4rem}
form.filters label{display:flex;flex-direction:column;font-size:.85rem;flex:1 1 9rem;min-width:0}
form.filters select,form.filters input,form.filters button{font:inherit;padding:.3rem;
min-height:2.4rem;max-width:100%}
.index{padding-left:1.4rem}.index li{margin:.25rem 0}
section.unit{border-top:2px solid #d0d7de;padding:.8rem 0}
.badge{display:inline-block;font-size:.8rem;padding:.05rem .45rem;border-radius:1rem;
margin:.1rem .2rem .1rem 0;background:#ddf4ff;color:#0a3069;white-space:nowrap}
.badge.broken{background:#ffebe9;color:#82071e}.badge.stale{background:#fff8c5;color:#4d2d00}
.badge.draft{background:#eaeef2;color:#24292f}.badge.expired{background:#eaeef2;color:#57606a}
.badge.live{background:#dafbe1;color:#116329}
.problems{margin:.4rem 0;padding:.4rem .6rem .4rem 1.6rem;background:#ffebe9;
border-radius:.4rem}.problems li{margin:.2rem 0}.problems .warning{color:#4d2d00}
.fix{display:block;color:#1f2328}
code{font-family:ui-monospace,monospace;background:#eaeef2;padding:0 .2rem;border-radius:.2rem}
.versions{display:grid;grid-template-columns:repeat(auto-fit,minmax(min(100%,20rem),1fr));gap:1rem}
.version{min-width:0}.version.draft{background:#f6f8fa;padding:.4rem;border-radius:.4rem}
.previews{display:grid;grid-template-columns:repeat(auto-fill,minmax(min(100%,9rem),1fr));gap:.4rem}
.previews a{display:block}img{max-width:100%;height:auto;border:1px solid #d0d7de}
.clips{display:flex;flex-wrap:wrap;gap:.6rem;align-items:flex-start}
figure{margin:0;flex:1 1 16rem;max-width:30rem;min-width:0}figcaption{font-size:.85rem}
video{display:block;width:100%;max-height:26rem;background:#000}
.sms{background:#f4f6f8;padding:.5rem;font-family:ui-monospace,monospace;white-space:pre-wrap}
.feed{border:1px solid #d0d7de;border-radius:.4rem;padding:.5rem}.feed h4{margin:0 0 .2rem}
.behind{background:#fff8c5;padding:.2rem .4rem}
.feed iframe{width:100%;height:18rem;border:1px solid #d0d7de;background:#fff}
.files a{display:inline-block;margin:0 .7rem .2rem 0}"""

# Reloads the page when the live loop says its files changed (an event whose data is
# not this page's generation), keeping the scroll position; shows what it is doing.
SCRIPT = """(function(){
var body=document.body,gen=body.getAttribute('data-generation'),
key='review-scroll:'+location.pathname+location.search,saved=sessionStorage.getItem(key);
if(saved!==null){sessionStorage.removeItem(key);
var restore=function(){window.scrollTo(0,Number(saved))};restore();
window.addEventListener('load',restore);}
document.querySelectorAll('form.filters select').forEach(function(s){
s.addEventListener('change',function(){s.form.submit()})});
if(!gen||!window.EventSource)return;
var live=document.getElementById('live'),source=new EventSource('/events');
function reload(e){if(e.data!==gen){source.close();
sessionStorage.setItem(key,String(window.scrollY));location.reload();}}
source.addEventListener('hello',reload);source.addEventListener('reload',reload);
source.addEventListener('status',function(e){var s=JSON.parse(e.data);
live.textContent=s.text;live.className=s.busy?'busy':'';});
source.onerror=function(){live.textContent=live.getAttribute('data-offline');
live.className='off';};
})();"""


@dataclass(frozen=True)
class Status:
    """What the page says beyond the files, from the live loop of `toolkit serve`: the
    problems of the last build it ran, what it is doing, notes (a refused build), and
    the generation of the files (the script reloads when it changes). The default is a
    server without a live loop: no script, nothing said."""

    problems: tuple[Problem, ...] = ()
    activity: str = ""
    busy: bool = False
    notes: tuple[str, ...] = ()
    generation: str = ""
    # Channels whose files are still of the version before an edit (made again in the
    # background), for the units of these files (None: every unit).
    behind: tuple[str, ...] = ()
    behind_sources: frozenset[str] | None = frozenset()

    def behind_for(self, source: str) -> tuple[str, ...]:
        """The channels whose files of the unit in `source` are of its version before."""
        if self.behind_sources is None or source in self.behind_sources:
            return self.behind
        return ()


@dataclass(frozen=True)
class FeedItem:
    """A unit's item in a feed, as the portal reads it."""

    title: str
    link: str
    published: datetime | None
    summary: str
    content: str
    enclosure: str
    enclosure_type: str
    enclosure_bytes: int


@dataclass
class Shelf:
    """One area (the outbox, or the preview area of drafts) read once for the page: the
    units it was built from, files by unit and of many units, what each channel shows
    of each unit, the items of its feeds, and what could not be read."""

    folder: Path
    prefix: str
    record: dict[str, AnyUnit] = field(default_factory=dict)
    files: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    shared: list[tuple[str, str]] = field(default_factory=list)
    shown: dict[str, list[tuple[str, Shown]]] = field(default_factory=dict)
    # (channel, item) by guid (the unit's page)
    feed: dict[str, tuple[str, FeedItem]] = field(default_factory=dict)
    unread: list[str] = field(default_factory=list)

    def url(self, path: str) -> str:
        """The server's address of a file of this area (`path`: channel/file)."""
        return f"{self.prefix}/{quote(path)}"

    def holds(self, unit_id: str) -> bool:
        """True when the area has a record or files of the unit."""
        return unit_id in self.record or unit_id in self.files


def read_shelf(folder: Path, prefix: str) -> Shelf:
    """What an area holds, from its manifests and record; reads no unit file."""
    shelf = Shelf(folder, prefix, load_record(folder))
    for channel in channels():
        items = sorted(ChannelOutbox(folder, channel.name).items.values(), key=lambda i: i.path)
        _add_channel(shelf, channel, items, folder)
    shelf.feed = _feed_items(folder, shelf.shared)
    return shelf


def _add_channel(shelf: Shelf, channel: Channel[Any], items: Sequence[Item],
                 folder: Path) -> None:
    for item in items:
        where = (channel.name, f"{channel.name}/{item.path}")
        if item.unit is None:
            shelf.shared.append(where)
        else:
            shelf.files.setdefault(item.unit, []).append(where)
    try:
        shown = channel.shown(items, folder)
    except ProblemError as err:
        shelf.unread.extend(str(p) for p in err.problems)
        return
    for unit, things in shown.items():
        shelf.shown.setdefault(unit, []).extend((channel.name, t) for t in things)


@dataclass(frozen=True)
class Version:
    """One version of a unit as built: the unit its files were made from (None when the
    area has no record of it), in which area."""

    unit: AnyUnit | None
    shelf: Shelf
    draft: bool


@dataclass
class Entry:
    """One unit on the page: what its file says now, its versions, problems, states."""

    id: str
    current: AnyUnit | None
    versions: list[Version]
    problems: list[Problem]
    source: str
    states: list[str] = field(default_factory=list)
    scheduled: date | None = None
    behind: tuple[str, ...] = ()  # channels whose files are of the version before

    @property
    def shown_unit(self) -> AnyUnit | None:
        """The unit whose title heads the entry: of the newest version built, else the
        unit as its file is now (never built)."""
        recorded = [v.unit for v in self.versions if v.unit is not None]
        return recorded[0] if recorded else self.current

    @property
    def title(self) -> str:
        """Its title as built (its file's name when it has none)."""
        unit = self.shown_unit
        return unit.title if unit is not None else self.source

    @property
    def kind(self) -> str:
        """Its kind as built ("" when unknown)."""
        unit = self.shown_unit
        return unit.kind if unit is not None else ""

    @property
    def channels(self) -> tuple[str, ...]:
        """The channels it goes to, as built."""
        unit = self.shown_unit
        return unit.wanted_channels if unit is not None else ()


@dataclass(frozen=True)
class Filters:
    """What the officer asked the index to show (empty: everything)."""

    kind: str = ""
    state: str = ""
    channel: str = ""
    search: str = ""

    @property
    def active(self) -> bool:
        """True when something is filtered out."""
        return bool(self.kind or self.state or self.channel or self.search)

    def keeps(self, entry: Entry) -> bool:
        """True when the entry matches every filter; a search ignores case and marks."""
        return ((not self.kind or entry.kind == self.kind)
                and (not self.state or self.state in entry.states)
                and (not self.channel or self.channel in entry.channels)
                and (not self.search or _folded(self.search) in _folded(entry.title)))


def parse_filters(query: str) -> Filters:
    """The filters of a page address's query (`kind=procedure&q=khai+sinh`); unknown
    values, and a query no form sends, are ignored."""
    try:
        asked = {k: v[0] for k, v in parse_qs(query, max_num_fields=10).items() if v}
    except ValueError:  # more fields than a filter form sends
        return Filters()
    kind = asked.get("kind", "")
    state = asked.get("state", "")
    channel = asked.get("channel", "")
    return Filters(kind if kind in KINDS else "", state if state in STATES else "",
                   channel if channel in _unit_channels() else "",
                   " ".join(asked.get("q", "").split())[:SEARCH_LIMIT])


def _folded(text: str) -> str:
    return strip_marks(text).casefold()


def review_page(project: Project, query: str = "", status: Status | None = None,
                today: date | None = None) -> bytes:
    """The page: every unit, newest first, filtered as `query` asks; `status` is what
    the live loop knows (None: a server without one)."""
    status = status or Status()
    today = today or datetime.now(project.settings.zone).date()
    content = load_content(project.root, project.content_dir, remember=False)
    outbox = read_shelf(project.outbox_dir, "")
    preview = read_shelf(project.preview_dir, PREVIEW_PREFIX)
    problems = _unique([*content.problems, *status.problems])
    entries = collect(content, outbox, preview, problems, today, status)
    filters = parse_filters(query)
    shown = [e for e in entries if filters.keeps(e)]
    sources = {e.source for e in entries}
    loose = [p for p in problems if p.file not in sources]
    parts = [_head(project, status), _header(project, outbox, status, loose),
             _filters(filters, len(shown), len(entries))]
    if not entries:
        parts.append(_empty(content, live=bool(status.generation)))
    else:
        parts += [_count(shown), _index(shown),
                  "<main>", *(_section(e, project.settings) for e in shown), "</main>"]
    parts.append(f"<script>{SCRIPT}</script></body></html>")
    return "".join(parts).encode("utf-8")


def _unique(problems: Iterable[Problem]) -> list[Problem]:
    return list(dict.fromkeys(problems))


def collect(content: Content, outbox: Shelf, preview: Shelf, problems: Sequence[Problem],
            today: date, status: Status | None = None) -> list[Entry]:
    """Every unit the content or either area knows, with its versions and states, newest
    first; units with problems and nothing built come first. `status` says which files
    the live loop is making again."""
    current = {u.id: u for u in content.units}
    ids = [*current, *(i for i in (*outbox.record, *outbox.files, *preview.record,
                                    *preview.files) if i not in current)]
    by_file: dict[str, list[Problem]] = {}
    for problem in problems:
        by_file.setdefault(problem.file, []).append(problem)
    entries = [_entry(i, current.get(i), outbox, preview, by_file)
               for i in dict.fromkeys(ids)]
    known = {e.source for e in entries}
    entries += [Entry(_id_of(file), None, [], found, file) for file, found in by_file.items()
                if file not in known and _is_unit_file(file, found)]
    for entry in entries:
        if status is not None and entry.current is not None:
            entry.behind = tuple(c for c in status.behind_for(entry.source)
                                 if c in entry.current.wanted_channels)
        _judge(entry, today)
    return sorted(entries, key=_order, reverse=True)


def _entry(unit_id: str, unit: AnyUnit | None, outbox: Shelf, preview: Shelf,
           by_file: dict[str, list[Problem]]) -> Entry:
    versions = []
    if (unit is None or unit.is_draft) and preview.holds(unit_id):
        versions.append(Version(preview.record.get(unit_id), preview, draft=True))
    if outbox.holds(unit_id):
        versions.append(Version(outbox.record.get(unit_id), outbox, draft=False))
    recorded = [v.unit for v in versions if v.unit is not None]
    source = unit.source if unit else (recorded[0].source if recorded else "")
    return Entry(unit_id, unit, versions, by_file.get(source, []) if source else [], source)


def _is_unit_file(file: str, problems: list[Problem]) -> bool:
    """True for a problem of a unit's file (a unit too broken to be read), not of the
    settings or a template."""
    return file.endswith(".md") and not all(p.warning for p in problems)


def _id_of(file: str) -> str:
    return PurePosixPath(file).stem


def _judge(entry: Entry, today: date) -> None:
    """The entry's states: broken, stale (content newer than its files), draft, and the
    published version's scheduled, live or expired."""
    states = []
    if any(not p.warning for p in entry.problems):
        states.append("broken")
    if _stale(entry) or entry.behind:
        states.append("stale")
    if (entry.current.is_draft if entry.current is not None
            else entry.versions and all(v.draft for v in entry.versions)):
        states.append("draft")
    published = next((v.unit for v in entry.versions if not v.draft), None)
    if published is not None:
        if published.publish.date() > today:
            states.append("scheduled")
            entry.scheduled = published.publish.date()
        elif published.is_expired(today):
            states.append("expired")
        else:
            states.append("live")
    entry.states = states


def _stale(entry: Entry) -> bool:
    """True when the unit's file is newer than the files made for it: changed since, not
    built yet, or deleted while its files remain. A broken unit keeps its last good
    files, and says so as broken."""
    unit = entry.current
    if unit is None:
        return bool(entry.versions) and not entry.problems
    target = next((v for v in entry.versions if v.draft == unit.is_draft), None)
    return target is None or target.unit is None or target.unit.fingerprint != unit.fingerprint


def _order(entry: Entry) -> tuple[bool, datetime, str]:
    unit = entry.shown_unit
    return unit is None, unit.publish if unit is not None else datetime.min, entry.id


def _head(project: Project, status: Status) -> str:
    title = _("Review: {organisation}").format(organisation=project.settings.organisation.name)
    return (f"<!doctype html><html lang={language()}><meta charset=utf-8>"
            "<meta name=viewport content='width=device-width,initial-scale=1'>"
            "<link rel=icon href='data:,'>"  # no request for a favicon the outbox lacks
            f"<title>{_e(title)}</title><style>{STYLE}</style>"
            f"<body data-generation='{_e(status.generation)}'>")


def _header(project: Project, outbox: Shelf, status: Status, loose: list[Problem]) -> str:
    name = project.settings.organisation.name
    heading = _("{organisation}: review before publishing").format(organisation=name)
    parts = [f"<header><h1>{_e(heading)}</h1>"]
    if status.generation:
        offline = _("The page has lost toolkit serve; it reconnects by itself. If it does "
                    "not, start toolkit serve again.")
        parts.append(f"<p id=live role=status class='{'busy' if status.busy else ''}' "
                     f"data-offline='{_e(offline)}'>{_e(status.activity)}</p>")
    else:
        still = _("This page shows the outbox as it is; it is not rebuilt when a unit "
                  "changes: run `toolkit build`, then reload the page.")
        parts.append(f"<p class=meta>{_prose(still)}</p>")
    parts += [f"<p class=note role=alert>{_e(note)}</p>" for note in status.notes]
    unread = _("{problem}; what it holds is not shown.")
    parts += [f"<p class=note>{_e(unread.format(problem=p))}</p>" for p in outbox.unread]
    if loose:
        heading = _("Problems of the project")
        parts.append(f"<h2>{_e(heading)}</h2>{_problems(loose, True)}")
    parts.append(_shared(project, outbox))
    return "".join(parts) + "</header>"


def _shared(project: Project, outbox: Shelf) -> str:
    """Links to the files of many units (feeds, SMS list, bulletins) and the reports."""
    labels = {c.name: _capital(_(c.label)) for c in channels()}
    groups: dict[str, list[str]] = {}
    for channel, path in outbox.shared:
        groups.setdefault(labels.get(channel, channel), []).append(
            _link(outbox.url(path), path.split("/", 1)[1]))
    reports = sorted(ChannelOutbox(project.outbox_dir, REPORTS).items.values(),
                     key=lambda i: i.path, reverse=True)
    if reports:
        groups[_("Quarterly reports")] = [_link(f"/{REPORTS}/{quote(i.path)}",
                                                PurePosixPath(i.path).name) for i in reports]
    if not groups:
        return ""
    rows = "".join(f"<li><strong>{_e(label)}:</strong> {' · '.join(links)}</li>"
                   for label, links in groups.items())
    return f"<ul class=shared>{rows}</ul>"


def _filters(filters: Filters, shown: int, total: int) -> str:
    if not total:
        return ""
    kinds = _options("kind", _("every kind"), [(k, kind_label(k)) for k in KINDS], filters.kind)
    states = _options("state", _("every state"), [(s, _(label)) for s, label in STATES.items()],
                      filters.state)
    labels = {c.name: _(c.label) for c in channels()}
    chans = _options("channel", _("every channel"),
                     [(c, labels[c]) for c in _unit_channels()], filters.channel)
    words = {"kind": _("Kind"), "state": _("State"), "channel": _("Channel"),
             "search": _("Title contains"), "filter": _("Filter"), "all": _("show everything")}
    clear = f" <a href='/'>{_e(words['all'])}</a>" if filters.active else ""
    return ("<form class=filters method=get action='/'>"
            f"<label>{_e(words['kind'])}{kinds}</label>"
            f"<label>{_e(words['state'])}{states}</label>"
            f"<label>{_e(words['channel'])}{chans}</label>"
            f"<label>{_e(words['search'])}<input type=search name=q "
            f"value='{_e(filters.search)}' maxlength={SEARCH_LIMIT}></label>"
            f"<button type=submit>{_e(words['filter'])}</button>{clear}</form>")


def _unit_channels() -> list[str]:
    """The channels a unit can ask for (not those made for a period)."""
    return [c.name for c in channels() if not c.by_period]


def _options(name: str, every: str, choices: list[tuple[str, str]], chosen: str) -> str:
    options = [f"<option value=''>{_e(every)}</option>"]
    options += [f"<option value='{_e(value)}'{' selected' if value == chosen else ''}>"
                f"{_e(label)}</option>" for value, label in choices]
    return f"<select name={name}>{''.join(options)}</select>"


def _empty(content: Content, live: bool) -> str:
    """What to do when there is no unit to show: never links to files that are not there."""
    if content.problems:
        text = (_("No unit could be read: fix the problems above and save; this page then "
                  "shows them.") if live else
                _("No unit could be read: fix the problems above, then run `toolkit build`."))
    elif live:
        text = _("There is no unit yet. Write one with `toolkit new procedure \"Title\"` (or "
                 "`example`, `notice`): it shows here as soon as it is saved.")
    else:
        text = _("There is no unit yet. Write one with `toolkit new procedure \"Title\"` "
                 "(or `example`, `notice`), then run `toolkit build`.")
    return f"<p class=empty>{_prose(text)}</p>"


def _count(entries: list[Entry]) -> str:
    if not entries:
        none = _("No unit matches these filters.")
        return f"<p class=count>{_e(none)}</p>"
    tally = [ngettext("{n} unit", "{n} units", len(entries)).format(n=len(entries))]
    for state, label in STATES.items():
        n = sum(state in e.states for e in entries)
        if n:
            tally.append(f"{n} {_(label)}")
    return f"<p class=count>{_e(' · '.join(tally))}</p>"


def _index(entries: list[Entry]) -> str:
    rows = [f"<li><a href='#{_e(e.id)}'>{_e(e.title)}</a> {_badges(e)}</li>" for e in entries]
    label = _("Units")
    return f"<nav aria-label='{_e(label)}'><ol class=index>{''.join(rows)}</ol></nav>"


def _badges(entry: Entry) -> str:
    return "".join(f"<span class='badge {s}'>{_e(_state_label(s, entry))}</span>"
                   for s in entry.states)


def _state_label(state: str, entry: Entry) -> str:
    if state == "scheduled" and entry.scheduled is not None:
        return _("scheduled for {day}").format(day=day(entry.scheduled))
    return _(STATES[state])


def _section(entry: Entry, settings: Settings) -> str:
    unit = entry.shown_unit
    meta = [kind_label(entry.kind)] if entry.kind else []
    if unit is not None:
        meta.append(_("published {day}").format(day=day(unit.publish.date())))
        if unit.expires is not None:
            meta.append(_("expires {day}").format(day=day(unit.expires)))
    meta.append(entry.source or entry.id)
    parts = [f"<section class=unit id='{_e(entry.id)}'><h2>{_e(entry.title)}</h2>",
             f"<div>{_badges(entry)}</div><div class=meta>{_e(' · '.join(meta))}</div>"]
    if entry.problems:
        parts.append(_problems(entry.problems, False))
    parts.append(_explanation(entry))
    if entry.versions:
        parts.append("<div class=versions>"
                     + "".join(_version(entry, v, settings, len(entry.versions) > 1)
                               for v in entry.versions) + "</div>")
    return "".join(parts) + "</section>"


def _explanation(entry: Entry) -> str:
    """What the states mean for this unit, in a sentence, where it is not obvious."""
    notes = []
    if _stale(entry):
        if not entry.versions:
            notes.append(_("Nothing has been made of this unit yet."))
        elif entry.current is None:
            notes.append(_("Its file is gone; its files leave the outbox at the next build."))
        else:
            notes.append(_("Its file has changed since these files were made; they show the "
                           "version before."))
    if "broken" in entry.states and entry.versions:
        notes.append(_("The files below are from its last version without problems."))
    if entry.current is not None and entry.current.is_draft:
        notes.append(_("A draft is shown here only: write `status: ready` (or remove the "
                       "status line) to publish it."))
    return "".join(f"<p class=meta>{_prose(n)}</p>" for n in notes)


def _problems(problems: Sequence[Problem], with_file: bool) -> str:
    rows = []
    for problem in sorted(problems, key=lambda p: (p.line or 0, p.field)):
        where = []
        if with_file:
            where.append(problem.file)
        if problem.line:
            where.append(_("line {line}").format(line=problem.line))
        if problem.field:
            where.append(problem.field)
        what = (_("warning: {what}").format(what=problem.what) if problem.warning
                else problem.what)
        fix = f"<span class=fix>→ {_e(problem.fix)}</span>" if problem.fix else ""
        rows.append(f"<li class='{'warning' if problem.warning else ''}'>"
                    f"<strong>{_e(' · '.join(where))}</strong> {_e(what)}{fix}</li>")
    return f"<ul class=problems>{''.join(rows)}</ul>"


def _version(entry: Entry, version: Version, settings: Settings, several: bool) -> str:
    """One version of the unit: what each channel shows of it, then links to its files."""
    shelf, unit = version.shelf, version.unit
    parts = [f"<div class='version{' draft' if version.draft else ''}'>"]
    if several:
        heading = _("Draft (not published)") if version.draft else _("Published version")
        parts.append(f"<h3>{_e(heading)}</h3>")
        if unit is not None and unit.title != entry.title:
            published_title = _("Title: {title}").format(title=unit.title)
            parts.append(f"<p class=meta>{_e(published_title)}</p>")
    title = unit.title if unit is not None else entry.title
    shown = shelf.shown.get(entry.id, [])
    files = shelf.files.get(entry.id, [])
    feed = shelf.feed.get(settings.unit_page(entry.id))
    current = entry.current is not None and version.draft == entry.current.is_draft
    for channel in channels():
        here = [s for c, s in shown if c == channel.name]
        paths = [p for c, p in files if c == channel.name]
        item = feed[1] if feed is not None and feed[0] == channel.name else None
        behind = current and channel.name in entry.behind
        if here or paths or item or behind:
            parts.append(_channel_block(channel, shelf, here, paths, item, title, entry.id,
                                        settings, behind))
    return "".join(parts) + "</div>"


def _channel_block(channel: Channel[Any], shelf: Shelf, shown: list[Shown], paths: list[str],
                   item: FeedItem | None, title: str, unit_id: str, settings: Settings,
                   behind: bool) -> str:
    """What one channel shows of a unit (previews, clips, a message, its feed item), and
    links to the rest of its files; `behind`: they are of the version before an edit."""
    name, label = channel.name, _capital(_(channel.label))
    parts = [f"<h3>{_e(label)}</h3>"]
    if behind:
        parts.append(f"<p class='meta behind'>{_e(_behind_note(bool(shown or paths)))}</p>")
    parts += [_pictures(shelf, name, [s for s in shown if isinstance(s, Picture)], title),
              _clips(shelf, name, [s for s in shown if isinstance(s, Clip)], title),
              *(_message(s) for s in shown if isinstance(s, Message))]
    if item is not None:
        parts.append(_feed_item(item, shelf, settings))
    parts.append(_files(shelf, name, paths, shown, unit_id))
    return "".join(parts)


def _behind_note(has_files: bool) -> str:
    if has_files:
        return _("These are of the version before your last edit; the new ones are being "
                 "made in the background.")
    return _("Being made in the background for this version.")


def _capital(label: str) -> str:
    """A label at the start of a line: its first letter a capital."""
    return label[:1].upper() + label[1:]


def _pictures(shelf: Shelf, channel: str, pictures: list[Picture], title: str) -> str:
    if not pictures:
        return ""
    images = []
    for number, picture in enumerate(pictures, start=1):
        path = f"{channel}/{picture.path}"
        alt = _("Preview {number} of “{title}”: {file}").format(
            number=number, title=title, file=PurePosixPath(picture.path).name)
        size = _png_size(shelf, path)
        dimensions = f" width={size[0]} height={size[1]}" if size else ""
        images.append(f"<a href='{_e(shelf.url(path))}'><img loading=lazy{dimensions} "
                      f"alt='{_e(alt)}' src='{_e(shelf.url(path))}'></a>")
    return f"<div class=previews>{''.join(images)}</div>"


def _png_size(shelf: Shelf, path: str) -> tuple[int, int] | None:
    """A PNG's width and height from its header, so the page keeps its layout while
    pictures load (and a reload keeps its place)."""
    try:
        with (shelf.folder / path).open("rb") as picture:
            header = picture.read(24)
    except OSError:
        return None
    if len(header) < 24 or not header.startswith(PNG_SIGNATURE) or header[12:16] != b"IHDR":
        return None
    width, height = struct.unpack(">II", header[16:24])
    return (width, height) if width and height else None


def _clips(shelf: Shelf, channel: str, clips: list[Clip], title: str) -> str:
    """Each clip in a player; its subtitles are burned in, so the subtitle file is a link
    (a track would show them twice)."""
    if not clips:
        return ""
    figures = []
    for clip in clips:
        url = shelf.url(f"{channel}/{clip.path}")
        poster = (f" poster='{_e(shelf.url(f'{channel}/{clip.poster}'))}'"
                  if clip.poster else "")
        name = PurePosixPath(clip.path).name
        label = _("Video “{title}”: {file}").format(title=title, file=name)
        links = [_link(url, name)]
        if clip.subtitles:
            links.append(_link(shelf.url(f"{channel}/{clip.subtitles}"),
                               _("subtitles ({file})").format(
                                   file=PurePosixPath(clip.subtitles).suffix.lstrip("."))))
        figures.append(f"<figure><video controls preload=none playsinline{poster} "
                       f"aria-label='{_e(label)}' src='{_e(url)}'></video>"
                       f"<figcaption>{' · '.join(links)}</figcaption></figure>")
    return f"<div class=clips>{''.join(figures)}</div>"


def _message(message: Message) -> str:
    return (f"<div class=sms>{_e(message.text)}</div>"
            f"<div class=meta>{_e(message.note)}</div>")


def _feed_item(item: FeedItem, shelf: Shelf, settings: Settings) -> str:
    """The item as a portal shows it: title linked, date, summary, the file it carries,
    and its full text in a sandboxed frame (no script of it can run)."""
    parts = [f"<div class=feed><h4><a href='{_e(item.link)}' rel=noopener>{_e(item.title)}"
             f"</a></h4><div class=meta>{_e(_when(item.published))}</div>"
             f"<p>{_e(item.summary)}</p>"]
    if item.enclosure:
        local = _local_url(item.enclosure, settings, shelf)
        name = PurePosixPath(item.enclosure).name
        attached = _("Attached: {file} ({size})")
        link = _with_link(attached, _link(local, name), size=_size(item.enclosure_bytes))
        parts.append(f"<p class=meta>{link}</p>")
    if item.content:
        page = (f"<!doctype html><meta charset=utf-8><base target=_blank>"
                f"<body style='font:15px/1.45 system-ui,sans-serif'>{item.content}")
        full = _("Full text")
        parts.append(f"<details><summary>{_e(full)}</summary>"
                     f"<iframe sandbox title='{_e(item.title)}' srcdoc='{_e(page)}'></iframe>"
                     "</details>")
    return "".join(parts) + "</div>"


def _with_link(sentence: str, link: str, **fields: str) -> str:
    """A translated sentence as HTML, with `link` (HTML) in place of its {file}."""
    marker = "\0"  # no translation holds it, and escaping keeps it
    before, _sep, after = _e(sentence.format(file=marker, **fields)).partition(marker)
    return before + link + after


def _when(moment: datetime | None) -> str:
    """A feed item's date as people read it; its time only if it has one."""
    if moment is None:
        return ""
    return day(moment) if (moment.hour, moment.minute) == (0, 0) else (
        f"{day(moment)} {moment:%H:%M}")


def _local_url(url: str, settings: Settings, shelf: Shelf) -> str:
    """A file's public address made the address of the same file on this server."""
    base = settings.publish.base_url.rstrip("/") + "/"
    return shelf.url(url.removeprefix(base)) if url.startswith(base) else url


def _size(n: int) -> str:
    if n >= 1 << 20:
        return f"{n / (1 << 20):.1f} MB"
    return f"{max(1, round(n / 1024))} KB"


def _files(shelf: Shelf, channel: str, paths: list[str], shown: list[Shown],
           unit_id: str) -> str:
    """Links to a channel's files of the unit, but for those already shown."""
    seen = {f"{channel}/{s.path}" for s in shown if isinstance(s, Picture | Clip)}
    seen |= {f"{channel}/{s.poster}" for s in shown if isinstance(s, Clip) and s.poster}
    seen |= {f"{channel}/{s.subtitles}" for s in shown if isinstance(s, Clip) and s.subtitles}
    links = [_link(shelf.url(p), _label(p, unit_id)) for p in paths if p not in seen]
    return f"<div class=files>{' '.join(links)}</div>" if links else ""


def _label(path: str, unit_id: str) -> str:
    """A file's name without the unit's id, which the section already says."""
    name = path.rsplit("/", 1)[-1]
    return name.removeprefix(f"{unit_id}-").removeprefix(f"{unit_id}.") or name


def _link(url: str, label: str) -> str:
    return f"<a href='{_e(url)}'>{_e(label)}</a>"


def _e(text: str) -> str:
    return html.escape(text, quote=True)


def _prose(text: str) -> str:
    """A sentence as HTML, what it quotes in `backticks` (a command, a line to write) set
    as code."""
    return re.sub(r"`([^`]+)`", r"<code>\1</code>", _e(text))


def _feed_items(folder: Path, shared: list[tuple[str, str]]) -> dict[str, tuple[str, FeedItem]]:
    """The items of the area's feeds, with their channel, by guid (a unit's page): the
    first feed that has an item wins (every feed says the same of a unit)."""
    found: dict[str, tuple[str, FeedItem]] = {}
    for channel, path in shared:
        if media_type(path) == FEED_TYPE:
            for guid, item in read_feed(folder / path):
                found.setdefault(guid, (channel, item))
    return found


def read_feed(path: Path) -> tuple[tuple[str, FeedItem], ...]:
    """(guid, item) of every item of an RSS file; nothing for a file that cannot be read.
    Parsed once for each version of the file (its size and time)."""
    try:
        info = path.stat()
    except OSError:
        return ()
    key = (info.st_size, info.st_mtime_ns)
    cached = _FEEDS.get(path)
    if cached is not None and cached[0] == key:
        return cached[1]
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    try:
        root = etree.parse(str(path), parser).getroot()
    except (OSError, etree.XMLSyntaxError):
        return ()
    items = tuple((element.findtext("guid") or "", _item(element))
                  for element in root.iterfind("channel/item"))
    _FEEDS[path] = (key, items)
    return items


_FEEDS: dict[Path, tuple[tuple[int, int], tuple[tuple[str, FeedItem], ...]]] = {}
CONTENT_ENCODED = "{http://purl.org/rss/1.0/modules/content/}encoded"


def _item(element: Any) -> FeedItem:
    enclosure = element.find("enclosure")
    attributes = enclosure.attrib if enclosure is not None else {}
    length = attributes.get("length", "")
    return FeedItem(element.findtext("title") or "", element.findtext("link") or "",
                    http_date(element.findtext("pubDate") or ""),
                    _text(element.findtext("description") or ""),
                    element.findtext(CONTENT_ENCODED) or "", attributes.get("url", ""),
                    attributes.get("type", ""), int(length) if length.isdigit() else 0)


def _text(markup: str) -> str:
    """What HTML says as plain text: a description is HTML, but the feed writes plain
    text escaped into it."""
    return " ".join(html.unescape(re.sub(r"<[^>]*>", " ", markup)).split())


def http_date(text: str) -> datetime | None:
    """An RSS date (RFC 822), or None if it is not one."""
    try:
        return parsedate_to_datetime(text)
    except (TypeError, ValueError, OverflowError):
        return None
