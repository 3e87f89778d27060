"""What a clip says: a short headline on each key point's slide, the whole sentence in
its captions, never the same text on the slide and in the caption at once."""

from __future__ import annotations

from pathlib import Path

import pytest

from toolkit.channels.video.template import VideoTemplate
from toolkit.channels.video.timeline import HEADLINE_CHARS, headline, scenes
from toolkit.content.load import load_content
from toolkit.project import open_project
from toolkit.templates import channel_template


def _plain(text: str) -> str:
    return " ".join(text.replace("\xa0", " ").split()).rstrip(".")


def test_no_clip_of_the_sample_shows_a_sentence_twice(sample_project: Path) -> None:
    settings = open_project(sample_project).settings
    template = channel_template(sample_project, "video", VideoTemplate)
    units = [u for u in load_content(sample_project, sample_project / "content").units
             if "video" in u.wanted_channels]
    assert len(units) >= 10
    for unit in units:
        for scene in scenes(unit, settings, template):
            said = _plain(" ".join(" ".join(cue.lines) for cue in scene.cues))
            assert _plain(scene.slide.text) != said, (unit.id, scene.slide.text)
            if scene.slide.kind == "point" and scene.cues:
                assert said == _plain(scene.slide.say)  # the sentence, whole, in captions
                assert len(scene.slide.text) < len(scene.slide.say)  # the slide, short


@pytest.mark.parametrize("point, expected", [
    ("Điền tờ khai điện tử, tải lên bản chụp rõ nét giấy chứng sinh.", "Điền tờ khai điện tử"),
    ("Truy cập Cổng dịch vụ công tỉnh Đồng Nai hoặc Cổng Dịch vụ công quốc gia và đăng "
     "nhập bằng tài khoản của mình.", "Truy cập Cổng dịch vụ công tỉnh Đồng Nai"),
    ("Thái độ, tinh thần phục vụ của cán bộ, công chức", "Thái độ, tinh thần phục vụ của cán bộ"),
    ("Hơn 98% hồ sơ năm 2020 được giải quyết đúng hạn",
     "Hơn 98% hồ sơ năm 2020 được giải quyết đúng hạn"),
])
def test_a_headline_is_the_first_clause_or_as_far_as_a_phrase_opener(point: str,
                                                                     expected: str) -> None:
    assert headline(point) == expected


def test_a_point_short_enough_is_its_own_headline_and_has_no_caption(
        sample_project: Path) -> None:
    settings = open_project(sample_project).settings
    template = channel_template(sample_project, "video", VideoTemplate)
    unit = next(u for u in load_content(sample_project, sample_project / "content").units
                if u.id == "mot-cua-hien-dai-phuong-tan-phong")
    last = [s for s in scenes(unit, settings, template) if s.slide.kind == "point"][-1]
    assert last.slide.text == unit.key_points[-1] and last.cues == ()
    assert last.end - last.start >= round(template.timing.point * template.fps)
    assert all(len(headline(p)) <= HEADLINE_CHARS or headline(p) == p
               for p in unit.key_points)


@pytest.mark.parametrize("point, icon", [
    ("Đăng nhập Cổng dịch vụ công và chọn thủ tục", "right-to-bracket"),  # the earliest
    ("Nộp lệ phí đăng ký", "paper-plane"),  # "nộp" comes before "phí"
    ("Ưu tiên người cao tuổi, người khuyết tật", "person-cane"),
    ("Mỗi tháng hai đợt về các ấp xa", "list-check"),  # no word: the kind's
])
def test_a_point_shows_the_pictogram_of_its_first_word(project: Path, point: str,
                                                       icon: str) -> None:
    template = channel_template(project, "video", VideoTemplate)
    assert template.pictograms.of(point, "procedure") == icon


@pytest.mark.parametrize("size", ["16x9", "9x16"])
def test_a_point_slide_has_its_pictogram_and_its_numbered_badge(sample_project: Path,
                                                               size: str) -> None:
    from toolkit.channels.video.frames import Frames

    settings = open_project(sample_project).settings
    template = channel_template(sample_project, "video", VideoTemplate)
    unit = next(u for u in load_content(sample_project, sample_project / "content").units
                if u.id == "dang-ky-khai-sinh-truc-tuyen")
    frames = Frames(unit, size, settings, template, sample_project)
    slide = next(s.slide for s in scenes(unit, settings, template) if s.slide.kind == "point")
    x, y, side = frames._point_layout(slide).disc
    disc = frames.slide(slide).crop((round(x), round(y), round(x + side), round(y + side)))
    colours = disc.getcolors(maxcolors=1 << 20) or []
    primary, accent = (0x0B, 0x5C, 0xAD), (0xC6, 0x28, 0x28)
    assert sum(n for n, c in colours if c == primary) > side * side * 0.05  # the pictogram
    assert sum(n for n, c in colours if c == accent) > side * side * 0.03  # the badge


def test_a_template_naming_an_unknown_pictogram_is_a_problem_on_its_line(
        project: Path, run) -> None:  # type: ignore[no-untyped-def]
    template = project / "templates" / "video" / "default.toml"
    template.write_text(template.read_text(encoding="utf-8").replace(
        '"tải lên" = "upload"', '"tải lên" = "uplod"'), encoding="utf-8")
    status, _, err = run("check", "--project", str(project))
    assert status == 1 and "templates/video/default.toml:" in err and "'uplod'" in err


def test_a_point_with_a_short_form_shows_it_and_its_caption_says_the_point_whole(
        project: Path) -> None:
    from tests.conftest import PROCEDURE
    from toolkit.content.load import read_unit

    text = PROCEDURE.replace('"Đăng nhập Cổng dịch vụ công."', '{short: "Đăng nhập", text: '
                             '"Đăng nhập Cổng dịch vụ công bằng tài khoản định danh điện tử."}')
    unit, problems = read_unit(text.encode("utf-8"), "content/khai-sinh.md", "khai-sinh")
    assert problems == [] and unit is not None
    settings = open_project(project).settings
    template = channel_template(project, "video", VideoTemplate)
    first, second = [s for s in scenes(unit, settings, template) if s.slide.kind == "point"]
    assert first.slide.text == "Đăng nhập" == unit.short_point(1)
    assert first.slide.say == unit.steps[0]
    assert _plain(" ".join(" ".join(cue.lines) for cue in first.cues)) == _plain(unit.steps[0])
    assert second.slide.text == headline(unit.steps[1])  # no short form: its first clause
