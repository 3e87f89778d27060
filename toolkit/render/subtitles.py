"""Subtitles after professional norms, and their SRT and WebVTT files.

A cue holds at most two lines of at most 42 characters, broken at natural
places (after punctuation, between phrases), never inside a word; it stays on
screen long enough to read at 17 characters a second, at least 5/6 s and at
most 7 s; cues never overlap and two frames separate them. Times fall on frame
boundaries, so the burned-in subtitles and the sidecar files agree exactly.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

CLAUSE_END = re.compile(r"[,;:.!?…)»”]$")
# Vietnamese words that open a phrase: a line or cue may start before them. (A
# Vietnamese word is often two syllables, "đăng nhập", that must stay together.)
PHRASE_OPENERS = frozenset(
    ["và", "hoặc", "hay", "nhưng", "mà", "để", "của", "tại", "qua", "trên", "cho", "với",
     "khi", "nếu", "thì", "từ", "đến", "theo", "bằng", "trong", "sau", "trước", "nơi", "vì",
     "do", "rồi", "cùng", "như"])


@dataclass(frozen=True)
class Rules:
    """The subtitle norms; templates/video/*.toml may tighten them."""

    max_chars: int = 42
    max_lines: int = 2
    min_seconds: float = 5 / 6
    max_seconds: float = 7.0
    max_cps: float = 17.0
    gap_frames: int = 2
    fps: int = 25


@dataclass(frozen=True)
class Cue:
    """Lines shown from `start` to `end`, in frames."""

    start: int
    end: int
    lines: tuple[str, ...]

    @property
    def text(self) -> str:
        """The cue's lines joined, as it is read."""
        return " ".join(self.lines)


def chunks(text: str, rules: Rules) -> list[tuple[str, ...]]:
    """The text as the lines of successive cues: whole clauses packed together while
    they fit, a clause too long for one cue cut at its most natural places."""
    groups: list[list[str]] = []
    current: list[str] = []
    for clause in _clauses(text):
        if _lines(current + clause, rules) is not None:
            current += clause
            continue
        if current:
            groups.append(current)
        pieces = _split(clause, rules)
        groups.extend(pieces[:-1])
        current = pieces[-1]
    if current:
        groups.append(current)
    return [tuple(_lines(g, rules) or [" ".join(g)]) for g in groups]


# Between cues, the place of a cut matters most; between the two lines of a cue,
# balance matters more (a two-word second line is hard to follow).
CUE_PLACE_WEIGHT = 20.0
LINE_PLACE_WEIGHT = 5.0


def _clauses(text: str) -> list[list[str]]:
    clauses: list[list[str]] = [[]]
    for word in text.split():
        clauses[-1].append(word)
        if CLAUSE_END.search(word):
            clauses.append([])
    return [c for c in clauses if c]


def _lines(words: list[str], rules: Rules) -> list[str] | None:
    """The words set in at most two lines of `max_chars`, cut at the best place; None if
    they cannot be. (A single word longer than a line stands alone on it.)"""
    if not words:
        return []
    whole = " ".join(words)
    if len(whole) <= rules.max_chars or len(words) == 1:
        return [whole]
    if rules.max_lines < 2:
        return None
    cuts = [i for i in range(1, len(words))
            if len(" ".join(words[:i])) <= rules.max_chars
            and len(" ".join(words[i:])) <= rules.max_chars]
    if not cuts:
        return None
    best = min(cuts, key=lambda i: _cut_cost(words, i, LINE_PLACE_WEIGHT))
    return [" ".join(words[:best]), " ".join(words[best:])]


def _split(words: list[str], rules: Rules) -> list[list[str]]:
    """Cut words that do not fit one cue into pieces that do, at natural places."""
    if _lines(words, rules) is not None:
        return [words]
    best = min(range(1, len(words)), key=lambda i: _cut_cost(words, i, CUE_PLACE_WEIGHT))
    return _split(words[:best], rules) + _split(words[best:], rules)


def _cut_cost(words: list[str], i: int, place_weight: float) -> float:
    """How bad a cut before words[i] is: after punctuation is best, before a word that
    opens a phrase next; uneven halves cost too (a cut never falls inside a word)."""
    left, right = len(" ".join(words[:i])), len(" ".join(words[i:]))
    if CLAUSE_END.search(words[i - 1]):
        place = 0
    elif words[i].lower() in PHRASE_OPENERS:
        place = 1
    else:
        place = 3
    return place * place_weight + abs(left - right) / max(left + right, 1) * 30


def frames_to_read(lines: tuple[str, ...], rules: Rules) -> int:
    """How many frames a cue needs on screen: reading speed, within the min and max."""
    seconds = len(" ".join(lines)) / rules.max_cps
    seconds = min(max(seconds, rules.min_seconds), rules.max_seconds)
    return math.ceil(seconds * rules.fps - 1e-9)


def timed(groups: list[tuple[str, ...]], start: int, rules: Rules) -> list[Cue]:
    """Cues one after another from frame `start`, each followed by the gap."""
    cues = []
    frame = start
    for lines in groups:
        length = frames_to_read(lines, rules)
        cues.append(Cue(frame, frame + length, lines))
        frame += length + rules.gap_frames
    return cues


def srt(cues: list[Cue], fps: int) -> bytes:
    """The cues as SubRip (.srt)."""
    blocks = [f"{i}\n{_clock(c.start, fps, ',')} --> {_clock(c.end, fps, ',')}\n"
              + "\n".join(c.lines) + "\n" for i, c in enumerate(cues, start=1)]
    return "\n".join(blocks).encode("utf-8")


def webvtt(cues: list[Cue], fps: int) -> bytes:
    """The cues as WebVTT (.vtt)."""
    blocks = [f"{_clock(c.start, fps, '.')} --> {_clock(c.end, fps, '.')}\n" + "\n".join(c.lines)
              + "\n" for c in cues]
    return ("WEBVTT\n\n" + "\n".join(blocks)).encode("utf-8")


def _clock(frame: int, fps: int, separator: str) -> str:
    millis = round(frame * 1000 / fps)
    hours, rest = divmod(millis, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    seconds, millis = divmod(rest, 1000)
    return f"{hours:02d}:{minutes:02d}:{seconds:02d}{separator}{millis:03d}"
