"""Reading recipients.csv: a `phone` column, other columns kept out of every request."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path

from toolkit.content.problems import Problem, ProblemError
from toolkit.content.text import NotText, decode
from toolkit.deliver.phones import mask, normalise


@dataclass
class Recipients:
    """Valid numbers in file order, without repeats, and the lines that were not."""

    numbers: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def read_recipients(path: Path) -> Recipients:
    """The numbers of a recipients file; ProblemError if it cannot be used at all."""
    try:
        text = decode(path.read_bytes())
    except OSError as err:
        raise ProblemError(Problem(path.name, None, "", f"cannot be read ({err.strerror})")) \
            from None
    except NotText as err:
        raise ProblemError(Problem(path.name, None, "", str(err), "save it as CSV UTF-8")) \
            from None
    rows = csv.DictReader(io.StringIO(text))
    if "phone" not in (rows.fieldnames or []):
        raise ProblemError(Problem(path.name, 1, "phone", "there is no column named phone",
                                   "name the column of numbers phone in the header row"))
    found = Recipients()
    for line, row in enumerate(rows, start=2):
        raw = (row.get("phone") or "").strip()
        number = normalise(raw)
        if number is None:
            found.problems.append(Problem(path.name, line, "phone",
                                          f"{mask(raw) if raw else 'empty'} is not a "
                                          "Vietnamese mobile number", "it was not sent to"))
        elif number not in found.numbers:
            found.numbers.append(number)
    return found
