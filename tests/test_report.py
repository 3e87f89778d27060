"""The quarterly report: counts of what the outbox holds, by month and kind, and titles."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from docx import Document

from tests.conftest import PROCEDURE, write_unit
from toolkit import i18n

Run = Callable[..., tuple[int, str, str]]


@pytest.fixture
def reported(project: Path, run: Run) -> Path:
    write_unit(project, "quy-hai", PROCEDURE.replace("2021-02-09", "2021-04-05").replace(
        "Đăng ký khai sinh trực tuyến", "Thủ tục của quý hai"))
    for channel in ("print", "rss", "sms"):
        assert run("build", "--project", str(project), "--channel", channel,
                    "--today", "2021-06-30")[0] == 0
    assert run("bulletin", "--project", str(project), "--week", "2021-W06")[0] == 0
    status, out, err = run("report", "--project", str(project), "--quarter", "2021-Q1")
    assert (status, out.strip(), err) == (0, "outbox/report/2021-Q1/report-2021-Q1.docx", "")
    return project / "outbox" / "report" / "2021-Q1" / "report-2021-Q1.docx"


def rows(table) -> list[list[str]]:  # type: ignore[no-untyped-def]
    return [[cell.text for cell in row.cells] for row in table.rows]


def test_counts_by_month(reported: Path) -> None:
    by_month = rows(Document(reported).tables[0])
    assert by_month[0] == ["", "Tờ gấp", "Áp phích", "Video", "Tin trên cổng", "Tin nhắn SMS",
                           "Bài đăng mạng xã hội", "Bài phát thanh", "Bản tin"]
    # February: a procedure, a notice and an example, each with a leaflet and two
    # posters; all three in the feed; SMS for the procedure and the notice; a radio
    # script each (the bulletin command makes the week's radio too); the bulletin of
    # week 6. No videos or social posts were built.
    assert by_month[1:] == [["Tháng 1/2021", "0", "0", "0", "0", "0", "0", "0", "0"],
                            ["Tháng 2/2021", "3", "6", "0", "3", "2", "0", "3", "1"],
                            ["Tháng 3/2021", "0", "0", "0", "0", "0", "0", "0", "0"],
                            ["Tổng cộng", "3", "6", "0", "3", "2", "0", "3", "1"]]


def test_counts_by_kind(reported: Path) -> None:
    by_kind = rows(Document(reported).tables[1])
    assert by_kind[1:] == [["Thủ tục hành chính", "1", "2", "0", "1", "1", "0", "1"],
                           ["Mô hình hay", "1", "2", "0", "1", "0", "0", "1"],
                           ["Thông báo", "1", "2", "0", "1", "1", "0", "1"],
                           ["Tổng cộng", "3", "6", "0", "3", "2", "0", "3"]]


def test_titles_of_the_quarter_only(reported: Path) -> None:
    document = Document(reported)
    titles = [row[1] for row in rows(document.tables[2])[1:]]
    assert titles == ["Tổng đài 1022 hỗ trợ người dân", "Đăng ký khai sinh trực tuyến",
                      "Một cửa hiện đại ở phường Tân Phong"]
    assert "Quý I năm 2021 (từ 01/01/2021 đến 31/03/2021)" in [p.text for p in
                                                                 document.paragraphs]


def test_same_outbox_gives_the_same_report(reported: Path, run: Run) -> None:
    first = reported.read_bytes()
    run("report", "--project", str(reported.parents[3]), "--quarter", "2021-Q1")
    assert reported.read_bytes() == first


def test_a_bad_quarter_is_a_usage_error(project: Path, run: Run) -> None:
    status, _, err = run("report", "--project", str(project), "--quarter", "2021-Q5")
    assert status == 2 and "not a quarter like 2021-Q1" in err


def test_a_quarter_with_nothing_built_counts_nothing(project: Path, run: Run) -> None:
    """The report counts what the manifests say was made, never what units ask for; a
    report of zeros is written all the same, with a warning that says why."""
    status, _, err = run("report", "--project", str(project), "--quarter", "2021-Q1")
    assert status == 0
    document = Document(project / "outbox" / "report" / "2021-Q1" / "report-2021-Q1.docx")
    total = rows(document.tables[0])[-1]
    assert total[0] == "Tổng cộng" and set(total[1:]) == {"0"}
    assert ("outbox/report/2021-Q1/report-2021-Q1.docx: warning: 3 units were published in "
            "2021-Q1 (01/01/2021 – 31/03/2021), but the outbox holds nothing made of them, so "
            "the report has only zeros -> make them first with toolkit build, then run this "
            "again") in err


def test_a_quarter_with_nothing_published_is_written_with_a_warning(project: Path,
                                                                    run: Run) -> None:
    status, out, err = run("report", "--project", str(project), "--quarter", "2021-Q3")
    assert status == 0 and out.strip() == "outbox/report/2021-Q3/report-2021-Q3.docx"
    assert (project / "outbox" / "report" / "2021-Q3" / "report-2021-Q3.docx").is_file()
    assert ("outbox/report/2021-Q3/report-2021-Q3.docx: warning: no unit was published in "
            "2021-Q3 (01/07/2021 – 30/09/2021), so the report has only zeros -> check the "
            "quarter asked for (--quarter 2021-Q1) and the publish dates of the units") in err


def test_the_empty_quarter_warning_in_vietnamese(project: Path, run: Run) -> None:
    i18n.use("vi")
    status, _, err = run("report", "--project", str(project), "--quarter", "2021-Q3")
    assert status == 0
    assert ("không có bài nào đăng trong 2021-Q3 (01/07/2021 – 30/09/2021), nên báo cáo quý chỉ "
            "toàn số 0 -> kiểm tra quý đã chọn (--quarter 2021-Q1) và ngày đăng của các bài"
            ) in err


def test_a_report_that_counts_something_says_nothing_more(reported: Path, run: Run) -> None:
    _, _, err = run("report", "--project", str(reported.parents[3]), "--quarter", "2021-Q1")
    assert "warning" not in err


def test_a_column_the_template_does_not_name_is_in_vietnamese(project: Path, run: Run) -> None:
    """Whatever language the officer reads, the report is filed in Vietnamese."""
    template = project / "templates" / "report" / "default.toml"
    template.write_text(template.read_text(encoding="utf-8").replace('leaflets = "Tờ gấp"\n', ""),
                        encoding="utf-8")
    assert run("build", "--project", str(project), "--channel", "print",
               "--today", "2021-03-31")[0] == 0
    assert run("report", "--project", str(project), "--quarter", "2021-Q1")[0] == 0
    document = Document(project / "outbox" / "report" / "2021-Q1" / "report-2021-Q1.docx")
    assert rows(document.tables[0])[0][-1] == "tờ gấp"
