"""Word import: a .docx drafted by an officer becomes a unit that passes check."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from docx import Document

from toolkit.content.legacy import TCVN3, to_unicode

Run = Callable[..., tuple[int, str, str]]
SECTIONS = [("Trình tự thực hiện", ["Bước 1: nộp hồ sơ trực tuyến.", "Bước 2: nhận kết quả."]),
            ("Thành phần hồ sơ", ["Tờ khai đăng ký khai sinh", "Giấy chứng sinh"]),
            ("Thời hạn giải quyết", "Trong ngày làm việc."),
            ("Phí, lệ phí", "Miễn lệ phí."),
            ("Cơ quan thực hiện", "UBND cấp xã"),
            ("Căn cứ pháp lý", ["Luật Hộ tịch năm 2014"]),
            ("Cách thức thực hiện", "Nộp tại Bộ phận Một cửa hoặc tại https://dichvucong.gov.vn.")]


def make_docx(path: Path, sections: list[tuple[str, object]], font: str | None = None,
              encode: Callable[[str], str] = lambda s: s) -> Path:
    document = Document()
    parts: list[tuple[str, str | None]] = [("Đăng ký khai sinh trực tuyến", "Heading 1"),
                                           ("Cha mẹ nộp hồ sơ khai sinh trên Cổng dịch vụ công.",
                                            None),
                                           ("Từ năm 2021, việc này làm được tại nhà.", None)]
    for heading, content in sections:
        parts.append((heading, "Heading 2"))
        if isinstance(content, list):
            parts += [(item, "List Number") for item in content]
        else:
            parts.append((str(content), None))
    for text, style in parts:
        paragraph = document.add_paragraph(style=style)
        run = paragraph.add_run(encode(text))
        if font:
            run.font.name = font
    document.save(str(path))
    return path


def imported(project: Path, run: Run, docx: Path, *args: str) -> tuple[int, str, str]:
    return run("import", str(docx), "--project", str(project), *args)


def test_a_procedure_with_every_heading_passes_check(project: Path, run: Run,
                                                     tmp_path: Path) -> None:
    status, out, err = imported(project, run, make_docx(tmp_path / "a.docx", SECTIONS))
    assert (status, out.strip()) == (0, "content/dang-ky-khai-sinh-truc-tuyen.md")
    assert err.startswith("a.docx: publish set to today, ")  # and nothing else to say
    assert len(err.splitlines()) == 1
    text = (project / "content" / "dang-ky-khai-sinh-truc-tuyen.md").read_text(encoding="utf-8")
    for expected in ('title: "Đăng ký khai sinh trực tuyến"',
                     'summary: "Cha mẹ nộp hồ sơ khai sinh trên Cổng dịch vụ công."',
                     'steps:\n  - "Bước 1: nộp hồ sơ trực tuyến."\n  - "Bước 2: nhận kết quả."',
                     'documents:\n  - "Tờ khai đăng ký khai sinh"\n  - "Giấy chứng sinh"',
                     'processing_time: "Trong ngày làm việc."', 'fee: "Miễn lệ phí."',
                     'agency: "UBND cấp xã"', 'legal_basis:\n  - "Luật Hộ tịch năm 2014"',
                     'online:\n  url: "https://dichvucong.gov.vn"',
                     "Từ năm 2021, việc này làm được tại nhà."):
        assert expected in text, expected
    assert run("check", "--project", str(project))[0] == 0


def test_missing_headings_are_said(project: Path, run: Run, tmp_path: Path) -> None:
    docx = make_docx(tmp_path / "b.docx", [s for s in SECTIONS if s[0] not in
                                           ("Trình tự thực hiện", "Cơ quan thực hiện")])
    status, out, err = imported(project, run, docx)
    assert status == 1
    assert "agency: is missing" in err and "steps: is missing" in err
    assert "fill in what is missing" in out
    assert (project / "content" / "dang-ky-khai-sinh-truc-tuyen.md").exists()


def test_an_unknown_heading_is_reported_and_kept_in_the_body(project: Path, run: Run,
                                                              tmp_path: Path) -> None:
    docx = make_docx(tmp_path / "c.docx", [*SECTIONS, ("Lưu ý", "Mang bản chính.")])
    status, _, err = imported(project, run, docx)
    assert status == 0
    assert "the heading 'Lưu ý' is not a field" in err
    text = (project / "content" / "dang-ky-khai-sinh-truc-tuyen.md").read_text(encoding="utf-8")
    assert "## Lưu ý\n\nMang bản chính." in text


def to_tcvn3(text: str) -> str:
    back = {v: k for k, v in TCVN3.items()}
    return "".join(back.get(c, c) for c in text)


def test_tcvn3_text_is_converted(project: Path, run: Run, tmp_path: Path) -> None:
    docx = make_docx(tmp_path / "d.docx", SECTIONS, font=".VnTime", encode=to_tcvn3)
    assert "§¨ng ký khai sinh tr" in Document(str(docx)).paragraphs[0].text  # as Word shows it
    status, _out, _ = imported(project, run, docx)
    assert status == 0
    text = (project / "content" / "dang-ky-khai-sinh-truc-tuyen.md").read_text(encoding="utf-8")
    assert 'title: "Đăng ký khai sinh trực tuyến"' in text
    assert 'fee: "Miễn lệ phí."' in text


def test_a_soft_hyphen_element_is_the_tcvn3_u_horn(project: Path, run: Run,
                                                     tmp_path: Path) -> None:
    from docx.oxml import OxmlElement

    document = Document()
    heading = document.add_paragraph(style="Heading 1")
    for text in ("Tr", None, "êng hîp"):  # Word saves the byte 0xAD as <w:softHyphen/>
        part = heading.add_run()
        part.font.name = ".VnTime"
        if text is None:
            part._r.append(OxmlElement("w:softHyphen"))
        else:
            part.text = text
    document.add_paragraph("Tóm tắt.")
    document.save(str(tmp_path / "s.docx"))
    _status, _out, _ = imported(project, run, tmp_path / "s.docx", "--kind", "notice")
    text = next((project / "content").glob("truong-hop*.md")).read_text(encoding="utf-8")
    assert 'title: "Trường hợp"' in text


def test_tcvn3_capital_fonts_give_capitals() -> None:
    assert to_unicode(to_tcvn3("cải cách hành chính"), ".VnTimeH") == "CẢI CÁCH HÀNH CHÍNH"


def test_vni_text_stops_the_import_naming_the_font(project: Path, run: Run,
                                                   tmp_path: Path) -> None:
    docx = make_docx(tmp_path / "e.docx", SECTIONS, font="VNI-Times")
    status, _, err = imported(project, run, docx)
    assert status == 1
    assert "paragraph 1: text in the font 'VNI-Times' is in the old VNI encoding" in err
    assert "Traceback" not in err
    assert not list((project / "content").glob("dang-ky*"))


def test_a_file_that_is_not_docx_is_a_clear_error(project: Path, run: Run,
                                                  tmp_path: Path) -> None:
    bad = tmp_path / "f.docx"
    bad.write_bytes(b"not a zip")
    status, _, err = imported(project, run, bad)
    assert status == 1 and "f.docx: is not a Word .docx file" in err


def test_without_a_heading_1_there_is_no_title(project: Path, run: Run, tmp_path: Path) -> None:
    document = Document()
    document.add_paragraph("Chỉ có một đoạn văn.")
    document.save(str(tmp_path / "g.docx"))
    status, _, err = imported(project, run, tmp_path / "g.docx")
    assert status == 2 and "no Heading 1" in err


@pytest.mark.parametrize("kind", ["example", "notice"])
def test_other_kinds_take_title_summary_and_body(project: Path, run: Run, tmp_path: Path,
                                                 kind: str) -> None:
    status, _, err = imported(project, run, make_docx(tmp_path / "h.docx", []), "--kind", kind)
    assert status == 1  # their own required fields are said to be missing
    missing = {"example": "organisation: is missing", "notice": "hotline: is missing"}[kind]
    assert missing in err


# The Heading 2 sections the README lists for `toolkit import`, with the ways the fee's
# heading is written on published procedures.
README_HEADINGS = {"Trình tự thực hiện": "steps", "Thành phần hồ sơ": "documents",
                   "Thời hạn giải quyết": "processing_time", "Phí/Lệ phí": "fee",
                   "Cơ quan thực hiện": "agency", "Căn cứ pháp lý": "legal_basis",
                   "Cách thức thực hiện": "where"}


def test_the_readme_lists_the_headings_tested_here() -> None:
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    listed = readme.split("Heading 2 sections of a published procedure (")[1].split(")")[0]
    assert listed.split(", ") == list(README_HEADINGS)


@pytest.mark.parametrize("heading, field", [
    *README_HEADINGS.items(),
    ("Phí, lệ phí", "fee"), ("Lệ phí", "fee"), ("Phí", "fee"), ("Phí / Lệ phí", "fee"),
    ("PHÍ, LỆ PHÍ", "fee"), ("4. Phí/Lệ phí:", "fee"), ("Phí và lệ phí", "fee"),
    ("Thành phần, số lượng hồ sơ", "documents"), ("II. Trình tự thực hiện", "steps"),
])
def test_every_heading_fills_its_field(heading: str, field: str) -> None:
    from toolkit.content.word import SECTIONS, heading_key

    assert SECTIONS.get(heading_key(heading)) == field


@pytest.mark.parametrize("heading", ["Phí/Lệ phí", "Phí, lệ phí", "Lệ phí", "Phí"])
def test_the_fee_heading_as_the_readme_writes_it_is_imported(project: Path, run: Run,
                                                             tmp_path: Path,
                                                             heading: str) -> None:
    sections = [(heading if name == "Phí, lệ phí" else name, content)
                for name, content in SECTIONS]
    status, _out, err = imported(project, run, make_docx(tmp_path / "p.docx", sections))
    assert status == 0 and "is not a field" not in err
    text = (project / "content" / "dang-ky-khai-sinh-truc-tuyen.md").read_text(encoding="utf-8")
    assert 'fee: "Miễn lệ phí."' in text


def test_import_says_it_set_publish_to_today(project: Path, run: Run, tmp_path: Path) -> None:
    from datetime import datetime
    from zoneinfo import ZoneInfo

    _status, _out, err = imported(project, run, make_docx(tmp_path / "a.docx", SECTIONS))
    today = datetime.now(ZoneInfo("Asia/Ho_Chi_Minh")).date()
    assert err == (f"a.docx: publish set to today, {today:%d/%m/%Y}: change it if the unit "
                   "should appear on another day (publish: YYYY-MM-DD)\n")
    text = (project / "content" / "dang-ky-khai-sinh-truc-tuyen.md").read_text(encoding="utf-8")
    assert f"\npublish: {today.isoformat()}\n" in text  # the file keeps the ISO date


def test_the_import_notes_in_vietnamese(project: Path, tmp_path: Path) -> None:
    from toolkit import i18n
    from toolkit.commands.import_word import import_word

    i18n.use("vi")
    docx = make_docx(tmp_path / "c.docx", [*SECTIONS, ("Lưu ý", "Mang bản chính.")])
    notes = import_word(project, docx, "procedure", None).notes
    assert notes[0] == ("đoạn 20: đề mục 'Lưu ý' không ứng với trường nào; nội dung của nó "
                        "được đưa vào thân bài")
    assert notes[1].startswith("ngày đăng (publish) được đặt là hôm nay, ")
