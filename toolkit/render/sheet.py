"""A print-ready PDF sheet: exact trim, bleed, crop marks, TrimBox and BleedBox.

ReportLab's crop marks widen the page by a border on every side and move the
origin to the trim corner, so drawing at (0, 0) is drawing at the trim; a
background that must run into the bleed is drawn from (-bleed, -bleed). The
boxes are given in final page coordinates, offset by that border.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from types import SimpleNamespace

from reportlab.lib.colors import Color
from reportlab.pdfgen.canvas import Canvas

from toolkit.render.colour import mark_colour

MM = 72 / 25.4
# Room around the trim for crop marks (ReportLab's default), and their length:
# a mark starts at the page edge and stops this far from the trim, past the bleed.
CROP_BORDER = 36.0
CROP_MARK = 18.0
FOLD_MARK = 10.0


@dataclass(frozen=True)
class Sheet:
    """A page's trim size and bleed, in points."""

    width: float
    height: float
    bleed: float


def open_canvas(out: io.BytesIO, sheet: Sheet, font: str, cmyk: bool) -> Canvas:
    """A canvas for the sheet: invariant bytes, our font from the start, optional CMYK."""
    b, w, h, bleed = CROP_BORDER, sheet.width, sheet.height, sheet.bleed
    marks = SimpleNamespace(borderWidth=b, markLength=CROP_MARK, markWidth=0.25, bleedWidth=0,
                            markColor=mark_colour(cmyk), markLast=1)
    return Canvas(out, pagesize=(w, h), cropMarks=marks, invariant=1, initialFontName=font,
                  trimBox=(b, b, b + w, b + h),
                  bleedBox=(b - bleed, b - bleed, b + w + bleed, b + h + bleed),
                  enforceColorSpace="cmyk" if cmyk else None)


def fill(canvas: Canvas, colour: Color, x: float, y: float, width: float, height: float) -> None:
    """A filled rectangle without an outline."""
    canvas.saveState()
    canvas.setFillColor(colour)
    canvas.rect(x, y, width, height, stroke=0, fill=1)
    canvas.restoreState()


def fold_marks(canvas: Canvas, sheet: Sheet, xs: list[float], cmyk: bool) -> None:
    """Short dashed lines at each fold, above and below the bleed, outside the trim."""
    canvas.saveState()
    canvas.setStrokeColor(mark_colour(cmyk))
    canvas.setLineWidth(0.25)
    canvas.setDash(2, 2)
    top, bottom = sheet.height + sheet.bleed + 3, -sheet.bleed - 3
    for x in xs:
        canvas.line(x, top, x, top + FOLD_MARK)
        canvas.line(x, bottom, x, bottom - FOLD_MARK)
    canvas.restoreState()


def preview_png(pdf: bytes, dpi: int) -> list[bytes]:
    """A PNG of each page, cut to the trim (as the reader will hold it)."""
    import pypdfium2

    document = pypdfium2.PdfDocument(pdf)
    try:
        return [_png(page.render(scale=dpi / 72, crop=(CROP_BORDER,) * 4).to_pil())
                for page in document]
    finally:
        document.close()


def _png(image: object) -> bytes:
    out = io.BytesIO()
    image.save(out, format="PNG", compress_level=1)  # type: ignore[attr-defined]
    return out.getvalue()
