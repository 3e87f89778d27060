"""Word files with python-docx: an A4 page, fonts every office PC has, the same bytes.

A .docx is a zip whose entries carry the time they were written, and python-docx
stamps the document's dates: both are fixed here, so the same content gives the
same file. What Word and LibreOffice need to read a Vietnamese document as one is
set here too: the language of every style (vi-VN, so the spelling checker does
not mark every word), a heading scale in the brand colour with no theme colour
left, numbered lists that each restart at 1, and page fields for headers and
footers.
"""

from __future__ import annotations

import io
import string
import zipfile
from datetime import date, datetime
from typing import Any, cast

from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.section import WD_ORIENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.shared import Cm, Pt, RGBColor
from docx.text.paragraph import Paragraph

from toolkit.render.raster import hex_rgb

ZIP_TIME = (2000, 1, 1, 0, 0, 0)
STYLED = ("Normal", "Title", "Heading 1", "Heading 2", "List Number", "List Bullet", "Table Grid",
          "Header", "Footer")
LANGUAGE = "vi-VN"
PAGE_CM, MARGIN_CM = (21.0, 29.7), 2.0
TEXT_WIDTH_CM = PAGE_CM[0] - 2 * MARGIN_CM
# Each heading's size as a multiple of the body text's, and its space before and after
# in points: a scale a reader sees at a glance (python-docx's Heading 2 is body size).
HEADING_SCALE = {"Title": (1.7, 0, 6), "Heading 1": (1.4, 18, 6), "Heading 2": (1.15, 12, 3)}
# What follows w:lang in a w:rPr (the schema's order).
_AFTER_LANG = ("w:eastAsianLayout", "w:specVanish", "w:oMath")
# Word fields a header or footer may hold, by the placeholder that names them.
FIELDS = {"page": "PAGE", "pages": "NUMPAGES"}


def new_document(font: str, size_pt: float, heading_colour: str) -> DocumentObject:
    """An empty A4 portrait Vietnamese document whose styles use `font` (never a theme
    font), with headings on a clear scale in `heading_colour` (never the theme's blue)."""
    document = Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Cm(PAGE_CM[0]), Cm(PAGE_CM[1])
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(MARGIN_CM))
    for name in STYLED:
        _use_font(document, name, font)
    document.styles["Normal"].font.size = Pt(size_pt)
    _scale_headings(document, size_pt, RGBColor(*hex_rgb(heading_colour)))
    set_language(document, LANGUAGE)
    return document


def _use_font(document: DocumentObject, name: str, font: str) -> None:
    """Style `name` in `font` for every script, with no theme font that would win."""
    style = document.styles[name]
    style.font.name = font
    fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    for slot in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(slot), font)
    for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(theme), None)


def _scale_headings(document: DocumentObject, size_pt: float, colour: RGBColor) -> None:
    """Title and headings bold, sized by HEADING_SCALE, in `colour`; the Title's rule too."""
    for name, (scale, before, after) in HEADING_SCALE.items():
        style = document.styles[name]
        style.font.size = Pt(round(size_pt * scale))
        style.font.bold = True
        style.font.color.rgb = colour
        style.paragraph_format.space_before = Pt(before)
        style.paragraph_format.space_after = Pt(after)
        style.paragraph_format.keep_with_next = True
    for border in document.styles["Title"].element.iter(qn("w:bottom")):
        border.set(qn("w:color"), str(colour))
        border.attrib.pop(qn("w:themeColor"), None)


def set_language(document: DocumentObject, language: str) -> None:
    """`language` (e.g. vi-VN) as the language of the document's defaults and of every
    paragraph, character and table style, so Word checks the spelling in it."""
    styles = document.styles.element
    defaults = styles.find(qn("w:docDefaults"))
    targets = [] if defaults is None else list(defaults.iter(qn("w:rPr")))
    for style in styles.findall(qn("w:style")):
        if style.get(qn("w:type")) in ("paragraph", "character", "table"):
            targets.append(style.get_or_add_rPr())
    for rpr in targets:
        _set_lang(rpr, language)


def _set_lang(rpr: BaseOxmlElement, language: str) -> None:
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = _element("w:lang")
        rpr.insert_element_before(lang, *_AFTER_LANG)
    for slot in ("w:val", "w:eastAsia"):
        lang.set(qn(slot), language)


def restart_numbering(document: DocumentObject, style: str = "List Number") -> int:
    """A new numbering instance (w:num) of the list that `style` numbers, starting at 1:
    the numId to give a list's paragraphs (`number`) so that each list counts from 1
    instead of going on from the one before."""
    numbering = document.part.numbering_part.element
    style_num = document.styles[style].element.pPr.numPr.numId.val
    abstract = numbering.num_having_numId(style_num).abstractNumId.val
    num = numbering.add_num(abstract)
    num.add_lvlOverride(ilvl=0).add_startOverride(1)
    return int(num.numId)


def number(paragraph: Paragraph, num_id: int) -> None:
    """Puts `paragraph` in the list instance `num_id` (from `restart_numbering`), level 0."""
    # python-docx makes w:numPr's accessors at runtime, where mypy cannot see them
    numbering = cast(Any, paragraph._p.get_or_add_pPr()).get_or_add_numPr()
    numbering.get_or_add_ilvl().val = 0
    numbering.get_or_add_numId().val = num_id


def add_fields(paragraph: Paragraph, pattern: str, **values: str) -> None:
    """`pattern` (a label like "Trang {page}/{pages}") written into `paragraph`, its
    {page} and {pages} as Word fields that count the pages, other placeholders from
    `values`."""
    for literal, name, _spec, _conversion in string.Formatter().parse(pattern):
        if literal:
            paragraph.add_run(literal)
        if name in FIELDS:
            _add_field(paragraph, FIELDS[name])
        elif name is not None:
            paragraph.add_run(values[name])


def _add_field(paragraph: Paragraph, instruction: str) -> None:
    """A complex field (begin, instruction, separate, shown value, end), the form Word
    writes and LibreOffice reads for PAGE and NUMPAGES."""
    for element in (_field_char("begin"), _text_element("w:instrText", f" {instruction} "),
                    _field_char("separate"), _text_element("w:t", "1"), _field_char("end")):
        paragraph.add_run()._r.append(element)


def _field_char(kind: str) -> BaseOxmlElement:
    mark = _element("w:fldChar")
    mark.set(qn("w:fldCharType"), kind)
    return mark


def _text_element(tag: str, text: str) -> BaseOxmlElement:
    element = _element(tag)
    element.set(qn("xml:space"), "preserve")
    element.text = text
    return element


def _element(tag: str) -> BaseOxmlElement:
    """A new element of the WordprocessingML namespace (python-docx's own class)."""
    return cast(BaseOxmlElement, OxmlElement(tag))


def saved(document: DocumentObject, title: str, author: str, day: date) -> bytes:
    """The document's bytes, dated `day` and zipped the same way every time."""
    moment = datetime.combine(day, datetime.min.time())
    properties = document.core_properties
    properties.title, properties.author, properties.last_modified_by = title, author, author
    properties.created = properties.modified = moment
    properties.revision = 1
    properties.language = LANGUAGE
    out = io.BytesIO()
    document.save(out)
    return _fixed_zip(out.getvalue())


def _fixed_zip(data: bytes) -> bytes:
    """The same zip with every entry at one fixed time, in the same order."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            fixed = zipfile.ZipInfo(info.filename, ZIP_TIME)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            target.writestr(fixed, source.read(info.filename))
    return out.getvalue()
