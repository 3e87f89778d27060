"""Numbers as Vietnamese speakers say them: counts, digits, decimals and ordinals.

The rules of speech, not of spelling: 21 is "hai mươi mốt", 15 "mười lăm", 25 "hai
mươi lăm", 24 "hai mươi tư" (as announcers say it; 14 stays "mười bốn"), 105 "một
trăm linh năm" (or "lẻ", the Southern word, as `Numbers` says), 2021 "hai nghìn không
trăm hai mươi mốt" (or "ngàn"). A group of three digits after a larger one is said in
full ("một triệu không trăm linh năm"); a group of zeros is not said at all.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

DIGITS = ("không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín")
# The names of the groups of three digits, from the right; past "tỷ" they start again.
GROUPS = ("", "{thousand}", "triệu")
BILLION = "tỷ"


@dataclass(frozen=True)
class Numbers:
    """How a region says two words of numbers: the thousand ("nghìn", official and
    Northern; "ngàn", Southern) and the empty tens before a unit ("linh" in 105, or
    "lẻ")."""

    thousand: Literal["nghìn", "ngàn"] = "nghìn"
    zero_ten: Literal["linh", "lẻ"] = "linh"


OFFICIAL = Numbers()


def digits(text: str) -> str:
    """Digits said one by one, as a phone number or a code: "0251" is "không hai năm một"."""
    return " ".join(DIGITS[int(d)] for d in text if d.isdigit())


def cardinal(n: int, numbers: Numbers = OFFICIAL) -> str:
    """A whole number said as a count: 50000 is "năm mươi nghìn"."""
    if n < 0:
        return f"âm {cardinal(-n, numbers)}"
    if n == 0:
        return DIGITS[0]
    billions, rest = divmod(n, 1_000_000_000)
    if not billions:
        return _under_billion(rest, numbers, full=False)
    head = f"{cardinal(billions, numbers)} {BILLION}"
    return f"{head} {_under_billion(rest, numbers, full=True)}" if rest else head


def _under_billion(n: int, numbers: Numbers, full: bool) -> str:
    """`n` below a billion; `full` when a larger group was said before it, so that its
    first group is said with its hundreds ("không trăm hai mươi mốt")."""
    groups = [(n // 1000**i) % 1000 for i in range(len(GROUPS))][::-1]
    names = [name.format(thousand=numbers.thousand) for name in GROUPS][::-1]
    said: list[str] = []
    for group, name in zip(groups, names, strict=True):
        if group == 0:
            continue
        words = _under_thousand(group, numbers, full=full or bool(said))
        said.append(f"{words} {name}".strip())
    return " ".join(said)


def _under_thousand(n: int, numbers: Numbers, full: bool) -> str:
    hundreds, rest = divmod(n, 100)
    if not hundreds and not full:
        return _under_hundred(rest)
    head = f"{DIGITS[hundreds]} trăm"
    if rest == 0:
        return head
    if rest < 10:
        return f"{head} {numbers.zero_ten} {DIGITS[rest]}"
    return f"{head} {_under_hundred(rest)}"


def _under_hundred(n: int) -> str:
    if n < 10:
        return DIGITS[n]
    tens, unit = divmod(n, 10)
    head = "mười" if tens == 1 else f"{DIGITS[tens]} mươi"
    if unit == 0:
        return head
    return f"{head} {_unit_after_tens(unit, tens)}"


def _unit_after_tens(unit: int, tens: int) -> str:
    """The last digit after "mười"/"mươi": mốt (21, not 11), lăm (15, 25), tư (24, not
    14)."""
    if unit == 5:
        return "lăm"
    if unit == 1 and tens > 1:
        return "mốt"
    if unit == 4 and tens > 1:
        return "tư"
    return DIGITS[unit]


def decimal(whole: str, fraction: str, point: str = "phẩy",
            numbers: Numbers = OFFICIAL) -> str:
    """A decimal number: "1,5" is "một phẩy năm", "2,25" "hai phẩy hai mươi lăm"; a
    fraction that starts with 0, or is long, is said digit by digit ("không phẩy không
    năm")."""
    said_fraction = (cardinal(int(fraction), numbers) if len(fraction) <= 2
                     and not fraction.startswith("0") else digits(fraction))
    return f"{cardinal(int(whole), numbers)} {point} {said_fraction}"


def ordinal(n: int, numbers: Numbers = OFFICIAL) -> str:
    """The word after "thứ": "nhất" for 1, "tư" for 4, else the number ("thứ hai")."""
    return {1: "nhất", 4: "tư"}.get(n) or cardinal(n, numbers)


def month(n: int) -> str:
    """A month's name after "tháng": "tư" for April, else its number ("tháng mười hai")."""
    return "tư" if n == 4 else cardinal(n)
