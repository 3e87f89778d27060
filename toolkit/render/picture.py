"""Pictures for print: decoded in full, upright, in the output's colour space, no
larger than print needs, their original size kept (to tell their resolution where
they are placed: `toolkit/channels/print_pdf/prepress.py`); and the photo of a
video's title card, read the same way, in sRGB.

What phones and offices send: a photo held in portrait is stored sideways with an
EXIF orientation (applied here, so it is not placed sideways); JPEGs in CMYK
(a print shop's, kept as they are when they have no profile of their own); photos
with a profile of their own (Display P3 from iPhones, Adobe RGB from cameras),
converted through it; logos with transparency, which PDF/X-1a does not allow
(flattened onto the colour they stand on); files cut short by a failed copy;
pictures too large to decode safely. Each of these is a BadPicture naming what is
wrong, never an exception from Pillow. The loader has already checked the path and
the first bytes (`toolkit/content/pictures.py`).

What is placed: a JPEG (RGB or CMYK) for a photo; for a picture with transparency,
a PNG that keeps it (RGB), or once flattened, a lossless PNG (RGB) or TIFF (CMYK),
so a logo's edges stay sharp.
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
from toolkit.render.colour import flattened, picture_to_output

# Pillow's names of the formats print takes (MPO: a JPEG with a second picture in
# it, as some phones save their photos).
PILLOW_FORMATS = frozenset({"JPEG", "MPO", "PNG", "WEBP"})
# The long side a placed picture is kept at: 300 dpi across a whole leaflet panel
# (about 90 mm) needs 1063 pixels; this leaves room for a wider block.
PRINT_LONG_SIDE = 2600  # 300 ppi over 220 mm: a leaflet panel's height, bleed and all
JPEG_QUALITY = 90
EXIF_ORIENTATION = 0x0112
AGAIN_FIX = N_("copy the picture again from the camera or whoever sent it, or use another one")
# What Pillow's decoders raise on a damaged file: each format's own kinds of error.
DECODE_ERRORS = (OSError, SyntaxError, ValueError, EOFError, IndexError, KeyError, TypeError,
                 ZeroDivisionError, struct.error)


@dataclass(frozen=True)
class Picture:
    """A picture ready to place: its bytes, or None where only its size is needed (a
    layout proof); its size in pixels as placed, and as the file has it (upright), which
    says how large it can print sharp."""

    data: bytes | None
    width: int
    height: int
    original_width: int
    original_height: int


def print_picture(path: Path, value: str, proof: bool = False, *, cmyk: bool = False,
                  background: str | None = None, aspect: float | None = None) -> Picture:
    """The picture at `path` (`value` as the editor wrote it, for messages), decoded in
    full and made ready for print; with `proof`, decoded and measured only.

    `cmyk`: in the CMYK of the printing condition (else sRGB). `background`: the colour
    (#RRGGBB) the picture stands on, which its transparent parts are flattened onto, as
    PDF/X-1a needs; without it transparency is kept (in RGB, which PDF/X-4 allows).
    `aspect` (width over height): cut to that shape about its middle, as a picture that
    covers a panel shows it, and kept at PRINT_LONG_SIDE over what is left."""
    image, original = _decoded(path, value, aspect)
    if proof:
        return Picture(None, image.width, image.height, *original)
    return Picture(_encoded(image, cmyk, background), image.width, image.height, *original)


def screen_picture(path: Path, value: str, aspect: float) -> Image.Image:
    """The picture at `path` for a video frame: read as print reads it (upright, checked
    in full), cut to `aspect` about its middle, in sRGB, transparent parts on white."""
    image, _ = _decoded(path, value, aspect)
    if image.mode == "RGBA":
        return flattened(image, "#FFFFFF", cmyk=False).convert("RGB")
    return picture_to_output(image, cmyk=False).convert("RGB")


def _encoded(image: Image.Image, cmyk: bool, background: str | None) -> bytes:
    """The bytes placed: a photo as a JPEG in the output space; a picture with
    transparency flattened losslessly onto `background`, or kept as an RGB PNG."""
    out = io.BytesIO()
    if image.mode != "RGBA":
        picture_to_output(image, cmyk).save(out, format="JPEG", quality=JPEG_QUALITY)
    elif background is None:
        _srgb_with_alpha(image).save(out, format="PNG")
    else:
        _save_lossless(flattened(image, background, cmyk), out)
    return out.getvalue()


def _srgb_with_alpha(image: Image.Image) -> Image.Image:
    """An RGBA picture with its colours in sRGB (through its own profile, if any)."""
    colours = picture_to_output(image.convert("RGB"), cmyk=False)
    colours.putalpha(image.getchannel("A"))
    return colours


def _save_lossless(image: Image.Image, out: io.BytesIO) -> None:
    """PNG for RGB; TIFF (deflated) for CMYK, which PNG cannot hold."""
    if image.mode == "CMYK":
        image.save(out, format="TIFF", compression="tiff_adobe_deflate")
    else:
        image.save(out, format="PNG")


def _decoded(path: Path, value: str,
             aspect: float | None = None) -> tuple[Image.Image, tuple[int, int]]:
    """Every pixel read (so a file cut short is found), turned upright, in RGB, RGBA or
    CMYK (its profile, if any, still in its info), cut to `aspect` if given, at most
    PRINT_LONG_SIDE pixels on its long side; and the file's own size in pixels, upright
    (of the part kept, when cut)."""
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            with Image.open(path) as image:
                if image.format not in PILLOW_FORMATS:
                    raise BadPicture(_("{value} is in the {format} format; print takes JPEG, "
                                       "PNG or WebP").format(value=quote(value),
                                                             format=image.format),
                                     _(CONVERT_FIX))
                original = _upright_size(image)
                kept = _cut(original, aspect)
                # A JPEG is decoded at the smallest scale still large enough (quicker, and
                # every byte of it is still read); anything is made small before it is
                # turned and converted, so a phone's 12 megapixels are never copied.
                longest = round(PRINT_LONG_SIDE * max(original) / max(kept))
                image.draft("RGB", _fitting(image.size, longest))
                image.load()
                image.thumbnail((longest, longest), Image.Resampling.LANCZOS)
                upright = _middle(ImageOps.exif_transpose(image), aspect)
                original = kept
                if upright.mode == "CMYK":
                    return upright, original
                return upright.convert("RGBA" if _transparent(upright) else "RGB"), original
        except (Image.DecompressionBombError, Image.DecompressionBombWarning, MemoryError):
            raise BadPicture(_("{value} has too many pixels to read safely").format(
                value=quote(value)), _("make it smaller: 2000 pixels on the long side is "
                                         "plenty for a leaflet")) from None
        except DECODE_ERRORS as err:
            raise _damaged(value, err) from None


def _upright_size(image: Image.Image) -> tuple[int, int]:
    """The picture's size in pixels as it is seen: its EXIF orientation (a phone held
    upright stores the photo sideways) swaps width and height."""
    width, height = image.size
    turned = image.getexif().get(EXIF_ORIENTATION) in (5, 6, 7, 8)
    return (height, width) if turned else (width, height)


def _fitting(size: tuple[int, int], longest: int = PRINT_LONG_SIDE) -> tuple[int, int]:
    """`size` scaled down to `longest` on its long side, its proportions kept."""
    scale = min(1.0, longest / max(size))
    return max(1, round(size[0] * scale)), max(1, round(size[1] * scale))


def _cut(size: tuple[int, int], aspect: float | None) -> tuple[int, int]:
    """The largest part of a picture `size` big that has the shape `aspect`."""
    if aspect is None:
        return size
    width, height = size
    if width / height > aspect:
        return max(1, round(height * aspect)), height
    return width, max(1, round(width / aspect))


def _middle(image: Image.Image, aspect: float | None) -> Image.Image:
    """The middle of the picture, cut to the shape `aspect` (the picture if None)."""
    width, height = _cut(image.size, aspect)
    left, top = (image.width - width) // 2, (image.height - height) // 2
    return image if (width, height) == image.size else \
        image.crop((left, top, left + width, top + height))


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
