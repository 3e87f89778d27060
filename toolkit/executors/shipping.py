"""A job packed for a worker that has the toolkit installed and nothing of the project.

A job's `render` is a callable over the unit, the settings, the template, the
project folder, its photo, the scratch folder: Paths into a folder the worker
does not have. `Packer.pack` pickles the callable with every Path in the project
made a reference to the same place in a folder of the worker's own, and lists the
files the job reads (the channel contract's declared inputs), each by the sha256
of its bytes:

- a file in the project (a photo, the logo, a font or a recording the project
  brings) travels with the job, by its digest: a file many jobs read (a font) is
  sent to a worker once (`toolkit.executors.cluster`), and `run_shipped` writes
  it where the job looks for it, in a temporary folder that stands for the
  project (its scratch folder included) and goes when the job is done;
- a file of the installation (Be Vietnam Pro, the Font Awesome pictograms; the
  ICC profiles are read from the toolkit by name) is the worker's own: it must
  have the same bytes, and the worker must have the same versions of the toolkit
  and everything it requires (`installation()`), or the job is not made there
  and a problem says what differs. The bytes are then those a local build makes.

Problems come back with the worker's folder named as the project folder, in the
language of the build.
"""

from __future__ import annotations

import hashlib
import io
import pickle
import platform
import re
import site
import socket
import sys
import sysconfig
import tempfile
import zlib
from collections.abc import Mapping
from dataclasses import dataclass, replace
from functools import cache
from importlib import metadata
from pathlib import Path, PurePath, PurePosixPath
from typing import Any

from toolkit import __version__, i18n
from toolkit.executors import Result, render_one
from toolkit.executors.cores import cores
from toolkit.i18n import _
from toolkit.jobs import Job
from toolkit.problems import Problem, ProblemError

DISTRIBUTION = "cchc-toolkit"
PROJECT, SITE, FILE = "project", "site", "file"  # where a file a job reads is found


@dataclass(frozen=True)
class Shipped:
    """A job as it travels: its render callable pickled, project paths as references;
    the project's files it reads (path in the project, sha256), whose bytes go beside
    it; the installation's files it reads (where, name, sha256), which the worker must
    have alike; the installation it was planned with; and what the worker needs to
    answer as the build would (the project folder's path, the language)."""

    render: bytes
    files: tuple[tuple[str, str], ...]
    installed: tuple[tuple[str, str, str], ...]
    versions: tuple[tuple[str, str], ...]
    root: str
    language: str
    threads: int = 1


class Packer:
    """Packs the jobs of one project; reads each file's digest once."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.sites = site_folders()
        self.digests: dict[Path, str | None] = {}

    def pack(self, job: Job) -> tuple[Shipped, dict[str, Path]]:
        """`job` as it travels, and where on this computer the bytes of each of its
        project files are, by digest (the cluster sends them)."""
        files: list[tuple[str, str]] = []
        installed: list[tuple[str, str, str]] = []
        sources: dict[str, Path] = {}
        for path in dict.fromkeys(job.reads):
            digest = self.digest(path)
            if digest is None:
                continue  # a missing file is missing on the worker too, as here
            where, name = place(path, self.root, self.sites)
            if where == PROJECT:
                files.append((name, digest))
                sources[digest] = path
            else:
                installed.append((where, name, digest))
        shipped = Shipped(_pickled(job.render, self.root, self.sites), tuple(files),
                          tuple(installed), installation(), str(self.root), i18n.language(),
                          job.threads)
        return shipped, sources

    def digest(self, path: Path) -> str | None:
        """The sha256 of a file's bytes, None when it cannot be read."""
        if path not in self.digests:
            try:
                self.digests[path] = hashlib.sha256(path.read_bytes()).hexdigest()
            except OSError:
                self.digests[path] = None
        return self.digests[path]


def run_shipped(shipped: Shipped, blobs: Mapping[str, bytes]) -> Result:
    """On a worker: the job's bytes, or the problem that stopped it, made in a temporary
    folder holding its project files (`blobs`: their bytes by digest), with as many of
    the machine's cores as it keeps busy."""
    i18n.use(shipped.language)
    differences = _differences(shipped)
    if differences:
        return ProblemError(*differences)
    with tempfile.TemporaryDirectory(prefix="toolkit-job-", dir=_work_folder()) as folder:
        root = Path(folder)
        for name, digest in shipped.files:
            if digest in blobs:  # else gone from the building computer before it was sent
                _write(root, name, blobs[digest])
        render = _Unpickler(io.BytesIO(shipped.render), root).load()
        with cores(shipped.threads):
            result = render_one(render)
    return _as_on_coordinator(result, folder, shipped.root)


def place(path: Path, root: Path, sites: tuple[Path, ...]) -> tuple[str, str]:
    """Where a file is: in the installation (SITE, its path in the package folder),
    else in the project (PROJECT, its path there), else elsewhere (FILE, its path).
    A virtual environment inside the project folder is the installation."""
    for folder in sites:
        if path.is_relative_to(folder):
            return SITE, path.relative_to(folder).as_posix()
    if path.is_relative_to(root):
        return PROJECT, path.relative_to(root).as_posix()
    return FILE, str(path)


def site_folders() -> tuple[Path, ...]:
    """The folders packages are installed in, deepest first."""
    paths = sysconfig.get_paths()
    found = {paths["purelib"], paths["platlib"], *site.getsitepackages()}
    if site.ENABLE_USER_SITE and site.getusersitepackages():
        found.add(site.getusersitepackages())
    return tuple(sorted((Path(f) for f in found), key=lambda p: len(p.parts), reverse=True))


@cache
def installation() -> tuple[tuple[str, str], ...]:
    """What a render's bytes depend on besides the job: the version of Python, of zlib,
    of the toolkit and of every package it requires (its extras aside), sorted."""
    found = {"python": ".".join(platform.python_version_tuple()[:2]),
             "zlib": zlib.ZLIB_RUNTIME_VERSION}
    try:
        metadata.distribution(DISTRIBUTION)
    except metadata.PackageNotFoundError:  # run from a folder of sources
        found[DISTRIBUTION] = __version__
        return tuple(sorted(found.items()))
    waiting = [DISTRIBUTION]
    while waiting:
        name = waiting.pop()
        try:
            distribution = metadata.distribution(name)
        except metadata.PackageNotFoundError:
            continue  # required only where this system is not (a marker)
        found[_normal(name)] = distribution.version
        waiting += [required for required in map(_required, distribution.requires or ())
                    if required and required not in found]
    return tuple(sorted(found.items()))


def _required(requirement: str) -> str | None:
    """The package a requirement names, None for one of an extra."""
    name, _sep, marker = requirement.partition(";")
    if "extra" in marker:
        return None
    found = re.match(r"\s*([A-Za-z0-9][A-Za-z0-9._-]*)", name)
    return _normal(found.group(1)) if found else None


def _normal(name: str) -> str:
    """A package's name as PyPI compares them (PEP 503)."""
    return re.sub(r"[-_.]+", "-", name).lower()


def _differences(shipped: Shipped) -> list[Problem]:
    """Why this worker would not make the bytes the build's computer would: other
    versions installed, or an installed file with other bytes (none when alike)."""
    where = _("worker {host}").format(host=socket.gethostname())
    fix = _("install on every worker the same versions as on the computer running toolkit "
            "build (pip freeze lists them), then run this again")
    ours, theirs = dict(installation()), dict(shipped.versions)
    changed = sorted(name for name in ours.keys() | theirs.keys()
                     if ours.get(name) != theirs.get(name))
    if changed:
        return [Problem(where, None, "", _(
            "has {found} where the computer running toolkit build has {wanted}: the files "
            "would not be the same").format(
                found=_versions(ours, changed), wanted=_versions(theirs, changed)), fix)]
    return [Problem(where, None, "", _(
        "{file} is not the same file as on the computer running toolkit build").format(
            file=name), fix)
            for kind, name, digest in shipped.installed if _installed_digest(kind, name) != digest]


def _versions(versions: Mapping[str, str], names: list[str], shown: int = 5) -> str:
    """The versions of the first `shown` of `names` ("-" for none), an ellipsis for more."""
    listed = [f"{name} {versions.get(name, '-')}" for name in names[:shown]]
    return ", ".join(listed + (["…"] if len(names) > shown else []))


@cache
def _installed_digest(kind: str, name: str) -> str | None:
    """The sha256 of this worker's own copy of an installed file, None if it has none."""
    candidates = [folder / name for folder in site_folders()] if kind == SITE else [Path(name)]
    for path in candidates:
        try:
            return hashlib.sha256(path.read_bytes()).hexdigest()
        except OSError:
            continue
    return None


def _write(root: Path, name: str, data: bytes) -> None:
    """Put a project file where the job looks for it, under `root` (never outside)."""
    relative = PurePosixPath(name)
    if relative.is_absolute() or ".." in relative.parts:
        raise ValueError(f"not a path inside the project: {name!r}")
    path = root.joinpath(*relative.parts)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


def _work_folder() -> str | None:
    """Where a job's temporary folder goes: in a Dask worker, its own folder (which Dask
    clears when the worker ends, even killed); elsewhere, the temporary folder."""
    if "distributed" not in sys.modules:
        return None
    from distributed import get_worker

    try:
        return str(get_worker().local_directory)
    except ValueError:  # not in a worker
        return None


def _as_on_coordinator(result: Result, folder: str, root: str) -> Result:
    """`result` with the worker's folder named as the build names the project's."""
    if not isinstance(result, ProblemError):
        return result
    problems = [replace(p, file=p.file.replace(folder, root), what=p.what.replace(folder, root),
                        fix=p.fix.replace(folder, root)) for p in result.problems]
    return ProblemError(*problems)


def _pickled(render: object, root: Path, sites: tuple[Path, ...]) -> bytes:
    """`render` pickled, with every path in the project a reference to its place there."""
    buffer = io.BytesIO()
    _Pickler(buffer, root, sites).dump(render)
    return buffer.getvalue()


class _Pickler(pickle.Pickler):
    def __init__(self, file: io.BytesIO, root: Path, sites: tuple[Path, ...]) -> None:
        super().__init__(file, protocol=pickle.HIGHEST_PROTOCOL)
        self.root, self.sites = root, sites

    def persistent_id(self, obj: Any) -> tuple[str, str] | None:
        if not isinstance(obj, PurePath) or not obj.is_absolute():
            return None
        where, name = place(Path(obj), self.root, self.sites)
        return (PROJECT, name) if where == PROJECT else None


class _Unpickler(pickle.Unpickler):
    def __init__(self, file: io.BytesIO, root: Path) -> None:
        super().__init__(file)
        self.root = root

    def persistent_load(self, pid: Any) -> Path:
        where, name = pid
        if where != PROJECT:
            raise pickle.UnpicklingError(f"unknown reference {where!r}")
        return self.root.joinpath(*PurePosixPath(name).parts)
