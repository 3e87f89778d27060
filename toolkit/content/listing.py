"""What a folder holds as the file system tells it: names and change stamps, no bytes.

A build with nothing to do, a check, and the review page ask only whether anything
changed since they last looked. Reading 20,000 unit files to find out costs
seconds; listing them with `os.scandir` and comparing their stamps (size,
modification and change times, inode) costs milliseconds. The stamp is only ever a
shortcut: when it differs, the files are read as before.
"""

from __future__ import annotations

import hashlib
import os
import time
from collections.abc import Iterable, Iterator
from pathlib import Path

# A file changed this close to the moment its stamp is taken may change again within
# the file system's clock tick without its times moving ("racy git"): such a stamp is
# not trusted.
SETTLED_NS = 2_000_000_000

Listed = tuple[str, os.stat_result]


def walk(folder: Path, suffix: str, skip: Iterable[Path] = ()) -> list[tuple[Path, os.stat_result]]:
    """Every file under `folder` whose name ends in `suffix`, with its stat, in the order
    of their paths; hidden files and folders ("._x.md" from macOS, editors' locks, the
    toolkit's cache) passed over, and the folders `skip` (the outbox) too."""
    return [(Path(path), stat) for path, stat in listed(folder, suffix, skip)]


def listed(folder: Path, suffix: str, skip: Iterable[Path] = ()) -> list[Listed]:
    """`walk`, with the paths as text: what a stamp needs, without making Paths."""
    found = list(_walk(str(folder), suffix, frozenset(map(str, skip))))
    found.sort(key=lambda entry: entry[0].replace(os.sep, "\0"))  # folder by folder
    return found


def _walk(folder: str, suffix: str, skip: frozenset[str]) -> Iterator[Listed]:
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return
    for entry in entries:
        if entry.name.startswith(".") or entry.path in skip:
            continue
        if entry.is_dir(follow_symlinks=False):
            yield from _walk(entry.path, suffix, skip)
        elif entry.name.endswith(suffix) and entry.is_file():
            yield entry.path, entry.stat()


def stamp(files: Iterable[tuple[str | Path, os.stat_result | None]]) -> str | None:
    """One digest of the files' names and stats (None for a file that is not there); None
    when one of them changed too recently for its stat to be trusted."""
    now = time.time_ns()
    settled = now - SETTLED_NS
    seen = []
    for path, stat in files:
        if stat is None:
            seen.append(f"{path}\0missing")
            continue
        # (A time ahead of the clock, as a file copied from a PC whose clock runs fast
        # has, is not a recent change: the next change moves it anyway.)
        if settled < stat.st_mtime_ns <= now or settled < stat.st_ctime_ns <= now:
            return None
        seen.append(f"{path}\0{stat.st_size}\0{stat.st_mtime_ns}\0{stat.st_ctime_ns}\0"
                    f"{stat.st_ino}")
    return hashlib.sha256("\n".join(seen).encode()).hexdigest()[:20]


def stats(paths: Iterable[Path]) -> list[tuple[Path, os.stat_result | None]]:
    """Each path with its stat, or None where there is no file."""
    return [(path, _stat(path)) for path in paths]


def _stat(path: Path) -> os.stat_result | None:
    try:
        return path.stat()
    except OSError:
        return None
