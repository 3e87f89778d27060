"""Problems found in an editor's input, reported one line each.

A problem names the file, the line where known, the field, what is wrong and
how to fix it. Nothing here raises: callers collect problems and go on.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one input file."""

    file: str
    line: int | None
    field: str
    what: str
    fix: str = ""

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        field = f" {self.field}:" if self.field else ""
        fix = f" -> {self.fix}" if self.fix else ""
        return f"{where}:{field} {self.what}{fix}"


def count(n: int, noun: str) -> str:
    """'1 problem', '2 problems': a number with its noun, for messages."""
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def by_place(problems: list[Problem]) -> list[Problem]:
    """Problems in file order, then line order, as an editor walks through them."""
    return sorted(problems, key=lambda p: (p.file, p.line or 0))


class ProblemError(Exception):
    """Raised where problems must stop the work at hand (a broken toolkit.toml, say)."""

    def __init__(self, *problems: Problem) -> None:
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems

    def __reduce__(self) -> tuple[type[ProblemError], tuple[Problem, ...]]:
        # Rebuilt from its problems when it crosses from a worker process.
        return (ProblemError, self.problems)
