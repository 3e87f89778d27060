"""Word files with python-docx: an A4 page, fonts every office PC has, the same bytes.

A .docx is a zip whose entries carry the time they were written, and python-docx
stamps the document's dates: both are fixed here, so the same content gives the
same file.
"""

from __future__ import annotations

import io
import zipfile
from datetime import date, datetime

from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.section import WD_ORIENT
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from toolkit.render.raster import hex_rgb

ZIP_TIME = (2000, 1, 1, 0, 0, 0)
STYLED = ("Normal", "Title", "Heading 1", "Heading 2", "List Number", "List Bullet", "Table Grid")


def new_document(font: str, size_pt: float, heading_colour: str) -> DocumentObject:
    """An empty A4 portrait document whose styles use `font` (and never a theme font)."""
    document = Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(2))
    colour = RGBColor(*hex_rgb(heading_colour))
    for name in STYLED:
        style = document.styles[name]
        style.font.name = font
        fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
        for slot in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
            fonts.set(qn(slot), font)
        for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
            fonts.attrib.pop(qn(theme), None)  # a theme font would win over the one set
        if name.startswith(("Heading", "Title")):
            style.font.color.rgb = colour
    document.styles["Normal"].font.size = Pt(size_pt)
    return document


def saved(document: DocumentObject, title: str, author: str, day: date) -> bytes:
    """The document's bytes, dated `day` and zipped the same way every time."""
    moment = datetime.combine(day, datetime.min.time())
    properties = document.core_properties
    properties.title, properties.author, properties.last_modified_by = title, author, author
    properties.created = properties.modified = moment
    properties.revision = 1
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
