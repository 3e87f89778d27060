"""Vietnamese typography for print (toolkit/render/typeset.py): ties, and balanced titles,
checked with ReportLab and Be Vietnam Pro as the leaflet sets them."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import yaml
from reportlab.lib.colors import black
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import getFont, stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Paragraph

from toolkit.render.flow import Face, escape, stack
from toolkit.render.fonts import font_file, pdf_family, pdf_font
from toolkit.render.markdown import body_blocks
from toolkit.render.typeset import (
    LONGEST_RUN,
    NBSP,
    SYLLABLE_SAFE,
    Balanced,
    balanced,
    balanced_width,
    has_lone_word,
    tie,
    within,
)

CONTENT = Path(__file__).parents[2] / "content"
COLUMN = 85 * 72 / 25.4  # a leaflet panel's text column, 85 mm, in points
BIRTH_TITLE = "Đăng ký khai sinh trực tuyến, nhận giấy khai sinh tại nhà"
HOTLINE_SENTENCE = ("Cần hỗ trợ, xin gọi <b>Tổng đài Dịch vụ công (0251) 1022</b> hoặc hỏi "
                    "trực tiếp tại Bộ phận Một cửa UBND xã, phường, thị trấn.")


@pytest.fixture(scope="module")
def body() -> Face:
    """The leaflet's body face: Be Vietnam Pro Regular (with its bold and italic), 10.5 pt."""
    here = Path(__file__).parent
    family = pdf_family(font_file("BeVietnamPro-Regular.ttf", here),
                        font_file("BeVietnamPro-Bold.ttf", here),
                        font_file("BeVietnamPro-Italic.ttf", here))
    return Face(family, 10.5, black)


@pytest.fixture(scope="module")
def title() -> Face:
    """The cover title's face: Be Vietnam Pro ExtraBold, 26 pt."""
    return Face(pdf_font(font_file("BeVietnamPro-ExtraBold.ttf", Path(__file__).parent)), 26,
                black, 1.12)


def safe(face: Face) -> ParagraphStyle:
    """The face's paragraph style with the settings that keep syllables whole."""
    return ParagraphStyle("safe", parent=face.style(), **SYLLABLE_SAFE)


def lines(paragraph: Paragraph) -> list[str]:
    """The lines of a wrapped paragraph, as text (no-break spaces kept)."""
    block = paragraph.blPara
    if block.kind == 0:
        return [" ".join(words) for _, words in block.lines]
    return ["".join(frag.text for frag in line.words).strip() for line in block.lines]


def set_in(markup: str, style: ParagraphStyle, width: float) -> list[str]:
    paragraph = Paragraph(markup, style)
    paragraph.wrap(width, 1e6)
    return lines(paragraph)


def shown(markup: str) -> str:
    """Ties made visible, for readable assertions."""
    return markup.replace(NBSP, "⍽")


def sample_texts() -> Iterator[str]:
    """Every text of the sample content a leaflet sets, as markup: titles, summaries, fields,
    list items and the paragraphs of the bodies."""
    skipped = {"id", "kind", "publish", "expires", "link", "sms", "tags", "channels", "audience",
               "online", "hotline"}
    for path in sorted(CONTENT.glob("*.md")):
        _, front, body = path.read_text(encoding="utf-8").split("---", 2)
        for name, value in yaml.safe_load(front).items():
            if name in skipped:
                continue
            for text in value if isinstance(value, list) else [value]:
                if isinstance(text, str):
                    yield escape(text)
        yield from (block.markup for block in body_blocks(body))


SAMPLE = list(sample_texts())


# --- what ReportLab does with spaces and words ------------------------------------------


def test_be_vietnam_pro_draws_a_no_break_space_as_its_space(body: Face, title: Face) -> None:
    for font in (body.font, title.font):
        face = getFont(font).face
        assert face.charToGlyph.get(0xA0) == face.charToGlyph[0x20] != 0
        assert stringWidth(NBSP, font, 10) == stringWidth(" ", font, 10)


def test_a_no_break_space_is_no_place_to_break_a_line(body: Face) -> None:
    for markup in ("gọi (0251)\xa01022 ngay", "gọi <b>(0251)\xa01022</b> ngay",
                   "gọi (0251)\xa0<b>1022</b> ngay", "trong <b>60</b>\xa0ngày kể từ"):
        for width in range(20, 160, 3):
            text = " ".join(set_in(markup, safe(body), width))
            assert "(0251)\xa01022" in text or "60\xa0ngày" in text, (markup, width)


def test_reportlab_defaults_would_cut_a_syllable(body: Face) -> None:
    """Why SYLLABLE_SAFE: left to its defaults (splitLongWords), ReportLab cuts a word wider
    than the column between two letters ("Tổn" / "g")."""
    defaults = ParagraphStyle("defaults", fontName=body.font, fontSize=body.size)
    text = "gọi Tổng đài ngay"
    cut = set_in(text, defaults, 15)
    assert not set(" ".join(cut).split()) <= set(text.split(" "))


def test_no_syllable_is_ever_split(body: Face) -> None:
    """With SYLLABLE_SAFE, every line is made of whole words (syllables, and runs tied by
    no-break spaces) at any width, even narrower than a syllable; no hyphen is added and
    NĐ-CP, URLs and dashes are never broken."""
    texts = [tie(text) for text in SAMPLE if len(text) > 60][:12]
    texts.append("Nghị định số 123/2015/NĐ-CP, xem https://dichvucong.dongnai.gov.vn/thu-tuc-hanh-"
                 "chinh hoặc tư pháp-hộ tịch")
    for markup in texts:
        paragraph = Paragraph(markup, safe(body))
        words = re.sub(r"<[^>]+>", "", markup).replace("&amp;", "&").split()
        for width in range(8, 300, 7):
            paragraph.wrap(width, 1e6)
            assert " ".join(lines(paragraph)).split() == words, (markup, width)


# --- tie: the rules ---------------------------------------------------------------------


@pytest.mark.parametrize(("text", "tied"), [
    # phone numbers (the hotline as the sample content writes it, and other shapes)
    ("Cần hỗ trợ, gọi <b>(0251) 1022</b>.", "<b>(0251)⍽1022</b>."),
    ("Hỏi nghiệp vụ qua Tổng đài (0251) 1022", "(0251)⍽1022"),
    ("gọi 0251 3822 111 hoặc đến trực tiếp", "0251⍽3822⍽111"),
    ("gọi 1900 1234 hoặc đến trực tiếp", "1900⍽1234"),
    ("gọi (028) 3822 1111 hoặc đến", "(028)⍽3822⍽1111"),
    ("gọi +84 251 3822 111 hoặc đến", "+84⍽251⍽3822⍽111"),
    # a number and its unit or what it counts
    ("trong thời hạn <b>60 ngày</b> kể từ ngày sinh con", "<b>60⍽ngày</b>"),
    ("giảm từ khoảng 30 phút xuống dưới 15 phút", "30⍽phút"),
    ("kết quả trong 3 ngày làm việc kể từ khi nhận", "3⍽ngày làm"),
    ("Lệ phí cấp giấy phép lái xe 135.000 đồng/lần; cước bưu chính", "135.000⍽đồng/lần;"),
    ("phí 50.000 đồng một lần", "50.000⍽đồng"),
    ("giảm 20 % thời gian chờ", "20⍽%"),
    ("khổ giấy lề 3 mm mỗi cạnh", "3⍽mm"),
    ("chờ khoảng 2 giờ là có", "2⍽giờ"),
    ("Hơn 98% hồ sơ năm 2020 được giải quyết đúng hạn", "98%⍽hồ⍽sơ"),
    ("Hơn 300 hồ sơ được nhận không theo nơi cư trú", "300⍽hồ⍽sơ"),
    # a word that introduces a number
    ("Nghị định số 123/2015/NĐ-CP quy định chi tiết", "số⍽123/2015/NĐ-CP"),
    ("theo Điều 5 và Khoản 2 của luật", "Điều⍽5 và Khoản⍽2"),
    ("Luật Hộ tịch năm 2014", "năm⍽2014"),
    ("Các lớp tổ chức trong tháng 3/2021, theo lịch", "tháng⍽3/2021,"),
    ("Kế hoạch số 1376/KH-UBND ngày 04/02/2021 về", "số⍽1376/KH-UBND ngày⍽04/02/2021"),
    ("chọn loại phiếu (số 1 hoặc số 2) và số bản", "(số⍽1 hoặc số⍽2)"),
    ("theo điểm a khoản 1 Điều 5", "điểm⍽a khoản⍽1 Điều⍽5"),
    # abbreviations, committees and places
    ("UBND phường Tân Phong, TP. Biên Hòa", "UBND⍽phường Tân⍽Phong, TP.⍽Biên⍽Hòa"),
    ("Người dân TP. Long Khánh có thể nộp hồ sơ", "TP.⍽Long⍽Khánh"),
    ("trụ sở tại Q. 1 và P. Tân Phong", "Q.⍽1 và P.⍽Tân⍽Phong"),
    ("không phải xếp hàng tại UBND cấp xã nơi cư trú", "UBND⍽cấp⍽xã"),
    ("UBND tỉnh Đồng Nai tiếp tục khảo sát", "UBND⍽tỉnh Đồng⍽Nai"),
    ("Bộ phận Một cửa UBND huyện Nhơn Trạch mở tài khoản", "UBND⍽huyện Nhơn⍽Trạch"),
    ("Lệ phí theo Nghị quyết của HĐND tỉnh; xem mức cụ thể", "HĐND⍽tỉnh;"),
    ("Phường Tân Phong, thành phố Biên Hòa, tỉnh Đồng Nai", "thành phố Biên⍽Hòa, tỉnh Đồng⍽Nai"),
    ("Nhơn Trạch: tra cứu hồ sơ qua Zalo và máy tra cứu tự động", "Nhơn⍽Trạch: tra"),
    # the last word of a paragraph, list item or line
    (BIRTH_TITLE, "giấy khai sinh tại⍽nhà"),
    ("Tờ khai đăng ký khai sinh theo mẫu (điền trực tuyến).", "(điền trực⍽tuyến)."),
    ("Giấy chứng nhận kết hôn của cha mẹ, nếu có.", "nếu⍽có."),
    ("dòng một hết ở đây<br/>dòng hai cũng vậy", "ở⍽đây<br/>dòng hai cũng⍽vậy"),
])
def test_tie_rules(text: str, tied: str) -> None:
    assert tied in shown(tie(text))


@pytest.mark.parametrize(("text", "free"), [
    # an institution's name with capitals is no sure name: "Dịch vụ" must stay together
    ("nộp hồ sơ qua Cổng Dịch vụ công quốc gia ngay hôm nay", "Cổng Dịch vụ công quốc"),
    ("trụ sở Sở Giao thông vận tải hay Trung tâm Hành chính công tỉnh", "Sở Giao thông vận"),
    ("Gọi Tổng đài (0251) 1022 để góp ý", "Gọi Tổng đài"),
    # ông/bà is one word already; an honorific before a name is left alone
    ("ông/bà có thể nộp hồ sơ qua mạng ngay", "ông/bà có thể"),
    ("Bà con được hướng dẫn tận nơi ngay", "Bà con được"),
    # a long last word stands alone on its line if it must (a long word fills one)
    ("theo Nghị định số 45/2020/NĐ-CP", "định số"),
    # a dotted phone number has no space to tie
    ("gọi 0251.3822.111 hoặc đến", "gọi 0251.3822.111 hoặc"),
    # numbers that are no phone number, before words that are no unit
    ("từ 2020 đến 2021 chưa đổi mẫu đơn", "từ 2020 đến 2021 chưa"),
    ("mã 0251 hoặc mã 1022 trên giấy biên nhận", "mã 0251 hoặc mã 1022 trên"),
])
def test_tie_leaves_these_spaces(text: str, free: str) -> None:
    assert free in tie(text)


def test_tie_never_glues_an_address_to_a_word() -> None:
    for text in ("Gửi phản ánh trên Cổng Dịch vụ công quốc gia (dichvucong.gov.vn)",
                 "xem tại dvc.vn",
                 "xem https://dichvucong.dongnai.gov.vn ngay",
                 "số 5 www.dongnai.gov.vn 60 ngày"):
        tied = tie(text)
        for word in re.finditer(r"\S+", tied.replace(NBSP, " ")):
            if "." in word.group() and re.search(r"\.[a-z]{2,}", word.group()):
                assert NBSP not in tied[max(0, word.start() - 1):word.end() + 1], text


def test_tie_works_across_tags_and_leaves_tags_and_entities_alone() -> None:
    assert shown(tie("trong <b>3</b> ngày làm việc")) == "trong <b>3</b>⍽ngày làm⍽việc"
    assert shown(tie("Hỏi <i>Tổng đài</i> (0251) <b>1022</b>")) == \
        "Hỏi <i>Tổng đài</i> (0251)⍽<b>1022</b>"
    assert tie('<font name="Be Vietnam Pro" size="9">hồ sơ 60 ngày</font>') == \
        '<font name="Be Vietnam Pro" size="9">hồ sơ 60\xa0ngày</font>'
    assert shown(tie("Bưu điện &amp; Văn hóa xã &#32;60 ngày")) == \
        "Bưu điện &amp; Văn hóa xã &#32;60⍽ngày"
    assert shown(tie("a &lt;b&gt; c 5 ngày")) == "a &lt;b&gt; c 5⍽ngày"


def test_tie_only_turns_spaces_into_no_break_spaces() -> None:
    for text in SAMPLE:
        tied = tie(text)
        assert tied.replace(NBSP, " ") == text
        assert re.findall(r"<[^>]*>|&\w+;", tied) == re.findall(r"<[^>]*>|&\w+;", text)
        assert unicodedata.is_normalized("NFC", tied)


def test_tie_is_idempotent() -> None:
    for text in [*SAMPLE, *(tie(text, within_chars(n)) for text in SAMPLE[:20] for n in (8, 12))]:
        once = tie(text)
        assert tie(once) == once, shown(once)


def within_chars(n: int) -> Callable[[str], bool]:
    """A limit on tied runs of `n` characters."""
    return lambda run: len(run) <= n


def test_tie_keeps_existing_no_break_spaces_and_makes_text_nfc() -> None:
    assert tie("a\xa0b c d e f g h i") == "a\xa0b c d e f g h\xa0i"
    decomposed = unicodedata.normalize("NFD", BIRTH_TITLE)
    assert tie(decomposed) == tie(BIRTH_TITLE)


def test_the_sample_content_gets_its_ties() -> None:
    tied = "\n".join(shown(tie(text)) for text in SAMPLE)
    for expected in ("(0251)⍽1022", "<b>60⍽ngày</b>", "số⍽123/2015/NĐ-CP", "TP.⍽Biên⍽Hòa",
                     "UBND⍽cấp⍽xã", "135.000⍽đồng/lần;", "năm⍽2014"):
        assert expected in tied
    assert "(0251) 1022" not in tied


# --- tie: no run wider than its column --------------------------------------------------


def runs(markup: str) -> list[str]:
    """The runs of words a line cannot break (tied by no-break spaces)."""
    return re.sub(r"<[^>]*>", "", markup).split(" ")


def test_no_tied_run_is_longer_than_the_limit() -> None:
    for text in SAMPLE:
        before = max(len(run) for run in runs(text))
        assert max(len(run) for run in runs(tie(text))) <= max(LONGEST_RUN, before)
    tied = tie("theo Nghị định số 123/2015/NĐ-CP", within_chars(12))
    assert "định số 123" in tied  # "số 123/2015/NĐ-CP" would be 17 characters


def test_measured_ties_keep_every_run_inside_a_title_column(title: Face) -> None:
    """In 26 pt type, "số 123/2015/NĐ-CP" is wider than a leaflet column: `within` leaves it
    breakable, so nothing sticks out that did not already."""
    style = safe(title)
    assert stringWidth("số 123/2015/NĐ-CP", title.font, title.size) > COLUMN
    assert "số 123" in tie("Nghị định số 123/2015/NĐ-CP", within(title, COLUMN))
    for text in SAMPLE:
        widest = Paragraph(tie(text, within(title, COLUMN)), style).minWidth()
        assert widest <= max(COLUMN, Paragraph(text, style).minWidth()) + 0.01, text


def test_within_measures_in_the_bold_of_the_family(body: Face) -> None:
    run = "Tổng đài 1022"
    regular = stringWidth(run, body.font, body.size)
    assert within(body, regular + 0.01)(run) is False  # the bold is wider
    assert within(body, regular * 1.2)(run) is True


def test_the_hotline_never_breaks_at_any_width(body: Face) -> None:
    markup = tie(HOTLINE_SENTENCE)
    for width in range(40, 201):
        text = "\n".join(set_in(markup, safe(body), width))
        assert "(0251)\xa01022" in text, width


# --- balanced titles ---------------------------------------------------------------------


def test_a_balanced_title_has_no_last_line_of_one_word(title: Face) -> None:
    plain = set_in(escape(BIRTH_TITLE), safe(title), COLUMN)
    assert len(plain[-1].split()) == 1  # "nhà", the fault issue 12 names
    flow = balanced(escape(BIRTH_TITLE), title, COLUMN)
    flow.wrap(COLUMN, 1e6)
    set_lines = lines(flow)
    assert len(set_lines) == len(plain)
    assert len(set_lines[-1].replace(NBSP, " ").split()) > 1
    assert [shown(line) for line in set_lines] == \
        ["Đăng ký khai", "sinh trực tuyến,", "nhận giấy khai", "sinh tại⍽nhà"]


def test_balanced_lines_are_even_and_in_as_many_lines(title: Face) -> None:
    titles = [
        BIRTH_TITLE,
        "Cấp đổi giấy phép lái xe trực tuyến, nhận bằng mới qua bưu điện",
        "Xin phiếu lý lịch tư pháp trực tuyến, nhận kết quả qua bưu điện",
        "Tập huấn công chức một cửa về tiếp nhận hồ sơ trực tuyến",
        "Nộp hồ sơ và nhận kết quả thủ tục hành chính qua bưu điện"]
    for text in titles:
        plain = Paragraph(escape(text), safe(title))
        plain.wrap(COLUMN, 1e6)
        flow = balanced(escape(text), title, COLUMN)
        assert flow.wrap(COLUMN, 1e6) == (COLUMN, plain.height)
        widths = flow.getActualLineWidths0()
        before = plain.getActualLineWidths0()
        assert max(widths) - min(widths) < max(before) - min(before), text


def test_balanced_width_is_the_narrowest_to_a_point(title: Face) -> None:
    paragraph = Paragraph(tie(escape(BIRTH_TITLE)), safe(title))
    narrowest = balanced_width(paragraph, COLUMN)
    assert narrowest < COLUMN - 20

    def count(width: float) -> int:
        paragraph.wrap(width, 1e6)
        return len(paragraph.blPara.lines)

    assert count(narrowest) == count(COLUMN)
    assert count(narrowest - 1.0) > count(COLUMN)


def test_a_title_of_one_line_keeps_the_column(title: Face) -> None:
    paragraph = Paragraph("Tân Phú", safe(title))
    assert balanced_width(paragraph, COLUMN) == COLUMN
    flow = balanced("Tân Phú", title, COLUMN)
    flow.wrap(COLUMN, 1e6)
    assert (flow.style.leftIndent, flow.style.rightIndent) == (0, 0)


def test_the_room_a_balanced_title_leaves_goes_where_its_alignment_says(title: Face) -> None:
    left = balanced(escape(BIRTH_TITLE), title, COLUMN)
    left.wrap(COLUMN, 1e6)
    assert left.style.leftIndent == 0 < left.style.rightIndent
    centred = balanced(escape(BIRTH_TITLE), Face(title.font, 26, black, 1.12, True), COLUMN)
    centred.wrap(COLUMN, 1e6)
    assert centred.style.leftIndent == pytest.approx(centred.style.rightIndent)
    assert centred.style.leftIndent == pytest.approx(left.style.rightIndent / 2)


def test_a_balanced_title_rewraps_at_each_width_and_stacks(title: Face) -> None:
    flow = balanced(escape(BIRTH_TITLE), title, COLUMN)
    assert isinstance(flow, Balanced) and isinstance(flow, Paragraph)
    flow.wrap(400, 1e6)
    wide = lines(flow)
    flow.wrap(COLUMN, 1e6)
    assert lines(flow) != wide and len(lines(flow)) == 4
    column = stack([flow], COLUMN)
    assert column.widest == COLUMN
    canvas = Canvas("/dev/null")
    column.draw(canvas, 0, 500)


def test_balancing_costs_a_few_wraps(title: Face, monkeypatch: pytest.MonkeyPatch) -> None:
    """A leaflet renders in about 13 ms: a title may cost about ten wraps, no more."""
    wraps = 0
    original = Paragraph.wrap

    def counted(self: Paragraph, width: float, height: float) -> tuple[float, float]:
        nonlocal wraps
        wraps += 1
        return original(self, width, height)

    monkeypatch.setattr(Paragraph, "wrap", counted)
    for text in (BIRTH_TITLE, "Tổng đài Dịch vụ công (0251) 1022: một số gọi, giải đáp mọi "
                 "thủ tục", "Long Khánh thí điểm nhận hồ sơ không phụ thuộc địa giới hành chính"):
        wraps = 0
        balanced(escape(text), title, COLUMN).wrap(COLUMN, 1e6)
        assert wraps <= 11, (text, wraps)


def test_a_lone_word_on_a_line_is_told(title: Face) -> None:
    """At 26 pt, "Phường Tân Phong:" (tied) is wider than the column and "Phường" stands
    alone; a point or two smaller it does not, and a title fitter can step down for it."""
    text = escape("Phường Tân Phong: Bộ phận Một cửa hiện đại, người dân chờ ít hơn")
    large = balanced(text, title, COLUMN)
    large.wrap(COLUMN, 1e6)
    assert lines(large)[0] == "Phường" and has_lone_word(large)
    smaller = balanced(text, Face(title.font, 24, black, 1.12), COLUMN)
    smaller.wrap(COLUMN, 1e6)
    assert shown(lines(smaller)[0]) == "Phường Tân⍽Phong:" and not has_lone_word(smaller)
    marked = Paragraph("<b>Zalo</b> và <i>máy tra cứu</i> tự động", safe(title))
    marked.wrap(60, 1e6)
    assert has_lone_word(marked)
    marked.wrap(COLUMN * 3, 1e6)
    assert not has_lone_word(marked)  # one line: a short title is no fault
