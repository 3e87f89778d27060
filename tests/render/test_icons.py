"""Pictograms: Font Awesome Free solid icons drawn as vector paths in the colour asked."""

from __future__ import annotations

import io

import pikepdf
import pytest
from PIL import Image, ImageChops
from reportlab.lib.colors import CMYKColor, Color, HexColor
from reportlab.pdfgen.canvas import Canvas

from tests.render.pages import page, rendered
from toolkit.render import fontawesome, icons
from toolkit.render.icons import icon

# The pictograms issue 12 names for the leaflet's blocks, and the ones the layout adds.
NAMES = ["file-lines", "money-bill", "clock", "location-dot", "globe", "phone", "list-ol",
         "scale-balanced", "building", "circle-info", "qrcode", "calendar-days", "users",
         "award", "headset"]
BLUE = HexColor("#0b5cab")
SIZE = 36.0  # points: a square of 75 pixels at 150 dpi
PITCH = 60.0  # from one square to the next: 24 points of paper between them
DPI = 150






def near(pixel: tuple[int, int, int], colour: Color, tolerance: int = 40) -> bool:
    """Whether a pixel is painted in `colour` (an RGB colour), up to anti-aliasing."""
    wanted = (colour.red * 255, colour.green * 255, colour.blue * 255)
    return all(abs(p - w) <= tolerance for p, w in zip(pixel, wanted, strict=True))


def operators(pdf: bytes) -> set[str]:
    """The operators of the first page's content stream."""
    with pikepdf.open(io.BytesIO(pdf)) as document:
        return {str(op) for _, op in pikepdf.parse_content_stream(document.pages[0])}


def squares() -> list[tuple[str, float, float]]:
    """Where each icon of NAMES stands: (name, x, y) of its square's bottom left corner."""
    return [(name, 20 + (i % 5) * PITCH, 20 + (i // 5) * PITCH) for i, name in enumerate(NAMES)]


def grid_pdf(colour: Color) -> bytes:
    def draw(canvas: Canvas) -> None:
        for name, x, y in squares():
            icon(name, SIZE, colour).drawOn(canvas, x, y)
    return page(draw, (20 + 5 * PITCH, 20 + 3 * PITCH))


def in_pixels(x: float, y: float, height: float) -> tuple[float, float]:
    """A point of the page (points, y up) as a pixel position (y down)."""
    scale = DPI / 72
    return x * scale, (height - y) * scale


def test_every_icon_is_its_colour_inside_its_square_and_nothing_outside() -> None:
    image = rendered(grid_pdf(BLUE), DPI)
    height = 20 + 3 * PITCH
    boxes = []
    for name, x, y in squares():
        left, bottom = in_pixels(x, y, height)
        right, top = in_pixels(x + SIZE, y + SIZE, height)
        boxes.append((name, int(left), int(top), int(right) + 1, int(bottom) + 1))
    for name, left, top, right, bottom in boxes:
        square = image.crop((left, top, right, bottom))
        blue = sum(near(p, BLUE) for p in square.get_flattened_data())
        assert blue > 0.15 * square.width * square.height, (name, blue)
    for _, left, top, right, bottom in boxes:
        image.paste((255, 255, 255), (left, top, right, bottom))
    painted_outside = ImageChops.difference(image, Image.new("RGB", image.size, "white"))
    assert painted_outside.getbbox() is None, painted_outside.getbbox()


def ink_box(image: Image.Image, colour: Color) -> tuple[int, int, int, int]:
    """The box of the pixels painted in `colour`: left, top, right, bottom (exclusive)."""
    mask = Image.new("1", image.size)
    mask.putdata([near(p, colour, 90) for p in image.get_flattened_data()])
    box = mask.getbbox()
    assert box is not None
    return box


@pytest.mark.parametrize(("name", "axis"), [("location-dot", 0), ("users", 1)])
def test_an_icon_is_centred_in_its_square_by_its_own_proportions(name: str, axis: int) -> None:
    """A tall icon (location-dot, 384 × 512) is centred across its square, a wide one
    (users, 640 × 512) up and down; each fills the square the other way."""
    pdf = page(lambda canvas: icon(name, SIZE, BLUE).drawOn(canvas, 10, 10), (56, 56))
    box = ink_box(rendered(pdf, DPI), BLUE)
    square = (10 * DPI / 72, (56 - 10 - SIZE) * DPI / 72)  # left, top in pixels
    side = SIZE * DPI / 72
    low, high = box[axis], box[axis + 2]
    assert abs((low + high) / 2 - (square[axis] + side / 2)) <= 1.5
    other = 1 - axis
    assert box[other + 2] - box[other] >= side * 0.9  # fitted: the long side fills it


def test_a_cmyk_colour_gives_no_rgb_operator() -> None:
    pdf = grid_pdf(CMYKColor(1, 0.45, 0, 0.1))
    used = operators(pdf)
    assert "k" in used
    assert not used & {"rg", "RG", "sc", "scn", "SC", "SCN", "cs", "CS"}


def test_an_rgb_colour_is_drawn_in_rgb() -> None:
    assert "rg" in operators(grid_pdf(BLUE))


def test_the_icons_named_are_in_the_installed_font_awesome() -> None:
    assert set(NAMES) <= fontawesome.icon_names()


@pytest.mark.parametrize(("name", "meant"), [
    ("info-circle", "circle-info"),       # words in Font Awesome 5's order
    ("map-marker-alt", "location-dot"),   # a former name
    ("calender-days", "calendar-days"),   # a typo
])
def test_an_unknown_name_is_a_value_error_naming_close_ones(name: str, meant: str) -> None:
    with pytest.raises(ValueError, match=meant):
        icon(name, SIZE, BLUE)


@pytest.mark.parametrize("name", ["../regular/clock", "clock.svg", "", "CLOCK"])
def test_only_names_of_solid_icons_are_read(name: str) -> None:
    with pytest.raises(ValueError, match="there is no icon"):
        icon(name, SIZE, BLUE)


def test_each_svg_is_parsed_once_a_process(monkeypatch: pytest.MonkeyPatch) -> None:
    from svglib import svglib

    parsed: list[object] = []
    real = svglib.svg2rlg

    def counting(source: object, **kwargs: object) -> object:
        parsed.append(source)
        return real(source, **kwargs)

    monkeypatch.setattr(svglib, "svg2rlg", counting)
    icons.outline.cache_clear()
    for _ in range(3):
        page(lambda canvas: icon("award", SIZE, BLUE).drawOn(canvas, 0, 0), (40, 40))
    assert len(parsed) == 1


def test_the_attribution_names_the_licence() -> None:
    assert "CC BY 4.0" in fontawesome.ATTRIBUTION
    assert "Font Awesome" in fontawesome.attribution()


def test_a_job_can_declare_the_svg_an_icon_is_drawn_from() -> None:
    path = icons.icon_file("clock")
    assert path.name == "clock.svg"
    assert path.read_bytes().startswith(b"<svg")
    with pytest.raises(ValueError, match="circle-info"):
        icons.icon_file("info-circle")
