"""The print template, templates/leaflets/*.toml: one file for the leaflet and the posters.

Lengths are in millimetres, type sizes in points; the brand colours come from
toolkit.toml, the ones here are for text and paper.
"""

from __future__ import annotations

from pydantic import Field

from toolkit.templates import Colours, Fonts, Strict, Template


class PrintFonts(Fonts):
    """Font files for the four weights the layouts use."""

    italic: str
    heavy: str


class PrintColours(Colours):
    """Text, paper and tint colours; brand colours come from toolkit.toml."""

    tint: str = Field(pattern=r"^#[0-9A-Fa-f]{6}$")


class Output(Strict):
    """Colour space, bleed and preview resolution."""

    cmyk: bool = False
    bleed_mm: float = Field(3, ge=0, le=10)
    preview_dpi: int = Field(150, ge=20, le=300)


class PanelPlan(Strict):
    """What each panel of a leaflet holds, for one kind of unit."""

    cover: tuple[str, ...]
    back: tuple[str, ...]
    flap: tuple[str, ...]
    inside: tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]


class Leaflet(Strict):
    """The tri-fold leaflet: size, fold, type sizes and a panel plan per kind."""

    width_mm: float = Field(gt=0)
    height_mm: float = Field(gt=0)
    tuck_in_mm: float = Field(ge=0, le=10)
    margin_mm: float = Field(ge=0)
    title_pt: float = Field(gt=0)
    title_min_pt: float = Field(gt=0)
    heading_pt: float = Field(gt=0)
    body_pt: float = Field(gt=0)
    min_body_pt: float = Field(ge=6)
    step_pt: float = Field(gt=0)
    leading: float = Field(ge=1, le=2)
    procedure: PanelPlan
    example: PanelPlan
    notice: PanelPlan


class Poster(Strict):
    """Posters: sizes, and type sizes for A3 (a poster scales with its width)."""

    sizes: dict[str, tuple[float, float]]  # none: no posters
    margin_mm: float = Field(ge=0)
    title_pt: float = Field(gt=0)
    title_min_pt: float = Field(gt=0)
    summary_pt: float = Field(gt=0)
    points_pt: float = Field(gt=0)
    points_min_pt: float = Field(gt=0)
    max_points: int = Field(ge=0)
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
