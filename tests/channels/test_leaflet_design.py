"""The leaflet as designed: panels set as large as they fit, spread in rhythm, with
pictograms, badges, cards, a picture panel, and the sample's fill and type-size aims."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pypdfium2
import pytest
from PIL import Image

from tests.conftest import EXAMPLE, PROCEDURE, write_unit
from toolkit.channels.print_pdf import PrintTemplate
from toolkit.channels.print_pdf.blocks import Blocks, resolve_look
from toolkit.channels.print_pdf.leaflet import Laid, lay_out, leaflet_sheet, page_panels
from toolkit.content.load import load_content, read_unit
from toolkit.content.model import AnyUnit
from toolkit.project import open_project
from toolkit.render.icons import Icon
from toolkit.render.marks import Badge, Beside
from toolkit.render.sheet import CROP_BORDER, MM
from toolkit.templates import channel_template, load_template

Run = Callable[..., tuple[int, str, str]]
FILL_AIM, SIZE_AIM = 0.60, 9.5


def laid_out(project: Path, unit: AnyUnit) -> dict[str, Laid]:
    """The panels of a unit's leaflet, as a build lays them out."""
    settings = open_project(project).settings
    template = channel_template(project, "leaflets", PrintTemplate)
    spec = template.leaflet
    outside, inside = page_panels(spec, getattr(spec, unit.kind))
    blocks = Blocks(unit, None, settings, template, resolve_look(settings, template, project))
    return lay_out(unit, outside + inside, blocks, spec, leaflet_sheet(template))


def unit_of(text: str, name: str = "khai-sinh") -> AnyUnit:
    unit, problems = read_unit(text.encode(), f"content/{name}.md", name)
    assert unit is not None and not problems, problems
    return unit


def test_every_panel_of_the_sample_is_filled_and_none_set_small(sample_project: Path) -> None:
    """The aims of the design: no panel under 60 % filled, no body under 9.5 pt
    (bench/print_fill.py reports the figures)."""
    units = [u for u in load_content(sample_project, sample_project / "content").units
             if "print" in u.wanted_channels]
    assert len(units) >= 10
    for unit in units:
        for name, laid in laid_out(sample_project, unit).items():
            assert laid.fill >= FILL_AIM, (unit.id, name, laid.fill)
            assert laid.size >= SIZE_AIM, (unit.id, name, laid.size)


def test_each_panel_gets_the_largest_size_that_fits_it(project: Path) -> None:
    body = "\n\n".join(["Cha mẹ nộp hồ sơ trên Cổng dịch vụ công, theo dõi tình trạng và "
                        "nhận giấy khai sinh qua bưu điện, không phải xếp hàng."] * 9)
    laid = laid_out(project, unit_of(PROCEDURE.replace(
        "Theo Luật Hộ tịch, **60 ngày** kể từ ngày sinh.", body)))
    spec = load_template(project, "leaflets", PrintTemplate).leaflet
    assert spec.min_body_pt <= laid["inside left"].size < spec.body_pt  # the long body
    assert laid["inside middle"].size == spec.body_pt  # two short steps: the ceiling


def test_running_text_stops_at_the_body_ceiling_cards_may_go_larger(project: Path) -> None:
    laid = laid_out(project, unit_of(EXAMPLE, "tan-phong"))
    spec = load_template(project, "leaflets", PrintTemplate).leaflet
    assert laid["inside left"].size == spec.body_pt  # the story: running text
    assert spec.body_pt < laid["inside middle"].size <= spec.display_pt  # result cards


def test_steps_have_numbered_badges_and_headings_pictograms(project: Path) -> None:
    laid = laid_out(project, unit_of(PROCEDURE))
    rows = laid["inside middle"].column.rows
    flows = [flow for row in rows for flow in row.stack.flows]
    heading, *steps = flows
    assert isinstance(heading, Beside) and isinstance(heading.mark, Icon)
    assert [type(s.mark) for s in steps if isinstance(s, Beside)] == [Badge, Badge]


def test_blocks_spread_over_the_panel_and_the_contact_stands_at_its_foot(
        project: Path) -> None:
    laid = laid_out(project, unit_of(PROCEDURE))["back"]
    column = laid.column
    gaps = column.gaps(laid.room, laid.most)
    assert sum(gaps) + sum(r.stack.height for r in column.rows) == pytest.approx(laid.room)
    assert laid.fill > laid.natural_fill


def _page(path: Path, page: int) -> Image.Image:
    document = pypdfium2.PdfDocument(path)
    try:
        return document[page].render(scale=1).to_pil().convert("RGB")  # a pixel a point
    finally:
        document.close()


def _text(path: Path, page: int, left_mm: float, right_mm: float) -> str:
    """The text of a band of a page, between two distances from the trim's left edge."""
    document = pypdfium2.PdfDocument(path)
    try:
        textpage = document[page].get_textpage()
        b = CROP_BORDER
        return str(textpage.get_text_bounded(left=b + left_mm * MM, bottom=0,
                                             right=b + right_mm * MM, top=1e4))
    finally:
        document.close()


def test_an_example_without_a_photo_gets_a_picture_panel(project: Path, run: Run) -> None:
    assert run("build", "--project", str(project), "--channel", "print",
               "--today", "2021-03-31")[0] == 0
    leaflet = project / "outbox" / "print" / "tan-phong" / "tan-phong-leaflet.pdf"
    inside = _page(leaflet, 1)
    b = int(CROP_BORDER)
    column = [inside.getpixel((b + int(270 * MM), y)) for y in range(b, b + int(210 * MM), 7)]
    primary = (0x0B, 0x5C, 0xAD)
    near = [c for c in column if max(abs(a - e) for a, e in zip(c, primary, strict=True)) < 40]
    white = [c for c in column if min(c) > 245]
    assert len(near) + len(white) == len(column) and len(near) > len(column) * 0.8


def test_a_photo_covers_its_picture_panel(project: Path, run: Run) -> None:
    Image.new("RGB", (4000, 3000), (200, 30, 30)).save(project / "content" / "anh.jpg")
    write_unit(project, "tan-phong", EXAMPLE.replace("publish:", "image: anh.jpg\npublish:"))
    assert run("build", "--project", str(project), "--channel", "print",
               "--today", "2021-03-31")[0] == 0
    inside = _page(project / "outbox" / "print" / "tan-phong" / "tan-phong-leaflet.pdf", 1)
    b = int(CROP_BORDER)
    for x_mm, y_mm in ((205, 5), (290, 100), (250, 205)):
        r, g, _ = inside.getpixel((b + int(x_mm * MM), b + int(y_mm * MM)))
        assert r > 150 and g < 80, (x_mm, y_mm)


def test_an_example_has_its_summary_as_the_lead_of_the_flap_not_on_the_cover(
        project: Path, run: Run) -> None:
    assert run("build", "--project", str(project), "--channel", "print",
               "--today", "2021-03-31")[0] == 0
    leaflet = project / "outbox" / "print" / "tan-phong" / "tan-phong-leaflet.pdf"
    summary = "rút ngắn thời gian"
    assert summary in " ".join(_text(leaflet, 0, 0, 97).split())  # the flap
    assert summary not in " ".join(_text(leaflet, 0, 198, 297).split())  # the cover


def test_a_phone_number_is_never_broken(project: Path, run: Run) -> None:
    body = " ".join(["Cần hỗ trợ, xin gọi Tổng đài Dịch vụ công (0251) 1022 hoặc hỏi tại "
                     "Bộ phận Một cửa."] * 12)
    write_unit(project, "khai-sinh", PROCEDURE.replace(
        "Theo Luật Hộ tịch, **60 ngày** kể từ ngày sinh.", body))
    assert run("build", "--project", str(project), "--channel", "print",
               "--today", "2021-03-31")[0] == 0
    text = _text(project / "outbox" / "print" / "khai-sinh" / "khai-sinh-leaflet.pdf", 1, 0, 99)
    lines = [line.replace("\xa0", " ") for line in text.splitlines()]
    assert sum(line.count("(0251)") for line in lines) == 12
    assert all(line.rstrip().endswith("(0251)") is False for line in lines)


def test_a_template_naming_an_unknown_pictogram_says_which_are_close(
        project: Path, run: Run) -> None:
    template = project / "templates" / "leaflets" / "default.toml"
    template.write_text(template.read_text(encoding="utf-8").replace(
        'fee = "money-bill"', 'fee = "money-bil"'), encoding="utf-8")
    status, _, err = run("check", "--project", str(project))
    assert status == 1
    assert "templates/leaflets/default.toml:" in err and "leaflet.icons" in err
    assert "'money-bil'" in err and "money-bill" in err and "Traceback" not in err


def test_the_pictograms_are_among_what_a_leaflet_reads(project: Path) -> None:
    from toolkit.channels.print_pdf import CHANNEL
    from toolkit.jobs import Context

    settings = open_project(project).settings
    template = channel_template(project, "leaflets", PrintTemplate)
    unit = unit_of(PROCEDURE)
    context = Context(template=template, settings=settings, project_dir=project,
                      today=unit.publish.date())
    leaflet, *_ = CHANNEL.plan([unit], context)
    assert any(p.name == "money-bill.svg" for p in leaflet.reads)


def test_the_organisation_on_an_a3_poster_is_read_from_two_metres(
        project: Path, run: Run) -> None:
    assert run("build", "--project", str(project), "--channel", "print",
               "--today", "2021-03-31")[0] == 0
    poster = project / "outbox" / "print" / "khai-sinh" / "khai-sinh-poster-a3.pdf"
    document = pypdfium2.PdfDocument(poster)
    try:
        textpage = document[0].get_textpage()
        index = textpage.get_text_range().index("ỦY BAN")
        size = pypdfium2.raw.FPDFText_GetFontSize(textpage, index)
    finally:
        document.close()
    assert size >= 24  # capitals about 6 mm tall
