"""Vietnamese phone numbers: normalised to +84 form, masked in every log."""

from __future__ import annotations

import re

# A Vietnamese mobile number: 9 digits after the country code, starting 3, 5, 7, 8 or 9.
MOBILE = re.compile(r"^[35789]\d{8}$")
SEPARATORS = re.compile(r"[\s.\-()]")


def normalise(raw: str) -> str | None:
    """+84XXXXXXXXX for a Vietnamese mobile number written any usual way, else None."""
    digits = SEPARATORS.sub("", raw.strip())
    for prefix in ("+84", "0084", "84", "0"):
        if digits.startswith(prefix) and MOBILE.match(digits[len(prefix):]):
            return "+84" + digits[len(prefix):]
    return None


def mask(number: str) -> str:
    """A number as logs may show it: +8491****678."""
    return number[:5] + "****" + number[-3:] if len(number) > 8 else "****"
