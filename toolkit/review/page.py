"""The review page as a whole (`review_page`): its head, the header (what the live
loop says, problems of no unit, the files of many units), the filters, the count and
index of the units shown, then a section for each."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from pathlib import PurePosixPath
from urllib.parse import quote

from toolkit.channels import channels
from toolkit.content.load import Content, load_content
from toolkit.content.model import KINDS, kind_label
from toolkit.i18n import _, language, ngettext
from toolkit.outbox import ChannelOutbox
from toolkit.problems import Problem
from toolkit.project import Project
from toolkit.review.markup import capital, link, prose
from toolkit.review.markup import escape as _e
from toolkit.review.section import badges, problem_list, section
from toolkit.review.shelf import PREVIEW_PREFIX, Shelf, read_shelf
from toolkit.review.states import (
    SEARCH_LIMIT,
    STATES,
    Entry,
    Filters,
    collect,
    parse_filters,
    unit_channels,
)
from toolkit.review.status import Status
from toolkit.review.style import SCRIPT, STYLE

REPORTS = "report"  # outbox/report/: the quarterly reports, a command's folder, not a channel


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
                  "<main>", *(section(e, project.settings) for e in shown), "</main>"]
    parts.append(f"<script>{SCRIPT}</script></body></html>")
    return "".join(parts).encode("utf-8")


def _unique(problems: Iterable[Problem]) -> list[Problem]:
    return list(dict.fromkeys(problems))


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
        parts.append(f"<p class=meta>{prose(still)}</p>")
    parts += [f"<p class=note role=alert>{_e(note)}</p>" for note in status.notes]
    unread = _("{problem}; what it holds is not shown.")
    parts += [f"<p class=note>{_e(unread.format(problem=p))}</p>" for p in outbox.unread]
    if loose:
        heading = _("Problems of the project")
        parts.append(f"<h2>{_e(heading)}</h2>{problem_list(loose, True)}")
    parts.append(_shared(project, outbox))
    return "".join(parts) + "</header>"


def _shared(project: Project, outbox: Shelf) -> str:
    """Links to the files of many units (feeds, SMS list, bulletins) and the reports."""
    labels = {c.name: capital(_(c.label)) for c in channels()}
    groups: dict[str, list[str]] = {}
    for channel, path in outbox.shared:
        groups.setdefault(labels.get(channel, channel), []).append(
            link(outbox.url(path), path.split("/", 1)[1]))
    reports = sorted(ChannelOutbox(project.outbox_dir, REPORTS).items.values(),
                     key=lambda i: i.path, reverse=True)
    if reports:
        groups[_("Quarterly reports")] = [link(f"/{REPORTS}/{quote(i.path)}",
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
                     [(c, labels[c]) for c in unit_channels()], filters.channel)
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
    return f"<p class=empty>{prose(text)}</p>"


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
    rows = [f"<li><a href='#{_e(e.id)}'>{_e(e.title)}</a> {badges(e)}</li>" for e in entries]
    label = _("Units")
    return f"<nav aria-label='{_e(label)}'><ol class=index>{''.join(rows)}</ol></nav>"
