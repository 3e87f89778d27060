"""Prepress checks of print products: what a print shop's preflight would send back.

- Photos: the resolution a photo has at the size it is placed. Below 300 ppi it prints
  soft (a warning); below 150 ppi it prints blurred, with visible pixels (an error).
  Messages give the largest size the file prints at and the pixels it would need,
  and the usual cause: a photo sent through Zalo or Facebook, which shrink photos.
- Colours: a colour of the template or of the brand so light that every ink of it is
  under 3 % prints as specks or not at all (plates and presses do not hold such small
  dots evenly); one that prints no ink although it is not white comes out as paper.
  A light ink beside stronger ones is left alone: a pale tint made through the
  profile often has one (C8 M4 Y2), and losing it on press shifts the colour little.
"""

from __future__ import annotations

import math
from pathlib import Path

from toolkit.channels.print_pdf.template import PrintTemplate
from toolkit.content.model import AnyUnit
from toolkit.i18n import N_, _
from toolkit.problems import Problem, quote
from toolkit.render.colour import Inks, print_inks
from toolkit.render.picture import Picture
from toolkit.settings import SETTINGS_FILE, Settings
from toolkit.templates import TEMPLATES_DIR, toml_line

SHARP_PPI = 300  # what offset print asks of a photo at its printed size
LEAST_PPI = 150  # below this, pixels show
INK_FLOOR = 3  # percent: the smallest dot a plate and a press hold evenly
MM_PER_INCH = 25.4
POINTS_PER_INCH = 72
TEMPLATE_FILE = Path(TEMPLATES_DIR, "leaflets", "default.toml").as_posix()
WHITE = "#FFFFFF"
PHOTO_FIX = N_("use a photo of at least {width}×{height} pixels: the original from the camera "
               "or phone, not a copy sent through Zalo or Facebook (they make photos smaller)")


def photo_problems(unit: AnyUnit, picture: Picture, placed_width_pt: float,
                   placed_height_pt: float, field: str = "image") -> list[Problem]:
    """The unit's photo (`field`) placed `placed_width_pt` × `placed_height_pt` points:
    a warning below 300 ppi, an error below 150 ppi, each naming the file, its
    resolution there, the largest size it prints at, and the pixels it would need."""
    if placed_width_pt <= 0 or placed_height_pt <= 0:
        return []
    inches = (placed_width_pt / POINTS_PER_INCH, placed_height_pt / POINTS_PER_INCH)
    # Rounded down (a hair over, so 1000 pixels over 100 mm is the 254 ppi it is).
    ppi = math.floor(min(picture.original_width / inches[0],
                         picture.original_height / inches[1]) + 1e-6)
    if ppi >= SHARP_PPI:
        return []
    value = getattr(unit, field, None) or ""
    placed = _mm(placed_width_pt / POINTS_PER_INCH), _mm(placed_height_pt / POINTS_PER_INCH)
    fix = _(PHOTO_FIX).format(width=_pixels(inches[0]), height=_pixels(inches[1]))
    if ppi < LEAST_PPI:
        largest = _largest(picture, LEAST_PPI)
        what = _("{file} has only {ppi} ppi at the size it is placed ({width}×{height} mm), "
                 "too few to print: it prints at most {largest_width}×{largest_height} mm")
    else:
        largest = _largest(picture, SHARP_PPI)
        what = _("{file} has {ppi} ppi at the size it is placed ({width}×{height} mm) and "
                 "prints soft; it is sharp up to {largest_width}×{largest_height} mm")
    return [Problem(unit.source, unit.lines.get(field), field, what.format(
        file=quote(value), ppi=ppi, width=placed[0], height=placed[1],
        largest_width=largest[0], largest_height=largest[1]), fix,
        warning=ppi >= LEAST_PPI)]


def _mm(inches: float) -> int:
    return round(inches * MM_PER_INCH)


def _pixels(inches: float) -> int:
    """The pixels a side `inches` long needs to be sharp."""
    return math.ceil(round(inches * SHARP_PPI, 6))


def _largest(picture: Picture, ppi: int) -> tuple[int, int]:
    """The size in millimetres (rounded down) the picture prints at `ppi`."""
    return (int(picture.original_width / ppi * MM_PER_INCH),
            int(picture.original_height / ppi * MM_PER_INCH))


def tint_problems(template: PrintTemplate, settings: Settings,
                  project_dir: Path | None = None) -> list[Problem]:
    """A warning for each colour of the print products (the brand's in toolkit.toml, the
    template's) too light to print, on its line when `project_dir` has the file."""
    settings_text = _text(project_dir, SETTINGS_FILE)
    template_text = _text(project_dir, TEMPLATE_FILE)
    colours = [(SETTINGS_FILE, settings_text, ("brand", "primary"), settings.brand.primary),
               (SETTINGS_FILE, settings_text, ("brand", "accent"), settings.brand.accent),
               *((TEMPLATE_FILE, template_text, ("colours", name), value)
                 for name, value in template.colours.model_dump().items()
                 if isinstance(value, str))]
    problems = []
    for file, text, key, value in colours:
        what = _too_light(value)
        if what:
            problems.append(Problem(file, toml_line(text, key), ".".join(key), what, _(
                "choose a stronger colour (one ink at least {floor} %), or #FFFFFF for no "
                "ink").format(floor=INK_FLOOR), warning=True))
    return problems


def _too_light(value: str) -> str:
    """What is wrong with printing `value` (#RRGGBB), or "" when it prints well."""
    inks = print_inks(value)
    if not any(inks):
        if value.upper() == WHITE:
            return ""
        return _("{value} prints no ink at all: it comes out as the white of the "
                 "paper").format(value=quote(value))
    if max(inks) < INK_FLOOR:
        return _("{value} prints as {inks}, too light to print evenly: every ink is under "
                 "{floor} %").format(value=quote(value), inks=_ink_names(inks),
                                     floor=INK_FLOOR)
    return ""


def _ink_names(inks: Inks) -> str:
    """Inks as a print shop writes them: C1 M0 Y0 K0."""
    return " ".join(f"{name}{value}" for name, value in zip("CMYK", inks, strict=True))


def _text(project_dir: Path | None, relative: str) -> str:
    """The text of a project's file, for the lines of its keys ("" when there is none)."""
    if project_dir is None:
        return ""
    try:
        return (project_dir / relative).read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return ""
