"""Video channel: short silent clips with burned-in subtitles, 16:9 and 9:16.

A clip is a slideshow made from the unit: a title card (organisation, title),
one slide per key point (a procedure's steps, an example's results, a notice's
topics), and a closing card with the QR code and the hotline. The subtitles
carry the words a voice would say; the same cues are written as SRT and WebVTT.
Every letter is drawn by Pillow; ffmpeg encodes the stills.

- `template.py`: the video template (templates/video/*.toml);
- `timeline.py`: the story: slides, their timing, their cues, the SRT and
  WebVTT sidecars;
- `frames.py`: drawing the slides and their subtitle states, the stills the
  encoder takes, the clip and its poster frame.

Importing this package loads neither Pillow nor ffmpeg: `frames` is imported
only when a clip is planned or laid out, so a build of other channels stays light.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial
from typing import TYPE_CHECKING

from toolkit.channels.video.template import VideoTemplate
from toolkit.channels.video.timeline import all_cues, render_sidecars, scenes
from toolkit.content.model import AnyUnit
from toolkit.jobs import Context, Job
from toolkit.problems import Problem, ProblemError

if TYPE_CHECKING:
    from toolkit.channels.video.frames import render_clip

__all__ = ["TEMPLATE", "TEMPLATES", "VideoTemplate", "all_cues", "check", "plan", "render_clip",
           "render_sidecars", "scenes"]

TEMPLATES = "video"
TEMPLATE = VideoTemplate


def plan(units: Sequence[AnyUnit], context: Context) -> list[Job]:
    """Per unit asking for video: a clip and poster frame per size, and the sidecars."""
    jobs = []
    for unit in units:
        if unit.wants("video", context.today):
            jobs.extend(_unit_jobs(unit, context))
    return jobs


def check(unit: AnyUnit, context: Context, thorough: bool = False) -> list[Problem]:
    """A clip must last at most the template's maximum; with `thorough`, its text must fit."""
    if "video" not in unit.wanted_channels:
        return []
    template: VideoTemplate = context.template  # type: ignore[assignment]
    try:
        scenes(unit, context.settings, template)
        if thorough:
            from toolkit.channels.video.frames import Frames

            for size in template.sizes:
                Frames(unit, size, context.settings, template, context.project_dir).check()
    except ProblemError as err:
        return list(err.problems)
    return []


def _unit_jobs(unit: AnyUnit, context: Context) -> list[Job]:
    from toolkit.channels.video.frames import render_clip

    template: VideoTemplate = context.template  # type: ignore[assignment]
    base = f"{unit.id}/{unit.id}"
    args = (unit, context.settings, template)
    clips = [Job((f"{base}-{size}.mp4", f"{base}-{size}.jpg"), unit.id, (unit.id,),
                 unit.fingerprint, partial(render_clip, *args, size, context.project_dir,
                                           context.scratch))
             for size in template.sizes]
    sidecars = Job((f"{base}.srt", f"{base}.vtt"), unit.id, (unit.id,), unit.fingerprint,
                   partial(render_sidecars, *args))
    return [*clips, sidecars]


def __getattr__(name: str) -> object:
    """`render_clip` on first use (it needs Pillow), for code that imports it from here."""
    if name == "render_clip":
        from toolkit.channels.video.frames import render_clip

        return render_clip
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
