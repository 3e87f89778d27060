"""Vietnamese text helpers: decoding editors' files, NFC, marks removal, slugs."""

from __future__ import annotations

import unicodedata

import pytest

from toolkit.content.text import (
    UNWANTED,
    NotText,
    character_name,
    decode,
    markdown_breaks,
    nfc,
    one_line,
    slugify,
    strip_marks,
)

VOWELS = "aăâeêioôơuưy"
# No tone, huyền, sắc, hỏi, ngã, nặng.
TONES = ("", "\u0300", "\u0301", "\u0309", "\u0303", "\u0323")
PLAIN = {"a": "a", "ă": "a", "â": "a", "e": "e", "ê": "e", "i": "i", "o": "o", "ô": "o",
         "ơ": "o", "u": "u", "ư": "u", "y": "y"}


def _all_toned_vowels() -> list[tuple[str, str]]:
    """Every Vietnamese vowel with every tone, lower and upper case, with its plain form."""
    pairs = []
    for vowel in VOWELS:
        for tone in TONES:
            letter = unicodedata.normalize("NFC", vowel + tone)
            pairs.append((letter, PLAIN[vowel]))
            pairs.append((letter.upper(), PLAIN[vowel].upper()))
    return pairs


def to_cp1258(text: str) -> bytes:
    """Text as Windows-1258 writes it: base letters precomposed, tones as combining marks."""
    out = []
    for char in unicodedata.normalize("NFC", text):
        parts = unicodedata.normalize("NFD", char)
        tones = "".join(c for c in parts if c in "".join(TONES))
        out.append(unicodedata.normalize("NFC", "".join(c for c in parts if c not in tones)))
        out.append(tones)
    return "".join(out).encode("cp1258")


def test_the_vowel_table_is_complete() -> None:
    pairs = _all_toned_vowels()
    assert len(pairs) == 12 * 6 * 2
    assert len({letter for letter, _ in pairs}) == 144
    assert all(len(letter) == 1 for letter, _ in pairs)  # every one has a precomposed form


@pytest.mark.parametrize(("letter", "plain"), _all_toned_vowels())
def test_strip_marks_gives_the_plain_vowel(letter: str, plain: str) -> None:
    assert strip_marks(letter) == plain


def test_strip_marks_of_every_toned_vowel_is_ascii() -> None:
    text = "".join(letter for letter, _ in _all_toned_vowels())
    stripped = strip_marks(text)
    assert stripped.isascii()
    assert set(stripped) == set("aeiouyAEIOUY")
    assert len(stripped) == len(text)


def test_strip_marks_of_nfd_input() -> None:
    text = unicodedata.normalize("NFD", "Trường học Ổn định")
    assert strip_marks(text) == "Truong hoc On dinh"


@pytest.mark.parametrize(("text", "plain"), [("đ", "d"), ("Đ", "D"),
                                             ("Đăng ký đất đai", "Dang ky dat dai")])
def test_strip_marks_bars_d(text: str, plain: str) -> None:
    assert strip_marks(text) == plain


def test_strip_marks_keeps_ascii_unchanged() -> None:
    ascii_text = "".join(chr(c) for c in range(32, 127)) + "\n\t"
    assert strip_marks(ascii_text) == ascii_text


def test_strip_marks_of_a_sentence() -> None:
    assert strip_marks("Tổng đài Dịch vụ công 1022: hỗ trợ người dân!") == (
        "Tong dai Dich vu cong 1022: ho tro nguoi dan!")


def test_nfc_composes_decomposed_text() -> None:
    decomposed = unicodedata.normalize("NFD", "Đăng ký khai sinh")
    assert decomposed != "Đăng ký khai sinh"
    assert nfc(decomposed) == "Đăng ký khai sinh"
    assert unicodedata.is_normalized("NFC", nfc(decomposed))


def test_nfc_keeps_nfc_text() -> None:
    assert nfc("Cải cách hành chính") == "Cải cách hành chính"


def test_decode_utf8() -> None:
    assert decode("Đăng ký khai sinh\n".encode()) == "Đăng ký khai sinh\n"


def test_decode_drops_the_bom() -> None:
    assert decode(b"\xef\xbb\xbf" + "Đăng ký".encode()) == "Đăng ký"


@pytest.mark.parametrize("line_end", ["\r\n", "\r"])
def test_decode_makes_line_ends_newlines(line_end: str) -> None:
    assert decode(f"một{line_end}hai{line_end}".encode()) == "một\nhai\n"


def test_decode_returns_nfc() -> None:
    data = unicodedata.normalize("NFD", "Trực tuyến").encode()
    assert decode(data) == unicodedata.normalize("NFC", "Trực tuyến")


def test_decode_rejects_windows_1258() -> None:
    data = to_cp1258("---\ntitle: Đăng ký khai sinh trực tuyến\n---\n")
    with pytest.raises(NotText) as err:
        decode(data)
    message = str(err.value)
    assert "not UTF-8" in message
    assert "Windows-1258" in message and "TCVN3" in message
    assert "line 2" in message  # the first non-UTF-8 byte is on the title line


def test_decode_rejects_tcvn3() -> None:
    # "Đăng ký" in TCVN3 (ABC): Đ = 0xA7, ă = 0xA8, ý = 0xFD.
    with pytest.raises(NotText, match="not UTF-8"):
        decode(b"\xa7\xa8ng k\xfd")


def test_decode_keeps_a_stray_nul_for_the_loader_to_report() -> None:
    assert decode(b"kind: procedure\x00\n") == "kind: procedure\x00\n"


@pytest.mark.parametrize("data", [b"kind: procedure" + b"\x00" * 9 + b"\n", b"\x00" * 4096,
                                  b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\xff"])
def test_decode_rejects_binary_files(data: bytes) -> None:
    with pytest.raises(NotText, match="binary"):
        decode(data)


def test_decode_names_utf16() -> None:
    with pytest.raises(NotText, match="UTF-16"):
        decode("---\nkind: procedure\n".encode("utf-16"))


def test_not_text_is_a_value_error() -> None:
    assert issubclass(NotText, ValueError)


def test_slugify_a_vietnamese_title() -> None:
    assert slugify("Đăng ký khai sinh trực tuyến") == "dang-ky-khai-sinh-truc-tuyen"


def test_slugify_drops_punctuation_and_case() -> None:
    assert slugify("Tổng đài 1022: HỖ TRỢ (24/7)!") == "tong-dai-1022-ho-tro-24-7"


@pytest.mark.parametrize(("limit", "expected"), [
    (7, "dang-ky"), (10, "dang-ky"), (12, "dang-ky-khai"), (17, "dang-ky-khai-sinh"),
    (21, "dang-ky-khai-sinh"), (22, "dang-ky-khai-sinh-truc"), (27, "dang-ky-khai-sinh-truc"),
    (28, "dang-ky-khai-sinh-truc-tuyen"),
])
def test_slugify_keeps_to_its_limit_without_cutting_words(limit: int, expected: str) -> None:
    slug = slugify("Đăng ký khai sinh trực tuyến", limit=limit)
    assert slug == expected
    assert len(slug) <= limit


def test_slugify_exact_fit() -> None:
    assert slugify("Đăng ký khai sinh", limit=17) == "dang-ky-khai-sinh"
    assert slugify("Đăng ký khai sinh", limit=16) == "dang-ky-khai"


def test_slugify_default_limit_is_60() -> None:
    slug = slugify(" ".join(["thủ tục"] * 20))
    assert len(slug) <= 60
    assert slug.startswith("thu-tuc-thu-tuc")
    assert not slug.endswith("-")


def test_slugify_without_letters_is_empty() -> None:
    assert slugify("!!! ... ???") == ""


@pytest.mark.parametrize("body, expected", [
    ("một\vhai", "một\\\nhai"),  # Word's Shift+Enter: a hard line break
    ("một \u2028 hai", "một\\\n hai"),
    ("một\v\vhai", "một\n\nhai"),  # two in a row: a paragraph
    ("một\u2029hai", "một\n\nhai"), ("một\fhai", "một\n\nhai"),
    ("một\v\nhai", "một\nhai"),  # at the end of a line: just the end of the line
    ("một\v", "một\n"), ("\vmột", "\nmột"),
    ("- một\v- hai", "- một\n- hai"),  # before a list item: no backslash left over
    ("một\n\n    mã", "một\n\n    mã"),  # newlines alone are left as they are
])
def test_markdown_breaks(body: str, expected: str) -> None:
    assert markdown_breaks(body) == expected


@pytest.mark.parametrize("value, expected", [("một\vhai", "một hai"), ("một \u2028 hai", "một hai"),
                                             ("một\u2029\u2029hai", "một hai"),
                                             ("một\nhai", "một\nhai")])
def test_one_line(value: str, expected: str) -> None:
    assert one_line(value) == expected


@pytest.mark.parametrize("char, name", [("\x00", "U+0000 NUL"), ("\x1b", "U+001B ESC"),
                                        ("\x7f", "U+007F DEL"), ("\x9b", "U+009B CSI"),
                                        ("\u202e", "U+202E RIGHT-TO-LEFT OVERRIDE"),
                                        ("\ufdd0", "U+FDD0"), ("\U0010ffff", "U+10FFFF")])
def test_character_names(char: str, name: str) -> None:
    assert UNWANTED.match(char)
    assert character_name(char) == name


@pytest.mark.parametrize("char", ["\t", "\n", "a", "đ", "\u00a0", "\u200b", "\u200e", "\ufeff",
                                  "😀", "\ufffd"])
def test_ordinary_characters_are_wanted(char: str) -> None:
    assert not UNWANTED.search(char)
