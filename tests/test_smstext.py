"""SMS cost after 3GPP TS 23.038, conversion to plain GSM-7, and `toolkit sms count`."""

from __future__ import annotations

import json
import unicodedata

import pytest

from toolkit.smstext import Cost, cost, to_gsm7

EXTENSION = ["^", "{", "}", "\\", "[", "~", "]", "|", "€", "\f"]

# Every Vietnamese vowel with no tone, then grave, acute, hook, tilde, dot below.
VOWELS = {
    "a": "aàáảãạ", "ă": "ăằắẳẵặ", "â": "âầấẩẫậ",
    "e": "eèéẻẽẹ", "ê": "êềếểễệ",
    "i": "iìíỉĩị",
    "o": "oòóỏõọ", "ô": "ôồốổỗộ", "ơ": "ơờớởỡợ",
    "u": "uùúủũụ", "ư": "ưừứửữự",
    "y": "yỳýỷỹỵ",
}
BARE = {"a": "a", "ă": "a", "â": "a", "e": "e", "ê": "e", "i": "i",
        "o": "o", "ô": "o", "ơ": "o", "u": "u", "ư": "u", "y": "y"}


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


# --- cost: GSM-7 ------------------------------------------------------------

def test_empty_text_costs_nothing() -> None:
    assert cost("") == Cost("GSM-7", 0, 0)


def test_160_plain_chars_is_one_segment() -> None:
    assert cost("a" * 160) == Cost("GSM-7", 160, 1)


def test_161_plain_chars_is_two_segments() -> None:
    assert cost("a" * 161) == Cost("GSM-7", 161, 2)


def test_306_plain_chars_is_two_segments() -> None:
    assert cost("a" * 306) == Cost("GSM-7", 306, 2)


def test_307_plain_chars_is_three_segments() -> None:
    assert cost("a" * 307) == Cost("GSM-7", 307, 3)


@pytest.mark.parametrize("char", EXTENSION, ids=repr)
def test_extension_char_costs_two_septets(char: str) -> None:
    assert cost(char) == Cost("GSM-7", 2, 1)


@pytest.mark.parametrize("char", EXTENSION, ids=repr)
def test_extension_char_can_push_text_past_one_segment(char: str) -> None:
    assert cost("a" * 158 + char) == Cost("GSM-7", 160, 1)
    assert cost("a" * 159 + char) == Cost("GSM-7", 161, 2)


def test_152_plain_chars_and_euro_is_154_septets() -> None:
    assert cost("a" * 152 + "€") == Cost("GSM-7", 154, 1)


def test_escape_pair_is_not_split_across_parts() -> None:
    # 152 + (ESC €) + 152 = 306 septets: naively 2 parts of 153, but the pair
    # would straddle the boundary, so it opens part 2 (2 + 151) and 1 spills to part 3.
    text = "a" * 152 + "€" + "a" * 152
    assert cost(text) == Cost("GSM-7", 306, 3)
    assert cost(text).segments == -(-306 // 153) + 1


def test_escape_pair_ending_exactly_at_boundary_adds_no_part() -> None:
    # 151 + 2 = 153 fills part 1 exactly; 153 more fill part 2.
    assert cost("a" * 151 + "€" + "a" * 153) == Cost("GSM-7", 306, 2)


def test_backtick_is_not_gsm7() -> None:
    assert cost("`") == Cost("UCS-2", 1, 1)


def test_gsm7_vietnamese_letters_stay_gsm7() -> None:
    assert cost("àèéìòùÉ") == Cost("GSM-7", 7, 1)


@pytest.mark.parametrize("char", ["á", "ơ", "ế", "È", "đ", "Đ"])
def test_other_vietnamese_letters_force_ucs2(char: str) -> None:
    assert cost("Hotline 1022 " + char).encoding == "UCS-2"


def test_vietnamese_text_with_e_circumflex_acute_is_ucs2() -> None:
    assert cost("Kiến nghị") == Cost("UCS-2", 9, 1)


# --- cost: UCS-2 ------------------------------------------------------------

def test_70_ucs2_chars_is_one_segment() -> None:
    assert cost("ơ" * 70) == Cost("UCS-2", 70, 1)


def test_71_ucs2_chars_is_two_segments() -> None:
    assert cost("ơ" * 71) == Cost("UCS-2", 71, 2)


def test_134_and_135_ucs2_chars() -> None:
    assert cost("ơ" * 134) == Cost("UCS-2", 134, 2)
    assert cost("ơ" * 135) == Cost("UCS-2", 135, 3)


def test_emoji_counts_two_utf16_units() -> None:
    assert cost("😀") == Cost("UCS-2", 2, 1)
    assert cost("ơ" * 68 + "😀") == Cost("UCS-2", 70, 1)
    assert cost("ơ" * 69 + "😀") == Cost("UCS-2", 71, 2)


def test_surrogate_pair_is_not_split_across_parts() -> None:
    # 66 + 2 + 66 = 134 units: naively 2 parts of 67, but the pair would
    # straddle unit 67, so it opens part 2 (2 + 65) and 1 spills to part 3.
    text = "ơ" * 66 + "😀" + "ơ" * 66
    assert cost(text) == Cost("UCS-2", 134, 3)
    assert cost(text).segments == -(-134 // 67) + 1


# --- cost: NFC --------------------------------------------------------------

def test_nfd_text_costs_the_same_as_nfc() -> None:
    text = "Đăng ký khai sinh trực tuyến, gọi 1022"
    assert nfd(text) != text
    assert cost(nfd(text)) == cost(text) == Cost("UCS-2", 38, 1)


def test_nfd_e_acute_is_counted_as_one_gsm7_letter() -> None:
    assert cost("Caf" + nfd("é")) == Cost("GSM-7", 4, 1)


def test_cost_as_dict() -> None:
    assert cost("abc").as_dict() == {"encoding": "GSM-7", "units": 3, "segments": 1}


# --- to_gsm7 ----------------------------------------------------------------

@pytest.mark.parametrize("base", list(VOWELS))
def test_every_vowel_with_every_tone_becomes_plain_ascii(base: str) -> None:
    letters = VOWELS[base]
    assert len(letters) == 6
    assert to_gsm7(letters) == BARE[base] * 6
    assert to_gsm7(letters.upper()) == BARE[base].upper() * 6


def test_d_with_stroke_becomes_d() -> None:
    assert to_gsm7("đĐ") == "dD"


def test_duong_day_nong() -> None:
    assert to_gsm7("Đường dây nóng") == "Duong day nong"


def test_nfd_input_is_converted_too() -> None:
    assert to_gsm7(nfd("Đường dây nóng")) == "Duong day nong"


def test_curly_quotes_become_straight() -> None:
    assert to_gsm7("“Một cửa” ‘hiện đại’") == "\"Mot cua\" 'hien dai'"


def test_dashes_become_hyphens() -> None:
    assert to_gsm7("8:00 – 17:00 — thứ Hai") == "8:00 - 17:00 - thu Hai"


def test_non_breaking_space_becomes_space() -> None:
    assert to_gsm7("Hotline\u00a01022") == "Hotline 1022"


def test_ellipsis_becomes_three_dots() -> None:
    assert to_gsm7("Chờ…") == "Cho..."


def test_emoji_is_removed() -> None:
    assert to_gsm7("Gọi ngay 😀 1022 📞") == "Goi ngay 1022"


def test_backtick_becomes_apostrophe() -> None:
    assert to_gsm7("`1022`") == "'1022'"


@pytest.mark.parametrize("text", [
    "Đường dây nóng “1022” – gọi ngay… 😀",
    "Thủ tục → nộp hồ sơ ✓ © 2021 ½ 🇻🇳",
    "ÀÈÉÌÒÙ àèéìòù Ỳ ỹ",
    "` ´ « » • \u200b\u2009\u202f\ufeff",
])
def test_converted_text_always_costs_gsm7(text: str) -> None:
    plain = to_gsm7(text)
    assert cost(plain).encoding == "GSM-7"
    assert cost(plain).units == len(plain)  # nothing from the extension table here


# --- toolkit sms count ------------------------------------------------------

def test_count_json_keys_and_values(run) -> None:
    # "à" is in the GSM-7 basic table, so this text is GSM-7 (not UCS-2).
    status, out, _ = run("sms", "count", "--json", "Xin chào")
    assert status == 0
    assert json.loads(out) == {"encoding": "GSM-7", "units": 8, "segments": 1}


def test_count_json_ucs2(run) -> None:
    status, out, _ = run("sms", "count", "--json", "Xin chào bạn")
    assert status == 0
    assert json.loads(out) == {"encoding": "UCS-2", "units": 12, "segments": 1}


def test_count_json_takes_text_as_nfc(run) -> None:
    status, out, _ = run("sms", "count", "--json", nfd("Xin chào bạn"))
    assert status == 0
    assert json.loads(out) == {"encoding": "UCS-2", "units": 12, "segments": 1}


def test_count_json_extension_chars(run) -> None:
    status, out, _ = run("sms", "count", "--json", "a" * 152 + "€" + "a" * 152)
    assert status == 0
    assert json.loads(out) == {"encoding": "GSM-7", "units": 306, "segments": 3}


def test_count_plain_text_output_gsm7(run) -> None:
    status, out, _ = run("sms", "count", "a" * 161)
    assert status == 0
    assert out == "GSM-7, 161 septets, 2 segment(s)\n"


def test_count_plain_text_output_ucs2(run) -> None:
    status, out, _ = run("sms", "count", "Đường dây nóng")
    assert status == 0
    assert out == "UCS-2, 14 UTF-16 units, 1 segment(s)\n"


def test_count_plain_option_counts_without_diacritics(run) -> None:
    status, out, _ = run("sms", "count", "--plain", "--json", "Đường dây nóng “1022” 😀")
    assert status == 0
    # "Duong day nong "1022"" is 21 septets
    assert json.loads(out) == {"encoding": "GSM-7", "units": 21, "segments": 1}
