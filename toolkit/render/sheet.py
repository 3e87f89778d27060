"""A print-ready PDF sheet: exact trim, bleed, crop marks, TrimBox and BleedBox, PDF/X-4
or PDF/X-1a:2003.

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

PDF/X-1a:2003 (ISO 15930-4), for print shops that still ask for it, is the older,
stricter standard: PDF 1.4, its own version key (and in XMP Adobe's `pdfx` key, as
Distiller writes it: the `pdfxid` schema is X-4's), CMYK only (every colour and
picture DeviceCMYK, no DefaultRGB, no ICC-based space but the output intent's
profile), no transparency (pictures come flattened: `toolkit/render/picture.py`),
fonts embedded (as always).
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
from reportlab.pdfgen.canvas import Canvas, ExtGState
from reportlab.pdfgen.textobject import PDFTextObject

from toolkit.render.colour import is_pure_black, mark_colour

MM = 72 / 25.4
# Room around the trim for crop marks (ReportLab's default), and their length:
# a mark starts at the page edge and stops this far from the trim, past the bleed.
CROP_BORDER = 36.0
CROP_MARK = 18.0
FOLD_MARK = 10.0
PREVIEW_QUALITY = 85

ICC = Path(__file__).parent / "icc"
PDFX4 = "PDF/X-4"
PDFX1A = "PDF/X-1a:2003"
# The PDF version each standard is built on.
PDF_VERSIONS = {PDFX4: (1, 6), PDFX1A: (1, 4)}
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
    """A ReportLab canvas whose every page names sRGB as its `DefaultRGB` (PDF/X-4), and
    which in CMYK overprints what is pure K.

    Overprint, as a prepress RIP's "black overprint" does it: black text, rules and
    marks in 100 % K are printed over what is under them instead of cutting a white
    gap for themselves in the other plates, so a misregister shows no halo around
    small black type on a tint. Every other colour knocks out (white text on the brand
    colour must). The nonzero mode (OPM 1) leaves the plates a K colour has no ink on
    untouched. (No design here has a large black area, which would want a rich black
    rather than pure K.)
    """

    default_rgb: str | None = None
    standard: str = PDFX4
    overprint_black = False

    def setFillColor(self, aColor: object, alpha: float | None = None) -> None:
        super().setFillColor(aColor, alpha)
        if self.overprint_black:
            _overprint_black(self, self._extgstate, self._strokeColorObj, self._fillColorObj)

    def setStrokeColor(self, aColor: object, alpha: float | None = None) -> None:
        super().setStrokeColor(aColor, alpha)
        if self.overprint_black:
            _overprint_black(self, self._extgstate, self._strokeColorObj, self._fillColorObj)

    def beginText(self, x: float = 0, y: float = 0,
                  direction: str | None = None) -> PDFTextObject:
        return _SheetText(self, x, y, direction=direction)

    def _startPage(self) -> None:
        super()._startPage()
        _use_default_rgb(self)


class _SheetText(PDFTextObject):
    """Text drawn on a sheet: pure K text overprints (`SheetCanvas`)."""

    def setFillColor(self, aColor: object, alpha: float | None = None) -> None:
        super().setFillColor(aColor, alpha)
        canvas = self._canvas
        if canvas.overprint_black:
            _overprint_black(self, canvas._extgstate, canvas._strokeColorObj, self._fillColorObj)


def _overprint_black(target: object, state: ExtGState, stroke: object, fill: object) -> None:
    """Overprint on for the fill and the stroke each when its colour is pure K, off
    otherwise, written into `target`'s content (the page, or a text object)."""
    stroke_black, fill_black = is_pure_black(stroke), is_pure_black(fill)
    if stroke_black or fill_black:
        state.set(target, "OPM", 1)
    if state.getValue("OP") != stroke_black:
        state.set(target, "OP", stroke_black)
        # A graphics state that sets OP alone sets op to the same (PDF 32000-1, 8.6.7):
        # ReportLab's record must say so, or it would not write op again below.
        state._d["op"] = stroke_black
    state.set(target, "op", fill_black)


def open_canvas(out: io.BytesIO, sheet: Sheet, font: str, cmyk: bool,
                info: DocumentInfo, standard: str = PDFX4) -> Canvas:
    """A canvas for the sheet in `standard` (PDF/X-4, or PDF/X-1a:2003, which is always
    CMYK): invariant bytes, our font from the start, RGB or CMYK colour, the document
    described by `info`. Finish it with `save`.

    In CMYK, ReportLab is told to enforce it: an RGB grey becomes K, any other RGB
    colour is an error (a colour not converted with `pdf_colour`)."""
    if standard not in PDF_VERSIONS:
        raise ValueError(f"unknown PDF/X standard {standard!r}")
    cmyk = cmyk or standard == PDFX1A
    b, w, h, bleed = CROP_BORDER, sheet.width, sheet.height, sheet.bleed
    marks = SimpleNamespace(borderWidth=b, markLength=CROP_MARK, markWidth=0.25, bleedWidth=0,
                            markColor=mark_colour(cmyk), markLast=1)
    canvas = SheetCanvas(out, pagesize=(w, h), cropMarks=marks, invariant=1,
                         initialFontName=font, trimBox=(b, b, b + w, b + h),
                         bleedBox=(b - bleed, b - bleed, b + w + bleed, b + h + bleed),
                         enforceColorSpace="cmyk" if cmyk else None,
                         pdfVersion=PDF_VERSIONS[standard])
    canvas.standard = standard
    canvas.overprint_black = cmyk
    _describe(canvas, info, standard)
    _add_output_intent(canvas)
    if standard == PDFX4:
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

    standard = PDFX4

    def format(self, document: object) -> bytes:
        when = pdfdoc.PDFDate(ts=document._timeStamp)  # type: ignore[attr-defined]
        entries = {"Title": pdfdoc.PDFString(self.title),
                   "Author": pdfdoc.PDFString(self.author),
                   "Subject": pdfdoc.PDFString(self.subject),
                   "Creator": pdfdoc.PDFString(self.creator),
                   "Producer": pdfdoc.PDFString(self.producer),
                   "CreationDate": when, "ModDate": when,
                   "Trapped": pdfdoc.PDFName(self.trapped),
                   "GTS_PDFXVersion": pdfdoc.PDFString(self.standard)}
        formatted: bytes = pdfdoc.PDFDictionary(entries).format(document)
        return formatted


def _describe(canvas: Canvas, info: DocumentInfo, standard: str) -> None:
    """Title, author, subject, dates, trapping and PDF/X version, in the document
    information dictionary and in XMP, saying the same."""
    doc = canvas._doc
    doc.info = _PdfxInfo()
    doc.info.trapped = "False"
    doc.info.standard = standard
    canvas.setTitle(info.title)
    canvas.setAuthor(info.author)
    canvas.setSubject(info.subject)
    canvas.setCreator(CREATOR)
    doc._timeStamp = _Moment(info.created)
    doc._ID = b"\n[" + ID_PLACEHOLDER * 2 + b"]\n"
    xmp = pdfdoc.PDFStream(pdfdoc.PDFDictionary({"Type": pdfdoc.PDFName("Metadata"),
                                                 "Subtype": pdfdoc.PDFName("XML")}),
                           _xmp(info, doc.info.producer, standard).encode("utf-8"))
    doc.Catalog.Metadata = xmp


def _xmp(info: DocumentInfo, producer: str, standard: str) -> str:
    """The XMP packet: what the information dictionary says, the PDF/X version (in the
    schema of its standard), and the document ID (a placeholder here, the digest once the
    bytes are known)."""
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
 {_version_schema(standard)}>
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
<{_version_key(standard)}>{standard}</{_version_key(standard)}>
</rdf:Description>
</rdf:RDF>
</x:xmpmeta>
<?xpacket end="w"?>
"""


def _version_schema(standard: str) -> str:
    """The XMP namespace of the PDF/X version key: ISO 15930-7's for X-4, Adobe's (as
    Distiller writes it) for X-1a."""
    if standard == PDFX4:
        return 'xmlns:pdfxid="http://www.npes.org/pdfx/ns/id/"'
    return 'xmlns:pdfx="http://ns.adobe.com/pdfx/1.3/"'


def _version_key(standard: str) -> str:
    return "pdfxid:GTS_PDFXVersion" if standard == PDFX4 else "pdfx:GTS_PDFXVersion"


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


def preview_jpeg(pdf: bytes, dpi: int) -> list[bytes]:
    """A JPEG of each page, cut to the trim (as the reader will hold it).

    JPEG, not PNG: at 150 dpi a leaflet's two pages take 15 ms to write as JPEG and
    75 ms as PNG, at the same size on disk; full colour sampling keeps small red and
    blue type as sharp as PNG does."""
    import pypdfium2

    document = pypdfium2.PdfDocument(pdf)
    try:
        # rev_byteorder: pdfium draws RGB rather than BGR, so Pillow need not swap the bytes.
        return [_jpeg(page.render(scale=dpi / 72, crop=(CROP_BORDER,) * 4,
                                  rev_byteorder=True).to_pil())
                for page in document]
    finally:
        document.close()


def _jpeg(image: object) -> bytes:
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=PREVIEW_QUALITY,  # type: ignore[attr-defined]
               subsampling=0)
    return out.getvalue()
