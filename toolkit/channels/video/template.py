"""The video template: templates/video/*.toml as pydantic models.

Sizes, encoding, type sizes, timing, subtitle norms and the words on the slides.
Type sizes are given for a short side of `BASE_SIDE` pixels and scaled to each
clip size; brand colours come from toolkit.toml, not from here.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, field_validator

from toolkit.i18n import _
from toolkit.problems import quote
from toolkit.render.subtitles import Rules
from toolkit.templates import Colours, Fonts, Icon, Strict, Template

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


class Motion(Strict):
    """How slides move (toolkit/render/motion.py): each piece enters over `move` seconds,
    `stagger` after the one before, rising `rise_px` (at the base size), eased by the
    pytweening curve `easing`; a title photo drifts for `drift` seconds, `zoom` closer,
    under `veil` of the brand colour."""

    move: float = Field(0.3, ge=0.1, le=2)
    stagger: float = Field(0.06, ge=0, le=1)
    rise_px: int = Field(48, ge=0, le=400)
    easing: str = "easeOutCubic"
    drift: float = Field(2.0, ge=0, le=20)
    zoom: float = Field(1.08, ge=1, le=1.5)
    veil: float = Field(0.72, ge=0, le=1)

    @field_validator("easing")
    @classmethod
    def _known_curve(cls, name: str) -> str:
        import pytweening

        curves = sorted(n for n in dir(pytweening) if n.startswith("ease"))
        if name not in curves:
            raise ValueError(_("{name} is not an easing curve; use one of: {curves}").format(
                name=quote(name), curves=", ".join(curves)))
        return name


Loudness = Annotated[float, Field(ge=-70, le=-5)]  # LUFS, as loudnorm takes it
SCREEN_LUFS = -23.0  # EBU R128: a size the template gives no loudness is for screens


class Sound(Strict):
    """The clips' sound (toolkit/render/sound.py): the office's music bed (a file in the
    project folder; none, no bed), ducked `duck_db` under the units' narration and set
    `music_db` against it, each size normalised to its loudness (EBU R128: −23 LUFS for
    screens, −16 for social media), its peaks under `true_peak`."""

    music: str | None = None
    loudness: dict[str, Loudness] = Field(default_factory=dict)
    true_peak: float = Field(-1.0, ge=-9, le=0)
    duck_db: float = Field(12.0, ge=0, le=60)
    music_db: float = Field(-6.0, ge=-40, le=20)

    def target(self, size: str) -> float:
        """The integrated loudness a clip of `size` is normalised to."""
        return self.loudness.get(size, SCREEN_LUFS)


class SubtitleRules(Strict):
    """Subtitle norms (see toolkit/render/subtitles.py)."""

    max_chars: int = Field(ge=20, le=60)
    max_lines: int = Field(ge=1, le=2)
    max_cps: float = Field(gt=0)
    target_cps: float = Field(14.0, gt=0)  # the pace cues are timed at; max_cps the limit
    min_seconds: float = Field(gt=0)
    max_seconds: float = Field(gt=0)
    gap_frames: int = Field(ge=0)


class SafeZone(Strict):
    """Where text may stand on one clip size, as shares of its width and height kept clear
    on each side (a platform's buttons and bars cover them), and how far down the
    captions' lower edge sits."""

    top: float = Field(ge=0, lt=0.5)
    right: float = Field(ge=0, lt=0.5)
    bottom: float = Field(ge=0, lt=0.5)
    left: float = Field(ge=0, lt=0.5)
    captions: float = Field(gt=0.5, le=1)

    def box(self, width: int, height: int) -> tuple[int, int, int, int]:
        """Left, top, right and bottom of the zone on a frame, in pixels."""
        return (round(self.left * width), round(self.top * height),
                round(width - self.right * width), round(height - self.bottom * height))


class Pictograms(Strict):
    """The pictogram of each key point's slide: the icon of the first of `words` found in
    the point (the earliest, the longest where two start together), else its kind's."""

    procedure: Icon
    example: Icon
    notice: Icon
    words: dict[str, Icon] = Field(default_factory=dict)

    def of(self, point: str, kind: str) -> str:
        """The icon a key point of a unit of `kind` shows."""
        text = point.lower()
        found = [(text.find(word), -len(word), icon) for word, icon in self.words.items()
                 if word.lower() in text]
        return min(found)[2] if found else str(getattr(self, kind))


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
    safe_margin: float = Field(ge=0, le=0.25)  # the zone of a size `safe` does not name
    sizes: dict[str, tuple[int, int]] = Field(min_length=1)
    safe: dict[str, SafeZone] = Field(default_factory=dict)
    fonts: VideoFonts
    colours: Colours
    type: TypeSizes
    timing: Timing
    subtitles: SubtitleRules
    motion: Motion = Motion()
    sound: Sound = Sound()
    pictograms: Pictograms
    labels: Labels

    def zone(self, size: str) -> SafeZone:
        """The safe zone of a clip size: the template's, else `safe_margin` of the short
        side all round, the captions at the bottom of it."""
        if size in self.safe:
            return self.safe[size]
        width, height = self.sizes[size]
        side = self.safe_margin * min(width, height)
        return SafeZone(top=side / height, right=side / width, bottom=side / height,
                        left=side / width, captions=1 - side / height)

    def rules(self) -> Rules:
        """The subtitle rules at this template's frame rate."""
        s = self.subtitles
        return Rules(s.max_chars, s.max_lines, s.min_seconds, s.max_seconds, s.max_cps,
                     s.gap_frames, self.fps, target_cps=s.target_cps)

