"""Drawing a clip: its slides and subtitle states as stills, the clip and its poster.

Every letter is drawn by Pillow with libraqm (toolkit/render/raster.py), from
the same font files as print; ffmpeg only encodes the stills
(toolkit/render/encode.py). A slide is drawn once per size and reused for each
of its cues; text that cannot fit the safe area is a ProblemError for its unit.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from toolkit.channels.video.template import BASE_SIDE, VideoTemplate
from toolkit.channels.video.timeline import Scene, Slide, scenes, slides
from toolkit.content.model import AnyUnit
from toolkit.i18n import _, ngettext
from toolkit.problems import Problem, ProblemError
from toolkit.render.encode import Encoding, encode
from toolkit.render.fonts import font_file
from toolkit.render.icons import glyph, glyph_font
from toolkit.render.raster import (
    RGB,
    Block,
    draw_block,
    fit,
    fitting_words,
    font,
    hex_rgb,
    qr_image,
    wrap,
)
from toolkit.render.subtitles import Cue
from toolkit.settings import Settings

Still = tuple[Image.Image, int]  # a picture and how many frames it is held


def render_clip(unit: AnyUnit, settings: Settings, template: VideoTemplate, size: str,
                project_dir: Path, scratch: Path | None = None) -> tuple[bytes, bytes]:
    """The MP4 of one size, and its poster frame (the title card) as JPEG."""
    frames = Frames(unit, size, settings, template, project_dir)
    placed = scenes(unit, settings, template)
    encoding = Encoding(template.fps, template.qp, template.preset, template.hold)
    mp4 = encode(frames.stills(placed), encoding, scratch)
    return mp4, frames.poster(placed)


def _crossfade(before: Image.Image, after: Image.Image, steps: int) -> Iterator[Still]:
    """`steps` frames between two pictures, each a blend a step further into `after`."""
    for step in range(1, steps + 1):
        yield Image.blend(before, after, step / (steps + 1)), 1


PALE = 0.14  # how much of the brand colour the pictogram's disc takes, on the paper


@dataclass(frozen=True)
class PointLayout:
    """A key point's slide laid out: its label, its headline and where it stands, and
    the disc of its pictogram (left, top, side)."""

    label: Block
    text: Block
    at: tuple[float, float]
    disc: tuple[float, float, float]


# Pixels (at the base size) that a capital's stacked marks ("Ỷ", "Ễ") reach above the
# font's ascender, where the first line of a slide is drawn from.
MARK_ROOM = 12


class Frames:
    """Draws the slides of one unit at one size, and their subtitle states.

    `stills()` is what the encoder takes, `poster()` the clip's poster frame,
    `check()` what `toolkit check` runs (it measures, and draws nothing).
    """

    def __init__(self, unit: AnyUnit, size: str, settings: Settings, template: VideoTemplate,
                 project_dir: Path) -> None:
        self.unit, self.settings, self.template = unit, settings, template
        self.size = size
        self.width, self.height = template.sizes[size]
        self.scale = min(self.width, self.height) / BASE_SIDE
        self.zone = template.zone(size).box(self.width, self.height)
        self.captions_bottom = round(template.zone(size).captions * self.height)
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
        """The height kept free for two subtitle lines."""
        line = self.px(self.template.type.subtitle_px) * 1.3
        return round(line * self.template.subtitles.max_lines + 2 * self.px(24))

    def content_box(self) -> tuple[int, int, int, int]:
        """Left, top, width, height of the safe zone above the subtitles."""
        left, top, right, bottom = self.zone
        top += self.px(MARK_ROOM)
        bottom = min(bottom, self.captions_bottom) - self.subtitle_band
        return left, top, right - left, bottom - top

    def caption_box(self, cue: Cue) -> tuple[tuple[float, float, float, float], Block]:
        """Where a cue's band stands (left, top, right, bottom) and its lines: centred in
        the safe zone, its lower edge where the template puts captions, the type made
        smaller if a line would be wider than the zone."""
        left, _, right, _ = self.zone
        pad = self.px(24)
        size = self.px(self.template.type.subtitle_px)
        block = Block(cue.lines, font(self.bold, size), 1.3)
        if block.width + 2 * pad > right - left:
            size = int(size * (right - left - 2 * pad) / block.width)
            block = Block(cue.lines, font(self.bold, size), 1.3)
        band_w = block.width + 2 * pad
        x = left + (right - left - band_w) / 2
        bottom = self.captions_bottom
        return (x, bottom - block.height - 2 * pad, x + band_w, bottom), block

    # --- what the channel asks for -----------------------------------------------

    def check(self) -> None:
        """Raise ProblemError when a slide's text cannot fit the safe area (measured only,
        nothing drawn: `toolkit check` runs this for every unit)."""
        layouts: dict[str, Callable[[Slide], object]] = {"title": self._title_layout,
                                                         "point": self._point_layout}
        for slide in slides(self.unit, self.settings, self.template):
            if slide.kind in layouts:
                layouts[slide.kind](slide)

    def stills(self, placed: list[Scene]) -> Iterator[Still]:
        """Each state of the clip and its frames, a crossfade between slides, drawn a
        scene at a time so that a clip never holds all its pictures at once."""
        fade = round(self.template.timing.transition * self.template.fps)
        previous: Image.Image | None = None
        for scene in placed:
            states = list(self._states(scene))
            image, frames = states[0]
            steps = 0
            if previous is not None:
                steps = min(fade, frames - 1)
                yield from _crossfade(previous, image, steps)
            states[0] = (image, frames - steps)
            yield from states
            previous = states[-1][0]

    def poster(self, placed: list[Scene]) -> bytes:
        """The clip's poster frame as JPEG: its first slide (the title card), without
        subtitles, for players and the review page to show before it plays."""
        poster = io.BytesIO()
        self.slide(placed[0].slide).save(poster, format="JPEG", quality=90)
        return poster.getvalue()

    def slide(self, slide: Slide) -> Image.Image:
        """The slide without subtitles (drawn once)."""
        if slide not in self._slides:
            draw = {"title": self._title, "point": self._point, "closing": self._closing}
            self._slides[slide] = draw[slide.kind](slide)
        return self._slides[slide]

    def with_subtitle(self, slide: Slide, cue: Cue) -> Image.Image:
        """The slide with one cue's lines on a dark band in the caption area."""
        image = self.slide(slide).copy()
        (left, top, right, bottom), block = self.caption_box(cue)
        pad = self.px(24)
        overlay = Image.new("RGBA", image.size, (0, 0, 0, 0))
        ImageDraw.Draw(overlay).rounded_rectangle((left, top, right, bottom),
                                                  radius=pad, fill=(0, 0, 0, 190))
        image = Image.alpha_composite(image.convert("RGBA"), overlay).convert("RGB")
        draw_block(ImageDraw.Draw(image), block, left + pad, top + pad, (255, 255, 255),
                   centred_in=block.width)
        return image

    # --- the states of a scene -----------------------------------------------------

    def _states(self, scene: Scene) -> Iterator[Still]:
        """The slide with each cue in turn, and without one between and after them."""
        frame = scene.start
        for cue in scene.cues:
            if cue.start > frame:
                yield self.slide(scene.slide), cue.start - frame
            yield self.with_subtitle(scene.slide, cue), cue.end - cue.start
            frame = cue.end
        if scene.end > frame:
            yield self.slide(scene.slide), scene.end - frame

    # --- the slides ------------------------------------------------------------------

    def _canvas(self, colour: RGB) -> tuple[Image.Image, ImageDraw.ImageDraw]:
        image = Image.new("RGB", (self.width, self.height), colour)
        return image, ImageDraw.Draw(image)

    def _fitted(self, slide: Slide, path: Path, largest: int, floor: int,
                box: tuple[float, float]) -> Block:
        block = fit(slide.text, path, self.px(largest), self.px(floor), box)
        if block is None:
            raise ProblemError(self._unfit(slide, path, self.px(floor), box))
        return block

    def _unfit(self, slide: Slide, path: Path, floor: int, box: tuple[float, float]) -> Problem:
        """A slide whose text does not fit the screen even at the floor size: its field or
        item, on its line, and how many words to cut from its end."""
        words = slide.text.split()
        kept = min(fitting_words(slide.text, path, floor, box), len(words) - 1)
        cut = len(words) - kept
        chars = len(slide.text) - len(" ".join(words[:kept]))
        size, px = self.size, floor
        if slide.item:
            field = self.unit.KEY_POINTS
            line = self.unit.lines.get(f"{field}.{slide.item}") or self.unit.lines.get(field)
            what = _("{size} video: item {n} does not fit the screen, even in the smallest "
                     "type ({px} px)").format(size=size, n=slide.item, px=px)
            fix = ngettext("shorten item {n} by {words} word ({chars} characters)",
                           "shorten item {n} by {words} words ({chars} characters)",
                           cut).format(n=slide.item, words=cut, chars=chars)
        else:
            field, line = "title", self.unit.lines.get("title")
            what = _("{size} video: the title does not fit the screen, even in the smallest "
                     "type ({px} px)").format(size=size, px=px)
            fix = ngettext("shorten it by {words} word ({chars} characters)",
                           "shorten it by {words} words ({chars} characters)",
                           cut).format(words=cut, chars=chars)
        if kept == 0:
            fix = _("shorten its first word, or break it with a space")
        return Problem(self.unit.source, line, field, what, fix)

    def _title_layout(self, slide: Slide) -> tuple[Block, Block, float]:
        """The label, the fitted title, and where the title stands."""
        _, y, w, h = self.content_box()
        label = wrap(slide.label.upper(), font(self.bold, self.px(self.template.type.label_px)), w)
        room = h - label.height - self.px(40)
        types = self.template.type
        title = self._fitted(slide, self.heavy, types.title_px, types.title_min_px, (w, room))
        return label, title, y + label.height + self.px(40) + (room - title.height) / 2

    def _title(self, slide: Slide) -> Image.Image:
        image, draw = self._canvas(self.primary)
        x, y, _, _ = self.content_box()
        label, title, top = self._title_layout(slide)
        draw_block(draw, label, x, y, self.paper)
        draw_block(draw, title, x, top, self.paper)
        return image

    def _point_layout(self, slide: Slide) -> PointLayout:
        """The label, the fitted headline and where it stands, and the pictogram's disc:
        left of the headline on a landscape frame, above it on a portrait one."""
        x, y, w, h = self.content_box()
        label = wrap(slide.label, font(self.bold, self.px(self.template.type.label_px)), w)
        top = y + label.height + self.px(64)
        room = h - (top - y)
        gap = self.px(56)
        box: tuple[float, float, float, float]
        if self.width > self.height:
            side = min(room * 0.8, w * 0.28)
            disc = (float(x), top + (room - side) / 2, side)
            box = (x + side + gap, top, w - side - gap, room)
        else:
            side = min(w * 0.42, room * 0.38)
            disc = (float(x), float(top), side)
            box = (x, top + side + gap, w, room - side - gap)
        types = self.template.type
        text = self._fitted(slide, self.bold, types.point_px, types.point_min_px, box[2:])
        return PointLayout(label, text, (box[0], box[1] + (box[3] - text.height) / 2), disc)

    def _point(self, slide: Slide) -> Image.Image:
        image, draw = self._canvas(self.paper)
        x, y, _, _ = self.content_box()
        laid = self._point_layout(slide)
        draw.rectangle((0, 0, self.width, y + laid.label.height + self.px(24)), fill=self.primary)
        draw_block(draw, laid.label, x, y, self.paper)
        self._pictogram(draw, slide, laid.disc)
        draw_block(draw, laid.text, *laid.at, self.text)
        return image

    def _pictogram(self, draw: ImageDraw.ImageDraw, slide: Slide,
                   disc: tuple[float, float, float]) -> None:
        """The point's pictogram on a pale disc of the brand colour, and its number on a
        badge of the accent colour at the disc's upper left."""
        x, y, side = disc
        pale = tuple(round(p + (c - p) * PALE) for p, c in zip(self.paper, self.primary,
                                                                 strict=True))
        draw.ellipse((x, y, x + side, y + side), fill=pale)
        name = self.template.pictograms.of(slide.say or slide.text, self.unit.kind)
        face = font(glyph_font(), round(side * 0.5))
        draw.text((x + side / 2, y + side / 2), glyph(name), font=face, fill=self.primary,
                  anchor="mm")
        badge = side * 0.34
        draw.ellipse((x, y, x + badge, y + badge), fill=self.accent)
        number = font(self.heavy, round(badge * 0.55))
        draw.text((x + badge / 2, y + badge / 2), str(slide.item), font=number,
                  fill=self.paper, anchor="mm")

    def _closing(self, slide: Slide) -> Image.Image:
        image, draw = self._canvas(self.primary)
        x, y, w, h = self.content_box()
        link = self.settings.unit_link(self.unit)  # as the feed and the bulletin link it
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

    def _stack_height(self, lines: Sequence[tuple[str, ImageFont.FreeTypeFont]],
                      width: float) -> int:
        return sum(wrap(t, f, width).height + self.px(20) for t, f in lines)
