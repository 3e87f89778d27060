"""The video template: templates/video/*.toml as pydantic models.

Sizes, encoding, type sizes, timing, subtitle norms and the words on the slides.
Type sizes are given for a short side of `BASE_SIDE` pixels and scaled to each
clip size; brand colours come from toolkit.toml, not from here.
"""

from __future__ import annotations

from pydantic import Field

from toolkit.render.subtitles import Rules
from toolkit.templates import Colours, Fonts, Strict, Template

BASE_SIDE = 1080  # type sizes in the template are for this short side


class VideoFonts(Fonts):
    """Font files for the three weights the slides use."""

    heavy: str


class TypeSizes(Strict):
    """Pixel sizes for a short side of 1080 px."""

    title_px: int = Field(gt=0)
    title_min_px: int = Field(gt=0)
    point_px: int = Field(gt=0)
    point_min_px: int = Field(gt=0)
    label_px: int = Field(gt=0)
    subtitle_px: int = Field(gt=0)
    hotline_px: int = Field(gt=0)


class Timing(Strict):
    """Least seconds per kind of slide, and the bounds of a clip."""

    title: float = Field(gt=0)
    point: float = Field(gt=0)
    closing: float = Field(gt=0)
    transition: float = Field(ge=0, le=2)
    min_total: float = Field(gt=0)
    max_total: float = Field(gt=0)


class SubtitleRules(Strict):
    """Subtitle norms (see toolkit/render/subtitles.py)."""

    max_chars: int = Field(ge=20, le=60)
    max_lines: int = Field(ge=1, le=2)
    max_cps: float = Field(gt=0)
    min_seconds: float = Field(gt=0)
    max_seconds: float = Field(gt=0)
    gap_frames: int = Field(ge=0)


class Labels(Strict):
    """Words on the slides; {n}, {total} and {hotline} are filled in."""

    procedure: str
    example: str
    notice: str
    closing: str
    hotline: str
    call: str


class VideoTemplate(Template):
    """templates/video/*.toml: sizes, encoding, type, timing, subtitle norms."""

    fps: int = Field(ge=1, le=60)
    qp: int = Field(ge=0, le=51)
    preset: str
    hold: int = Field(ge=1, le=250)
    safe_margin: float = Field(ge=0, le=0.25)
    sizes: dict[str, tuple[int, int]] = Field(min_length=1)
    fonts: VideoFonts
    colours: Colours
    type: TypeSizes
    timing: Timing
    subtitles: SubtitleRules
    labels: Labels

    def rules(self) -> Rules:
        """The subtitle rules at this template's frame rate."""
        s = self.subtitles
        return Rules(s.max_chars, s.max_lines, s.min_seconds, s.max_seconds, s.max_cps,
                     s.gap_frames, self.fps)

