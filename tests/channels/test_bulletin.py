"""The bulletin: a week's units in Word and PDF, read back as an officer would."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pypdfium2
import pytest
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Cm

from tests.conftest import EXAMPLE, PROCEDURE, write_unit

Run = Callable[..., tuple[int, str, str]]
WEEK_UNITS = ("Đăng ký khai sinh trực tuyến", "Tổng đài 1022 hỗ trợ người dân")
LATER_UNIT = "Một cửa hiện đại ở phường Tân Phong"


def folder(project: Path, period: str) -> Path:
    return project / "outbox" / "bulletin" / period


def bulletin(run: Run, project: Path, *args: str) -> tuple[int, str, str]:
    return run("bulletin", "--project", str(project), *args)


def test_week_bulletin_holds_that_weeks_units_only(project: Path, run: Run) -> None:
    status, out, err = bulletin(run, project, "--week", "2021-W06")
    assert (status, err) == (0, "")
    # the bulletin, the four feeds and the SMS list that announce it, and the radio: the
    # week's script and its units' three
    assert out.splitlines()[0] == "2021-W06 (08/02/2021 – 14/02/2021): built 10, up to date 0"
    document = Document(folder(project, "2021-W06") / "bulletin-2021-W06.docx")
    texts = [p.text for p in document.paragraphs]
    for title in WEEK_UNITS:
        assert title in texts
    assert LATER_UNIT not in texts
    assert "Số 06, tuần từ 08/02 đến 14/02/2021" in texts


def test_word_file_has_real_headings_a4_and_a_vietnamese_font(project: Path, run: Run) -> None:
    bulletin(run, project, "--week", "2021-W06")
    document = Document(folder(project, "2021-W06") / "bulletin-2021-W06.docx")
    styled = [(p.style.name, p.text) for p in document.paragraphs if p.style.name != "Normal"]
    assert ("Title", "BẢN TIN CẢI CÁCH HÀNH CHÍNH") in styled
    assert ("Heading 1", "Hướng dẫn thủ tục hành chính") in styled
    assert ("Heading 1", "Thông báo") in styled
    assert ("Heading 2", "Đăng ký khai sinh trực tuyến") in styled
    assert ("List Number", "Đăng nhập Cổng dịch vụ công.") in styled
    section = document.sections[0]
    assert (round(section.page_width / Cm(1), 1), round(section.page_height / Cm(1), 1)) == \
        (21.0, 29.7)
    assert document.styles["Normal"].font.name == "Times New Roman"
    for name in ("Title", "Heading 1", "Heading 2"):
        fonts = document.styles[name].element.rPr.rFonts
        assert fonts.get(qn("w:ascii")) == "Times New Roman"
        assert fonts.get(qn("w:asciiTheme")) is None  # a theme font would win
    assert document.inline_shapes, "no QR code picture"


def test_pdf_has_the_same_content(project: Path, run: Run) -> None:
    bulletin(run, project, "--week", "2021-W06")
    pdf = pypdfium2.PdfDocument(folder(project, "2021-W06") / "bulletin-2021-W06.pdf")
    try:
        text = " ".join(" ".join(page.get_textpage().get_text_range() for page in pdf).split())
    finally:
        pdf.close()
    for title in WEEK_UNITS:
        assert title in text
    assert LATER_UNIT not in text


def test_same_units_give_the_same_bytes(project: Path, run: Run) -> None:
    bulletin(run, project, "--week", "2021-W06")
    files = {p.name: p.read_bytes() for p in folder(project, "2021-W06").iterdir()}
    status, out, _ = bulletin(run, project, "--week", "2021-W06", "--force")
    assert status == 0 and "built 10" in out
    assert {p.name: p.read_bytes() for p in folder(project, "2021-W06").iterdir()} == files


def test_a_second_run_is_up_to_date(project: Path, run: Run) -> None:
    bulletin(run, project, "--week", "2021-W06")
    status, out, _ = bulletin(run, project, "--week", "2021-W06")
    assert (status, out.strip()) == (
        0, "2021-W06 (08/02/2021 – 14/02/2021): built 0, up to date 10")


def test_an_empty_week_is_a_message_not_an_empty_file(project: Path, run: Run) -> None:
    status, _out, err = bulletin(run, project, "--week", "2021-W07")
    assert status == 1
    assert "no unit asks for the bulletin in 2021-W07 (15/02/2021 – 21/02/2021)" in err
    assert not folder(project, "2021-W07").exists()


def test_special_edition_covers_its_dates(project: Path, run: Run) -> None:
    status, _out, _ = bulletin(run, project, "--from", "2021-02-01", "--to", "2021-02-28")
    assert status == 0
    document = Document(folder(project, "2021-02-01_2021-02-28") /
                        "bulletin-2021-02-01_2021-02-28.docx")
    texts = [p.text for p in document.paragraphs]
    assert all(t in texts for t in (*WEEK_UNITS, LATER_UNIT))
    assert "Số đặc biệt, từ 01/02 đến 28/02/2021" in texts


def test_a_unit_can_stay_out_of_the_bulletin(project: Path, run: Run) -> None:
    write_unit(project, "tan-phong", EXAMPLE.replace("2021-02-26", "2021-02-10").replace(
        "organisation:", "channels: [rss]\norganisation:"))
    bulletin(run, project, "--week", "2021-W06")
    texts = [p.text for p in Document(folder(project, "2021-W06") /
                                      "bulletin-2021-W06.docx").paragraphs]
    assert LATER_UNIT not in texts


@pytest.mark.parametrize("args, message", [
    (("--week", "2021-06"), "not an ISO week"),
    (("--week", "2021-W60"), "not an ISO week"),
    (("--from", "2021-02-01"), "--from and --to go together"),
    (("--from", "2021-02-10", "--to", "2021-02-01"), "--from first"),
])
def test_bad_periods_are_usage_errors(project: Path, run: Run, args: tuple[str, ...],
                                      message: str) -> None:
    status, _, err = bulletin(run, project, *args)
    assert status == 2 and message in err


def test_the_feed_and_the_sms_list_announce_a_new_bulletin(project: Path, run: Run) -> None:
    import csv
    import io

    import feedparser

    bulletin(run, project, "--week", "2021-W06")
    pdf = folder(project, "2021-W06") / "bulletin-2021-W06.pdf"
    url = "https://dongnai.gov.vn/outbox/bulletin/2021-W06/bulletin-2021-W06.pdf"
    feed = feedparser.parse((project / "outbox" / "rss" / "feed.xml").read_bytes())
    item = next(e for e in feed.entries if e.id == url)
    assert item.title == "Bản tin cải cách hành chính 08/02/2021 – 14/02/2021"
    assert item.enclosures[0].href == url
    assert int(item.enclosures[0].length) == pdf.stat().st_size
    assert item.published == "Sun, 14 Feb 2021 00:00:00 +0700"
    kind_feed = (project / "outbox" / "rss" / "procedure.xml").read_text(encoding="utf-8")
    assert url not in kind_feed
    rows = list(csv.DictReader(io.StringIO(
        (project / "outbox" / "sms" / "messages.csv").read_text(encoding="utf-8"))))
    teaser = next(r for r in rows if r["id"] == "bulletin-2021-W06")
    assert teaser["text"] == ("UBND DNai: Ban tin CCHC tu 08/02 den 14/02/2021 da phat hanh. "
                              "Xem: dongnai.gov.vn/outbox/bulletin/2021-W06/bulletin-2021-W06.pdf")
    assert (teaser["encoding"], teaser["segments"]) == ("GSM-7", "1")


def test_a_teaser_too_long_for_one_sms_takes_the_shorter_pattern(project: Path,
                                                                  run: Run) -> None:
    import csv
    import io

    toml = project / "toolkit.toml"
    long_base = "https://dongnai.gov.vn/" + "a" * 60
    toml.write_text(toml.read_text(encoding="utf-8").replace(
        'base_url = "https://dongnai.gov.vn/outbox"', f'base_url = "{long_base}"'),
        encoding="utf-8")
    bulletin(run, project, "--week", "2021-W06")
    rows = list(csv.DictReader(io.StringIO(
        (project / "outbox" / "sms" / "messages.csv").read_text(encoding="utf-8"))))
    teaser = next(r for r in rows if r["id"] == "bulletin-2021-W06")
    assert teaser["text"].startswith("Ban tin CCHC 08/02-14/02/2021: dongnai.gov.vn/aaa")
    assert teaser["segments"] == "1"


# --- the Word file as a government bulletin (issue 12) ---------------------------------

SECOND_PROCEDURE = PROCEDURE.replace("Đăng ký khai sinh trực tuyến", "Nộp hồ sơ qua bưu điện") \
    .replace("Đăng nhập Cổng dịch vụ công.", "Mang hồ sơ đến bưu cục.") \
    .replace("2021-02-09", "2021-02-10")


def word_file(project: Path, run: Run) -> Document:
    write_unit(project, "buu-dien", SECOND_PROCEDURE)
    status, _out, err = bulletin(run, project, "--week", "2021-W06")
    assert (status, err) == (0, "")
    return Document(folder(project, "2021-W06") / "bulletin-2021-W06.docx")


def test_each_procedures_steps_are_a_list_of_their_own_from_1(project: Path, run: Run) -> None:
    document = word_file(project, run)
    numbering = document.part.numbering_part.element
    lists: dict[int, list[str]] = {}
    for paragraph in document.paragraphs:
        if paragraph.style.name == "List Number":
            num_id = paragraph._p.pPr.numPr.numId.val
            lists.setdefault(num_id, []).append(paragraph.text)
    assert list(lists.values()) == [
        ["Đăng nhập Cổng dịch vụ công.", "Điền tờ khai, tải giấy chứng sinh."],
        ["Mang hồ sơ đến bưu cục.", "Điền tờ khai, tải giấy chứng sinh."]]
    for num_id in lists:
        num = numbering.num_having_numId(num_id)
        assert num.xpath("./w:lvlOverride[@w:ilvl='0']/w:startOverride/@w:val") == ["1"]


def test_every_style_is_vietnamese(project: Path, run: Run) -> None:
    styles = word_file(project, run).styles.element
    defaults = styles.xpath("./w:docDefaults//w:lang/@w:val")
    per_style = styles.xpath("./w:style[@w:type!='numbering']/w:rPr/w:lang/@w:val")
    assert defaults == ["vi-VN"]
    assert set(per_style) == {"vi-VN"}
    assert len(per_style) == len(styles.xpath("./w:style[@w:type!='numbering']"))
    assert "en-US" not in styles.xml


def test_headings_are_on_a_scale_in_the_brand_colour(project: Path, run: Run) -> None:
    styles = word_file(project, run).styles
    sizes = [styles[name].font.size.pt for name in ("Title", "Heading 1", "Heading 2", "Normal")]
    assert sizes == sorted(sizes, reverse=True) and len(set(sizes)) == 4
    for name in ("Title", "Heading 1", "Heading 2"):
        assert str(styles[name].font.color.rgb) == "0B5CAD"
        assert not styles[name].element.xpath(".//@w:themeColor")  # Word's theme blue


def test_pages_are_numbered_and_headed(project: Path, run: Run) -> None:
    section = word_file(project, run).sections[0]
    footer = section.footer.paragraphs[0]._p
    assert "".join(footer.xpath(".//w:t/text()")) == \
        "Ủy ban nhân dân tỉnh Đồng NaiTrang 1/1"  # the shown values of the two fields
    assert section.footer.paragraphs[0].text.startswith("Ủy ban nhân dân tỉnh Đồng Nai\tTrang ")
    assert [i.strip() for i in footer.xpath(".//w:instrText/text()")] == ["PAGE", "NUMPAGES"]
    assert section.different_first_page_header_footer  # the masthead heads page 1
    assert section.header.paragraphs[0].text == \
        "BẢN TIN CẢI CÁCH HÀNH CHÍNH\tSố 06, tuần từ 08/02 đến 14/02/2021"


def test_a_qr_code_keeps_its_link_and_the_line_before(project: Path, run: Run) -> None:
    paragraphs = word_file(project, run).paragraphs
    pictures = [i for i, p in enumerate(paragraphs) if p._p.xpath(".//w:drawing")]
    assert len(pictures) == 3
    for i in pictures:
        assert paragraphs[i].text.startswith("Xem chi tiết: ")  # the link, then the QR
        assert paragraphs[i].paragraph_format.keep_together
        assert paragraphs[i - 1].paragraph_format.keep_with_next


def test_the_masthead_has_the_logo_when_one_is_set(project: Path, run: Run) -> None:
    from PIL import Image

    Image.new("RGB", (120, 150), (200, 30, 30)).save(project / "quoc-huy.png")
    toml = project / "toolkit.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace('logo = ""', 'logo = "quoc-huy.png"'),
                    encoding="utf-8")
    document = word_file(project, run)
    first = document.paragraphs[0]
    assert first._p.xpath(".//w:drawing") and first.alignment == 1  # centred
    assert document.paragraphs[1].text == "ỦY BAN NHÂN DÂN TỈNH ĐỒNG NAI"
    pdf = pypdfium2.PdfDocument(folder(project, "2021-W06") / "bulletin-2021-W06.pdf")
    try:
        assert any(o.type == pypdfium2.raw.FPDF_PAGEOBJ_IMAGE for o in pdf[0].get_objects())
    finally:
        pdf.close()


def test_a_logo_that_is_not_a_picture_is_a_problem_on_the_setting(project: Path,
                                                                   run: Run) -> None:
    (project / "logo.png").write_text("not a picture", encoding="utf-8")
    toml = project / "toolkit.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace('logo = ""', 'logo = "logo.png"'),
                    encoding="utf-8")
    status, _out, err = bulletin(run, project, "--week", "2021-W06")
    assert status == 1 and "brand.logo" in err and "not a picture" in err
