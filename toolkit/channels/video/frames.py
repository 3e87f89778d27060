"""Drawing a clip: its slides, their entrances and subtitle states, the clip and its poster.

Every letter is drawn by Pillow with libraqm (toolkit/render/raster.py), from
the same font files as print; ffmpeg only encodes (toolkit/render/encode.py).
A slide is drawn once per size as a backdrop and layers (toolkit/render/motion.py):
for its first frames the layers enter while the backdrop fades in over the slide
before (and the title card's photo drifts), then the slide is held, with each
of its cues in turn; text that cannot fit the safe area is a ProblemError for
its unit.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from toolkit.channels.video.soundtrack import mix, with_soundtrack
from toolkit.channels.video.template import BASE_SIDE, VideoTemplate
from toolkit.channels.video.timeline import Scene, Slide, scenes, slides
from toolkit.content.model import AnyUnit
from toolkit.content.pictures import IMAGE_FIX, BadPicture, picture_path
from toolkit.i18n import _, ngettext
from toolkit.problems import Problem, ProblemError
from toolkit.render.encode import Encoding, Moving, Still, encode
from toolkit.render.fontawesome import glyph, glyph_font
from toolkit.render.fonts import font_file
from toolkit.render.motion import Choreography, Layer, drift, easing, entering, layer, settled
from toolkit.render.picture import screen_picture
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


def render_clip(unit: AnyUnit, settings: Settings, template: VideoTemplate, size: str,
                project_dir: Path, scratch: Path | None = None) -> tuple[bytes, bytes]:
    """The MP4 of one size (with its sound track, if it has music or narration), and its
    poster frame (the title card) as JPEG."""
    frames = Frames(unit, size, settings, template, project_dir)
    placed = scenes(unit, settings, template)
    sound = mix(unit, template, size, placed, project_dir)  # its problems before the encode
    encoding = Encoding(template.fps, template.qp, template.preset, template.hold)
    mp4 = with_soundtrack(partial(encode, frames.stills(placed), encoding, scratch), sound,
                          placed[-1].end / template.fps, scratch)
    return mp4, frames.poster(placed)


@dataclass(frozen=True)
class Drawn:
    """A slide drawn: its backdrop, the layers that enter on it, and (a title card with
    the unit's photo) the photo that drifts under the backdrop's veil; all RGBA."""

    backdrop: Image.Image
    layers: list[Layer]
    photo: Image.Image | None = None


PALE = 0.14  # how much of the brand colour the pictogram's disc takes, on the paper


@dataclass(frozen=True)
class PointLayout:
    """A key point's slide laid out: its label, its headline and where it stands, and
    the disc of its pictogram (left, top, side)."""

    label: Block
    text: Block
    at: tuple[float, float]
    disc: tuple[float, float, float]


# The point slides' band (pixels at the base size): its edge below the label, and the
# row of segments that shows how far the clip has come, in it.
BAND_BELOW, BAR_GAP, BAR_PX = 56, 18, 10
FAINT = 0.35  # how much of the paper colour a segment not yet reached shows on the band

# Pixels (at the base size) that a capital's stacked marks ("Ỷ", "Ễ") reach above the
# font's ascender, where the first line of a slide is drawn from.
MARK_ROOM = 12


class Frames:
    """Draws the slides of one unit at one size, their entrances and subtitle states.

    `stills()` is what the encoder takes, `poster()` the clip's poster frame,
    `check()` what `toolkit check` runs (it measures, and draws nothing).
    """

    def __init__(self, unit: AnyUnit, size: str, settings: Settings, template: VideoTemplate,
                 project_dir: Path) -> None:
        self.unit, self.settings, self.template = unit, settings, template
        self.size, self.project_dir = size, project_dir
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
        motion = template.motion
        self.moves = Choreography(template.fps, motion.move, motion.stagger,
                                  self.px(motion.rise_px), template.timing.transition,
                                  easing(motion.easing))
        self._faint = _mix(self.primary, self.paper, FAINT)
        self._drawn: dict[Slide, Drawn] = {}
        self._bands: dict[Cue, Layer] = {}
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

    def stills(self, placed: list[Scene]) -> Iterator[Still | Moving]:
        """The clip as the encoder takes it, a scene at a time (so that a clip never holds
        all its pictures at once): each scene's entrance as frames of motion, drawn when
        the encoder asks, then its held states."""
        before: Image.Image | None = None
        for scene in placed:
            states = list(self._states(scene))
            moving = min(self.entrance(scene.slide), scene.end - scene.start)
            yield Moving(moving, partial(self.frame, scene, before))
            yield from self._held(scene.slide, states, moving)
            before = self.picture(scene.slide, states[-1][0]).convert("RGBA")

    def entrance(self, slide: Slide) -> int:
        """Frames until a slide is still: its layers in place, its backdrop faded in,
        its photo (if any) come to rest."""
        drawn = self.drawn(slide)
        drifting = round(self.template.motion.drift * self.template.fps) if drawn.photo else 0
        return max(self.moves.frames(drawn.layers), drifting, 1)

    def frame(self, scene: Scene, before: Image.Image | None, i: int) -> Image.Image:
        """Frame `i` of a scene's entrance (RGBA), with the cue shown then, if any."""
        drawn = self.drawn(scene.slide)
        image = entering(self._backdrop(drawn, i), drawn.layers, i, self.moves, before)
        cue = next((c for c in scene.cues if c.start <= scene.start + i < c.end), None)
        if cue is not None:
            band = self.band(cue)
            image.alpha_composite(band.image, band.at)
        return image

    def poster(self, placed: list[Scene]) -> bytes:
        """The clip's poster frame as JPEG: its first slide (the title card) at rest,
        without subtitles, for players and the review page to show before it plays."""
        poster = io.BytesIO()
        self.slide(placed[0].slide).save(poster, format="JPEG", quality=90)
        return poster.getvalue()

    def slide(self, slide: Slide) -> Image.Image:
        """The slide at rest, without subtitles (composed once)."""
        if slide not in self._slides:
            drawn = self.drawn(slide)
            self._slides[slide] = settled(self._backdrop(drawn, None), drawn.layers)
        return self._slides[slide]

    def drawn(self, slide: Slide) -> Drawn:
        """The slide's backdrop and layers (drawn once)."""
        if slide not in self._drawn:
            draw = {"title": self._title, "point": self._point, "closing": self._closing}
            self._drawn[slide] = draw[slide.kind](slide)
        return self._drawn[slide]

    def picture(self, slide: Slide, cue: Cue | None) -> Image.Image:
        """The slide at rest with one cue, or none."""
        return self.slide(slide) if cue is None else self.captioned(self.slide(slide), cue)

    def captioned(self, image: Image.Image, cue: Cue) -> Image.Image:
        """A picture with one cue's lines on a dark band in the caption area."""
        framed = image.convert("RGBA")
        band = self.band(cue)
        framed.alpha_composite(band.image, band.at)
        return framed.convert(image.mode)

    def band(self, cue: Cue) -> Layer:
        """A cue's lines on their dark band, where the band stands (drawn once)."""
        if cue not in self._bands:
            (left, top, right, bottom), block = self.caption_box(cue)
            pad = self.px(24)
            band = Image.new("RGBA", (round(right - left), round(bottom - top)), (0, 0, 0, 0))
            draw = ImageDraw.Draw(band)
            draw.rounded_rectangle((0, 0, band.width - 1, band.height - 1), radius=pad,
                                   fill=(0, 0, 0, 190))
            draw_block(draw, block, pad, pad, (255, 255, 255), centred_in=block.width)
            self._bands[cue] = Layer(band, (round(left), round(top)), 0)
        return self._bands[cue]

    # --- the states of a scene -----------------------------------------------------

    def _states(self, scene: Scene) -> Iterator[tuple[Cue | None, int]]:
        """Each cue in turn, and none between and after them, with its frames."""
        frame = scene.start
        for cue in scene.cues:
            if cue.start > frame:
                yield None, cue.start - frame
            yield cue, cue.end - cue.start
            frame = cue.end
        if scene.end > frame:
            yield None, scene.end - frame

    def _held(self, slide: Slide, states: list[tuple[Cue | None, int]], skip: int
              ) -> Iterator[Still]:
        """The states as held pictures, less their first `skip` frames (the entrance)."""
        for cue, frames in states:
            kept = frames - min(skip, frames)
            skip -= frames - kept
            if kept:
                yield self.picture(slide, cue), kept

    def _backdrop(self, drawn: Drawn, frame: int | None) -> Image.Image:
        """The backdrop at a frame of the entrance (None: at rest); on a title card with a
        photo, the veiled photo as far as its drift has come."""
        if drawn.photo is None:
            return drawn.backdrop
        motion = self.template.motion
        drifting = max(1, round(motion.drift * self.template.fps))
        progress = 1.0 if frame is None else min((frame + 1) / drifting, 1.0)
        return drift(drawn.photo, (self.width, self.height), self.moves.ease(progress),
                     motion.zoom).convert("RGBA")

    def _photo(self) -> Image.Image | None:
        """The unit's photo under its veil of the brand colour (RGB), cut to the frame's
        shape, as large as its drift needs; a ProblemError if it cannot be read."""
        if self.unit.image is None:
            return None
        try:
            folder = (self.project_dir / self.unit.source).parent
            path = picture_path(self.unit.image, folder, self.project_dir)
            photo = screen_picture(path, self.unit.image, self.width / self.height)
        except BadPicture as err:
            raise ProblemError(Problem(self.unit.source, self.unit.lines.get("image"), "image",
                                       err.what, err.fix or _(IMAGE_FIX))) from None
        # Veiled once, at the size it is cut from: a frame of the drift is then one resize.
        zoom = self.template.motion.zoom
        photo = photo.resize((round(self.width * zoom), round(self.height * zoom)),
                             Image.Resampling.LANCZOS)
        return Image.blend(photo, Image.new("RGB", photo.size, self.primary),
                           self.template.motion.veil)

    # --- the slides ------------------------------------------------------------------

    def _canvas(self, colour: RGB) -> tuple[Image.Image, ImageDraw.ImageDraw]:
        image = Image.new("RGB", (self.width, self.height), colour)
        return image, ImageDraw.Draw(image)

    def _layer(self, order: int, paint: Callable[[ImageDraw.ImageDraw], object]) -> list[Layer]:
        """What `paint` draws on a clear frame, as a layer entering `order`th."""
        canvas = Image.new("RGBA", (self.width, self.height), (0, 0, 0, 0))
        paint(ImageDraw.Draw(canvas))
        drawn = layer(canvas, order)
        return [drawn] if drawn else []

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

    def _title(self, slide: Slide) -> Drawn:
        backdrop, _ = self._canvas(self.primary)
        x, y, _, _ = self.content_box()
        label, title, top = self._title_layout(slide)
        layers = [*self._layer(0, lambda draw: draw_block(draw, label, x, y, self.paper)),
                  *self._layer(1, lambda draw: draw_block(draw, title, x, top, self.paper))]
        return Drawn(backdrop.convert("RGBA"), layers, self._photo())

    def _point_layout(self, slide: Slide) -> PointLayout:
        """The label, the fitted headline and where it stands, and the pictogram's disc:
        left of the headline on a landscape frame, above it on a portrait one."""
        x, y, w, h = self.content_box()
        label = wrap(slide.label, font(self.bold, self.px(self.template.type.label_px)), w)
        top = y + label.height + self.px(BAND_BELOW + 40)
        room = h - (top - y)
        gap = self.px(56)
        box: tuple[float, float, float, float]
        types = self.template.type
        if self.width > self.height:
            side = min(room * 0.8, w * 0.28)
            box = (x + side + gap, top, w - side - gap, room)
            text = self._fitted(slide, self.bold, types.point_px, types.point_min_px, box[2:])
            return PointLayout(label, text, (box[0], box[1] + (box[3] - text.height) / 2),
                               (float(x), top + (room - side) / 2, side))
        # portrait: the disc and the headline under it, together in the middle of the room
        side = min(w * 0.42, room * 0.38)
        box = (x, top + side + gap, w, room - side - gap)
        text = self._fitted(slide, self.bold, types.point_px, types.point_min_px, box[2:])
        above = (room - side - gap - text.height) / 2
        return PointLayout(label, text, (x, top + above + side + gap),
                           (float(x), top + above, side))

    def _point(self, slide: Slide) -> Drawn:
        backdrop, draw = self._canvas(self.paper)
        x, y, w, _ = self.content_box()
        laid = self._point_layout(slide)
        band = y + laid.label.height + self.px(BAND_BELOW)
        draw.rectangle((0, 0, self.width, band), fill=self.primary)
        bar = (x, y + laid.label.height + self.px(BAR_GAP), w, self.px(BAR_PX))
        total = len(self.unit.key_points)
        self._progress(draw, bar, slide.item - 1, total)
        layers = [*self._layer(0, lambda d: self._progress(d, bar, slide.item, total,
                                                          only=slide.item)),
                  *self._layer(0, lambda d: draw_block(d, laid.label, x, y, self.paper)),
                  *self._layer(1, lambda d: self._pictogram(d, slide, laid.disc)),
                  *self._layer(2, lambda d: draw_block(d, laid.text, *laid.at, self.text))]
        return Drawn(backdrop.convert("RGBA"), layers)

    def _progress(self, draw: ImageDraw.ImageDraw, bar: tuple[int, int, int, int], done: int,
                  total: int, only: int = 0) -> None:
        """The key points as a row of segments across `bar` (left, top, width, height), the
        first `done` lit in the accent colour, the rest faint: where the viewer is. With
        `only`, that segment alone, lit."""
        x, y, w, h = bar
        gap = self.px(BAR_GAP) / 2
        each = (w - gap * (total - 1)) / total
        for i in range(1, total + 1):
            if only and i != only:
                continue
            left = x + (i - 1) * (each + gap)
            colour = self.accent if i <= done else self._faint
            # (a shape's last pixel is its right edge's: one less keeps it in the bar)
            draw.rounded_rectangle((left, y, left + each - 1, y + h), radius=h / 2, fill=colour)

    def _pictogram(self, draw: ImageDraw.ImageDraw, slide: Slide,
                   disc: tuple[float, float, float]) -> None:
        """The point's pictogram on a pale disc of the brand colour, and its number on a
        badge of the accent colour at the disc's upper left."""
        x, y, side = disc
        draw.ellipse((x, y, x + side, y + side), fill=_mix(self.paper, self.primary, PALE))
        name = self.template.pictograms.of(slide.say or slide.text, self.unit.kind)
        face = font(glyph_font(), round(side * 0.5))
        draw.text((x + side / 2, y + side / 2), glyph(name), font=face, fill=self.primary,
                  anchor="mm")
        badge = side * 0.34
        draw.ellipse((x, y, x + badge, y + badge), fill=self.accent)
        number = font(self.heavy, round(badge * 0.55))
        draw.text((x + badge / 2, y + badge / 2), str(slide.item), font=number,
                  fill=self.paper, anchor="mm")

    def _closing(self, slide: Slide) -> Drawn:
        backdrop, _ = self._canvas(self.primary)
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
            at = (x, y + (h - code.height) // 2)
            text_x, text_w = x + code.width + self.px(80), w - code.width - self.px(80)
            text_y = y + (h - self._stack_height(lines, text_w)) / 2
        else:
            text_x, text_w = x, w
            tall = code.height + self.px(60) + self._stack_height(lines, text_w)
            top = y + (h - tall) // 2
            at = (x + (w - code.width) // 2, top)
            text_y = top + code.height + self.px(60)
        layers = [Layer(code.convert("RGBA"), at, 0)]
        for order, (text, face) in enumerate(lines, start=1):
            block = wrap(text, face, text_w)
            centred = None if landscape else text_w
            layers += self._layer(order, partial(_paint_block, block, text_x, text_y,
                                                 self.paper, centred))
            text_y += block.height + self.px(20)
        return Drawn(backdrop.convert("RGBA"), layers)

    def _stack_height(self, lines: Sequence[tuple[str, ImageFont.FreeTypeFont]],
                      width: float) -> int:
        return sum(wrap(t, f, width).height + self.px(20) for t, f in lines)


def _paint_block(block: Block, x: float, y: float, colour: RGB, centred: float | None,
                 draw: ImageDraw.ImageDraw) -> None:
    draw_block(draw, block, x, y, colour, centred)


def _mix(base: RGB, other: RGB, share: float) -> RGB:
    """`base` with `share` of `other` in it."""
    r, g, b = (round(p + (c - p) * share) for p, c in zip(base, other, strict=True))
    return r, g, b
