"""What the live loop of `toolkit serve` tells the review page (`Status`)."""

from __future__ import annotations

from dataclasses import dataclass

from toolkit.problems import Problem


@dataclass(frozen=True)
class Status:
    """What the page says beyond the files, from the live loop of `toolkit serve`: the
    problems of the last build it ran, what it is doing, notes (a refused build), and
    the generation of the files (the script reloads when it changes). The default is a
    server without a live loop: no script, nothing said."""

    problems: tuple[Problem, ...] = ()
    activity: str = ""
    busy: bool = False
    notes: tuple[str, ...] = ()
    generation: str = ""
    # Channels whose files are still of the version before an edit (made again in the
    # background), for the units of these files (None: every unit).
    behind: tuple[str, ...] = ()
    behind_sources: frozenset[str] | None = frozenset()

    def behind_for(self, source: str) -> tuple[str, ...]:
        """The channels whose files of the unit in `source` are of its version before."""
        if self.behind_sources is None or source in self.behind_sources:
            return self.behind
        return ()
