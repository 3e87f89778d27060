"""A script's lines: short, broken where a reader pauses, never inside a number said."""

from __future__ import annotations

import math

from toolkit.spoken.numbers import DIGITS

# Breaking lines: how much a bad place to break weighs against a line left short, and
# how short a last line may be (of the width) before it costs.
PLACE_WEIGHT = 4.0
NUMBER_BREAK = 6.0  # inside a number said in words: worse than inside a two-syllable word
NUMBER_WORDS = frozenset((*DIGITS, "mười", "mươi", "trăm", "nghìn", "ngàn", "triệu", "tỷ",
                          "linh", "lẻ", "mốt", "lăm", "tư", "phẩy"))
COUNTED = frozenset(("ngày", "tháng", "số", "thứ", "bước", "giờ", "lần"))  # kept with theirs
LAST_LINE_AT_LEAST = 0.4


def wrapped(sentence: str, width: int) -> list[str]:
    """A sentence in lines of at most `width` characters (a word longer than a line
    stays whole), broken where a reader pauses anyway: after a comma, before "và",
    "để", "tại" (`subtitles.place_cost`, the rules the captions follow), never inside a
    number said in words, never leaving a word alone on the last line when it can be
    helped; lines as even as those breaks allow, all chosen together."""
    words = sentence.split()
    after = [_break_cost(words, j) for j in range(1, len(words))]  # the cost to break there
    best = [0.0] + [math.inf] * len(words)  # the least cost of the first j words
    start = [0] * (len(words) + 1)  # where the last line of that best setting starts
    for j in range(1, len(words) + 1):
        length = -1
        for i in range(j - 1, -1, -1):
            length += len(words[i]) + 1
            if length > width and i < j - 1:
                break
            last = j == len(words)
            cost = best[i] + _room_cost(length, width, last, i > 0)
            if not last:
                cost += PLACE_WEIGHT * after[j - 1]
            if cost < best[j]:
                best[j], start[j] = cost, i
    lines, j = [], len(words)
    while j:
        lines.append(" ".join(words[start[j]:j]))
        j = start[j]
    return lines[::-1]


def _room_cost(length: int, width: int, last: bool, after_another: bool) -> float:
    """How bad the room a line leaves is: any room, but on the last line only when it is
    much shorter than the others."""
    if last:
        room = max(0.0, width * LAST_LINE_AT_LEAST - length) if after_another else 0.0
    else:
        room = max(0, width - length)
    return (room / width * 10) ** 2


def _break_cost(words: list[str], j: int) -> float:
    """How bad a break before words[j] is."""
    from toolkit.render.subtitles import place_cost

    before, after = words[j - 1], words[j]
    year = after.lower() == "năm" and j >= 2 and words[j - 2].lower() == "tháng"
    in_number = _number_word(after) and (_number_word(before) or before.lower() in COUNTED)
    return NUMBER_BREAK if in_number and not year else place_cost(before, after)


def _number_word(word: str) -> bool:
    """A word of a number said ("hai", "mươi", "nghìn"): a line should not leave the
    rest of its number, nor its "tháng" or "số", for the next ("không hai | năm một",
    "tháng | ba" are harder to read out than to write)."""
    return word.lower() in NUMBER_WORDS
