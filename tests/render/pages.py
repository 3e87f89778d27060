"""One-page PDFs drawn for a test, and how pdfium paints them (the print tests' shared helpers)."""

from __future__ import annotations

import io
from collections.abc import Callable

import pypdfium2
from PIL import Image
from reportlab.lib.colors import Color
from reportlab.pdfgen.canvas import Canvas


def page(draw: Callable[[Canvas], None], size: tuple[float, float],
         background: Color | None = None) -> bytes:
    """A one-page PDF with what `draw` puts on it, on a sheet of `background` if given."""
    out = io.BytesIO()
    canvas = Canvas(out, pagesize=size)
    if background is not None:
        canvas.setFillColor(background)
        canvas.rect(0, 0, *size, stroke=0, fill=1)
    draw(canvas)
    canvas.showPage()
    canvas.save()
    return out.getvalue()


def rendered(pdf: bytes, dpi: int) -> Image.Image:
    """The first page as pdfium paints it, at `dpi`."""
    return pypdfium2.PdfDocument(pdf)[0].render(scale=dpi / 72).to_pil().convert("RGB")
