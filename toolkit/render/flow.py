"""Text set in boxes with ReportLab: paragraph styles, measuring, placing.

Each box (a leaflet panel, a poster's body) is laid out on its own: what does
not fit is measured and reported, never flowed on to the next box or clipped.
Flowables are stacked here rather than in a platypus Frame, so that the wrap
that measured them is the one that draws them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from reportlab.lib.colors import Color
from reportlab.lib.enums import TA_CENTER, TA_LEFT
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Paragraph

from toolkit.render.typeset import SYLLABLE_SAFE

BIG = 1e6
NOISE = 1e-6  # points: heights are sums of floats, added up in different orders
SLACK = 0.2  # of the type size: ReportLab lets a line run about a space past its column
#             (in mixed type); a word too long to fit stands out much further


@dataclass(frozen=True)
class Face:
    """A font, size and colour to set text in."""

    font: str
    size: float
    colour: Color
    leading: float = 1.3
    centred: bool = False
    bullet: Color | None = None  # a list item's bullet or number, when not `colour`

    def style(self, space_after: float = 0.0, indent: float = 0.0) -> ParagraphStyle:
        """A ReportLab paragraph style for this face (one object for equal faces: a leaflet
        sets hundreds of paragraphs in a dozen styles)."""
        return _style(self, space_after, indent)


@lru_cache(maxsize=512)
def _style(face: Face, space_after: float, indent: float) -> ParagraphStyle:
    return ParagraphStyle(
        f"{face.font}-{face.size}", fontName=face.font, fontSize=face.size,
        leading=face.size * face.leading, textColor=face.colour, spaceAfter=space_after,
        leftIndent=indent, bulletIndent=0, bulletFontName=face.font, bulletFontSize=face.size,
        bulletColor=face.bullet or face.colour, **SYLLABLE_SAFE,
        alignment=TA_CENTER if face.centred else TA_LEFT)


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
        """The widest flowable, a paragraph's overlong words included: a word longer than
        the column sticks out of it (a syllable is never split)."""
        return max((w + widest_word(f) for f, (w, _) in zip(self.flows, self.sizes,
                                                            strict=True)), default=0.0)

    def over(self, width: float, room: float) -> float:
        """How far the stack stands out of a box: below its bottom, or past its side."""
        return max(self.height - room, self.widest - width) - NOISE

    def __add__(self, other: Stack) -> Stack:
        return Stack(self.flows + other.flows, self.sizes + other.sizes)

    def draw(self, canvas: Canvas, x: float, top: float) -> None:
        """Draw the stack with its top left corner at (x, top)."""
        y = top
        for i, (flow, (_, h)) in enumerate(zip(self.flows, self.sizes, strict=True)):
            y -= h + (flow.getSpaceBefore() if i else 0.0)
            flow.drawOn(canvas, x, y)
            y -= flow.getSpaceAfter()


def widest_word(flow: Flowable) -> float:
    """How far past its column a wrapped paragraph's longest line stands (a word wider
    than the column is never split), or the paragraphs inside a flowable that says
    (`widest_word`, as cards do); 0 for others and for text that fits."""
    if isinstance(flow, Paragraph):
        return _overhang(flow)
    inner = getattr(flow, "widest_word", None)
    return float(inner()) if inner else 0.0


def _overhang(paragraph: Paragraph) -> float:
    """The most any line of the paragraph, as last wrapped, stands past its column: the
    room ReportLab left at the end of each line (and in the right indent, which a
    balanced title uses to set its lines narrower), less than none for a line too long."""
    laid = getattr(paragraph, "blPara", None)
    lines = getattr(laid, "lines", None) or []
    room = [line[0] if isinstance(line, tuple) else getattr(line, "extraSpace", 0.0)
            for line in lines]
    over = -min(room, default=0.0) - float(paragraph.style.rightIndent)
    return over if over > SLACK * float(paragraph.style.fontSize) else 0.0


def stack(flows: list[Flowable], width: float) -> Stack:
    """Wrap each flowable in a column `width` wide."""
    return Stack(tuple(flows), tuple(tuple(f.wrap(width, BIG)) for f in flows))
