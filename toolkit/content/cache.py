"""A cache of validated units, so that a rebuild need not parse YAML again.

Parsing front matter is most of the time of a build with nothing to do. The
cache maps a unit file's fingerprint (its name and bytes) to its validated
fields, as JSON (never pickle: a project folder may be shared). It is only a
shortcut: a missing, stale or unreadable cache just means parsing again.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import ValidationError

from toolkit import __version__
from toolkit.content.fields import trusted
from toolkit.content.model import MODELS, AnyUnit
from toolkit.files import read_cache, write_cache

CACHE_FILE = Path(".toolkit-cache", "units.json")
# Raised when what the cache keeps of a unit changes (2: the lines of its fields), so
# that entries written before are parsed again rather than read without it.
FORMAT = 2


class UnitCache:
    """Validated units by fingerprint, read at the start of a load, saved at its end."""

    def __init__(self, project_dir: Path) -> None:
        self.path = project_dir / CACHE_FILE
        self._entries = read_cache(self.path, __version__, FORMAT, "units")
        self._used: dict[str, dict[str, Any]] = {}

    def get(self, fingerprint: str) -> AnyUnit | None:
        """The unit cached for this fingerprint, or None; it was validated when it was
        cached (by this version), so only its types are made again."""
        fields = self._entries.get(fingerprint)
        try:
            with trusted():
                unit = MODELS[fields["kind"]].model_validate(fields)  # type: ignore[index]
        except (TypeError, KeyError, ValidationError):
            return None
        self._used[fingerprint] = fields  # type: ignore[assignment]
        return unit  # type: ignore[return-value]

    def put(self, unit: AnyUnit) -> None:
        """Remember a unit (a no-op for one the cache gave)."""
        if unit.fingerprint not in self._used:
            self._used[unit.fingerprint] = unit.model_dump(mode="json")

    def save(self) -> None:
        """Write the cache if it changed; entries of files gone or changed are dropped."""
        if self._used != self._entries:
            write_cache(self.path, __version__, FORMAT, "units", self._used)
