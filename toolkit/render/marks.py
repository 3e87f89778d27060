"""Marks set beside text: number badges for steps, and `Beside`, which hangs a mark
(a badge, an icon) left of a paragraph, centred on its first line.

Both draw with canvas operations only (no pictures), in the colours they are given,
so a CMYK print file stays in CMYK.
"""

from __future__ import annotations

import struct
from functools import cache

from reportlab import rl_config
from reportlab.lib.colors import Color
from reportlab.pdfbase import pdfmetrics
from reportlab.platypus import Flowable, Paragraph

# A badge's figures: their height a share of the circle's diameter, and their width
# at most a share of it (two figures are set smaller to keep clear of the edge).
FIGURE_HEIGHT = 0.48
FIGURE_WIDTH = 0.64
FIGURES = "0123456789"
# Where a font does not tell its capitals' height (the 14 standard PDF fonts), this share
# of the type size (Helvetica's is 0.718).
CAP_HEIGHT = 0.7

Box = tuple[float, float, float, float]  # x0, y0, x1, y1


# --- measuring type -----------------------------------------------------------


def cap_height(font: str) -> float:
    """How tall the capitals of `font` stand, as a share of its type size."""
    face = pdfmetrics.getFont(font).face
    height = getattr(face, "capHeight", 0)
    return float(height) / 1000 if height else CAP_HEIGHT


def ink_box(label: str, font: str, size: float) -> Box:
    """The box the glyphs of `label` cover when set at `size` from (0, 0) on the baseline:
    what the eye centres, unlike the advance widths and the em box. Fonts whose outlines
    ReportLab does not read (the standard ones) give their advances and cap height."""
    x0, y0, x1, y1 = _ink_ems(label, font)
    return x0 * size, y0 * size, x1 * size, y1 * size


@cache
def _ink_ems(label: str, font: str) -> Box:
    """`ink_box` at a type size of 1 (a list's badges ask for the same few labels)."""
    x, box = 0.0, None
    for character in label:
        glyph = _glyph_box(font, character)
        if glyph is not None:
            x0, y0, x1, y1 = glyph
            box = _union(box, (x + x0, y0, x + x1, y1))
        x += pdfmetrics.stringWidth(character, font, 1.0)
    return box or (0.0, 0.0, x, cap_height(font))


def _union(box: Box | None, other: Box) -> Box:
    if box is None:
        return other
    return (min(box[0], other[0]), min(box[1], other[1]),
            max(box[2], other[2]), max(box[3], other[3]))


@cache
def _glyph_box(font: str, character: str) -> Box | None:
    """The bounding box of a character's outline in a TrueType font, in ems (from the
    glyph's header in the `glyf` table); None for a blank glyph or another kind of font."""
    face = pdfmetrics.getFont(font).face
    glyph = getattr(face, "charToGlyph", {}).get(ord(character))
    positions = getattr(face, "glyphPos", None)
    if glyph is None or not positions or glyph + 1 >= len(positions):
        return None
    start, end = positions[glyph], positions[glyph + 1]
    if end - start < 10:  # no outline: a space
        return None
    table = face.get_table_pos("glyf")[0]
    x0, y0, x1, y1 = struct.unpack(">4h", face.get_chunk(table + start + 2, 8))
    em = float(face.unitsPerEm)
    return x0 / em, y0 / em, x1 / em, y1 / em


# --- badges ---------------------------------------------------------------------


class Badge(Flowable):
    """A filled circle with a number (or a short label) centred in it by its ink."""

    def __init__(self, label: str, diameter: float, fill: Color, font: str,
                 text_colour: Color) -> None:
        super().__init__()
        self.label, self.diameter, self.fill = label, diameter, fill
        self.font, self.text_colour = font, text_colour
        self.width = self.height = diameter
        self.size = figure_size(label, diameter, font)

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        """The circle's square, whatever room there is."""
        return self.diameter, self.diameter

    def draw(self) -> None:
        """The circle in the square whose bottom left corner is the origin, then the label
        with its ink's centre on the circle's."""
        radius = self.diameter / 2
        canvas = self.canv
        canvas.setFillColor(self.fill)
        canvas.circle(radius, radius, radius, stroke=0, fill=1)
        if not self.label:
            return
        x0, y0, x1, y1 = ink_box(self.label, self.font, self.size)
        if self.label.isdigit():  # every badge of a list on one baseline: by the figures
            _, y0, _, y1 = ink_box(FIGURES, self.font, self.size)
        canvas.setFillColor(self.text_colour)
        canvas.setFont(self.font, self.size)
        canvas.drawString(radius - (x0 + x1) / 2, radius - (y0 + y1) / 2, self.label)

    def __repr__(self) -> str:
        return f"Badge({self.label!r}, {self.diameter})"


def figure_size(label: str, diameter: float, font: str) -> float:
    """The type size that makes the figures FIGURE_HEIGHT of the diameter tall, or
    smaller where as many zeros as `label` has characters would be wider than
    FIGURE_WIDTH of it: every one-figure badge one size, every two-figure one another."""
    _, y0, _, y1 = ink_box(FIGURES, font, 1.0)
    x0, _, x1, _ = ink_box("0" * max(len(label), 1), font, 1.0)
    by_height = FIGURE_HEIGHT * diameter / max(y1 - y0, 1e-6)
    by_width = FIGURE_WIDTH * diameter / max(x1 - x0, 1e-6)
    return min(by_height, by_width)


def badge(number: int | str, diameter: float, fill: Color, face_font: str,
          text_colour: Color) -> Flowable:
    """A step's number in a circle `diameter` points wide filled with `fill`, set in the
    registered font `face_font` in `text_colour`, centred by what the figures cover
    (not by the font's em box); two figures are set smaller than one to fit."""
    return Badge(str(number), diameter, fill, face_font, text_colour)


# --- a mark beside a paragraph ----------------------------------------------------


def first_line_centre(flow: Flowable) -> float | None:
    """How far below a wrapped flowable's top the middle of its first line lies (half its
    capitals' height above the baseline), for a Paragraph or a flowable that says so
    itself (a `Beside`); None for any other."""
    if isinstance(flow, Paragraph):
        return _paragraph_first_line_centre(flow)
    says = getattr(flow, "first_line_centre", None)
    return float(says()) if callable(says) else None


def _paragraph_first_line_centre(paragraph: Paragraph) -> float:
    """Where ReportLab puts the first baseline (Paragraph.drawPara: the first line's size,
    or its ascent, below the top), less half the capitals' height."""
    style = paragraph.style
    laid = getattr(paragraph, "blPara", None)
    lines = getattr(laid, "lines", None) or []
    first = laid if getattr(laid, "kind", 0) == 0 or not lines else lines[0]
    size = float(getattr(first, "fontSize", style.fontSize))
    ascent = getattr(first, "ascent", size)
    baseline = size if rl_config.paraFontSizeHeightOffset else float(ascent)
    return baseline - cap_height(getattr(first, "fontName", style.fontName)) * size / 2


class Beside(Flowable):
    """`mark` hung left of `flow` (usually a Paragraph), `gap` points apart: the mark's
    middle on the middle of the flow's first line (or of the whole flow, when
    `align_first_line` is False or the flow does not tell where its first line is).

    A mark taller than the line stands out above it by as much as below, and pushes the
    flow down by that much, so nothing above is overdrawn. Like a Paragraph, it draws as
    it was last wrapped; each wrap depends only on its own width and height.
    """

    def __init__(self, mark: Flowable, flow: Flowable, gap: float,
                 align_first_line: bool = True) -> None:
        super().__init__()
        self.mark, self.flow, self.gap = mark, flow, gap
        self.align_first_line = align_first_line
        self.mark_size = self.flow_size = (0.0, 0.0)
        self.mark_top = self.flow_top = 0.0  # how far below this flowable's top each starts

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        """Wrap the flow in what the mark and the gap leave of the width; as tall as the
        mark and the flow stand together. A column no wider than the mark and the gap
        leaves the flow no room: a Paragraph then says it cannot fit (a huge height)."""
        mark_width, mark_height = self.mark.wrap(available_width, available_height)
        room = max(available_width - mark_width - self.gap, 0.0)
        flow_width, flow_height = self.flow.wrap(room, available_height)
        centre = first_line_centre(self.flow) if self.align_first_line else None
        mark_top = (flow_height / 2 if centre is None else centre) - mark_height / 2
        self.flow_top = max(0.0, -mark_top)
        self.mark_top = self.flow_top + mark_top
        self.mark_size, self.flow_size = (mark_width, mark_height), (flow_width, flow_height)
        self.width = mark_width + self.gap + flow_width
        self.height = max(self.flow_top + flow_height, self.mark_top + mark_height)
        return self.width, self.height

    def draw(self) -> None:
        """The mark at the left, the flow after the gap, as placed by the last wrap."""
        (mark_width, mark_height), (_, flow_height) = self.mark_size, self.flow_size
        self.mark.drawOn(self.canv, 0.0, self.height - self.mark_top - mark_height)
        self.flow.drawOn(self.canv, mark_width + self.gap,
                         self.height - self.flow_top - flow_height)

    def widest_word(self) -> float:
        """How far past its column the flow after the mark stands (as last wrapped)."""
        from toolkit.render.flow import widest_word

        return widest_word(self.flow)

    def first_line_centre(self) -> float:
        """Where the middle of the flow's first line is, below this flowable's top (a
        Beside inside another lines up with the same line)."""
        centre = first_line_centre(self.flow)
        return self.flow_top + (self.flow_size[1] / 2 if centre is None else centre)

    def getSpaceBefore(self) -> float:
        """The flow's space before: the mark takes none of its own."""
        return float(self.flow.getSpaceBefore())

    def getSpaceAfter(self) -> float:
        """The flow's space after."""
        return float(self.flow.getSpaceAfter())

    def __repr__(self) -> str:
        return f"Beside({self.mark!r}, {self.flow!r})"
