"""The bulletin's two files: the Word file and the same content as a PDF."""

from __future__ import annotations

import io
from pathlib import Path

from docx.document import Document
from docx.shared import Cm
from reportlab.lib.pagesizes import A4
from reportlab.platypus import Flowable, SimpleDocTemplate, Spacer

from toolkit.channels.bulletin import BulletinTemplate
from toolkit.content.model import KINDS, AnyUnit
from toolkit.i18n import day
from toolkit.periods import Period
from toolkit.render.colour import pdf_colour
from toolkit.render.flow import Face, escape, item, text
from toolkit.render.fonts import font_file, pdf_family, pdf_font
from toolkit.render.qr import QrCode
from toolkit.render.raster import qr_image
from toolkit.render.word import new_document, saved
from toolkit.settings import Settings

# The key facts of each kind, in the order they are given.
FACTS = {"procedure": ("agency", "processing_time", "fee", "where"),
         "example": ("organisation", "place"), "notice": ("hotline", "hours")}


def render_files(period: Period, units: tuple[AnyUnit, ...], settings: Settings,
                 template: BulletinTemplate, project_dir: Path) -> tuple[bytes, bytes]:
    """The Word file and the PDF of a period's bulletin."""
    return (render_docx(period, list(units), settings, template),
            render_pdf(period, list(units), settings, template, project_dir))


# --- what is said, once for both files --------------------------------------------


def masthead(period: Period, settings: Settings, template: BulletinTemplate) -> list[str]:
    """Title, organisation, and the issue line."""
    dates = {"start": day(period.start), "end": day(period.end),
             "number": f"{period.number:02d}", "week": period.name}
    line = template.labels["issue" if period.number else "edition"].format(**dates)
    return [template.title, settings.organisation.name, line]


def facts(unit: AnyUnit, template: BulletinTemplate) -> list[tuple[str, str]]:
    """The key facts of a unit as (label, value)."""
    found = [(template.labels.get(name, name), getattr(unit, name, None))
             for name in FACTS[unit.kind]]
    return [(label, str(value)) for label, value in found if value]


def points(unit: AnyUnit, template: BulletinTemplate) -> tuple[str, tuple[str, ...]]:
    """The heading and items of a unit's list (steps, results or topics)."""
    name = {"procedure": "steps", "example": "results", "notice": "topics"}[unit.kind]
    return template.labels.get(name, name), unit.key_points


def by_kind(units: list[AnyUnit]) -> list[tuple[str, list[AnyUnit]]]:
    """The units grouped by kind, in the order of KINDS, leaving out empty kinds."""
    return [(kind, [u for u in units if u.kind == kind]) for kind in KINDS
            if any(u.kind == kind for u in units)]


# --- Word ----------------------------------------------------------------------


def render_docx(period: Period, units: list[AnyUnit], settings: Settings,
                template: BulletinTemplate) -> bytes:
    """The bulletin as a Word file: A4, real heading styles, fonts every office PC has."""
    document = new_document(template.word_font, template.word_size_pt, settings.brand.primary)
    title, organisation, line = masthead(period, settings, template)
    document.add_heading(title, level=0)
    document.add_paragraph(organisation).runs[0].bold = True
    document.add_paragraph(line)
    for kind, group in by_kind(units):
        document.add_heading(getattr(template.sections, kind), level=1)
        for unit in group:
            _docx_unit(document, unit, settings, template)
    return saved(document, f"{title} {period.name}", settings.organisation.name, period.end)


def _docx_unit(document: Document, unit: AnyUnit, settings: Settings,
               template: BulletinTemplate) -> None:
    document.add_heading(unit.title, level=2)
    document.add_paragraph(unit.summary).runs[0].italic = True
    for label, value in facts(unit, template):
        paragraph = document.add_paragraph()
        paragraph.add_run(f"{label}: ").bold = True
        paragraph.add_run(value)
    heading, items = points(unit, template)
    if items:
        document.add_paragraph().add_run(heading).bold = True
        style = "List Number" if unit.kind == "procedure" else "List Bullet"
        for point in items:
            document.add_paragraph(point, style=style)
    link = settings.unit_link(unit)
    paragraph = document.add_paragraph()
    paragraph.add_run(f"{template.labels['link']}: ").bold = True
    paragraph.add_run(link)
    if template.qr_cm:
        picture = io.BytesIO()
        qr_image(link, 330, (0, 0, 0), (255, 255, 255)).save(picture, format="PNG")
        document.add_picture(picture, width=Cm(template.qr_cm))


# --- PDF -------------------------------------------------------------------------


def render_pdf(period: Period, units: list[AnyUnit], settings: Settings,
               template: BulletinTemplate, project_dir: Path) -> bytes:
    """The same bulletin as a PDF, in Be Vietnam Pro, A4."""
    fonts = template.pdf_fonts
    regular = pdf_family(font_file(fonts.regular, project_dir), font_file(fonts.bold, project_dir),
                         font_file(fonts.italic, project_dir))
    bold = pdf_font(font_file(fonts.bold, project_dir))
    italic = pdf_font(font_file(fonts.italic, project_dir))
    ink, brand = pdf_colour("#1F2328", False), pdf_colour(settings.brand.primary, False)
    faces = {"title": Face(bold, 22, brand, 1.2), "h1": Face(bold, 16, brand, 1.3),
             "h2": Face(bold, 13, brand, 1.3), "body": Face(regular, 10.5, ink, 1.4),
             "italic": Face(italic, 10.5, ink, 1.4), "strong": Face(bold, 10.5, ink, 1.4)}
    flows = _pdf_flows(period, units, settings, template, faces)
    out = io.BytesIO()
    document = SimpleDocTemplate(out, pagesize=A4, invariant=1, initialFontName=regular,
                                 title=f"{template.title} {period.name}",
                                 author=settings.organisation.name, leftMargin=56,
                                 rightMargin=56, topMargin=56, bottomMargin=56)
    document.build(flows)
    return out.getvalue()


def _pdf_flows(period: Period, units: list[AnyUnit], settings: Settings,
               template: BulletinTemplate, faces: dict[str, Face]) -> list[Flowable]:
    title, organisation, line = masthead(period, settings, template)
    body = faces["body"]
    flows: list[Flowable] = [text(escape(title), faces["title"], 6),
                             text(escape(organisation), faces["strong"]),
                             text(escape(line), body, 14)]
    for kind, group in by_kind(units):
        flows.append(text(escape(getattr(template.sections, kind)), faces["h1"], 8))
        for unit in group:
            flows += [text(escape(unit.title), faces["h2"], 4),
                      text(escape(unit.summary), faces["italic"], 4)]
            flows += [text(f"<b>{escape(label)}:</b> {escape(value)}", body, 2)
                      for label, value in facts(unit, template)]
            heading, items = points(unit, template)
            if items:
                flows.append(text(f"<b>{escape(heading)}</b>", body, 2))
                numbered = unit.kind == "procedure"
                flows += [item(escape(p), body, f"{i}." if numbered else "•", 2)
                          for i, p in enumerate(items, start=1)]
            link = settings.unit_link(unit)
            flows.append(text(f"<b>{escape(template.labels['link'])}:</b> {escape(link)}",
                              body, 4))
            if template.qr_cm:
                flows.append(QrCode(link, template.qr_cm * 28.35, body.colour))
            flows.append(Spacer(1, 12))
    return flows
