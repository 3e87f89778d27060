"""Old Vietnamese encodings still found in Word files: TCVN3 (ABC) and VNI.

Such text is stored as Latin-1 letters that a special font (".VnTime",
"VNI-Times") draws as Vietnamese; on any other font it reads as nonsense. The
font names tell which encoding a run is in.
"""

from __future__ import annotations

from toolkit.i18n import _
from toolkit.problems import quote

# TCVN 5712:1993 (VN3), one byte a letter. Capital letters with tone marks have
# no codes of their own: the ".Vn...H" fonts draw the small letters' codes as
# capitals, so text in those fonts is converted and then upper-cased.
TCVN3 = {
    "µ": "à", "¶": "ả", "·": "ã", "¸": "á", "¹": "ạ",
    "¨": "ă", "»": "ằ", "¼": "ẳ", "½": "ẵ", "¾": "ắ", "Æ": "ặ",
    "©": "â", "Ç": "ầ", "È": "ẩ", "É": "ẫ", "Ê": "ấ", "Ë": "ậ",
    "®": "đ",
    "Ì": "è", "Î": "ẻ", "Ï": "ẽ", "Ð": "é", "Ñ": "ẹ",
    "ª": "ê", "Ò": "ề", "Ó": "ể", "Ô": "ễ", "Õ": "ế", "Ö": "ệ",
    "×": "ì", "Ø": "ỉ", "Ü": "ĩ", "Ý": "í", "Þ": "ị",
    "ß": "ò", "á": "ỏ", "â": "õ", "ã": "ó", "ä": "ọ",
    "«": "ô", "å": "ồ", "æ": "ổ", "ç": "ỗ", "è": "ố", "é": "ộ",
    "¬": "ơ", "ê": "ờ", "ë": "ở", "ì": "ỡ", "í": "ớ", "î": "ợ",
    "ï": "ù", "ñ": "ủ", "ò": "ũ", "ó": "ú", "ô": "ụ",
    "\u00ad": "ư", "õ": "ừ", "ö": "ử", "÷": "ữ", "ø": "ứ", "ù": "ự",
    "ú": "ỳ", "û": "ỷ", "ü": "ỹ", "ý": "ý", "þ": "ỵ",
    "¡": "Ă", "¢": "Â", "£": "Ê", "¤": "Ô", "¥": "Ơ", "¦": "Ư", "§": "Đ",
}
TCVN3_TABLE = str.maketrans(TCVN3)


class LegacyFont(ValueError):
    """Text in an old encoding that is not converted; the message names the font."""


def encoding_of(font: str | None) -> str | None:
    """"TCVN3" or "VNI" when a font name is one of those encodings' fonts, else None."""
    name = (font or "").strip()
    if name.lower().startswith(".vn"):
        return "TCVN3"
    if name.upper().startswith("VNI-") or name.upper().startswith("VNI "):
        return "VNI"
    return None


def to_unicode(text: str, font: str | None) -> str:
    """Text in `font` as Unicode: TCVN3 converted, VNI refused with the font's name."""
    encoding = encoding_of(font)
    if encoding is None:
        return text
    if encoding == "VNI":
        raise LegacyFont(_("text in the font {font} is in the old VNI encoding").format(
            font=quote(font)))
    converted = text.translate(TCVN3_TABLE)
    capitals = (font or "").strip().upper().endswith("H")  # .VnTimeH, .VnArialH
    return converted.upper() if capitals else converted
