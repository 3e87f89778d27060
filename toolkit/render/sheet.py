"""A print-ready PDF sheet: exact trim, bleed, crop marks, TrimBox and BleedBox, PDF/X-4.

ReportLab's crop marks widen the page by a border on every side and move the
origin to the trim corner, so drawing at (0, 0) is drawing at the trim; a
background that must run into the bleed is drawn from (-bleed, -bleed). The
boxes are given in final page coordinates, offset by that border.

A sheet is PDF/X-4 (ISO 15930-7) as print shops ask: PDF 1.6, an OutputIntent
with the embedded CMYK profile of the printing condition (FOGRA39, coated
offset), `GTS_PDFXVersion` and `Trapped` in the document information, XMP
metadata saying the same, and sRGB as each page's `DefaultRGB`, so RGB colours
and photos have a meaning. Nothing depends on a clock: the dates are the
unit's, and the document ID is a digest of the file's own bytes.
"""

from __future__ import annotations

import hashlib
import io
import zlib
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from pathlib import Path
from types import SimpleNamespace
from xml.sax.saxutils import escape as xml_escape

from reportlab.lib.colors import Color
from reportlab.pdfbase import pdfdoc
from reportlab.pdfgen.canvas import Canvas

from toolkit.render.colour import mark_colour

MM = 72 / 25.4
# Room around the trim for crop marks (ReportLab's default), and their length:
# a mark starts at the page edge and stops this far from the trim, past the bleed.
CROP_BORDER = 36.0
CROP_MARK = 18.0
FOLD_MARK = 10.0

ICC = Path(__file__).parent / "icc"
PDFX_VERSION = "PDF/X-4"
PDF_VERSION = (1, 6)
CREATOR = "cchc-toolkit"
# The printing condition of the OutputIntent, as the ICC registry names it.
CONDITION = "FOGRA39"
CONDITION_TEXT = "Offset printing, coated paper (ISO 12647-2:2004/Amd 1, FOGRA39)"
REGISTRY = "http://www.color.org"
# Stand-ins for the document ID until the bytes it is a digest of are known.
ID_PLACEHOLDER = b"<" + b"0" * 32 + b">"
UUID_PLACEHOLDER = b"uuid:00000000-0000-0000-0000-000000000000"


@dataclass(frozen=True)
class Sheet:
    """A page's trim size and bleed, in points."""

    width: float
    height: float
    bleed: float


@dataclass(frozen=True)
class DocumentInfo:
    """What a print shop's preflight and a PDF reader show of a file: its title, who
    made it, what it is about, and when (aware: the offset is written down too)."""

    title: str
    author: str
    subject: str
    created: datetime


class SheetCanvas(Canvas):
    """A ReportLab canvas whose every page names sRGB as its `DefaultRGB`."""

    default_rgb: str | None = None

    def _startPage(self) -> None:
        super()._startPage()
        _use_default_rgb(self)


def open_canvas(out: io.BytesIO, sheet: Sheet, font: str, cmyk: bool,
                info: DocumentInfo) -> Canvas:
    """A PDF/X-4 canvas for the sheet: invariant bytes, our font from the start, optional
    CMYK, the document described by `info`. Finish it with `save`."""
    b, w, h, bleed = CROP_BORDER, sheet.width, sheet.height, sheet.bleed
    marks = SimpleNamespace(borderWidth=b, markLength=CROP_MARK, markWidth=0.25, bleedWidth=0,
                            markColor=mark_colour(cmyk), markLast=1)
    canvas = SheetCanvas(out, pagesize=(w, h), cropMarks=marks, invariant=1,
                         initialFontName=font, trimBox=(b, b, b + w, b + h),
                         bleedBox=(b - bleed, b - bleed, b + w + bleed, b + h + bleed),
                         enforceColorSpace="cmyk" if cmyk else None, pdfVersion=PDF_VERSION)
    _describe(canvas, info)
    _add_output_intent(canvas)
    canvas.default_rgb = _add_default_rgb(canvas)
    _use_default_rgb(canvas)
    return canvas


def save(canvas: Canvas, out: io.BytesIO) -> bytes:
    """Close the canvas and return the file's bytes, its document ID (in the trailer and
    the XMP) a digest of everything else in them."""
    canvas.save()
    data = out.getvalue()
    digest = hashlib.sha256(data).hexdigest()[:32]
    uuid = "-".join((digest[:8], digest[8:12], digest[12:16], digest[16:20], digest[20:]))
    data = data.replace(b"[" + ID_PLACEHOLDER * 2 + b"]",
                        b"[<" + digest.encode() + b"><" + digest.encode() + b">]", 1)
    return data.replace(UUID_PLACEHOLDER, b"uuid:" + uuid.encode())


class _Moment:
    """A date as ReportLab's PDFDate reads a TimeStamp: fields and the UTC offset."""

    def __init__(self, when: datetime) -> None:
        offset = when.utcoffset()
        minutes = int(offset.total_seconds() // 60) if offset else 0
        self.YMDhms = (when.year, when.month, when.day, when.hour, when.minute, when.second)
        self.dhh, self.dmm = int(minutes / 60), abs(minutes) % 60


class _PdfxInfo(pdfdoc.PDFInfo):
    """The document information dictionary, with the PDF/X version key."""

    def format(self, document: object) -> bytes:
        when = pdfdoc.PDFDate(ts=document._timeStamp)  # type: ignore[attr-defined]
        entries = {"Title": pdfdoc.PDFString(self.title),
                   "Author": pdfdoc.PDFString(self.author),
                   "Subject": pdfdoc.PDFString(self.subject),
                   "Creator": pdfdoc.PDFString(self.creator),
                   "Producer": pdfdoc.PDFString(self.producer),
                   "CreationDate": when, "ModDate": when,
                   "Trapped": pdfdoc.PDFName(self.trapped),
                   "GTS_PDFXVersion": pdfdoc.PDFString(PDFX_VERSION)}
        formatted: bytes = pdfdoc.PDFDictionary(entries).format(document)
        return formatted


def _describe(canvas: Canvas, info: DocumentInfo) -> None:
    """Title, author, subject, dates, trapping and PDF/X version, in the document
    information dictionary and in XMP, saying the same."""
    doc = canvas._doc
    doc.info = _PdfxInfo()
    doc.info.trapped = "False"
    canvas.setTitle(info.title)
    canvas.setAuthor(info.author)
    canvas.setSubject(info.subject)
    canvas.setCreator(CREATOR)
    doc._timeStamp = _Moment(info.created)
    doc._ID = b"\n[" + ID_PLACEHOLDER * 2 + b"]\n"
    xmp = pdfdoc.PDFStream(pdfdoc.PDFDictionary({"Type": pdfdoc.PDFName("Metadata"),
                                                 "Subtype": pdfdoc.PDFName("XML")}),
                           _xmp(info, doc.info.producer).encode("utf-8"))
    doc.Catalog.Metadata = xmp


def _xmp(info: DocumentInfo, producer: str) -> str:
    """The XMP packet: what the information dictionary says, the PDF/X version, and the
    document ID (a placeholder here, the digest once the bytes are known)."""
    when = info.created.isoformat(timespec="seconds")
    title, author, subject = (xml_escape(v) for v in (info.title, info.author, info.subject))
    uuid = UUID_PLACEHOLDER.decode()
    return f"""<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
<rdf:Description rdf:about=""
 xmlns:dc="http://purl.org/dc/elements/1.1/"
 xmlns:xmp="http://ns.adobe.com/xap/1.0/"
 xmlns:pdf="http://ns.adobe.com/pdf/1.3/"
 xmlns:xmpMM="http://ns.adobe.com/xap/1.0/mm/"
 xmlns:pdfxid="http://www.npes.org/pdfx/ns/id/">
<dc:format>application/pdf</dc:format>
<dc:title><rdf:Alt><rdf:li xml:lang="x-default">{title}</rdf:li></rdf:Alt></dc:title>
<dc:creator><rdf:Seq><rdf:li>{author}</rdf:li></rdf:Seq></dc:creator>
<dc:description><rdf:Alt><rdf:li xml:lang="x-default">{subject}</rdf:li></rdf:Alt></dc:description>
<xmp:CreateDate>{when}</xmp:CreateDate>
<xmp:ModifyDate>{when}</xmp:ModifyDate>
<xmp:MetadataDate>{when}</xmp:MetadataDate>
<xmp:CreatorTool>{CREATOR}</xmp:CreatorTool>
<pdf:Producer>{xml_escape(producer)}</pdf:Producer>
<pdf:Trapped>False</pdf:Trapped>
<xmpMM:DocumentID>{uuid}</xmpMM:DocumentID>
<xmpMM:InstanceID>{uuid}</xmpMM:InstanceID>
<xmpMM:VersionID>1</xmpMM:VersionID>
<xmpMM:RenditionClass>default</xmpMM:RenditionClass>
<pdfxid:GTS_PDFXVersion>{PDFX_VERSION}</pdfxid:GTS_PDFXVersion>
</rdf:Description>
</rdf:RDF>
</x:xmpmeta>
<?xpacket end="w"?>
"""


def _add_output_intent(canvas: Canvas) -> None:
    """The PDF/X OutputIntent: the printing condition and its CMYK profile, embedded."""
    doc = canvas._doc
    profile = doc.Reference(_icc_stream("FOGRA39L_coated.icc", 4), "OutputProfile")
    intent = pdfdoc.PDFDictionary({
        "Type": pdfdoc.PDFName("OutputIntent"), "S": pdfdoc.PDFName("GTS_PDFX"),
        "OutputConditionIdentifier": pdfdoc.PDFString(CONDITION),
        "OutputCondition": pdfdoc.PDFString(CONDITION_TEXT),
        "RegistryName": pdfdoc.PDFString(REGISTRY),
        "Info": pdfdoc.PDFString("FOGRA39L coated"),
        "DestOutputProfile": profile})
    catalog = doc.Catalog
    # ReportLab's catalog writes only the keys it lists; this one lists OutputIntents too.
    catalog.__NoDefault__ = [*type(catalog).__NoDefault__, "OutputIntents"]
    catalog.OutputIntents = pdfdoc.PDFArray([intent])


def _add_default_rgb(canvas: Canvas) -> str:
    """sRGB as an ICC-based colour space in the document; returns its internal name."""
    doc = canvas._doc
    profile = doc.Reference(_icc_stream("sRGB.icc", 3), "DefaultRGBProfile")
    name = "DefaultRGBSpace"
    doc.Reference(pdfdoc.PDFArray([pdfdoc.PDFName("ICCBased"), profile]), name)
    return name


def _use_default_rgb(canvas: SheetCanvas) -> None:
    """Name the document's sRGB space `DefaultRGB` in the resources of the current page."""
    if canvas.default_rgb:
        canvas._colorsUsed[canvas.default_rgb] = "DefaultRGB"


def _icc_stream(name: str, components: int) -> pdfdoc.PDFStream:
    """An ICC profile as a PDF stream, compressed once per process."""
    return pdfdoc.PDFStream(pdfdoc.PDFDictionary({"N": components,
                                                  "Filter": pdfdoc.PDFName("FlateDecode")}),
                            _compressed_profile(name))


@cache
def _compressed_profile(name: str) -> bytes:
    return zlib.compress((ICC / name).read_bytes(), 9)


def fill(canvas: Canvas, colour: Color, x: float, y: float, width: float, height: float) -> None:
    """A filled rectangle without an outline."""
    canvas.saveState()
    canvas.setFillColor(colour)
    canvas.rect(x, y, width, height, stroke=0, fill=1)
    canvas.restoreState()


def fold_marks(canvas: Canvas, sheet: Sheet, xs: list[float], cmyk: bool) -> None:
    """Short dashed lines at each fold, above and below the bleed, outside the trim."""
    canvas.saveState()
    canvas.setStrokeColor(mark_colour(cmyk))
    canvas.setLineWidth(0.25)
    canvas.setDash(2, 2)
    top, bottom = sheet.height + sheet.bleed + 3, -sheet.bleed - 3
    for x in xs:
        canvas.line(x, top, x, top + FOLD_MARK)
        canvas.line(x, bottom, x, bottom - FOLD_MARK)
    canvas.restoreState()


def preview_png(pdf: bytes, dpi: int) -> list[bytes]:
    """A PNG of each page, cut to the trim (as the reader will hold it)."""
    import pypdfium2

    document = pypdfium2.PdfDocument(pdf)
    try:
        # rev_byteorder: pdfium draws RGB rather than BGR, so Pillow need not swap the bytes.
        return [_png(page.render(scale=dpi / 72, crop=(CROP_BORDER,) * 4,
                                 rev_byteorder=True).to_pil())
                for page in document]
    finally:
        document.close()


def _png(image: object) -> bytes:
    out = io.BytesIO()
    image.save(out, format="PNG", compress_level=1)  # type: ignore[attr-defined]
    return out.getvalue()
