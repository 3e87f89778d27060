"""Pictograms for print: Font Awesome Free solid icons as vector paths, in any colour.

The SVGs are read from the installed `fontawesomefree` package (never copied into
this repository) by svglib, once per process per icon, and turned into a PDF path
that every later drawing reuses: parsing costs about a millisecond, drawing a
few microseconds. An icon is drawn with canvas operations only, filled with the
colour it is given (RGB or CMYK, so a print file keeps to its colour space).

NOTICE: the icons are Font Awesome Free by Fonticons, Inc. (https://fontawesome.com),
licensed under CC BY 4.0 (https://creativecommons.org/licenses/by/4.0/); they are
drawn unmodified but for colour and size. CC BY asks for credit wherever they are
used: `ATTRIBUTION` (English, for documentation and file metadata) and
`attribution()` (the Vietnamese line for a printed imprint) give it.
"""

from __future__ import annotations

import difflib
import io
import json
from dataclasses import dataclass
from functools import cache
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

from reportlab.graphics import shapes
from reportlab.lib.colors import Color
from reportlab.pdfgen.canvas import Canvas
from reportlab.pdfgen.pathobject import PDFPathObject
from reportlab.platypus import Flowable

from toolkit.i18n import N_, _, vietnamese
from toolkit.problems import quote

PACKAGE = "fontawesomefree"
SOLID = ("static", "fontawesomefree", "svgs", "solid")
ATTRIBUTION = N_("Icons: Font Awesome Free by Fonticons, Inc. (fontawesome.com), "
                 "licensed under CC BY 4.0")

# svglib's path operators (reportlab.graphics.shapes): how many numbers each takes.
_MOVE, _LINE, _CURVE, _CLOSE = 0, 1, 2, 3
_ARGUMENTS = {_MOVE: 2, _LINE: 2, _CURVE: 6, _CLOSE: 0}

Matrix = tuple[float, float, float, float, float, float]
_IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)


def attribution() -> str:
    """The credit line CC BY 4.0 asks for, in Vietnamese: what goes to citizens (a
    leaflet's imprint) is Vietnamese whatever the officer reads."""
    return vietnamese(ATTRIBUTION)


@cache
def _solid_folder() -> Traversable:
    folder = resources.files(PACKAGE)
    for part in SOLID:
        folder = folder / part
    return folder


@cache
def icon_names() -> frozenset[str]:
    """Every solid icon the installed Font Awesome Free has ("clock", "location-dot"):
    what a template may name."""
    return frozenset(entry.name.removesuffix(".svg") for entry in _solid_folder().iterdir()
                     if entry.name.endswith(".svg"))


@cache
def icon_file(name: str) -> Path:
    """The SVG an icon is drawn from: for a job to declare among the files it reads, so
    that another Font Awesome release rebuilds what shows it. A ValueError as `outline`."""
    outline(name)
    return Path(str(_solid_folder() / f"{name}.svg"))


def glyph_font() -> Path:
    """The Font Awesome Free solid font (TTF) of the installed package: what a raster
    (a video frame) draws the same pictograms with, as letters."""
    return Path(str(resources.files(PACKAGE) / "static" / "fontawesomefree" / "js-packages" /
                    "@fortawesome" / "fontawesome-free" / "webfonts" / "fa-solid-900.ttf"))


def glyph(name: str) -> str:
    """The letter of the solid font that draws icon `name` (ValueError as `outline`)."""
    outline(name)
    return chr(int(_metadata()[name]["unicode"], 16))


def close_icon_names(name: str, most: int = 5) -> list[str]:
    """The icons a template author most likely meant by `name`, best first: the icon an
    older Font Awesome name stands for now ("map-marker-alt": "location-dot"), the same
    words in another order ("info-circle": "circle-info"), then names spelled like it.
    Only for an unknown name: it reads Font Awesome's metadata (a few tens of ms)."""
    names = sorted(icon_names())
    words = sorted(name.split("-"))
    close = [*([_aliases()[name]] if name in _aliases() else []),
             *(other for other in names if sorted(other.split("-")) == words),
             *difflib.get_close_matches(name, names, n=most, cutoff=0.5)]
    return list(dict.fromkeys(other for other in close if other != name))[:most]


@cache
def _aliases() -> dict[str, str]:
    """Former names of the free solid icons (Font Awesome 4 and 5), to their names now."""
    try:
        icons = _metadata()
    except (OSError, ValueError):  # metadata left out of a trimmed install: spelling only
        return {}
    return {alias: name for name, entry in icons.items() if name in icon_names()
            for alias in entry.get("aliases", {}).get("names", [])}


@cache
def _metadata() -> dict[str, Any]:
    """Font Awesome's description of its icons (names, letters, former names): read once."""
    metadata = resources.files(PACKAGE) / "static" / "fontawesomefree" / "metadata"
    icons: dict[str, Any] = json.loads((metadata / "icons.json").read_bytes())
    return icons


def known_icon(name: str) -> str:
    """`name` if Font Awesome Free has a solid icon of that name; else a ValueError that
    says which names are close (for a template's validation: its problem, on its line)."""
    if name not in icon_names():
        raise ValueError(unknown_icon(name))
    return name


def unknown_icon(name: str) -> str:
    """What to say of an icon name the installed Font Awesome Free does not have."""
    close = close_icon_names(name)
    if not close:
        return _("there is no icon {name} in Font Awesome Free (solid); see "
                 "fontawesome.com/search?o=r&m=free&s=solid").format(name=quote(name))
    return _("there is no icon {name} in Font Awesome Free (solid); did you mean "
             "{names}?").format(name=quote(name), names=", ".join(close))


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

    drawing = svg2rlg(io.BytesIO((_solid_folder() / f"{name}.svg").read_bytes()))
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
