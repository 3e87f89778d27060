"""Colours from #RRGGBB, as ReportLab wants them: RGB on screen, CMYK for offset print."""

from __future__ import annotations

from reportlab.lib.colors import CMYKColor, Color, HexColor

# What crop and fold marks are printed in: every plate, so they show on each.
REGISTRATION = CMYKColor(1, 1, 1, 1)


def pdf_colour(hex_colour: str, cmyk: bool) -> Color:
    """A colour for ReportLab; in CMYK by the usual uncalibrated conversion."""
    rgb = HexColor(hex_colour)
    if not cmyk:
        return rgb
    r, g, b = rgb.red, rgb.green, rgb.blue
    k = 1 - max(r, g, b)
    if k >= 1:
        return CMYKColor(0, 0, 0, 1)
    return CMYKColor((1 - r - k) / (1 - k), (1 - g - k) / (1 - k), (1 - b - k) / (1 - k), k)


def mark_colour(cmyk: bool) -> Color:
    """The colour of crop and fold marks."""
    return REGISTRATION if cmyk else HexColor("#000000")
