"""Planning and running a build: content in, channel files out, unchanged work skipped."""

from __future__ import annotations

import hashlib
import os
import shutil
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from toolkit import __version__
from toolkit.channels import channels, media_type, names
from toolkit.channels.base import Channel
from toolkit.checks import CheckCache
from toolkit.content.load import Content, Progress, load_content
from toolkit.content.model import AnyUnit
from toolkit.i18n import _, language
from toolkit.jobs import SCRATCH_DIR, Attachment, Context, Issue, Job, digest
from toolkit.outbox import ChannelOutbox, unit_files, unwritable
from toolkit.periods import Period
from toolkit.problems import Problem, ProblemError, by_place, quote
from toolkit.project import Project
from toolkit.record import RECORD, Record, load_record, read_record, save_record
from toolkit.settings import placeholders
from toolkit.templates import channel_template
from toolkit.workers import pool


@dataclass(frozen=True)
class Options:
    """What the user asked of this build: which channels (default: all), which units
    (default: all), and a period when a bulletin is wanted."""

    channels: tuple[str, ...] = ()
    only: frozenset[str] = frozenset()
    jobs: int = 1
    force: bool = False
    today: date | None = None
    period: Period | None = None


@dataclass
class Report:
    """What a build did, for the summary line and the exit status."""

    built: int = 0
    current: int = 0
    removed: int = 0
    problems: list[Problem] = field(default_factory=list)
    failed: set[str] = field(default_factory=set)

    @property
    def ok(self) -> bool:
        """True when nothing was skipped for a problem."""
        return not self.problems

    def summary(self) -> str:
        """The one line a build ends with."""
        parts = [_("built {n}").format(n=self.built), _("up to date {n}").format(n=self.current)]
        if self.removed:
            parts.append(_("removed {n}").format(n=self.removed))
        if self.failed:
            parts.append(_("failed {n}").format(n=len(self.failed)))
        return ", ".join(parts)


def build(project: Project, options: Options, progress: Progress) -> Report:
    """Render every unit to every channel asked for, skipping what is up to date: what is
    published into the outbox, the drafts into the preview area."""
    # What a killed build left in the scratch folder goes (we hold the project's lock).
    shutil.rmtree(project.root / SCRATCH_DIR, ignore_errors=True)

    # Read and validate the content; broken units are reported and left out.
    content = load_content(project.root, project.content_dir, progress)
    report = Report(problems=list(content.problems), failed=set(content.broken))
    _refuse_unknown_ids(options.only, content, report)
    today = options.today or _today(project)

    # The outbox, then the preview area; in each, the channels that take others' files
    # come after them.
    wanted = options.channels or names()
    for area in (outbox_area(project, content), preview_area(project, content)):
        if area.drafts and not area.units:
            shutil.rmtree(area.folder, ignore_errors=True)  # no draft, nothing to preview
            continue
        built = [c for c in channels() if c.name in wanted and area.takes(c)]
        for channel in built:
            try:
                context = _context(channel, project, area.folder, today, options.period)
                _build_channel(channel, context, area, options, report, progress)
            except ProblemError as err:
                report.problems.extend(err.problems)
                report.failed.add(channel.name)
        _record(area, [c.name for c in built if c.name not in report.failed], options, report)
    report.problems = list(dict.fromkeys(report.problems))  # a template's, said once
    return report


@dataclass(frozen=True)
class Area:
    """A folder the build fills with the files of some units: the outbox with what is
    published, or the preview area with the drafts."""

    folder: Path
    units: list[AnyUnit]
    kept: frozenset[str]  # units whose files stay although they are not made now
    drafts: bool = False  # then no file of no unit (an empty feed) is made

    def takes(self, channel: Channel[Any]) -> bool:
        """Whether the channel makes files here: no bulletin is made of drafts."""
        return not (self.drafts and channel.by_period)


def outbox_area(project: Project, content: Content) -> Area:
    """The outbox holds each unit's published version: a unit made a draft again keeps
    the version last built (its files and its feed item) until it is ready."""
    published = load_record(project.outbox_dir)
    units = [u if not u.is_draft else published.get(u.id) for u in content.units]
    unpublished = {u.id for u in content.units if u.is_draft and u.id not in published}
    return Area(project.outbox_dir, [u for u in units if u is not None],
                frozenset(content.broken | unpublished))


def preview_area(project: Project, content: Content) -> Area:
    """The preview area holds the drafts, for the review page only."""
    return Area(project.preview_dir, [u for u in content.units if u.is_draft],
                frozenset(content.broken), drafts=True)


def _record(area: Area, built: Sequence[str], options: Options, report: Report) -> None:
    """Record which units the area's files are now made from, and which version of each
    unit the `built` channels' files are of."""
    before = read_record(area.folder)
    made = {u.id: u for u in area.units if u.id not in report.failed
            and (not options.only or u.id in options.only)}
    existing = {u.id for u in area.units} | area.kept
    units = {i: made.get(i) or before.units[i] for i in existing
             if i in made or i in before.units}
    versions = {i: _versions(unit, before.made.get(i, {}), built if i in made else ())
                for i, unit in units.items()}
    try:
        save_record(area.folder, Record(units, versions))
    except OSError as err:
        report.problems.append(unwritable(RECORD, err, 0, area.folder))


def _versions(unit: AnyUnit, before: dict[str, str], built: Sequence[str]) -> dict[str, str]:
    """Which version of `unit` each channel's files are of, now that `built` made it."""
    now = before | {channel: unit.fingerprint for channel in built}
    return {c: version for c, version in now.items() if c in unit.wanted_channels}


def check(project: Project, today: date | None = None) -> tuple[Content, list[Problem]]:
    """Validate every unit, and what each channel it asks for needs of it; warn about
    settings still at their examples, which leaflets would print."""
    content = load_content(project.root, project.content_dir)
    problems = placeholders(project.settings, project.root) + content.problems
    found = CheckCache(project.root)
    for channel in channels():
        context = _context(channel, project, project.outbox_dir, today or _today(project), None)
        problems.extend(channel.check_settings(context))
        inputs = Fingerprints(digest(__version__, language(), channel.name, str(context.today),
                                     context.settings.digest, context.template.digest),
                              content.units)
        reads = _reads_by_unit(channel, content.units, context)
        for unit in content.units:
            problems.extend(_checked(channel, unit, context, inputs, found,
                                     reads.get(unit.id, set())))
    found.save()
    return content, by_place(problems)


def _reads_by_unit(channel: Channel[Any], units: Sequence[AnyUnit], context: Context[Any]
                   ) -> dict[str, set[Path]]:
    """The files each unit's own jobs read (the channel contract's declared inputs); none
    when the channel cannot plan (a bad logo: `check_settings` says so)."""
    try:
        jobs = channel.plan(units, context)
    except ProblemError:
        return {}
    reads: dict[str, set[Path]] = {}
    for job in jobs:
        if job.unit is not None:
            reads.setdefault(job.unit, set()).update(job.reads)
    return reads


def _checked(channel: Channel[Any], unit: AnyUnit, context: Context[Any],
             inputs: Fingerprints, found: CheckCache, reads: set[Path]) -> list[Problem]:
    """What `channel` needs of `unit` and does not get, as found before when nothing it
    depends on has changed: the unit, and the files its jobs read."""
    key = digest(inputs.base, unit.fingerprint, *sorted(map(inputs.file, reads)))
    problems = found.get(key)
    if problems is None:
        problems = channel.check(unit, context, thorough=True)
        found.put(key, problems)
    return problems


def _today(project: Project) -> date:
    return datetime.now(project.settings.zone).date()


def _context(channel: Channel[Any], project: Project, folder: Path, today: date,
             period: Period | None) -> Context[Any]:
    """What a channel plans with: its template, and what it needs of the others' files
    in `folder` (the outbox, or the preview area)."""
    template = channel_template(project.root, channel.templates, channel.template)
    attachments = _attachments(project, folder) if channel.needs_attachments else {}
    issues = _issues(project, folder) if channel.needs_issues else ()
    return Context(project.settings, template, today, project.root, attachments, issues, period)


def _build_channel(channel: Channel[Any], context: Context[Any], area: Area,
                   options: Options, report: Report, progress: Progress) -> None:
    outbox = ChannelOutbox(area.folder, channel.name)
    outbox.clear_partials()
    stage = _(channel.label) if not area.drafts else _("{channel} (drafts)").format(
        channel=_(channel.label))

    # Units the channel cannot render are reported and keep their old files.
    units, held = _checked_units(channel, area.units, context, report)
    jobs = [j for j in channel.plan(units, context) if j.units or not area.drafts]
    inputs = Fingerprints(digest(__version__, context.settings.digest, context.template.digest),
                          area.units)
    wanted = [j for j in jobs if _wanted(j, options.only)]
    stale = [j for j in wanted if options.force or not _is_current(j, outbox, inputs)]
    report.current += len(wanted) - len(stale)
    built_before = report.built

    try:
        # Render what is stale, writing each job's files as they come.
        for done, (job, result) in enumerate(_render_all(stale, options.jobs), start=1):
            _take(job, result, outbox, inputs.of(job), held, report)
            progress(stage, done, len(stale), job.unit or "")

        # Files of deleted units leave; files of broken units stay until they are fixed.
        keep = {p for j in jobs for p in j.paths} | {p for p, i in outbox.items.items()
                                                     if i.unit in area.kept | held
                                                     or channel.keeps(i)}
        report.removed += len(outbox.prune(keep))
        outbox.save()
    except ProblemError:
        # A full or read-only disk: record what was written; count nothing as built.
        outbox.save_written()
        report.built = built_before
        raise


def _take(job: Job, result: tuple[bytes, ...] | ProblemError, outbox: ChannelOutbox,
          inputs: str, held: set[str], report: Report) -> None:
    """Put a rendered job's files in the outbox, or report why it could not be made."""
    if isinstance(result, ProblemError):
        report.problems.extend(result.problems)
        report.failed.add(job.unit or outbox.channel)
        if job.unit:
            held.add(job.unit)
        return
    for file, data in zip(job.files, result, strict=True):
        outbox.write(file.path, data, job.unit, inputs, file.product, job.units)
    report.built += 1


def _is_current(job: Job, outbox: ChannelOutbox, inputs: Fingerprints) -> bool:
    made_from = inputs.of(job)
    return all(outbox.is_current(path, made_from) for path in job.paths)


class Fingerprints:
    """What a job's files were made from, as one digest: the channel's `base` (toolkit
    version, settings, template), the units it names, the bytes of the files it reads,
    and what else it uses. Files are read once a build, whichever jobs read them."""

    def __init__(self, base: str, units: Sequence[AnyUnit]) -> None:
        self.base = base
        self.units = {u.id: u.fingerprint for u in units}
        self.files: dict[Path, str] = {}

    def of(self, job: Job) -> str:
        """The digest of everything `job`'s bytes depend on."""
        return digest(self.base, *(self.units.get(u, "") for u in job.units),
                      *map(self.file, job.reads), *job.uses)

    def file(self, path: Path) -> str:
        """The sha256 of a file's bytes ("missing" for none), read once."""
        if path not in self.files:
            try:
                self.files[path] = hashlib.sha256(path.read_bytes()).hexdigest()
            except OSError:
                self.files[path] = "missing"
        return self.files[path]


def _checked_units(channel: Channel[Any], units: Sequence[AnyUnit], context: Context[Any],
                   report: Report) -> tuple[list[AnyUnit], set[str]]:
    good, held = [], set()
    for unit in units:
        problems = channel.check(unit, context)
        if problems:
            report.problems.extend(problems)
            report.failed.add(unit.id)
            held.add(unit.id)
        else:
            good.append(unit)
    return good, held


def _wanted(job: Job, only: frozenset[str]) -> bool:
    return not only or job.unit in only or not only.isdisjoint(job.units)


def _render_all(jobs: list[Job],
                workers: int) -> Iterator[tuple[Job, tuple[bytes, ...] | ProblemError]]:
    """Render jobs, in worker processes when asked for and worth it."""
    if workers <= 1 or len(jobs) < 2:
        yield from ((job, _render(job.render)) for job in jobs)
        return
    with pool(min(workers, len(jobs))) as running:
        yield from zip(jobs, running.map(_render, [j.render for j in jobs]), strict=True)


def _render(render: Callable[[], tuple[bytes, ...]]) -> tuple[bytes, ...] | ProblemError:
    """The job's bytes, or the problem that stopped it (returned, to cross processes)."""
    try:
        return render()
    except ProblemError as err:
        return err


def _attachments(project: Project, folder: Path) -> dict[str, tuple[Attachment, ...]]:
    """Files the enclosing channels (print, video) made in `folder`, by unit."""
    url = project.settings.outbox_url
    enclosing = tuple(c.name for c in channels() if c.encloses)
    return {unit: tuple(Attachment(f"{channel}/{item.path}", url(channel, item.path), item.bytes,
                                   media_type(f"{channel}/{item.path}"))
                              for channel, item in files)
            for unit, files in unit_files(folder, enclosing).items()}


def _issues(project: Project, folder: Path) -> tuple[Issue, ...]:
    """The bulletins in `folder`, oldest first, from the channels that make them."""
    found = [issue for c in channels() for issue in
             c.issues(list(ChannelOutbox(folder, c.name).items.values()),
                      project.settings)]
    return tuple(sorted(found, key=lambda i: (i.period.end, i.period.name)))


def _refuse_unknown_ids(only: Iterable[str], content: Content, report: Report) -> None:
    known = {u.id for u in content.units} | content.broken
    for unit_id in sorted(set(only) - known):
        report.problems.append(Problem(
            "--only", None, "", _("no unit has the id {id}").format(id=quote(unit_id)),
            _("an id is the file name under content/ without .md, or its id: field")))
        report.failed.add(unit_id)


def default_jobs() -> int:
    """As many workers as cores this process may use."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
