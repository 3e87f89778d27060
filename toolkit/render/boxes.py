"""Blocks in a box: a column whose blocks spread over the room they have, and a panel of
colour behind a few flowables.

A leaflet panel holds a few blocks (a field with its heading, the QR code, the
hotline), each of one or more rows (the items of a list). Set at their natural
spacing they leave the foot of a short panel empty; spread, they stand in a
rhythm over the whole panel, the gaps between blocks widened more than those
between items and none beyond a cap, so that a panel with little in it does
not fall apart. Blocks that sign off a panel (the contact, a byline) stand at
its foot.
"""

from __future__ import annotations

from dataclasses import dataclass

from reportlab.lib.colors import Color
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable

from toolkit.render.flow import NOISE, Stack, stack, widest_word


@dataclass(frozen=True)
class Row:
    """Flowables that stay together in a column (a heading and the first line under it, a
    list item), the space above them, and their share of the room spread among rows."""

    stack: Stack
    gap: float = 0.0
    stretch: float = 0.0  # 1 between blocks, less between the items of one
    foot: bool = False  # it stands at the foot of the box, with the rows after it


@dataclass(frozen=True)
class Column:
    """Rows one above the other; the room left under them is spread among the gaps, each
    by its row's stretch and no more than `most` a gap, and the rows at the foot stand
    at the bottom."""

    rows: tuple[Row, ...]

    @property
    def height(self) -> float:
        """How tall the rows stand at their natural spacing."""
        return sum(r.stack.height + (r.gap if i else 0.0) for i, r in enumerate(self.rows))

    @property
    def widest(self) -> float:
        """The widest flowable of any row."""
        return max((r.stack.widest for r in self.rows), default=0.0)

    def over(self, width: float, room: float) -> float:
        """How far the column stands out of a box: below its bottom, or past its side."""
        return max(self.height - room, self.widest - width) - NOISE

    def gaps(self, room: float, most: float) -> list[float]:
        """The space above each row once the room left is spread (none above the first)."""
        left = max(0.0, room - self.height)
        foot = next((i for i, r in enumerate(self.rows) if r.foot and i), None)
        stretches = [r.stretch if i and i != foot else 0.0 for i, r in enumerate(self.rows)]
        unit = min(most, left / sum(stretches)) if sum(stretches) else 0.0
        gaps = [(r.gap if i else 0.0) + stretch * unit
                for i, (r, stretch) in enumerate(zip(self.rows, stretches, strict=True))]
        if foot is not None:
            gaps[foot] += left - unit * sum(stretches)
        return gaps

    def extent(self, room: float, most: float) -> float:
        """How much of `room` the column fills once spread: its rows and the gaps between
        them, none counted wider than `most` more than its natural width (the space
        above the rows at the foot is mostly empty paper, not rhythm)."""
        gaps = [min(g, r.gap + most) for r, g in zip(self.rows, self.gaps(room, most),
                                                      strict=True)]
        return sum(r.stack.height for r in self.rows) + sum(gaps[1:])

    def draw(self, canvas: Canvas, x: float, top: float, room: float, most: float) -> None:
        """Draw the rows spread in a box `room` tall whose top left corner is (x, top)."""
        y = top
        for row, gap in zip(self.rows, self.gaps(room, most), strict=True):
            y -= gap
            row.stack.draw(canvas, x, y)
            y -= row.stack.height


class Boxed(Flowable):
    """Flowables set on a rounded panel of colour (or none: a group), `padding` inside it."""

    def __init__(self, flows: list[Flowable], fill: Color | None, padding: float,
                 radius: float = 0.0, space_after: float = 0.0) -> None:
        super().__init__()
        self.flows, self.fill, self.padding, self.radius = flows, fill, padding, radius
        self.spaceAfter = space_after
        self.inner = Stack((), ())

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self.inner = stack(self.flows, avail_width - 2 * self.padding)
        self.width = avail_width
        self.height = self.inner.height + 2 * self.padding
        return self.width, self.height

    def widest_word(self) -> float:
        """How far past the card the text inside it stands (0 when it fits)."""
        return max((widest_word(f) for f in self.flows), default=0.0)

    def draw(self) -> None:
        canvas = self.canv
        if self.fill is not None:
            canvas.saveState()
            canvas.setFillColor(self.fill)
            canvas.roundRect(0, 0, self.width, self.height, self.radius, stroke=0, fill=1)
            canvas.restoreState()
        self.inner.draw(canvas, self.padding, self.height - self.padding)


class Disc(Flowable):
    """A flowable (a pictogram) centred on a filled circle `diameter` wide; `centred`: the
    circle in the middle of the column rather than at its left."""

    def __init__(self, inner: Flowable, diameter: float, fill: Color,
                 centred: bool = False) -> None:
        super().__init__()
        self.inner, self.diameter, self.fill, self.centred = inner, diameter, fill, centred

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self.width = max(avail_width, self.diameter) if self.centred else self.diameter
        self.height = self.diameter
        return self.width, self.height

    def draw(self) -> None:
        canvas, radius = self.canv, self.diameter / 2
        x = self.width / 2
        canvas.saveState()
        canvas.setFillColor(self.fill)
        canvas.circle(x, radius, radius, stroke=0, fill=1)
        canvas.restoreState()
        width, height = self.inner.wrap(self.diameter, self.diameter)
        self.inner.drawOn(canvas, x - width / 2, radius - height / 2)
