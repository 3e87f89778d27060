"""Managed colour for print: sRGB through LittleCMS to FOGRA39, black text on K alone,
greys on K alone, rich black for large areas, and pure K overprinting on the sheet."""

from __future__ import annotations

import io
import multiprocessing
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest
from PIL import Image
from reportlab.lib.colors import CMYKColor, HexColor

from toolkit.render.colour import (
    REGISTRATION,
    is_pure_black,
    mark_colour,
    pdf_colour,
    picture_to_output,
    print_inks,
)
from toolkit.render.flow import Face, stack, text
from toolkit.render.fonts import font_file, pdf_family
from toolkit.render.sheet import MM, DocumentInfo, Sheet, fill, open_canvas, save

pikepdf = pytest.importorskip("pikepdf")

BRAND_BLUE = "#0B5CAD"
BODY_TEXT = "#1F2328"


def naive(hex_colour: str) -> tuple[float, float, float, float]:
    """What the toolkit did before: k = 1 - max(r, g, b), uncalibrated."""
    rgb = HexColor(hex_colour)
    r, g, b = rgb.red, rgb.green, rgb.blue
    k = 1 - max(r, g, b)
    return (1 - r - k) / (1 - k), (1 - g - k) / (1 - k), (1 - b - k) / (1 - k), k


def inks(colour: object) -> tuple[float, float, float, float]:
    assert isinstance(colour, CMYKColor)
    return colour.cyan, colour.magenta, colour.yellow, colour.black


def test_brand_blue_goes_through_the_profile_not_the_naive_formula() -> None:
    managed = inks(pdf_colour(BRAND_BLUE, cmyk=True))
    assert max(abs(a - b) for a, b in zip(managed, naive(BRAND_BLUE), strict=True)) > 0.05
    c, m, y, _ = managed
    assert c > 0.8 and 0.4 < m < 0.7 and y < 0.05  # a blue, on C and M
    assert print_inks(BRAND_BLUE) == tuple(round(v * 100) for v in managed)


def test_near_black_body_text_is_100_percent_k_alone() -> None:
    colour = pdf_colour(BODY_TEXT, cmyk=True)
    assert inks(colour) == (0, 0, 0, 1)
    assert is_pure_black(colour)
    assert print_inks("#000000") == (0, 0, 0, 100)
    assert print_inks("#24292F") == (0, 0, 0, 100)  # another near-black of text


@pytest.mark.parametrize("grey", ["#767676", "#444444", "#F5F5F5"])
def test_greys_are_k_alone(grey: str) -> None:
    c, m, y, k = print_inks(grey)
    assert (c, m, y) == (0, 0, 0) and 0 < k < 100


def test_greys_keep_their_order_from_light_to_dark() -> None:
    ks = [print_inks(g)[3] for g in ("#F5F5F5", "#BDBDBD", "#767676", "#444444")]
    assert ks == sorted(ks) and len(set(ks)) == len(ks)


def test_colours_and_white_are_not_made_black() -> None:
    assert print_inks("#FFFFFF") == (0, 0, 0, 0)
    assert print_inks("#1A237E")[0] > 50  # a dark blue stays blue
    assert not is_pure_black(pdf_colour("#C62828", cmyk=True))
    assert not is_pure_black(pdf_colour("#FFFFFF", cmyk=True))


def test_rgb_output_keeps_the_colour_as_written() -> None:
    assert pdf_colour(BRAND_BLUE, cmyk=False).hexval() == HexColor(BRAND_BLUE).hexval()
    assert not is_pure_black(pdf_colour(BODY_TEXT, cmyk=False))


def test_a_colour_is_converted_once(monkeypatch: pytest.MonkeyPatch) -> None:
    from toolkit.render import colour

    pdf_colour("#123457", cmyk=True)
    monkeypatch.setattr(colour, "_managed_inks", lambda rgb: pytest.fail("converted again"))
    for _ in range(100):
        pdf_colour("#123457", cmyk=True)


def test_marks_are_on_every_plate() -> None:
    assert mark_colour(True) is REGISTRATION


def _convert_photos(_: int) -> bool | str:
    image = Image.new("RGB", (64, 64), (200, 30, 30))
    try:
        for _ in range(30):
            picture_to_output(image, cmyk=True)
    except OSError as err:
        return repr(err)
    return True


def test_conversions_work_in_a_builds_forked_workers() -> None:
    """Profiles opened by their path are read through a file that forked workers share:
    they garbled each other's reads ("Could not determine profile size")."""
    print_inks(BRAND_BLUE)
    picture_to_output(Image.new("RGB", (8, 8)), cmyk=True)  # opened here, before the fork
    with multiprocessing.get_context("fork").Pool(4) as pool:
        assert pool.map(_convert_photos, range(8)) == [True] * 8


# --- overprint --------------------------------------------------------------


@dataclass(frozen=True)
class Paint:
    """One painting operator as a printer reads it: what it paints, in which colour
    (the operands of k/K, or rg/RG), with which overprint settings in force."""

    operator: str
    colour: tuple[float, ...]
    overprint: bool  # op for fills and text, OP for strokes
    mode: int  # OPM


TEXT_SHOWING = {"Tj", "TJ", "'", '"'}
FILLS = {"f", "F", "f*", "B", "B*", "b", "b*"}


def painted(pdf: pikepdf.Pdf, page_number: int = 0) -> list[Paint]:
    """Every text, fill and stroke of a page with its colour and overprint state,
    following q/Q and the ExtGState dictionaries (an OP alone sets op too)."""
    page = pdf.pages[page_number]
    states = page.Resources.get("/ExtGState", {})
    state = {"fill": (), "stroke": (), "OP": False, "op": False, "OPM": 0}
    saved: list[dict[str, object]] = []
    found: list[Paint] = []
    for operands, operator in pikepdf.parse_content_stream(page):
        op = str(operator)
        if op == "q":
            saved.append(dict(state))
        elif op == "Q":
            state = saved.pop()  # type: ignore[assignment]
        elif op in ("k", "rg", "g"):
            state["fill"] = tuple(float(v) for v in operands)
        elif op in ("K", "RG", "G"):
            state["stroke"] = tuple(float(v) for v in operands)
        elif op == "gs":
            entries = states[operands[0]]
            if "/OP" in entries:
                state["OP"] = state["op"] = bool(entries.OP)
            if "/op" in entries:
                state["op"] = bool(entries.op)
            if "/OPM" in entries:
                state["OPM"] = int(entries.OPM)
        elif op in TEXT_SHOWING or op in FILLS:
            found.append(Paint(op, state["fill"], bool(state["op"]), int(state["OPM"])))
        elif op in ("S", "s"):
            found.append(Paint(op, state["stroke"], bool(state["OP"]), int(state["OPM"])))
    return found


def _sheet_pdf(cmyk: bool) -> bytes:
    """A small sheet: black body text on a tint, white text on the brand colour, a brand
    coloured heading, and rules in K and in the brand colour."""
    project = Path(".")
    font = pdf_family(font_file("BeVietnamPro-Regular.ttf", project),
                      font_file("BeVietnamPro-Bold.ttf", project),
                      font_file("BeVietnamPro-Italic.ttf", project))
    out = io.BytesIO()
    sheet = Sheet(100 * MM, 60 * MM, 3 * MM)
    info = DocumentInfo("Thử", "UBND", "Màu", datetime(2021, 3, 1, tzinfo=UTC))
    canvas = open_canvas(out, sheet, font, cmyk, info)
    colour = lambda value: pdf_colour(value, cmyk)  # noqa: E731
    fill(canvas, colour("#EAF1FA"), 0, 0, 50 * MM, 60 * MM)
    fill(canvas, colour(BRAND_BLUE), 50 * MM, 0, 50 * MM, 60 * MM)
    body = Face(font, 10, colour(BODY_TEXT))
    heading = Face(font, 12, colour(BRAND_BLUE))
    white = Face(font, 10, colour("#FFFFFF"))
    stack([text("Nộp hồ sơ", heading), text("Bộ phận Một cửa UBND cấp xã", body)],
          40 * MM).draw(canvas, 5 * MM, 55 * MM)
    stack([text("Đăng ký khai sinh", white)], 40 * MM).draw(canvas, 55 * MM, 55 * MM)
    for rule_colour in (colour(BODY_TEXT), colour(BRAND_BLUE)):
        canvas.setStrokeColor(rule_colour)
        canvas.setLineWidth(0.5)
        canvas.line(5 * MM, 20 * MM, 45 * MM, 20 * MM)
    canvas.showPage()
    return save(canvas, out)


def test_black_text_and_rules_overprint_and_nothing_else_does() -> None:
    with pikepdf.open(io.BytesIO(_sheet_pdf(cmyk=True))) as pdf:
        paints = painted(pdf)
    texts = [p for p in paints if p.operator in TEXT_SHOWING]
    black = [p for p in texts if p.colour == (0, 0, 0, 1)]
    others = [p for p in texts if p.colour != (0, 0, 0, 1)]
    assert black and others
    assert all(p.overprint and p.mode == 1 for p in black)
    assert not any(p.overprint for p in others)  # the heading, the white title
    marks = [p for p in paints if p.operator == "S" and p.colour == (1, 1, 1, 1)]
    rules = [p for p in paints if p.operator == "S" and p.colour != (1, 1, 1, 1)]
    assert [(p.colour == (0, 0, 0, 1), p.overprint) for p in rules] == [(True, True),
                                                                         (False, False)]
    assert marks and not any(p.overprint for p in marks)  # crop marks: every plate
    fills = [p for p in paints if p.operator in FILLS and p.colour not in ((0, 0, 0, 1),)]
    assert fills and not any(p.overprint for p in fills)  # tints and backgrounds knock out


def test_rgb_output_overprints_nothing() -> None:
    with pikepdf.open(io.BytesIO(_sheet_pdf(cmyk=False))) as pdf:
        assert not any(p.overprint for p in painted(pdf))
        assert "/ExtGState" not in pdf.pages[0].Resources or not any(
            "/op" in v or "/OP" in v for v in pdf.pages[0].Resources.ExtGState.values())
