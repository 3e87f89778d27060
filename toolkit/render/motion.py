"""Motion on video frames: layers that enter, a backdrop that fades in, a photo that drifts.

A slide is a backdrop and the layers drawn on it (every letter by Pillow, in
`toolkit/render/raster.py`). For its first frames the backdrop slides in over
the previous slide, then the layers enter one after another (rising into place
as they fade in), all eased by a named pytweening curve; from then on the slide is
held still, which is what lets the encoder encode a held picture once
(`toolkit/render/encode.py`). The held picture is `settled()`: the same layers
composed at rest, so the last moving frame and the first held one are the same.

A photo drifts (Ken Burns): it is cut from a slowly shrinking window of the
picture, eased to a stop, so that the rest of its slide can be held still again.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

import pytweening
from PIL import Image

Ease = Callable[[float], float]


@cache
def easing(name: str) -> Ease:
    """pytweening's curve of that name ("easeOutCubic"); a KeyError for another name."""
    if not name.startswith("ease") or not callable(getattr(pytweening, name, None)):
        raise KeyError(name)
    curve: Ease = getattr(pytweening, name)
    return curve


@dataclass(frozen=True)
class Layer:
    """A piece of a slide (RGBA, cut to what is drawn) where it stands at rest, and its
    place in the order of entrance (0 enters first)."""

    image: Image.Image
    at: tuple[int, int]
    order: int


@dataclass(frozen=True)
class Choreography:
    """How a slide comes on: its backdrop slides in over the slide before for `wipe`
    seconds; then its layers enter, over `move` seconds each, `stagger` seconds after the
    one before, from `rise` pixels lower, all eased by `ease`."""

    fps: int
    move: float
    stagger: float
    rise: int
    wipe: float
    ease: Ease

    def frames(self, layers: list[Layer]) -> int:
        """Frames until the last layer is at rest."""
        last = max((layer.order for layer in layers), default=0)
        return round((self.wipe + last * self.stagger + self.move) * self.fps)

    def progress(self, frame: int, order: int) -> float:
        """How far (0 to 1, eased) a layer of that order has come at `frame`."""
        t = (frame + 1) / self.fps - self.wipe - order * self.stagger
        return self.ease(min(max(t / self.move, 0.0), 1.0))

    def wiped(self, frame: int) -> float:
        """How far (0 to 1, eased) the backdrop has come in over the slide before."""
        if self.wipe <= 0:
            return 1.0
        return self.ease(min((frame + 1) / (self.wipe * self.fps), 1.0))


def layer(canvas: Image.Image, order: int) -> Layer | None:
    """The drawn part of a full-frame RGBA canvas as a layer; None if nothing is drawn."""
    box = canvas.getbbox()
    if box is None:
        return None
    return Layer(canvas.crop(box), (box[0], box[1]), order)


def settled(backdrop: Image.Image, layers: list[Layer]) -> Image.Image:
    """The slide at rest: every layer in its place on the (RGBA) backdrop, as RGB."""
    frame = backdrop.copy()
    for piece in layers:
        frame.alpha_composite(piece.image, piece.at)
    return frame.convert("RGB")


def entering(backdrop: Image.Image, layers: list[Layer], frame: int, moves: Choreography,
             before: Image.Image | None) -> Image.Image:
    """Frame `frame` of a slide's entrance, RGBA: the backdrop sliding in from the right
    over `before` (the previous slide's last picture, if any), then each layer rising into
    place as it fades in. Every picture is RGBA: converting a frame costs more than the
    rest of drawing it."""
    composed = backdrop.copy()
    if before is not None and moves.wiped(frame) < 1:
        edge = round(backdrop.width * (1 - moves.wiped(frame)))
        composed = before.copy()
        composed.paste(backdrop.crop((0, 0, backdrop.width - edge, backdrop.height)), (edge, 0))
    for piece in layers:
        shown = moves.progress(frame, piece.order)
        if shown <= 0:
            continue
        x, y = piece.at
        composed.alpha_composite(_faded(piece.image, shown),
                                 (x, y + round(moves.rise * (1 - shown))))
    return composed


def _faded(image: Image.Image, opacity: float) -> Image.Image:
    """The layer at `opacity` (its own alpha scaled)."""
    if opacity >= 1:
        return image
    faded = image.copy()
    faded.putalpha(image.getchannel("A").point(lambda a: round(a * opacity)))
    return faded


def drift(photo: Image.Image, size: tuple[int, int], progress: float, zoom: float
          ) -> Image.Image:
    """The photo covering `size`, cut from a window that shrinks towards its centre as
    `progress` goes from 0 to 1 (from the whole cover to 1/`zoom` of it): the slow push
    in of a documentary. Sub-pixel windows (Pillow's resize with a box) keep it smooth."""
    width, height = size
    scale = max(width / photo.width, height / photo.height)
    cover_w, cover_h = width / scale, height / scale
    shrink = 1 + (zoom - 1) * progress
    w, h = cover_w / shrink, cover_h / shrink
    left, top = (photo.width - w) / 2, (photo.height - h) / 2
    return photo.resize(size, Image.Resampling.BILINEAR, box=(left, top, left + w, top + h))
