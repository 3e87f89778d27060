"""Pictograms for print: Font Awesome Free solid icons as vector paths, in any colour.

The SVGs are read from the installed `fontawesomefree` package (never copied into
this repository) by svglib, once per process per icon, and turned into a PDF path
that every later drawing reuses: parsing costs about a millisecond, drawing a
few microseconds. An icon is drawn with canvas operations only, filled with the
colour it is given (RGB or CMYK, so a print file keeps to its colour space). The
names, the licence and its credit are in `toolkit.render.fontawesome`.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from reportlab.graphics import shapes
from reportlab.lib.colors import Color
from reportlab.pdfgen.canvas import Canvas
from reportlab.pdfgen.pathobject import PDFPathObject
from reportlab.platypus import Flowable

from toolkit.i18n import _
from toolkit.problems import quote
from toolkit.render.fontawesome import icon_names, solid_folder, unknown_icon

# svglib's path operators (reportlab.graphics.shapes): how many numbers each takes.
_MOVE, _LINE, _CURVE, _CLOSE = 0, 1, 2, 3
_ARGUMENTS = {_MOVE: 2, _LINE: 2, _CURVE: 6, _CLOSE: 0}

Matrix = tuple[float, float, float, float, float, float]
_IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)


@cache
def icon_file(name: str) -> Path:
    """The SVG an icon is drawn from: for a job to declare among the files it reads, so
    that another Font Awesome release rebuilds what shows it. A ValueError as `outline`."""
    outline(name)
    return Path(str(solid_folder() / f"{name}.svg"))


class NotAnIcon(ValueError):
    """An SVG that is not a Font Awesome icon: not readable, or not only paths."""


@dataclass(frozen=True)
class Outline:
    """An icon as PDF paths, each with its fill rule (ReportLab's 0 even-odd, 1 nonzero),
    in its own units (points, y up, origin bottom left) inside a box `width` × `height`
    (the SVG's viewBox)."""

    paths: tuple[tuple[PDFPathObject, int], ...]
    width: float
    height: float


@cache
def outline(name: str) -> Outline:
    """The icon `name`, parsed from its SVG once a process. A ValueError for a name
    Font Awesome Free has no solid icon of, with the names spelled like it."""
    if name not in icon_names():
        raise ValueError(unknown_icon(name))
    from svglib.svglib import svg2rlg  # only what draws icons pays for importing it

    drawing = svg2rlg(io.BytesIO((solid_folder() / f"{name}.svg").read_bytes()))
    try:
        if drawing is None:
            raise NotAnIcon(name)
        return _outline_of(drawing)
    except NotAnIcon:
        raise NotAnIcon(_("the icon {name} cannot be read: reinstall the toolkit "
                          "(pip install cchc-toolkit)").format(name=quote(name))) from None


def _outline_of(drawing: shapes.Drawing) -> Outline:
    paths = []
    for shape, matrix in _paths(drawing, _IDENTITY):
        pdf = PDFPathObject()
        _trace(pdf, shape, matrix)
        paths.append((pdf, int(shape.fillMode)))
    return Outline(tuple(paths), float(drawing.width), float(drawing.height))


def _paths(group: shapes.Group, matrix: Matrix) -> list[tuple[shapes.Path, Matrix]]:
    """Every path inside `group`, with the transform that places it in the drawing.
    Font Awesome's SVGs hold one path each; other shapes would be a new kind of icon."""
    found: list[tuple[shapes.Path, Matrix]] = []
    for node in group.contents:
        if isinstance(node, shapes.Group):
            found += _paths(node, _times(matrix, tuple(node.transform)))
        elif isinstance(node, shapes.Path):
            found.append((node, matrix))
        else:
            raise NotAnIcon(type(node).__name__)
    return found


def _times(outer: Matrix, inner: Matrix) -> Matrix:
    """The transform `inner`, then `outer` (PDF's [a b c d e f] matrices)."""
    a, b, c, d, e, f = outer
    p, q, r, s, t, u = inner
    return (a * p + c * q, b * p + d * q, a * r + c * s, b * r + d * s,
            a * t + c * u + e, b * t + d * u + f)


def _trace(pdf: PDFPathObject, shape: shapes.Path, matrix: Matrix) -> None:
    """Append a shape's subpaths to `pdf`, its points moved by `matrix`."""
    a, b, c, d, e, f = matrix
    points = shape.points
    i = 0
    for operator in shape.operators:
        n = _ARGUMENTS[operator]
        xy = points[i:i + n]
        i += n
        moved = [value for x, y in zip(xy[::2], xy[1::2], strict=True)
                 for value in (a * x + c * y + e, b * x + d * y + f)]
        if operator == _MOVE:
            pdf.moveTo(*moved)
        elif operator == _LINE:
            pdf.lineTo(*moved)
        elif operator == _CURVE:
            pdf.curveTo(*moved)
        else:
            pdf.close()


def draw_icon(canvas: Canvas, name: str, x: float, y: float, size: float,
              colour: Color) -> None:
    """Draw the icon `name` filled with `colour`, fitted into the square `size` wide
    whose bottom left corner is (x, y), centred in it by its own proportions."""
    shape = outline(name)
    scale = size / max(shape.width, shape.height)
    canvas.saveState()
    canvas.translate(x + (size - shape.width * scale) / 2, y + (size - shape.height * scale) / 2)
    canvas.scale(scale, scale)
    canvas.setFillColor(colour)
    for path, fill_mode in shape.paths:
        canvas.drawPath(path, stroke=0, fill=1, fillMode=fill_mode)
    canvas.restoreState()


class Icon(Flowable):
    """A Font Awesome Free solid icon in a square `size` points wide and high."""

    def __init__(self, name: str, size: float, colour: Color) -> None:
        super().__init__()
        outline(name)  # an unknown name fails here, where the layout names it
        self.name, self.size, self.colour = name, size, colour
        self.width = self.height = size

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        """The square, whatever room there is (a flowable states its own size)."""
        return self.size, self.size

    def draw(self) -> None:
        """Draw the icon in the square whose bottom left corner is the origin."""
        draw_icon(self.canv, self.name, 0.0, 0.0, self.size, self.colour)

    def __repr__(self) -> str:
        return f"Icon({self.name!r}, {self.size}, {self.colour!r})"


def icon(name: str, size: float, colour: Color) -> Flowable:
    """A flowable square `size` points high, with the Font Awesome Free solid icon
    `name` ("file-lines", "money-bill", "clock") filled with `colour` (RGB or CMYK),
    fitted and centred in it. A ValueError, with names spelled like it, for an icon
    Font Awesome Free does not have."""
    return Icon(name, size, colour)
