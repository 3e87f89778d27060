"""The print channel's PDFs as a print shop's preflight reads them: PDF/X-4 structure.

A structural preflight with pikepdf (version, OutputIntent and its embedded CMYK
profile, version keys, XMP saying what the information dictionary says, boxes,
embedded fonts with unique subset tags), and Ghostscript reading the files
without a word, when it is installed.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from PIL import Image

from tests.conftest import EXAMPLE, NOTICE, PROCEDURE, fill_in_settings, write_unit
from toolkit.cli import main

pikepdf = pytest.importorskip("pikepdf")

Run = Callable[..., tuple[int, str, str]]
PRODUCTS = ("leaflet", "poster-a3", "poster-a4")
ICC = Path(__file__).parents[2] / "toolkit" / "render" / "icc"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample project's print products, with a photo in the example (an RGB image)."""
    root = tmp_path_factory.mktemp("pdfx") / "project"
    assert main(["--lang", "en", "init", str(root)]) == 0
    fill_in_settings(root)
    write_unit(root, "khai-sinh", PROCEDURE)
    write_unit(root, "tong-dai-1022", NOTICE)
    Image.new("RGB", (400, 300), (200, 30, 30)).save(root / "content" / "anh.png")
    write_unit(root, "tan-phong", EXAMPLE.replace("publish:", "image: anh.png\npublish:"))
    assert main(["--lang", "en", "build", "--project", str(root), "--channel", "print",
                 "--today", "2021-03-31"]) == 0
    return root


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


def test_the_photo_is_an_rgb_image_under_default_rgb(built: Path) -> None:
    path = built / "outbox" / "print" / "tan-phong" / "tan-phong-leaflet.pdf"
    with _open(path) as pdf:
        images = [o for o in pdf.objects
                  if isinstance(o, pikepdf.Stream) and o.get("/Subtype") == "/Image"]
        assert images and all(i.ColorSpace in ("/DeviceRGB", "/DeviceGray") for i in images)


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
