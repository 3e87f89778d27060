"""The print channel's PDFs as a print shop's preflight reads them: PDF/X-4 structure,
and PDF/X-1a:2003 where the template asks for it.

A structural preflight with pikepdf (version, OutputIntent and its embedded CMYK
profile, version keys, XMP saying what the information dictionary says, boxes,
embedded fonts with unique subset tags; for X-1a: CMYK only, no ICC-based colour but
the output intent's, no transparency), and Ghostscript reading the files without a
word, when it is installed.
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest
from PIL import Image

from tests.conftest import EXAMPLE, NOTICE, PROCEDURE, fill_in_settings, write_unit
from toolkit.cli import main

pikepdf = pytest.importorskip("pikepdf")

Run = Callable[..., tuple[int, str, str]]
PRODUCTS = ("leaflet", "poster-a3", "poster-a4")
ICC = Path(__file__).parents[2] / "toolkit" / "render" / "icc"


def _project(root: Path, template_edit: Callable[[str], str] = lambda text: text) -> Path:
    """The sample units, with a photo in the example (an RGB image, large enough to print
    sharp) and a logo with transparency, the template edited by `template_edit`."""
    assert main(["--lang", "en", "init", str(root)]) == 0
    fill_in_settings(root)
    template = root / "templates" / "leaflets" / "default.toml"
    template.write_text(template_edit(template.read_text("utf-8")), "utf-8")
    write_unit(root, "khai-sinh", PROCEDURE)
    write_unit(root, "tong-dai-1022", NOTICE)
    Image.new("RGB", (4000, 3000), (200, 30, 30)).save(root / "content" / "anh.png")
    write_unit(root, "tan-phong", EXAMPLE.replace("publish:", "image: anh.png\npublish:"))
    _logo(root / "logo.png")
    settings = root / "toolkit.toml"
    settings.write_text(settings.read_text("utf-8").replace('logo = ""', 'logo = "logo.png"'),
                        "utf-8")
    assert main(["--lang", "en", "build", "--project", str(root), "--channel", "print",
                 "--today", "2021-03-31"]) == 0
    return root


def _logo(path: Path) -> None:
    """A yellow disc on nothing: a logo with transparency."""
    from PIL import ImageDraw

    logo = Image.new("RGBA", (300, 300), (0, 0, 0, 0))
    ImageDraw.Draw(logo).ellipse((30, 30, 270, 270), fill=(255, 200, 0, 255))
    logo.save(path)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample project's print products with the shipped template: PDF/X-4, CMYK."""
    return _project(tmp_path_factory.mktemp("pdfx") / "project")


@pytest.fixture(scope="module")
def built_x1a(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The same, with a template that asks for PDF/X-1a:2003."""
    return _project(tmp_path_factory.mktemp("pdfx1a") / "project",
                    lambda text: text.replace('standard = "PDF/X-4"',
                                              'standard = "PDF/X-1a:2003"'))


@pytest.fixture(scope="module")
def built_rgb(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The same, with a template that keeps RGB (PDF/X-4 allows it)."""
    return _project(tmp_path_factory.mktemp("pdfrgb") / "project",
                    lambda text: text.replace("cmyk = true", "cmyk = false"))


def _files(project: Path) -> list[Path]:
    return sorted((project / "outbox" / "print").glob("*/*.pdf"))


def _open(path: Path) -> pikepdf.Pdf:
    return pikepdf.open(path)


def test_every_pdf_is_pdf_x4_with_the_fogra39_output_intent(built: Path) -> None:
    files = _files(built)
    assert len(files) >= 9
    for path in files:
        with _open(path) as pdf:
            assert pdf.pdf_version == "1.6", path
            [intent] = list(pdf.Root.OutputIntents)
            assert intent.Type == "/OutputIntent" and intent.S == "/GTS_PDFX"
            assert str(intent.OutputConditionIdentifier) == "FOGRA39"
            assert str(intent.RegistryName) == "http://www.color.org"
            profile = intent.DestOutputProfile
            assert profile.N == 4
            icc = profile.read_bytes()
            assert icc == (ICC / "FOGRA39L_coated.icc").read_bytes()
            assert (icc[12:16], icc[16:20], icc[20:24]) == (b"prtr", b"CMYK", b"Lab ")
            assert str(pdf.docinfo.GTS_PDFXVersion) == "PDF/X-4"
            assert pdf.docinfo.Trapped == "/False"


def test_title_author_subject_are_the_units_and_xmp_says_the_same(built: Path) -> None:
    path = built / "outbox" / "print" / "khai-sinh" / "khai-sinh-leaflet.pdf"
    with _open(path) as pdf:
        info = {k: str(v) for k, v in pdf.docinfo.items()}
        assert info["/Title"] == "Đăng ký khai sinh trực tuyến"
        assert info["/Author"] != "anonymous" and info["/Author"]
        assert info["/Subject"] not in ("", "unspecified")
        assert re.fullmatch(r"D:\d{14}\+07'00'", info["/CreationDate"])
        assert info["/ModDate"] == info["/CreationDate"]
        with pdf.open_metadata() as xmp:
            assert xmp["dc:title"] == info["/Title"]
            assert xmp["dc:creator"] == [info["/Author"]]
            assert xmp["dc:description"] == info["/Subject"]
            assert xmp["pdf:Trapped"] == "False"
            assert xmp["pdfxid:GTS_PDFXVersion"] == "PDF/X-4"
            assert xmp["xmpMM:RenditionClass"] == "default"
            assert xmp["xmpMM:VersionID"] == "1"
            date = info["/CreationDate"]
            assert xmp["xmp:CreateDate"] == (f"{date[2:6]}-{date[6:8]}-{date[8:10]}T"
                                             f"{date[10:12]}:{date[12:14]}:{date[14:16]}+07:00")
            assert xmp["xmp:ModifyDate"] == xmp["xmp:CreateDate"]
            document_id = xmp["xmpMM:DocumentID"]
        assert re.fullmatch(r"uuid:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}",
                            document_id)
        first, second = (bytes(part).hex() for part in pdf.trailer.ID)
        assert first == second == document_id[5:].replace("-", "")


def test_document_ids_differ_between_files(built: Path) -> None:
    ids = set()
    for path in _files(built):
        with _open(path) as pdf:
            ids.add(bytes(pdf.trailer.ID[0]))
    assert len(ids) == len(_files(built))


def test_trim_and_bleed_boxes_are_kept_inside_the_media_box(built: Path) -> None:
    for path in _files(built):
        with _open(path) as pdf:
            for page in pdf.pages:
                media, trim, bleed = ([float(v) for v in page[key]]
                                      for key in ("/MediaBox", "/TrimBox", "/BleedBox"))
                assert media[0] <= bleed[0] < trim[0] and trim[2] < bleed[2] <= media[2]
                assert media[1] <= bleed[1] < trim[1] and trim[3] < bleed[3] <= media[3]


def test_rgb_colour_and_photos_have_srgb_as_their_meaning(built: Path) -> None:
    """PDF/X-4 with a CMYK intent takes DeviceRGB only under a DefaultRGB colour space."""
    srgb = (ICC / "sRGB.icc").read_bytes()
    for path in _files(built):
        with _open(path) as pdf:
            for page in pdf.pages:
                space = page.Resources.ColorSpace.DefaultRGB
                assert space[0] == "/ICCBased" and space[1].N == 3
                assert space[1].read_bytes() == srgb


def test_fonts_are_embedded_with_a_tag_of_their_own_per_subset(built: Path) -> None:
    for path in _files(built):
        with _open(path) as pdf:
            subsets: dict[str, str] = {}
            for page in pdf.pages:
                for font in page.Resources.Font.values():
                    name = str(font.BaseFont)
                    tag, _, family = name[1:].partition("+")
                    assert re.fullmatch(r"[A-Z]{6}", tag), name
                    assert "/FontFile2" in font.FontDescriptor, name
                    assert subsets.setdefault(tag, family) == family, (path, name)
            assert len(subsets) >= 2, path
            assert "AAAAAA" not in subsets


def _images(path: Path) -> list[tuple[str, str, list[float] | None]]:
    """Each image's colour space, filters and decode array."""
    with _open(path) as pdf:
        return [(str(o.ColorSpace), str(o.get("/Filter")),
                 [float(v) for v in o.Decode] if "/Decode" in o else None)
                for o in pdf.objects
                if isinstance(o, pikepdf.Stream) and o.get("/Subtype") == "/Image"]


def test_in_rgb_output_the_photo_is_an_rgb_image_under_default_rgb(built_rgb: Path) -> None:
    path = built_rgb / "outbox" / "print" / "tan-phong" / "tan-phong-leaflet.pdf"
    images = _images(path)
    assert images and all(space in ("/DeviceRGB", "/DeviceGray") for space, _, _ in images)
    with _open(path) as pdf:
        page = pdf.pages[0].Resources.ColorSpace.DefaultRGB
        assert page[0] == "/ICCBased"
        assert not _content(pdf).count(" k\n")  # no CMYK colour


def test_in_cmyk_output_the_photo_is_a_cmyk_jpeg(built: Path) -> None:
    path = built / "outbox" / "print" / "tan-phong" / "tan-phong-leaflet.pdf"
    photos = [(space, decode) for space, filters, decode in _images(path)
              if "/DCTDecode" in filters]
    assert photos and all(space == "/DeviceCMYK" for space, _ in photos)
    # Adobe's CMYK JPEGs (what Pillow writes) are stored inverted: the PDF says so.
    assert all(decode == [1, 0] * 4 for _, decode in photos)


def _content(pdf: pikepdf.Pdf) -> str:
    return "\n".join(page.Contents.read_bytes().decode("latin-1") for page in pdf.pages)


def test_body_text_is_black_alone_and_overprints(built: Path) -> None:
    from tests.render.test_colour import TEXT_SHOWING, painted

    path = built / "outbox" / "print" / "khai-sinh" / "khai-sinh-leaflet.pdf"
    with _open(path) as pdf:
        texts = [p for n in range(len(pdf.pages)) for p in painted(pdf, n)
                 if p.operator in TEXT_SHOWING]
    black = [p for p in texts if p.colour == (0, 0, 0, 1)]
    assert len(black) > len(texts) / 3  # the body text, on the black plate alone
    assert all(p.overprint and p.mode == 1 for p in black)
    assert not any(p.overprint for p in texts if p.colour != (0, 0, 0, 1))


# --- PDF/X-1a:2003 ----------------------------------------------------------------------


# What PDF/X-1a takes as a colour space: CMYK and what is made of it, never RGB, Lab or ICC.
X1A_SPACES = ("/DeviceCMYK", "/DeviceGray", "/Separation", "/DeviceN", "/Pattern",
              "/Indexed")


def x1a_violations(pdf: pikepdf.Pdf) -> list[str]:
    """What a PDF/X-1a:2003 preflight would refuse in `pdf` (ISO 15930-4, the structure)."""
    found = []
    if pdf.pdf_version != "1.4":
        found.append(f"PDF {pdf.pdf_version}, not 1.4")
    info = pdf.docinfo
    if str(info.get("/GTS_PDFXVersion")) != "PDF/X-1a:2003":
        found.append(f"GTS_PDFXVersion {info.get('/GTS_PDFXVersion')}")
    for key in ("/Title", "/CreationDate", "/ModDate"):
        if key not in info:
            found.append(f"no {key}")
    if info.get("/Trapped") not in ("/True", "/False"):
        found.append("Trapped is neither True nor False")
    with pdf.open_metadata() as xmp:
        if xmp.get("pdfx:GTS_PDFXVersion") != "PDF/X-1a:2003":
            found.append("XMP says no PDF/X-1a version")
    intents = list(pdf.Root.get("/OutputIntents", []))
    if len(intents) != 1 or intents[0].S != "/GTS_PDFX" or intents[0].DestOutputProfile.N != 4:
        found.append("no CMYK output intent")
    intent_profile = intents[0].DestOutputProfile.objgen if intents else None
    for obj in pdf.objects:
        if isinstance(obj, pikepdf.Array) and len(obj) == 2 and obj[0] == "/ICCBased" \
                and obj[1].objgen != intent_profile:
            found.append("an ICC-based colour space")
    for number, page in enumerate(pdf.pages):
        found += [f"page {number + 1}: {v}" for v in _page_violations(page)]
    return found


def _page_violations(page: pikepdf.Page) -> list[str]:
    found = []
    media, trim, bleed = ([float(v) for v in page.obj[key]]
                          for key in ("/MediaBox", "/TrimBox", "/BleedBox"))
    if not (media[0] <= bleed[0] <= trim[0] and trim[2] <= bleed[2] <= media[2]):
        found.append("boxes out of order")
    if "/Group" in page.obj:
        found.append("a transparency group")
    resources = page.Resources
    for name, space in resources.get("/ColorSpace", {}).items():
        kind = space if isinstance(space, pikepdf.Name) else space[0]
        if str(kind) not in X1A_SPACES:
            found.append(f"colour space {name}: {kind}")
    for name, state in resources.get("/ExtGState", {}).items():
        if state.get("/SMask", pikepdf.Name.None_) != pikepdf.Name.None_ \
                or float(state.get("/CA", 1)) != 1 or float(state.get("/ca", 1)) != 1 \
                or state.get("/BM", pikepdf.Name.Normal) not in (pikepdf.Name.Normal,
                                                                  pikepdf.Name.Compatible):
            found.append(f"transparency in {name}")
    for name, xobject in resources.get("/XObject", {}).items():
        if xobject.get("/Subtype") == "/Image":
            if "/SMask" in xobject or "/SMaskInData" in xobject:
                found.append(f"soft mask on image {name}")
            if str(xobject.get("/ColorSpace")) not in X1A_SPACES \
                    and not xobject.get("/ImageMask", False):
                found.append(f"image {name} in {xobject.get('/ColorSpace')}")
        elif "/Group" in xobject:
            found.append(f"transparency group in {name}")
    for name, font in resources.get("/Font", {}).items():
        described = font.DescendantFonts[0] if "/DescendantFonts" in font else font
        descriptor = described.get("/FontDescriptor", {})
        if not any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3")):
            found.append(f"font {name} not embedded")
    for operands, operator in pikepdf.parse_content_stream(page):
        if str(operator) in ("rg", "RG") or (str(operator) in ("cs", "CS")
                                             and str(operands[0]) == "/DeviceRGB"):
            found.append(f"RGB colour ({operator})")
            break
    return found


def _x1a_sheet(photo: Path, logo: Path) -> bytes:
    """A sheet made with the renderers as the leaflet uses them, in PDF/X-1a: text in
    black and white, the brand colour, a tint, a photo and a logo with transparency."""
    from reportlab.platypus import Image as PlacedImage

    from toolkit.render.colour import pdf_colour
    from toolkit.render.flow import Face, stack, text
    from toolkit.render.fonts import font_file, pdf_family
    from toolkit.render.picture import print_picture
    from toolkit.render.sheet import (
        MM,
        PDFX1A,
        DocumentInfo,
        Sheet,
        fill,
        fold_marks,
        open_canvas,
        save,
    )

    here = Path(".")
    font = pdf_family(font_file("BeVietnamPro-Regular.ttf", here),
                      font_file("BeVietnamPro-Bold.ttf", here),
                      font_file("BeVietnamPro-Italic.ttf", here))
    out = io.BytesIO()
    sheet = Sheet(150 * MM, 100 * MM, 3 * MM)
    info = DocumentInfo("Đăng ký khai sinh", "UBND tỉnh Đồng Nai", "Thủ tục",
                        datetime(2021, 3, 1, tzinfo=UTC))
    canvas = open_canvas(out, sheet, font, False, info, standard=PDFX1A)  # X-1a: CMYK anyway
    colour = lambda value: pdf_colour(value, True)  # noqa: E731
    fill(canvas, colour("#EAF1FA"), -3 * MM, -3 * MM, 78 * MM, 106 * MM)
    fill(canvas, colour("#0B5CAD"), 75 * MM, -3 * MM, 78 * MM, 106 * MM)
    stack([text("Nộp hồ sơ", Face(font, 12, colour("#0B5CAD"))),
           text("Bộ phận Một cửa UBND cấp xã", Face(font, 10, colour("#1F2328")))],
          60 * MM).draw(canvas, 5 * MM, 95 * MM)
    stack([text("Đăng ký khai sinh", Face(font, 14, colour("#FFFFFF")))],
          60 * MM).draw(canvas, 80 * MM, 95 * MM)
    for path, background, x in ((photo, "#EAF1FA", 5), (logo, "#0B5CAD", 80)):
        picture = print_picture(path, path.name, cmyk=True, background=background)
        assert picture.data is not None
        PlacedImage(io.BytesIO(picture.data), 40 * MM, 30 * MM, mask="auto").drawOn(
            canvas, x * MM, 10 * MM)
    fold_marks(canvas, sheet, [75 * MM], True)
    canvas.showPage()
    return save(canvas, out)


@pytest.fixture
def x1a_sheet(tmp_path: Path) -> Path:
    Image.new("RGB", (800, 600), (200, 30, 30)).save(tmp_path / "anh.jpg")
    _logo(tmp_path / "logo.png")
    path = tmp_path / "sheet.pdf"
    path.write_bytes(_x1a_sheet(tmp_path / "anh.jpg", tmp_path / "logo.png"))
    return path


def test_the_renderers_make_a_pdf_x1a_sheet(x1a_sheet: Path) -> None:
    with _open(x1a_sheet) as pdf:
        assert x1a_violations(pdf) == []
        assert "/ColorSpace" not in pdf.pages[0].Resources  # no DefaultRGB
    _ghostscript_reads_without_a_word(x1a_sheet)


def test_a_template_asking_for_pdf_x1a_gets_pdf_x1a_files(built_x1a: Path) -> None:
    files = _files(built_x1a)
    assert len(files) >= 9
    for path in files:
        with _open(path) as pdf:
            assert x1a_violations(pdf) == [], path


def test_pdf_x1a_files_are_read_by_ghostscript_without_a_warning(built_x1a: Path) -> None:
    for path in _files(built_x1a):
        _ghostscript_reads_without_a_word(path)


def test_pdf_x1a_with_rgb_is_refused_on_its_line(tmp_path: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    root = tmp_path / "project"
    assert main(["--lang", "en", "init", str(root)]) == 0
    template = root / "templates" / "leaflets" / "default.toml"
    text = template.read_text("utf-8").replace('standard = "PDF/X-4"',
                                               'standard = "PDF/X-1a:2003"')
    template.write_text(text.replace("cmyk = true", "cmyk = false"), "utf-8")
    capsys.readouterr()
    assert main(["--lang", "en", "build", "--project", str(root), "--channel", "print"]) != 0
    line = next(n for n, row in enumerate(text.splitlines(), start=1) if row.startswith("cmyk"))
    assert (f"templates/leaflets/default.toml:{line}: output.cmyk: PDF/X-1a:2003 files are "
            "CMYK only -> write cmyk = true") in capsys.readouterr().err


def test_the_templates_standards_are_the_sheets() -> None:
    from typing import get_args

    from toolkit.channels.print_pdf.template import Output
    from toolkit.render.sheet import PDF_VERSIONS

    assert set(get_args(Output.model_fields["standard"].annotation)) == set(PDF_VERSIONS)


def _ghostscript_reads_without_a_word(path: Path) -> None:
    if shutil.which("gs") is None:
        return
    done = subprocess.run(["gs", "-q", "-dNOPAUSE", "-dBATCH", "-dSAFER", "-sDEVICE=nullpage",
                           str(path)], capture_output=True, text=True, timeout=60, check=False)
    assert (done.returncode, done.stdout, done.stderr) == (0, "", ""), path


@pytest.mark.skipif(shutil.which("gs") is None, reason="Ghostscript is not installed")
def test_ghostscript_reads_every_file_without_a_warning(built: Path) -> None:
    for path in _files(built):
        done = subprocess.run(["gs", "-q", "-dNOPAUSE", "-dBATCH", "-dSAFER",
                               "-sDEVICE=nullpage", str(path)],
                              capture_output=True, text=True, timeout=60, check=False)
        assert (done.returncode, done.stdout, done.stderr) == (0, "", ""), path


def test_subsets_of_one_font_get_different_tags_and_the_same_ones_again(tmp_path: Path) -> None:
    """Over 256 characters of one font make two subsets: two tags, the same at each run."""
    import io

    from reportlab.pdfgen.canvas import Canvas

    from toolkit.render.fonts import font_file, pdf_font

    name = pdf_font(font_file("BeVietnamPro-Regular.ttf", tmp_path))
    letters = "".join(chr(c) for c in range(0x20, 0x24F) if chr(c).isprintable())

    def names() -> list[str]:
        out = io.BytesIO()
        canvas = Canvas(out, invariant=1, initialFontName=name)
        canvas.drawString(10, 10, letters)
        canvas.save()
        with pikepdf.open(io.BytesIO(out.getvalue())) as pdf:
            return sorted(str(f.BaseFont) for f in pdf.pages[0].Resources.Font.values())

    first = names()
    tags = {n[1:7] for n in first}
    assert len(first) >= 2 and len(tags) == len(first)
    assert all(re.fullmatch(r"/[A-Z]{6}\+BeVietnamPro-Regular", n) for n in first)
    assert names() == first
