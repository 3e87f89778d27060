"""The story of a clip: its slides, their place on the timeline, and their cues.

A title card (organisation, title, the summary said), one slide per key point
(a procedure's steps, an example's results, a notice's topics) and a closing
card (QR code, hotline). Each slide lasts as long as its subtitles need, at
least its template minimum; times are in frames, so the burned-in subtitles and
the SRT and WebVTT sidecars agree exactly.
"""

from __future__ import annotations

from dataclasses import dataclass

from toolkit.channels.video.template import VideoTemplate
from toolkit.content.model import AnyUnit
from toolkit.content.view import hotline
from toolkit.problems import Problem, ProblemError
from toolkit.render.subtitles import Cue, chunks, srt, timed, webvtt
from toolkit.settings import Settings


@dataclass(frozen=True)
class Slide:
    """One slide: what it shows, what its subtitles say, how long it lasts at least."""

    kind: str  # "title", "point" or "closing"
    text: str
    label: str
    say: str
    least: float


@dataclass(frozen=True)
class Scene:
    """A slide placed on the timeline, with its cues, in frames."""

    slide: Slide
    start: int
    end: int
    cues: tuple[Cue, ...]


def slides(unit: AnyUnit, settings: Settings, template: VideoTemplate) -> list[Slide]:
    """Title card, a slide per key point, closing card."""
    timing, labels = template.timing, template.labels
    points = unit.key_points
    label = getattr(labels, unit.kind)
    number = hotline(unit, settings)
    return [Slide("title", unit.title, settings.organisation.name, unit.summary, timing.title),
            *[Slide("point", point, label.format(n=i, total=len(points)), point, timing.point)
              for i, point in enumerate(points, start=1)],
            Slide("closing", number, labels.closing, labels.call.format(hotline=number),
                  timing.closing)]


def scenes(unit: AnyUnit, settings: Settings, template: VideoTemplate) -> list[Scene]:
    """The slides on a timeline: each as long as its subtitles need, at least its least;
    a short clip's closing card is held to reach the minimum length. A clip longer than
    the template's maximum is a ProblemError for its unit."""
    rules, fps = template.rules(), template.fps
    placed: list[Scene] = []
    frame = 0
    for slide in slides(unit, settings, template):
        cues = tuple(timed(chunks(slide.say, rules), frame, rules))
        end = max(frame + round(slide.least * fps), cues[-1].end + rules.gap_frames)
        placed.append(Scene(slide, frame, end, cues))
        frame = end
    shortfall = round(template.timing.min_total * fps) - frame
    if shortfall > 0:
        last = placed[-1]
        placed[-1] = Scene(last.slide, last.start, last.end + shortfall, last.cues)
    total = placed[-1].end / fps
    if total > template.timing.max_total:
        raise ProblemError(Problem(unit.source, None, "video",
                                   f"the clip would last {total:.0f} s, more than "
                                   f"{template.timing.max_total:g} s",
                                   "shorten the summary or the key points (steps, results, "
                                   "topics), or give fewer of them"))
    return placed


def all_cues(placed: list[Scene]) -> list[Cue]:
    """Every cue of the clip, in order."""
    return [cue for scene in placed for cue in scene.cues]


def render_sidecars(unit: AnyUnit, settings: Settings, template: VideoTemplate
                    ) -> tuple[bytes, bytes]:
    """The subtitles as SRT and WebVTT: the same cues as those burned in."""
    cues = all_cues(scenes(unit, settings, template))
    return srt(cues, template.fps), webvtt(cues, template.fps)
