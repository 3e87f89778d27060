"""Small pieces of the review page's HTML: escaping (imported as `_e` where markup is
written, as `_` is for translation), links, sentences that quote code."""

from __future__ import annotations

import html
import re


def escape(text: str) -> str:
    """Text as HTML, safe in an element and in a quoted attribute."""
    return html.escape(text, quote=True)


def link(url: str, label: str) -> str:
    """A link to `url` that reads `label`."""
    return f"<a href='{escape(url)}'>{escape(label)}</a>"


def prose(text: str) -> str:
    """A sentence as HTML, what it quotes in `backticks` (a command, a line to write) set
    as code."""
    return re.sub(r"`([^`]+)`", r"<code>\1</code>", escape(text))


def capital(label: str) -> str:
    """A label at the start of a line: its first letter a capital."""
    return label[:1].upper() + label[1:]
