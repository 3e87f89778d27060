"""QR codes: ReportLab's encoder, drawn as one path of dark runs.

Encoding picks the best of eight masks, which is slow; a link is encoded once
per process. The modules (True for dark) serve a PDF or a raster frame alike.
"""

from __future__ import annotations

import itertools
from functools import cache

from reportlab.graphics.barcode import qrencoder
from reportlab.lib.colors import Color
from reportlab.platypus import Flowable

QUIET_ZONE = 4  # modules of white around the code, as the standard asks


@cache
def qr_modules(value: str) -> tuple[tuple[bool, ...], ...]:
    """The dark (True) and light modules of a QR code for `value`, error correction M."""
    code = qrencoder.QRCode(None, qrencoder.QRErrorCorrectLevel.M)
    code.addData(value)
    code.make()
    return tuple(tuple(bool(m) for m in row) for row in code.modules)


class QrCode(Flowable):
    """A QR code `side` points square, quiet zone included."""

    def __init__(self, value: str, side: float, colour: Color) -> None:
        super().__init__()
        self.modules = qr_modules(value)
        self.side = side
        self.colour = colour

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        return self.side, self.side

    def draw(self) -> None:
        count = len(self.modules)
        box = self.side / (count + 2 * QUIET_ZONE)
        path = self.canv.beginPath()
        for r, row in enumerate(self.modules):
            column = 0
            for dark, run in itertools.groupby(row):
                length = len(list(run))
                if dark:
                    path.rect((column + QUIET_ZONE) * box,
                              self.side - (r + QUIET_ZONE + 1) * box, length * box, box)
                column += length
        self.canv.saveState()
        self.canv.setFillColor(self.colour)
        self.canv.drawPath(path, stroke=0, fill=1)
        self.canv.restoreState()
