"""Motion in the clips: each slide slides in, its pieces enter in order, then it is held."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image, ImageChops

from tests.channels.test_video_safe import _outside
from toolkit.channels.video.frames import Frames
from toolkit.channels.video.template import VideoTemplate
from toolkit.channels.video.timeline import Scene, scenes
from toolkit.content.load import load_content
from toolkit.content.model import AnyUnit
from toolkit.problems import ProblemError
from toolkit.project import open_project
from toolkit.render.encode import Moving
from toolkit.templates import channel_template

SIZES = ("16x9", "9x16")


def _setting(root: Path, name: str = "cap-doi-giay-phep-lai-xe-truc-tuyen"
             ) -> tuple[AnyUnit, VideoTemplate, list[Scene]]:
    settings = open_project(root).settings
    template = channel_template(root, "video", VideoTemplate)
    unit = next(u for u in load_content(root, root / "content").units if u.id == name)
    return unit, template, scenes(unit, settings, template)


def _frames(root: Path, unit: AnyUnit, template: VideoTemplate, size: str) -> Frames:
    return Frames(unit, size, open_project(root).settings, template, root)


def _same(a: Image.Image, b: Image.Image) -> bool:
    return ImageChops.difference(a.convert("RGB"), b.convert("RGB")).getbbox() is None


def _photo(root: Path) -> str:
    """A photo of the unit's own (drawn here), in its folder."""
    photo = Image.new("RGB", (1600, 1200), (60, 120, 70))
    for x in range(0, 1600, 100):
        photo.paste((200 - x // 10, 170, 90 + x // 20), (x, 500 + x % 300, x + 70, 1200))
    photo.save(root / "content" / "quay.jpg", quality=90)
    return "quay.jpg"


@pytest.mark.parametrize("size", SIZES)
def test_each_slide_enters_then_is_held_and_the_clip_keeps_its_length(
        sample_project: Path, size: str) -> None:
    unit, template, placed = _setting(sample_project)
    frames = _frames(sample_project, unit, template, size)
    pieces = list(frames.stills(placed))
    runs = [p for p in pieces if isinstance(p, Moving)]
    assert len(runs) == len(placed)  # one entrance a slide, first in it
    assert isinstance(pieces[0], Moving)
    for run, scene in zip(runs, placed, strict=True):
        assert run.count == min(frames.entrance(scene.slide), scene.end - scene.start)
        # an entrance lasts the template's wipe, staggers and move: under a second
        assert run.count <= template.fps
    total = sum(p.count if isinstance(p, Moving) else p[1] for p in pieces)
    assert total == placed[-1].end


@pytest.mark.parametrize("size", SIZES)
def test_an_entrance_ends_on_the_held_picture(sample_project: Path, size: str) -> None:
    unit, template, placed = _setting(sample_project)
    frames = _frames(sample_project, unit, template, size)
    pieces = list(frames.stills(placed))
    for i, piece in enumerate(pieces):
        if isinstance(piece, Moving):
            held = pieces[i + 1]
            assert not isinstance(held, Moving)
            assert _same(piece.draw(piece.count - 1), held[0])


def test_the_next_slide_slides_in_over_the_last_one(sample_project: Path) -> None:
    unit, template, placed = _setting(sample_project)
    frames = _frames(sample_project, unit, template, "16x9")
    before = frames.picture(placed[0].slide, None)
    after = frames.drawn(placed[1].slide).backdrop
    wipe = round(template.timing.transition * template.fps)
    width, height = before.size[0], round(before.size[1] * 0.7)  # above the captions
    before, after = before.crop((0, 0, width, height)), after.crop((0, 0, width, height))
    edges = []
    for i in range(wipe):
        frame = frames.frame(placed[1], frames.picture(placed[0].slide, None).convert("RGBA"),
                             i).convert("RGB").crop((0, 0, width, height))
        came = next(x for x in range(width + 1)
                    if _same(frame.crop((x, 0, width, height)),
                             after.crop((0, 0, width - x, height))))
        assert _same(frame.crop((0, 0, came, height)), before.crop((0, 0, came, height)))
        edges.append(came)
    assert edges == sorted(edges, reverse=True) and edges[-1] == 0 and edges[0] < width


def test_pieces_enter_one_after_another(sample_project: Path) -> None:
    unit, template, placed = _setting(sample_project)
    frames = _frames(sample_project, unit, template, "16x9")
    scene = placed[1]
    drawn = frames.drawn(scene.slide)
    first_seen = {}
    for i in range(frames.entrance(scene.slide)):
        frame = frames.frame(scene, None, i)
        for piece in drawn.layers:
            x, y = piece.at
            box = (x, y, x + piece.image.width, y + piece.image.height)
            if piece.order not in first_seen and not _same(frame.crop(box),
                                                           drawn.backdrop.crop(box)):
                first_seen[piece.order] = i
    orders = sorted(first_seen)
    assert orders == [0, 1, 2]
    assert [first_seen[o] for o in orders] == sorted(first_seen[o] for o in orders)
    assert first_seen[0] < first_seen[2]


@pytest.mark.parametrize("size", SIZES)
def test_text_in_motion_stays_in_the_safe_zone(sample_project: Path, size: str) -> None:
    unit, template, placed = _setting(sample_project)
    frames = _frames(sample_project, unit, template, size)
    wipe = round(template.timing.transition * template.fps)
    for scene in placed:
        for i in range(wipe, frames.entrance(scene.slide)):
            outside = _outside(frames.frame(scene, None, i).convert("RGB"), frames.zone)
            assert outside is None, (scene.slide.kind, i, outside)


def test_the_title_photo_drifts_then_comes_to_rest(sample_project: Path) -> None:
    unit, template, _ = _setting(sample_project)
    unit = unit.model_copy(update={"image": _photo(sample_project)})
    placed = scenes(unit, open_project(sample_project).settings, template)
    frames = _frames(sample_project, unit, template, "16x9")
    title = placed[0]
    drifting = round(template.motion.drift * template.fps)
    assert frames.entrance(title.slide) == drifting
    shots = [frames.frame(title, None, i) for i in (0, drifting // 2, drifting - 1)]
    assert not _same(shots[0], shots[1])
    said = next(c for c in title.cues if c.start <= drifting - 1 < c.end)
    assert _same(shots[2], frames.picture(title.slide, said))
    # the photo shows through the veil: the title card is not one flat colour
    backdrop = frames.slide(title.slide).crop((0, 700, 1920, 1080)).convert("L")
    assert max(backdrop.getextrema()) - min(backdrop.getextrema()) > 20


def test_a_photo_that_cannot_be_read_is_a_problem_on_its_line(sample_project: Path) -> None:
    unit, template, placed = _setting(sample_project)
    (sample_project / "content" / "hong.jpg").write_bytes(b"\xff\xd8\xff\xe0" + b"\0" * 64)
    unit = unit.model_copy(update={"image": "hong.jpg"})
    frames = _frames(sample_project, unit, template, "16x9")
    with pytest.raises(ProblemError) as caught:
        frames.drawn(placed[0].slide)
    problem = caught.value.problems[0]
    assert problem.field == "image" and "hong.jpg" in problem.what


def test_an_easing_the_template_names_must_exist(sample_project: Path) -> None:
    (sample_project / "templates" / "video").mkdir(parents=True)
    shipped = Path(__file__).resolve().parents[2] / "toolkit/defaults/templates/video/default.toml"
    text = shipped.read_text(encoding="utf-8").replace('"easeOutCubic"', '"easeOutWobble"')
    (sample_project / "templates" / "video" / "default.toml").write_text(text, encoding="utf-8")
    with pytest.raises(ProblemError) as caught:
        channel_template(sample_project, "video", VideoTemplate)
    assert "easeOutWobble" in str(caught.value.problems[0].what) + str(
        caught.value.problems[0].fix)
