"""Number badges and marks hung beside paragraphs, drawn and looked at as pixels."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

import fontpkg_be_vietnam_pro
import pikepdf
import pytest
from PIL import Image
from reportlab.lib.colors import CMYKColor, HexColor, white
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Paragraph, Spacer

from tests.render.pages import page, rendered
from toolkit.render.flow import BIG, Face, stack, text
from toolkit.render.fonts import pdf_font
from toolkit.render.icons import icon
from toolkit.render.marks import Beside, badge, first_line_centre, ink_box

BLUE = HexColor("#0b5cab")
INK = HexColor("#222222")
PAPER = HexColor("#ffe9a8")  # not white: a badge's figures are the white on the page
DPI = 300
STEP = ("Điền tờ khai điện tử, tải lên bản chụp rõ nét giấy chứng sinh và giấy tờ tùy "
        "thân của cha mẹ, rồi nộp lệ phí trực tuyến qua Cổng dịch vụ công.")


def font(name: str) -> str:
    return pdf_font(Path(fontpkg_be_vietnam_pro.ROOT, "files", name))


@pytest.fixture(scope="module")
def bold() -> str:
    return font("BeVietnamPro-Bold.ttf")


@pytest.fixture(scope="module")
def regular() -> str:
    return font("BeVietnamPro-Regular.ttf")






def px(points: float) -> float:
    return points * DPI / 72


def mask(image: Image.Image, wanted: Callable[[tuple[int, int, int]], bool]) -> Image.Image:
    """A bilevel image of the pixels `wanted` picks."""
    out = Image.new("1", image.size)
    out.putdata([wanted(p) for p in image.get_flattened_data()])
    return out


def is_white(pixel: tuple[int, int, int]) -> bool:
    return min(pixel) >= 235


def is_blue(pixel: tuple[int, int, int]) -> bool:
    return pixel[2] > 120 and pixel[0] < 90


def is_ink(pixel: tuple[int, int, int]) -> bool:
    return max(pixel) < 120


# --- badges ---------------------------------------------------------------------------


@pytest.mark.parametrize("number", [1, "12"])
def test_a_badge_number_is_white_and_centred_inside_its_circle(number: int | str,
                                                                bold: str) -> None:
    diameter, x, y = 30.0, 10.0, 10.0
    pdf = page(lambda c: badge(number, diameter, BLUE, bold, white).drawOn(c, x, y), (50, 50),
               PAPER)
    image = rendered(pdf, DPI)
    centre = (px(x + diameter / 2), px(50 - y - diameter / 2))
    figures = mask(image, is_white).getbbox()
    assert figures is not None, "no white figures"
    left, top, right, bottom = figures
    radius = px(diameter / 2)
    corners = [(left, top), (right, top), (left, bottom), (right, bottom)]
    assert all((cx - centre[0]) ** 2 + (cy - centre[1]) ** 2 < (radius * 0.9) ** 2
               for cx, cy in corners), "the figures touch the circle's edge"
    # centred by their ink, within half a point either way
    assert abs((left + right) / 2 - centre[0]) <= px(0.5)
    assert abs((top + bottom) / 2 - centre[1]) <= px(0.5)
    circle = mask(image, is_blue).getbbox()
    assert circle is not None
    assert abs((circle[0] + circle[2]) / 2 - centre[0]) <= 2
    assert abs((circle[1] + circle[3]) / 2 - centre[1]) <= 2


def test_two_figures_are_set_smaller_than_one_to_fit(bold: str) -> None:
    one, two = (badge(n, 30, BLUE, bold, white) for n in (7, 12))
    assert two.size < one.size
    x0, _, x1, _ = ink_box("20", bold, two.size)
    assert x1 - x0 <= 0.66 * 30
    assert [badge(n, 30, BLUE, bold, white).size for n in (10, 11, 20)] == [two.size] * 3


# --- a mark beside a paragraph ---------------------------------------------------------


def step(regular: str) -> tuple[Paragraph, Face]:
    face = Face(regular, 10, INK, 1.35)
    return text(STEP, face, space_after=4), face


def test_the_mark_is_centred_on_the_first_line_of_a_three_line_paragraph(
        bold: str, regular: str) -> None:
    paragraph, _ = step(regular)
    beside = Beside(badge(1, 17.5, BLUE, bold, white), paragraph, 6)
    width, height = beside.wrap(260, BIG)
    assert len(paragraph.blPara.lines) == 3
    x = 10.0
    size = (width + 20, height + 20)
    image = rendered(page(lambda c: beside.drawOn(c, x, 10), size, PAPER), DPI)

    circle = mask(image, is_blue).getbbox()
    assert circle is not None
    mark_centre = (circle[1] + circle[3]) / 2
    assert circle[2] <= px(x + 17.5) + 2  # the mark keeps left of the text

    text_column = image.crop((int(px(x + 17.5 + 6)), 0, image.width, image.height))
    rows = ink_rows(text_column)
    first_top = next(i for i, n in enumerate(rows) if n)
    window = rows[first_top:first_top + int(px(10 * 1.35))]
    dense = [first_top + i for i, n in enumerate(window) if n >= 0.4 * max(window)]
    # The first line's lowercase body (its densest rows, not its accents); the mark's
    # middle is the capitals' middle, which stands a little above the lowercase one.
    body_top, body_bottom = min(dense), max(dense)
    assert body_top <= mark_centre <= (body_top + body_bottom) / 2 + px(0.5), (
        body_top, mark_centre, body_bottom)


def ink_rows(image: Image.Image) -> list[int]:
    """How many pixels of dark ink each row of `image` has."""
    ink = mask(image, is_ink)
    width = ink.width
    data = list(ink.get_flattened_data())
    return [sum(1 for v in data[y * width:(y + 1) * width] if v) for y in range(ink.height)]


def test_a_mark_taller_than_the_line_pushes_the_paragraph_down(bold: str,
                                                               regular: str) -> None:
    paragraph, _ = step(regular)
    beside = Beside(badge(1, 30, BLUE, bold, white), paragraph, 6)
    _, height = beside.wrap(200, BIG)
    assert beside.mark_top == 0.0
    assert beside.flow_top > 0
    assert height == pytest.approx(beside.flow_top + paragraph.height)
    centre = beside.flow_top + first_line_centre(paragraph)
    assert centre == pytest.approx(15.0)


def test_wrapping_again_at_another_width_is_as_if_it_were_the_first(bold: str,
                                                                     regular: str) -> None:
    paragraph, _ = step(regular)
    beside = Beside(badge(2, 17.5, BLUE, bold, white), paragraph, 6)
    wide = beside.wrap(300, BIG)
    narrow = beside.wrap(120, BIG)
    assert narrow[1] > wide[1]
    assert beside.wrap(300, BIG) == wide
    fresh, _ = step(regular)
    assert Beside(badge(2, 17.5, BLUE, bold, white), fresh, 6).wrap(120, BIG) == narrow
    assert narrow[0] == pytest.approx(17.5 + 6 + (120 - 17.5 - 6))


def test_the_flows_spaces_are_the_marks(bold: str, regular: str) -> None:
    face = Face(regular, 10, INK, 1.35)
    paragraph = Paragraph(STEP, face.style(space_after=7.0))
    paragraph.style.spaceBefore = 3.0
    beside = Beside(badge(1, 14, BLUE, bold, white), paragraph, 6)
    assert (beside.getSpaceBefore(), beside.getSpaceAfter()) == (3.0, 7.0)
    flows: list[Flowable] = [Spacer(1, 5), beside]  # a stack counts space before all
    # but the first
    assert stack(flows, 200).height == pytest.approx(5 + 3 + beside.wrap(200, BIG)[1] + 7)


def test_without_first_line_alignment_the_mark_centres_on_the_whole_flow(
        bold: str, regular: str) -> None:
    paragraph, _ = step(regular)
    beside = Beside(icon("clock", 12, BLUE), paragraph, 6, align_first_line=False)
    _, height = beside.wrap(200, BIG)
    assert beside.mark_top + 6 == pytest.approx(height / 2)


def test_a_flowable_without_lines_has_the_mark_on_its_middle(bold: str) -> None:
    beside = Beside(badge(3, 10, BLUE, bold, white), Spacer(100, 40), 4)
    assert beside.wrap(200, BIG)[1] == 40
    assert beside.mark_top == pytest.approx(15)


def test_a_beside_inside_a_beside_lines_up_with_the_same_line(bold: str,
                                                              regular: str) -> None:
    paragraph, _ = step(regular)
    inner = Beside(badge(1, 17.5, BLUE, bold, white), paragraph, 6)
    outer = Beside(icon("clock", 12, BLUE), inner, 4)
    outer.wrap(260, BIG)
    assert outer.mark_top + 6 == pytest.approx(outer.flow_top + inner.mark_top + 17.5 / 2)


def test_cmyk_marks_and_text_give_no_rgb_operator(bold: str, regular: str) -> None:
    cyan, paper, ink = CMYKColor(1, 0.45, 0, 0.1), CMYKColor(0, 0, 0, 0), CMYKColor(0, 0, 0, 0.9)
    face = Face(regular, 10, ink, 1.35)
    flows: list[Flowable] = [
        Beside(badge(n, 17.5, cyan, bold, paper), text(STEP, face, 4), 6) for n in (1, 12)]
    flows.append(Beside(icon("phone", 14, cyan), text("1022", face), 6))

    def draw(canvas: Canvas) -> None:
        stack(flows, 200).draw(canvas, 10, 190)

    pdf = page(draw, (220, 200), background=CMYKColor(0, 0.05, 0.3, 0))
    with pikepdf.open(io.BytesIO(pdf)) as document:
        used = {str(op) for _, op in pikepdf.parse_content_stream(document.pages[0])}
    assert "k" in used
    assert not used & {"rg", "RG", "sc", "scn", "SC", "SCN", "cs", "CS"}
