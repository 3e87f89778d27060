"""The image cards of a post: 1080×1350 (4:5, what a feed shows tallest) and 1080×1080.

Drawn as the leaflet's cover is: the brand colour all over; the organisation at
the top in capitals (its logo before it, if toolkit.toml names one); the kind's
pictogram on a disc of the paper colour, what kind of unit it is, and the title,
as large as fits, never broken inside a phone number or a name, its lines
balanced and none of them a word alone; the hotline in a box of the accent
colour at the foot. On the portrait card the disc stands above the title; on the
square one, where height is short, beside the organisation. No QR code: a card
is seen on the phone it would scan with. Every letter is drawn by Pillow with
libraqm (`toolkit/render/raster.py`), from the template's fonts, so that every
stacked Vietnamese mark is drawn.

The PNG holds the pixels and nothing else (no time, no software name): the same
unit, template and settings give the same bytes.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from toolkit.channels.social.post import PORTRAIT, SQUARE
from toolkit.channels.social.template import SocialTemplate
from toolkit.content.model import AnyUnit
from toolkit.content.pictures import BadPicture, logo_file, logo_problem
from toolkit.content.view import hotline
from toolkit.i18n import _, ngettext
from toolkit.problems import Problem, ProblemError
from toolkit.render.fontawesome import glyph, glyph_font
from toolkit.render.fonts import font_file
from toolkit.render.raster import BREAK_WEIGHT, RGB, Block, font, hex_rgb, reach, wrap
from toolkit.settings import Settings

SIZES = {PORTRAIT: (1080, 1350), SQUARE: (1080, 1080)}
TITLE_LEADING = 1.12
LABEL_LEADING = 1.25
NUMBER_LEADING = 1.05
DISC_SHARE = 0.19  # the pictogram's disc over the card's width, above the title
CORNER_SHARE = 0.14  # the disc over the card's width, beside the organisation
GLYPH_SHARE = 0.46  # the pictogram over its disc
PALE = 0.16  # how much of the brand colour the kind's label takes, on the paper colour
STEP_PX = 2  # how much smaller each try at fitting the title or the hotline is
SETTLE = 0.84  # the least share of the largest fitting size a title takes for better breaks


@dataclass(frozen=True)
class Text:
    """A piece of text placed: where its anchor is (Pillow's anchors: "ls" is the left
    end of the baseline), in what face and colour."""

    text: str
    face: ImageFont.FreeTypeFont
    at: tuple[float, float]
    anchor: str
    fill: RGB


@dataclass(frozen=True)
class Layout:
    """Where everything of a card stands: the logo's corner, the disc (left, top, side),
    the hotline's box (left, top, right, bottom), and every piece of text."""

    logo_at: tuple[int, int]
    disc: tuple[float, float, float]
    box: tuple[float, float, float, float]
    texts: tuple[Text, ...]
    title: Block


def render_cards(unit: AnyUnit, settings: Settings, template: SocialTemplate,
                 project_dir: Path) -> tuple[bytes, bytes]:
    """The portrait card and the square one, as PNG."""
    portrait, square = (png(Card(unit, settings, template, project_dir, name).draw())
                        for name in (PORTRAIT, SQUARE))
    return portrait, square


def card_problems(unit: AnyUnit, settings: Settings, template: SocialTemplate,
                  project_dir: Path) -> list[Problem]:
    """What stops a unit's cards being drawn (a title or hotline that cannot fit, a logo
    that cannot be read), measured without drawing."""
    try:
        for name in SIZES:
            Card(unit, settings, template, project_dir, name).layout()
    except ProblemError as err:
        # A logo that cannot be read is the settings' problem, said once (check_settings).
        return [p for p in err.problems if p.field != "brand.logo"]
    return []


def read_logo(settings: Settings, project_dir: Path, tall: int) -> Image.Image | None:
    """The brand logo of toolkit.toml `tall` pixels tall (RGBA), decoded in full as print
    decodes it; None when none is named; a ProblemError on toolkit.toml's brand.logo when
    it cannot be read."""
    value = settings.brand.logo
    if not value:
        return None
    from toolkit.render.picture import print_picture

    try:
        placed = print_picture(logo_file(value, project_dir) or Path(value), value)
    except BadPicture as err:
        raise ProblemError(logo_problem(err)) from None
    assert placed.data is not None  # not a proof: the picture's bytes are there
    with Image.open(io.BytesIO(placed.data)) as opened:
        picture = opened.convert("RGBA")
    wide = max(1, round(picture.width * tall / picture.height))
    return picture.resize((wide, tall), Image.Resampling.LANCZOS)


def png(image: Image.Image) -> bytes:
    """The picture as a PNG of pixels alone: Pillow writes no time or text chunk unless
    asked, so the bytes depend on the pixels (and zlib) only."""
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


class Card:
    """One card of one unit: laid out (`layout`, what `toolkit check` measures) and drawn."""

    def __init__(self, unit: AnyUnit, settings: Settings, template: SocialTemplate,
                 project_dir: Path, name: str) -> None:
        self.unit, self.settings, self.template = unit, settings, template
        self.project_dir = project_dir
        self.width, self.height = SIZES[name]
        self.spec = template.card
        fonts = template.fonts
        self.bold = font_file(fonts.bold, project_dir)
        self.heavy = font_file(fonts.heavy, project_dir)
        self.primary, self.accent = hex_rgb(settings.brand.primary), hex_rgb(settings.brand.accent)
        self.paper = hex_rgb(template.colours.paper)
        self.margin = self.spec.margin_px
        self.gap = self.spec.label_px  # between the pieces of the card
        self._logo: Image.Image | None = None

    @property
    def inner(self) -> float:
        """The width text may take."""
        return self.width - 2 * self.margin

    @property
    def disc_in_corner(self) -> bool:
        """True on a card too short for the disc above the title (the square one)."""
        return self.height < self.width * 1.1

    # --- laying out -----------------------------------------------------------------

    def layout(self) -> Layout:
        """Where every piece stands; a ProblemError when the title or the hotline does not
        fit even at its smallest size, or the logo cannot be read."""
        logo = self.logo()
        side = round(self.width * (CORNER_SHARE if self.disc_in_corner else DISC_SHARE))
        beside_disc = side + self.gap if self.disc_in_corner else 0
        head, head_tall = self._masthead(logo, self.inner - beside_disc,
                                         side if self.disc_in_corner else 0)
        box, call = self._hotline_box()
        top, bottom = self.margin + head_tall + self.gap, box[1] - 2 * self.gap
        label = self._label()
        above = (0 if self.disc_in_corner else side + self.gap) + (
            label.height + self.gap if label else 0)
        title = self._title((self.inner, bottom - top - above))
        y = top + max(0.0, (bottom - top - above - title.height) / 2)
        disc = ((self.width - self.margin - side, self.margin, side) if self.disc_in_corner
                else (self.margin, y, side))
        y += 0 if self.disc_in_corner else side + self.gap
        texts: list[Text] = [*head]
        if label is not None:
            texts += self._lines(label, y, mix(self.paper, self.primary, PALE))
            y += label.height + self.gap
        texts += self._lines(title, y, self.paper)
        logo_at = (self.margin, round(self.margin + (head_tall - self.spec.logo_px) / 2))
        return Layout(logo_at, disc, box, (*texts, *call), title)

    def _masthead(self, logo: Image.Image | None, width: float, least: float
                  ) -> tuple[list[Text], float]:
        """The organisation's name in capitals within `width` (after the logo, if any),
        and how tall the masthead stands: at least `least` (the disc beside it), the name
        in the middle of that height."""
        beside = logo.width + self.spec.masthead_px if logo is not None else 0
        block = wrap(self.settings.organisation.name.upper(),
                     font(self.bold, self.spec.masthead_px), width - beside, LABEL_LEADING)
        # Capitals' stacked marks ("Ủ", "Ồ") stand above the ascender: kept in the margin.
        rise = max(0.0, -float(block.face.getbbox(block.lines[0], anchor="la")[1]))
        tall = max(block.height + rise, logo.height if logo is not None else 0, least)
        lines = self._lines(block, self.margin + (tall - block.height + rise) / 2, self.paper,
                            self.margin + beside)
        return lines, tall

    def _label(self) -> Block | None:
        """What kind of unit it is, in capitals (the template's word for its kind)."""
        words = self.template.labels.get(self.unit.kind, "")
        return wrap(words.upper(), font(self.bold, self.spec.label_px), self.inner,
                    LABEL_LEADING) if words else None

    def _lines(self, block: Block, top: float, fill: RGB, left: float | None = None
               ) -> list[Text]:
        """A block's lines from `top` down, as texts placed by their ascender line."""
        x = self.margin if left is None else left
        return [Text(line, block.face, (x, top + i * block.line_height), "la", fill)
                for i, line in enumerate(block.lines)]

    def _title(self, box: tuple[float, float]) -> Block:
        """The title as a designer sets it in `box` (width, height): at the largest size
        that fits where no line breaks inside a two-syllable word or after a dangling
        "và", nor holds one word alone; a few sizes smaller at most for that (`SETTLE`),
        else the largest size with the fewest such faults."""
        tries: list[tuple[int, int, Block]] = []  # (faults, -size, block)
        size = self.spec.title_px
        while size >= self.spec.title_min_px:
            block = set_title(self.unit.title, font(self.heavy, size), box[0])
            if block is not None and block.height <= box[1]:
                if tries and size < -tries[0][1] * SETTLE:
                    break
                tries.append((faults(block), -size, block))
                if tries[-1][0] == 0:
                    break
            size -= STEP_PX
        if not tries:
            raise ProblemError(self._title_unfit(box))
        return min(tries, key=lambda tried: tried[:2])[2]

    def _title_unfit(self, box: tuple[float, float]) -> Problem:
        """A title that does not fit even at the smallest size: how many words of its end
        to cut (or, when not even its first word fits, that word)."""
        from toolkit.render import most_words

        words = self.unit.title.split()
        face = font(self.heavy, self.spec.title_min_px)

        def fits(count: int) -> bool:
            block = set_title(" ".join(words[:count]), face, box[0]) if count else None
            return count == 0 or (block is not None and block.height <= box[1])

        kept = min(most_words(len(words), fits), len(words) - 1)
        cut, chars = len(words) - kept, len(self.unit.title) - len(" ".join(words[:kept]))
        what = _("{size} social card: the title does not fit, even in the smallest type "
                 "({px} px)").format(size=f"{self.width}×{self.height}",
                                     px=self.spec.title_min_px)
        fix = ngettext("shorten it by {words} word ({chars} characters)",
                       "shorten it by {words} words ({chars} characters)", cut).format(
            words=cut, chars=chars)
        if kept == 0:
            fix = _("shorten its first word, or break it with a space")
        return Problem(self.unit.source, self.unit.lines.get("title"), "title", what, fix)

    def _hotline_box(self) -> tuple[tuple[float, float, float, float], list[Text]]:
        """The box of the accent colour at the foot and what it says: the phone pictogram
        and the label ("Đường dây nóng"), and the number, large; on one row with the number
        at the right when they fit there, else the number under the label, on at most two
        lines."""
        pad = self.gap
        left, right, bottom = self.margin, self.width - self.margin, self.height - self.margin
        room = right - left - 2 * pad
        label = font(self.bold, self.spec.label_px)
        icon = font(glyph_font(), round(self.spec.label_px * 0.95))
        words = self.template.labels.get("hotline", "")
        call_width = self._icon_room() + reach(label, words)
        number = hotline(self.unit, self.settings)
        face = font(self.heavy, self.spec.hotline_px)
        if call_width + 2 * pad + reach(face, number) <= room:
            tall = 2 * pad + cap_height(face) + pad * 0.5
            mid = bottom - tall / 2
            return (left, bottom - tall, right, bottom), [
                Text(glyph(self.spec.hotline_icon), icon, (left + pad, mid), "lm", self.paper),
                Text(words, label, (left + pad + self._icon_room(), mid + cap_height(label) / 2),
                     "ls", self.paper),
                Text(number, face, (right - pad, mid + cap_height(face) / 2), "rs", self.paper)]
        block = self._number(number, room)
        tall = 2 * pad + label.size * LABEL_LEADING + pad * 0.25 + block.height
        top = bottom - tall
        call_mid = top + pad + label.size * LABEL_LEADING / 2
        texts = [Text(glyph(self.spec.hotline_icon), icon, (left + pad, call_mid), "lm",
                      self.paper),
                 Text(words, label, (left + pad + self._icon_room(), call_mid), "lm",
                      self.paper)]
        texts += self._lines(block, top + pad + label.size * LABEL_LEADING + pad * 0.25,
                             self.paper, left + pad)
        return (left, top, right, bottom), texts

    def _icon_room(self) -> float:
        return self.spec.label_px * 1.5

    def _number(self, text: str, width: float) -> Block:
        """A hotline too long for one row: as large as fits two lines of `width`."""
        size = self.spec.hotline_px
        while size >= self.spec.label_px:
            block = wrap(text, font(self.heavy, size), width, NUMBER_LEADING)
            if len(block.lines) <= 2 and block.width <= width:
                return block
            size -= STEP_PX
        raise ProblemError(self._hotline_unfit())

    def _hotline_unfit(self) -> Problem:
        """A hotline too long for two lines of the box even at the smallest size: said on
        a notice's hotline, else on toolkit.toml's."""
        what = _("{size} social card: the hotline does not fit on two lines, even in the "
                 "smallest type ({px} px)").format(size=f"{self.width}×{self.height}",
                                                   px=self.spec.label_px)
        if getattr(self.unit, "hotline", None):
            return Problem(self.unit.source, self.unit.lines.get("hotline"), "hotline", what,
                           _("give the number alone, and the rest in the text"))
        return Problem("toolkit.toml", None, "organisation.hotline", what,
                       _("give the number alone"))

    def logo(self) -> Image.Image | None:
        """The brand logo, `logo_px` tall, if toolkit.toml names one (read once)."""
        if self._logo is None and self.settings.brand.logo:
            self._logo = read_logo(self.settings, self.project_dir, self.spec.logo_px)
        return self._logo

    # --- drawing --------------------------------------------------------------------

    def draw(self) -> Image.Image:
        """The card, RGB."""
        laid = self.layout()
        image = Image.new("RGB", (self.width, self.height), self.primary)
        logo = self.logo()
        if logo is not None:
            image.paste(logo, laid.logo_at, logo)
        draw = ImageDraw.Draw(image)
        self._pictogram(draw, laid.disc)
        draw.rounded_rectangle(laid.box, radius=self.gap * 0.75, fill=self.accent)
        for text in laid.texts:
            draw.text(text.at, text.text, font=text.face, fill=text.fill, anchor=text.anchor)
        return image

    def _pictogram(self, draw: ImageDraw.ImageDraw, disc: tuple[float, float, float]) -> None:
        """The kind's pictogram in the brand colour on a disc of the paper colour."""
        x, y, side = disc
        draw.ellipse((x, y, x + side, y + side), fill=self.paper)
        face = font(glyph_font(), round(side * GLYPH_SHARE))
        draw.text((x + side / 2, y + side / 2), glyph(self.spec.icon(self.unit.kind)),
                  font=face, fill=self.primary, anchor="mm")


def cap_height(face: ImageFont.FreeTypeFont) -> float:
    """How tall a capital (or a digit) of the face stands above its baseline."""
    return float(-face.getbbox("H", anchor="ls")[1])


def set_title(text: str, face: ImageFont.FreeTypeFont, width: float) -> Block | None:
    """A title in as few lines of `width` as it takes, never broken inside what reads as
    one (a phone number, a name, a date: `subtitles.runs`), the breaks chosen for even
    lines at good places (as `raster.balanced` chooses them, over runs rather than
    words); None when a run is wider than a line."""
    from toolkit.render.subtitles import Rules, place_cost, runs

    per_line = max(8, int(width / face.getlength("n")))
    tokens = [" ".join(run) for run in runs(text, Rules(max_chars=per_line))]
    sizes = [face.getlength(token) for token in tokens]
    space = face.getlength(" ")
    if max(sizes, default=0.0) > width:
        return None

    def line(a: int, b: int) -> float:
        return sum(sizes[a:b]) + space * (b - a - 1)

    def cost(a: int, b: int) -> float:
        short = ((width - line(a, b)) / width) ** 2
        seam = place_cost(tokens[a - 1].split()[-1], tokens[a].split()[0]) if a else 0.0
        return short + BREAK_WEIGHT * seam

    fewest = len(wrap(text, face, width).lines)  # as a greedy fill of words sets it
    for count in range(fewest, fewest + 2):  # runs kept whole may need one more line
        best: dict[tuple[int, int], tuple[float, int]] = {(0, 0): (0.0, 0)}
        for n in range(1, count + 1):
            for end in range(n, len(tokens) + 1):
                ways = [(best[start, n - 1][0] + cost(start, end), start)
                        for start in range(n - 1, end)
                        if (start, n - 1) in best and line(start, end) <= width]
                if ways:
                    best[end, n] = min(ways)
        if (len(tokens), count) in best:
            edges, end = [len(tokens)], len(tokens)
            for n in range(count, 0, -1):
                end = best[end, n][1]
                edges.append(end)
            edges.reverse()
            block = Block(tuple(" ".join(tokens[a:b]) for a, b in pairwise(edges)), face,
                          TITLE_LEADING)
            return block if block.width <= width else None
    return None


def faults(block: Block) -> int:
    """What a designer would frown at in a title's lines: each break inside a two-syllable
    word or after a word that opens a phrase ("và", "của"), and each line of one word
    alone in a title of several (a widow at its end, a word left hanging at its top)."""
    from toolkit.render.subtitles import INSIDE_WORD, place_cost

    breaks = sum(place_cost(above.split()[-1], below.split()[0]) >= INSIDE_WORD
                 for above, below in pairwise(block.lines))
    return breaks + len(lone_words(block))


def lone_words(block: Block) -> list[int]:
    """The lines of a title of several lines that hold one word alone."""
    if len(block.lines) < 2:
        return []
    return [i for i, line in enumerate(block.lines) if len(line.split()) == 1]


def mix(base: RGB, other: RGB, share: float) -> RGB:
    """`base` with `share` of `other` in it."""
    r, g, b = (round(p + (c - p) * share) for p, c in zip(base, other, strict=True))
    return r, g, b
