"""A column's rhythm: how the room left in a panel spreads between its rows."""

from __future__ import annotations

import pytest
from reportlab.platypus import Spacer

from toolkit.render.boxes import Column, Row
from toolkit.render.flow import stack


def row(height: float, gap: float = 0.0, stretch: float = 0.0, foot: bool = False) -> Row:
    return Row(stack([Spacer(10, height)], 100), gap, stretch, foot)


def test_the_natural_height_counts_the_gaps_but_the_first() -> None:
    column = Column((row(100, gap=99), row(50, gap=10), row(30, gap=10)))
    assert column.height == 200


def test_room_left_widens_the_gaps_by_their_stretch_up_to_the_cap() -> None:
    column = Column((row(100), row(50, 10, 1.0), row(30, 10, 0.5)))
    assert column.gaps(room=400, most=40) == [0, 50, 30]  # 210 left: capped at 40 a unit
    assert column.gaps(room=230, most=40) == pytest.approx([0, 10 + 20, 10 + 10])


def test_a_column_that_fills_its_room_keeps_its_natural_gaps() -> None:
    column = Column((row(100), row(50, 10, 1.0)))
    assert column.gaps(room=100, most=40) == [0, 10]  # over: never narrower than natural


def test_rows_at_the_foot_stand_at_the_bottom() -> None:
    column = Column((row(100), row(50, 10, 1.0), row(30, 10, 1.0, foot=True), row(20)))
    gaps = column.gaps(room=500, most=40)
    assert sum(gaps) + 200 == pytest.approx(500)  # the last row ends at the bottom
    assert gaps[1] == 50  # the rows above spread up to the cap, no more


def test_the_fill_counts_no_gap_wider_than_the_cap() -> None:
    column = Column((row(100), row(50, 10, 1.0, foot=True)))
    assert column.extent(room=500, most=40) == 100 + 50 + 10 + 40  # not the whole 500
    assert Column((row(100), row(50, 10, 1.0))).extent(room=500, most=40) == 200


def test_a_column_just_fitting_does_not_stand_out_by_rounding() -> None:
    rows = tuple(row(0.1, 0.2, 1.0) for _ in range(30))
    column = Column(rows)
    assert column.over(100, room=sum(0.1 for _ in range(30)) + sum(0.2 for _ in range(29))) <= 0


def test_a_word_wider_than_its_column_stands_out_of_it() -> None:
    from pathlib import Path

    from reportlab.lib.colors import black

    from toolkit.render.flow import Face, text
    from toolkit.render.fonts import font_file, pdf_family

    here = Path(".")
    font = pdf_family(font_file("BeVietnamPro-Regular.ttf", here),
                      font_file("BeVietnamPro-Bold.ttf", here),
                      font_file("BeVietnamPro-Italic.ttf", here))
    face = Face(font, 12, black)
    address = text("Gửi phản ánh trên (dichvucong.dongnai.gov.vn/thu-tuc-hanh-chinh)", face)
    assert stack([address], 120).over(120, 1000) > 150  # never split: it sticks out
    words = text("Gửi phản ánh, kiến nghị trên Cổng Dịch vụ công quốc gia", face)
    assert stack([words], 120).over(120, 1000) <= 0
