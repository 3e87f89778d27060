"""Video channel: short clips with burned-in subtitles, 16:9 and 9:16.

A clip is a motion-graphics slideshow made from the unit: a title card
(organisation, title; the unit's photo drifting under it, if it has one), one
slide per key point (a procedure's steps, an example's results, a notice's
topics) and a closing card with the QR code and the hotline. Each slide slides
in and its pieces enter one after another, then it is held while its subtitles
say the words a voice would say; the same cues are written as SRT and WebVTT.
Silent by default; with the template's music or the unit's narration, a sound
track normalised to each size's loudness. Every letter is drawn by Pillow;
ffmpeg encodes and mixes.

- `template.py`: the video template (templates/video/*.toml);
- `timeline.py`: the story: slides, their timing, their cues, the SRT and
  WebVTT sidecars, where the narration goes;
- `frames.py`: drawing the slides, their entrances and their subtitle states,
  the clip and its poster frame;
- `soundtrack.py`: the music and the narration as a mix.

Besides each unit's files, `playlist.m3u8` lists the clips a waiting-room
screen plays (`on_screen`): the landscape clip of every live unit, newest
first, for signage players that read playlists; `toolkit serve`'s `/screen`
plays the same list in a browser (`toolkit.review.screen`).

Importing this package loads neither Pillow nor ffmpeg: `frames` is imported
only when a clip is planned or laid out, so a build of other channels stays light.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote

from toolkit.channels.base import Channel, Clip, Shown
from toolkit.channels.video.template import VideoTemplate
from toolkit.channels.video.timeline import all_cues, placed_narration, render_sidecars, scenes
from toolkit.content.model import AnyUnit
from toolkit.i18n import N_
from toolkit.jobs import Context, File, Job
from toolkit.outbox import Item
from toolkit.problems import Problem, ProblemError

if TYPE_CHECKING:
    from datetime import date

    from toolkit.channels.video.frames import render_clip
    from toolkit.settings import Settings

__all__ = ["CHANNEL", "VideoTemplate", "all_cues", "clip_path", "on_screen", "render_clip",
           "render_playlist", "render_sidecars", "scenes", "screen_size"]

VIDEO, POSTER_FRAME, SUBTITLES, PLAYLIST = "video", "poster-frame", "subtitles", "playlist"
PLAYLIST_FILE = "playlist.m3u8"


class Video(Channel[VideoTemplate]):
    """Per unit, a clip and its poster frame per size, and the subtitles beside them."""

    name = "video"
    label = N_("videos")
    slow = True
    templates = "video"
    template = VideoTemplate
    encloses = True
    reported = {VIDEO: N_("videos")}
    # extended M3U, UTF-8: the type players know it by (not HLS's, which it is not)
    media_types = {".m3u8": "audio/x-mpegurl"}

    def plan(self, units: Sequence[AnyUnit], context: Context[VideoTemplate]) -> list[Job]:
        """Per unit asking for video: a clip and poster frame per size, and the sidecars;
        and the playlist of the live units' landscape clips."""
        fonts = context.template.fonts.files(context.project_dir)
        return [*(job for unit in units if unit.wants(self.name, context.today)
                  for job in _unit_jobs(unit, context, fonts)),
                *_playlist_jobs(units, context)]

    def check(self, unit: AnyUnit, context: Context[VideoTemplate],
              thorough: bool = False) -> list[Problem]:
        """A clip must last at most the template's maximum, and its narration be one file
        or one a captioned slide; with `thorough`, its text must fit its slides and each
        recording its place."""
        if self.name not in unit.wanted_channels:
            return []
        template = context.template
        try:
            placed = scenes(unit, context.settings, template)
            placed_narration(unit, placed)
            if thorough:
                from toolkit.channels.video.frames import Frames
                from toolkit.channels.video.soundtrack import narration_problems

                for size in template.sizes:
                    Frames(unit, size, context.settings, template, context.project_dir).check()
                return narration_problems(unit, template, placed, context.project_dir)
        except ProblemError as err:
            return list(err.problems)
        return []

    def check_settings(self, context: Context[VideoTemplate]) -> list[Problem]:
        """The template's music file, if it names one: there, and a sound file."""
        from toolkit.channels.video.soundtrack import music_problems

        return music_problems(context.template, context.project_dir)

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


def _unit_jobs(unit: AnyUnit, context: Context[VideoTemplate], fonts: tuple[Path, ...]
               ) -> list[Job]:
    """A unit's clips and poster frames, which read the fonts, its photo and its sound
    files, and its subtitle files."""
    from toolkit.channels.video.frames import render_clip
    from toolkit.render.encode import THREADS

    template = context.template
    base = f"{unit.id}/{unit.id}"
    args = (unit, context.settings, template)
    reads = (*fonts,
             *photo_file(unit, context.project_dir),
             *_sound_files(unit, template, context.project_dir))
    clips = [Job((File(f"{base}-{size}.mp4", VIDEO), File(f"{base}-{size}.jpg", POSTER_FRAME)),
                 unit.id, (unit.id,),
                 partial(render_clip, *args, size, context.project_dir, context.scratch), reads,
                 threads=THREADS)
             for size in template.sizes]
    sidecars = Job((File(f"{base}.srt", SUBTITLES), File(f"{base}.vtt", SUBTITLES)), unit.id,
                   (unit.id,), partial(render_sidecars, *args))
    return [*clips, sidecars]


def photo_file(unit: AnyUnit, project_dir: Path) -> tuple[Path, ...]:
    """The unit's photo, which its title card shows, if it has one."""
    return ((project_dir / unit.source).parent / unit.image,) if unit.image else ()


def _sound_files(unit: AnyUnit, template: VideoTemplate, project_dir: Path) -> tuple[Path, ...]:
    """The files a unit's clips sound from (the music, its narration), for the build to
    fingerprint: a new recording remakes the clip."""
    folder = (project_dir / unit.source).parent
    music = (project_dir / template.sound.music,) if template.sound.music else ()
    return (*music, *(folder / value for value in unit.narration))


def screen_size(template: VideoTemplate) -> str | None:
    """The size a waiting-room screen plays: the widest landscape one of the template
    (16x9 by default), the first of equals; None when it makes no landscape clip."""
    landscape = [(width / height, name) for name, (width, height) in template.sizes.items()
                 if width > height]
    return max(landscape, key=lambda wide: wide[0])[1] if landscape else None


def clip_path(unit_id: str, size: str) -> str:
    """Where the clip of a unit at a size is, in the channel's folder."""
    return f"{unit_id}/{unit_id}-{size}.mp4"


def on_screen(units: Iterable[AnyUnit], today: date) -> list[AnyUnit]:
    """The units whose clips a waiting-room screen plays on `today`, in its order: those
    asking for video that are live (published, not expired: they drop out on the day
    after `expires`), newest publish date first, then by id, as the feed: each loop
    opens with the newest news."""
    live = [u for u in units if CHANNEL.name in u.wanted_channels and u.is_live(today)]
    return sorted(live, key=lambda u: (u.publish, u.id), reverse=True)


def _playlist_jobs(units: Sequence[AnyUnit], context: Context[VideoTemplate]) -> list[Job]:
    size = screen_size(context.template)
    if size is None:
        return []
    shown = tuple(on_screen(units, context.today))
    render = partial(render_playlist, shown, size, context.settings, context.template)
    return [Job((File(PLAYLIST_FILE, PLAYLIST),), None, tuple(u.id for u in shown), render)]


def render_playlist(units: Sequence[AnyUnit], size: str, settings: Settings,
                    template: VideoTemplate) -> tuple[bytes]:
    """The playlist of `units`' clips at `size` (extended M3U, UTF-8), for signage players.

    Each clip has its length in whole seconds (rounded up: a player that trusts it never
    cuts the end) and its title; its address is relative to the playlist's folder, so a
    player finds the clips whether it reads the file from the outbox folder or over HTTP.
    The same units give the same bytes; no unit gives a playlist of no clip.
    """
    lines = ["#EXTM3U"]
    for unit in units:
        seconds = scenes(unit, settings, template)[-1].end / template.fps
        title = " ".join(unit.title.split())
        lines += [f"#EXTINF:{max(1, math.ceil(seconds))},{title}",
                  quote(clip_path(unit.id, size))]
    return ("\n".join(lines).encode("utf-8") + b"\n",)


def __getattr__(name: str) -> object:
    """`render_clip` on first use (it needs Pillow), for code that imports it from here."""
    if name == "render_clip":
        from toolkit.channels.video.frames import render_clip

        return render_clip
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
