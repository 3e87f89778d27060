"""What a text costs as an SMS, after 3GPP TS 23.038, and making it fit GSM-7.

GSM-7 holds 160 septets in one message, 153 a part when split; the extension
characters take two septets (an escape and the character), and the pair is
never split across parts. Anything outside GSM-7 sends the whole text as UCS-2:
70 UTF-16 units in one message, 67 a part, surrogate pairs kept whole.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass

from toolkit.content.text import nfc, strip_marks

GSM7_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM7_EXTENSION = frozenset("\f^{}\\[~]|€")

SINGLE = {"GSM-7": 160, "UCS-2": 70}
PART = {"GSM-7": 153, "UCS-2": 67}

# Typography an editor's word processor adds, and its plain GSM-7 stand-in.
_PLAIN = str.maketrans({
    "‘": "'", "’": "'", "‚": "'", "‛": "'", "′": "'", "´": "'",
    "“": '"', "”": '"', "„": '"', "‟": '"', "″": '"', "«": '"', "»": '"',
    "‐": "-", "‑": "-", "‒": "-", "–": "-", "—": "-", "―": "-", "−": "-", "•": "-",
    "…": "...", "\u00a0": " ", "\u2007": " ", "\u2009": " ", "\u202f": " ",
    "\u200b": "", "\u200c": "", "\u200d": "", "\ufeff": "", "\u00ad": "",
})


@dataclass(frozen=True)
class Cost:
    """What a text costs: its alphabet, its size in that alphabet, and its parts."""

    encoding: str
    units: int
    segments: int

    def as_dict(self) -> dict[str, str | int]:
        """The cost as plain data, for --json."""
        return asdict(self)


_NOT_GSM7 = re.compile("[^" + re.escape("".join(sorted(GSM7_BASIC | GSM7_EXTENSION))) + "]")
_EXTENSION = re.compile("[" + re.escape("".join(sorted(GSM7_EXTENSION))) + "]")
_ASTRAL = re.compile("[\U00010000-\U0010FFFF]")


def is_gsm7(text: str) -> bool:
    """True when every character of `text` is in the GSM-7 alphabet or its extension."""
    return _NOT_GSM7.search(text) is None


def cost(text: str) -> Cost:
    """The cost of sending `text` (taken in NFC, as it would be sent)."""
    text = nfc(text)
    encoding, double = ("GSM-7", _EXTENSION) if is_gsm7(text) else ("UCS-2", _ASTRAL)
    doubles = len(double.findall(text))
    units = len(text) + doubles
    if units <= SINGLE[encoding]:
        return Cost(encoding, units, 1 if units else 0)
    if not doubles:
        return Cost(encoding, units, -(-units // PART[encoding]))
    costs = [2 if double.match(c) else 1 for c in text]
    return Cost(encoding, units, _parts(costs, PART[encoding]))


def _parts(costs: list[int], size: int) -> int:
    parts, fill = 1, 0
    for c in costs:
        if fill + c > size:
            parts, fill = parts + 1, 0
        fill += c
    return parts


def capacity(encoding: str, segments: int) -> int:
    """How many units fit in `segments` messages (ignoring split escape pairs)."""
    return SINGLE[encoding] if segments == 1 else PART[encoding] * segments


def to_gsm7(text: str) -> str:
    """Vietnamese without diacritics, in plain GSM-7: marks stripped (đ → d), curly
    quotes, dashes and odd spaces made plain, emoji and other symbols dropped."""
    text = text.replace("`", "'").replace("\t", " ")
    if not text.isascii():
        text = strip_marks(nfc(text).translate(_PLAIN))
    return re.sub(r"[ ]{2,}", " ", _NOT_GSM7.sub("", text)).strip()
