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
from pathlib import Path
from typing import TYPE_CHECKING

from toolkit.channels.base import Channel, Clip, Shown
from toolkit.channels.video.template import VideoTemplate
from toolkit.channels.video.timeline import all_cues, render_sidecars, scenes
from toolkit.content.model import AnyUnit
from toolkit.i18n import N_
from toolkit.jobs import Context, File, Job
from toolkit.outbox import Item
from toolkit.problems import Problem, ProblemError

if TYPE_CHECKING:
    from toolkit.channels.video.frames import render_clip

__all__ = ["CHANNEL", "VideoTemplate", "all_cues", "render_clip", "render_sidecars", "scenes"]

VIDEO, POSTER_FRAME, SUBTITLES = "video", "poster-frame", "subtitles"


class Video(Channel[VideoTemplate]):
    """Per unit, a clip and its poster frame per size, and the subtitles beside them."""

    name = "video"
    label = N_("videos")
    slow = True
    templates = "video"
    template = VideoTemplate
    encloses = True
    reported = {VIDEO: N_("videos")}

    def plan(self, units: Sequence[AnyUnit], context: Context[VideoTemplate]) -> list[Job]:
        """Per unit asking for video: a clip and poster frame per size, and the sidecars."""
        return [job for unit in units if unit.wants(self.name, context.today)
                for job in _unit_jobs(unit, context)]

    def check(self, unit: AnyUnit, context: Context[VideoTemplate],
              thorough: bool = False) -> list[Problem]:
        """A clip must last at most the template's maximum; with `thorough`, its text must
        fit its slides."""
        if self.name not in unit.wanted_channels:
            return []
        template = context.template
        try:
            scenes(unit, context.settings, template)
            if thorough:
                from toolkit.channels.video.frames import Frames

                for size in template.sizes:
                    Frames(unit, size, context.settings, template, context.project_dir).check()
        except ProblemError as err:
            return list(err.problems)
        return []

    def shown(self, items: Sequence[Item], outbox: Path) -> dict[str, list[Shown]]:
        """Each unit's clips (landscape and portrait), with their poster frames and the
        subtitles file."""
        found: dict[str, list[Shown]] = {}
        frames = {i.path for i in items if i.product == POSTER_FRAME}
        tracks = {i.unit: i.path for i in items if i.path.endswith(".vtt")}
        for item in items:
            if item.unit is None or item.product != VIDEO:
                continue
            poster = item.path.removesuffix(".mp4") + ".jpg"
            found.setdefault(item.unit, []).append(
                Clip(item.path, poster if poster in frames else None, tracks.get(item.unit)))
        return found


CHANNEL = Video()


def _unit_jobs(unit: AnyUnit, context: Context[VideoTemplate]) -> list[Job]:
    from toolkit.channels.video.frames import render_clip

    template = context.template
    base = f"{unit.id}/{unit.id}"
    args = (unit, context.settings, template)
    fonts = template.fonts.files(context.project_dir)
    clips = [Job((File(f"{base}-{size}.mp4", VIDEO), File(f"{base}-{size}.jpg", POSTER_FRAME)),
                 unit.id, (unit.id,),
                 partial(render_clip, *args, size, context.project_dir, context.scratch), fonts)
             for size in template.sizes]
    sidecars = Job((File(f"{base}.srt", SUBTITLES), File(f"{base}.vtt", SUBTITLES)), unit.id,
                   (unit.id,), partial(render_sidecars, *args))
    return [*clips, sidecars]


def __getattr__(name: str) -> object:
    """`render_clip` on first use (it needs Pillow), for code that imports it from here."""
    if name == "render_clip":
        from toolkit.channels.video.frames import render_clip

        return render_clip
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
