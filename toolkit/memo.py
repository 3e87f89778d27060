"""What a channel makes of one unit, kept across builds: a feed item's XML, an SMS text.

A feed of 2,000 units is 2,000 items, and after one edit 1,999 of them are what
the last build made. A channel asks its `Memo` for the text it made before under
the same key (the unit's fingerprint and everything else the text depends on) and
makes only what is missing. The build opens the memos in the project's cache
folder before it renders and saves them after; a process that never opens them (a
Dask worker, a test) keeps them in memory only. Like every cache here it is a
shortcut: a missing or unreadable file only means making the texts again.
"""

from __future__ import annotations

from pathlib import Path

from toolkit import __version__
from toolkit.files import read_cache, write_cache

MEMO_DIR = Path(".toolkit-cache", "made")
FORMAT = 1
# A text no build has asked for in this many builds is forgotten (a unit deleted, a
# template changed), so that a memo holds about what the catalogue needs.
KEEP_BUILDS = 10


class Memo:
    """Texts by key, made in this process or read from the project's cache folder."""

    def __init__(self, name: str) -> None:
        self.name = name
        self._made: dict[str, str] = {}  # asked for since the memo was opened
        self._kept: dict[str, list[object]] = {}  # [builds since last asked for, text]
        self._folder: Path | None = None

    def get(self, key: str) -> str | None:
        """The text made before under `key`, or None."""
        text = self._made.get(key)
        if text is None and key in self._kept:
            text = self._made[key] = str(self._kept[key][1])
        return text

    def put(self, key: str, text: str) -> str:
        """Remember `text` under `key`; returns it."""
        self._made[key] = text
        return text

    def open(self, folder: Path) -> None:
        """Read what the last builds kept in `folder`."""
        if folder != self._folder:
            self._folder, self._made = folder, {}
            self._kept = read_cache(self._path(), __version__, FORMAT, "made")

    def save(self) -> None:
        """Keep what was asked for since `open`, and for a while what was not (a
        build of some channels or units asks for part of it)."""
        if self._folder is None or not self._made:
            return
        kept = {key: [0, text] for key, text in self._made.items()}
        for key, (age, text) in self._kept.items():
            if key not in kept and isinstance(age, int) and age + 1 < KEEP_BUILDS:
                kept[key] = [age + 1, text]
        write_cache(self._path(), __version__, FORMAT, "made", kept)
        self._kept, self._made = kept, {}

    def _path(self) -> Path:
        assert self._folder is not None
        return self._folder / f"{self.name}.json"


_MEMOS: dict[str, Memo] = {}
_FOLDER: list[Path] = []  # the folder of the project being built, once one is


def memo(name: str) -> Memo:
    """This process's memo called `name` (a channel's name)."""
    if name not in _MEMOS:
        _MEMOS[name] = Memo(name)
        for folder in _FOLDER:
            _MEMOS[name].open(folder)
    return _MEMOS[name]


def open_all(project_dir: Path) -> None:
    """Let every memo read, and later keep, what builds of this project made."""
    _FOLDER[:] = [project_dir / MEMO_DIR]
    for kept in _MEMOS.values():
        kept.open(project_dir / MEMO_DIR)


def save_all() -> None:
    """Keep what every memo was asked for in this build."""
    for kept in _MEMOS.values():
        kept.save()
