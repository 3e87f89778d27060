"""Pictures for print: their original size kept, converted to the output's space (a
CMYK JPEG in CMYK output, with colours that stay right once printed), CMYK JPEGs
taken, transparency flattened onto what the picture stands on."""

from __future__ import annotations

import io
import shutil
import subprocess
from datetime import UTC, datetime
from pathlib import Path

import pytest
from PIL import Image
from reportlab.platypus import Image as PlacedImage

from toolkit.render.colour import print_inks
from toolkit.render.fonts import font_file, pdf_family
from toolkit.render.picture import PRINT_LONG_SIDE, Picture, print_picture
from toolkit.render.sheet import MM, DocumentInfo, Sheet, open_canvas, preview_jpeg, save

RED = (220, 20, 30)


def _red_photo(path: Path, size: tuple[int, int] = (600, 400)) -> Path:
    Image.new("RGB", size, RED).save(path, quality=95)
    return path


def _is_red(pixel: tuple[int, ...]) -> bool:
    r, g, b = pixel[:3]
    return r > 180 and g < 90 and b < 90


def test_the_original_size_is_kept_as_the_picture_is_made_smaller(tmp_path: Path) -> None:
    path = _red_photo(tmp_path / "anh.jpg", (3200, 2400))
    picture = print_picture(path, "anh.jpg")
    assert (picture.width, picture.height) == (PRINT_LONG_SIDE, PRINT_LONG_SIDE * 3 // 4)
    assert (picture.original_width, picture.original_height) == (3200, 2400)
    proof = print_picture(path, "anh.jpg", True)  # as the layout's proof calls it
    assert proof.data is None
    assert (proof.original_width, proof.original_height) == (3200, 2400)


def test_the_original_size_is_upright(tmp_path: Path) -> None:
    """A phone held upright stores the photo sideways and says so in EXIF."""
    exif = Image.Exif()
    exif[0x0112] = 6
    Image.new("RGB", (400, 300), RED).save(tmp_path / "anh.jpg", exif=exif)
    picture = print_picture(tmp_path / "anh.jpg", "anh.jpg")
    assert (picture.width, picture.height) == (300, 400)
    assert (picture.original_width, picture.original_height) == (300, 400)


def test_an_rgb_photo_becomes_a_cmyk_jpeg_in_cmyk_output(tmp_path: Path) -> None:
    picture = print_picture(_red_photo(tmp_path / "anh.jpg"), "anh.jpg", cmyk=True)
    assert picture.data is not None and picture.data[:3] == b"\xff\xd8\xff"
    with Image.open(io.BytesIO(picture.data)) as image:
        assert image.mode == "CMYK"
        assert "icc_profile" not in image.info  # the PDF says what the space is
        c, m, y, k = (v / 2.55 for v in image.getpixel((10, 10)))  # type: ignore[misc]
    assert c < 10 and m > 80 and y > 70 and k < 20  # red: magenta and yellow


def test_rgb_output_keeps_an_rgb_jpeg(tmp_path: Path) -> None:
    picture = print_picture(_red_photo(tmp_path / "anh.jpg"), "anh.jpg")
    assert picture.data is not None
    with Image.open(io.BytesIO(picture.data)) as image:
        assert image.mode == "RGB" and _is_red(image.getpixel((10, 10)))  # type: ignore[arg-type]


def test_a_cmyk_jpeg_is_kept_in_cmyk_and_converted_through_the_profile_in_rgb(
        tmp_path: Path) -> None:
    Image.new("CMYK", (300, 200), (0, 230, 230, 0)).save(tmp_path / "anh.jpg")
    cmyk = print_picture(tmp_path / "anh.jpg", "anh.jpg", cmyk=True)
    assert cmyk.data is not None
    with Image.open(io.BytesIO(cmyk.data)) as image:
        assert image.mode == "CMYK"
        assert all(abs(a - b) <= 3 for a, b in zip(image.getpixel((5, 5)),  # type: ignore[arg-type]
                                                   (0, 230, 230, 0), strict=True))
    rgb = print_picture(tmp_path / "anh.jpg", "anh.jpg")
    assert rgb.data is not None
    with Image.open(io.BytesIO(rgb.data)) as image:
        assert image.mode == "RGB" and _is_red(image.getpixel((5, 5)))  # type: ignore[arg-type]


def test_a_damaged_profile_in_a_photo_is_taken_as_none(tmp_path: Path) -> None:
    Image.new("RGB", (200, 100), RED).save(tmp_path / "anh.jpg", icc_profile=b"not a profile")
    picture = print_picture(tmp_path / "anh.jpg", "anh.jpg", cmyk=True)
    assert picture.data is not None


def _logo(path: Path) -> Path:
    """A yellow disc on nothing: a logo with transparency."""
    from PIL import ImageDraw

    logo = Image.new("RGBA", (200, 200), (0, 0, 0, 0))
    ImageDraw.Draw(logo).ellipse((20, 20, 180, 180), fill=(255, 200, 0, 255))
    logo.save(path)
    return path


def test_transparency_is_kept_without_a_background(tmp_path: Path) -> None:
    picture = print_picture(_logo(tmp_path / "logo.png"), "logo.png", cmyk=True)
    assert picture.data is not None
    with Image.open(io.BytesIO(picture.data)) as image:
        assert image.format == "PNG" and image.mode == "RGBA"


def test_transparency_is_flattened_onto_the_exact_background_in_cmyk(tmp_path: Path) -> None:
    picture = print_picture(_logo(tmp_path / "logo.png"), "logo.png", cmyk=True,
                            background="#0B5CAD")
    assert picture.data is not None
    with Image.open(io.BytesIO(picture.data)) as image:
        assert image.format == "TIFF" and image.mode == "CMYK"  # lossless, no alpha
        corner = image.getpixel((0, 0))
        centre = image.getpixel((100, 100))
    assert corner == tuple(round(v * 2.55) for v in print_inks("#0B5CAD"))
    assert centre[2] > 200 and centre[0] < 30  # yellow


def test_transparency_is_flattened_in_rgb_too(tmp_path: Path) -> None:
    picture = print_picture(_logo(tmp_path / "logo.png"), "logo.png", background="#FFFFFF")
    assert picture.data is not None
    with Image.open(io.BytesIO(picture.data)) as image:
        assert image.format == "PNG" and image.mode == "RGB"
        assert image.getpixel((0, 0)) == (255, 255, 255)


# --- the colours once printed ----------------------------------------------------------


def _sheet_with(pictures: list[Picture]) -> bytes:
    project = Path(".")
    font = pdf_family(font_file("BeVietnamPro-Regular.ttf", project),
                      font_file("BeVietnamPro-Bold.ttf", project),
                      font_file("BeVietnamPro-Italic.ttf", project))
    out = io.BytesIO()
    canvas = open_canvas(out, Sheet(150 * MM, 60 * MM, 3 * MM), font, True,
                         DocumentInfo("Ảnh", "UBND", "Màu", datetime(2021, 3, 1, tzinfo=UTC)))
    for i, picture in enumerate(pictures):
        assert picture.data is not None
        placed = PlacedImage(io.BytesIO(picture.data), 40 * MM, 40 * MM, mask="auto")
        placed.drawOn(canvas, (5 + 48 * i) * MM, 10 * MM)
    canvas.showPage()
    return save(canvas, out)


@pytest.fixture
def printed_photos(tmp_path: Path) -> bytes:
    """A CMYK sheet with a red RGB photo converted, and a red CMYK JPEG as it came."""
    Image.new("CMYK", (300, 300), (0, 230, 230, 0)).save(tmp_path / "cmyk.jpg")
    Image.new("RGB", (300, 300), RED).save(tmp_path / "rgb.jpg")
    return _sheet_with([print_picture(tmp_path / name, name, cmyk=True)
                        for name in ("rgb.jpg", "cmyk.jpg")])


def _centres(image: Image.Image, dpi: float, offset: float) -> list[tuple[int, ...]]:
    """The pixel at the centre of each picture of `_sheet_with`."""
    return [image.convert("RGB").getpixel((round(((5 + 48 * i + 20) * MM + offset) * dpi / 72),
                                            round((30 * MM + offset) * dpi / 72)))
            for i in range(2)]  # type: ignore[misc]


def test_cmyk_photos_print_red_not_cyan_in_pdfium(printed_photos: bytes) -> None:
    [page] = preview_jpeg(printed_photos, 72)
    centres = _centres(Image.open(io.BytesIO(page)), 72, 0)
    assert all(_is_red(p) for p in centres), centres


@pytest.mark.skipif(shutil.which("gs") is None, reason="Ghostscript is not installed")
def test_cmyk_photos_print_red_not_cyan_in_ghostscript(printed_photos: bytes,
                                                      tmp_path: Path) -> None:
    (tmp_path / "sheet.pdf").write_bytes(printed_photos)
    done = subprocess.run(["gs", "-q", "-dNOPAUSE", "-dBATCH", "-dSAFER", "-sDEVICE=png16m",
                           "-r72", f"-sOutputFile={tmp_path / 'page.png'}",
                           str(tmp_path / "sheet.pdf")],
                          capture_output=True, text=True, timeout=60, check=False)
    assert (done.returncode, done.stdout, done.stderr) == (0, "", "")
    from toolkit.render.sheet import CROP_BORDER

    centres = _centres(Image.open(tmp_path / "page.png"), 72, CROP_BORDER)
    assert all(_is_red(p) for p in centres), centres
