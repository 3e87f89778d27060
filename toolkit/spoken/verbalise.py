"""The spoken register: a text as a commune announcer reads it aloud.

What is written for the eye is said in words: phone numbers digit by digit in their
groups ("(0251) 1022": "không hai năm một, một không hai hai"), dates ("15/03/2021":
"ngày mười lăm tháng ba năm hai nghìn không trăm hai mươi mốt"), times ("8h30": "tám
giờ ba mươi phút"), ranges ("7-10 ngày": "bảy đến mười ngày"), money ("50.000đ": "năm
mươi nghìn đồng"), units, percentages, decimals ("phẩy"), ordinals ("thứ 4": "thứ
tư"), legal documents as the news says them ("Nghị định số 45/2020/NĐ-CP": "Nghị định
số bốn mươi lăm năm hai nghìn không trăm hai mươi của Chính phủ"), web addresses
("dichvucong.gov.vn": "dịch vụ công chấm gốp chấm vê en") and the abbreviations of
public administration ("UBND": "Ủy ban nhân dân"). Text already in words stays as it
is. Every rule is a regular expression and a function, applied in a fixed order
(`RULES`): addresses and document numbers first, since their dots and slashes mean
something else; then phone numbers, dates, times and amounts; any number left last.

None of the Vietnamese normalisation packages on PyPI got the examples of the issue
right (a hotline read as a count, "(0251)" read as two hundred and fifty-one, "CCCD"
spelled out, "7-10 ngày" read as a date), or one needs a model from the network: see
README, "The spoken register". tests/spoken/test_verbalise.py holds the table of what
announcers say that these rules are held to.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field
from functools import cache, lru_cache

from toolkit.spoken.numbers import OFFICIAL, Numbers, cardinal, decimal, digits, month, ordinal

# The abbreviations of public administration, as they are said. Names of bodies keep
# their capitals as Vietnamese official writing does; common nouns are lower case (a
# sentence that starts with one starts with a capital all the same).
ABBREVIATIONS: dict[str, str] = {
    "UBND": "Ủy ban nhân dân", "HĐND": "Hội đồng nhân dân",
    "UBMTTQ": "Ủy ban Mặt trận Tổ quốc", "MTTQ": "Mặt trận Tổ quốc",
    "CCCD": "căn cước công dân", "CMND": "chứng minh nhân dân",
    "TTHC": "thủ tục hành chính", "DVC": "dịch vụ công", "DVCTT": "dịch vụ công trực tuyến",
    "CCHC": "cải cách hành chính", "TTHCC": "Trung tâm Hành chính công",
    "HCC": "hành chính công", "CBCC": "cán bộ, công chức",
    "BHXH": "bảo hiểm xã hội", "BHYT": "bảo hiểm y tế", "BHTN": "bảo hiểm thất nghiệp",
    "THPT": "trung học phổ thông", "THCS": "trung học cơ sở",
    "TP.": "thành phố", "Tp.": "thành phố", "TX.": "thị xã",
    "GPLX": "giấy phép lái xe", "GCN": "giấy chứng nhận", "QSDĐ": "quyền sử dụng đất",
    "ĐKKD": "đăng ký kinh doanh", "HTX": "hợp tác xã", "CNTT": "công nghệ thông tin",
    "KCN": "khu công nghiệp", "TDP": "tổ dân phố", "BQL": "ban quản lý",
    "ATGT": "an toàn giao thông", "ATTP": "an toàn thực phẩm",
    "PCCC": "phòng cháy, chữa cháy", "CSGT": "cảnh sát giao thông",
    "NSNN": "ngân sách nhà nước", "ĐBQH": "đại biểu Quốc hội", "BCĐ": "Ban Chỉ đạo",
    "LĐTBXH": "Lao động, Thương binh và Xã hội", "GD&ĐT": "Giáo dục và Đào tạo",
    "TN&MT": "Tài nguyên và Môi trường", "KT-XH": "kinh tế, xã hội",
}

# Who issued a legal document, by the code after its number (45/2020/NĐ-CP); said after
# the number as the news says it. Local bodies (UBND, HĐND) are left out: the code does
# not say of which commune or province, and the text around it does.
ISSUERS: dict[str, str] = {
    "CP": "Chính phủ", "TTg": "Thủ tướng Chính phủ", "QH": "Quốc hội",
    "UBTVQH": "Ủy ban Thường vụ Quốc hội", "VPCP": "Văn phòng Chính phủ",
    "BGTVT": "Bộ Giao thông vận tải", "BTP": "Bộ Tư pháp", "BCA": "Bộ Công an",
    "BNV": "Bộ Nội vụ", "BTC": "Bộ Tài chính", "BYT": "Bộ Y tế",
    "BTTTT": "Bộ Thông tin và Truyền thông", "BLĐTBXH": "Bộ Lao động, Thương binh và Xã hội",
    "BKHĐT": "Bộ Kế hoạch và Đầu tư", "BGDĐT": "Bộ Giáo dục và Đào tạo",
    "BTNMT": "Bộ Tài nguyên và Môi trường", "BNNPTNT": "Bộ Nông nghiệp và Phát triển nông thôn",
    "BCT": "Bộ Công Thương", "BXD": "Bộ Xây dựng", "BQP": "Bộ Quốc phòng",
    "NHNN": "Ngân hàng Nhà nước",
}

# Units after a number, as they are said.
UNITS: dict[str, str] = {
    "km²": "ki lô mét vuông", "km2": "ki lô mét vuông", "m²": "mét vuông", "m2": "mét vuông",
    "m³": "mét khối", "m3": "mét khối", "km": "ki lô mét", "cm": "xăng ti mét",
    "mm": "mi li mét", "m": "mét", "ha": "héc ta", "kg": "ki lô gam", "kWh": "ki lô oát giờ",
    "kW": "ki lô oát", "°C": "độ C",
}
# What follows "/" after a unit: "km/h" is kilometres an hour.
PER_UNIT = {"h": "giờ"}
CURRENCY = ("VNĐ", "VND", "vnđ", "vnd", "đồng", "đ", "₫")

# The parts of a web address as announcers say them; a part not known here and longer
# than a few letters is left as written (and reported by `unsaid`).
DOMAIN_WORDS: dict[str, str] = {
    "www": "vê kép vê kép vê kép", "gov": "gốp", "vn": "vê en", "com": "com", "net": "nét",
    "org": "o rờ gờ", "edu": "e đu", "info": "in phô", "dichvucong": "dịch vụ công",
    "dongnai": "đồng nai", "chinhphu": "chính phủ", "baohiemxahoi": "bảo hiểm xã hội",
    "zalo": "da lô", "me": "mi",
}
TOP_LEVEL = ("vn", "com", "net", "org", "gov", "edu", "info")
SPELLED_AT_MOST = 4  # letters of an unknown part of an address spelled one by one

# Letters as they are said in a code ("hạng A1") or a short part of an address.
LETTERS: dict[str, str] = {
    "a": "a", "b": "bê", "c": "xê", "d": "dê", "đ": "đê", "e": "e", "f": "ép", "g": "giê",
    "h": "hát", "i": "i", "j": "gi", "k": "ca", "l": "e lờ", "m": "em", "n": "en", "o": "o",
    "p": "pê", "q": "quy", "r": "e rờ", "s": "ét", "t": "tê", "u": "u", "v": "vê",
    "w": "vê kép", "x": "ích", "y": "i", "z": "dét",
}

# Words before which a group of digits is a phone number.
PHONE_WORDS = ("tổng đài", "hotline", "đường dây nóng", "số điện thoại", "điện thoại",
               "gọi số", "gọi", "số máy", "SĐT", "ĐT", "liên hệ", "zalo", "nhắn tin")
# Roman numerals are numbers after these words ("Quý I", "khóa XV"); of I, V and X only
# ("Phần C" is a letter).
ROMAN_AFTER = ("quý", "khóa", "khoá", "kỳ", "phần", "chương", "mục", "giai đoạn", "thế kỷ")
ROMAN = {"I": 1, "V": 5, "X": 10}

# Fixed expressions said otherwise than their parts.
FIXED: dict[str, str] = {"24/7": "hai mươi tư trên bảy"}

# Punctuation an announcer reads as it is (a pause, or nothing); any other symbol left
# once the rules have run is dropped, and `unsaid` names it.
KEPT = frozenset(".,;:!?…\"'“”‘’()-/")
LETTER_OR_DIGIT = re.compile(r"[^\W_]")
DIGIT = re.compile(r"\d")


@dataclass
class _Said:
    """The text being turned into words, and what could not be said."""

    words: Mapping[str, str]  # the abbreviations, and the caller's own words over them
    own: Mapping[str, str]  # the caller's words alone: parts of addresses among them
    phones: tuple[str, ...]
    numbers: Numbers
    unsaid: list[str] = field(default_factory=list)


Rule = tuple["re.Pattern[str]", Callable[["re.Match[str]", _Said], str]]


def spoken(text: str, words: Mapping[str, str] | None = None, *,
           phones: Collection[str] = (), numbers: Numbers = OFFICIAL) -> str:
    """`text` as an announcer says it: numbers, dates, phone numbers, money, units and
    abbreviations in words. `words` adds to or overrides the abbreviations (a template's
    own: "UBND": "Ủy ban nhân dân"); `phones` are numbers said digit by digit wherever
    they are (the hotline "1022", which alone looks like a count); `numbers` says
    "nghìn" or "ngàn", "linh" or "lẻ". NFC in and out."""
    return _verbalised(text, tuple((words or {}).items()), tuple(phones), numbers)[0]


def unsaid(text: str, words: Mapping[str, str] | None = None, *,
           phones: Collection[str] = (), numbers: Numbers = OFFICIAL) -> tuple[str, ...]:
    """What `spoken` could not say of `text`: symbols it leaves out ("*", "#", "•") and
    parts of web addresses it leaves as written; each once, in order."""
    return _verbalised(text, tuple((words or {}).items()), tuple(phones), numbers)[1]


@lru_cache(maxsize=4096)  # the openings, closings and hotlines of every script are alike
def _verbalised(text: str, words: tuple[tuple[str, str], ...], phones: tuple[str, ...],
                numbers: Numbers) -> tuple[str, tuple[str, ...]]:
    own = dict(words)
    said = _Said({**ABBREVIATIONS, **own}, own, phones, numbers)
    result = unicodedata.normalize("NFC", text)
    addresses, numeric = _rules()
    rules = [*(addresses if "." in result or "@" in result else ()),
             *(numeric if DIGIT.search(result) else ()),
             _abbreviation_rule(tuple(said.words.items())), *_known_phone_rules(phones),
             *LATE_RULES]
    for pattern, say in rules:
        result = pattern.sub(_capitalised(say, said), result)
    result = _without_stray_symbols(result, said)
    return unicodedata.normalize("NFC", _tidy(result)), tuple(dict.fromkeys(said.unsaid))


def _capitalised(say: Callable[[re.Match[str], _Said], str],
                 said: _Said) -> Callable[[re.Match[str]], str]:
    """`say`, with a capital when the words start a sentence ("CCCD là..." is "Căn cước
    công dân là...")."""

    def replace(match: re.Match[str]) -> str:
        words = say(match, said)
        before = match.string[:match.start()].rstrip(" \t")
        if words and (not before or before[-1] in ".!?\n") and words[0].islower():
            return words[0].upper() + words[1:]
        return words

    return replace


# -- Web addresses and e-mail addresses ---------------------------------------------

def _say_address(match: re.Match[str], said: _Said) -> str:
    text = match["address"]
    scheme = re.match(r"(?i)https?://", text)
    rest = text[scheme.end():] if scheme else text
    host, _, path = rest.partition("/")
    parts = [_say_host(host, said)]
    parts += [_say_label(segment, said) for segment in path.split("/") if segment]
    return " gạch chéo ".join(parts)


def _say_email(match: re.Match[str], said: _Said) -> str:
    user, _, host = match[0].partition("@")
    return f"{_say_host(user, said)} a còng {_say_host(host, said)}"


def _say_host(host: str, said: _Said) -> str:
    return " chấm ".join(_say_label(label, said) for label in host.split(".") if label)


def _say_label(label: str, said: _Said) -> str:
    """A part of an address: a known word, a few letters spelled, else as written."""
    known = {k.lower(): v for k, v in said.own.items()}.get(label.lower())
    known = known or DOMAIN_WORDS.get(label.lower())
    if known:
        return known
    if label.isalpha() and len(label) <= SPELLED_AT_MOST:
        return _spelled(label)
    if label.isdigit():
        return digits(label)
    said.unsaid.append(label)
    return label


def _spelled(letters: str) -> str:
    return " ".join(LETTERS.get(letter.lower(), letter) for letter in letters)


# -- Legal documents ------------------------------------------------------------------

def _say_document(match: re.Match[str], said: _Said) -> str:
    """"45/2020/NĐ-CP" as "bốn mươi lăm năm hai nghìn không trăm hai mươi của Chính phủ";
    the issuer left out when the text names it next ("... của Thủ tướng Chính phủ")."""
    words = cardinal(int(match["number"]), said.numbers)
    if match["year"]:
        words += f" năm {cardinal(int(match['year']), said.numbers)}"
    issuer = ISSUERS.get(re.sub(r"\d+$", "", match["code"].rsplit("-", 1)[-1]))
    named_next = re.match(r"\s+của\b", match.string[match.end():])
    if issuer and not named_next:
        words += f" của {issuer}"
    return words


# -- Phone numbers ----------------------------------------------------------------------

def _say_phone(match: re.Match[str], said: _Said) -> str:
    """A phone number digit by digit, its groups apart ("(0251) 1022": "không hai năm
    một, một không hai hai"); ten digits written together are said 4-3-3."""
    groups = re.findall(r"\d+", match["phone"])
    if len(groups) == 1 and len(groups[0]) >= 10:
        number = groups[0]
        groups = [number[:4], number[4:7], number[7:]]
    return ", ".join(digits(group) for group in groups)


def _say_phone_after_word(match: re.Match[str], said: _Said) -> str:
    return f"{match['lead']}{_say_phone(match, said)}"


def _known_phone_rules(phones: tuple[str, ...]) -> list[Rule]:
    """The given numbers, digit by digit wherever they are written."""
    return [(_known_phone(phone), _say_phone) for phone in phones if re.search(r"\d", phone)]


@cache
def _known_phone(phone: str) -> re.Pattern[str]:
    number = r"[\s.]*".join(re.escape(d) for d in re.sub(r"\D", "", phone))
    return re.compile(rf"(?<![\d.,/])(?P<phone>{number})(?![\d]|[.,]\d)")


# -- Dates and times ---------------------------------------------------------------------

def _say_date(match: re.Match[str], said: _Said) -> str:
    day, month_number = int(match["day"]), int(match["month"])
    if not (1 <= day <= 31 and 1 <= month_number <= 12):
        return match[0]
    words = f"ngày {cardinal(day)} tháng {month(month_number)}"
    if match["year"]:
        words += f" năm {cardinal(int(match['year']), said.numbers)}"
    if re.search(r"(?i)\b(?:ngày|mùng|mồng)\s*$", match.string[:match.start()]):
        words = words.removeprefix("ngày ")
    return words


def _say_month(match: re.Match[str], said: _Said) -> str:
    number = int(match["month"])
    if not 1 <= number <= 12:
        return match[0]
    words = f"{match['word']} {month(number)}"
    if match["year"]:
        words += f" năm {cardinal(int(match['year']), said.numbers)}"
    return words


def _say_time(match: re.Match[str], said: _Said) -> str:
    hour, minutes = int(match["hour"]), int(match["minutes"] or 0)
    if hour > 24 or minutes > 59:
        return match[0]
    words = f"{cardinal(hour)} giờ"
    return f"{words} {cardinal(minutes)} phút" if minutes else words


# -- Amounts ----------------------------------------------------------------------------

def _amount(text: str, numbers: Numbers) -> str:
    """A number as written in Vietnamese: "50.000" (dots between thousands), "1,5" (a
    decimal comma), "4.0" (a dot before other than three digits: "bốn chấm không"),
    "05" (a count with a leading zero); a longer number with a leading zero, or a very
    long one, digit by digit."""
    if re.fullmatch(r"\d{1,3}(?:\.\d{3})+(?:,\d+)?", text):
        whole, _, fraction = text.replace(".", "").partition(",")
        return decimal(whole, fraction, numbers=numbers) if fraction else cardinal(
            int(whole), numbers)
    whole, separator, fraction = _split_decimal(text)
    if separator:
        return decimal(whole, fraction, "phẩy" if separator == "," else "chấm", numbers)
    if (whole.startswith("0") and len(whole) > 2) or len(whole) > 15:
        return digits(whole)
    return cardinal(int(whole), numbers)


def _split_decimal(text: str) -> tuple[str, str, str]:
    found = re.fullmatch(r"(\d+)(?:([.,])(\d+))?", text)
    if not found:
        return text, "", ""
    return found[1], found[2] or "", found[3] or ""


def _say_number(match: re.Match[str], said: _Said) -> str:
    return _amount(match["number"], said.numbers)


def _say_money(match: re.Match[str], said: _Said) -> str:
    words = f"{_amount(match['number'], said.numbers)} đồng"
    return f"{words} một {match['per']}" if match["per"] else words


def _say_unit(match: re.Match[str], said: _Said) -> str:
    words = f"{_amount(match['number'], said.numbers)} {UNITS[match['unit']]}"
    if match["per"]:
        words += f" một {PER_UNIT.get(match['per'], match['per'])}"
    return words


def _say_percent(match: re.Match[str], said: _Said) -> str:
    return f"{_amount(match['number'], said.numbers)} phần trăm"


def _say_ordinal(match: re.Match[str], said: _Said) -> str:
    return f"{match['word']} {ordinal(int(match['n']), said.numbers)}"


def _say_roman(match: re.Match[str], said: _Said) -> str:
    value = _roman(match["roman"])
    return f"{match['word']} {cardinal(value)}" if value else match[0]


def _roman(text: str) -> int:
    """The value of a Roman numeral ("XV": 15); 0 when it is not one."""
    total = 0
    for letter, after in zip(text, [*text[1:], ""], strict=True):
        value = ROMAN[letter]
        total += -value if after and ROMAN[after] > value else value
    return total if 0 < total < 100 else 0


def _say_code(match: re.Match[str], said: _Said) -> str:
    """A letter and a number ("A1", "B2", "F0"): the letter's name, then the number."""
    return f"{LETTERS[match['letter'].lower()]} {cardinal(int(match['n']))}"


def _say_size(match: re.Match[str], said: _Said) -> str:
    return f"{match['a']} nhân {match['b']}"


def _say_range(match: re.Match[str], said: _Said) -> str:
    return " đến "


def _say_fixed(match: re.Match[str], said: _Said) -> str:
    return FIXED[match[0]]


def _say_abbreviation(match: re.Match[str], said: _Said) -> str:
    return said.words[match[0]]


def _say_as(words: str) -> Callable[[re.Match[str], _Said], str]:
    return lambda match, said: words


# -- The rules, in order ---------------------------------------------------------------

NUMBER = r"\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+(?:[.,]\d+)?"
DAY_FIRST = r"(?P<day>\d{1,2})(?P<sep>[/.-])(?P<month>\d{1,2})(?P=sep)(?P<year>\d{4})"


@cache
def _rules() -> tuple[tuple[Rule, ...], tuple[Rule, ...]]:
    """The rules that come before the abbreviations, in the order they run: those of
    addresses (a text without "." or "@" has none), then those of numbers (a text
    without a digit has none)."""
    words_lead = "|".join(re.escape(w) for w in PHONE_WORDS)
    currency = "|".join(re.escape(c) for c in CURRENCY)
    units = "|".join(re.escape(u) for u in sorted(UNITS, key=len, reverse=True))
    addresses: list[tuple[str, Callable[[re.Match[str], _Said], str]]] = [
        # Addresses first: their dots and slashes are not decimals or dates.
        (r"[\w.+-]+@(?:[A-Za-z0-9-]+\.)+[A-Za-z]{2,}", _say_email),
        (r"(?P<address>(?i:https?://)[^\s,;()\"“”]+[^\s,;()\"“”.]"
         rf"|(?<![\w@.])(?:[A-Za-z0-9-]+\.)+(?i:{'|'.join(TOP_LEVEL)})\b"
         r"(?:/[^\s,;()\"“”]*[^\s,;()\"“”.])?)", _say_address),
    ]
    numeric: list[tuple[str, Callable[[re.Match[str], _Said], str]]] = [
        # Documents: 45/2020/NĐ-CP, 1376/KH-UBND, 60/2020/QH14.
        (r"(?<![\d/])(?P<number>\d+)/(?:(?P<year>\d{4})/)?"
         r"(?P<code>[A-ZĐ][A-ZĐa-z&]*(?:-[A-ZĐ][A-ZĐa-z&]*)*\d*)(?![\w-])", _say_document),
        ("|".join(map(re.escape, FIXED)), _say_fixed),
        # Phone numbers: (0251) 1022; 0251 3822 123; 0912.345.678; 1900 1234.
        (r"(?P<phone>\(0\d{2,3}\)[\s.]*\d{3,4}(?:[\s.]\d{3,4})*"
         r"|(?<![\d.,])0\d{2,3}(?:[\s.]\d{3,4}){1,2}(?![\d]|[.,]\d)"
         r"|(?<![\d.,])0\d{9,10}(?!\d)"
         r"|(?<![\d.,])1[89]00[\s.]?\d{4,6}(?!\d))", _say_phone),
        (rf"(?<!\w)(?i:(?P<lead>(?:{words_lead})\s*(?:số\s*)?:?\s*))"
         r"(?P<phone>\d{3,5}(?:[\s.]\d{3,4})*)(?![\d]|[.,]\d)", _say_phone_after_word),
        # Dates with a year: 15/03/2021, 15-03-2021, 15.03.2021; 2021-03-15.
        (rf"(?<![\d/.]){DAY_FIRST}(?![\d/])", _say_date),
        (r"(?<![\d/.-])(?P<year>\d{4})-(?P<month>\d{2})-(?P<day>\d{2})(?![\d])", _say_date),
        # Ranges: 7-10 ngày, 8h-17h, 15/3-20/3, 2021-2025, thứ 2-thứ 6.
        (r"(?:(?<=\dh)|(?<=\d%)|(?<=\d))\s*[-–—]\s*(?=\d|(?:thứ|ngày)\s)"
         r"|(?<=[^\W\d_])\s+[-–—]\s+(?=ngày\s)", _say_range),
        (r"(?P<word>(?i:tháng))\s+(?P<month>\d{1,2})(?:\s*[/-]\s*(?P<year>\d{4}))?"
         r"(?![\d/])", _say_month),
        (r"(?<![\d/.])(?P<day>\d{1,2})/(?P<month>\d{1,2})(?:/(?P<year>\d{4}))?(?![\d/])",
         _say_date),
        # Times: 8h30, 08h00, 8h, 8g30, 08:00.
        (r"(?<![\d.,:])(?P<hour>\d{1,2})(?:h|g(?=\d{2}))(?P<minutes>\d{2})?"
         r"(?![\w])", _say_time),
        (r"(?<![\d.,:])(?P<hour>\d{1,2}):(?P<minutes>\d{2})(?![\d:])", _say_time),
        (r"(?P<a>\d+)\s*[x×]\s*(?P<b>\d+)(?![\w])", _say_size),
        (rf"(?P<number>{NUMBER})\s*(?:{currency})(?:/(?P<per>\w+))?(?![\w])", _say_money),
        (rf"(?P<number>{NUMBER})\s*%", _say_percent),
        (rf"(?P<number>{NUMBER})\s*(?P<unit>{units})(?:/(?P<per>\w+))?(?![\w²³])", _say_unit),
        (r"(?P<word>(?i:thứ))\s+(?P<n>\d{1,2})(?!\d)", _say_ordinal),
        (r"(?<![\w])(?P<letter>[A-Z])(?P<n>\d{1,2})(?![\w])", _say_code),
        (r"(?<=[^\W\d_])-(?=\d)", _say_as(" ")),
    ]
    return (tuple((re.compile(pattern), say) for pattern, say in addresses),
            tuple((re.compile(pattern), say) for pattern, say in numeric))


@cache
def _abbreviation_rule(words: tuple[tuple[str, str], ...]) -> Rule:
    """The abbreviations (and a template's own words), each a whole word."""
    keys = sorted((key for key, _ in words if key), key=len, reverse=True)
    alternatives = "|".join(re.escape(key) for key in keys) or r"(?!)"
    return re.compile(rf"(?<![\w&.-])(?:{alternatives})(?![\w&-]|\.\w)"), _say_abbreviation


LATE_RULES: tuple[Rule, ...] = tuple((re.compile(p), say) for p, say in (
    (rf"(?P<word>(?i:{'|'.join(ROMAN_AFTER)}))\s+(?P<roman>[IVX]+)(?![\w])", _say_roman),
    (r"(?P<number>" + NUMBER + r")", _say_number),
    (r"\s*&\s*", _say_as(" và ")),
    (r"~\s*", _say_as("khoảng ")),
    (r"[≤]\s*", _say_as("không quá ")),
    (r"[≥]\s*", _say_as("từ ")),
    (r"<\s*(?=[^\W_])", _say_as("dưới ")),
    (r">\s*(?=[^\W_])", _say_as("trên ")),
    (r"\s+[-–—]+\s+|\s*[–—]\s*", _say_as(", ")),
    (r"\s*\(\s*", _say_as(", ")),
    (r"\s*\)", _say_as(", ")),
    (r"\s*/\s*", _say_as(", ")),
))


def _without_stray_symbols(text: str, said: _Said) -> str:
    """The text without the symbols no rule said (a bullet, an asterisk, an emoji); each
    noted in `said.unsaid`."""
    kept = []
    for char in text:
        if char in KEPT or char.isspace() or LETTER_OR_DIGIT.match(char):
            kept.append(char)
        else:
            said.unsaid.append(char)
            kept.append(" ")
    return "".join(kept)


def _tidy(text: str) -> str:
    """Spaces and commas left tidy by the rules: one space between words, no comma
    before a stop or after an opening, none doubled, none at the start of a line."""
    text = re.sub(r"[ \t]+", " ", text)
    text = re.sub(r" +([,.;:!?…])", r"\1", text)
    text = re.sub(r",(?:\s*,)+", ",", text)
    text = re.sub(r",([.;:!?…])", r"\1", text)
    text = re.sub(r"([:;]),", r"\1", text)
    text = re.sub(r"(?m)^[ ,]+|[ ,]+$", "", text)
    return re.sub(r",(?=\S)", ", ", text)


# -- Sentences and reading time ---------------------------------------------------------

SENTENCE_END = re.compile(r"(?<=[.!?…])[\"”’)]*\s+|(?<=:)[ \t]*\n\s*|\n[ \t]*\n\s*")


def sentences(text: str) -> list[str]:
    """A script split into sentences, each on one line (what a voice says one at a time):
    at a full stop, a question or exclamation mark or an ellipsis followed by a space, at
    a colon that ends a line, and at a blank line; a line broken only to keep it short is
    joined again."""
    found = []
    for part in SENTENCE_END.split(unicodedata.normalize("NFC", text).strip()):
        sentence = " ".join(part.split())
        if sentence:
            found.append(sentence)
    return found


def words_of(text: str) -> int:
    """How many words (syllables, as Vietnamese is written) a script has: what an
    announcer's pace is counted in."""
    return len(re.findall(r"[^\W_]+", text))


def reading_seconds(text: str, words_per_minute: int) -> float:
    """How long a script in the spoken register takes to read aloud at
    `words_per_minute` (announcers read 150 to 180)."""
    return words_of(text) * 60 / words_per_minute
