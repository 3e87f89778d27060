"""Does the working tree make the same bytes as a git revision, for the sample project?

    python bench/same_outputs.py [--against REV] [--channel C ...] [--keep DIR]

Run it with the virtualenv's Python (`. .venv/bin/activate` first). Issue 10
refactors the code behind every channel and promises that the outputs of the
sample stay byte-identical; this script shows whether they do, built before
and after.

REV (default HEAD) is exported with `git archive REV | tar -x`, so the
repository's index, work tree and refs are never touched. Both codebases then
run in fresh processes of this same Python, each with its own tree first on
PYTHONPATH (checked: `import toolkit` must load that tree, not the editable
install), on fresh copies of the same project: the working tree's toolkit.toml
and content/, so that only the code differs. Each side makes the bulletin of
2021-W08 (`toolkit bulletin --week`, three units are published that week), then
builds with `--jobs 1 --today 2021-03-31` (every sample unit is live that day).
The bulletin goes first because its announcement rebuilds the feed and SMS list
as of the real date; the build after it redoes them as of `--today`, so the
outputs do not depend on the clock.

Every file under both outboxes is compared: the same paths and the same bytes,
except each `manifest.json`, whose `inputs` fingerprints may change in a
refactor; there the channel and the items' path, sha256 and bytes must be equal.
`--channel` (repeatable: print, video, rss, sms, bulletin) limits what is made;
with --jobs 1 video is nearly all of a side's 70-110 s on 2 cores (the other
channels take about 3 s), so leave it out for a quick answer.
The exit status is 0 when every step succeeded and everything is equal, 1 when
something differs, 2 when a step failed (what was made is still compared) or
nothing could be compared (an unknown REV, a tree that does not load its own code).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import NoReturn

ROOT = Path(__file__).resolve().parent.parent
TODAY = "2021-03-31"   # after the last sample unit's publish date, before any expires
WEEK = "2021-W08"      # 22-28 February 2021: three sample units are published then
BULLETIN = "bulletin"  # made by its own command, not by `toolkit build --channel`
MANIFEST = "manifest.json"
MANIFEST_FIELDS = ("path", "sha256", "bytes")  # what must not change; `inputs` may
MISSING_LISTED = 10  # a side that failed misses everything: name a few files a channel


@dataclass
class ChannelResult:
    """How one channel's folder compares: counts, and the paths that are not equal."""

    channel: str
    compared: int = 0
    equal: int = 0
    different: list[str] = field(default_factory=list)
    missing_before: list[str] = field(default_factory=list)
    missing_after: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when every file is on both sides with the same bytes."""
        return not (self.different or self.missing_before or self.missing_after)


# --- Comparing two outboxes ---------------------------------------------------------

def outbox_files(outbox: Path) -> dict[str, Path]:
    """Every file under an outbox, by its POSIX path relative to the outbox."""
    if not outbox.is_dir():
        return {}
    return {p.relative_to(outbox).as_posix(): p for p in sorted(outbox.rglob("*"))
            if p.is_file()}


def manifest_essence(data: bytes) -> object:
    """What must stay equal in a manifest: its channel and its items' path, sha256, bytes.

    Items are sorted by path, so their order does not matter. A manifest that is
    not the expected JSON is returned as is, so that only equal bytes are equal.
    """
    try:
        manifest = json.loads(data)
        items = sorted(tuple(item.get(key) for key in MANIFEST_FIELDS)
                       for item in manifest["items"])
        return manifest.get("channel"), items
    except (ValueError, KeyError, TypeError, AttributeError):
        return data


def same_file(path: str, before: Path, after: Path) -> bool:
    """Whether two outbox files are equal: bytes, or a manifest's essentials."""
    old, new = before.read_bytes(), after.read_bytes()
    if old == new:
        return True
    if Path(path).name == MANIFEST:
        return manifest_essence(old) == manifest_essence(new)
    return False


def channel_of(path: str) -> str:
    """The channel folder a file is in ('.' for a file directly in the outbox)."""
    head, sep, _ = path.partition("/")
    return head if sep else "."


def compare_outboxes(before: Path, after: Path) -> list[ChannelResult]:
    """Compare every file of two outboxes, channel by channel (sorted by name)."""
    old, new = outbox_files(before), outbox_files(after)
    results: dict[str, ChannelResult] = {}
    for path in sorted(old.keys() | new.keys()):
        result = results.setdefault(channel_of(path), ChannelResult(channel_of(path)))
        if path not in new:
            result.missing_after.append(path)
        elif path not in old:
            result.missing_before.append(path)
        else:
            result.compared += 1
            if same_file(path, old[path], new[path]):
                result.equal += 1
            else:
                result.different.append(path)
    return [results[name] for name in sorted(results)]


def print_table(results: list[ChannelResult]) -> None:
    """A Markdown table of the results, then every path that is not equal."""
    print("| channel | files compared | equal | different | missing before | missing after |")
    print("|---|---:|---:|---:|---:|---:|")
    for r in results:
        print(f"| {r.channel} | {r.compared} | {r.equal} | {len(r.different)} "
              f"| {len(r.missing_before)} | {len(r.missing_after)} |")
    for r in results:
        for path in r.different:
            print(f"  different: {path}")
        for label, paths in (("missing before (only after)", r.missing_before),
                             ("missing after (only before)", r.missing_after)):
            for path in paths[:MISSING_LISTED]:
                print(f"  {label}: {path}")
            if len(paths) > MISSING_LISTED:
                print(f"  {label}: ... and {len(paths) - MISSING_LISTED} more in {r.channel}/")


# --- Building one side ------------------------------------------------------------

def fail(message: str) -> NoReturn:
    """Stop with status 2: nothing could be compared."""
    print(f"same_outputs: {message}", file=sys.stderr)
    raise SystemExit(2)


def git(*args: str) -> str:
    """The output of a git command run on this repository (read-only commands only)."""
    return subprocess.run(["git", "-C", str(ROOT), *args], check=True,
                          capture_output=True, text=True).stdout.strip()


def export_tree(rev: str, dest: Path) -> str:
    """Write REV's files into dest with `git archive | tar -x`; its full commit id."""
    try:
        commit = git("rev-parse", "--verify", f"{rev}^{{commit}}")
    except subprocess.CalledProcessError:
        fail(f"--against {rev}: not a commit of {ROOT}")
    dest.mkdir(parents=True)
    archive = subprocess.Popen(["git", "-C", str(ROOT), "archive", commit],
                               stdout=subprocess.PIPE)
    assert archive.stdout is not None
    subprocess.run(["tar", "-x", "-C", str(dest)], stdin=archive.stdout, check=True)
    archive.stdout.close()
    if archive.wait() != 0:
        fail(f"git archive {rev} failed")
    return commit


def make_project(dest: Path) -> Path:
    """A fresh copy of the sample project (the working tree's toolkit.toml and content/)."""
    dest.mkdir(parents=True)
    shutil.copy2(ROOT / "toolkit.toml", dest / "toolkit.toml")
    shutil.copytree(ROOT / "content", dest / "content")
    return dest


def side_env(tree: Path) -> dict[str, str]:
    """The environment of one side: its tree first on the path, no bytecode written.

    PYTHONSAFEPATH keeps the current folder off sys.path; no .pyc files are
    written, so the working tree is left exactly as it was.
    """
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(tree), env.get("PYTHONPATH")) if p)
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    env["PYTHONSAFEPATH"] = "1"
    return env


def require_own_toolkit(tree: Path, cwd: Path, env: dict[str, str]) -> None:
    """Stop unless `import toolkit` in this environment loads the package of `tree`.

    The editable install also puts the working tree on sys.path; the "before"
    side would silently run the new code if PYTHONPATH did not come first.
    """
    found = subprocess.run([sys.executable, "-c", "import toolkit; print(toolkit.__file__)"],
                           cwd=cwd, env=env, check=True, capture_output=True,
                           text=True).stdout.strip()
    expected = (tree / "toolkit" / "__init__.py").resolve()
    if Path(found).resolve() != expected:
        fail(f"import toolkit loads {found}, not {expected}")


def cli_has_today(cwd: Path, env: dict[str, str]) -> bool:
    """Whether this codebase's `toolkit build` takes --today."""
    out = subprocess.run([sys.executable, "-m", "toolkit.cli", "build", "--help"], check=False,
                         cwd=cwd, env=env, capture_output=True, text=True).stdout
    return "--today" in out


def run_step(side: str, args: list[str], cwd: Path, env: dict[str, str]) -> bool:
    """Run one toolkit command; print a progress line, and its output if it failed."""
    print(f"[{side}] toolkit {' '.join(args)}", flush=True)
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "toolkit.cli", *args], check=False,
                          cwd=cwd, env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    last = (done.stdout.strip().splitlines() or [""])[-1]
    print(f"[{side}]   exit {done.returncode} in {seconds:.1f} s: {last}", flush=True)
    if done.returncode != 0:
        for line in (done.stdout + done.stderr).strip().splitlines()[-20:]:
            print(f"[{side}]   | {line}")
    return done.returncode == 0


def build_side(side: str, tree: Path, project: Path, channels: list[str]) -> bool:
    """Make the bulletin, then build, with `tree`'s code; False if a step failed."""
    env = side_env(tree)
    require_own_toolkit(tree, project, env)
    ok = True
    if not channels or BULLETIN in channels:
        ok &= run_step(side, ["bulletin", "--week", WEEK, "--project", "."], project, env)
    built = [c for c in channels if c != BULLETIN]
    if channels and not built:
        return ok
    today = ["--today", TODAY] if cli_has_today(project, env) else []
    if not today:
        print(f"[{side}]   this toolkit's build has no --today: it builds as of the clock")
    options = [arg for c in built for arg in ("--channel", c)]
    return run_step(side, ["build", "--project", ".", "--jobs", "1", *today, *options],
                    project, env) and ok


# --- The command --------------------------------------------------------------------

def work_folder(keep: Path | None) -> Path:
    """Where the trees and projects go: DIR (new or empty) if kept, else a temporary one."""
    if keep is None:
        return Path(tempfile.mkdtemp(prefix="same-outputs-"))
    keep.mkdir(parents=True, exist_ok=True)
    if any(keep.iterdir()):
        fail(f"--keep {keep}: not empty; give a new or empty folder")
    return keep.resolve()


def run(work: Path, rev: str, channels: list[str]) -> int:
    """Build both sides in `work`, compare their outboxes, print the table; the exit status."""
    commit = export_tree(rev, work / "before")
    print(f"before: {rev} = {commit[:12]}, exported to {work / 'before'}")
    print(f"after:  the working tree {ROOT}")
    print(f"python: {sys.executable}")
    start = time.perf_counter()
    built = [build_side(side, tree, make_project(work / f"project-{side}"), channels)
             for side, tree in (("before", work / "before"), ("after", ROOT))]
    results = compare_outboxes(work / "project-before" / "outbox",
                               work / "project-after" / "outbox")
    print()
    print_table(results)
    equal = all(r.ok for r in results)
    print(f"\n{'same' if equal else 'NOT the same'} outputs "
          f"({sum(r.compared for r in results)} files compared) "
          f"in {time.perf_counter() - start:.0f} s")
    if not all(built):
        print("a step failed (see above): the comparison covers what was made")
        return 2
    return 0 if equal and results else 1


def main(argv: list[str] | None = None) -> int:
    """Parse the arguments, run the comparison, and clean up unless asked to keep."""
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--against", default="HEAD", metavar="REV",
                        help="the revision to compare with (default: HEAD)")
    parser.add_argument("--channel", action="append", dest="channels", default=[],
                        metavar="C", help="make only this channel (repeatable); "
                        "'bulletin' for the bulletin; default: every channel")
    parser.add_argument("--keep", type=Path, metavar="DIR",
                        help="build in DIR and leave it there, to look at the files")
    args = parser.parse_args(argv)
    work = work_folder(args.keep)
    try:
        return run(work, args.against, args.channels)
    finally:
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)
        else:
            print(f"kept: {work}")


if __name__ == "__main__":
    sys.exit(main())
