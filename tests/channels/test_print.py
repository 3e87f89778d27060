"""The print channel, read back as a print shop would: pages, boxes, fonts, text, pixels."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from pathlib import Path

import pypdfium2
import pytest
from PIL import Image
from pypdf import PdfReader
from pypdfium2 import raw

from tests.conftest import EXAMPLE, NOTICE, PROCEDURE, write_unit
from toolkit.channels.print_pdf import PrintTemplate
from toolkit.channels.print_pdf.leaflet import page_panels
from toolkit.render.sheet import CROP_BORDER, MM
from toolkit.templates import load_template

Run = Callable[..., tuple[int, str, str]]
A4 = (297 * MM, 210 * MM)
BLEED = 3 * MM
MARKS = "ế ộ ữ ả ẫ ờ"


def build(run: Run, project: Path, *extra: str) -> tuple[int, str, str]:
    return run("build", "--project", str(project), "--channel", "print", "--today", "2021-03-31",
               *extra)


def pdf(project: Path, unit: str, product: str = "leaflet") -> PdfReader:
    return PdfReader(project / "outbox" / "print" / unit / f"{unit}-{product}.pdf")


def boxes(reader: PdfReader, page: int = 0) -> dict[str, list[float]]:
    p = reader.pages[page]
    return {name: [round(float(v), 2) for v in getattr(p, name)]
            for name in ("mediabox", "trimbox", "bleedbox")}


@pytest.fixture
def built(project: Path, run: Run) -> Path:
    write_unit(project, "khai-sinh", PROCEDURE.replace("**60 ngày**", f"**60 ngày** {MARKS}"))
    status, _, err = build(run, project)
    assert (status, err) == (0, "")
    return project


def test_every_unit_gets_a_leaflet_two_posters_and_previews(built: Path) -> None:
    for unit in ("khai-sinh", "tong-dai-1022", "tan-phong"):
        names = sorted(p.name for p in (built / "outbox" / "print" / unit).iterdir())
        assert names == [f"{unit}-leaflet-1.jpg", f"{unit}-leaflet-2.jpg", f"{unit}-leaflet.pdf",
                         f"{unit}-poster-a3.jpg", f"{unit}-poster-a3.pdf",
                         f"{unit}-poster-a4.jpg", f"{unit}-poster-a4.pdf"]


def test_leaflet_is_two_a4_pages_with_trim_and_bleed_boxes(built: Path) -> None:
    reader = pdf(built, "khai-sinh")
    assert len(reader.pages) == 2
    b, (w, h) = CROP_BORDER, A4
    for page in (0, 1):
        assert boxes(reader, page) == {
            "mediabox": [0, 0, round(w + 2 * b, 2), round(h + 2 * b, 2)],
            "trimbox": [b, b, round(b + w, 2), round(b + h, 2)],
            "bleedbox": [round(b - BLEED, 2), round(b - BLEED, 2), round(b + w + BLEED, 2),
                         round(b + h + BLEED, 2)]}


@pytest.mark.parametrize("size, trim_mm", [("a3", (297, 420)), ("a4", (210, 297))])
def test_posters_have_their_size_and_boxes(built: Path, size: str,
                                           trim_mm: tuple[int, int]) -> None:
    reader = pdf(built, "khai-sinh", f"poster-{size}")
    trim = boxes(reader)["trimbox"]
    assert len(reader.pages) == 1
    assert (round((trim[2] - trim[0]) / MM), round((trim[3] - trim[1]) / MM)) == trim_mm


def _fonts(reader: PdfReader) -> list[tuple[str, bool]]:
    found = []
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descendants = font.get("/DescendantFonts")
            described = (descendants[0].get_object() if descendants else font).get(
                "/FontDescriptor")
            embedded = described is not None and any(
                k in described.get_object() for k in ("/FontFile", "/FontFile2", "/FontFile3"))
            found.append((str(font["/BaseFont"]), embedded))
    return found


@pytest.mark.parametrize("product", ["leaflet", "poster-a3", "poster-a4"])
def test_only_embedded_subset_fonts(built: Path, product: str) -> None:
    fonts = _fonts(pdf(built, "khai-sinh", product))
    assert fonts, "no fonts found"
    for name, embedded in fonts:
        assert embedded, name
        assert re.match(r"^/[A-Z]{6}\+BeVietnamPro-", name), name
    assert not any("Helvetica" in name for name, _ in fonts)


def _text(path: Path) -> str:
    document = pypdfium2.PdfDocument(path)
    try:
        return "\n".join(page.get_textpage().get_text_range() for page in document)
    finally:
        document.close()


def test_text_is_extractable_nfc_with_every_mark(built: Path) -> None:
    folder = built / "outbox" / "print" / "khai-sinh"
    leaflet = _text(folder / "khai-sinh-leaflet.pdf")
    assert unicodedata.is_normalized("NFC", leaflet)
    flat = " ".join(leaflet.split())
    for expected in ("Đăng ký khai sinh trực tuyến", "Đăng nhập Cổng dịch vụ công.", MARKS,
                     "Cha mẹ nộp hồ sơ trên Cổng dịch vụ công", "1022"):
        assert expected in flat, expected
    assert "Đăng ký khai sinh trực tuyến" in " ".join(
        _text(folder / "khai-sinh-poster-a3.pdf").split())


def test_decomposed_input_is_drawn_composed(project: Path, run: Run) -> None:
    write_unit(project, "khai-sinh", unicodedata.normalize("NFD", PROCEDURE))
    build(run, project)
    text = _text(project / "outbox" / "print" / "khai-sinh" / "khai-sinh-leaflet.pdf")
    assert "Đăng ký khai sinh trực tuyến" in " ".join(text.split())


def _font_size(path: Path, page: int, words: str) -> float:
    """The type size, in points, of the first character of `words` on a page."""
    document = pypdfium2.PdfDocument(path)
    try:
        textpage = document[page].get_textpage()
        return float(raw.FPDFText_GetFontSize(textpage, textpage.get_text_range().index(words)))
    finally:
        document.close()


def _page_image(path: Path, page: int = 0) -> Image.Image:
    document = pypdfium2.PdfDocument(path)
    try:
        return document[page].render(scale=1).to_pil().convert("RGB")  # 1 px a point
    finally:
        document.close()


def test_cover_background_runs_into_the_bleed_and_stops_there(built: Path) -> None:
    image = _page_image(built / "outbox" / "print" / "khai-sinh" / "khai-sinh-leaflet.pdf")
    b, (w, h) = CROP_BORDER, A4
    y = int(b + h / 2)
    primary = image.getpixel((int(b + w - 2), y))  # the cover, by its right edge
    assert primary[2] > 150 and primary[0] < 60  # the brand blue
    inside_bleed = image.getpixel((int(b + w + BLEED / 2), y))
    past_bleed = image.getpixel((int(b + w + BLEED + 4), y))
    assert inside_bleed == primary
    assert past_bleed == (255, 255, 255)


def test_crop_marks_are_drawn_outside_the_bleed(built: Path) -> None:
    image = _page_image(built / "outbox" / "print" / "khai-sinh" / "khai-sinh-leaflet.pdf")
    b = int(CROP_BORDER)
    # The mark at the bottom-left corner: a vertical line at the trim's x, from
    # the page's bottom edge to 18 pt from the trim (the image's y runs down).
    column = [image.getpixel((b, image.height - 1 - y)) for y in range(14)]
    assert any(sum(pixel) < 600 for pixel in column)
    bleed_zone = [image.getpixel((b, image.height - 1 - y)) for y in range(b - 8, b - 1)]
    assert all(pixel == (255, 255, 255) for pixel in bleed_zone)


def test_tuck_in_panel_is_narrower_so_the_leaflet_folds_flat(project: Path) -> None:
    template = load_template(project, "leaflets", PrintTemplate)
    spec = template.leaflet
    outside, inside = page_panels(spec, spec.procedure)
    widths = [round(p.width / MM, 2) for p in outside], [round(p.width / MM, 2) for p in inside]
    assert widths == ([97.0, 100.0, 100.0], [100.0, 100.0, 97.0])
    assert [p.name for p in outside] == ["flap", "back", "cover"]  # cover on the front


def test_previews_are_the_trimmed_pages(built: Path) -> None:
    folder = built / "outbox" / "print" / "khai-sinh"
    for name, (w, h) in [("khai-sinh-leaflet-1.jpg", (297, 210)),
                         ("khai-sinh-leaflet-2.jpg", (297, 210)),
                         ("khai-sinh-poster-a3.jpg", (297, 420))]:
        size = Image.open(folder / name).size
        expected = (w / 25.4 * 150, h / 25.4 * 150)  # 150 dpi, trimmed
        assert all(abs(a - e) <= 1 for a, e in zip(size, expected, strict=True)), (name, size)


def test_same_content_gives_the_same_bytes(built: Path, run: Run) -> None:
    folder = built / "outbox" / "print" / "khai-sinh"
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    status, out, _ = build(run, built, "--force")
    assert status == 0 and out.startswith("built 9,")
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before


LONG_STEPS = "\n".join(f'  - "Bước {i}: chuẩn bị đầy đủ giấy tờ, nộp hồ sơ trực tuyến, '
                       f'theo dõi tình trạng và nhận kết quả qua bưu điện."' for i in range(40))


def test_overflowing_unit_is_reported_and_gets_no_pdf(project: Path, run: Run) -> None:
    long = PROCEDURE.replace('steps:\n  - "Đăng nhập Cổng dịch vụ công."\n'
                             '  - "Điền tờ khai, tải giấy chứng sinh."', "steps:\n" + LONG_STEPS)
    assert long != PROCEDURE
    write_unit(project, "khai-sinh", long)
    status, _, err = build(run, project)
    assert status == 1
    assert re.search(r"content/khai-sinh\.md:\d+: steps: leaflet, inside middle: the text is "
                     r"\d+ lines too long, even in the smallest type \(8 pt\) -> (shorten \d+ "
                     r"items by \d+ characters each|give \d+ items fewer)", err), err
    assert "Traceback" not in err
    assert not (project / "outbox" / "print" / "khai-sinh" / "khai-sinh-leaflet.pdf").exists()
    assert (project / "outbox" / "print" / "tong-dai-1022" / "tong-dai-1022-leaflet.pdf").exists()
    status, _, err = run("check", "--project", str(project))
    assert status == 1 and "leaflet, inside middle" in err


def test_an_overflowing_edit_keeps_the_last_good_leaflet(built: Path, run: Run) -> None:
    leaflet = built / "outbox" / "print" / "khai-sinh" / "khai-sinh-leaflet.pdf"
    good = leaflet.read_bytes()
    write_unit(built, "khai-sinh", PROCEDURE.replace(
        'steps:\n  - "Đăng nhập Cổng dịch vụ công."', "steps:\n" + LONG_STEPS))
    status, _, _ = build(run, built)
    assert status == 1
    assert leaflet.read_bytes() == good


def test_text_shrinks_before_it_overflows(project: Path, run: Run) -> None:
    steps = "\n".join(f'  - "Bước {i}: nộp hồ sơ trực tuyến và theo dõi kết quả."'
                      for i in range(22))
    write_unit(project, "khai-sinh", PROCEDURE.replace(
        'steps:\n  - "Đăng nhập Cổng dịch vụ công."\n  - "Điền tờ khai, tải giấy chứng sinh."',
        "steps:\n" + steps))
    status, _, _ = build(run, project, "--only", "khai-sinh")
    assert status == 0
    leaflet = project / "outbox" / "print" / "khai-sinh" / "khai-sinh-leaflet.pdf"
    assert 8 <= _font_size(leaflet, 1, "Bước 21:") < 12  # the last step, inside middle


def test_poster_title_is_at_least_60_pt_on_a3(built: Path) -> None:
    poster = built / "outbox" / "print" / "khai-sinh" / "khai-sinh-poster-a3.pdf"
    assert _font_size(poster, 0, "Đăng ký") >= 60


def test_cmyk_output_has_no_rgb_colours(project: Path, run: Run) -> None:
    """CMYK is the default: what a print shop expects."""
    template = project / "templates" / "leaflets" / "default.toml"
    assert re.search(r"^cmyk = true\b", template.read_text(encoding="utf-8"), re.MULTILINE)
    assert build(run, project)[0] == 0
    reader = pdf(project, "khai-sinh")
    for page in reader.pages:
        stream = page.get_contents().get_data().decode("latin-1")
        assert re.search(r"\b[\d.]+ [\d.]+ [\d.]+ [\d.]+ k\b", stream)
        assert not re.search(r"\b[\d.]+ [\d.]+ [\d.]+ (rg|RG)\b", stream)


def test_photo_of_an_example_is_placed(project: Path, run: Run) -> None:
    Image.new("RGB", (4000, 3000), (200, 30, 30)).save(project / "content" / "anh.png")
    write_unit(project, "tan-phong", EXAMPLE.replace("publish:", "image: anh.png\npublish:"))
    assert build(run, project)[0] == 0
    inside = _page_image(project / "outbox" / "print" / "tan-phong" / "tan-phong-leaflet.pdf", 1)
    colours = inside.getcolors(maxcolors=1 << 24) or []
    reds = sum(n for n, (r, g, _) in colours if r > 180 and g < 60)
    assert reds > 1000


def test_units_that_do_not_ask_for_print_get_none(project: Path, run: Run) -> None:
    write_unit(project, "tong-dai-1022", NOTICE.replace("hotline:", "channels: [rss]\nhotline:"))
    build(run, project)
    assert not (project / "outbox" / "print" / "tong-dai-1022").exists()


def test_a_deleted_unit_takes_its_print_files_away(built: Path, run: Run) -> None:
    (built / "content" / "tan-phong.md").unlink()
    status, out, _ = build(run, built)
    assert status == 0 and "removed 7" in out
    assert not (built / "outbox" / "print" / "tan-phong").exists()


def test_feed_items_enclose_the_leaflet(built: Path, run: Run) -> None:
    run("build", "--project", str(built), "--channel", "rss", "--today", "2021-03-31")
    feed = (built / "outbox" / "rss" / "feed.xml").read_text(encoding="utf-8")
    size = (built / "outbox" / "print" / "khai-sinh" / "khai-sinh-leaflet.pdf").stat().st_size
    assert (f'<enclosure url="https://dongnai.gov.vn/outbox/print/khai-sinh/'
            f'khai-sinh-leaflet.pdf" length="{size}" type="application/pdf"/>') in feed


def test_the_brand_logo_is_on_the_cover(project: Path, run: Run) -> None:
    Image.new("RGB", (200, 200), (250, 200, 0)).save(project / "logo.png")
    toml = project / "toolkit.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace('logo = ""', 'logo = "logo.png"'),
                    encoding="utf-8")
    assert build(run, project)[0] == 0
    cover = _page_image(project / "outbox" / "print" / "khai-sinh" / "khai-sinh-leaflet.pdf")
    colours = cover.getcolors(maxcolors=1 << 24) or []
    assert sum(n for n, (r, g, b) in colours if r > 230 and 170 < g < 225 and b < 60) > 500


def test_a_missing_logo_is_a_clear_problem(project: Path, run: Run) -> None:
    toml = project / "toolkit.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace('logo = ""', 'logo = "khong.png"'),
                    encoding="utf-8")
    status, _, err = build(run, project)
    assert status == 1
    assert err.startswith("toolkit.toml: brand.logo: 'khong.png' is not a file")


@pytest.mark.parametrize("link, expected", [("https://dichvucong.gov.vn/p/1", None),
                                            (None, "https://dongnai.gov.vn/khai-sinh")])
def test_qr_code_leads_to_the_unit_link_else_its_page(project: Path, link: str | None,
                                                      expected: str | None) -> None:
    """The unit's page, as the feed, the SMS and the bulletin link it."""
    from toolkit.channels.print_pdf.blocks import Blocks, resolve_look
    from toolkit.content.load import read_unit
    from toolkit.project import open_project
    from toolkit.render.qr import QrCode, qr_modules

    text = PROCEDURE.replace("publish:", f"link: {link}\npublish:") if link else PROCEDURE
    unit, problems = read_unit(text.encode(), "content/khai-sinh.md", "khai-sinh")
    assert unit is not None and not problems
    settings = open_project(project).settings
    template = load_template(project, "leaflets", PrintTemplate)
    blocks = Blocks(unit, None, settings, template, resolve_look(settings, template, project))
    codes = [f for block in blocks.blocks(("qr",), 10, 200, 400) for f in block.flows
             if isinstance(f, QrCode)]
    assert [c.modules for c in codes] == [qr_modules(link or expected or "")]


def test_text_that_cannot_fit_is_laid_out_twice_not_once_a_step(project: Path, run: Run,
                                                               monkeypatch: pytest.MonkeyPatch
                                                               ) -> None:
    from toolkit.channels.print_pdf import leaflet

    write_unit(project, "khai-sinh", PROCEDURE.replace(
        'steps:\n  - "Đăng nhập Cổng dịch vụ công."', "steps:\n" + LONG_STEPS))
    for other in ("tong-dai-1022", "tan-phong"):
        (project / "content" / f"{other}.md").unlink()
    sizes: list[float] = []
    real = leaflet._set

    def spy(panel: leaflet.Panel, blocks: object, size: float, *args: object) -> object:
        if panel.name == "inside middle":
            sizes.append(size)
        return real(panel, blocks, size, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(leaflet, "_set", spy)
    status, _, err = run("check", "--project", str(project))
    assert status == 1 and "too long, even in the smallest type (8 pt)" in err
    assert sizes == [12, 8]  # the largest size, then the floor: no step between


def test_a_photo_for_print_is_decoded_upright_and_no_larger_than_print_needs(
        tmp_path: Path) -> None:
    import io

    from toolkit.render.picture import PRINT_LONG_SIDE, print_picture

    exif = Image.Exif()
    exif[0x0112] = 6  # stored sideways: turn 90° clockwise to show
    Image.new("RGB", (4000, 3000), (10, 200, 10)).save(tmp_path / "a.jpg", exif=exif)
    picture = print_picture(tmp_path / "a.jpg", "a.jpg")
    assert (picture.width, picture.height) == (PRINT_LONG_SIDE * 3 // 4, PRINT_LONG_SIDE)
    placed = Image.open(io.BytesIO(picture.data or b""))
    upright = (PRINT_LONG_SIDE * 3 // 4, PRINT_LONG_SIDE)
    assert (placed.format, placed.size, placed.mode) == ("JPEG", upright, "RGB")
    proof = print_picture(tmp_path / "a.jpg", "a.jpg", proof=True)
    assert (proof.data, proof.width, proof.height) == (None, *upright)


def test_a_photo_with_transparency_keeps_it(tmp_path: Path) -> None:
    import io

    from toolkit.render.picture import print_picture

    Image.new("RGBA", (300, 200), (200, 0, 0, 100)).save(tmp_path / "a.png")
    picture = print_picture(tmp_path / "a.png", "a.png")
    assert Image.open(io.BytesIO(picture.data or b"")).mode == "RGBA"


def test_a_photo_renamed_from_another_format_is_refused_when_decoded(tmp_path: Path) -> None:
    from toolkit.content.pictures import BadPicture
    from toolkit.render.picture import print_picture

    Image.new("RGB", (30, 20)).save(tmp_path / "a.jpg", format="TIFF")
    with pytest.raises(BadPicture, match=r"'a\.jpg' is in the TIFF format"):
        print_picture(tmp_path / "a.jpg", "a.jpg")


def test_an_address_breaks_only_after_a_slash_or_a_hyphen() -> None:
    from reportlab.lib.colors import black

    from toolkit.render.flow import Face, address
    from toolkit.render.fonts import font_file, pdf_font

    url = "cchc.dongnai.gov.vn/tin/nop-ho-so-qua-buu-chinh-cong-ich"
    face = Face(pdf_font(font_file("BeVietnamPro-Regular.ttf", Path("."))), 9, black)
    lines = address(url, face, 150).split("<br/>")
    assert len(lines) > 1 and "".join(lines) == url
    assert all(line.endswith(("/", "-")) for line in lines[:-1])
