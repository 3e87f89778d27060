"""Raster text for video frames: Pillow with libraqm and real font metrics.

moviepy's TextClip cuts Vietnamese marks (the top mark of "CHUẨN" vanishes), so
every letter on a frame is drawn here, from the same font files as print.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from itertools import pairwise
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from toolkit.render import most_words
from toolkit.render.qr import QUIET_ZONE, qr_modules

RGB = tuple[int, int, int]


@cache
def font(path: Path, size: int) -> ImageFont.FreeTypeFont:
    """A font at a pixel size, loaded once per process."""
    return ImageFont.truetype(str(path), size, layout_engine=ImageFont.Layout.RAQM)


@dataclass(frozen=True)
class Block:
    """Lines of text set in one font, with the line height they stand at."""

    lines: tuple[str, ...]
    face: ImageFont.FreeTypeFont
    leading: float

    @property
    def line_height(self) -> int:
        """Pixels from one line's top to the next."""
        return round(self.face.size * self.leading)

    @property
    def height(self) -> int:
        """Pixels the block stands."""
        return self.line_height * len(self.lines)

    @property
    def width(self) -> float:
        """The longest line's length in pixels."""
        return max((reach(self.face, line) for line in self.lines), default=0.0)


def reach(face: ImageFont.FreeTypeFont, line: str) -> float:
    """How far right of its start a line reaches: its advance, or its ink where a last
    letter's stroke or mark overhangs it (which must stay in the safe zone too)."""
    return max(face.getlength(line), face.getbbox(line)[2])


def wrap(text: str, face: ImageFont.FreeTypeFont, width: float, leading: float = 1.2) -> Block:
    """Break text into lines no longer than `width` pixels (a longer word stands alone)."""
    lines: list[str] = []
    for word in text.split():
        candidate = f"{lines[-1]} {word}" if lines else word
        if lines and face.getlength(candidate) <= width:
            lines[-1] = candidate
        else:
            lines.append(word)
    return Block(tuple(lines), face, leading)


def fit(text: str, path: Path, largest: int, floor: int, box: tuple[float, float],
        leading: float = 1.15) -> Block | None:
    """The text at the largest size, stepping down to the floor, that fits the box (its
    ink too); its lines balanced."""
    width, height = box
    size = largest
    while size >= floor:
        block = wrap(text, font(path, size), width, leading)
        if block.height <= height and block.width <= width:
            return balanced(block, width)
        size -= 2
    return None


def balanced(block: Block, width: float) -> Block:
    """The same words in as many lines, broken where a reader expects it (after a clause,
    before a conjunction, not inside a two-syllable word: `subtitles.place_cost`), and of
    those breaks the most even: a headline as a designer sets it. The whole text is set at
    once (dynamic programming over the words' own widths, fonts asked once a word)."""
    from toolkit.render.subtitles import place_cost

    words = " ".join(block.lines).split()
    sizes = [block.face.getlength(word) for word in words]
    space = block.face.getlength(" ")

    def line(a: int, b: int) -> float:
        return sum(sizes[a:b]) + space * (b - a - 1)

    def cost(a: int, b: int) -> float:
        """Words a to b as one line: how far it falls short, and the break before it."""
        short = ((width - line(a, b)) / width) ** 2
        return short + (BREAK_WEIGHT * place_cost(words[a - 1], words[a]) if a else 0.0)

    count = len(block.lines)
    best: dict[tuple[int, int], tuple[float, int]] = {(0, 0): (0.0, 0)}  # (words, lines)
    for lines in range(1, count + 1):
        for end in range(lines, len(words) + 1):
            ways = [(best[start, lines - 1][0] + cost(start, end), start)
                    for start in range(lines - 1, end)
                    if (start, lines - 1) in best and line(start, end) <= width]
            if ways:
                best[end, lines] = min(ways)
    if (len(words), count) not in best:
        return block
    edges, end = [len(words)], len(words)
    for lines in range(count, 0, -1):
        end = best[end, lines][1]
        edges.append(end)
    edges.reverse()
    chosen = Block(tuple(" ".join(words[a:b]) for a, b in pairwise(edges)), block.face,
                   block.leading)
    return chosen if chosen.width <= width else block


BREAK_WEIGHT = 0.2  # a break's place cost against the shortfall of the lines it makes


def fitting_words(text: str, path: Path, size: int, box: tuple[float, float],
                  leading: float = 1.15) -> int:
    """How many of the text's first words fit the box at `size` (as `fit` sets them): what
    to keep of a text that does not fit even at the floor. 0 if not even the first does."""
    words = text.split()
    face = font(path, size)

    def fits(n: int) -> bool:
        block = wrap(" ".join(words[:n]), face, box[0], leading)
        return block.height <= box[1] and block.width <= box[0]

    return most_words(len(words), fits)


def draw_block(draw: ImageDraw.ImageDraw, block: Block, x: float, y: float, fill: RGB,
               centred_in: float | None = None) -> None:
    """Draw the block's lines from (x, y) down; centred in a width when given."""
    for i, line in enumerate(block.lines):
        left = x
        if centred_in is not None:
            left = x + (centred_in - block.face.getlength(line)) / 2
        draw.text((left, y + i * block.line_height), line, font=block.face, fill=fill)


def qr_image(value: str, side: int, dark: RGB, light: RGB) -> Image.Image:
    """A QR code `side` pixels square, quiet zone included, modules on whole pixels."""
    modules = qr_modules(value)
    count = len(modules) + 2 * QUIET_ZONE
    small = Image.new("RGB", (count, count), light)
    pixels = small.load()
    assert pixels is not None  # a new image is loaded at once
    for r, row in enumerate(modules):
        for c, is_dark in enumerate(row):
            if is_dark:
                pixels[c + QUIET_ZONE, r + QUIET_ZONE] = dark
    box = max(1, side // count)
    return small.resize((count * box, count * box), Image.Resampling.NEAREST)


def hex_rgb(colour: str) -> RGB:
    """#RRGGBB as a tuple of three 0-255 values."""
    return int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16)
