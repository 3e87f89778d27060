"""Shared drawing: fonts, colours, the body's Markdown as blocks. Used by print (and video)."""

from __future__ import annotations

from collections.abc import Callable


def most_words(count: int, fits: Callable[[int], bool]) -> int:
    """The most of `count` words (0 to `count`) for which `fits(n)` holds, by bisection:
    what of a text fits a box. `fits` must hold for every n below one for which it holds."""
    low, high = 0, count
    while low < high:
        middle = (low + high + 1) // 2
        if fits(middle):
            low = middle
        else:
            high = middle - 1
    return low
