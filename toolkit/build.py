"""Planning and running a build: content in, channel files out, unchanged work skipped."""

from __future__ import annotations

import hashlib
import shutil
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from toolkit import __version__, memo, unchanged
from toolkit.channels import channels, media_type, names
from toolkit.channels.base import Channel
from toolkit.content.load import Content, Progress, load_content
from toolkit.content.model import AnyUnit
from toolkit.executors import Local, run
from toolkit.i18n import _
from toolkit.jobs import SCRATCH_DIR, Attachment, Context, Issue, Job, digest
from toolkit.options import Options, Report
from toolkit.outbox import ChannelOutbox, unit_files, unwritable
from toolkit.periods import Period
from toolkit.problems import Problem, ProblemError, quote
from toolkit.project import Project
from toolkit.record import RECORD, Record, Units, read_record, save_record
from toolkit.templates import channel_template
from toolkit.workers import cores


def build(project: Project, options: Options, progress: Progress) -> Report:
    """Render every unit to every channel asked for, skipping what is up to date: what is
    published into the outbox, the drafts into the preview area."""
    # What a killed build left in the scratch folder goes (we hold the project's lock).
    shutil.rmtree(project.root / SCRATCH_DIR, ignore_errors=True)

    # Nothing changed since the last build: say what it said, read nothing.
    started = unchanged.started(project, options)
    last = unchanged.replayed(project, options, started)
    if last is not None:
        return last
    today = options.today or project.today()
    memo.open_all(project.root)

    # Read and validate the content; broken units are reported and left out.
    content = load_content(project.root, project.content_dir, progress)
    report = Report(problems=list(content.problems), failed=set(content.broken))
    _refuse_unknown_ids(options.only, content, report)

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
                context = context_of(channel, project, area.folder, today, options.period)
                _build_channel(channel, context, area, options, report, progress)
            except ProblemError as err:
                report.problems.extend(err.problems)
                report.failed.add(channel.name)
                report.settled = False
        _record(area, [c.name for c in built if c.name not in report.failed], options, report)
    report.problems = list(dict.fromkeys(report.problems))  # a template's, said once

    # What the next build needs: to tell that nothing has changed since, and the texts
    # of the units that have not.
    memo.save_all()
    unchanged.remember(project, started if report.settled else None, report)
    return report


@dataclass(frozen=True)
class Area:
    """A folder the build fills with the files of some units: the outbox with what is
    published, or the preview area with the drafts."""

    folder: Path
    units: list[AnyUnit]
    kept: frozenset[str]  # units whose files stay although they are not made now
    before: Record  # what its files were made from as the build started
    drafts: bool = False  # then no file of no unit (an empty feed) is made

    def takes(self, channel: Channel[Any]) -> bool:
        """Whether the channel makes files here: no bulletin is made of drafts."""
        return not (self.drafts and channel.by_period)


def outbox_area(project: Project, content: Content) -> Area:
    """The outbox holds each unit's published version: a unit made a draft again keeps
    the version last built (its files and its feed item) until it is ready."""
    before = read_record(project.outbox_dir)
    published = before.units
    units = [u if not u.is_draft else published.get(u.id) for u in content.units]
    unpublished = {u.id for u in content.units if u.is_draft and u.id not in published}
    return Area(project.outbox_dir, [u for u in units if u is not None],
                frozenset(content.broken | unpublished), before)


def preview_area(project: Project, content: Content) -> Area:
    """The preview area holds the drafts, for the review page only."""
    return Area(project.preview_dir, [u for u in content.units if u.is_draft],
                frozenset(content.broken), read_record(project.preview_dir), drafts=True)


def _record(area: Area, built: Sequence[str], options: Options, report: Report) -> None:
    """Record which units the area's files are now made from, and which version of each
    unit the `built` channels' files are of."""
    before = area.before
    made = {u.id: u for u in area.units if u.id not in report.failed
            and (not options.only or u.id in options.only)}
    existing = {u.id for u in area.units} | area.kept
    units = Units.of({i: made.get(i) or before.units[i] for i in existing
                      if i in made or i in before.units}, before.units)
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


def context_of(channel: Channel[Any], project: Project, folder: Path, today: date,
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
        rendering = run(stale, options.executor or Local(options.jobs))
        for done, (job, result) in enumerate(rendering, start=1):
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
    finally:
        report.read.update(inputs.files)


def _take(job: Job, result: tuple[bytes, ...] | ProblemError, outbox: ChannelOutbox,
          inputs: str, held: set[str], report: Report) -> None:
    """Put a rendered job's files in the outbox, or report why it could not be made."""
    if isinstance(result, ProblemError):
        report.problems.extend(result.problems)
        report.failed.add(job.unit or outbox.channel)
        report.settled = False
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
    return cores()
