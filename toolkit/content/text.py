"""Vietnamese text helpers: decoding editors' files, NFC, and marks removal."""

from __future__ import annotations

import re
import unicodedata

from toolkit.i18n import N_, _

# Letters that carry no combining mark in NFD, so stripping marks misses them.
_BARRED = str.maketrans({"đ": "d", "Đ": "D"})


class NotText(ValueError):
    """The bytes of a file are not UTF-8 text; the message says what they look like."""


# A file with more NUL bytes than this is not text (a UTF-16 file, a picture, a
# disk block of zeros after a crash); fewer are stray characters, reported where
# they are like any other control character.
STRAY_NULS = 8
UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")

# Characters that break a line or a paragraph where a program pasted them: a
# vertical tab (Word's Shift+Enter), U+2028 LINE SEPARATOR; a form feed (a page
# break) and U+2029 PARAGRAPH SEPARATOR end a paragraph.
LINE_BREAKS = "\v\u2028"
PARAGRAPH_BREAKS = "\f\u2029"
_BREAKS = LINE_BREAKS + PARAGRAPH_BREAKS
_BREAK = re.compile(f"[{_BREAKS}]")
_BREAK_IN_FIELD = re.compile(rf"\s*[{_BREAKS}][\s{_BREAKS}]*")
_BREAK_IN_MARKDOWN = re.compile(rf"[ \t]*[{_BREAKS}](?:[ \t]*[{_BREAKS}\n])*")
_BREAK_AT_LINE_END = re.compile(rf"[{LINE_BREAKS}][ \t]*\n")
# What starts a block of its own on a Markdown line: a list item, a heading, a quote.
_BLOCK_START = re.compile(r"(?:[-*+]|#{1,6}|\d{1,9}[.)])(?:[ \t]|$)|>", re.MULTILINE)

# Characters no channel can carry: control characters (but tab and newline), which
# XML refuses and no one sees; noncharacters; halves of surrogate pairs; and the
# bidirectional embeddings, overrides and isolates, which show the text after them
# reversed on the portal and the review page.
_CONTROL = "\x00-\x08\x0e-\x1f\x7f-\x9f"
_NONCHARACTER = "\ufdd0-\ufdef" + "".join(
    f"{chr(plane << 16 | 0xFFFE)}{chr(plane << 16 | 0xFFFF)}" for plane in range(17))
_SURROGATE = "\ud800-\udfff"
_BIDI = "\u202a-\u202e\u2066-\u2069"
UNWANTED = re.compile(f"[{_CONTROL}{_NONCHARACTER}{_SURROGATE}{_BIDI}]")
_BREAK_OR_UNWANTED = re.compile(f"[{_BREAKS}{_CONTROL}{_NONCHARACTER}{_SURROGATE}{_BIDI}]")

# The short names of control characters, which have no Unicode name.
_C0 = ("NUL", "SOH", "STX", "ETX", "EOT", "ENQ", "ACK", "BEL", "BS", "HT", "LF", "VT", "FF",
       "CR", "SO", "SI", "DLE", "DC1", "DC2", "DC3", "DC4", "NAK", "SYN", "ETB", "CAN", "EM",
       "SUB", "ESC", "FS", "GS", "RS", "US")
_C1 = ("PAD", "HOP", "BPH", "NBH", "IND", "NEL", "SSA", "ESA", "HTS", "HTJ", "VTS", "PLD",
       "PLU", "RI", "SS2", "SS3", "DCS", "PU1", "PU2", "STS", "CCH", "MW", "SPA", "EPA", "SOS",
       "SGCI", "SCI", "CSI", "ST", "OSC", "PM", "APC")
# Why an unwanted character cannot stay, and what to do, by its Unicode category:
# control, format (the bidirectional controls), surrogate, noncharacter.
# Each "why" follows the character's name as the rest of its sentence.
_WHY_UNWANTED: dict[str, tuple[str, str]] = {
    "Cc": (N_("is an invisible control character, which no feed or PDF can hold"),
           N_("delete it: retype the words around it, or paste the text again as plain text "
              "(Ctrl+Shift+V)")),
    "Cf": (N_("is an invisible mark that shows the text after it reversed on the portal and "
              "the review page"), N_("delete it (retype the words around it)")),
    "Cs": (N_("is half of a character (a lone surrogate)"),
           N_("delete it, and write the character itself rather than a \\u escape")),
    "Cn": (N_("is not a character (a Unicode noncharacter)"), N_("delete it")),
}


def nfc(text: str) -> str:
    """Return `text` in Unicode NFC, the one form every channel expects."""
    return unicodedata.normalize("NFC", text)


def decode(data: bytes) -> str:
    """Decode an editor's file: UTF-8 with or without BOM, any line ends, to NFC.

    Raises NotText, saying what the bytes look like, for anything else. A few
    stray NUL bytes in good UTF-8 are left in the text, for the caller to report
    where they are (see `UNWANTED`).
    """
    if data.startswith(UTF16_BOMS):
        raise NotText(_("is in UTF-16 (Notepad's \"Unicode\")"))
    if data.count(b"\x00") > STRAY_NULS:
        raise NotText(_("is not a text file (it holds binary data)"))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        if b"\x00" in data:
            raise NotText(_("is not a text file (it holds binary data)")) from None
        line = data.count(b"\n", 0, err.start) + 1
        raise NotText(_("is not UTF-8 (byte {byte} on line {line}); it is probably in an old "
                        "Vietnamese encoding such as Windows-1258, TCVN3 or VNI").format(
                            byte=f"0x{data[err.start]:02X}", line=line)) from None
    return nfc(text.replace("\r\n", "\n").replace("\r", "\n"))


def needs_care(text: str) -> bool:
    """True when `text` holds a pasted break or an unwanted character. Most text is
    printable but for its newlines and tabs, which str.isprintable() tells some thirty
    times quicker than a regular expression: the expression only confirms."""
    if text.isprintable() or text.replace("\n", " ").replace("\t", " ").isprintable():
        return False
    return _BREAK_OR_UNWANTED.search(text) is not None


def breaks_as_spaces(text: str) -> str:
    """Pasted line and paragraph breaks as spaces, one for each, where the text is
    YAML (the front matter): no line or column moves, and no value is cut in two."""
    return _BREAK.sub(" ", text)


def one_line(value: str) -> str:
    """A field's value with each pasted line or paragraph break, and the spaces
    around it, made one space: what a line break inside a one-line field reads as."""
    return _BREAK_IN_FIELD.sub(" ", value)


def markdown_breaks(body: str) -> str:
    """Pasted breaks in a Markdown body as Markdown: a line break (vertical tab,
    U+2028) inside a paragraph as a hard line break, a paragraph break (form feed,
    U+2029) or two breaks in a row as a blank line."""
    return _BREAK_IN_MARKDOWN.sub(_markdown_break, body)


def _markdown_break(match: re.Match[str]) -> str:
    run, text, (start, end) = match[0], match.string, match.span()
    # A line break just before a newline is one break, not two.
    lines = sum(run.count(c) for c in LINE_BREAKS + "\n") - len(_BREAK_AT_LINE_END.findall(run))
    if lines > 1 or any(c in run for c in PARAGRAPH_BREAKS):
        return "\n\n"
    if "\n" in run or start == 0 or end == len(text) or text[start - 1] == "\n" \
            or _BLOCK_START.match(text, end):
        return "\n"  # no line to break: the break is the end of a line
    return "\\\n"


def character_name(char: str) -> str:
    """"U+001B ESC", "U+202E RIGHT-TO-LEFT OVERRIDE": a character as a message names it."""
    code = ord(char)
    if code < 0x20:
        name = _C0[code]
    elif code == 0x7F:
        name = "DEL"
    elif 0x80 <= code <= 0x9F:
        name = _C1[code - 0x80]
    else:
        name = unicodedata.name(char, "")
    return f"U+{code:04X} {name}".rstrip()


def unwanted(char: str) -> tuple[str, str]:
    """Why a character of `UNWANTED` cannot stay, and what to do: (what, fix), in the
    reader's language."""
    why, fix = _WHY_UNWANTED.get(unicodedata.category(char), _WHY_UNWANTED["Cn"])
    return _(why), _(fix)


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
