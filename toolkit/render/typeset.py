"""Vietnamese typography for print: where a line must not break, and titles set even.

Vietnamese puts a space between syllables, so every space is a place where ReportLab
may end a line. With `SYLLABLE_SAFE` in the paragraph style, spaces are the only
places: a syllable is never cut and nothing is hyphenated. `tie` turns the spaces
that a reader should not see broken into no-break spaces (U+00A0). ReportLab never
breaks a line there, and Be Vietnam Pro draws U+00A0 with its space glyph, at the
width of a space. `balanced` sets a title at the narrowest width that keeps its
number of lines, so that its lines come out the same length.

Everything here works on paragraph markup (escaped text with <b>, <i> and <br/>):
tags and entities are never changed.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Callable, Iterator
from contextlib import suppress
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.fonts import tt2ps
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Paragraph

if TYPE_CHECKING:
    from toolkit.render.flow import Face

NBSP = "\xa0"
BIG = 1e6
TOLERANCE_PT = 1.0  # how close `balanced_width` gets to the narrowest width

# Paragraph style settings that keep ReportLab from breaking a line anywhere other than at
# a space. Its defaults cut a word wider than the column between two letters
# (splitLongWords), and its options break after a hyphen inside a word (embeddedHyphenation,
# which would put "NĐ-" and "CP" on two lines), inside a URL (uriWasteReduce), or where
# pyphen says (hyphenationLang: pyphen has no Vietnamese, and a local ReportLab setting could
# still name another language). A word wider than its column then sticks out instead, and
# the paragraph's minWidth() says so.
SYLLABLE_SAFE: dict[str, object] = {
    "splitLongWords": 0,
    "embeddedHyphenation": 0,
    "uriWasteReduce": 0,
    "hyphenationLang": "",
}

# --- the rules --------------------------------------------------------------------------

LONGEST_RUN = 20  # characters; see `short`
LAST_WORD = 7  # characters: a last word this short is kept with the word before it

_SPACE = "[ \xa0]"  # a space, or one already tied
# Every capital and small letter up to the end of the Vietnamese block (U+1EF9).
_UPPER = "".join(c for c in map(chr, range(0x41, 0x1EFA)) if c.isalpha() and c.isupper())
_LOWER = "".join(c for c in map(chr, range(0x61, 0x1EFA)) if c.isalpha() and c.islower())
_SYLLABLE_CAP = f"[{_UPPER}][{_LOWER}]+"  # a syllable with a capital: Biên, Hòa, Đồng

_UNITS = "|".join((
    "giây", "phút", "giờ", "ngày", "tuần", "tháng", "quý", "năm",
    "đồng", "nghìn", "ngàn", "triệu", "tỷ", "tỉ", "USD", "VND", "VNĐ", "đ",
    "mm", "cm", "m", "km", "m2", "m²", "ha", "kg", "g", "tấn", "lít", "%",
    "lần", "lượt", "bản", "trang", "người", "cuộc", "đợt", "lớp", f"hồ{_SPACE}sơ",
))
_BEFORE_NUMBER = "|".join((
    "số", "điều", "khoản", "điểm", "chương", "mục", "phần", f"phụ{_SPACE}lục",
    "năm", "tháng", "ngày", "quý", "tuần",
))
_NUMBER_AHEAD = r"(?=\d|[IVXLC]+(?!\w)|[a-zđ](?!\w))"  # 5, 123/2015/NĐ-CP, II, a
_ABBREVIATIONS = "(?:TP|Tp|TX|TT|Q|P|H|X)"  # thành phố, thị xã, thị trấn, quận, phường...
_PLACES = "|".join((
    "tỉnh", f"thành{_SPACE}phố", "huyện", "quận", f"thị{_SPACE}xã", f"thị{_SPACE}trấn", "xã",
    "phường", "ấp", f"khu{_SPACE}phố",
))
_LEVELS = "|".join((
    "xã", "phường", f"thị{_SPACE}trấn", "huyện", "quận", f"thị{_SPACE}xã",
    f"thành{_SPACE}phố", "tỉnh",
))


@dataclass(frozen=True)
class Rule:
    """Spaces to tie: every space inside a match of `pattern`, or inside its group "tie"
    if it has one (matched against the text as read: tags left out, each <br/> a line
    feed). A text in which `needs` finds nothing cannot match, and is not searched."""

    name: str
    pattern: re.Pattern[str]
    needs: re.Pattern[str]


def _rule(name: str, pattern: str, needs: str = "") -> Rule:
    return Rule(name, re.compile(pattern), re.compile(needs))


# In order: where a run would grow too long (see `short`), the earlier rule keeps its tie.
RULES: tuple[Rule, ...] = (
    # A phone number with its area code in brackets: (0251) 1022, (028) 3822 1111.
    _rule("phone", rf"\(0\d{{2,3}}\)(?:{_SPACE}\d{{2,4}}){{1,3}}(?!\d)", needs=r"\(0"),
    # A phone number in groups: 0251 3822 111, 0912 345 678, 1900 1234, 1800 1234.
    _rule("phone", rf"(?<![\w.,/])(?:0\d{{2,3}}|1[89]00)(?:{_SPACE}\d{{3,4}}){{1,2}}(?!\w)",
          needs=r"\d\d\d[ \xa0]\d"),
    # An international phone number: +84 251 3822 111.
    _rule("phone", rf"\+84(?:{_SPACE}\d{{2,4}}){{2,4}}(?!\d)", needs=r"\+84"),
    # A word that introduces a number, and the number: số 123/2015/NĐ-CP, Điều 5, Khoản 2,
    # năm 2014, tháng 3/2021, ngày 04/02/2021, Chương II, điểm a.
    _rule("before a number", rf"(?<!\w)(?i:{_BEFORE_NUMBER}){_SPACE}{_NUMBER_AHEAD}",
          needs=rf"{_SPACE}{_NUMBER_AHEAD}"),
    # A number and its unit, or what it counts: 60 ngày, 15 phút, 50.000 đồng, 20 %, 3 mm,
    # 98% hồ sơ (only the first pair of "3 ngày làm việc").
    _rule("number and unit", rf"(?<![\w.,])\d[\d.,]*%?{_SPACE}(?:{_UNITS})(?!\w)",
          needs=r"\d%?[ \xa0]"),
    # An abbreviation ending in a full stop, and the name or number it goes with:
    # TP. Biên Hòa, TX. Long Khánh, Q. 1, P. Tân Phong.
    _rule("abbreviation", rf"(?<!\w){_ABBREVIATIONS}\.{_SPACE}(?=[\d{_UPPER}])",
          needs=rf"{_ABBREVIATIONS}\."),
    # The people's committee or council, and the level it is of: UBND xã, UBND tỉnh,
    # UBND cấp huyện, HĐND thành phố.
    _rule("committee", rf"(?<!\w)(?:UBND|HĐND){_SPACE}(?:cấp{_SPACE})?(?:{_LEVELS})(?!\w)",
          needs="ND"),
    # A place named after the word for what it is: tỉnh Đồng Nai, huyện Tân Phú, phường Tân
    # Phong, TP. Biên Hòa, thành phố Hồ Chí Minh. Elsewhere two capitals are no sure sign of a
    # name ("Cổng Dịch vụ công", "Sở Giao thông"), and a tie there would push the break into
    # "Dịch vụ".
    _rule("place", rf"(?:(?<!\w)(?i:{_PLACES})|(?<!\w){_ABBREVIATIONS}\.){_SPACE}"
                   rf"(?P<tie>{_SYLLABLE_CAP}(?:{_SPACE}{_SYLLABLE_CAP}){{1,2}})(?!\w)",
          needs=rf"{_SYLLABLE_CAP}{_SPACE}{_SYLLABLE_CAP}"),
    # A place that opens a headline, before a colon: "Nhơn Trạch: tra cứu hồ sơ qua Zalo".
    _rule("place", rf"\A{_SYLLABLE_CAP}{_SPACE}{_SYLLABLE_CAP}(?=:)", needs=":"),
    # The last word of a paragraph, list item or line before a <br/>, when it has at most
    # LAST_WORD characters, and the word before it: no line of one short word.
    _rule("last word", rf"{_SPACE}(?<=\S{_SPACE})\S{{1,{LAST_WORD}}}(?={_SPACE}*(?:\n|\Z))"),
)

# A word that is (or holds) an address: tie never glues it to its neighbours.
_ADDRESS = re.compile(r"\S*(?:://|www\.|[A-Za-z0-9-]\.[a-z]{2,}(?!\w))\S*")
_MARKUP = re.compile(r"<[^>]*>|&(?:#\d+|#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);")
_LINE_BREAK = re.compile(r"<br\s*/?>", re.IGNORECASE)


def short(run: str) -> bool:
    """The default limit on a tied run: at most LONGEST_RUN characters.

    20 characters of Be Vietnam Pro stand at most 21.5 em wide (20 W, its widest letter);
    in 10.5 pt body type that is 226 pt, inside the leaflet's 85 mm (241 pt) column.
    Vietnamese text averages 0.55 em a character, so a 20-character run in body type
    takes about half that column. For large type, pass `within(face, width)` instead."""
    return len(run) <= LONGEST_RUN


def within(face: Face, width: float) -> Callable[[str], bool]:
    """A limit on tied runs that measures them: no wider than `width` in `face` (and in its
    bold, when the family has one, since a run may sit inside <b>)."""
    fonts = {face.font}
    with suppress(ValueError):  # a font of no registered family: itself only
        fonts.add(tt2ps(face.font, 1, 0))

    def fits(run: str) -> bool:
        return max(stringWidth(run, font, face.size) for font in fonts) <= width

    return fits


# --- tying ------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Reading:
    """Markup as it is read: tags left out, entities as their characters and each <br/> as
    a line feed; `at[i]` is where the character `text[i]` comes from in the markup."""

    text: str
    at: tuple[int, ...]


def _reading(markup: str) -> _Reading:
    chars: list[str] = []
    at: list[int] = []
    done = 0
    for token in _MARKUP.finditer(markup):
        chars.extend(markup[done:token.start()])
        at.extend(range(done, token.start()))
        if token.group().startswith("&"):
            decoded = html.unescape(token.group())
            chars.extend(decoded)
            at.extend([token.start()] * len(decoded))
        elif _LINE_BREAK.fullmatch(token.group()):
            chars.append("\n")
            at.append(token.start())
        done = token.end()
    chars.extend(markup[done:])
    at.extend(range(done, len(markup)))
    return _Reading("".join(chars), tuple(at))


def _around_addresses(text: str) -> set[int]:
    """The spaces just before and after each word that holds an address."""
    near: set[int] = set()
    for word in _ADDRESS.finditer(text):
        near.update((word.start() - 1, word.end()))
    return near


def _run(text: str, tied: set[int], space: int) -> str:
    """The text that would stand unbroken around `space` if it were tied."""
    start = space
    while start > 0 and not _breaks(text, tied, start - 1):
        start -= 1
    end = space + 1
    while end < len(text) and not _breaks(text, tied, end):
        end += 1
    return text[start:end]


def _breaks(text: str, tied: set[int], i: int) -> bool:
    return text[i].isspace() and i not in tied


def _candidates(text: str) -> Iterator[int]:
    """The spaces the rules would tie, rule by rule, left to right."""
    for rule in RULES:
        if not rule.needs.search(text):
            continue
        group = "tie" if "tie" in rule.pattern.groupindex else 0
        for match in rule.pattern.finditer(text):
            yield from (i for i in range(*match.span(group)) if text[i] in " \xa0")


def tie(markup: str, fits: Callable[[str], bool] = short) -> str:
    """Markup with no-break spaces where a line must not break (see RULES): inside phone
    numbers, between a number and its unit, after "số", "Điều" or "năm" before a number,
    after TP., Q., P. and UBND, inside a place's name, and before a short last word.

    Only spaces change (to U+00A0); tags, entities and spaces next to an address are left
    alone, and no tie makes a run of words that `fits` refuses (by default more than
    LONGEST_RUN characters), so no column gets a run wider than it. Idempotent; the
    markup is made NFC first (it is NFC already when it comes from a unit); no-break
    spaces already there stay."""
    if fits is short:
        return _tie_short(markup)
    return _tie(markup, fits)


@lru_cache(maxsize=4096)
def _tie_short(markup: str) -> str:
    """`tie` with the default limit, remembered: a leaflet sets each panel again at every
    body size it tries, from the same markup."""
    return _tie(markup, short)


def _tie(markup: str, fits: Callable[[str], bool]) -> str:
    markup = unicodedata.normalize("NFC", markup)
    reading = _reading(markup)
    text = reading.text
    tied = {match.start() for match in re.finditer(NBSP, text)} if NBSP in text else set()
    untouchable = _around_addresses(text)
    for space in _candidates(text):
        if (space in tied or space in untouchable or markup[reading.at[space]] != " "
                or not fits(_run(text, tied, space))):
            continue
        tied.add(space)
    chars = list(markup)
    for space in tied:
        if chars[reading.at[space]] == " ":
            chars[reading.at[space]] = NBSP
    return "".join(chars)


# --- balanced titles --------------------------------------------------------------------


def _lines(paragraph: Paragraph, width: float) -> int:
    """How many lines `paragraph` takes `width` wide (set as a plain Paragraph)."""
    Paragraph.wrap(paragraph, width, BIG)
    return len(paragraph.blPara.lines)


def balanced_width(paragraph: Paragraph, width: float) -> float:
    """The narrowest width (to TOLERANCE_PT) at which `paragraph` takes as many lines as it
    does `width` wide: set there, its lines are even and its last line is not a stub.

    A paragraph of one line keeps `width`. Bisection, from the widest of its words and an
    even share of its text per line (less the 5% ReportLab may shrink spaces by): about
    eight wraps of the paragraph, which is left wrapped at one of them (wrap it again)."""
    if width <= TOLERANCE_PT:
        return width
    count = _lines(paragraph, width)
    if count <= 1:
        return width
    style = paragraph.style
    indents = style.leftIndent + style.rightIndent + max(style.firstLineIndent, 0)
    share = sum(paragraph.getActualLineWidths0()) / count - indents  # the widths hold them
    low = max(paragraph.minWidth(), share * 0.95) + indents
    high = width
    if low >= high or _lines(paragraph, low) <= count:
        return min(low, high)
    while high - low > TOLERANCE_PT:
        middle = (low + high) / 2
        if _lines(paragraph, middle) <= count:
            high = middle
        else:
            low = middle
    return high


def has_lone_word(paragraph: Paragraph) -> bool:
    """True when a wrapped paragraph of several lines has a line of one bare word (no space,
    tied or not): what a title fitter can step its size down for. At 26 pt in 85 mm
    "Phường Tân Phong:" is wider than the column, so its title opens on "Phường" alone;
    at 24 pt it reads "Phường Tân Phong: / Bộ phận Một cửa / ..."."""
    texts = _line_texts(paragraph)
    return len(texts) > 1 and any(not re.search("[ \xa0]", text) for text in texts)


def _line_texts(paragraph: Paragraph) -> list[str]:
    """The text of each line of a wrapped paragraph."""
    block = paragraph.blPara
    if block.kind == 0:
        return [" ".join(words) for _, words in block.lines]
    return ["".join(getattr(frag, "text", "") for frag in line.words).strip()
            for line in block.lines]


class Balanced(Paragraph):
    """A paragraph set at its `balanced_width` wherever it is wrapped. It still takes the
    whole width it is given: the room it leaves goes to its indents, on the right, on both
    sides when centred, or on the left when aligned right."""

    def __init__(self, markup: str, style: ParagraphStyle) -> None:
        super().__init__(markup, style)
        self.own_style = style  # without the indents a wrap adds (for setting other text alike)

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        """Break the lines at the balanced width, inside `availWidth`."""
        self.style = self.own_style
        room = availWidth - balanced_width(self, availWidth)
        self.style = _narrowed(self.own_style, room)
        width, height = Paragraph.wrap(self, availWidth, availHeight)
        return float(width), float(height)


def _narrowed(style: ParagraphStyle, room: float) -> ParagraphStyle:
    """`style` with `room` points more of indent, where its alignment wants them."""
    if room <= 0:
        return style
    left = {TA_CENTER: room / 2, TA_RIGHT: room}.get(style.alignment, 0.0)
    return ParagraphStyle(style.name, parent=style, leftIndent=style.leftIndent + left,
                          rightIndent=style.rightIndent + room - left)


def balanced(markup: str, face: Face, width: float, space_after: float = 0.0) -> Balanced:
    """A title (markup) in `face`, tied so that no run is wider than `width`, whose lines
    are set even wherever it is wrapped: at 26 pt in 85 mm, "Đăng ký khai / sinh trực
    tuyến, / nhận giấy khai / sinh tại nhà" rather than "... giấy khai sinh tại / nhà".
    It stacks like any paragraph."""
    style = ParagraphStyle(f"{face.font}-{face.size}-balanced", parent=face.style(space_after),
                           **SYLLABLE_SAFE)
    return Balanced(tie(markup, within(face, width)), style)
