"""A unit's Markdown body as a list of simple blocks for layout (print, video).

cmark turns the Markdown into HTML (raw HTML in the body is left out); this
keeps paragraphs, headings and list items, with bold and italic inline.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from html.parser import HTMLParser

import cmarkgfm

INLINE = {"strong": "b", "b": "b", "em": "i", "i": "i"}
BLOCKS = {"p": "paragraph", "li": "item", "h1": "heading", "h2": "heading", "h3": "heading",
          "h4": "heading", "h5": "heading", "h6": "heading", "blockquote": "paragraph"}


@dataclass(frozen=True)
class Block:
    """One paragraph, heading or list item; `markup` holds only <b>, <i> and escaped text."""

    kind: str
    markup: str
    number: int = 0  # the position of an item in a numbered list, else 0


class _Blocks(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[Block] = []
        self._text: list[str] = []
        self._kind = "paragraph"
        self._lists: list[int] = []  # per open list: the next number, or 0 if bulleted

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("ul", "ol"):
            self._flush()
            self._lists.append(1 if tag == "ol" else 0)
        elif tag == "p" and self._kind == "item" and not "".join(self._text).strip():
            return  # the paragraph of a loose list item is the item itself
        elif tag in BLOCKS:
            self._flush()
            self._kind = BLOCKS[tag]
        elif tag in INLINE:
            self._text.append(f"<{INLINE[tag]}>")
        elif tag == "br":
            self._text.append("<br/>")

    def handle_endtag(self, tag: str) -> None:
        if tag in INLINE:
            self._text.append(f"</{INLINE[tag]}>")
        elif tag in BLOCKS:
            self._flush()
        elif tag in ("ul", "ol") and self._lists:
            self._lists.pop()
            self._kind = "item" if self._lists else "paragraph"

    def handle_data(self, data: str) -> None:
        self._text.append(html.escape(data.replace("\n", " "), quote=False))

    def _flush(self) -> None:
        markup = "".join(self._text).strip()
        self._text = []
        if not markup:
            return
        number = 0
        if self._kind == "item" and self._lists and self._lists[-1]:
            number = self._lists[-1]
            self._lists[-1] += 1
        self.blocks.append(Block(self._kind, markup, number))
        self._kind = "item" if self._lists else "paragraph"


def body_blocks(markdown: str) -> list[Block]:
    """The blocks of a Markdown body, in order."""
    parser = _Blocks()
    parser.feed(cmarkgfm.markdown_to_html(markdown))
    parser.close()
    parser._flush()
    return parser.blocks
