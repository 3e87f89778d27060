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
from dataclasses import dataclass, replace
from datetime import datetime
from functools import lru_cache, partial
from pathlib import Path

from reportlab.lib.colors import Color
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Image, Paragraph, Spacer

from toolkit.channels.print_pdf.overflow import Part, Piece
from toolkit.channels.print_pdf.template import PrintTemplate
from toolkit.content.model import AnyUnit, Online
from toolkit.content.pictures import BadPicture, logo_problem, picture_path
from toolkit.content.view import bare_url, byline, hotline
from toolkit.problems import ProblemError
from toolkit.render.boxes import Boxed, Disc
from toolkit.render.colour import pdf_colour
from toolkit.render.flow import Face, address, escape, item, stack, text
from toolkit.render.fontawesome import attribution
from toolkit.render.fonts import font_file, pdf_family, pdf_font
from toolkit.render.icons import draw_icon, icon
from toolkit.render.markdown import body_blocks
from toolkit.render.marks import Beside, badge
from toolkit.render.picture import Picture, print_picture
from toolkit.render.qr import QrCode
from toolkit.render.sheet import MM, DocumentInfo, fill, preview_jpeg
from toolkit.render.typeset import balanced, has_lone_word, tie
from toolkit.settings import Settings

LOGO_MM = 14  # how tall the logo stands on the cover, and on an A3 poster's band
ICON_SCALE = 1.3  # a heading's pictogram, over the heading's type size
POINT_ICON = "circle-check"  # before each key point, unless the template names another
LEAD_SCALE = 1.3  # the summary set as a lead, over the body size
IMPRINT_PT = 6.5  # the credit line at the foot of the back
PHOTO_SHARE = 0.45  # the most of a panel's height a photo among other blocks takes
# Blocks that are looked at more than read: a panel holding only these (and facts and
# cards) may be set larger than running text, up to the template's display_pt.
DISPLAY = frozenset({"qr", "hotline", "contact", "photo", "summary"})


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
    logo: Picture | None  # on the brand colour (a cover, a poster's band)
    standard: str  # the PDF/X standard of the files


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
                _logo(settings, project_dir, cmyk), template.output.standard)


def logo_path(settings: Settings, project_dir: Path) -> Path | None:
    """The brand logo of toolkit.toml, if one is set, checked as a unit's photo is (a
    picture inside the project that decodes in full); ProblemError if it is not."""
    if not settings.brand.logo:
        return None
    try:
        path = picture_path(settings.brand.logo, project_dir, project_dir)
        _logo_picture(path, settings.brand.logo, path.stat().st_mtime_ns)
    except BadPicture as err:
        raise ProblemError(logo_problem(err)) from None
    return path


def _logo(settings: Settings, project_dir: Path, cmyk: bool) -> Picture | None:
    """The brand logo ready to place on the brand colour, or None when toolkit.toml sets
    none: in CMYK, what is see-through in it is flattened onto that colour."""
    path = logo_path(settings, project_dir)
    if path is None:
        return None
    return _logo_picture(path, settings.brand.logo, path.stat().st_mtime_ns, cmyk,
                         settings.brand.primary if cmyk else None)


@lru_cache(maxsize=4)
def _logo_picture(path: Path, value: str, mtime_ns: int, cmyk: bool = False,
                  background: str | None = None) -> Picture:
    """The logo ready to place, decoded once per process (and again when it changes)."""
    return print_picture(path, value, cmyk=cmyk, background=background)


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


def photo_size(picture: Picture, width: float, room: float) -> tuple[float, float]:
    """How large a unit's photo is printed in a panel's text box `width` × `room`."""
    scale = min(width / picture.width, room * PHOTO_SHARE / picture.height)
    return picture.width * scale, picture.height * scale


def key_points_field(unit: AnyUnit) -> str:
    """The field that holds a unit's key points: steps, results or topics."""
    return unit.KEY_POINTS


def list_item(marker: str, number: int, markup: str, face: Face, look: Look, point_icon: str,
              space_after: float) -> Flowable:
    """An item of a list after its marker: "steps" a numbered badge (steps to follow in
    order), "point" a tick (a key point), else a bullet in the brand colour."""
    size = face.size
    if marker == "steps":
        # As tall as a line, so that an item of one line is a line tall.
        mark = badge(number, size * face.leading, look.primary, look.bold, look.paper)
        return Beside(mark, text(markup, face, space_after), size * 0.6)
    if marker == "point":
        mark = icon(point_icon, size * 1.25, look.accent)
        return Beside(mark, text(markup, face, space_after), size * 0.6)
    return item(markup, replace(face, bullet=look.primary), "•", space_after)


def credit(look: Look, size: float) -> Paragraph:
    """The credit line of the pictograms (CC BY 4.0 asks for one on what shows them)."""
    return text(escape(attribution()), Face(look.regular, size, look.text, 1.2))


def hotline_box(unit: AnyUnit, settings: Settings, look: Look, label: str, size: float,
                pictogram: str) -> Flowable:
    """The number to call, three times `size`, under its label and a telephone, on a panel
    of the accent colour."""
    white = look.paper
    heading = text(tie(escape(label)), Face(look.bold, size * 1.1, white, 1.25), size * 0.3)
    number = text(escape(hotline(unit, settings)), Face(look.heavy, size * 3, white, 1.05))
    mark = icon(pictogram, size * 1.4, white)
    return Boxed([Beside(mark, heading, size * 0.5), number], look.accent, size, size * 0.5)


# --- the blocks of a leaflet panel ------------------------------------------


@dataclass(frozen=True)
class Block:
    """What one block name sets (a field with its heading, the QR code...), by the piece
    of the unit each flowable shows; `foot`: it stands at the foot of its panel."""

    parts: tuple[Part, ...]
    foot: bool = False
    whole: bool = False  # it stays one row: its items are not spread apart
    cards: bool = False  # its items are cards: spread apart as blocks are

    @property
    def flows(self) -> list[Flowable]:
        """The block's flowables, top to bottom."""
        return [flow for part in self.parts for flow in part.flows]


@dataclass(frozen=True)
class Faces:
    """The faces of one panel at one body size: the body, its bold, and the headings."""

    body: Face
    bold: Face
    heading: Face
    card: Color  # what cards are set on: the tint, or the paper on a tinted panel


class Blocks:
    """Turns block names (cover, body, qr, a field...) into blocks at a body size, each
    with the piece of the unit it shows (for the problem when they do not fit)."""

    def __init__(self, unit: AnyUnit, photo: Picture | None, settings: Settings,
                 template: PrintTemplate, look: Look) -> None:
        self.unit, self.photo, self.settings = unit, photo, settings
        self.body_blocks = body_blocks(unit.body)
        self.labels, self.look, self.spec = template.labels, look, template.leaflet
        self.icons = template.leaflet.icons
        plan = getattr(template.leaflet, unit.kind)
        self.summary_inside = any("summary" in names for names in (plan.flap, plan.back,
                                                                    *plan.inside))

    def blocks(self, names: tuple[str, ...], size: float, width: float, room: float,
               tinted: bool = False) -> list[Block]:
        """The blocks named, set at body size `size` for a text box `width` wide and
        `room` tall (the cover's title and a photo take a share of it), on a panel of
        the tint if `tinted` (its cards are then the paper's colour)."""
        faces = self._faces(size, tinted)
        return [block for name in names for block in self._block(name, faces, width, room)]

    def parts(self, names: tuple[str, ...], size: float, width: float, room: float,
              tinted: bool = False) -> list[Part]:
        """What `blocks` sets, by the piece of the unit each flowable shows."""
        return [part for block in self.blocks(names, size, width, room, tinted)
                for part in block.parts]

    def _faces(self, size: float, tinted: bool) -> Faces:
        spec, look = self.spec, self.look
        heading = size * spec.heading_pt / spec.body_pt
        return Faces(Face(look.regular, size, look.text, spec.leading),
                     Face(look.bold, size, look.text, spec.leading),
                     Face(look.bold, heading, look.primary, 1.2),
                     look.paper if tinted else look.tint)

    def _block(self, name: str, faces: Faces, width: float, room: float) -> list[Block]:
        special = {"cover": self._cover, "body": self._body, "qr": self._qr,
                   "hotline": self._hotline, "contact": self._contact, "photo": self._photo,
                   "summary": self._summary}
        if name in special:
            return special[name](faces, width, room)
        return self._field(name, faces, width)

    def _heading(self, name: str, faces: Faces) -> list[Part]:
        """A block's heading, after its pictogram when the template gives one."""
        label = self.labels.get(name)
        if not label:
            return []
        heading = text(tie(escape(label)), faces.heading, space_after=faces.body.size * 0.45)
        if name not in self.icons:
            return [_fixed(heading)]
        mark = icon(self.icons[name], faces.heading.size * ICON_SCALE, self.look.primary)
        return [_fixed(Beside(mark, heading, faces.heading.size * 0.45))]

    def _field(self, name: str, faces: Faces, width: float) -> list[Block]:
        value = getattr(self.unit, name, None)
        if not value:
            return []
        if isinstance(value, tuple):
            return [Block((*self._heading(name, faces), *self._items(name, value, faces)),
                          cards=name in self.spec.cards)]
        piece = Piece(name, value.url, key=f"{name}.url") if isinstance(value, Online) \
            else Piece(name, str(value))
        markup = self._value(value, faces.body, width)
        if name in self.spec.facts:
            return [Block((self._fact(name, piece, markup, faces),))]
        return [Block((*self._heading(name, faces),
                       Part(piece, (text(markup, faces.body),))))]

    def _value(self, value: object, face: Face, width: float) -> str:
        """A field's value as markup: an address broken only at its slashes."""
        if isinstance(value, Online):
            return address(bare_url(value.url), face, width * 0.7) + \
                (" (trực tuyến toàn trình)" if value.full else "")
        return tie(escape(str(value)))

    def _fact(self, name: str, piece: Piece, markup: str, faces: Faces) -> Part:
        """A short field as a card: its pictogram on a disc, its label over its value."""
        size, look = faces.body.size, self.look
        label = Face(look.bold, size * 0.92, look.primary, 1.25)
        words = [text(tie(escape(self.labels.get(name, name))), label, size * 0.15),
                 text(markup, faces.body)]
        disc = Disc(icon(self.icons.get(name, "circle-info"), size * 1.3, look.paper),
                    size * 2.6, look.primary)
        card = Boxed([Beside(disc, Boxed(words, None, 0), size * 0.8, False)], faces.card,
                     size * 0.8, size * 0.5)
        return Part(piece, (card,))

    def _items(self, name: str, values: tuple[str, ...], faces: Faces) -> list[Part]:
        """A list field: steps after numbered badges, key points after a tick, the rest
        after bullets in the brand colour."""
        gap = faces.body.size * (0.55 if name == self.unit.KEY_POINTS else 0.35)
        flows = [self._item(name, i, value, faces, gap) for i, value in enumerate(values, 1)]
        return [Part(Piece(name, value, i), (flow,))
                for i, (value, flow) in enumerate(zip(values, flows, strict=True), start=1)]

    def _item(self, name: str, number: int, value: str, faces: Faces, gap: float) -> Flowable:
        markup = tie(escape(value))
        if name in self.spec.cards:
            return self._card(name, markup, faces, gap)
        marker = "steps" if name == "steps" else "point" if name == self.unit.KEY_POINTS \
            else "bullet"
        return list_item(marker, number, markup, faces.body, self.look,
                         self.icons.get("point", POINT_ICON), gap)

    def _card(self, name: str, markup: str, faces: Faces, gap: float) -> Flowable:
        """An item as a card: a pictogram on a disc (a tick for a key point), the text."""
        size, look = faces.body.size, self.look
        point = name == self.unit.KEY_POINTS
        mark = icon(self.icons.get("point", POINT_ICON) if point else
                    self.icons.get(name, "circle-info"), size * 1.15, look.paper)
        disc = Disc(mark, size * 2.3, look.accent if point else look.primary)
        return Boxed([Beside(disc, text(markup, faces.body), size * 0.8, False)], faces.card,
                     size * 0.85, size * 0.5, space_after=gap)

    def _body(self, faces: Faces, width: float, room: float) -> list[Block]:
        flows: list[Flowable] = []
        gap = faces.body.size * 0.55
        for block in self.body_blocks:
            markup = tie(block.markup)
            if block.kind == "item":
                bullet = f"{block.number}." if block.number else "•"
                flows.append(item(markup, faces.body, bullet, gap * 0.6))
            else:
                flows.append(text(markup, faces.bold if block.kind == "heading" else faces.body,
                                  gap))
        return [Block((*self._heading("body", faces),
                       Part(Piece("body", self.unit.body), tuple(flows))))]

    def _cover(self, faces: Faces, width: float, room: float) -> list[Block]:
        """The organisation at the top, the title and summary below it, and who the unit
        credits at the foot."""
        white, size = self.look.paper, faces.body.size
        logo = [picture_flowable(self.look.logo, width, LOGO_MM * MM), Spacer(1, size * 0.6)] \
            if self.look.logo else []
        kind = self.labels.get(self.unit.kind, "")
        label = [text(escape(kind.upper()), Face(self.look.bold, size * 0.95, white, 1.3),
                      size * 0.7)] if kind else []
        summary = Face(self.look.regular, size * 1.2, white, 1.4)
        top = Block((Part(None, (*logo, masthead(self.settings, self.look, size))),))
        summary_part = () if self.summary_inside else (
            Part(Piece("summary", self.unit.summary),
                 (text(tie(escape(self.unit.summary)), summary),)),)
        middle = Block((Part(None, tuple(label)),
                        Part(Piece("title", self.unit.title),
                             (self._fitted_title(width, room * 0.5), Spacer(1, size))),
                        *summary_part), whole=True)
        return [top, middle, *self._credit(faces)]

    def _summary(self, faces: Faces, width: float, room: float) -> list[Block]:
        """The summary as the lead of the leaflet, larger than the body, in the brand colour
        (where the plan puts it inside rather than on the cover)."""
        lead = Face(self.look.regular, faces.body.size * LEAD_SCALE, self.look.primary, 1.35)
        return [Block((Part(Piece("summary", self.unit.summary),
                            (text(tie(escape(self.unit.summary)), lead),)),))]

    def _credit(self, faces: Faces) -> list[Block]:
        who = byline(self.unit)
        if not who:
            return []
        field = "agency" if getattr(self.unit, "agency", None) else "organisation"
        face = Face(self.look.bold, faces.body.size, self.look.paper, 1.3)
        return [Block((Part(Piece(field, who), (text(tie(escape(who)), face),)),), foot=True)]

    def _fitted_title(self, width: float, room: float) -> Flowable:
        """The title at the largest size that fits, down to its floor, its lines balanced
        and none of them a word alone (a size smaller, when one is); larger when the
        summary is inside and the title stands on the cover alone."""
        size = self.spec.title_alone_pt if self.summary_inside else self.spec.title_pt
        markup = escape(self.unit.title)
        while True:
            flow = balanced(markup, Face(self.look.heavy, size, self.look.paper, 1.12), width)
            fits = stack([flow], width).over(width, room) <= 0 and not has_lone_word(flow)
            if fits or size <= self.spec.title_min_pt:
                return flow
            size = max(self.spec.title_min_pt, size - 1)

    def _qr(self, faces: Faces, width: float, room: float) -> list[Block]:
        link = self.settings.unit_link(self.unit)  # as the feed and the bulletin link it
        side = min(width * 0.62, self.spec.qr_mm * MM)
        small = Face(self.look.regular, max(faces.body.size * 0.85, 7), self.look.text, 1.25)
        return [Block((*self._heading("qr", faces),
                       _fixed(QrCode(link, side, self.look.text),
                              text(address(bare_url(link), small, width), small))))]

    def _hotline(self, faces: Faces, width: float, room: float) -> list[Block]:
        return [Block((_fixed(hotline_box(self.unit, self.settings, self.look,
                                          self.labels.get("hotline", ""), faces.body.size,
                                          self.icons.get("hotline", "phone"))),))]

    def _contact(self, faces: Faces, width: float, room: float) -> list[Block]:
        """Who publishes the leaflet and where to read more, at the foot of its panel, over
        the credit the pictograms' licence asks for."""
        return [Block((_fixed(text(tie(escape(self.settings.organisation.name)), faces.bold),
                              text(escape(bare_url(self.settings.publish.site_url)),
                                   faces.body, faces.body.size * 0.6),
                              credit(self.look, IMPRINT_PT)),), foot=True)]

    def _photo(self, faces: Faces, width: float, room: float) -> list[Block]:
        """The unit's photo; without one, the pictogram of its kind, large, on a disc."""
        if self.photo is not None:
            return [Block((_fixed(picture_flowable(self.photo, width, room * PHOTO_SHARE)),))]
        if self.unit.kind not in self.icons:
            return []
        side = min(width * 0.8, room * 0.36)
        disc = Disc(icon(self.icons[self.unit.kind], side * 0.5, self.look.primary), side,
                    self.look.tint, centred=True)
        return [Block((_fixed(disc),))]


    def draw_picture(self, canvas: Canvas, x: float, y: float, width: float,
                     height: float) -> None:
        """A panel that is a picture: the unit's photo covering it (cropped to it, centred),
        or without one, the panel in the brand colour with the pictogram of the unit's kind."""
        if self.photo is not None and self.photo.data is not None:
            cover_picture(canvas, self.photo, x, y, width, height)
            return
        fill(canvas, self.look.primary, x, y, width, height)
        if self.unit.kind in self.icons:
            side = width * 0.45
            draw_icon(canvas, self.icons[self.unit.kind], x + (width - side) / 2,
                      y + (height - side) / 2, side, self.look.paper)


def cover_picture(canvas: Canvas, picture: Picture, x: float, y: float, width: float,
                  height: float) -> None:
    """A picture scaled to cover a box, centred on it, what stands out of it cut away."""
    scale = max(width / picture.width, height / picture.height)
    w, h = picture.width * scale, picture.height * scale
    canvas.saveState()
    box = canvas.beginPath()
    box.rect(x, y, width, height)
    canvas.clipPath(box, stroke=0, fill=0)
    canvas.drawImage(ImageReader(io.BytesIO(picture.data or b"")), x + (width - w) / 2,
                     y + (height - h) / 2, w, h, mask="auto")
    canvas.restoreState()


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
    """A product's files, as its job lists them: the PDF, then a JPEG of each page."""
    return (pdf, *preview_jpeg(pdf, dpi))
