"""Problems found in an editor's input, reported one line each.

A problem names the file, the line where known, the field, what is wrong and
how to fix it. Nothing here raises: callers collect problems and go on.
"""

from __future__ import annotations

from dataclasses import dataclass

from toolkit.i18n import _

# How much of an editor's value a message quotes: enough to find it, never a
# whole pasted page (nor a structure YAML expanded a billion times).
QUOTE_LIMIT = 60
ELLIPSIS = "…"


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one input file; a warning is said but fails nothing (a value
    still as a new project's example has it)."""

    file: str
    line: int | None
    field: str
    what: str
    fix: str = ""
    warning: bool = False

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        field = f" {self.field}:" if self.field else ""
        fix = f" -> {self.fix}" if self.fix else ""
        if self.warning:
            return _("{where}: warning:{field} {what}{fix}").format(
                where=where, field=field, what=self.what, fix=fix)
        return f"{where}:{field} {self.what}{fix}"


def count(n: int, noun: str) -> str:
    """'1 problem', '2 problems': a number with its English noun. Kept for callers not yet
    translated; a message counts with `ngettext` instead, as plurals differ by language."""
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def quote(value: object, limit: int = QUOTE_LIMIT) -> str:
    """An editor's value as a message quotes it: text in quotes, cut to `limit`
    characters with an ellipsis; a list or a group of fields only named, as their
    text could be of any size."""
    if isinstance(value, str):
        return repr(clip(value, limit))
    if isinstance(value, (list, tuple)):
        return _("a list")
    if isinstance(value, dict):
        return _("a group of fields")
    if value is None or isinstance(value, (bool, int, float)):
        return clip(repr(value), limit)
    return clip(str(value), limit)


def printable(text: str) -> str:
    """`text` with anything a terminal would act on or hide (control characters,
    bidirectional marks) written as a \\u escape: for names shown without quotes."""
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() or c == " " else f"\\u{ord(c):04x}" for c in text)


def clip(text: str, limit: int = QUOTE_LIMIT) -> str:
    """`text` cut to `limit` characters, an ellipsis marking the cut."""
    return text if len(text) <= limit else text[:limit - 1] + ELLIPSIS


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
