"""The spoken register: a table of what commune announcers read, as they say it.

The inputs are written as loudspeaker notices, the units of the sample and the
documents they cite write them (a hotline, an appointment's date and time, a fee,
a legal basis, a web address); the expected text is what an announcer reads aloud.
Choices a region makes otherwise are said once here: "nghìn" and "linh" by default
(the official forms; "ngàn" and "lẻ" where the template says so), "hai mươi tư",
"tháng tư", a day without "mùng", 8h30 as "tám giờ ba mươi phút", a legal document
as the news says it ("số bốn mươi lăm năm hai nghìn không trăm hai mươi của Chính
phủ"), ".gov.vn" as "chấm gốp chấm vê en".
"""

from __future__ import annotations

import unicodedata

import pytest

from toolkit.spoken.numbers import Numbers, cardinal, digits
from toolkit.spoken.verbalise import reading_seconds, sentences, spoken, unsaid

HOTLINE = ("1022",)  # the sample's hotline: alone it looks like a count

TABLE: list[tuple[str, str]] = [
    # -- the examples --------------------------------------------------------------
    ("Gọi 1022 để được hướng dẫn.", "Gọi một không hai hai để được hướng dẫn."),
    ("Ngày 15/03/2021, UBND xã tổ chức cấp CCCD.",
     "Ngày mười lăm tháng ba năm hai nghìn không trăm hai mươi mốt, Ủy ban nhân dân xã tổ "
     "chức cấp căn cước công dân."),
    ("Lệ phí 50.000 đồng.", "Lệ phí năm mươi nghìn đồng."),
    # -- phone numbers: digit by digit, in their groups ------------------------------------
    ("Tổng đài Dịch vụ công (0251) 1022",
     "Tổng đài Dịch vụ công không hai năm một, một không hai hai"),
    ("Điện thoại: 0251 3822 123.", "Điện thoại: không hai năm một, ba tám hai hai, một hai ba."),
    ("Đường dây nóng 1900 1234.", "Đường dây nóng một chín không không, một hai ba bốn."),
    ("Liên hệ đồng chí Trưởng ấp, số điện thoại 0912.345.678.",
     "Liên hệ đồng chí Trưởng ấp, số điện thoại không chín một hai, ba bốn năm, sáu bảy tám."),
    ("Gọi 0912345678 để hẹn lịch.", "Gọi không chín một hai, ba bốn năm, sáu bảy tám để hẹn lịch."),
    ("Tổng đài 1022 hỗ trợ người dân.", "Tổng đài một không hai hai hỗ trợ người dân."),
    ("Hotline: 1800 1096.", "Hotline: một tám không không, một không chín sáu."),
    ("Tổng đài hỗ trợ 24/7.", "Tổng đài hỗ trợ hai mươi tư trên bảy."),
    # -- dates and months ------------------------------------------------------------------
    ("Từ 15/03/2021, người dân nộp hồ sơ trực tuyến.",
     "Từ ngày mười lăm tháng ba năm hai nghìn không trăm hai mươi mốt, người dân nộp hồ sơ "
     "trực tuyến."),
    ("đến hết ngày 31/12/2021", "đến hết ngày ba mươi mốt tháng mười hai năm hai nghìn không "
     "trăm hai mươi mốt"),
    ("Kế hoạch số 1376/KH-UBND ngày 04/02/2021",
     "Kế hoạch số một nghìn ba trăm bảy mươi sáu ngày bốn tháng hai năm hai nghìn không trăm "
     "hai mươi mốt"),
    ("bắt đầu từ ngày 15/3", "bắt đầu từ ngày mười lăm tháng ba"),
    ("tiêm chủng vào sáng 4/4", "tiêm chủng vào sáng ngày bốn tháng tư"),
    ("Các lớp tổ chức trong tháng 3/2021.",
     "Các lớp tổ chức trong tháng ba năm hai nghìn không trăm hai mươi mốt."),
    ("Tháng 4 hằng năm", "Tháng tư hằng năm"),
    ("Luật Hộ tịch năm 2014", "Luật Hộ tịch năm hai nghìn không trăm mười bốn"),
    ("năm 2005", "năm hai nghìn không trăm linh năm"),
    ("tuần từ 08/02 - 14/02/2021", "tuần từ ngày tám tháng hai đến ngày mười bốn tháng hai năm "
     "hai nghìn không trăm hai mươi mốt"),
    ("từ 15/03/2021 - 20/03/2021", "từ ngày mười lăm tháng ba năm hai nghìn không trăm hai mươi "
     "mốt đến ngày hai mươi tháng ba năm hai nghìn không trăm hai mươi mốt"),
    ("ngày 01/01/2022", "ngày một tháng một năm hai nghìn không trăm hai mươi hai"),
    # -- times -----------------------------------------------------------------------------
    ("Khai mạc lúc 7h00 ngày 23/5/2021 (chủ nhật).",
     "Khai mạc lúc bảy giờ ngày hai mươi ba tháng năm năm hai nghìn không trăm hai mươi mốt, "
     "chủ nhật."),
    ("Tiếp dân từ 8h30 đến 11h", "Tiếp dân từ tám giờ ba mươi phút đến mười một giờ"),
    ("Làm việc từ 08:00 đến 17:00.", "Làm việc từ tám giờ đến mười bảy giờ."),
    ("Họp lúc 7 giờ 30 sáng thứ Hai", "Họp lúc bảy giờ ba mươi sáng thứ Hai"),
    ("Buổi chiều từ 13h30 - 16h30.", "Buổi chiều từ mười ba giờ ba mươi phút đến mười sáu giờ ba "
     "mươi phút."),
    ("bắt đầu từ 07h00 ngày 23/5/2021",
     "bắt đầu từ bảy giờ ngày hai mươi ba tháng năm năm hai nghìn không trăm hai mươi mốt"),
    # -- ranges ----------------------------------------------------------------------------
    ("Kết quả trong 7-10 ngày làm việc.", "Kết quả trong bảy đến mười ngày làm việc."),
    ("Từ thứ 2 đến thứ 6 hằng tuần.", "Từ thứ hai đến thứ sáu hằng tuần."),
    ("Làm việc từ thứ 2-thứ 7.", "Làm việc từ thứ hai đến thứ bảy."),
    ("giai đoạn 2021-2025", "giai đoạn hai nghìn không trăm hai mươi mốt đến hai nghìn không "
     "trăm hai mươi lăm"),
    ("nhiệm kỳ 2021 - 2026", "nhiệm kỳ hai nghìn không trăm hai mươi mốt đến hai nghìn không "
     "trăm hai mươi sáu"),
    # -- money -----------------------------------------------------------------------------
    ("Lệ phí 135.000 đồng/lần.", "Lệ phí một trăm ba mươi lăm nghìn đồng một lần."),
    ("Phí cấp bản sao 50.000đ.", "Phí cấp bản sao năm mươi nghìn đồng."),
    ("Mức phí 50.000 VNĐ", "Mức phí năm mươi nghìn đồng"),
    ("hỗ trợ 1,5 triệu đồng mỗi hộ", "hỗ trợ một phẩy năm triệu đồng mỗi hộ"),
    ("200.000 đồng/lần; sinh viên 100.000 đồng/lần",
     "Hai trăm nghìn đồng một lần; sinh viên một trăm nghìn đồng một lần"),
    ("Tổng kinh phí 2.500.000.000 đồng.", "Tổng kinh phí hai tỷ năm trăm triệu đồng."),
    ("mức phạt từ 1.000.000 đến 2.000.000 đồng",
     "mức phạt từ một triệu đến hai triệu đồng"),
    # -- counts, decimals, percentages -----------------------------------------------------
    ("Hơn 98% hồ sơ được giải quyết đúng hạn.",
     "Hơn chín mươi tám phần trăm hồ sơ được giải quyết đúng hạn."),
    ("tỷ lệ hộ nghèo còn 2,5%", "tỷ lệ hộ nghèo còn hai phẩy năm phần trăm"),
    ("Không quá 05 ngày làm việc", "Không quá năm ngày làm việc"),
    ("trong thời hạn 60 ngày kể từ ngày sinh", "trong thời hạn sáu mươi ngày kể từ ngày sinh"),
    ("Hơn 300 hồ sơ", "Hơn ba trăm hồ sơ"),
    ("có 105 hộ đăng ký", "có một trăm linh năm hộ đăng ký"),
    ("trong 24 giờ", "trong hai mươi tư giờ"),
    ("toàn xã có 1.234 hộ", "toàn xã có một nghìn hai trăm ba mươi tư hộ"),
    ("tiếp nhận 21 hồ sơ", "tiếp nhận hai mươi mốt hồ sơ"),
    ("giảm 15 phút", "giảm mười lăm phút"),
    ("Cách mạng công nghiệp 4.0", "Cách mạng công nghiệp bốn chấm không"),
    # -- units -----------------------------------------------------------------------------
    ("diện tích 2,5 ha", "diện tích hai phẩy năm héc ta"),
    ("cách trung tâm xã 15 km", "cách trung tâm xã mười lăm ki lô mét"),
    ("thửa đất 120 m²", "thửa đất một trăm hai mươi mét vuông"),
    ("mỗi suất 10kg gạo", "mỗi suất mười ki lô gam gạo"),
    ("chạy quá 50 km/h", "chạy quá năm mươi ki lô mét một giờ"),
    ("nộp 02 ảnh 3x4", "nộp hai ảnh ba nhân bốn"),
    # -- ordinals and numbered things ------------------------------------------------------
    ("lần thứ 4", "lần thứ tư"),
    ("lần thứ 1", "lần thứ nhất"),
    ("Quý I năm 2021", "Quý một năm hai nghìn không trăm hai mươi mốt"),
    ("đại biểu Quốc hội khóa XV", "đại biểu Quốc hội khóa mười lăm"),
    ("không áp dụng với hạng A1, A2, A3", "không áp dụng với hạng a một, a hai, a ba"),
    ("chọn Phiếu số 1 hoặc số 2", "chọn Phiếu số một hoặc số hai"),
    ("phòng chống dịch Covid-19", "phòng chống dịch Covid mười chín"),
    # -- legal documents, as the news says them --------------------------------------------
    ("theo Nghị định số 45/2020/NĐ-CP về thủ tục hành chính",
     "theo Nghị định số bốn mươi lăm năm hai nghìn không trăm hai mươi của Chính phủ về thủ tục "
     "hành chính"),
    ("Thông tư số 12/2017/TT-BGTVT", "Thông tư số mười hai năm hai nghìn không trăm mười bảy của "
     "Bộ Giao thông vận tải"),
    ("Quyết định số 45/2016/QĐ-TTg của Thủ tướng Chính phủ",
     "Quyết định số bốn mươi lăm năm hai nghìn không trăm mười sáu của Thủ tướng Chính phủ"),
    ("Nghị định số 01/2021/NĐ-CP của Chính phủ",
     "Nghị định số một năm hai nghìn không trăm hai mươi mốt của Chính phủ"),
    ("Thông báo số 217/TB-UBND", "Thông báo số hai trăm mười bảy"),
    ("Luật số 59/2020/QH14", "Luật số năm mươi chín năm hai nghìn không trăm hai mươi của "
     "Quốc hội"),
    # -- web and mail addresses ------------------------------------------------------------
    ("truy cập dichvucong.gov.vn", "truy cập dịch vụ công chấm gốp chấm vê en"),
    ("Cổng dịch vụ công tỉnh (dichvucong.dongnai.gov.vn)",
     "Cổng dịch vụ công tỉnh, dịch vụ công chấm đồng nai chấm gốp chấm vê en"),
    ("Xem tại https://dichvucong.gov.vn.", "Xem tại dịch vụ công chấm gốp chấm vê en."),
    ("Trang www.chinhphu.vn", "Trang vê kép vê kép vê kép chấm chính phủ chấm vê en"),
    ("trang cchc.dongnai.gov.vn", "trang xê xê hát xê chấm đồng nai chấm gốp chấm vê en"),
    # -- abbreviations of public administration --------------------------------------------
    ("UBND xã thông báo", "Ủy ban nhân dân xã thông báo"),
    ("Nghị quyết của HĐND tỉnh", "Nghị quyết của Hội đồng nhân dân tỉnh"),
    ("mang theo CMND hoặc CCCD", "mang theo chứng minh nhân dân hoặc căn cước công dân"),
    ("CCCD gắn chip", "Căn cước công dân gắn chip"),
    ("giải quyết TTHC", "giải quyết thủ tục hành chính"),
    ("nộp hồ sơ qua DVC trực tuyến", "nộp hồ sơ qua dịch vụ công trực tuyến"),
    ("công tác CCHC năm 2021",
     "công tác cải cách hành chính năm hai nghìn không trăm hai mươi mốt"),
    ("đóng BHXH, BHYT", "đóng bảo hiểm xã hội, bảo hiểm y tế"),
    ("Ủy ban MTTQ xã", "Ủy ban Mặt trận Tổ quốc xã"),
    ("học sinh THPT", "học sinh trung học phổ thông"),
    ("Người dân TP. Long Khánh", "Người dân thành phố Long Khánh"),
    # -- punctuation said as pauses, symbols left out --------------------------------------
    ("Nộp phí (nếu có) và cước bưu chính.", "Nộp phí, nếu có, và cước bưu chính."),
    ("Ông/bà có thể nộp trực tuyến.", "Ông, bà có thể nộp trực tuyến."),
    ("điểm Bưu điện - Văn hóa xã", "điểm Bưu điện, Văn hóa xã"),
    ("thời gian chờ < 15 phút", "thời gian chờ dưới mười lăm phút"),
    ("Sở Tài nguyên & Môi trường", "Sở Tài nguyên và Môi trường"),
    # -- text already in words stays as it is ----------------------------------------------
    ("Kính thưa bà con nhân dân!", "Kính thưa bà con nhân dân!"),
    ("Nhận kết quả tại nhà qua dịch vụ bưu chính công ích.",
     "Nhận kết quả tại nhà qua dịch vụ bưu chính công ích."),
    ("Tổ một cửa lưu động về tận ấp xa, ưu tiên người cao tuổi.",
     "Tổ một cửa lưu động về tận ấp xa, ưu tiên người cao tuổi."),
]


@pytest.mark.parametrize(("written", "said"), TABLE)
def test_an_announcer_reads_it_so(written: str, said: str) -> None:
    assert spoken(written, phones=HOTLINE) == said


def test_the_table_is_long_enough() -> None:
    assert len(TABLE) >= 60


@pytest.mark.parametrize(("written", "said"), TABLE[:12])
def test_nfc_in_and_out(written: str, said: str) -> None:
    decomposed = unicodedata.normalize("NFD", written)
    result = spoken(decomposed, phones=HOTLINE)
    assert result == said and unicodedata.is_normalized("NFC", result)


def test_the_south_says_ngan_and_le() -> None:
    south = Numbers(thousand="ngàn", zero_ten="lẻ")
    assert spoken("Lệ phí 105.000 đồng, năm 2021.", numbers=south) == \
        "Lệ phí một trăm lẻ năm ngàn đồng, năm hai ngàn không trăm hai mươi mốt."


def test_a_template_adds_and_overrides_words() -> None:
    words = {"TTHCC": "Trung tâm Hành chính công", "UBND": "Ủy ban nhân dân",
             "bhxh": "bảo hiểm xã hội", "KP": "khu phố"}
    assert spoken("Liên hệ TTHCC hoặc KP 3.", words) == \
        "Liên hệ Trung tâm Hành chính công hoặc khu phố ba."
    assert spoken("Tra cứu tại baohiemxahoi.gov.vn", {"baohiemxahoi": "bảo hiểm xã hội"}) == \
        "Tra cứu tại bảo hiểm xã hội chấm gốp chấm vê en"


def test_what_cannot_be_said_is_named_once() -> None:
    assert spoken("• Bước 1 *quan trọng*") == "Bước một quan trọng"
    assert unsaid("• Bước 1 *quan trọng*") == ("•", "*")
    assert unsaid("Xem tại sotuphap.dongnai.gov.vn") == ("sotuphap",)
    assert unsaid("Gọi (0251) 1022, số 45/2020/NĐ-CP, 50.000đ.") == ()


@pytest.mark.parametrize(("n", "said"), [
    (0, "không"), (10, "mười"), (11, "mười một"), (14, "mười bốn"), (15, "mười lăm"),
    (20, "hai mươi"), (21, "hai mươi mốt"), (24, "hai mươi tư"), (25, "hai mươi lăm"),
    (101, "một trăm linh một"), (110, "một trăm mười"), (1000, "một nghìn"),
    (1005, "một nghìn không trăm linh năm"), (1_000_500, "một triệu năm trăm"),
    (10_000_000_000_000, "mười nghìn tỷ"),
])
def test_counts(n: int, said: str) -> None:
    assert cardinal(n) == said


def test_digits_keep_the_leading_zero() -> None:
    assert digits("0251") == "không hai năm một"


def test_sentences_join_short_lines_and_split_at_stops() -> None:
    script = ("Kính thưa bà con nhân dân!\nSau đây là thông tin\nvề cải cách hành chính.\n\n"
              "Các bước thực hiện như sau:\nBước một: đăng nhập. Bước hai: khai tờ khai.\n")
    assert sentences(script) == [
        "Kính thưa bà con nhân dân!", "Sau đây là thông tin về cải cách hành chính.",
        "Các bước thực hiện như sau:", "Bước một: đăng nhập.", "Bước hai: khai tờ khai."]


def test_reading_time_counts_words_at_the_pace() -> None:
    assert reading_seconds("một không hai hai " * 40, 160) == pytest.approx(60.0)
    assert reading_seconds("", 160) == 0
