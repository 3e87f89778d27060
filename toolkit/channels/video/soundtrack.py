"""What a clip sounds like: the template's music bed and the unit's narration, placed at
its captions (the mixing itself is toolkit/render/sound.py's, with ffmpeg filters).

Where a unit's narration goes is the timeline's (`placed_narration`). A recording
longer than the time its slide (or the clip) gives it is a problem for its unit:
the next voice would talk over it. Without music and without narration a clip
stays silent: no sound track at all.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from toolkit.channels.video.template import VideoTemplate
from toolkit.channels.video.timeline import Placed, Scene, placed_narration
from toolkit.content.model import AnyUnit
from toolkit.content.sounds import NARRATION_FIX, BadSound, audio_path
from toolkit.i18n import _, decimal
from toolkit.problems import Problem, ProblemError
from toolkit.render.sound import Mix, Voice, duration, soundtrack, with_sound

TEMPLATE_FILE = "templates/video"  # where a problem with the music is said to be
SLACK = 0.25  # seconds a recording may run past its slide (a breath, a fade)


def music_problems(template: VideoTemplate, project_dir: Path) -> list[Problem]:
    """What is wrong with the template's music file, if it names one."""
    try:
        _music(template, project_dir)
    except ProblemError as err:
        return list(err.problems)
    return []


def narration_problems(unit: AnyUnit, template: VideoTemplate, placed: list[Scene],
                       project_dir: Path) -> list[Problem]:
    """What is wrong with a unit's narration: a file that cannot be read, or that lasts
    longer than its place (each decoded by ffmpeg, as `toolkit check` asks)."""
    try:
        for where in placed_narration(unit, placed):
            _voice(unit, template, where, project_dir)
    except ProblemError as err:
        return list(err.problems)
    return []


def mix(unit: AnyUnit, template: VideoTemplate, size: str, placed: list[Scene],
        project_dir: Path) -> Mix | None:
    """The mix of a clip of `size`: the music, the unit's voices at their captions, the
    size's loudness; None for a silent clip. A recording too long for its place is a
    ProblemError for the unit."""
    music = _music(template, project_dir)
    voices = tuple(_voice(unit, template, where, project_dir)
                   for where in placed_narration(unit, placed))
    if music is None and not voices:
        return None
    sound = template.sound
    return Mix(music, voices, sound.target(size), sound.true_peak, sound.duck_db, sound.music_db)


def with_soundtrack(encode_clip: Callable[[], bytes], sound: Mix | None, seconds: float,
                    scratch: Path | None) -> bytes:
    """The clip `encode_clip` makes, with its sound track (mixed by ffmpeg beside the
    encode, in a thread that only waits for it), or as it is when it has none."""
    if sound is None:
        return encode_clip()
    with tempfile.TemporaryDirectory(prefix="toolkit-sound-", dir=scratch) as folder, \
            ThreadPoolExecutor(1) as beside:
        work = Path(folder)
        mixing = beside.submit(soundtrack, sound, seconds, work)
        mp4 = encode_clip()
        track = mixing.result()
        if track is None:
            return mp4
        (work / "silent.mp4").write_bytes(mp4)
        with_sound(work / "silent.mp4", track, work / "clip.mp4")
        return (work / "clip.mp4").read_bytes()


def _music(template: VideoTemplate, project_dir: Path) -> Path | None:
    value = template.sound.music
    if not value:
        return None
    try:
        return audio_path(value, project_dir, project_dir)
    except BadSound as err:
        raise ProblemError(Problem(TEMPLATE_FILE, None, "sound.music", err.what, err.fix or _(
            "give the path from the project folder, e.g. music = \"am-thanh/nhac-nen.mp3\""))
        ) from None


def _voice(unit: AnyUnit, template: VideoTemplate, where: Placed, project_dir: Path) -> Voice:
    """A narration file as a voice at its place; a ProblemError if it cannot be used or
    lasts longer than its place."""
    line = unit.lines.get(f"narration.{where.number}") or unit.lines.get("narration")
    try:
        path = audio_path(where.value, (project_dir / unit.source).parent, project_dir)
    except BadSound as err:
        raise ProblemError(Problem(unit.source, line, "narration", err.what,
                                   err.fix or _(NARRATION_FIX))) from None
    fps = template.fps
    room = (where.end - where.start) / fps
    seconds = duration(path)
    if seconds > room + SLACK:
        raise ProblemError(Problem(
            unit.source, line, "narration",
            _("{file} lasts {seconds} s, but its place in the clip lasts {room} s").format(
                file=where.value, seconds=decimal(seconds, 1),
                room=decimal(room, 1)),
            _("record it again a little faster, or cut the silence at its start and end")))
    return Voice(path, where.start / fps)
