"""Safe zones per clip size: captions and slide text stay out of what platforms cover."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image, ImageChops

from toolkit.channels.video.frames import Frames
from toolkit.channels.video.template import VideoTemplate
from toolkit.channels.video.timeline import scenes
from toolkit.content.load import load_content
from toolkit.content.model import AnyUnit
from toolkit.project import open_project
from toolkit.templates import channel_template

SIZES = ("16x9", "9x16")


def _units(root: Path) -> list[AnyUnit]:
    return [u for u in load_content(root, root / "content").units
            if "video" in u.wanted_channels]


@pytest.mark.parametrize("size", SIZES)
def test_every_caption_of_the_sample_stands_in_the_safe_zone(sample_project: Path,
                                                             size: str) -> None:
    settings = open_project(sample_project).settings
    template = channel_template(sample_project, "video", VideoTemplate)
    units = _units(sample_project)
    assert len(units) >= 10
    for unit in units:
        frames = Frames(unit, size, settings, template, sample_project)
        left, top, right, bottom = frames.zone
        for scene in scenes(unit, settings, template):
            for cue in scene.cues:
                (x0, y0, x1, y1), _ = frames.caption_box(cue)
                assert left <= x0 and x1 <= right and top <= y0 and y1 <= bottom, (unit.id, cue)


def test_nine_sixteen_keeps_clear_of_the_app_bars_and_buttons(sample_project: Path) -> None:
    """TikTok, Reels and Zalo cover the bottom fifth, the right 15 % and a top bar; the
    captions sit between 60 % and 75 % of the height."""
    template = channel_template(sample_project, "video", VideoTemplate)
    zone = template.zone("9x16")
    assert zone.bottom >= 0.20 and zone.right >= 0.15 and zone.top >= 0.08
    assert 0.60 <= zone.captions <= 0.75


@pytest.mark.parametrize("size", SIZES)
def test_slide_text_is_drawn_inside_the_safe_zone(sample_project: Path, size: str) -> None:
    settings = open_project(sample_project).settings
    template = channel_template(sample_project, "video", VideoTemplate)
    for unit in _units(sample_project):
        frames = Frames(unit, size, settings, template, sample_project)
        for scene in scenes(unit, settings, template):
            image = frames.slide(scene.slide)
            outside = _outside(image, frames.zone)
            assert outside is None, (unit.id, scene.slide.kind, outside)


def _outside(image: Image.Image, zone: tuple[int, int, int, int]) -> tuple[int, ...] | None:
    """Where, outside the zone, the picture differs from a plain fill of each row's edge
    colour (the backgrounds and bands run edge to edge; text does not)."""
    left, top, right, bottom = zone
    edges = Image.new("RGB", image.size)
    for y in range(image.height):
        edges.paste(image.getpixel((0, y)), (0, y, image.width, y + 1))
    difference = ImageChops.difference(image, edges).convert("L").point(lambda v: v > 40 and 255)
    difference.paste(0, (left, top, right, bottom))
    return difference.getbbox()
