"""The story of a clip: its slides, their place on the timeline, and their cues.

A title card (organisation, title, the summary said), one slide per key point
(a procedure's steps, an example's results, a notice's topics) and a closing
card (QR code, hotline). A key point's slide shows it short (its first clause,
or as far as a phrase opener) and the caption says it whole, so a viewer never
reads one sentence twice; a point short enough to be its own headline has no
caption; an editor may give the short form itself (`{short: ..., text: ...}`).
Each slide lasts as long as its subtitles (or its headline) take to read, at
least its template minimum; times are in frames, so the burned-in subtitles and
the SRT and WebVTT sidecars agree exactly. A unit's recorded narration is one
file for the whole script, from the first caption on, or one a captioned slide,
each from its slide's first caption (`placed_narration`).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from toolkit.channels.video.template import VideoTemplate
from toolkit.content.model import MAX_SHORT_CHARS, AnyUnit
from toolkit.content.view import hotline
from toolkit.i18n import _, decimal, ngettext
from toolkit.problems import Problem, ProblemError
from toolkit.render.subtitles import (
    PHRASE_OPENERS,
    Cue,
    chunks,
    frames_to_read,
    srt,
    timed,
    webvtt,
)
from toolkit.settings import Settings

MOST_NAMED = 5  # slides a message names; past this, the longest of them
HEADLINE_CHARS = MAX_SHORT_CHARS  # a key point's slide shows at most this, cut at a phrase
HEADLINE_WORDS = 3  # and at least this many words
CLAUSE = re.compile(r"[,;:](?=\s)|\.(?=\s)|\s[-–]\s")
WORTH_NAMING = 0.5  # seconds a slide lasts past its least for its text to be worth cutting


@dataclass(frozen=True)
class Slide:
    """One slide: what it shows, what its subtitles say, how long it lasts at least."""

    kind: str  # "title", "point" or "closing"
    text: str
    label: str
    say: str
    least: float
    item: int = 0  # a point's place among the key points, from 1


@dataclass(frozen=True)
class Scene:
    """A slide placed on the timeline, with its cues, in frames."""

    slide: Slide
    start: int
    end: int
    cues: tuple[Cue, ...]


def slides(unit: AnyUnit, settings: Settings, template: VideoTemplate) -> list[Slide]:
    """Title card, a slide per key point, closing card. A point's slide shows the short
    form its editor gave it, else its headline, and its caption says it whole."""
    timing, labels = template.timing, template.labels
    points = unit.key_points
    label = getattr(labels, unit.kind)
    number = hotline(unit, settings)
    shown = [unit.short_point(i) or headline(point) for i, point in enumerate(points, start=1)]
    return [Slide("title", unit.title, settings.organisation.name, unit.summary, timing.title),
            *[Slide("point", text, label.format(n=i, total=len(points)),
                    point if text != point else "", timing.point, i)
              for i, (text, point) in enumerate(zip(shown, points, strict=True), start=1)],
            Slide("closing", number, labels.closing, labels.call.format(hotline=number),
                  timing.closing)]


def headline(point: str) -> str:
    """A key point as its slide shows it: its first clause (with the next ones while it
    is shorter than HEADLINE_WORDS words); if that is longer than HEADLINE_CHARS, as far
    as the last phrase opener ("và", "hoặc", "để"...) that keeps it within them, or the
    clause whole if none does."""
    clauses = CLAUSE.split(point)
    first = clauses[0]
    for clause in clauses[1:]:
        if len(first.split()) >= HEADLINE_WORDS:
            break
        first = point[:point.index(clause, len(first)) + len(clause)]
    first = first.strip().rstrip(".")
    if len(first) > HEADLINE_CHARS:
        words = first.split()
        cuts = [i for i in range(HEADLINE_WORDS, len(words)) if words[i].lower() in
                PHRASE_OPENERS and len(" ".join(words[:i])) <= HEADLINE_CHARS]
        first = " ".join(words[:cuts[-1]]).rstrip(",;:") if cuts else first
    return point if first == point.rstrip(".") else first


def scenes(unit: AnyUnit, settings: Settings, template: VideoTemplate) -> list[Scene]:
    """The slides on a timeline: each as long as its subtitles need, at least its least;
    a short clip's closing card is held to reach the minimum length. A clip longer than
    the template's maximum is a ProblemError for its unit."""
    rules, fps = template.rules(), template.fps
    placed: list[Scene] = []
    frame = 0
    for slide in slides(unit, settings, template):
        cues = tuple(timed(chunks(slide.say, rules), frame, rules)) if slide.say else ()
        said = cues[-1].end + rules.gap_frames if cues else \
            frame + frames_to_read((slide.text,), rules)
        end = max(frame + round(slide.least * fps), said)
        placed.append(Scene(slide, frame, end, cues))
        frame = end
    shortfall = round(template.timing.min_total * fps) - frame
    if shortfall > 0:
        last = placed[-1]
        placed[-1] = Scene(last.slide, last.start, last.end + shortfall, last.cues)
    if placed[-1].end / fps > template.timing.max_total:
        raise ProblemError(too_long(unit, placed, template))
    return placed


def too_long(unit: AnyUnit, placed: list[Scene], template: VideoTemplate) -> Problem:
    """What makes a clip longer than the template allows: the slides that last longest
    past their least, with how long each takes, and how many characters of their text
    to cut (at the subtitles' reading speed), or how many key points fewer would do."""
    fps, most = template.fps, template.timing.max_total
    total = placed[-1].end / fps
    excess = total - most
    field = unit.KEY_POINTS
    named, spare = _longest(placed, excess, fps)
    what = _clip_too_long(total, most, named, fps)
    if spare < excess:
        fewer = _fewer(placed, excess, fps, longest_first=False)
        fix = ngettext("give {fewer} key point fewer", "give {fewer} key points fewer",
                       fewer).format(fewer=fewer)
        return Problem(unit.source, unit.lines.get(field), field, what, fix)
    pace = template.rules().pace
    chars = math.ceil(excess * pace)
    cps = decimal(pace)
    points = [s.slide for s in named if s.slide.item]
    if not points:  # the summary alone, said on the title card
        fix = ngettext("shorten it by {chars} character (subtitles are read at {cps} "
                       "characters a second)",
                       "shorten it by {chars} characters (subtitles are read at {cps} "
                       "characters a second)", chars).format(chars=chars, cps=cps)
        return Problem(unit.source, unit.lines.get("summary"), "summary", what, fix)
    fix = _("shorten them by {chars} characters in all (subtitles are read at {cps} "
            "characters a second), or leave out {fewer} of them").format(
        chars=chars, cps=cps, fewer=_fewer(named, excess, fps, longest_first=True))
    line = unit.lines.get(f"{field}.{points[0].item}") or unit.lines.get(field)
    return Problem(unit.source, line, field, what, fix)


def _clip_too_long(total: float, most: float, named: list[Scene], fps: int) -> str:
    """How long the clip would last, and its longest slides, longest first."""
    shown = named[:MOST_NAMED]
    if not shown:
        return _("the clip would last {total} s, more than {most} s").format(
            total=round(total), most=decimal(most))
    slides = ", ".join(_slide_length(s, fps) for s in shown) + ("…" if named[MOST_NAMED:]
                                                                  else "")
    return _("the clip would last {total} s, more than {most} s; the longest: {slides}").format(
        total=round(total), most=decimal(most), slides=slides)


def _seconds(scene: Scene, fps: int) -> float:
    return (scene.end - scene.start) / fps


def _longest(placed: list[Scene], excess: float, fps: int) -> tuple[list[Scene], float]:
    """The slides whose text makes them last longest past their least, longest first, as
    many as it takes to make `excess` seconds of room by shortening (or all of them), and
    the room shortening them would make."""
    named: list[Scene] = []
    spare = 0.0
    for scene in sorted(placed[:-1], key=lambda s: (s.start - s.end, s.start)):
        extra = _seconds(scene, fps) - scene.slide.least
        if spare >= excess or extra < WORTH_NAMING:
            break
        named.append(scene)
        spare += extra
    return named, spare


def _fewer(placed: list[Scene], excess: float, fps: int, longest_first: bool) -> int:
    """How many key points fewer make `excess` seconds of room: the longest going first,
    or (whichever go) the shortest."""
    points = sorted((_seconds(s, fps) for s in placed if s.slide.item), reverse=longest_first)
    dropped = 0.0
    for fewer, seconds in enumerate(points, start=1):
        dropped += seconds
        if dropped >= excess:
            return fewer
    return len(points)


def _slide_length(scene: Scene, fps: int) -> str:
    """A slide and how long it lasts: "item 3 (9 s)", "the summary (7 s)"."""
    seconds = round((scene.end - scene.start) / fps)
    if scene.slide.item:
        return _("item {n} ({seconds} s)").format(n=scene.slide.item, seconds=seconds)
    return _("the summary ({seconds} s)").format(seconds=seconds)


def all_cues(placed: list[Scene]) -> list[Cue]:
    """Every cue of the clip, in order."""
    return [cue for scene in placed for cue in scene.cues]


def render_sidecars(unit: AnyUnit, settings: Settings, template: VideoTemplate
                    ) -> tuple[bytes, bytes]:
    """The subtitles as SRT and WebVTT: the same cues as those burned in."""
    cues = all_cues(scenes(unit, settings, template))
    return srt(cues, template.fps), webvtt(cues, template.fps)


@dataclass(frozen=True)
class Placed:
    """A narration file of a unit, the frame it starts at and the frame by which it must
    be over."""

    value: str
    number: int  # its place in `narration:`, from 1
    start: int
    end: int


def placed_narration(unit: AnyUnit, placed: list[Scene]) -> list[Placed]:
    """Where each of the unit's narration files goes; a ProblemError when it gives
    neither one file nor one a captioned slide."""
    files = unit.narration
    said = [scene for scene in placed if scene.cues]
    if not files or not said:
        return []
    end = placed[-1].end
    if len(files) == 1:
        return [Placed(files[0], 1, said[0].cues[0].start, end)]
    if len(files) != len(said):
        raise ProblemError(Problem(
            unit.source, unit.lines.get("narration"), "narration",
            _("{given} sound files, but the clip has {slides} captioned slides").format(
                given=len(files), slides=len(said)),
            _("give one recording for each captioned slide, in order (the summary, each key "
              "point with a caption, the closing call), or one recording of the whole script")))
    starts = [scene.cues[0].start for scene in said]
    return [Placed(value, number, start, until) for number, (value, start, until)
            in enumerate(zip(files, starts, [*starts[1:], end], strict=True), start=1)]
