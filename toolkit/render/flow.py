"""Text set in boxes with ReportLab: paragraph styles, measuring, placing.

Each box (a leaflet panel, a poster's body) is laid out on its own: what does
not fit is measured and reported, never flowed on to the next box or clipped.
"""

from __future__ import annotations

from dataclasses import dataclass

from reportlab.lib.colors import Color
from reportlab.lib.enums import TA_CENTER, TA_LEFT
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Frame, Paragraph

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


def text(markup: str, face: Face, space_after: float = 0.0) -> Paragraph:
    """A paragraph of markup (escaped text with <b> and <i>)."""
    return Paragraph(markup, face.style(space_after))


def item(markup: str, face: Face, bullet: str, space_after: float = 0.0) -> Paragraph:
    """A list item with its bullet or number hanging in the margin."""
    indent = face.size * (1.6 if bullet[:1].isdigit() else 1.0)
    return Paragraph(markup, face.style(space_after, indent), bulletText=bullet)


def measure(flows: list[Flowable], width: float) -> tuple[float, float]:
    """How tall the flowables stand, one above the other, in a column `width` wide, and
    how wide the widest is (a word longer than the column sticks out)."""
    total, widest = 0.0, 0.0
    for i, flow in enumerate(flows):
        w, h = flow.wrap(width, BIG)
        total += h + flow.getSpaceAfter() + (flow.getSpaceBefore() if i else 0.0)
        widest = max(widest, w)
    return total, widest


def place(canvas: Canvas, flows: list[Flowable], x: float, y: float, width: float,
          box_height: float) -> None:
    """Draw the flowables top-down in the box with bottom-left (x, y); they must fit."""
    frame = Frame(x, y, width, box_height, leftPadding=0, rightPadding=0, topPadding=0,
                  bottomPadding=0, showBoundary=0)
    left = list(flows)
    frame.addFromList(left, canvas)
    if left:
        raise ValueError("content measured to fit did not fit its frame")
