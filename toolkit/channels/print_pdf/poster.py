"""The posters: one page per size the template names (A3, A4...), read from a distance.

A band of the brand colour with the organisation and its logo at the top; the
title, summary and key points in the middle, at the largest sizes that fit; a
foot with the QR code, where it leads and the hotline. Everything scales with
the poster's width: the template's sizes are for A3.
"""

from __future__ import annotations

import io
from pathlib import Path

from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable

from toolkit.channels.print_pdf.blocks import (
    Look,
    credit,
    document_info,
    hotline_box,
    key_points_field,
    list_item,
    masthead,
    pdf_and_previews,
    picture_flowable,
    resolve_look,
    sizes_down,
)
from toolkit.channels.print_pdf.overflow import (
    Part,
    Piece,
    overflow_problem,
    poster_last_resort,
    poster_place,
)
from toolkit.channels.print_pdf.template import Poster, PrintTemplate
from toolkit.content.model import AnyUnit
from toolkit.content.view import bare_url
from toolkit.problems import ProblemError
from toolkit.render.flow import Face, Stack, address, escape, stack, text
from toolkit.render.qr import QrCode
from toolkit.render.sheet import MM, Sheet, fill, open_canvas, save
from toolkit.render.typeset import balanced, tie
from toolkit.settings import Settings

POSTER_BASE_WIDTH_MM = 297  # the poster's type sizes are given for A3


def render_poster(unit: AnyUnit, size: str, settings: Settings, template: PrintTemplate,
                  project_dir: Path, proof: bool = False) -> tuple[bytes, ...]:
    """A poster PDF of one size and its JPEG preview (with `proof`, the layout only)."""
    look = resolve_look(settings, template, project_dir)
    spec = template.poster
    width_mm, height_mm = spec.sizes[size]
    scale = width_mm / POSTER_BASE_WIDTH_MM
    sheet = Sheet(width_mm * MM, height_mm * MM, template.output.bleed_mm * MM)
    margin = spec.margin_mm * MM * scale
    band = spec.band_mm * MM * scale
    foot = (spec.qr_mm + 2 * spec.margin_mm) * MM * scale
    box = (sheet.width - 2 * margin, sheet.height - band - foot - 2 * margin)
    body = _body(unit, spec, scale, box, look, size)
    if proof:
        return ()

    out = io.BytesIO()
    canvas = open_canvas(out, sheet, look.regular, look.cmyk, document_info(unit, settings),
                         look.standard)
    bleed = sheet.bleed
    fill(canvas, look.paper, -bleed, -bleed, sheet.width + 2 * bleed, sheet.height + 2 * bleed)
    fill(canvas, look.primary, -bleed, sheet.height - band, sheet.width + 2 * bleed, band + bleed)
    fill(canvas, look.tint, -bleed, -bleed, sheet.width + 2 * bleed, foot + bleed)
    _band(canvas, settings, spec, sheet, scale, band, look)
    body.draw(canvas, margin, foot + margin + box[1])
    _foot(canvas, unit, settings, template, sheet, scale, look)
    canvas.showPage()
    return pdf_and_previews(save(canvas, out), template.output.preview_dpi)


def _band(canvas: Canvas, settings: Settings, spec: Poster, sheet: Sheet, scale: float,
          band: float, look: Look) -> None:
    """The organisation's name, large enough to read from two metres, and the logo, on
    the band of brand colour at the top."""
    margin = spec.margin_mm * MM * scale
    left = margin
    if look.logo:
        logo = picture_flowable(look.logo, sheet.width / 4, band * 0.7)
        logo.drawOn(canvas, margin, sheet.height - band + (band - logo.drawHeight) / 2)
        left += logo.drawWidth + margin / 2
    org = stack([masthead(settings, look, spec.masthead_pt * scale)], sheet.width - left - margin)
    org.draw(canvas, left, sheet.height - (band - org.height) / 2)


def _body(unit: AnyUnit, spec: Poster, scale: float, box: tuple[float, float],
          look: Look, size: str) -> Stack:
    """Title, summary and key points at the largest sizes that fit the box.

    The key points keep their size before the title does: past its floor the
    title is still read from two metres, and smaller points are not. Each part
    is set once per size; the parts stack, so their heights add up.
    """
    width, room = box
    titles = [stack(list(_title(unit, pt * scale, look, width).flows), width)
              for pt in sizes_down(spec.title_pt, spec.title_min_pt, 2)]
    summary = stack(list(_summary(unit, spec.summary_pt * scale, look).flows), width)
    over = 0.0
    for points_pt in sizes_down(spec.points_pt, spec.points_min_pt, 1):
        points = stack(_flows(_points(unit, spec, points_pt * scale, look)), width)
        for title in titles:
            body = title + summary + points
            over = body.over(width, room)
            if over <= 0:
                return body
    floor = spec.points_min_pt * scale
    parts = [_title(unit, spec.title_min_pt * scale, look, width),
             _summary(unit, spec.summary_pt * scale, look),
             *_points(unit, spec, floor, look)]
    raise ProblemError(overflow_problem(unit, poster_place(size), parts, width, over,
                                        floor, poster_last_resort()))


def _flows(parts: list[Part]) -> list[Flowable]:
    return [flow for part in parts for flow in part.flows]


def _title(unit: AnyUnit, size: float, look: Look, width: float) -> Part:
    face = Face(look.heavy, size, look.primary, 1.1)
    return Part(Piece("title", unit.title),
                (balanced(escape(unit.title), face, width, size * 0.5),))


def _summary(unit: AnyUnit, size: float, look: Look) -> Part:
    face = Face(look.regular, size, look.text, 1.3)
    return Part(Piece("summary", unit.summary), (text(tie(escape(unit.summary)), face, size),))


def _points(unit: AnyUnit, spec: Poster, size: float, look: Look) -> list[Part]:
    point = Face(look.regular, size, look.text, 1.3)
    shown = unit.key_points[:spec.max_points]
    field = key_points_field(unit)
    marker = "steps" if field == "steps" else "point"
    return [Part(Piece(field, value, i),
                 (list_item(marker, i, tie(escape(value)), point, look, spec.point_icon,
                            size * 0.5),))
            for i, value in enumerate(shown, start=1)]


def _foot(canvas: Canvas, unit: AnyUnit, settings: Settings, template: PrintTemplate,
          sheet: Sheet, scale: float, look: Look) -> None:
    """The QR code, what it leads to, and the hotline in large type."""
    spec = template.poster
    margin = spec.margin_mm * MM * scale
    side = spec.qr_mm * MM * scale
    link = settings.unit_link(unit)  # as the feed and the bulletin link it
    QrCode(link, side, look.text).drawOn(canvas, margin, margin)
    caption = Face(look.bold, 18 * scale, look.text, 1.25)
    small = Face(look.regular, 13 * scale, look.text, 1.25)
    x = 2 * margin + side
    width = sheet.width - x - margin
    flows = [text(escape(spec.caption), caption, 4 * scale),
             text(address(bare_url(link), small, width), small, 12 * scale),
             hotline_box(unit, settings, look, template.labels.get("hotline", ""),
                         spec.hotline_pt / 3 * scale,
                         template.leaflet.icons.get("hotline", "phone"))]
    column = stack(flows, width)
    column.draw(canvas, x, margin + column.height)
    imprint = stack([credit(look, 7 * scale)], sheet.width - 2 * margin)
    imprint.draw(canvas, margin, margin * 0.55)
