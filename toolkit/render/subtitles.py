"""Subtitles by the rules people use (the BBC and Netflix timed-text guides), and
their SRT and WebVTT files.

A cue holds at most two lines of at most 42 characters. Where a line or a cue may
end, from best to worst:

- after punctuation;
- before a conjunction or a preposition that opens a phrase ("và", "hoặc", "để",
  `PHRASE_OPENERS`), or before a bracket;
- anywhere else between words;
- between the two syllables of a common word ("điện tử", `COMPOUNDS`): a cost, not
  a ban, since a line must still fit;
- after a conjunction or a preposition, left dangling at a line's end: the worst.

Never inside a run that reads as one (`runs`): what `typeset.tie` keeps together in
print (phone numbers, a number and its unit, "số 45/2020/NĐ-CP", "ngày 31/12/2021",
"TP. Long Khánh", "UBND xã", a place's name), and what captions add (`CAPTION_RUNS`):
a name, a bracketed phrase short enough for a line, a time, a weekday. The two lines
of a cue are as even as the allowed breaks make them. The cuts of a whole text are
chosen together (dynamic programming), so a fragment like "Người dân," joins its
neighbour instead of flashing by: a cue too short to last `min_seconds` at
`target_cps` costs more than any cut.

Each cue stays on screen for its characters at `target_cps` (14 a second), never
faster than `max_cps` (17), at least `min_seconds` (1.5 s) and at most
`max_seconds` (7 s); cues never overlap and `gap_frames` separate them. Times fall
on frame boundaries, so the burned-in subtitles and the sidecar files agree exactly.

A cue's text has ordinary spaces, never the no-break spaces `tie` works with: the
runs are kept whole by where the lines break, the lines are given (nothing wraps
them again), and some players draw U+00A0 in an SRT file as a box or a wider gap.
"""

from __future__ import annotations

import html
import math
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise

NBSP = "\xa0"  # what typeset.tie puts where a line must not break
CLAUSE_END = re.compile(r"[,;:.!?…)»”]$")
# Function words that open a phrase: a line or cue may start before them, and should
# not end on them. (Some are verbs too, "cho", "để": it is a cost, not a rule.)
PHRASE_OPENERS = frozenset(
    ["và", "hoặc", "hay", "nhưng", "mà", "để", "của", "tại", "qua", "trên", "cho", "với",
     "khi", "nếu", "thì", "từ", "đến", "theo", "bằng", "trong", "sau", "trước", "nơi", "vì",
     "do", "rồi", "cùng", "như", "về", "là", "nên"])

# Two-syllable words of the administrative vocabulary. Vietnamese writes a space between
# syllables, so without a segmenter "điện / tử" looks like any other place to break; this
# list names the common ones. Taken from the sample content (content/*.md) and the words
# of public services around it; a pair is looked up in lower case.
COMPOUNDS = frozenset([
    # the services, the offices, their people
    "dịch vụ", "hành chính", "thủ tục", "bộ phận", "một cửa", "trung tâm", "cơ quan",
    "nhà nước", "ủy ban", "nhân dân", "công chức", "cán bộ", "viên chức", "nhân viên",
    "tổng đài", "bưu điện", "bưu chính", "bưu cục", "công ích", "quốc gia", "tư pháp",
    "công an", "tòa án", "thẩm quyền", "lưu động", "cấp huyện", "cấp xã", "cấp tỉnh",
    "thành phố", "thị xã", "thị trấn", "địa phương", "nghị định", "thông tư", "quyết định",
    "quy định", "văn bản", "chính sách", "chính phủ",
    # the papers
    "hồ sơ", "giấy tờ", "giấy phép", "tờ khai", "biên nhận", "chứng nhận", "chứng thực",
    "chứng sinh", "chứng minh", "căn cước", "hộ chiếu", "hộ khẩu", "hộ tịch", "khai sinh",
    "khai tử", "kết hôn", "lý lịch", "tùy thân", "bản chính", "bản sao", "mã số", "danh mục",
    "thành phần", "trình tự", "lệ phí", "kết quả", "đơn từ", "giấy khám",
    # doing it online
    "trực tuyến", "điện tử", "đăng ký", "đăng nhập", "tài khoản", "mật khẩu", "truy cập",
    "tra cứu", "thông tin", "dữ liệu", "kết nối", "hệ thống", "ứng dụng", "điện thoại",
    "tin nhắn", "số hóa", "giao dịch", "thanh toán", "địa chỉ", "tải lên", "tải về",
    # what people do and get
    "người dân", "doanh nghiệp", "công dân", "cá nhân", "tổ chức", "gia đình", "cha mẹ",
    "hướng dẫn", "tiếp nhận", "giải quyết", "xử lý", "hỗ trợ", "phục vụ", "phản ánh",
    "kiến nghị", "khiếu nại", "tố cáo", "đề nghị", "yêu cầu", "cung cấp", "chuẩn bị",
    "kiểm tra", "đối chiếu", "xuất trình", "ký nhận", "theo dõi", "thực hiện", "áp dụng",
    "sửa đổi", "bổ sung", "hợp lệ", "đánh giá", "hài lòng", "khảo sát", "ý kiến", "góp ý",
    "giải đáp", "thí điểm", "địa giới",
    "sáng kiến", "tập huấn", "cư trú", "thường trú", "tạm trú", "kinh doanh", "cửa hàng",
    "lái xe", "giao thông", "vận tải", "sức khỏe", "y tế", "bảo hiểm", "xã hội", "đất đai",
    "xây dựng", "lao động", "việc làm", "giáo dục", "ưu tiên", "cao tuổi", "khuyết tật",
    "trẻ em", "miễn phí", "chi phí", "thời gian", "thời hạn", "làm việc", "ngày nghỉ",
    "chủ nhật", "tình trạng", "chất lượng", "mức độ", "thiết bị", "máy tính", "thái độ",
    "tinh thần", "công khai", "liên quan", "chính thức", "tự động", "định kỳ", "bình quân",
    "đơn giản", "tiếp tục", "nâng cao", "bố trí", "thứ tự", "cuộc gọi", "ngành nghề",
    "trụ sở", "nội dung", "môi trường", "vật chất", "cơ sở", "chân dung", "rõ nét",
    # three-syllable terms, by their inner pair: hộ kinh doanh, dịch vụ công, hành chính
    # công, bưu chính công ích
    "hộ kinh", "vụ công", "chính công",
])

# Runs captions keep whole beyond those `tie` makes; each matched against the text with
# its ties, all of a match or none of it.
_UPPER = "".join(c for c in map(chr, range(0x41, 0x1EFA)) if c.isalpha() and c.isupper())
_LOWER = "".join(c for c in map(chr, range(0x61, 0x1EFA)) if c.isalpha() and c.islower())
_CAPITAL = f"[{_UPPER}][{_LOWER}]*"  # a syllable with a capital: Nguyễn, Đồng, A
_GAP = "[ \xa0]"
_OFFICES = "|".join((
    "Bộ phận", "Trung tâm", "Cổng", "Tổng đài", "Sở", "Phòng", "Ban", "Cục", "Chi cục",
    "Văn phòng", "Ủy ban", "Hội đồng", "Bộ", "Tòa án", "Viện", "Kho bạc",
)).replace(" ", _GAP)
CAPTION_RUNS: tuple[re.Pattern[str], ...] = (
    # A bracketed phrase: (không áp dụng với hạng A1, A2, A3), (số 1 hoặc số 2).
    re.compile(r"\([^()]*\)"),
    # A name: syllables that each open with a capital, Nguyễn Văn An, Việt Nam, Đồng Nai,
    # huyện Tân Phú (and a place word before one, Cổng Dịch vụ, by the same sign).
    re.compile(rf"(?<!\w){_CAPITAL}(?:{_GAP}{_CAPITAL}){{1,4}}(?!\w)"),
    # A time of day: 7 giờ 30, 7 giờ 30 phút.
    re.compile(rf"(?<![\w.,])\d{{1,2}}{_GAP}giờ{_GAP}\d{{1,2}}(?:{_GAP}phút)?(?!\w)"),
    # A day of the week: thứ Hai, thứ sáu.
    re.compile(rf"(?<!\w)(?i:thứ){_GAP}(?i:hai|ba|tư|năm|sáu|bảy)(?!\w)"),
    # A date in words: ngày 31 tháng 12 năm 2021 (tie makes it of pairs, and may stop).
    re.compile(rf"(?<!\w)(?i:ngày){_GAP}\d{{1,2}}{_GAP}tháng{_GAP}\d{{1,2}}"
               rf"(?:{_GAP}năm{_GAP}\d{{4}})?(?!\w)"),
)
# An office and the capital that opens its name: Bộ phận Một cửa, Trung tâm Hành chính
# công, Cổng Dịch vụ công, Sở Tư pháp. The name goes on while its syllables make listed
# words (COMPOUNDS): "Bộ phận Một cửa | UBND", "Sở Giao thông | vận tải".
OFFICE = re.compile(rf"(?<!\w)(?:{_OFFICES}){_GAP}{_CAPITAL}(?!\w)")


@dataclass(frozen=True)
class Rules:
    """The subtitle norms; templates/video/*.toml may set them (the fields after `fps`
    keep their defaults when it does not)."""

    max_chars: int = 42
    max_lines: int = 2
    min_seconds: float = 1.5
    max_seconds: float = 7.0
    max_cps: float = 17.0
    gap_frames: int = 2
    fps: int = 25
    target_cps: float = 14.0

    @property
    def pace(self) -> float:
        """Characters a second a cue is timed at: the target, within the limit."""
        return min(self.target_cps, self.max_cps)

    @property
    def least_chars(self) -> float:
        """A cue shorter than this would be on screen less than `min_seconds` at the
        target pace: a fragment to join to its neighbour."""
        return self.min_seconds * self.pace


@dataclass(frozen=True)
class Cue:
    """Lines shown from `start` to `end`, in frames."""

    start: int
    end: int
    lines: tuple[str, ...]

    @property
    def text(self) -> str:
        """The cue's lines joined, as it is read."""
        return " ".join(self.lines)


# --- runs: words that stay together ------------------------------------------------------


def runs(text: str, rules: Rules) -> list[tuple[str, ...]]:
    """The words of `text` in order, grouped into the runs no line or cue may cut: a
    phone number, a date, a name... (see the module's docstring); most runs are one word.
    A run is never longer than a line: a longer match is left free to break."""
    return [tuple(run) for run in _runs(unicodedata.normalize("NFC", text), rules.max_chars)]


@lru_cache(maxsize=1024)
def _runs(text: str, max_chars: int) -> tuple[tuple[str, ...], ...]:
    words, tied = _tied_words(text, max_chars)
    for pattern in CAPTION_RUNS:
        _tie_matches(pattern, words, tied, max_chars)
    _tie_matches(OFFICE, words, tied, max_chars, through_words=True)
    grouped: list[list[str]] = []
    for i, word in enumerate(words):
        if i and tied[i - 1]:
            grouped[-1].append(word)
        else:
            grouped.append([word])
    return tuple(tuple(g) for g in grouped)


def _tied_words(text: str, max_chars: int) -> tuple[list[str], list[bool]]:
    """The words of `text`, and for each space between two of them whether `typeset.tie`
    ties it (a no-break space already in the text counts as tied)."""
    from toolkit.render.typeset import tie  # ReportLab: when captions are cut, not at import

    # tie reads markup: escaped, the text's own < and & stay text.
    marked = html.unescape(tie(html.escape(text, quote=False),
                               lambda run: len(run) <= max_chars))
    spans = [m.span() for m in re.finditer(r"\S+", marked)]
    words = [marked[a:b] for a, b in spans]
    tied = [set(marked[a_end:b_start]) == {NBSP}
            for (_, a_end), (b_start, _) in pairwise(spans)]
    return words, tied


def _tie_matches(pattern: re.Pattern[str], words: list[str], tied: list[bool],
                 max_chars: int, through_words: bool = False) -> None:
    """Tie the spaces inside each match of `pattern` (in the words joined by their
    spaces, tied ones as no-break spaces), and on through listed words if
    `through_words`, unless the run it makes is longer than a line."""
    joined = "".join(w + (NBSP if i < len(tied) and tied[i] else " ")
                     for i, w in enumerate(words))
    starts = list(_word_starts(words))
    for match in pattern.finditer(joined):
        first = _word_at(starts, match.start())
        last = _word_at(starts, match.end() - 1)
        while through_words and last + 1 < len(words) and inside_word(words[last],
                                                                        words[last + 1]):
            last += 1
        if first < last and _run_length(words, tied, first, last) <= max_chars:
            for gap in range(first, last):
                tied[gap] = True


def _run_length(words: list[str], tied: list[bool], first: int, last: int) -> int:
    """How long the run of words[first:last + 1] would be once tied, with the words
    already tied to either end."""
    while first > 0 and tied[first - 1]:
        first -= 1
    while last < len(tied) and tied[last]:
        last += 1
    return len(" ".join(words[first:last + 1]))


def _word_starts(words: list[str]) -> Iterator[int]:
    at = 0
    for word in words:
        yield at
        at += len(word) + 1


def _word_at(starts: list[int], offset: int) -> int:
    """The index of the word that holds character `offset` (a space goes with the word
    before it)."""
    low, high = 0, len(starts) - 1
    while low < high:
        middle = (low + high + 1) // 2
        if starts[middle] <= offset:
            low = middle
        else:
            high = middle - 1
    return low


def inside_word(before: str, after: str) -> bool:
    """True when a break between these two words would cut a listed two-syllable word
    ("điện | tử"; punctuation after the first word marks the end of a word)."""
    if CLAUSE_END.search(before):
        return False
    return f"{before} {after.rstrip(',;:.!?…)»”')}".lower() in COMPOUNDS


# --- where to break ---------------------------------------------------------------------

# How bad each kind of break is (see the module's docstring); a cut between cues weighs
# more than one between the two lines of a cue, where balance matters as much.
AFTER_PUNCTUATION = 0.0
BEFORE_OPENER = 1.0
BETWEEN_WORDS = 3.0
INSIDE_WORD = 5.0
DANGLING = 8.0
CUE_PLACE_WEIGHT = 20.0
LINE_PLACE_WEIGHT = 5.0
UNEVEN_WEIGHT = 30.0  # two lines, one of them empty
CUE_COST = 10.0  # each cue: more, shorter cues only where they cut at better places
SHORT_CUE_COST = 200.0  # a cue too short to read at the pace for `min_seconds`


def place_cost(before: str, after: str) -> float:
    """How bad a break between two words is (0 best); see the module's docstring."""
    if CLAUSE_END.search(before):
        return AFTER_PUNCTUATION
    if before.lower() in PHRASE_OPENERS:
        return DANGLING
    if inside_word(before, after):
        return INSIDE_WORD
    if after.lower() in PHRASE_OPENERS or after.startswith(("(", "«", "“")):
        return BEFORE_OPENER
    return BETWEEN_WORDS


@dataclass(frozen=True)
class _Setting:
    """Runs set as the lines of one cue, and what it costs."""

    lines: tuple[str, ...]
    cost: float


def _length(runs: tuple[tuple[str, ...], ...]) -> int:
    return sum(len(word) + 1 for run in runs for word in run) - 1


def _text(runs: tuple[tuple[str, ...], ...]) -> str:
    return " ".join(word for run in runs for word in run)


def _set(runs: tuple[tuple[str, ...], ...], rules: Rules) -> _Setting | None:
    """The runs as the lines of one cue at the best break, or None if they do not fit
    `max_lines` lines of `max_chars` (a single run longer than a line stands alone)."""
    whole = _text(runs)
    if len(whole) <= rules.max_chars or len(runs) == 1:
        return _Setting((whole,), 0.0)
    if rules.max_lines < 2:
        return None
    best: _Setting | None = None
    for k in range(1, len(runs)):
        top, bottom = _text(runs[:k]), _text(runs[k:])
        if len(top) > rules.max_chars or len(bottom) > rules.max_chars:
            continue
        uneven = abs(len(top) - len(bottom)) / len(whole)
        cost = (LINE_PLACE_WEIGHT * place_cost(runs[k - 1][-1], runs[k][0])
                + UNEVEN_WEIGHT * uneven)
        if best is None or cost < best.cost:
            best = _Setting((top, bottom), cost)
    return best


def chunks(text: str, rules: Rules) -> list[tuple[str, ...]]:
    """The text as the lines of successive cues, every word kept in order: the cuts
    (between cues, and between the lines of each) that cost least in all, no run cut,
    and no cue too short to read unless the whole text is."""
    return list(_chunks(unicodedata.normalize("NFC", text), rules))


@dataclass(frozen=True)
class _Way:
    """The cheapest way found to set the pieces before some place as cues: its cost,
    and its last cue (where it starts, and its lines)."""

    cost: float
    start: int = 0
    lines: tuple[str, ...] = ()


@lru_cache(maxsize=1024)
def _chunks(text: str, rules: Rules) -> tuple[tuple[str, ...], ...]:
    """Dynamic programming over the places between runs: ways[j] is the cheapest way to
    set pieces[:j], found from every ways[i] and a cue of pieces[i:j] that fits."""
    pieces = _runs(text, rules.max_chars)
    longest = rules.max_lines * (rules.max_chars + 1)
    ways = [_Way(0.0)] + [_Way(math.inf)] * len(pieces)
    for i in range(len(pieces)):
        for j in range(i + 1, len(pieces) + 1):
            if j > i + 1 and _length(pieces[i:j]) > longest:
                break
            setting = _set(pieces[i:j], rules)
            if setting is None:
                continue
            cost = ways[i].cost + setting.cost + _cue_cost(pieces, i, j, rules)
            if cost < ways[j].cost:
                ways[j] = _Way(cost, i, setting.lines)
    return _walk_back(ways)


def _walk_back(ways: list[_Way]) -> tuple[tuple[str, ...], ...]:
    """The cues of the cheapest way to set every piece, first to last."""
    cues: list[tuple[str, ...]] = []
    j = len(ways) - 1
    while j:
        cues.append(ways[j].lines)
        j = ways[j].start
    return tuple(reversed(cues))


def _cue_cost(pieces: tuple[tuple[str, ...], ...], i: int, j: int, rules: Rules) -> float:
    """What a cue of pieces[i:j] costs beyond its lines: the cut after it, and being too
    short to read (unless it is the whole text)."""
    cost = CUE_COST
    if j < len(pieces):
        cost += CUE_PLACE_WEIGHT * place_cost(pieces[j - 1][-1], pieces[j][0])
    length = _length(pieces[i:j])
    if length < rules.least_chars and (i, j) != (0, len(pieces)):
        cost += SHORT_CUE_COST * (1 + (rules.least_chars - length) / rules.least_chars)
    return cost


# --- timing and files -------------------------------------------------------------------


def frames_to_read(lines: tuple[str, ...], rules: Rules) -> int:
    """How many frames a cue needs on screen: its characters at the target pace, at least
    `min_seconds`, at most `max_seconds`."""
    seconds = len(" ".join(lines)) / rules.pace
    seconds = min(max(seconds, rules.min_seconds), rules.max_seconds)
    return math.ceil(seconds * rules.fps - 1e-9)


def timed(groups: list[tuple[str, ...]], start: int, rules: Rules) -> list[Cue]:
    """Cues one after another from frame `start`, each followed by the gap."""
    cues = []
    frame = start
    for lines in groups:
        length = frames_to_read(lines, rules)
        cues.append(Cue(frame, frame + length, lines))
        frame += length + rules.gap_frames
    return cues


def srt(cues: list[Cue], fps: int) -> bytes:
    """The cues as SubRip (.srt)."""
    blocks = [f"{i}\n{_clock(c.start, fps, ',')} --> {_clock(c.end, fps, ',')}\n"
              + "\n".join(c.lines) + "\n" for i, c in enumerate(cues, start=1)]
    return "\n".join(blocks).encode("utf-8")


def webvtt(cues: list[Cue], fps: int) -> bytes:
    """The cues as WebVTT (.vtt)."""
    blocks = [f"{_clock(c.start, fps, '.')} --> {_clock(c.end, fps, '.')}\n" + "\n".join(c.lines)
              + "\n" for c in cues]
    return ("WEBVTT\n\n" + "\n".join(blocks)).encode("utf-8")


def _clock(frame: int, fps: int, separator: str) -> str:
    millis = round(frame * 1000 / fps)
    hours, rest = divmod(millis, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    seconds, millis = divmod(rest, 1000)
    return f"{hours:02d}:{minutes:02d}:{seconds:02d}{separator}{millis:03d}"
