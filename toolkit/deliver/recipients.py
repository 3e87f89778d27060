"""Reading recipients.csv: a phone column, other columns kept out of every request.

The file is what an officer exports from Excel, so it is read as Excel writes it:
UTF-8 with or without a BOM, or UTF-16 ("Unicode Text"); values separated by
commas, semicolons (Excel's CSV in a Vietnamese locale) or tabs, told from the
header row; the phone column named phone, Phone, " PHONE ", SĐT, Số điện thoại and
the like; numbers Excel mangled recovered when no digit is lost (see phones).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from toolkit.content.text import NotText, decode, nfc, strip_marks
from toolkit.deliver.phones import lost_digits, mask, read_number
from toolkit.i18n import _
from toolkit.problems import Problem, ProblemError

DELIMITERS = (",", ";", "\t")
NO_DELIMITER = "\x1f"  # for a file of one column: never splits a cell
PHONE = "phone"
# Header names of the phone column, compared without marks, case or extra spaces.
PHONE_NAMES = frozenset({PHONE, "phone number", "phones", "mobile", "mobile phone",
                         "mobile number", "tel", "telephone", "sdt", "so dt", "so dien thoai",
                         "dien thoai", "dien thoai di dong", "so dien thoai di dong",
                         "so di dong", "di dong", "dtdd", "so dtdd"})
UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


@dataclass
class Recipients:
    """Valid numbers in file order, without repeats, the lines each was read on, and
    the lines that held no number."""

    numbers: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    lines: dict[str, list[int]] = field(default_factory=dict)

    @property
    def merged(self) -> dict[str, list[int]]:
        """Numbers written on more than one line (in any form: 0912..., +84 912...), with
        those lines: each is sent to once."""
        return {number: lines for number, lines in self.lines.items() if len(lines) > 1}


@dataclass(frozen=True)
class Layout:
    """How a recipients file is laid out: its delimiter and where the numbers are."""

    delimiter: str
    column: int
    skip: int  # records before the first row of numbers: the header, and a sep= line


def read_recipients(path: Path) -> Recipients:
    """The numbers of a recipients file; ProblemError if it cannot be used at all."""
    text = _text(path)
    try:
        return _numbers(text, find_layout(text, path.name), path.name)
    except csv.Error as err:
        raise ProblemError(Problem(path.name, None, "", _(
            "is not a CSV file Excel would write ({error})").format(error=err),
            _("save it from Excel as CSV UTF-8"))) from None


def _numbers(text: str, layout: Layout, name: str) -> Recipients:
    found = Recipients()
    for line, cell in _phone_cells(text, layout):
        number = read_number(cell)
        if number is None:
            found.problems.append(_unreadable(name, line, cell))
        elif number in found.lines:  # a dict: a list made 100,000 rows take 97 s
            found.lines[number].append(line)
        else:
            found.lines[number] = [line]
            found.numbers.append(number)
    return found


def find_layout(text: str, name: str) -> Layout:
    """The delimiter and the phone column, from the header row; ProblemError if there
    is no phone column, or more than one could be it."""
    lines = iter(text.splitlines())
    first = next((line for line in lines if line.strip()), "")
    skip, header = 1, first
    if match := re.fullmatch(r'"?sep=([^"\s])"?', first.strip()):  # Excel's hint line
        skip, header = 2, next((line for line in lines if line.strip()), "")
        delimiters: tuple[str, ...] = (match[1],)
    else:
        delimiters = DELIMITERS
    candidates = [layout for d in delimiters if (layout := _phone_column(header, d, skip, name))]
    if not candidates:
        raise ProblemError(Problem(name, skip, PHONE, _(
            "there is no column named phone (or SĐT) in the header row"),
            _("name the column of numbers phone in the first row")))
    best = max(candidates, key=lambda layout: _fields(header, layout.delimiter))
    # One column only: every delimiter reads it alike, and none may split its cells
    # (9,01234567E+08 is one number in a Vietnamese Excel).
    return best if _fields(header, best.delimiter) > 1 else Layout(NO_DELIMITER, 0, skip)


def _phone_column(header: str, delimiter: str, skip: int, name: str) -> Layout | None:
    """The layout if the header, split at `delimiter`, has a phone column."""
    names = [_header_name(cell) for cell in next(csv.reader([header], delimiter=delimiter))]
    found = [i for i, cell in enumerate(names) if cell in PHONE_NAMES]
    if len(found) > 1:
        exact = [i for i in found if names[i] == PHONE]
        if len(exact) != 1:
            raise ProblemError(Problem(name, skip, PHONE, _(
                "{n} columns could be the phone column").format(n=len(found)),
                _("name one column phone, and rename the others")))
        found = exact
    return Layout(delimiter, found[0], skip) if found else None


def _header_name(cell: str) -> str:
    """A header cell as compared: no marks, no case, single spaces for spaces and
    underscores, no quotes, no colon at the end."""
    name = strip_marks(cell).casefold().replace('"', " ").replace("_", " ")
    return " ".join(name.split()).rstrip(":").rstrip()


def _fields(line: str, delimiter: str) -> int:
    return len(next(csv.reader([line], delimiter=delimiter)))


def _phone_cells(text: str, layout: Layout) -> Iterator[tuple[int, str]]:
    """(line, phone cell) of every row that is not blank, after the header."""
    reader = csv.reader(io.StringIO(text), delimiter=layout.delimiter)
    records = 0
    for row in reader:
        if not any(cell.strip() for cell in row):
            continue
        records += 1
        if records > layout.skip:
            cell = row[layout.column] if layout.column < len(row) else ""
            yield reader.line_num, cell.strip()


def _unreadable(name: str, line: int, cell: str) -> Problem:
    if not cell:
        return Problem(name, line, PHONE, _("empty is not a Vietnamese mobile number"),
                       _("it was not sent to"))
    if lost_digits(cell):
        return Problem(name, line, PHONE, _(
            "{number} has lost its last digits in Excel (shown in scientific notation)"
        ).format(number=mask(cell)), _("in Excel, format the column as Text, type the "
                                        "numbers again, and save as CSV UTF-8"))
    return Problem(name, line, PHONE, _("{number} is not a Vietnamese mobile number").format(
        number=mask(cell)), _("it was not sent to"))


def _text(path: Path) -> str:
    """The file as text: UTF-8 (BOM or not) or UTF-16 with its BOM."""
    try:
        data = path.read_bytes()
    except OSError as err:
        raise ProblemError(Problem(path.name, None, "", _("cannot be read ({why})").format(
            why=err.strerror))) from None
    try:
        if data.startswith(UTF16_BOMS):
            return nfc(data.decode("utf-16").replace("\r\n", "\n"))
        return decode(data)
    except (NotText, UnicodeDecodeError) as err:
        what = str(err) if isinstance(err, NotText) else _("is not valid UTF-16")
        raise ProblemError(Problem(path.name, None, "", what, _("save it as CSV UTF-8"))) \
            from None
