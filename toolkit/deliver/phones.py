"""Vietnamese phone numbers: normalised to +84 form, masked in every log.

Numbers often come from Excel, which keeps a column of numbers as numbers unless
told otherwise: it drops the leading 0 (901234567), may write a decimal tail
(0901234567.0, or 901234567,0 in a Vietnamese locale) and shows long numbers in
scientific notation (9.01234567E+08, 9,01234567E+08), sometimes rounded. What can
be read back without guessing is recovered; a rounded number is reported instead.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

# A Vietnamese mobile number: 9 digits after the country code, starting 3, 5, 7, 8 or 9.
MOBILE = re.compile(r"^[35789]\d{8}$")
SEPARATORS = re.compile(r"[\s.\-()]")
# What Excel writes for a number cell: digits with a tail of zeros, or scientific notation.
EXCEL_DECIMAL = re.compile(r"^([0-9]+)[.,]0+$")
EXCEL_SCIENTIFIC = re.compile(r"^([0-9])(?:[.,]([0-9]+))?[eE]\+?([0-9]{1,2})$")


def normalise(raw: str) -> str | None:
    """+84XXXXXXXXX for a Vietnamese mobile number written any usual way, else None."""
    digits = SEPARATORS.sub("", raw.strip())
    for prefix in ("+84", "0084", "84", "0"):
        if digits.startswith(prefix) and MOBILE.match(digits[len(prefix):]):
            return "+84" + digits[len(prefix):]
    return None


def read_number(raw: str) -> str | None:
    """+84 form of a cell of a recipients file, as a person or Excel wrote it; None if
    it cannot be read without guessing. A cell shaped as Excel writes numbers is read
    only as Excel meant it: 091234567.0 is a number with a digit missing, not
    0912345670."""
    cell = raw.strip()
    return recover(cell) if _excel_shaped(cell) else normalise(cell)


def recover(raw: str) -> str | None:
    """+84 form of a number as Excel may have written it, when no digit is lost:
    the leading 0 dropped, a decimal tail of zeros, scientific notation carrying
    every digit; and a number written in full (0912345678, 84912345678). None for
    anything else."""
    digits = _excel_digits(raw.strip())
    if digits is None:
        return None
    if MOBILE.match(digits):  # 901234567: the 0 Excel dropped
        return "+84" + digits
    return normalise(digits)


def lost_digits(raw: str) -> bool:
    """True for scientific notation that does not carry every digit (9.01235E+08):
    Excel rounded the number on export, and no one can tell what it was."""
    match = EXCEL_SCIENTIFIC.match(raw.strip())
    return match is not None and _scientific(match) is None


def mask(number: str) -> str:
    """A number as logs may show it: +8491****678."""
    return number[:5] + "****" + number[-3:] if len(number) > 8 else "****"


def _excel_shaped(cell: str) -> bool:
    """True for digits alone, digits with a tail of zeros, or scientific notation."""
    return (cell.isascii() and cell.isdigit()) or bool(EXCEL_DECIMAL.match(cell)) \
        or bool(EXCEL_SCIENTIFIC.match(cell))


def _excel_digits(cell: str) -> str | None:
    """The digits of a cell Excel wrote as a number; None if it is not one."""
    if cell.isascii() and cell.isdigit():
        return cell
    if match := EXCEL_DECIMAL.match(cell):
        return match[1]
    if match := EXCEL_SCIENTIFIC.match(cell):
        return _scientific(match)
    return None


def _scientific(match: re.Match[str]) -> str | None:
    """The integer of d.dddE+n when its mantissa carries every digit, else None."""
    whole, fraction, exponent = match[1], match[2] or "", int(match[3])
    try:
        value = Decimal(f"{whole}.{fraction or 0}").scaleb(exponent)
    except InvalidOperation:
        return None
    if value != value.to_integral_value():
        return None
    digits = str(int(value))
    return digits if len(whole + fraction) >= len(digits) else None
