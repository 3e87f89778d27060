"""What to cut when text does not fit a box (a leaflet panel, a poster's body).

An officer cannot act on "63 mm too long": they need the field, the item of a
list, and how many words to cut, on the line of the unit's file where it is.
The blocks of a box are laid out in `Part`s, each with the `Piece` of the unit
it shows. At the smallest type size, the longest piece is named when shortening
it alone makes room (how much is found by setting it again, shorter); else the
items of the field with the most text, a line each, or how many fewer would do;
else (a photo, the QR code and the hotline fill the panel) the template.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from reportlab.platypus import Flowable, Paragraph

from toolkit.content.model import AnyUnit
from toolkit.i18n import N_, _, decimal, ngettext
from toolkit.problems import Problem
from toolkit.render import most_words
from toolkit.render.flow import BIG, escape
from toolkit.render.marks import Beside
from toolkit.render.typeset import tie

# Where the text is, as the officer sees the printed product.
PLACES = {"cover": N_("leaflet, front cover"), "back": N_("leaflet, back"),
          "flap": N_("leaflet, flap that folds in"), "inside left": N_("leaflet, inside left"),
          "inside middle": N_("leaflet, inside middle"),
          "inside right": N_("leaflet, inside right")}
LEAFLET_TEMPLATE = "templates/leaflets/default.toml"
MOST_NAMED = 5  # items named in one message; past this, the longest of them
TOLERANCE = 0.01  # points: heights are sums of floats
LEADING = 1.3  # line height over type size, to count lines where no text was measured


@dataclass(frozen=True)
class Piece:
    """Text of the unit that a block sets: a field, or one item of a list (from 1)."""

    field: str
    text: str
    item: int | None = None
    key: str = ""  # where Unit.lines has its line, when not the field or field.item

    @property
    def line_key(self) -> str:
        """Its key in `Unit.lines`: "steps.3", "online.url", "summary"."""
        return self.key or (f"{self.field}.{self.item}" if self.item else self.field)


@dataclass(frozen=True)
class Part:
    """Flowables a block sets, and the piece of the unit they show (None: a heading, a
    QR code, a space: nothing the editor writes)."""

    piece: Piece | None
    flows: tuple[Flowable, ...]


@dataclass(frozen=True)
class Cut:
    """How much to cut from the end of a text: words, and the characters they make."""

    words: int
    chars: int


@dataclass(frozen=True)
class Measured:
    """A piece as set in a column: how tall, in how many lines, and what sets it."""

    piece: Piece
    height: float
    lines: int
    line_height: float
    width: float
    paragraph: Paragraph | None  # the one paragraph of plain text that sets it, if so
    mark: Beside | None = None  # what hangs that paragraph after a mark (a badge), if so

    def cut(self, room: float) -> Cut | None:
        """The fewest words to cut from its end for it to stand `room` points shorter
        (found by setting it again), keeping a word; None if that cannot make the room."""
        if self.paragraph is None:
            return self._estimated_cut(room)
        paragraph, words = self.paragraph, self.piece.text.split()
        target = self.height - room + TOLERANCE

        def fits(n: int) -> bool:
            return _height(paragraph, words[:n], self.width, self.mark) <= target

        fitting = most_words(len(words) - 1, fits)
        if fitting == 0:
            return None
        kept = len(" ".join(words[:fitting]))
        return Cut(len(words) - fitting, len(self.piece.text) - kept)

    def _estimated_cut(self, room: float) -> Cut | None:
        """A text set in several paragraphs (the body): its lines' worth of characters,
        each line less half a word where it breaks."""
        lines = math.ceil(room / self.line_height)
        if lines >= self.lines:
            return None
        text = self.piece.text
        words = text.split()
        word = (len(text) + 1) / max(1, len(words))
        per_line = len(text) / self.lines
        chars = min(len(text), math.ceil(lines * per_line + word / 2))
        return Cut(max(1, math.ceil(chars / word)), chars)


def _height(paragraph: Paragraph, words: list[str], width: float,
            mark: Beside | None = None) -> float:
    """How tall `paragraph` would stand holding only `words`, set the same way (after the
    same mark, if it has one)."""
    style = getattr(paragraph, "own_style", paragraph.style)  # a balanced title's own
    shorter: Flowable = Paragraph(tie(escape(" ".join(words))), style,
                                  bulletText=paragraph.bulletText)
    if mark is not None:
        shorter = Beside(mark.mark, shorter, mark.gap, mark.align_first_line)
    return float(shorter.wrap(width, BIG)[1]) + float(shorter.getSpaceAfter())


def leaflet_place(panel: str) -> str:
    """A leaflet panel as the officer sees it: "leaflet, inside middle"."""
    return _(PLACES[panel]) if panel in PLACES else panel


def poster_place(size: str) -> str:
    """A poster as the officer sees it: "A3 poster"."""
    return _("{size} poster").format(size=size.upper())


def leaflet_last_resort() -> str:
    """What to do when no text of a leaflet panel can make room (a photo, the QR code
    and the hotline fill it): the panel holds too much."""
    return _("shorten the texts of that panel, or move one of its blocks to another panel "
             "in {template}").format(template=LEAFLET_TEMPLATE)


def poster_last_resort() -> str:
    """What to do when no one text of a poster can make room."""
    return _("shorten the title, the summary and the key points")


def measure(part: Part, width: float) -> Measured | None:
    """The piece of `part` as set in a column `width` wide; None for a part that shows
    nothing of the unit, or no text. A paragraph after a mark (a step's badge) is
    measured with its mark."""
    if part.piece is None or not part.piece.text.strip():
        return None
    height = sum(f.wrap(width, BIG)[1] + f.getSpaceAfter() for f in part.flows)
    marks = [f for f in part.flows if isinstance(f, Beside)]
    paragraphs = [f for f in (f.flow if isinstance(f, Beside) else f for f in part.flows)
                  if isinstance(f, Paragraph)]
    if not paragraphs:
        return None
    lines = sum(len(p.blPara.lines) for p in paragraphs)
    single = paragraphs[0] if len(part.flows) == 1 and _plain(paragraphs[0], part.piece) \
        else None
    return Measured(part.piece, height, lines, paragraphs[0].style.leading, width, single,
                    marks[0] if single and marks else None)


def _plain(paragraph: Paragraph, piece: Piece) -> bool:
    """True when the paragraph sets the piece's text as it is (no markup, nothing added
    but no-break spaces), so that setting a shorter text the same way measures a
    shortened piece."""
    return bool(paragraph.text.replace("\xa0", " ") == escape(piece.text))


def overflow_problem(unit: AnyUnit, place: str, parts: Sequence[Part], width: float,
                     over: float, floor: float, last_resort: str) -> Problem:
    """What to cut so that the parts of one box, `over` points too tall at the smallest
    type size `floor`, fit: the longest text if shortening it alone makes room; else
    the items of the field with the most text, or fewer of them; else `last_resort`."""
    measured = [m for part in parts if (m := measure(part, width)) is not None]
    if not measured:
        return _last_resort(unit, place, over, floor, last_resort)
    longest = max(measured, key=lambda m: len(m.piece.text))
    cut = longest.cut(over)
    if cut is not None:
        return _shorten_one(unit, place, longest, over, floor, cut)
    field = _fullest_field(measured)
    items = [m for m in measured if m.piece.field == field and m.piece.item]
    fewer = _fewer_items(items, over)
    if not items or fewer >= len(items):
        return _last_resort(unit, place, over, floor, last_resort, field)
    return _shorten_items(unit, place, items, over, floor, fewer)


def _fullest_field(measured: Sequence[Measured]) -> str:
    """The field whose text stands tallest in the box."""
    heights: dict[str, float] = {}
    for m in measured:
        heights[m.piece.field] = heights.get(m.piece.field, 0.0) + m.height
    return max(heights, key=lambda f: heights[f])


def _size(floor: float) -> str:
    return decimal(round(floor, 1))


def _lines(over: float, line_height: float) -> int:
    return max(1, math.ceil(over / line_height - 0.01))


def _too_long(place: str, lines: int, floor: float) -> str:
    return ngettext("{place}: the text is {lines} line too long, even in the smallest type "
                    "({size} pt)",
                    "{place}: the text is {lines} lines too long, even in the smallest type "
                    "({size} pt)", lines).format(place=place, lines=lines, size=_size(floor))


def _shorten_one(unit: AnyUnit, place: str, longest: Measured, over: float, floor: float,
                 cut: Cut) -> Problem:
    """Shortening one text (an item, a field) by `cut` makes the room."""
    piece = longest.piece
    lines = _lines(over, longest.line_height)
    if piece.item:
        what = ngettext("{place}: the text is {lines} line too long, even in the smallest type "
                        "({size} pt); item {n} is the longest there",
                        "{place}: the text is {lines} lines too long, even in the smallest type "
                        "({size} pt); item {n} is the longest there", lines).format(
            place=place, lines=lines, size=_size(floor), n=piece.item)
        fix = ngettext("shorten item {n} by {words} word ({chars} characters)",
                       "shorten item {n} by {words} words ({chars} characters)",
                       cut.words).format(n=piece.item, words=cut.words, chars=cut.chars)
    else:
        what = _too_long(place, lines, floor)
        fix = ngettext("shorten it by {words} word ({chars} characters)",
                       "shorten it by {words} words ({chars} characters)",
                       cut.words).format(words=cut.words, chars=cut.chars)
    return Problem(unit.source, _line(unit, piece), piece.field, what, fix)


def _shorten_items(unit: AnyUnit, place: str, items: Sequence[Measured], over: float,
                   floor: float, fewer: int) -> Problem:
    """No one item is long enough to make room: which items to shorten by a line or so
    each (the longest first), or how many fewer items would do."""
    field = items[0].piece.field
    lines = _lines(over, items[0].line_height)
    what = _too_long(place, lines, floor)
    cuts = _line_cuts(items, lines)
    if not cuts:
        fix = ngettext("give {fewer} item fewer", "give {fewer} items fewer",
                       fewer).format(fewer=fewer)
        return Problem(unit.source, unit.lines.get(field), field, what, fix)
    chars = max(cut.chars for _m, cut in cuts)
    numbers = sorted(m.piece.item or 0 for m, _cut in cuts)
    if len(numbers) <= MOST_NAMED:
        fix = ngettext("shorten items {items} by {chars} characters each, or give "
                       "{fewer} item fewer",
                       "shorten items {items} by {chars} characters each, or give "
                       "{fewer} items fewer", fewer).format(
            items=", ".join(map(str, numbers)), chars=chars, fewer=fewer)
    else:
        fix = ngettext("shorten {count} items by {chars} characters each, the longest "
                       "first (items {items}…), or give {fewer} item fewer",
                       "shorten {count} items by {chars} characters each, the longest "
                       "first (items {items}…), or give {fewer} items fewer", fewer).format(
            count=len(numbers), chars=chars, fewer=fewer,
            items=", ".join(str(m.piece.item) for m, _cut in cuts[:MOST_NAMED]))
    first = min((m for m, _cut in cuts), key=lambda m: m.piece.item or 0)
    return Problem(unit.source, _line(unit, first.piece), field, what, fix)


def _line_cuts(items: Sequence[Measured], lines: int) -> list[tuple[Measured, Cut]]:
    """The items to shorten, longest first, and what to cut from each, so that `lines`
    lines go: an item keeps at least one line. Empty if shortening cannot do so much."""
    cuts: list[tuple[Measured, Cut]] = []
    for m in sorted(items, key=lambda m: (-m.lines, m.piece.item or 0)):
        if lines <= 0:
            break
        saved = min(m.lines - 1, lines)
        cut = m.cut(saved * m.line_height) if saved > 0 else None
        if cut is not None:
            cuts.append((m, cut))
            lines -= saved
    return cuts if lines <= 0 else []


def _fewer_items(items: Sequence[Measured], over: float) -> int:
    """How many items of average height would have to go to make `over` points of room."""
    if not items:
        return 0
    average = sum(m.height for m in items) / len(items)
    return math.ceil(over / average)


def _last_resort(unit: AnyUnit, place: str, over: float, floor: float, fix: str,
                 field: str = "") -> Problem:
    """No one text can make room: how much is too much, and `fix`."""
    return Problem(unit.source, unit.lines.get(field) if field else None, field,
                   _too_long(place, _lines(over, floor * LEADING), floor), fix)


def _line(unit: AnyUnit, piece: Piece) -> int | None:
    """The line of a piece in the unit's file, else that of its field (None before the
    loader records lines)."""
    return unit.lines.get(piece.line_key) or unit.lines.get(piece.field)
