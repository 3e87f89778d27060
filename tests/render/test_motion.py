"""Layers that enter, backdrops that slide in, a photo that drifts (toolkit/render/motion.py)."""

from __future__ import annotations

import pytest
from PIL import Image, ImageChops, ImageDraw

from toolkit.render.motion import Choreography, Layer, drift, easing, entering, layer, settled

MOVES = Choreography(fps=25, move=0.4, stagger=0.08, rise=40, wipe=0.2,
                     ease=easing("easeOutCubic"))


def _same(a: Image.Image, b: Image.Image) -> bool:
    return ImageChops.difference(a.convert("RGB"), b.convert("RGB")).getbbox() is None


def _slide() -> tuple[Image.Image, list[Layer]]:
    backdrop = Image.new("RGBA", (320, 180), (255, 255, 255, 255))
    layers = []
    for order, y in enumerate((20, 80)):
        canvas = Image.new("RGBA", backdrop.size, (0, 0, 0, 0))
        ImageDraw.Draw(canvas).rectangle((30, y, 200, y + 30), fill=(20, 60, 160, 255))
        piece = layer(canvas, order)
        assert piece is not None
        layers.append(piece)
    return backdrop, layers


def test_curves_are_pytweenings_by_name() -> None:
    curve = easing("easeOutCubic")
    assert curve(0) == 0 and curve(1) == 1 and curve(0.5) > 0.5  # fast, then slowing
    with pytest.raises(KeyError):
        easing("linear")


def test_a_layer_is_cut_to_what_is_drawn() -> None:
    _, layers = _slide()
    assert layers[0].at == (30, 20) and layers[0].image.size == (171, 31)
    assert layer(Image.new("RGBA", (10, 10), (0, 0, 0, 0)), 0) is None


def test_each_layer_comes_in_after_the_one_before_and_rests_at_the_end() -> None:
    _, layers = _slide()
    end = MOVES.frames(layers)
    assert end == round((0.2 + 0.08 + 0.4) * 25)
    for order in (0, 1):
        shown = [MOVES.progress(f, order) for f in range(end)]
        assert shown == sorted(shown) and shown[-1] == 1
    assert all(MOVES.progress(f, 0) >= MOVES.progress(f, 1) for f in range(end))
    assert MOVES.progress(0, 0) == 0  # nothing enters before the backdrop is in


def test_the_last_frame_of_an_entrance_is_the_settled_slide() -> None:
    backdrop, layers = _slide()
    before = Image.new("RGBA", backdrop.size, (200, 30, 30, 255))
    last = MOVES.frames(layers) - 1
    assert _same(entering(backdrop, layers, last, MOVES, before), settled(backdrop, layers))
    assert not _same(entering(backdrop, layers, 2, MOVES, before), settled(backdrop, layers))


def test_the_backdrop_slides_in_from_the_right() -> None:
    backdrop, layers = _slide()
    before = Image.new("RGBA", backdrop.size, (200, 30, 30, 255))
    first = entering(backdrop, layers, 0, MOVES, before)
    assert first.getpixel((0, 170)) == (200, 30, 30, 255)
    assert first.getpixel((319, 170)) == (255, 255, 255, 255)


def test_a_drifting_photo_covers_the_frame_and_moves_in() -> None:
    photo = Image.new("RGB", (400, 300), (0, 0, 0))
    ImageDraw.Draw(photo).rectangle((150, 100, 250, 200), fill=(255, 255, 255))
    start, end = drift(photo, (160, 90), 0, 1.2), drift(photo, (160, 90), 1, 1.2)
    assert start.size == end.size == (160, 90)
    # the white square in the middle grows as the window closes in on it
    def white(image: Image.Image) -> int:
        return sum(image.convert("L").histogram()[129:])
    assert white(end) > white(start) * 1.3
