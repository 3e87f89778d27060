"""The bulletin's two files, of one design: the Word file and the same pages as a PDF.

Both have a masthead (the emblem or logo if toolkit.toml names one, the
organisation, the title, the issue line), a header on the pages after the first
(title and issue), a footer on every page (organisation, page N/M), headings on
one scale in the brand colour, each procedure's steps numbered from 1, and each
unit's link kept on the page of its QR code.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from docx.document import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
from docx.section import Section
from docx.shared import Cm, Pt, RGBColor
from docx.text.paragraph import Paragraph as WordParagraph
from reportlab.lib.colors import Color
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    Flowable,
    HRFlowable,
    Image,
    KeepTogether,
    SimpleDocTemplate,
    Spacer,
)

from toolkit.channels.bulletin import BulletinTemplate
from toolkit.content.model import KINDS, AnyUnit
from toolkit.content.pictures import BadPicture, logo_file, logo_problem
from toolkit.i18n import N_, day, vietnamese
from toolkit.periods import Period
from toolkit.problems import ProblemError
from toolkit.render.colour import pdf_colour
from toolkit.render.flow import Face, escape, item, text
from toolkit.render.fonts import font_file, pdf_family, pdf_font
from toolkit.render.picture import Picture, print_picture
from toolkit.render.qr import QrCode
from toolkit.render.raster import hex_rgb, qr_image
from toolkit.render.word import (
    HEADING_SCALE,
    MARGIN_CM,
    TEXT_WIDTH_CM,
    add_fields,
    new_document,
    number,
    restart_numbering,
    saved,
)
from toolkit.settings import Settings

# The key facts of each kind, in the order they are given.
FACTS = {"procedure": ("agency", "processing_time", "fee", "where"),
         "example": ("organisation", "place"), "notice": ("hotline", "hours")}
# The footer's page label where a project's own template has none (it came before it).
PAGE_LABEL = N_("Page {page} of {pages}")
# One design for both files: the logo's height, the space after a paragraph.
LOGO_CM = 2.2
SPACE_AFTER_PT = 3.0
LINE_SPACING = 1.15
INK = "#1F2328"
GREY = "#57606A"
CM = 28.35  # points in a centimetre
# Be Vietnam Pro is wider than Times New Roman: this size sets as many words a line
# as the Word file's 13 pt Times.
PDF_BODY_PT = 10.5


def render_files(period: Period, units: tuple[AnyUnit, ...], settings: Settings,
                 template: BulletinTemplate, project_dir: Path) -> tuple[bytes, bytes]:
    """The Word file and the PDF of a period's bulletin."""
    logo = bulletin_logo(settings, project_dir)
    return (render_docx(period, list(units), settings, template, logo),
            render_pdf(period, list(units), settings, template, project_dir, logo))


def bulletin_logo(settings: Settings, project_dir: Path) -> Picture | None:
    """The logo decoded in full, as PNG or JPEG bytes both files can hold, or None."""
    path = logo_file(settings.brand.logo, project_dir)
    if path is None:
        return None
    try:
        return print_picture(path, settings.brand.logo)
    except BadPicture as err:
        raise ProblemError(logo_problem(err)) from None


# --- what is said, once for both files --------------------------------------------


@dataclass(frozen=True)
class Masthead:
    """What heads the first page, and what the header and footer of every page say."""

    organisation: str
    title: str
    issue: str
    page: str  # the footer's label, with {page} and {pages}


def masthead(period: Period, settings: Settings, template: BulletinTemplate) -> Masthead:
    """The organisation, the title, the issue line and the page label."""
    return Masthead(settings.organisation.name, template.title, issue_line(period, template),
                    template.labels.get("page") or vietnamese(PAGE_LABEL))


def issue_line(period: Period, template: BulletinTemplate) -> str:
    """"Số 06, tuần từ 08/02 đến 14/02/2021": a weekly issue is numbered by its ISO week
    (so its number follows from its dates, with nothing to count or store); a special
    edition says so, without a number."""
    dates = {"start": day(period.start), "end": day(period.end), "first": first_day(period),
             "number": f"{period.number:02d}", "week": period.name}
    return template.labels["issue" if period.number else "edition"].format(**dates)


def first_day(period: Period) -> str:
    """The period's first day as "08/02" when its year is the last day's, else in full."""
    return short_day(period.start) if period.start.year == period.end.year \
        else day(period.start)


def short_day(value: date) -> str:
    """A day without its year: 08/02."""
    return day(value)[:5]


def facts(unit: AnyUnit, template: BulletinTemplate) -> list[tuple[str, str]]:
    """The key facts of a unit as (label, value)."""
    found = [(template.labels.get(name, name), getattr(unit, name, None))
             for name in FACTS[unit.kind]]
    return [(label, str(value)) for label, value in found if value]


def points(unit: AnyUnit, template: BulletinTemplate) -> tuple[str, tuple[str, ...]]:
    """The heading and items of a unit's list (steps, results or topics)."""
    name = unit.KEY_POINTS
    return template.labels.get(name, name), unit.key_points


def by_kind(units: list[AnyUnit]) -> list[tuple[str, list[AnyUnit]]]:
    """The units grouped by kind, in the order of KINDS, leaving out empty kinds."""
    return [(kind, [u for u in units if u.kind == kind]) for kind in KINDS
            if any(u.kind == kind for u in units)]


# --- Word ----------------------------------------------------------------------


def render_docx(period: Period, units: list[AnyUnit], settings: Settings,
                template: BulletinTemplate, logo: Picture | None = None) -> bytes:
    """The bulletin as a Word file: A4, Vietnamese, real heading styles, page numbers,
    fonts every office PC has."""
    document = new_document(template.word_font, template.word_size_pt, settings.brand.primary)
    for name in ("Header", "Footer"):
        document.styles[name].font.size = Pt(template.word_size_pt - 3)
        document.styles[name].paragraph_format.tab_stops.clear_all()  # Letter-wide stops
    normal = document.styles["Normal"].paragraph_format
    normal.space_after, normal.line_spacing = Pt(SPACE_AFTER_PT), LINE_SPACING
    head = masthead(period, settings, template)
    _docx_masthead(document, head, logo)
    _docx_running(document.sections[0], head)
    for kind, group in by_kind(units):
        document.add_heading(getattr(template.sections, kind), level=1)
        for unit in group:
            _docx_unit(document, unit, settings, template)
    return saved(document, f"{template.title} {period.name}", settings.organisation.name,
                 period.end)


def _docx_masthead(document: Document, head: Masthead, logo: Picture | None) -> None:
    """Centred: the logo, the organisation in capitals, the title over its rule, the issue."""
    if logo is not None and logo.data is not None:
        document.add_picture(io.BytesIO(logo.data), height=Cm(LOGO_CM))
        _centre(document.paragraphs[-1])
    organisation = document.add_paragraph()
    organisation.add_run(head.organisation.upper()).bold = True
    _centre(organisation)
    _centre(document.add_heading(head.title, level=0))
    issue = document.add_paragraph()
    issue.add_run(head.issue).italic = True
    _centre(issue).paragraph_format.space_after = Pt(12)


def _centre(paragraph: WordParagraph) -> WordParagraph:
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    return paragraph


def _docx_running(section: Section, head: Masthead) -> None:
    """The header (title, issue) from the second page on; the footer (organisation,
    page N/M) on every page."""
    section.different_first_page_header_footer = True
    right = Cm(TEXT_WIDTH_CM)
    header = section.header.paragraphs[0]
    header.paragraph_format.tab_stops.add_tab_stop(right, WD_TAB_ALIGNMENT.RIGHT)
    header.add_run(f"{head.title}\t{head.issue}").font.color.rgb = RGBColor(*hex_rgb(GREY))
    for footer in (section.footer, section.first_page_footer):
        line = footer.paragraphs[0]
        line.paragraph_format.tab_stops.add_tab_stop(right, WD_TAB_ALIGNMENT.RIGHT)
        line.add_run(f"{head.organisation}\t")
        add_fields(line, head.page)


def _docx_unit(document: Document, unit: AnyUnit, settings: Settings,
               template: BulletinTemplate) -> None:
    document.add_heading(unit.title, level=2)
    last = document.add_paragraph()
    last.add_run(unit.summary).italic = True
    for label, value in facts(unit, template):
        last = document.add_paragraph()
        last.add_run(f"{label}: ").bold = True
        last.add_run(value)
    heading, items = points(unit, template)
    if items:
        title = document.add_paragraph()
        title.add_run(heading).bold = True
        title.paragraph_format.keep_with_next = True
        last = _docx_list(document, items, unit.kind == "procedure")
    link = settings.unit_link(unit)
    paragraph = document.add_paragraph()
    paragraph.add_run(f"{template.labels['link']}: ").bold = True
    paragraph.add_run(link)
    if template.qr_cm:
        # the QR shares its link's paragraph, kept on one page with the line before it:
        # it never starts a page alone (Word and LibreOffice both honour this)
        last.paragraph_format.keep_with_next = True
        paragraph.paragraph_format.keep_together = True
        picture = io.BytesIO()
        qr_image(link, 330, (0, 0, 0), (255, 255, 255)).save(picture, format="PNG")
        run = paragraph.add_run()
        run.add_break()
        run.add_picture(picture, width=Cm(template.qr_cm))


def _docx_list(document: Document, items: tuple[str, ...], numbered: bool) -> WordParagraph:
    """The items as a list, numbered from 1 (a list instance of its own) or bulleted;
    the last item's paragraph."""
    num_id = restart_numbering(document) if numbered else None
    paragraph = None
    for point in items:
        paragraph = document.add_paragraph(point, style="List Number" if numbered
                                           else "List Bullet")
        if num_id is not None:
            number(paragraph, num_id)
    assert paragraph is not None
    return paragraph


# --- PDF -------------------------------------------------------------------------


@dataclass(frozen=True)
class Look:
    """The PDF's faces and colours, on the Word file's heading scale."""

    faces: dict[str, Face]
    brand: Color
    grey: Color
    regular: str


def render_pdf(period: Period, units: list[AnyUnit], settings: Settings,
               template: BulletinTemplate, project_dir: Path,
               logo: Picture | None = None) -> bytes:
    """The same bulletin as a PDF, in Be Vietnam Pro, A4, with its page numbers: laid out
    once to count the pages, then again with the count in the footers."""
    look = _look(settings, template, project_dir)
    head = masthead(period, settings, template)
    pages = _pdf_build(period, units, settings, template, look, head, logo, 0)[1]
    return _pdf_build(period, units, settings, template, look, head, logo, pages)[0]


def _look(settings: Settings, template: BulletinTemplate, project_dir: Path) -> Look:
    fonts = template.pdf_fonts
    regular = pdf_family(font_file(fonts.regular, project_dir), font_file(fonts.bold, project_dir),
                         font_file(fonts.italic, project_dir))
    bold = pdf_font(font_file(fonts.bold, project_dir))
    italic = pdf_font(font_file(fonts.italic, project_dir))
    ink, brand = pdf_colour(INK, False), pdf_colour(settings.brand.primary, False)
    size = PDF_BODY_PT
    scaled = {name: round(size * scale) for name, (scale, _b, _a) in HEADING_SCALE.items()}
    leading = LINE_SPACING * 1.2
    faces = {"title": Face(bold, scaled["Title"], brand, 1.2, centred=True),
             "h1": Face(bold, scaled["Heading 1"], brand, 1.3),
             "h2": Face(bold, scaled["Heading 2"], brand, 1.3),
             "body": Face(regular, size, ink, leading),
             "italic": Face(italic, size, ink, leading),
             "strong": Face(bold, size, ink, leading),
             "centred": Face(bold, size, ink, leading, centred=True),
             "issue": Face(italic, size, ink, leading, centred=True)}
    return Look(faces, brand, pdf_colour(GREY, False), regular)


def _pdf_build(period: Period, units: list[AnyUnit], settings: Settings,
               template: BulletinTemplate, look: Look, head: Masthead,
               logo: Picture | None, pages: int) -> tuple[bytes, int]:
    """The PDF's bytes and its number of pages, `pages` written in its footers."""
    out = io.BytesIO()
    margin = MARGIN_CM * CM
    document = SimpleDocTemplate(out, pagesize=A4, invariant=1, initialFontName=look.regular,
                                 title=f"{template.title} {period.name}",
                                 author=settings.organisation.name, leftMargin=margin,
                                 rightMargin=margin, topMargin=margin, bottomMargin=margin,
                                 lang="vi-VN")
    flows = _pdf_masthead(head, look, logo) + _pdf_units(units, settings, template, look)
    document.build(flows, onFirstPage=_pdf_running(head, look, pages, False),
                   onLaterPages=_pdf_running(head, look, pages, True))
    return out.getvalue(), document.page


def _pdf_running(head: Masthead, look: Look, pages: int,
                 with_header: bool) -> Callable[[Canvas, SimpleDocTemplate], None]:
    """What draws a page's footer (organisation, page N/M) and, past the first, header."""
    def draw(canvas: Canvas, document: SimpleDocTemplate) -> None:
        left, right = document.leftMargin, A4[0] - document.rightMargin
        size = look.faces["body"].size - 1.5
        canvas.saveState()
        canvas.setFillColor(look.grey)
        canvas.setFont(look.regular, size)
        low = document.bottomMargin / 2
        canvas.drawString(left, low, head.organisation)
        page = head.page.format(page=canvas.getPageNumber(), pages=pages or "")
        canvas.drawRightString(right, low, page)
        if with_header:
            high = A4[1] - document.topMargin / 2
            canvas.drawString(left, high, head.title)
            canvas.drawRightString(right, high, head.issue)
        canvas.restoreState()
    return draw


def _pdf_masthead(head: Masthead, look: Look, logo: Picture | None) -> list[Flowable]:
    faces = look.faces
    flows: list[Flowable] = []
    if logo is not None and logo.data is not None:
        height = LOGO_CM * CM
        flows += [Image(io.BytesIO(logo.data), height * logo.width / logo.height, height,
                        mask="auto", hAlign="CENTER"), Spacer(1, 4)]
    flows += [text(escape(head.organisation.upper()), faces["centred"], 4),
              text(escape(head.title), faces["title"], 4),
              HRFlowable(width="100%", thickness=1, color=look.brand, spaceAfter=6),
              text(escape(head.issue), faces["issue"], 12)]
    return flows


def _pdf_units(units: list[AnyUnit], settings: Settings, template: BulletinTemplate,
               look: Look) -> list[Flowable]:
    faces = look.faces
    body = faces["body"]
    flows: list[Flowable] = []
    for kind, group in by_kind(units):
        flows.append(text(escape(getattr(template.sections, kind)), faces["h1"], 6))
        for unit in group:
            flows += [text(escape(unit.title), faces["h2"], 3),
                      text(escape(unit.summary), faces["italic"], SPACE_AFTER_PT)]
            flows += [text(f"<b>{escape(label)}:</b> {escape(value)}", body, SPACE_AFTER_PT)
                      for label, value in facts(unit, template)]
            heading, items = points(unit, template)
            if items:
                numbered = unit.kind == "procedure"
                listed = [item(escape(p), body, f"{i}." if numbered else "•", 1)
                          for i, p in enumerate(items, start=1)]
                flows.append(KeepTogether([text(f"<b>{escape(heading)}</b>", body, 2),
                                           listed[0]]))
                flows += listed[1:]
            link = settings.unit_link(unit)
            line = text(f"<b>{escape(template.labels['link'])}:</b> {escape(link)}", body, 4)
            if template.qr_cm:
                # the QR never starts a page alone: it keeps its link, the link the line before
                last = flows.pop()
                flows.append(KeepTogether([last, line, QrCode(link, template.qr_cm * CM,
                                                               body.colour)]))
            else:
                flows.append(line)
            flows.append(Spacer(1, 12))
    return flows
