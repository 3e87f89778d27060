"""Text set in boxes with ReportLab: paragraph styles, measuring, placing.

Each box (a leaflet panel, a poster's body) is laid out on its own: what does
not fit is measured and reported, never flowed on to the next box or clipped.
Flowables are stacked here rather than in a platypus Frame, so that the wrap
that measured them is the one that draws them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from reportlab.lib.colors import Color
from reportlab.lib.enums import TA_CENTER, TA_LEFT
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Paragraph

BIG = 1e6


@dataclass(frozen=True)
class Face:
    """A font, size and colour to set text in."""

    font: str
    size: float
    colour: Color
    leading: float = 1.3
    centred: bool = False

    def style(self, space_after: float = 0.0, indent: float = 0.0) -> ParagraphStyle:
        """A ReportLab paragraph style for this face."""
        return ParagraphStyle(
            f"{self.font}-{self.size}", fontName=self.font, fontSize=self.size,
            leading=self.size * self.leading, textColor=self.colour, spaceAfter=space_after,
            leftIndent=indent, bulletIndent=0, bulletFontName=self.font, bulletFontSize=self.size,
            alignment=TA_CENTER if self.centred else TA_LEFT)


def escape(value: str) -> str:
    """Plain text made safe for ReportLab's paragraph markup."""
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def address(url: str, face: Face, width: float) -> str:
    """An address as markup that breaks only after a "/" or a "-" (never inside a
    syllable of a slug), each line as full as `width` allows."""
    lines, line = [], ""
    for piece in re.findall(r"[^/-]*[/-]|[^/-]+$", url):
        if line and stringWidth(line + piece, face.font, face.size) > width:
            lines.append(line)
            line = ""
        line += piece
    return "<br/>".join(escape(part) for part in [*lines, line])


def text(markup: str, face: Face, space_after: float = 0.0) -> Paragraph:
    """A paragraph of markup (escaped text with <b> and <i>)."""
    return Paragraph(markup, face.style(space_after))


def item(markup: str, face: Face, bullet: str, space_after: float = 0.0) -> Paragraph:
    """A list item with its bullet or number hanging in the margin."""
    indent = face.size * (1.6 if bullet[:1].isdigit() else 1.0)
    return Paragraph(markup, face.style(space_after, indent), bulletText=bullet)


@dataclass(frozen=True)
class Stack:
    """Flowables wrapped once at one width, to stand one above the other.

    Measuring wraps each flowable (breaks its lines); drawing uses that wrap, so
    text is set once however often a layout is tried.
    """

    flows: tuple[Flowable, ...]
    sizes: tuple[tuple[float, float], ...]  # (width, height) of each, as wrapped

    @property
    def height(self) -> float:
        """How tall the flowables stand, with the space after each (and before each but
        the first, as a frame would)."""
        return sum(h + f.getSpaceAfter() + (f.getSpaceBefore() if i else 0.0)
                   for i, (f, (_, h)) in enumerate(zip(self.flows, self.sizes, strict=True)))

    @property
    def widest(self) -> float:
        """The widest flowable (a word longer than the column sticks out)."""
        return max((w for w, _ in self.sizes), default=0.0)

    def over(self, width: float, room: float) -> float:
        """How far the stack stands out of a box: below its bottom, or past its side."""
        return max(self.height - room, self.widest - width)

    def __add__(self, other: Stack) -> Stack:
        return Stack(self.flows + other.flows, self.sizes + other.sizes)

    def draw(self, canvas: Canvas, x: float, top: float) -> None:
        """Draw the stack with its top left corner at (x, top)."""
        y = top
        for i, (flow, (_, h)) in enumerate(zip(self.flows, self.sizes, strict=True)):
            y -= h + (flow.getSpaceBefore() if i else 0.0)
            flow.drawOn(canvas, x, y)
            y -= flow.getSpaceAfter()


def stack(flows: list[Flowable], width: float) -> Stack:
    """Wrap each flowable in a column `width` wide."""
    return Stack(tuple(flows), tuple(tuple(f.wrap(width, BIG)) for f in flows))
