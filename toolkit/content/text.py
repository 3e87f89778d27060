"""Vietnamese text helpers: decoding editors' files, NFC, and marks removal."""

from __future__ import annotations

import re
import unicodedata

# Letters that carry no combining mark in NFD, so stripping marks misses them.
_BARRED = str.maketrans({"đ": "d", "Đ": "D"})


class NotText(ValueError):
    """The bytes of a file are not UTF-8 text; the message says what they look like."""


def nfc(text: str) -> str:
    """Return `text` in Unicode NFC, the one form every channel expects."""
    return unicodedata.normalize("NFC", text)


def decode(data: bytes) -> str:
    """Decode an editor's file: UTF-8 with or without BOM, any line ends, to NFC.

    Raises NotText, saying what the bytes look like, for anything else.
    """
    if b"\x00" in data:
        raise NotText("is not a text file (it holds binary data)")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = data.count(b"\n", 0, err.start) + 1
        raise NotText(
            f"is not UTF-8 (byte 0x{data[err.start]:02X} on line {line}); it is probably "
            "in an old Vietnamese encoding such as Windows-1258, TCVN3 or VNI"
        ) from None
    return nfc(text.replace("\r\n", "\n").replace("\r", "\n"))


def _bare(char: str) -> str:
    decomposed = unicodedata.normalize("NFD", char.translate(_BARRED))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


# Every Latin letter with marks (Vietnamese ones are in U+00C0-U+01B0 and
# U+1EA0-U+1EF9) and every combining mark, to its bare form: one translate()
# call strips a whole text.
_MARKLESS = {
    code: _bare(chr(code))
    for block in (range(0x00C0, 0x0250), range(0x0300, 0x0370), range(0x1E00, 0x1F00))
    for code in block
    if _bare(chr(code)) != chr(code)
}


def strip_marks(text: str) -> str:
    """Vietnamese without diacritics ("không dấu"): tone and vowel marks gone, đ → d."""
    return unicodedata.normalize("NFC", text).translate(_MARKLESS)


def slugify(text: str, limit: int = 60) -> str:
    """An id made from a title: lowercase ASCII words joined by hyphens."""
    words = re.findall(r"[a-z0-9]+", strip_marks(text).lower())
    slug = ""
    for word in words:
        if slug and len(slug) + 1 + len(word) > limit:
            break
        slug = f"{slug}-{word}" if slug else word[:limit]
    return slug
