"""What the leaflet and the posters share: the look, the blocks of content, fitting.

- The look: the fonts, colours and logo of one render, resolved once so that
  every block is set alike.
- The blocks a leaflet panel holds, by the names the template gives them
  (cover, body, qr, hotline, contact, photo, or a field of the unit), and the
  pieces a poster sets too: the organisation's name, pictures, lists, the QR
  link and the hotline number.
- Fitting: the type sizes tried, largest first (what to cut when text does not
  fit even at the smallest is `overflow`'s).
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache, partial
from pathlib import Path

from reportlab.lib.colors import Color
from reportlab.platypus import Flowable, Image, Paragraph, Spacer

from toolkit.channels.print_pdf.overflow import Part, Piece
from toolkit.channels.print_pdf.template import Leaflet, PrintTemplate
from toolkit.content.model import AnyUnit, Online
from toolkit.content.pictures import BadPicture, picture_path
from toolkit.content.view import bare_url, byline, hotline
from toolkit.i18n import N_, _
from toolkit.problems import Problem, ProblemError
from toolkit.render.colour import pdf_colour
from toolkit.render.flow import Face, address, escape, item, stack, text
from toolkit.render.fonts import font_file, pdf_family, pdf_font
from toolkit.render.markdown import body_blocks
from toolkit.render.picture import Picture, print_picture
from toolkit.render.qr import QrCode
from toolkit.render.sheet import MM, DocumentInfo, preview_png
from toolkit.settings import Settings

LOGO_MM = 14  # how tall the logo stands on the cover, and on an A3 poster's band
# The field of each kind's key points (`Unit.key_points`), for messages about them.
LOGO_FIX = N_("give the path of a PNG or JPEG from the project folder, or leave it empty")


# --- the look ---------------------------------------------------------------


@dataclass(frozen=True)
class Look:
    """Fonts and colours resolved for one render: what every block is set with."""

    regular: str
    bold: str
    heavy: str
    text: Color
    paper: Color
    tint: Color
    primary: Color
    accent: Color
    cmyk: bool
    logo: Picture | None


def resolve_look(settings: Settings, template: PrintTemplate, project_dir: Path) -> Look:
    """The template's fonts (registered once per process), its colours and the brand's,
    in RGB or CMYK as the template asks, and the logo ready to place."""
    fonts, cmyk = template.fonts, template.output.cmyk
    family = pdf_family(font_file(fonts.regular, project_dir), font_file(fonts.bold, project_dir),
                        font_file(fonts.italic, project_dir))
    colour = partial(pdf_colour, cmyk=cmyk)
    return Look(family, pdf_font(font_file(fonts.bold, project_dir)),
                pdf_font(font_file(fonts.heavy, project_dir)), colour(template.colours.text),
                colour(template.colours.paper), colour(template.colours.tint),
                colour(settings.brand.primary), colour(settings.brand.accent), cmyk,
                _logo(settings, project_dir))


def logo_path(settings: Settings, project_dir: Path) -> Path | None:
    """The brand logo of toolkit.toml, if one is set, checked as a unit's photo is (a
    picture inside the project that decodes in full); ProblemError if it is not."""
    if not settings.brand.logo:
        return None
    try:
        path = picture_path(settings.brand.logo, project_dir, project_dir)
        _logo_picture(path, settings.brand.logo, path.stat().st_mtime_ns)
    except BadPicture as err:
        raise ProblemError(Problem("toolkit.toml", None, "brand.logo", err.what,
                                   _(err.fix or LOGO_FIX))) from None
    return path


def _logo(settings: Settings, project_dir: Path) -> Picture | None:
    """The brand logo ready to place, or None when toolkit.toml sets none."""
    path = logo_path(settings, project_dir)
    return _logo_picture(path, settings.brand.logo, path.stat().st_mtime_ns) if path else None


@lru_cache(maxsize=4)
def _logo_picture(path: Path, value: str, mtime_ns: int) -> Picture:
    """The logo ready to place, decoded once per process (and again when it changes)."""
    return print_picture(path, value)


# --- what both products set -------------------------------------------------


def masthead(settings: Settings, look: Look, size: float) -> Paragraph:
    """The organisation's name in capitals, on the brand colour of a cover or a band."""
    return text(escape(settings.organisation.name.upper()), Face(look.bold, size, look.paper, 1.2))


def picture_flowable(picture: Picture, width: float, tallest: float) -> Flowable:
    """A picture as large as fits `width` and `tallest`, its proportions kept (in a
    proof, the room it takes)."""
    scale = min(width / picture.width, tallest / picture.height)
    size = (picture.width * scale, picture.height * scale)
    if picture.data is None:
        return Spacer(*size)
    return Image(io.BytesIO(picture.data), *size, mask="auto", hAlign="LEFT")


def key_points_field(unit: AnyUnit) -> str:
    """The field that holds a unit's key points: steps, results or topics."""
    return unit.KEY_POINTS


def list_items(values: Sequence[str], face: Face, numbered: bool,
               space_after: float) -> list[Flowable]:
    """Plain-text points as list items, numbered (steps to follow in order) or bulleted."""
    return [item(escape(v), face, f"{i}." if numbered else "•", space_after)
            for i, v in enumerate(values, start=1)]


# --- the blocks of a leaflet panel ------------------------------------------


class Blocks:
    """Turns block names (cover, body, qr, a field...) into flowables at a body size,
    each with the piece of the unit it shows (for the problem when they do not fit)."""

    def __init__(self, unit: AnyUnit, photo: Picture | None, settings: Settings,
                 template: PrintTemplate, look: Look) -> None:
        self.unit, self.photo, self.settings = unit, photo, settings
        self.body_blocks = body_blocks(unit.body)
        self.labels, self.look = template.labels, look
        self.title_pt, self.title_min_pt = template.leaflet.title_pt, template.leaflet.title_min_pt

    def flows(self, names: tuple[str, ...], size: float, width: float, room: float,
              spec: Leaflet) -> list[Flowable]:
        """The flowables of the blocks named, set at body size `size` for a text box
        `width` wide and `room` tall (the cover's title and a photo take a share of it)."""
        return [flow for part in self.parts(names, size, width, room, spec)
                for flow in part.flows]

    def parts(self, names: tuple[str, ...], size: float, width: float, room: float,
              spec: Leaflet) -> list[Part]:
        """What `flows` sets, by the piece of the unit each flowable shows."""
        body = Face(self.look.regular, size, self.look.text, spec.leading)
        heading = Face(self.look.bold, spec.heading_pt, self.look.primary, spec.leading)
        parts: list[Part] = []
        for name in names:
            parts.extend(self._block(name, body, heading, width, room))
        return parts

    def _block(self, name: str, body: Face, heading: Face, width: float,
               room: float) -> list[Part]:
        special = {"cover": self._cover, "body": self._body, "qr": self._qr,
                   "hotline": self._hotline, "contact": self._contact, "photo": self._photo}
        if name in special:
            return special[name](body, heading, width, room)
        return self._field(name, body, heading)

    def _title(self, name: str, body: Face, heading: Face) -> list[Part]:
        label = self.labels.get(name)
        return [_fixed(text(label, heading, space_after=body.size * 0.4))] if label else []

    def _field(self, name: str, body: Face, heading: Face) -> list[Part]:
        value = getattr(self.unit, name, None)
        if not value:
            return []
        parts = self._title(name, body, heading)
        gap = body.size * 0.35
        if isinstance(value, tuple):
            flows = list_items(value, body, name == "steps", gap)
            parts += [Part(Piece(name, v, i), (f,))
                      for i, (v, f) in enumerate(zip(value, flows, strict=True), start=1)]
        elif isinstance(value, Online):
            full = " (trực tuyến toàn trình)" if value.full else ""
            parts.append(Part(Piece(name, value.url, key=f"{name}.url"),
                              (text(escape(value.url) + full, body, gap),)))
        else:
            parts.append(Part(Piece(name, str(value)), (text(escape(str(value)), body, gap),)))
        return [*parts, _fixed(Spacer(1, body.size * 0.8))]

    def _body(self, body: Face, heading: Face, width: float, room: float) -> list[Part]:
        bold = Face(self.look.bold, body.size, self.look.text, body.leading)
        flows: list[Flowable] = []
        for block in self.body_blocks:
            gap = body.size * 0.5
            if block.kind == "item":
                flows.append(item(block.markup, body, f"{block.number}." if block.number else "•",
                                  gap * 0.6))
            else:
                flows.append(text(block.markup, bold if block.kind == "heading" else body, gap))
        return [*self._title("body", body, heading), Part(Piece("body", self.unit.body),
                                                          tuple(flows))]

    def _cover(self, body: Face, heading: Face, width: float, room: float) -> list[Part]:
        white = self.look.paper
        summary = Face(self.look.regular, body.size + 1.5, white, 1.35)
        by = Face(self.look.bold, body.size, white, 1.3)
        title = self._fitted_title(width, room * 0.55)
        who = byline(self.unit)
        logo = [picture_flowable(self.look.logo, width, LOGO_MM * MM), Spacer(1, body.size)] \
            if self.look.logo else []
        credited = "agency" if getattr(self.unit, "agency", None) else "organisation"
        return [Part(None, (*logo, masthead(self.settings, self.look, body.size),
                            Spacer(1, room * 0.18))),
                Part(Piece("title", self.unit.title), (title, Spacer(1, body.size))),
                Part(Piece("summary", self.unit.summary),
                     (text(escape(self.unit.summary), summary, body.size),)),
                *([Part(Piece(credited, who), (text(escape(who), by),))] if who else [])]

    def _fitted_title(self, width: float, room: float) -> Flowable:
        """The title at the largest size that fits, down to its floor."""
        size = self.title_pt
        while True:
            face = Face(self.look.heavy, size, self.look.paper, 1.15)
            flow = text(escape(self.unit.title), face)
            fits = stack([flow], width).over(width, room) <= 0
            if fits or size <= self.title_min_pt:
                return flow
            size = max(self.title_min_pt, size - 1)

    def _qr(self, body: Face, heading: Face, width: float, room: float) -> list[Part]:
        link = self.settings.unit_link(self.unit)  # as the feed and the bulletin link it
        side = min(width, 34 * MM)
        small = Face(self.look.regular, max(body.size - 1, 7), self.look.text, 1.2)
        return [*self._title("qr", body, heading),
                _fixed(QrCode(link, side, self.look.text),
                       text(address(bare_url(link), small, width), small, body.size))]

    def _hotline(self, body: Face, heading: Face, width: float, room: float) -> list[Part]:
        big = Face(self.look.heavy, body.size * 3, self.look.accent, 1.1)
        return [*self._title("hotline", body, heading),
                _fixed(text(escape(hotline(self.unit, self.settings)), big, body.size))]

    def _contact(self, body: Face, heading: Face, width: float, room: float) -> list[Part]:
        bold = Face(self.look.bold, body.size, self.look.text, body.leading)
        return [_fixed(text(escape(self.settings.organisation.name), bold),
                       text(escape(self.settings.publish.site_url), body, body.size))]

    def _photo(self, body: Face, heading: Face, width: float, room: float) -> list[Part]:
        if self.photo is None:
            return []
        return [_fixed(picture_flowable(self.photo, width, room * 0.4), Spacer(1, body.size))]


def _fixed(*flows: Flowable) -> Part:
    """Flowables that show nothing the editor can shorten (a heading, a QR code, space)."""
    return Part(None, flows)


# --- fitting and the files --------------------------------------------------


def sizes_down(largest: float, floor: float, step: float) -> list[float]:
    """Type sizes to try, from the largest down to the floor in steps, the floor included."""
    sizes = []
    size = largest
    while size > floor:
        sizes.append(size)
        size -= step
    return [*sizes, floor]


def document_info(unit: AnyUnit, settings: Settings) -> DocumentInfo:
    """What a product's PDF says of itself: the unit's title, the organisation as its
    author, the unit's summary as its subject, and the unit's publish time (in the
    organisation's time zone) as its date, so that the same unit gives the same bytes."""
    return DocumentInfo(unit.title, settings.organisation.name, unit.summary,
                        _publish_time(unit.publish, settings.organisation.timezone))


def _publish_time(publish: datetime, timezone: str) -> datetime:
    from zoneinfo import ZoneInfo

    return publish.replace(tzinfo=ZoneInfo(timezone)) if publish.tzinfo is None else publish


def pdf_and_previews(pdf: bytes, dpi: int) -> tuple[bytes, ...]:
    """A product's files, as its job lists them: the PDF, then a PNG of each page."""
    return (pdf, *preview_png(pdf, dpi))
