"""The clips' sound: the template's music bed, a unit's narration at its captions,
loudness per size; silent clips stay silent."""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import PROCEDURE, write_unit
from toolkit.channels.video import CHANNEL, VideoTemplate, scenes
from toolkit.channels.video.soundtrack import mix, music_problems
from toolkit.channels.video.timeline import placed_narration
from toolkit.content.load import load_content
from toolkit.content.model import AnyUnit
from toolkit.problems import ProblemError
from toolkit.project import open_project
from toolkit.render.encode import ffmpeg
from toolkit.render.sound import loudness
from toolkit.templates import load_template

Run = Callable[..., tuple[int, str, str]]


def _tone(path: Path, seconds: float, hertz: int = 220) -> None:
    """A recording made here: a tone that comes and goes, like speech."""
    path.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run([ffmpeg(), "-hide_banner", "-loglevel", "error", "-y", "-f", "lavfi", "-i",
                    f"sine=frequency={hertz}:duration={seconds}", "-af",
                    "volume='0.5+0.4*sin(2*PI*3*t)':eval=frame", str(path)], check=True)


def _narrated(project: Path, narration: str) -> AnyUnit:
    text = PROCEDURE.replace('agency: "UBND cấp xã"\n',
                             f'agency: "UBND cấp xã"\nnarration: {narration}\n')
    write_unit(project, "khai-sinh", text)
    return next(u for u in load_content(project, project / "content").units
                if u.id == "khai-sinh")


def _setting(project: Path, unit: AnyUnit) -> tuple[VideoTemplate, list]:  # type: ignore[type-arg]
    template = load_template(project, "video", VideoTemplate)
    return template, scenes(unit, open_project(project).settings, template)


def test_one_recording_starts_with_the_first_caption(project: Path) -> None:
    _tone(project / "content" / "am-thanh" / "doc.wav", 1)
    unit = _narrated(project, "am-thanh/doc.wav")
    _, placed = _setting(project, unit)
    [voice] = placed_narration(unit, placed)
    assert voice.start == placed[0].cues[0].start and voice.end == placed[-1].end


def test_one_recording_a_captioned_slide_starts_with_each_slides_first_caption(
        project: Path) -> None:
    plain = next(u for u in load_content(project, project / "content").units
                 if u.id == "khai-sinh")
    said = [s for s in _setting(project, plain)[1] if s.cues]
    names = [f"doc-{i}.wav" for i in range(1, len(said) + 1)]
    for name in names:
        _tone(project / "content" / name, 0.5)
    unit = _narrated(project, "[" + ", ".join(names) + "]")
    _, placed = _setting(project, unit)
    voices = placed_narration(unit, placed)
    assert [v.start for v in voices] == [s.cues[0].start for s in said]
    assert [v.end for v in voices] == [s.cues[0].start for s in said[1:]] + [placed[-1].end]


def test_a_count_of_recordings_that_fits_nothing_is_a_problem_on_its_line(
        project: Path, run: Run) -> None:
    for name in ("a.wav", "b.wav", "c.wav", "d.wav", "e.wav", "f.wav", "g.wav"):
        _tone(project / "content" / name, 0.5)
    _narrated(project, "[a.wav, b.wav, c.wav, d.wav, e.wav, f.wav, g.wav]")
    status, _, err = run("check", "--project", str(project))
    assert status == 1
    assert "content/khai-sinh.md:" in err and "narration: 7 sound files, but the clip has" in err
    assert "Traceback" not in err


def test_a_recording_longer_than_its_place_is_a_problem(project: Path) -> None:
    _tone(project / "content" / "dai.wav", 70)
    unit = _narrated(project, "dai.wav")
    template, placed = _setting(project, unit)
    with pytest.raises(ProblemError) as caught:
        mix(unit, template, "16x9", placed, project)
    problem = caught.value.problems[0]
    assert problem.field == "narration" and problem.line is not None
    assert "dai.wav lasts 70.0 s, but its place in the clip lasts" in problem.what


def test_check_says_a_recording_is_too_long_on_its_line(project: Path, run: Run) -> None:
    _tone(project / "content" / "dai.wav", 70)
    _narrated(project, "dai.wav")
    status, _, err = run("check", "--project", str(project))
    assert status == 1
    assert "content/khai-sinh.md:" in err and "dai.wav lasts 70.0 s" in err


def test_music_the_template_names_must_be_there(project: Path) -> None:
    template = load_template(project, "video", VideoTemplate)
    template = template.model_copy(update={"sound": template.sound.model_copy(
        update={"music": "am-thanh/khong-co.mp3"})})
    [problem] = music_problems(template, project)
    assert problem.field == "sound.music" and "khong-co.mp3" in problem.what


def test_recordings_and_music_are_what_the_clip_is_made_from(project: Path) -> None:
    from toolkit.jobs import Context

    _tone(project / "content" / "doc.wav", 1)
    unit = _narrated(project, "doc.wav")
    template = load_template(project, "video", VideoTemplate)
    template = template.model_copy(update={"sound": template.sound.model_copy(
        update={"music": "nhac.wav"})})
    settings = open_project(project).settings
    context = Context(settings, template, unit.publish.date(), project)
    [clip, *_] = CHANNEL.plan([unit], context)
    assert project / "nhac.wav" in clip.reads
    assert project / "content" / "doc.wav" in clip.reads


def test_a_clip_without_music_or_narration_has_no_mix(project: Path) -> None:
    unit = next(u for u in load_content(project, project / "content").units
                if u.id == "khai-sinh")
    template, placed = _setting(project, unit)
    assert mix(unit, template, "16x9", placed, project) is None


@pytest.mark.slow
def test_a_narrated_clip_with_music_sounds_at_each_sizes_loudness(project: Path,
                                                                 tmp_path: Path) -> None:
    from toolkit.channels.video import render_clip

    _tone(project / "content" / "doc.wav", 6)
    _tone(project / "nhac.wav", 8, hertz=660)
    unit = _narrated(project, "doc.wav")
    template, _ = _setting(project, unit)
    template = template.model_copy(update={"sound": template.sound.model_copy(
        update={"music": "nhac.wav"})})
    settings = open_project(project).settings
    for size, target in (("16x9", -23), ("9x16", -16)):
        mp4, _ = render_clip(unit, settings, template, size, project)
        clip = tmp_path / f"{size}.mp4"
        clip.write_bytes(mp4)
        streams = subprocess.run([ffmpeg(), "-hide_banner", "-i", str(clip)],
                                 capture_output=True, text=True).stderr
        assert "Video: h264" in streams and "Audio: aac" in streams
        assert abs(loudness(clip) - target) <= 1.0
        again, _ = render_clip(unit, settings, template, size, project)
        assert again == mp4
