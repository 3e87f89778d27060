"""The print template, templates/leaflets/*.toml: one file for the leaflet and the posters.

Lengths are in millimetres, type sizes in points; the brand colours come from
toolkit.toml, the ones here are for text and paper.
"""

from __future__ import annotations

from pathlib import Path
from typing import Final, Literal

from pydantic import Field, ValidationInfo, field_validator
from pydantic_core import PydanticCustomError

from toolkit.i18n import _
from toolkit.templates import Colours, Fonts, Icon, Strict, Template

# The PDF/X standards a print file follows (toolkit/render/sheet.py says what each asks).
PDFX4: Final = "PDF/X-4"
PDFX1A: Final = "PDF/X-1a:2003"


class PrintFonts(Fonts):
    """Font files for the four weights the layouts use."""

    italic: str
    heavy: str


class PrintColours(Colours):
    """Text, paper and tint colours; brand colours come from toolkit.toml."""

    tint: str = Field(pattern=r"^#[0-9A-Fa-f]{6}$")


class Output(Strict):
    """The PDF/X standard, colour space, bleed and preview resolution.

    CMYK by default, as print shops expect: the colours are separated here, through
    the printing condition's profile, with black text on the black plate alone. RGB
    (sRGB, left for the print shop to convert) is allowed in PDF/X-4 only; PDF/X-1a
    is CMYK or nothing, and saying `cmyk = false` with it is a mistake to report."""

    standard: Literal["PDF/X-4", "PDF/X-1a:2003"] = PDFX4
    cmyk: bool = True
    bleed_mm: float = Field(3, ge=0, le=10)
    preview_dpi: int = Field(150, ge=20, le=300)

    @field_validator("cmyk")
    @classmethod
    def _x1a_is_cmyk(cls, value: bool, info: ValidationInfo) -> bool:
        if not value and info.data.get("standard") == PDFX1A:
            raise PydanticCustomError("refused", "{what}", {
                "what": _("PDF/X-1a:2003 files are CMYK only"),
                "fix": _('write cmyk = true, or standard = "PDF/X-4" to keep RGB')})
        return value


class PanelPlan(Strict):
    """What each panel of a leaflet holds, for one kind of unit."""

    cover: tuple[str, ...]
    back: tuple[str, ...]
    flap: tuple[str, ...]
    inside: tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]


class Leaflet(Strict):
    """The tri-fold leaflet: size, fold, type sizes and a panel plan per kind.

    `body_pt` is the ceiling of the body size (each panel is set as large as fits,
    down to `min_body_pt`) and `heading_pt` the headings' size at that ceiling: they
    shrink with the body."""

    width_mm: float = Field(gt=0)
    height_mm: float = Field(gt=0)
    tuck_in_mm: float = Field(ge=0, le=10)
    margin_mm: float = Field(ge=0)
    title_pt: float = Field(gt=0)
    title_min_pt: float = Field(gt=0)
    title_alone_pt: float = Field(34, gt=0)  # the cover's title when the summary is inside
    heading_pt: float = Field(gt=0)
    body_pt: float = Field(gt=0)
    display_pt: float = Field(14, gt=0)  # the ceiling of a panel of cards, QR code, pictures
    min_body_pt: float = Field(ge=6)
    step_pt: float = Field(gt=0)
    leading: float = Field(ge=1, le=2)
    block_gap: float = Field(1.1, ge=0)  # between blocks, over the body size
    rhythm: float = Field(3, ge=0)  # the most a gap grows to fill a panel, over the body size
    qr_mm: float = Field(48, gt=0)
    facts: tuple[str, ...] = ()  # short fields set as cards: pictogram, label, value
    cards: tuple[str, ...] = ()  # lists whose items are set as cards
    icons: dict[str, Icon] = Field(default_factory=dict)  # block name: Font Awesome icon
    procedure: PanelPlan
    example: PanelPlan
    notice: PanelPlan


class Poster(Strict):
    """Posters: sizes, and type sizes for A3 (a poster scales with its width)."""

    sizes: dict[str, tuple[float, float]]  # none: no posters
    margin_mm: float = Field(ge=0)
    band_mm: float = Field(34, gt=0)  # the band of brand colour at the top
    masthead_pt: float = Field(26, gt=0)  # the organisation's name on it
    title_pt: float = Field(gt=0)
    title_min_pt: float = Field(gt=0)
    summary_pt: float = Field(gt=0)
    points_pt: float = Field(gt=0)
    points_min_pt: float = Field(gt=0)
    max_points: int = Field(ge=0)
    point_icon: Icon = "circle-check"  # before each key point that is not a step
    hotline_pt: float = Field(gt=0)
    qr_mm: float = Field(gt=0)
    caption: str


class PrintTemplate(Template):
    """templates/leaflets/*.toml: everything about the look of print products."""

    fonts: PrintFonts
    colours: PrintColours
    output: Output
    leaflet: Leaflet
    poster: Poster
    labels: dict[str, str] = Field(default_factory=dict)

    def icon_files(self) -> tuple[Path, ...]:
        """The SVG files of the pictograms the products draw: among what they read, so
        that another Font Awesome release makes them again."""
        from toolkit.render.icons import icon_file

        names = {*self.leaflet.icons.values(), self.poster.point_icon}
        return tuple(icon_file(name) for name in sorted(names))
