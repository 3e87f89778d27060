"""Colours for print: sRGB #RRGGBB as ReportLab draws them, in RGB or in the CMYK of
the printing condition, and pictures converted to the same space.

CMYK comes from LittleCMS (Pillow's ImageCms) through the shipped profiles, sRGB to
FOGRA39 (`icc/`), never from `k = 1 - max(r, g, b)`. The intent is relative
colorimetric with black point compensation: colours the press can print stay as they
are (paper white is white, no ink), those it cannot come to the nearest it can, and
the darkest sRGB shades stay apart instead of clipping into one black. (The FOGRA39
profile has colorimetric tables only: asking it for perceptual gives the same.)

Two rules go before the profile, because a separation is not only a colour match:

- Black text: a colour that is near-neutral (chroma C*ab at most 8) and very dark
  (L* at most 25), such as the body text #1F2328, is 100 % K alone. Through the
  profile it would be four inks (C65 M53 Y43 K87 for #1F2328): small type on four
  plates blurs at the slightest misregister, and the inks would pile on the paper.
- Greys: a colour with no visible hue (chroma at most 2.5) is K alone, as light as
  the profile's conversion would print it (a grey rule or caption on one plate).

A conversion is made once per colour (cached) with transforms built once per process:
a leaflet takes milliseconds and must not build a transform for each colour it sets.
Inks are whole percentages, as a designer gives them and a print shop reads them.
What is pure K (text, rules, a QR code) is drawn overprinted by the sheet's canvas
(`toolkit/render/sheet.py`); a large black area takes the template's rich black.
"""

from __future__ import annotations

import io
from functools import cache, lru_cache
from pathlib import Path

from PIL import Image, ImageCms
from reportlab.lib.colors import CMYKColor, Color, HexColor

ICC = Path(__file__).parent / "icc"
SRGB_PROFILE = "sRGB.icc"
# The printing condition of the OutputIntent, with the finer colour-to-ink tables that
# separations are made with (the embedded one has the same ink-to-colour tables, smaller).
CMYK_PROFILE = "FOGRA39L_coated_separation.icc"
INTENT = ImageCms.Intent.RELATIVE_COLORIMETRIC
FLAGS = ImageCms.Flags.BLACKPOINTCOMPENSATION

# What crop and fold marks are printed in: every plate, so they show on each.
REGISTRATION = CMYKColor(1, 1, 1, 1)
PURE_BLACK = (0, 0, 0, 100)
# The rules before the profile (module docstring): a near-black or a grey is K alone.
NEAR_BLACK_LIGHTNESS = 25.0
NEAR_BLACK_CHROMA = 8.0
GREY_CHROMA = 2.5

Inks = tuple[int, int, int, int]  # C, M, Y, K in whole percent


def pdf_colour(hex_colour: str, cmyk: bool) -> Color:
    """A colour for ReportLab: the sRGB colour itself, or its inks in the printing
    condition (`print_inks`)."""
    if not cmyk:
        return HexColor(hex_colour)
    return _ink_colour(print_inks(hex_colour))


@lru_cache(maxsize=256)
def print_inks(hex_colour: str) -> Inks:
    """The C, M, Y and K (whole percent) that print `hex_colour`: 100 % K for a near-black,
    K alone for a grey, the profile's conversion for any other colour."""
    lightness, a, b = _lab(_rgb(hex_colour))
    chroma = (a * a + b * b) ** 0.5
    if lightness <= NEAR_BLACK_LIGHTNESS and chroma <= NEAR_BLACK_CHROMA:
        return PURE_BLACK
    managed = _managed_inks(_rgb(hex_colour))
    if chroma <= GREY_CHROMA:
        return (0, 0, 0, _k_as_light_as(managed))
    return managed


def mark_colour(cmyk: bool) -> Color:
    """The colour of crop and fold marks."""
    return REGISTRATION if cmyk else HexColor("#000000")


def is_pure_black(colour: object) -> bool:
    """True for a CMYK colour of 100 % K and no other ink, fully opaque: what overprints."""
    return (isinstance(colour, CMYKColor)
            and (colour.cyan, colour.magenta, colour.yellow, colour.black) == (0, 0, 0, 1)
            and colour.density == 1 and colour.alpha == 1)


# --- pictures ----------------------------------------------------------------


def picture_to_output(image: Image.Image, cmyk: bool) -> Image.Image:
    """An RGB or CMYK picture (its own ICC profile, if it has one, in `info`) in the
    output space: FOGRA39 CMYK, or sRGB. A picture without a profile is taken as sRGB
    (RGB) or as already for this printing condition (CMYK: a print shop's separation,
    kept as it is). The result carries no profile: the PDF says what its space is."""
    source = _embedded_profile(image)
    if image.mode == "CMYK":
        if cmyk:
            return image if source is None else _apply(image, source, "CMYK", CMYK_PROFILE, "CMYK")
        return _apply(image, source or CMYK_PROFILE, "CMYK", SRGB_PROFILE, "RGB")
    if cmyk:
        return _apply(image, source or SRGB_PROFILE, "RGB", CMYK_PROFILE, "CMYK")
    return image if source is None else _apply(image, source, "RGB", SRGB_PROFILE, "RGB")


def flattened(image: Image.Image, background: str, cmyk: bool) -> Image.Image:
    """An RGBA picture laid on the colour `background` (#RRGGBB): opaque, in the output
    space, its edges blended with the exact colour the page has there (in CMYK, the
    same inks `pdf_colour` gives), so no box shows around it."""
    alpha = image.getchannel("A")
    picture = picture_to_output(image.convert("RGB"), cmyk)
    if cmyk:
        ground = Image.new("CMYK", image.size,
                           tuple(round(v * 2.55) for v in print_inks(background)))
    else:
        ground = Image.new("RGB", image.size, background)
    return Image.composite(picture, ground, alpha)


# --- the conversions --------------------------------------------------------


def _ink_colour(inks: Inks) -> CMYKColor:
    c, m, y, k = inks
    return CMYKColor(c / 100, m / 100, y / 100, k / 100)


def _rgb(hex_colour: str) -> tuple[int, int, int]:
    value = hex_colour.lstrip("#")
    return int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16)


def _managed_inks(rgb: tuple[int, int, int]) -> Inks:
    """The profile's conversion of one sRGB colour, in whole percent."""
    pixel = _apply(Image.new("RGB", (1, 1), rgb), SRGB_PROFILE, "RGB", CMYK_PROFILE,
                   "CMYK").getpixel((0, 0))
    c, m, y, k = (round(v / 2.55) for v in pixel)  # type: ignore[union-attr]
    return c, m, y, k


def _lab(rgb: tuple[int, int, int]) -> tuple[float, float, float]:
    """CIE L*a*b* (D50) of an sRGB colour."""
    pixel = ImageCms.applyTransform(Image.new("RGB", (1, 1), rgb), _srgb_to_lab())
    assert pixel is not None
    lightness, a, b = pixel.getpixel((0, 0))  # type: ignore[misc]
    return lightness / 2.55, _signed(a), _signed(b)


def _signed(value: int) -> int:
    """Pillow's LAB mode keeps a* and b* offset by 128."""
    return value - 128


def _k_as_light_as(inks: Inks) -> int:
    """The K alone (whole percent) that prints as light as `inks` do."""
    target = _printed_lightness(inks)
    ramp = _k_ramp()
    for k in range(101):
        if ramp[k] <= target:
            if k == 0:
                return 0
            darker, lighter = ramp[k], ramp[k - 1]
            return k if lighter == darker else round(k - (target - darker) / (lighter - darker))
    return 100


def _printed_lightness(inks: Inks) -> float:
    pixel = ImageCms.applyTransform(Image.new("CMYK", (1, 1), _ink_bytes(inks)),
                                    _cmyk_to_lab())
    assert pixel is not None
    return float(pixel.getpixel((0, 0))[0]) / 2.55  # type: ignore[index]


@cache
def _k_ramp() -> tuple[float, ...]:
    """L* of K alone at 0, 1 ... 100 %, as the profile prints it."""
    ramp = Image.new("CMYK", (101, 1))
    ramp.putdata([(0, 0, 0, round(k * 2.55)) for k in range(101)])
    printed = ImageCms.applyTransform(ramp, _cmyk_to_lab())
    assert printed is not None
    return tuple(printed.getpixel((k, 0))[0] / 2.55 for k in range(101))  # type: ignore[index]


def _ink_bytes(inks: Inks) -> tuple[int, int, int, int]:
    c, m, y, k = (round(v * 2.55) for v in inks)
    return c, m, y, k


def _embedded_profile(image: Image.Image) -> bytes | None:
    """The picture's own ICC profile when it has a usable one for its mode."""
    data = image.info.get("icc_profile")
    if not data:
        return None
    try:
        profile = ImageCms.ImageCmsProfile(io.BytesIO(data))
    except (OSError, ImageCms.PyCMSError):
        return None  # damaged: the picture is taken as having none
    wanted = {"RGB": "RGB ", "CMYK": "CMYK"}.get(image.mode)
    return bytes(data) if profile.profile.xcolor_space == wanted else None


def _apply(image: Image.Image, source: str | bytes, source_mode: str, target: str,
           target_mode: str) -> Image.Image:
    """`image` through the transform from profile `source` (a shipped file's name or a
    picture's own bytes) to `target`; its info (and any profile in it) left behind."""
    try:
        transform = _transform(source, source_mode, target, target_mode)
    except (OSError, ImageCms.PyCMSError):
        if not isinstance(source, bytes):
            raise
        default = SRGB_PROFILE if source_mode == "RGB" else CMYK_PROFILE
        transform = _transform(default, source_mode, target, target_mode)
    converted = ImageCms.applyTransform(image, transform)
    assert converted is not None
    converted.info = {}
    return converted


@lru_cache(maxsize=8)
def _transform(source: str | bytes, source_mode: str, target: str,
               target_mode: str) -> ImageCms.ImageCmsTransform:
    """A transform built once per process (per picture profile met)."""
    return ImageCms.buildTransform(_profile(source), _profile(target), source_mode,
                                   target_mode, renderingIntent=INTENT, flags=FLAGS)


@cache
def _srgb_to_lab() -> ImageCms.ImageCmsTransform:
    return ImageCms.buildTransform(_profile(SRGB_PROFILE), ImageCms.createProfile("LAB"),
                                   "RGB", "LAB", renderingIntent=INTENT)


@cache
def _cmyk_to_lab() -> ImageCms.ImageCmsTransform:
    return ImageCms.buildTransform(_profile(CMYK_PROFILE), ImageCms.createProfile("LAB"),
                                   "CMYK", "LAB", renderingIntent=INTENT)


def _profile(source: str | bytes) -> ImageCms.ImageCmsProfile:
    if isinstance(source, bytes):
        return ImageCms.ImageCmsProfile(io.BytesIO(source))
    return _shipped_profile(source)


@cache
def _shipped_profile(name: str) -> ImageCms.ImageCmsProfile:
    """A shipped profile, read into memory: LittleCMS reads a profile opened by its path
    lazily, through a file a build's forked workers would share (and garble)."""
    return ImageCms.ImageCmsProfile(io.BytesIO((ICC / name).read_bytes()))
