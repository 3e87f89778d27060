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
        if lines and reach(face, candidate) <= width:
            lines[-1] = candidate
        else:
            lines.append(word)
    return Block(tuple(lines), face, leading)


def fit(text: str, path: Path, largest: int, floor: int, box: tuple[float, float],
        leading: float = 1.15) -> Block | None:
    """The text at the largest size, stepping down to the floor, that fits the box; its
    lines balanced (no word left alone on the last one)."""
    width, height = box
    size = largest
    while size >= floor:
        block = wrap(text, font(path, size), width, leading)
        if block.height <= height and block.width <= width:
            return balanced(block, text, width)
        size -= 2
    return None


def balanced(block: Block, text: str, width: float) -> Block:
    """The same text in as many lines, broken where a reader expects it (after a clause,
    before a conjunction, not inside a two-syllable word: `subtitles.place_cost`), and of
    those breaks the most even: a headline as a designer sets it."""
    from toolkit.render.subtitles import place_cost

    narrowest = block.width / len(block.lines)
    settings = {block.lines: block}
    for step in range(BALANCE_STEPS + 1):
        tried = wrap(text, block.face, narrowest + (width - narrowest) * step / BALANCE_STEPS,
                     block.leading)
        if len(tried.lines) == len(block.lines):
            settings.setdefault(tried.lines, tried)

    def cost(setting: Block) -> tuple[float, float]:
        breaks = sum(place_cost(before.split()[-1], after.split()[0])
                     for before, after in pairwise(setting.lines))
        return breaks, setting.width

    return min(settings.values(), key=cost)


BALANCE_STEPS = 24  # widths tried between the narrowest and the widest


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
