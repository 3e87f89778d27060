"""`toolkit check`: what each channel needs of each unit, found again only where it changed.

`toolkit check` lays out every unit's print and video products (about 21 ms a
unit): among 2,000 units, one edit should be answered in about a second, and the
live preview loop asks after every save. Each channel's finding on a unit is kept
in `.toolkit-cache/checks.json` under a key of what it depends on: the toolkit's
version, the settings, the channel's template, the day, the language of the
messages, the unit's fingerprint and the bytes of the files its jobs read (fonts,
photo, logo, narration: the channel contract's declared inputs). Which files those
are is kept too, by the unit and where the project's shared files are (a font of
the project's own is found before the shipped one), so that a unit unchanged is
not planned again. JSON, never pickle (a project folder may be shared); a missing
or unreadable cache only means checking again.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

from toolkit import __version__
from toolkit.build import Fingerprints, context_of
from toolkit.channels import channels
from toolkit.channels.base import Channel
from toolkit.content.listing import listed, stamp
from toolkit.content.load import Content, load_content
from toolkit.content.model import AnyUnit
from toolkit.files import read_cache, write_cache
from toolkit.i18n import language
from toolkit.jobs import Context, digest
from toolkit.problems import Problem, ProblemError, by_place
from toolkit.project import Project
from toolkit.settings import placeholders

CACHE_FILE = Path(".toolkit-cache", "checks.json")
FORMAT = 2


def check(project: Project, today: date | None = None) -> tuple[Content, list[Problem]]:
    """Validate every unit, and what each channel it asks for needs of it; warn about
    settings still at their examples, which leaflets would print."""
    content = load_content(project.root, project.content_dir)
    problems = placeholders(project.settings, project.root) + content.problems
    found = CheckCache(project.root)
    shared = _shared_files(project)
    for channel in channels():
        context = context_of(channel, project, project.outbox_dir, today or project.today(),
                             None)
        problems.extend(channel.check_settings(context))
        inputs = Fingerprints(digest(__version__, language(), channel.name, str(context.today),
                                     context.settings.digest, context.template.digest),
                              content.units)
        layout = digest(inputs.base, shared) if shared else None
        reads = _reads_by_unit(channel, content.units, context, found, layout)
        files = _Files(inputs)
        for unit in content.units:
            key = digest(inputs.base, unit.fingerprint, files.of(reads.get(unit.id, ())))
            problems.extend(_checked(channel, unit, context, key, found))
    found.save()
    return content, by_place(problems)


def _shared_files(project: Project) -> str | None:
    """A stamp of the project's files outside content/ and the outbox (its fonts, logo,
    templates): where a job's shared files are found depends on them. None when one has
    just changed."""
    return stamp(listed(project.root, "", (project.content_dir, project.outbox_dir)))


def _reads_by_unit(channel: Channel[Any], units: Sequence[AnyUnit], context: Context[Any],
                   found: CheckCache, layout: str | None) -> dict[str, tuple[str, ...]]:
    """The files each unit's own jobs read (the channel contract's declared inputs): as
    found before for a unit unchanged, else from the channel's plan of it."""
    known = {u.id: found.reads(digest(layout, u.fingerprint)) for u in units} if layout else {}
    unknown = [u for u in units if known.get(u.id) is None]
    planned = _planned_reads(channel, unknown, context)
    if planned is None:
        return {}
    if layout:
        for unit in unknown:
            found.put_reads(digest(layout, unit.fingerprint), planned.get(unit.id, ()))
    return {**{i: r for i, r in known.items() if r is not None}, **planned}


def _planned_reads(channel: Channel[Any], units: Sequence[AnyUnit], context: Context[Any]
                   ) -> dict[str, tuple[str, ...]] | None:
    """What the channel's plan of `units` says their jobs read; None when the channel
    cannot plan (a bad logo: `check_settings` says so)."""
    if not units:
        return {}
    try:
        jobs = channel.plan(units, context)
    except ProblemError:
        return None
    reads: dict[str, set[str]] = {}
    for job in jobs:
        if job.unit is not None:
            reads.setdefault(job.unit, set()).update(map(str, job.reads))
    return {unit: tuple(sorted(names)) for unit, names in reads.items()}


class _Files:
    """The digest of the bytes of some files a unit's jobs read: units share most of them
    (fonts, pictograms), so each list of files is digested once a check."""

    def __init__(self, inputs: Fingerprints) -> None:
        self.inputs = inputs
        self.lists: dict[tuple[str, ...], str] = {}

    def of(self, names: tuple[str, ...]) -> str:
        """One digest of the files named (sorted), read once a check."""
        if names not in self.lists:
            self.lists[names] = digest(*(self.inputs.file(Path(n)) for n in names))
        return self.lists[names]


def _checked(channel: Channel[Any], unit: AnyUnit, context: Context[Any], key: str,
             found: CheckCache) -> list[Problem]:
    """What `channel` needs of `unit` and does not get, as found before under `key` (made
    of all it depends on: the unit, the files its jobs read, the template...)."""
    problems = found.get(key)
    if problems is None:
        problems = channel.check(unit, context, thorough=True)
        found.put(key, problems)
    return problems


class CheckCache:
    """Findings, and the files each unit's jobs read, by key: read at the start of a check,
    saved at its end with only the keys that check used (so that what was found of old
    versions of a unit does not pile up)."""

    def __init__(self, project_dir: Path) -> None:
        self.path = project_dir / CACHE_FILE
        entries = read_cache(self.path, __version__, FORMAT, "checks")
        self._findings: dict[str, Any] = _section(entries, "findings")
        self._reads: dict[str, Any] = _section(entries, "reads")
        self._used: dict[str, dict[str, Any]] = {"findings": {}, "reads": {}}

    def get(self, key: str) -> list[Problem] | None:
        """The problems found under this key, or None if it was never checked."""
        found = self._findings.get(key)
        try:
            problems = [Problem(**fields) for fields in found]  # type: ignore[union-attr]
        except TypeError:
            return None
        self._used["findings"][key] = found
        return problems

    def put(self, key: str, problems: list[Problem]) -> None:
        """Remember what a check found under this key."""
        self._used["findings"][key] = [dataclasses.asdict(p) for p in problems]

    def reads(self, key: str) -> tuple[str, ...] | None:
        """The files a unit's jobs read (sorted), as kept under this key; None if not kept."""
        names = self._reads.get(key)
        if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
            return None
        self._used["reads"][key] = names
        return tuple(names)

    def put_reads(self, key: str, reads: tuple[str, ...]) -> None:
        """Keep the files a unit's jobs read (sorted) under this key."""
        self._used["reads"][key] = list(reads)

    def save(self) -> None:
        """Write the cache if it changed."""
        if self._used != {"findings": self._findings, "reads": self._reads}:
            write_cache(self.path, __version__, FORMAT, "checks", self._used)


def _section(entries: dict[str, Any], name: str) -> dict[str, Any]:
    section = entries.get(name)
    return section if isinstance(section, dict) else {}
