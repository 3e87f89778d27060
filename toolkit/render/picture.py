"""Pictures for print: decoded in full, upright, in RGB, no larger than print needs.

What phones and offices send: a photo held in portrait is stored sideways with an
EXIF orientation (applied here, so it is not placed sideways); JPEGs in CMYK;
files cut short by a failed copy; pictures too large to decode safely. Each of
these is a BadPicture naming what is wrong, never an exception from Pillow. The
loader has already checked the path and the first bytes
(`toolkit/content/pictures.py`).
"""

from __future__ import annotations

import io
import struct
import warnings
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageOps

from toolkit.content.pictures import CONVERT_FIX, BadPicture
from toolkit.i18n import N_, _
from toolkit.problems import quote

# Pillow's names of the formats print takes (MPO: a JPEG with a second picture in
# it, as some phones save their photos).
PILLOW_FORMATS = frozenset({"JPEG", "MPO", "PNG", "WEBP"})
# The long side a placed picture is kept at: 300 dpi across a whole leaflet panel
# (about 90 mm) needs 1063 pixels; this leaves room for a wider block.
PRINT_LONG_SIDE = 1600
JPEG_QUALITY = 90
AGAIN_FIX = N_("copy the picture again from the camera or whoever sent it, or use another one")
# What Pillow's decoders raise on a damaged file: each format's own kinds of error.
DECODE_ERRORS = (OSError, SyntaxError, ValueError, EOFError, IndexError, KeyError, TypeError,
                 ZeroDivisionError, struct.error)


@dataclass(frozen=True)
class Picture:
    """A picture ready to place: its bytes (JPEG, or PNG where it has transparency),
    or None where only its size is needed (a layout proof), and its size in pixels."""

    data: bytes | None
    width: int
    height: int


def print_picture(path: Path, value: str, proof: bool = False) -> Picture:
    """The picture at `path` (`value` as the editor wrote it, for messages), decoded in
    full and made ready for print; with `proof`, decoded and measured only."""
    image = _decoded(path, value)
    if proof:
        return Picture(None, image.width, image.height)
    out = io.BytesIO()
    if image.mode == "RGBA":
        image.save(out, format="PNG")
    else:
        image.save(out, format="JPEG", quality=JPEG_QUALITY)
    return Picture(out.getvalue(), image.width, image.height)


def _decoded(path: Path, value: str) -> Image.Image:
    """Every pixel read (so a file cut short is found), turned upright, in RGB or RGBA,
    at most PRINT_LONG_SIDE pixels on its long side."""
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            with Image.open(path) as image:
                if image.format not in PILLOW_FORMATS:
                    raise BadPicture(_("{value} is in the {format} format; print takes JPEG, "
                                       "PNG or WebP").format(value=quote(value),
                                                             format=image.format),
                                     _(CONVERT_FIX))
                # A JPEG is decoded at the smallest scale still large enough (quicker, and
                # every byte of it is still read); anything is made small before it is
                # turned and converted, so a phone's 12 megapixels are never copied.
                image.draft("RGB", _fitting(image.size))
                image.load()
                image.thumbnail((PRINT_LONG_SIDE, PRINT_LONG_SIDE), Image.Resampling.LANCZOS)
                upright = ImageOps.exif_transpose(image)
                return upright.convert("RGBA" if _transparent(upright) else "RGB")
        except (Image.DecompressionBombError, Image.DecompressionBombWarning, MemoryError):
            raise BadPicture(_("{value} has too many pixels to read safely").format(
                value=quote(value)), _("make it smaller: 2000 pixels on the long side is "
                                         "plenty for a leaflet")) from None
        except DECODE_ERRORS as err:
            raise _damaged(value, err) from None


def _fitting(size: tuple[int, int]) -> tuple[int, int]:
    """`size` scaled down to PRINT_LONG_SIDE on its long side, its proportions kept."""
    scale = min(1.0, PRINT_LONG_SIDE / max(size))
    return max(1, round(size[0] * scale)), max(1, round(size[1] * scale))


def _transparent(image: Image.Image) -> bool:
    """True when some of the picture is see-through (a logo on no background)."""
    return image.mode in ("RGBA", "LA", "PA", "La", "RGBa") or "transparency" in image.info


def _damaged(value: str, err: Exception) -> BadPicture:
    """What a decoding error means to the editor: a file cut short, or a damaged one."""
    message = str(err).lower()
    if isinstance(err, EOFError) or "truncated" in message or "broken data stream" in message:
        return BadPicture(_("{value} is cut short (the file is incomplete)").format(
            value=quote(value)), _(AGAIN_FIX))
    return BadPicture(_("{value} is damaged and cannot be read as a picture").format(
        value=quote(value)), _(AGAIN_FIX))
