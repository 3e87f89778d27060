"""A unit's section of the review page: its title, state badges, what its states
mean, its problems, and each version built (a draft beside the published one), channel
by channel."""

from __future__ import annotations

from collections.abc import Sequence

from toolkit.channels import channels
from toolkit.content.model import kind_label
from toolkit.i18n import _, day
from toolkit.problems import Problem
from toolkit.review.markup import escape as _e
from toolkit.review.markup import prose
from toolkit.review.shown import channel_block
from toolkit.review.states import STATES, Entry, Version, is_stale
from toolkit.settings import Settings


def section(entry: Entry, settings: Settings) -> str:
    """The unit's section: title, badges, kind and dates, problems, what its states
    mean, and each version built."""
    unit = entry.shown_unit
    meta = [kind_label(entry.kind)] if entry.kind else []
    if unit is not None:
        meta.append(_("published {day}").format(day=day(unit.publish.date())))
        if unit.expires is not None:
            meta.append(_("expires {day}").format(day=day(unit.expires)))
    meta.append(entry.source or entry.id)
    parts = [f"<section class=unit id='{_e(entry.id)}'><h2>{_e(entry.title)}</h2>",
             f"<div>{badges(entry)}</div><div class=meta>{_e(' · '.join(meta))}</div>"]
    if entry.problems:
        parts.append(problem_list(entry.problems, False))
    parts.append(_explanation(entry))
    if entry.versions:
        parts.append("<div class=versions>"
                     + "".join(_version(entry, v, settings, len(entry.versions) > 1)
                               for v in entry.versions) + "</div>")
    return "".join(parts) + "</section>"


def badges(entry: Entry) -> str:
    """A badge for each of the entry's states (a scheduled one with its date)."""
    return "".join(f"<span class='badge {s}'>{_e(_state_label(s, entry))}</span>"
                   for s in entry.states)


def _state_label(state: str, entry: Entry) -> str:
    if state == "scheduled" and entry.scheduled is not None:
        return _("scheduled for {day}").format(day=day(entry.scheduled))
    return _(STATES[state])


def _explanation(entry: Entry) -> str:
    """What the states mean for this unit, in a sentence, where it is not obvious."""
    notes = []
    if is_stale(entry):
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
    return "".join(f"<p class=meta>{prose(n)}</p>" for n in notes)


def problem_list(problems: Sequence[Problem], with_file: bool) -> str:
    """Problems by line, each with where it is (its file too if `with_file`), what and
    the fix."""
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
        older = channel.name in shelf.older.get(entry.id, ())
        if here or paths or item or behind:
            parts.append(channel_block(channel, shelf, here, paths, item, title, entry.id,
                                       settings, behind, older))
    return "".join(parts) + "</div>"
