"""A cache of what `toolkit check` found of each unit, by everything the finding depends on.

`toolkit check` lays out every unit's print and video products (about 21 ms a
unit): among 2,000 units, one edit should be answered in about a second, and the
live preview loop asks after every save. Each channel's finding on a unit is kept
under a key of what it depends on (made by `toolkit.build.check`): the toolkit's version, the
settings, the channel's template, the day, the language of the messages, the
unit's fingerprint and the bytes of the files its jobs read (fonts, photo, logo,
narration: the channel contract's declared inputs). JSON, never pickle (a
project folder may be shared); a missing or unreadable cache only means checking
again.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

from toolkit import __version__
from toolkit.files import read_cache, write_cache
from toolkit.problems import Problem

CACHE_FILE = Path(".toolkit-cache", "checks.json")
FORMAT = 1


class CheckCache:
    """Findings by key, read at the start of a check, saved at its end with only the keys
    that check used (so findings of old versions of a unit do not pile up)."""

    def __init__(self, project_dir: Path) -> None:
        self.path = project_dir / CACHE_FILE
        self._entries = read_cache(self.path, __version__, FORMAT, "findings")
        self._used: dict[str, list[dict[str, Any]]] = {}

    def get(self, key: str) -> list[Problem] | None:
        """The problems found under this key, or None if it was never checked."""
        found = self._entries.get(key)
        try:
            problems = [Problem(**fields) for fields in found]  # type: ignore[union-attr]
        except TypeError:
            return None
        self._used[key] = found  # type: ignore[assignment]
        return problems

    def put(self, key: str, problems: list[Problem]) -> None:
        """Remember what a check found under this key."""
        self._used[key] = [dataclasses.asdict(p) for p in problems]

    def save(self) -> None:
        """Write the cache if it changed."""
        if self._used != self._entries:
            write_cache(self.path, __version__, FORMAT, "findings", self._used)
