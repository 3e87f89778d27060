"""Video channel: short silent clips with burned-in subtitles, 16:9 and 9:16.

A clip is a slideshow made from the unit: a title card (organisation, title),
one slide per key point (a procedure's steps, an example's results, a notice's
topics), and a closing card with the QR code and the hotline. The subtitles
carry the words a voice would say; the same cues are written as SRT and WebVTT.
Every letter is drawn by Pillow; ffmpeg encodes the stills.
"""

from __future__ import annotations

import io
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from PIL import Image, ImageDraw
from pydantic import Field

from toolkit.content.model import AnyUnit, Notice
from toolkit.jobs import Context, Job
from toolkit.problems import Problem, ProblemError
from toolkit.render.encode import Encoding, encode
from toolkit.render.fonts import font_file
from toolkit.render.raster import (
    RGB,
    Block,
    draw_block,
    fit,
    font,
    hex_rgb,
    qr_image,
    wrap,
)
from toolkit.render.subtitles import Cue, Rules, chunks, srt, timed, webvtt
from toolkit.settings import Settings
from toolkit.templates import Strict, Template

TEMPLATES = "video"
BASE_SIDE = 1080  # type sizes in the template are for this short side


class Fonts(Strict):
    """Font files: names of Be Vietnam Pro files or .ttf files in the project."""

    regular: str
    bold: str
    heavy: str


class Colours(Strict):
    """Text and paper colours; brand colours come from toolkit.toml."""

    text: str = Field(pattern=r"^#[0-9A-Fa-f]{6}$")
    paper: str = Field(pattern=r"^#[0-9A-Fa-f]{6}$")


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
    fonts: Fonts
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


TEMPLATE = VideoTemplate


@dataclass(frozen=True)
class Slide:
    """One slide: what it shows, what its subtitles say, how long it lasts at least."""

    kind: str  # "title", "point" or "closing"
    text: str
    label: str
    say: str
    least: float


@dataclass(frozen=True)
class Scene:
    """A slide placed on the timeline, with its cues, in frames."""

    slide: Slide
    start: int
    end: int
    cues: tuple[Cue, ...]


def plan(units: Sequence[AnyUnit], context: Context) -> list[Job]:
    """Per unit asking for video: a clip and poster frame per size, and the sidecars."""
    jobs = []
    for unit in units:
        if unit.wants("video", context.today):
            jobs.extend(_unit_jobs(unit, context))
    return jobs


def check(unit: AnyUnit, context: Context, thorough: bool = False) -> list[Problem]:
    """A clip must last at most the template's maximum; with `thorough`, its text must fit."""
    if "video" not in unit.wanted_channels:
        return []
    template: VideoTemplate = context.template  # type: ignore[assignment]
    try:
        scenes(unit, context.settings, template)
        if thorough:
            for size in template.sizes:
                _Frames(unit, size, context.settings, template, context.project_dir).check()
    except ProblemError as err:
        return list(err.problems)
    return []


def _unit_jobs(unit: AnyUnit, context: Context) -> list[Job]:
    template: VideoTemplate = context.template  # type: ignore[assignment]
    base = f"{unit.id}/{unit.id}"
    args = (unit, context.settings, template)
    clips = [Job((f"{base}-{size}.mp4", f"{base}-{size}.jpg"), unit.id, (unit.id,),
                 unit.fingerprint, partial(render_clip, *args, size, context.project_dir,
                                           context.scratch))
             for size in template.sizes]
    sidecars = Job((f"{base}.srt", f"{base}.vtt"), unit.id, (unit.id,), unit.fingerprint,
                   partial(render_sidecars, *args))
    return [*clips, sidecars]


# --- the story: slides and their timing ------------------------------------------


def slides(unit: AnyUnit, settings: Settings, template: VideoTemplate) -> list[Slide]:
    """Title card, a slide per key point, closing card."""
    timing, labels = template.timing, template.labels
    points = unit.key_points
    label = getattr(labels, unit.kind)
    hotline = unit.hotline if isinstance(unit, Notice) else settings.organisation.hotline
    return [Slide("title", unit.title, settings.organisation.name, unit.summary, timing.title),
            *[Slide("point", point, label.format(n=i, total=len(points)), point, timing.point)
              for i, point in enumerate(points, start=1)],
            Slide("closing", hotline, labels.closing, labels.call.format(hotline=hotline),
                  timing.closing)]


def scenes(unit: AnyUnit, settings: Settings, template: VideoTemplate) -> list[Scene]:
    """The slides on a timeline: each as long as its subtitles need, at least its least;
    a short clip's closing card is held to reach the minimum length."""
    rules, fps = template.rules(), template.fps
    placed: list[Scene] = []
    frame = 0
    for slide in slides(unit, settings, template):
        cues = tuple(timed(chunks(slide.say, rules), frame, rules))
        end = max(frame + round(slide.least * fps), cues[-1].end + rules.gap_frames)
        placed.append(Scene(slide, frame, end, cues))
        frame = end
    shortfall = round(template.timing.min_total * fps) - frame
    if shortfall > 0:
        last = placed[-1]
        placed[-1] = Scene(last.slide, last.start, last.end + shortfall, last.cues)
    total = placed[-1].end / fps
    if total > template.timing.max_total:
        raise ProblemError(Problem(unit.source, None, "video",
                                   f"the clip would last {total:.0f} s, more than "
                                   f"{template.timing.max_total:g} s",
                                   "shorten the summary or the key points (steps, results, "
                                   "topics), or give fewer of them"))
    return placed


def all_cues(placed: list[Scene]) -> list[Cue]:
    """Every cue of the clip, in order."""
    return [cue for scene in placed for cue in scene.cues]


def render_sidecars(unit: AnyUnit, settings: Settings, template: VideoTemplate
                    ) -> tuple[bytes, bytes]:
    """The subtitles as SRT and WebVTT: the same cues as those burned in."""
    cues = all_cues(scenes(unit, settings, template))
    return srt(cues, template.fps), webvtt(cues, template.fps)


# --- frames ------------------------------------------------------------------


def render_clip(unit: AnyUnit, settings: Settings, template: VideoTemplate, size: str,
                project_dir: Path, scratch: Path | None = None) -> tuple[bytes, bytes]:
    """The MP4 of one size, and its poster frame (the title card) as JPEG."""
    frames = _Frames(unit, size, settings, template, project_dir)
    placed = scenes(unit, settings, template)
    stills = frames.stills(placed)
    encoding = Encoding(template.fps, template.qp, template.preset, template.hold)
    mp4 = encode(stills, encoding, scratch)
    poster = io.BytesIO()
    frames.slide(placed[0].slide).save(poster, format="JPEG", quality=90)
    return mp4, poster.getvalue()


class _Frames:
    """Draws the slides of one unit at one size, and their subtitle states."""

    def __init__(self, unit: AnyUnit, size: str, settings: Settings, template: VideoTemplate,
                 project_dir: Path) -> None:
        self.unit, self.settings, self.template = unit, settings, template
        self.size = size
        self.width, self.height = template.sizes[size]
        self.scale = min(self.width, self.height) / BASE_SIDE
        self.margin = round(template.safe_margin * min(self.width, self.height))
        fonts = template.fonts
        self.regular = font_file(fonts.regular, project_dir)
        self.bold = font_file(fonts.bold, project_dir)
        self.heavy = font_file(fonts.heavy, project_dir)
        self.primary, self.accent = hex_rgb(settings.brand.primary), hex_rgb(settings.brand.accent)
        self.text, self.paper = hex_rgb(template.colours.text), hex_rgb(template.colours.paper)
        self._slides: dict[Slide, Image.Image] = {}

    def px(self, size: int) -> int:
        """A template pixel size at this frame's scale."""
        return round(size * self.scale)

    @property
    def subtitle_band(self) -> int:
        """The height kept free at the bottom for two subtitle lines."""
        line = self.px(self.template.type.subtitle_px) * 1.3
        return round(line * self.template.subtitles.max_lines + 2 * self.px(24))

    def content_box(self) -> tuple[int, int, int, int]:
        """Left, top, width, height of the safe area above the subtitles."""
        top = self.margin
        bottom = self.height - self.margin - self.subtitle_band
        return self.margin, top, self.width - 2 * self.margin, bottom - top

    def check(self) -> None:
        """Raise ProblemError when a slide's text cannot fit the safe area (measured only,
        nothing drawn: `toolkit check` runs this for every unit)."""
        layouts = {"title": self._title_layout, "point": self._point_layout}
        for slide in slides(self.unit, self.settings, self.template):
            if slide.kind in layouts:
                layouts[slide.kind](slide)

    def stills(self, placed: list[Scene]) -> Iterator[tuple[Image.Image, int]]:
        """Each state of the clip and its frames, a crossfade between slides, drawn a
        scene at a time so that a clip never holds all its pictures at once."""
        fade = round(self.template.timing.transition * self.template.fps)
        previous: Image.Image | None = None
        for scene in placed:
            states = list(self._states(scene))
            image, frames = states[0]
            steps = min(fade, frames - 1) if previous is not None else 0
            for step in range(1, steps + 1):
                yield Image.blend(previous, image, step / (steps + 1)), 1  # type: ignore[arg-type]
            states[0] = (image, frames - steps)
            yield from states
            previous = states[-1][0]

    def _states(self, scene: Scene) -> Iterator[tuple[Image.Image, int]]:
        """The slide with each cue in turn, and without one between and after them."""
        frame = scene.start
        for cue in scene.cues:
            if cue.start > frame:
                yield self.slide(scene.slide), cue.start - frame
            yield self.with_subtitle(scene.slide, cue), cue.end - cue.start
            frame = cue.end
        if scene.end > frame:
            yield self.slide(scene.slide), scene.end - frame

    def slide(self, slide: Slide) -> Image.Image:
        """The slide without subtitles (drawn once)."""
        if slide not in self._slides:
            draw = {"title": self._title, "point": self._point, "closing": self._closing}
            self._slides[slide] = draw[slide.kind](slide)
        return self._slides[slide]

    def _canvas(self, colour: RGB) -> tuple[Image.Image, ImageDraw.ImageDraw]:
        image = Image.new("RGB", (self.width, self.height), colour)
        return image, ImageDraw.Draw(image)

    def _fitted(self, slide: Slide, path: Path, largest: int, floor: int,
                box: tuple[float, float], what: str) -> Block:
        block = fit(slide.text, path, self.px(largest), self.px(floor), box)
        if block is None:
            raise ProblemError(Problem(self.unit.source, None, "video",
                                       f"{self.size}: {what} does not fit the safe area even "
                                       f"at {self.px(floor)} px", f"shorten the {what}"))
        return block

    def _title_layout(self, slide: Slide) -> tuple[Block, Block, float]:
        """The label, the fitted title, and where the title stands."""
        x, y, w, h = self.content_box()
        label = wrap(slide.label.upper(), font(self.bold, self.px(self.template.type.label_px)), w)
        room = h - label.height - self.px(40)
        types = self.template.type
        title = self._fitted(slide, self.heavy, types.title_px, types.title_min_px, (w, room),
                             "title")
        return label, title, y + label.height + self.px(40) + (room - title.height) / 2

    def _title(self, slide: Slide) -> Image.Image:
        image, draw = self._canvas(self.primary)
        x, y, _, _ = self.content_box()
        label, title, top = self._title_layout(slide)
        draw_block(draw, label, x, y, self.paper)
        draw_block(draw, title, x, top, self.paper)
        return image

    def _point_layout(self, slide: Slide) -> tuple[Block, Block, float]:
        """The label, the fitted key point, and where the point stands."""
        x, y, w, h = self.content_box()
        label = wrap(slide.label, font(self.bold, self.px(self.template.type.label_px)), w)
        top = y + label.height + self.px(64)
        types = self.template.type
        text = self._fitted(slide, self.bold, types.point_px, types.point_min_px,
                            (w, h - (top - y)), "key point")
        return label, text, top + (h - (top - y) - text.height) / 2

    def _point(self, slide: Slide) -> Image.Image:
        image, draw = self._canvas(self.paper)
        x, y, _, _ = self.content_box()
        label, text, top = self._point_layout(slide)
        draw.rectangle((0, 0, self.width, y + label.height + self.px(24)), fill=self.primary)
        draw_block(draw, label, x, y, self.paper)
        draw_block(draw, text, x, top, self.text)
        return image

    def _closing(self, slide: Slide) -> Image.Image:
        image, draw = self._canvas(self.primary)
        x, y, w, h = self.content_box()
        link = self.unit.link or self.settings.organisation.portal
        landscape = self.width > self.height
        side = round(min(h, w) * (0.8 if landscape else 0.55))
        code = qr_image(link, side, self.text, self.paper)
        label_font = font(self.bold, self.px(self.template.type.label_px))
        number = font(self.heavy, self.px(self.template.type.hotline_px))
        lines = [(slide.label, label_font), (self.template.labels.hotline, label_font),
                 (slide.text, number)]
        if landscape:
            image.paste(code, (x, y + (h - code.height) // 2))
            text_x, text_w = x + code.width + self.px(80), w - code.width - self.px(80)
            text_y = y + (h - self._stack_height(lines, text_w)) / 2
        else:
            text_x, text_w = x, w
            tall = code.height + self.px(60) + self._stack_height(lines, text_w)
            top = y + (h - tall) // 2
            image.paste(code, (x + (w - code.width) // 2, top))
            text_y = top + code.height + self.px(60)
        for text, face in lines:
            block = wrap(text, face, text_w)
            centred = None if landscape else text_w
            draw_block(draw, block, text_x, text_y, self.paper, centred)
            text_y += block.height + self.px(20)
        return image

    def _stack_height(self, lines: list[tuple[str, object]], width: float) -> int:
        return sum(wrap(t, f, width).height + self.px(20) for t, f in lines)  # type: ignore[arg-type]

    def with_subtitle(self, slide: Slide, cue: Cue) -> Image.Image:
        """The slide with one cue's lines on a dark band in the subtitle area."""
        image = self.slide(slide).copy()
        face = font(self.bold, self.px(self.template.type.subtitle_px))
        block = Block(cue.lines, face, 1.3)
        pad = self.px(24)
        band_w = block.width + 2 * pad
        left = (self.width - band_w) / 2
        bottom = self.height - self.margin
        top = bottom - block.height - 2 * pad
        overlay = Image.new("RGBA", image.size, (0, 0, 0, 0))
        ImageDraw.Draw(overlay).rounded_rectangle((left, top, left + band_w, bottom),
                                                  radius=pad, fill=(0, 0, 0, 190))
        image = Image.alpha_composite(image.convert("RGBA"), overlay).convert("RGB")
        draw_block(ImageDraw.Draw(image), block, left + pad, top + pad, (255, 255, 255),
                   centred_in=block.width)
        return image

