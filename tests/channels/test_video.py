"""The video channel: subtitle norms, timing, frames, and (slow) the encoded clips."""

from __future__ import annotations

import re
import subprocess
from collections.abc import Callable
from itertools import pairwise
from pathlib import Path

import pytest
from PIL import Image

from tests.conftest import NOTICE, PROCEDURE, write_unit
from toolkit.channels.video import VideoTemplate, all_cues, scenes
from toolkit.channels.video.frames import Frames
from toolkit.content.load import load_content
from toolkit.project import open_project
from toolkit.render.encode import ffmpeg, frames_of
from toolkit.render.subtitles import Cue, Rules, chunks, srt, timed, webvtt
from toolkit.templates import load_template

Run = Callable[..., tuple[int, str, str]]
RULES = Rules()
REPO = Path(__file__).resolve().parents[2]


def sample_texts() -> list[str]:
    """Every summary and key point of the sample content: real subtitle material."""
    units = load_content(REPO, REPO / "content").units
    return [u.summary for u in units] + [p for u in units for p in u.key_points]


@pytest.mark.parametrize("text", sample_texts())
def test_cues_keep_the_line_norms_and_every_word(text: str) -> None:
    groups = chunks(text, RULES)
    assert " ".join(line for g in groups for line in g).split() == text.split()
    for lines in groups:
        assert 1 <= len(lines) <= 2
        assert all(len(line) <= 42 for line in lines), lines


@pytest.mark.parametrize("text", sample_texts())
def test_cues_keep_the_timing_norms(text: str) -> None:
    cues = timed(chunks(text, RULES), 10, RULES)
    for cue in cues:
        seconds = (cue.end - cue.start) / 25
        assert 1.5 <= seconds <= 7  # no flashing cue (Rules.min_seconds)
        assert len(cue.text) / seconds <= 14.5 or seconds == 7  # the target pace, 14 cps
    for before, after in pairwise(cues):
        assert after.start - before.end >= 2


def test_a_two_syllable_word_is_not_split_between_lines() -> None:
    text = ("Truy cập Cổng dịch vụ công tỉnh Đồng Nai hoặc Cổng Dịch vụ công quốc gia "
            "và đăng nhập bằng tài khoản của mình.")
    lines = [line for g in chunks(text, RULES) for line in g]
    assert not any(line.endswith("đăng") for line in lines)


def test_lines_break_after_punctuation_when_they_can() -> None:
    groups = chunks("Chọn thủ tục đăng ký khai sinh, điền tờ khai điện tử, "
                    "tải lên bản chụp giấy chứng sinh.", RULES)
    assert groups[0][0].endswith(",")


def _parse_clock(text: str) -> int:
    h, m, rest = text.replace(",", ".").split(":")
    return round((int(h) * 3600 + int(m) * 60 + float(rest)) * 1000)


def test_srt_and_vtt_hold_the_same_cues() -> None:
    cues = [Cue(0, 50, ("Xin chào",)), Cue(52, 100, ("Dòng một", "dòng hai"))]
    s, v = srt(cues, 25).decode(), webvtt(cues, 25).decode()
    assert s.startswith("1\n00:00:00,000 --> 00:00:02,000\nXin chào\n\n2\n00:00:02,080")
    assert v.startswith("WEBVTT\n\n00:00:00.000 --> 00:00:02.000\nXin chào\n")
    times_s = [_parse_clock(t) for t in re.findall(r"\d\d:\d\d:\d\d,\d{3}", s)]
    times_v = [_parse_clock(t) for t in re.findall(r"\d\d:\d\d:\d\d\.\d{3}", v)]
    assert times_s == times_v == [0, 2000, 2080, 4000]


@pytest.fixture
def video(project: Path) -> tuple[Path, VideoTemplate]:
    return project, load_template(project, "video", VideoTemplate)


def _unit(project: Path, name: str):  # type: ignore[no-untyped-def]
    return next(u for u in load_content(project, project / "content").units if u.id == name)


def test_a_clip_lasts_15_to_60_seconds_and_slides_follow_each_other(video) -> None:  # type: ignore[no-untyped-def]
    project, template = video
    settings = open_project(project).settings
    for name in ("khai-sinh", "tong-dai-1022", "tan-phong"):
        placed = scenes(_unit(project, name), settings, template)
        assert 15 * 25 <= placed[-1].end <= 60 * 25
        assert next(s.slide.kind for s in placed) == "title"
        assert placed[-1].slide.kind == "closing"
        for before, after in pairwise(placed):
            assert before.end == after.start
        for scene in placed:
            assert all(scene.start <= c.start < c.end <= scene.end for c in scene.cues)


def test_a_clip_too_long_is_a_problem_naming_the_unit(project: Path, run: Run) -> None:
    steps = "\n".join(f'  - "Bước {i}: chuẩn bị đầy đủ giấy tờ theo hướng dẫn, nộp hồ sơ '
                      f'trực tuyến và theo dõi tình trạng giải quyết."' for i in range(20))
    write_unit(project, "khai-sinh", PROCEDURE.replace(
        'steps:\n  - "Đăng nhập Cổng dịch vụ công."\n  - "Điền tờ khai, tải giấy chứng sinh."',
        "steps:\n" + steps))
    status, _, err = run("check", "--project", str(project))
    assert status == 1
    assert re.search(r"content/khai-sinh\.md:\d+: steps: the clip would last \d+ s, more than "
                     r"60 s; the longest: item \d+ \(\d+ s\)", err), err


def test_a_title_that_cannot_fit_is_a_problem(project: Path, run: Run) -> None:
    template = project / "templates" / "video" / "default.toml"
    template.write_text(template.read_text(encoding="utf-8").replace(
        "title_min_px = 64", "title_min_px = 130"), encoding="utf-8")
    title = " ".join(["Hướng dẫn thủ tục hành chính"] * 5)
    write_unit(project, "tong-dai-1022", NOTICE.replace("Tổng đài 1022 hỗ trợ người dân", title))
    status, _, err = run("check", "--project", str(project))
    assert status == 1
    assert re.search(r"content/tong-dai-1022\.md:\d+: title: (16x9|9x16) video: the title does "
                     r"not fit the screen, even in the smallest type \(\d+ px\) -> shorten it "
                     r"by \d+ words \(\d+ characters\)", err), err


@pytest.mark.parametrize("size, dimensions", [("16x9", (1920, 1080)), ("9x16", (1080, 1920))])
def test_every_still_has_the_clip_size(video, size: str, dimensions: tuple[int, int]) -> None:  # type: ignore[no-untyped-def]
    project, template = video
    settings = open_project(project).settings
    unit = _unit(project, "khai-sinh")
    frames = Frames(unit, size, settings, template, project)
    stills = list(frames_of(frames.stills(scenes(unit, settings, template))))
    assert {image.size for image, _ in stills} == {dimensions}
    assert sum(n for _, n in stills) == scenes(unit, settings, template)[-1].end


# --- slow: real encodes ----------------------------------------------------------


@pytest.fixture(scope="module")
def clips(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One unit built to both sizes (a real encode: the slow part)."""
    from toolkit.cli import main

    root = tmp_path_factory.mktemp("video") / "project"
    assert main(["init", str(root)]) == 0
    write_unit(root, "khai-sinh", PROCEDURE)
    assert main(["build", "--project", str(root), "--channel", "video", "--today",
                 "2021-03-31"]) == 0
    return root / "outbox" / "video" / "khai-sinh"


def _probe(path: Path) -> str:
    return subprocess.run([ffmpeg(), "-hide_banner", "-i", str(path)], capture_output=True,
                          text=True).stderr


@pytest.mark.slow
@pytest.mark.parametrize("size, dimensions", [("16x9", "1920x1080"), ("9x16", "1080x1920")])
def test_clip_is_h264_yuv420p_25fps_silent(clips: Path, size: str, dimensions: str) -> None:
    info = _probe(clips / f"khai-sinh-{size}.mp4")
    video = [line for line in info.splitlines() if "Stream" in line]
    assert len(video) == 1 and "Video: h264" in video[0]
    assert "yuv420p" in video[0] and dimensions in video[0] and " 25 fps" in video[0]
    assert "Audio" not in info


@pytest.mark.slow
@pytest.mark.parametrize("size", ["16x9", "9x16"])
def test_clip_is_bt709_and_says_so(clips: Path, size: str, tmp_path: Path) -> None:
    """Tagged BT.709 (primaries, transfer, matrix, TV range) in the stream, and converted
    with that matrix: the brand blue decodes as the brand blue, not BT.601's."""
    clip = clips / f"khai-sinh-{size}.mp4"
    video = next(line for line in _probe(clip).splitlines() if "Video:" in line)
    assert "yuv420p(tv, bt709, progressive)" in video, video
    still = tmp_path / "frame.png"
    subprocess.run([ffmpeg(), "-v", "error", "-i", str(clip), "-vf",
                    "scale=in_color_matrix=bt709:in_range=tv", "-frames:v", "1", str(still)],
                   check=True)
    r, g, b = Image.open(still).convert("RGB").getpixel((8, 8))[:3]  # the title card's blue
    assert abs(r - 0x0B) <= 6 and abs(g - 0x5C) <= 6 and abs(b - 0xAD) <= 6, (r, g, b)


@pytest.mark.slow
def test_clip_lasts_as_its_timeline_and_its_subtitles(clips: Path) -> None:
    project = clips.parents[2]
    settings = open_project(project).settings
    template = load_template(project, "video", VideoTemplate)
    placed = scenes(_unit(project, "khai-sinh"), settings, template)
    match = re.search(r"Duration: (\d+):(\d+):([\d.]+)", _probe(clips / "khai-sinh-16x9.mp4"))
    assert match
    seconds = int(match[1]) * 3600 + int(match[2]) * 60 + float(match[3])
    assert abs(seconds - placed[-1].end / 25) <= 0.04
    srt_times = re.findall(r"(\S+) --> (\S+)", (clips / "khai-sinh.srt").read_text("utf-8"))
    cues = all_cues(placed)
    assert [(_parse_clock(a), _parse_clock(b)) for a, b in srt_times] == \
        [(c.start * 40, c.end * 40) for c in cues]
    assert (clips / "khai-sinh.vtt").read_text("utf-8").startswith("WEBVTT\n\n")


def _atoms(data: bytes) -> list[str]:
    names, offset = [], 0
    while offset + 8 <= len(data):
        size = int.from_bytes(data[offset:offset + 4], "big")
        names.append(data[offset + 4:offset + 8].decode("latin-1"))
        if size < 8:
            break
        offset += size
    return names


@pytest.mark.slow
def test_clip_starts_streaming_at_once_moov_before_mdat(clips: Path) -> None:
    atoms = _atoms((clips / "khai-sinh-16x9.mp4").read_bytes())
    assert atoms.index("moov") < atoms.index("mdat")


@pytest.mark.slow
def test_a_frame_matches_its_still(clips: Path, tmp_path: Path) -> None:
    project = clips.parents[2]
    settings = open_project(project).settings
    template = load_template(project, "video", VideoTemplate)
    unit = _unit(project, "khai-sinh")
    placed = scenes(unit, settings, template)
    scene = next(s for s in placed[1:] if s.cues)  # a slide with a caption on it
    cue = scene.cues[0]
    held = cue.end - 2  # past the slide's entrance
    frame = tmp_path / "frame.png"
    subprocess.run([ffmpeg(), "-hide_banner", "-loglevel", "error", "-i",
                    str(clips / "khai-sinh-16x9.mp4"), "-vf", f"select=eq(n\\,{held})",
                    "-frames:v", "1", str(frame)], check=True)
    still = tmp_path / "still.png"
    Frames(unit, "16x9", settings, template, project).picture(scene.slide, cue).save(still)
    ssim = subprocess.run([ffmpeg(), "-hide_banner", "-i", str(frame), "-i", str(still),
                           "-lavfi", "ssim", "-f", "null", "-"], capture_output=True,
                          text=True).stderr
    score = float(re.search(r"All:([\d.]+)", ssim)[1])  # type: ignore[index]
    assert score >= 0.98


@pytest.mark.slow
def test_poster_frame_is_the_title_card(clips: Path) -> None:
    assert Image.open(clips / "khai-sinh-16x9.jpg").size == (1920, 1080)
    assert Image.open(clips / "khai-sinh-9x16.jpg").size == (1080, 1920)


@pytest.mark.slow
def test_the_same_unit_gives_the_same_clip(clips: Path, tmp_path: Path) -> None:
    from toolkit.channels.video import render_clip

    project = clips.parents[2]
    settings = open_project(project).settings
    template = load_template(project, "video", VideoTemplate)
    again, _ = render_clip(_unit(project, "khai-sinh"), settings, template, "16x9", project)
    assert again == (clips / "khai-sinh-16x9.mp4").read_bytes()


@pytest.mark.slow
def test_every_frame_lasts_one_25th_of_a_second(clips: Path) -> None:
    result = subprocess.run([ffmpeg(), "-hide_banner", "-i", str(clips / "khai-sinh-16x9.mp4"),
                             "-vf", "showinfo", "-f", "null", "-"], capture_output=True, text=True)
    times = [float(t) for t in re.findall(r"pts_time:([\d.]+)", result.stderr)]
    steps = {round(b - a, 3) for a, b in pairwise(times)}
    assert steps == {0.04}


def test_a_missing_ffmpeg_is_a_clear_problem(project: Path, run: Run,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    import imageio_ffmpeg

    def gone() -> str:
        raise RuntimeError("no ffmpeg exe could be found")

    monkeypatch.setattr(imageio_ffmpeg, "get_ffmpeg_exe", gone)
    status, _, err = run("build", "--project", str(project), "--channel", "video", "--only",
                         "tong-dai-1022", "--jobs", "1", "--today", "2021-03-31")
    assert status == 1
    assert err.startswith("ffmpeg: not found (no ffmpeg exe could be found)")
    assert "Traceback" not in err
    assert not list((project / "outbox").rglob("*.mp4"))


def test_held_pictures_become_repeated_segments_and_short_ones_run_together() -> None:
    from toolkit.render.encode import Segment, segments

    order = segments([("a", 60), ("b", 2), ("c", 20), ("d", 3)], hold=25)
    assert order == [Segment((("a", 25),)), Segment((("a", 25),)),
                     Segment((("a", 10), ("b", 2), ("c", 20))), Segment((("d", 3),))]
    assert sum(s.frames for s in order) == 85
    assert len(set(order)) == 3  # the held block is encoded once and repeated
