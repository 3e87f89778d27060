"""The items of an area's feeds as the portal reads them (`FeedItem`), for the review
page to show each unit's item; a feed file is parsed once for each version of it."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from datetime import datetime
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any

from toolkit.channels import media_type

FEED_TYPE = "application/rss+xml"
CONTENT_ENCODED = "{http://purl.org/rss/1.0/modules/content/}encoded"


@dataclass(frozen=True)
class FeedItem:
    """A unit's item in a feed, as the portal reads it."""

    title: str
    link: str
    published: datetime | None
    summary: str
    content: str
    enclosure: str
    enclosure_type: str
    enclosure_bytes: int


def feed_items(folder: Path, shared: list[tuple[str, str]]) -> dict[str, tuple[str, FeedItem]]:
    """The items of the area's feeds, with their channel, by guid (a unit's page): the
    first feed that has an item wins (every feed says the same of a unit). An item is
    made of what its feed says once, and again only when that changed."""
    global _ITEMS
    found: dict[str, tuple[str, FeedItem]] = {}
    made: dict[Raw, FeedItem] = {}
    for channel, path in shared:
        if media_type(path) == FEED_TYPE:
            for guid, raw in read_feed(folder / path):
                if guid not in found:
                    item = made[raw] = made.get(raw) or _ITEMS.get(raw) or _item(raw)
                    found[guid] = (channel, item)
    _ITEMS = made
    return found


# What an item of a feed says: title, link, pubDate, description, content:encoded,
# and the enclosure's url, type and length, as written.
Raw = tuple[str, str, str, str, str, str, str, str]

# What each feed file read said, with its size and time then; and the items last made.
_FEEDS: dict[Path, tuple[tuple[int, int], tuple[tuple[str, Raw], ...]]] = {}
_ITEMS: dict[Raw, FeedItem] = {}


def read_feed(path: Path) -> tuple[tuple[str, Raw], ...]:
    """(guid, what it says) of every item of an RSS file; nothing for a file that
    cannot be read. Parsed once for each version of the file (its size and time)."""
    try:
        info = path.stat()
    except OSError:
        return ()
    key = (info.st_size, info.st_mtime_ns)
    cached = _FEEDS.get(path)
    if cached is not None and cached[0] == key:
        return cached[1]
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    try:
        root = etree.parse(str(path), parser).getroot()
    except (OSError, etree.XMLSyntaxError):
        return ()
    items = tuple((element.findtext("guid") or "", _raw(element))
                  for element in root.iterfind("channel/item"))
    _FEEDS[path] = (key, items)
    return items


def _raw(element: Any) -> Raw:
    enclosure = element.find("enclosure")
    attributes = enclosure.attrib if enclosure is not None else {}
    return (element.findtext("title") or "", element.findtext("link") or "",
            element.findtext("pubDate") or "", element.findtext("description") or "",
            element.findtext(CONTENT_ENCODED) or "", attributes.get("url", ""),
            attributes.get("type", ""), attributes.get("length", ""))


def _item(raw: Raw) -> FeedItem:
    title, link, published, description, content, url, kind, length = raw
    return FeedItem(title, link, http_date(published), _text(description), content, url,
                    kind, int(length) if length.isdigit() else 0)


def _text(markup: str) -> str:
    """What HTML says as plain text: a description is HTML, but the feed writes plain
    text escaped into it."""
    return " ".join(html.unescape(re.sub(r"<[^>]*>", " ", markup)).split())


def http_date(text: str) -> datetime | None:
    """An RSS date (RFC 822), or None if it is not one."""
    try:
        return parsedate_to_datetime(text)
    except (TypeError, ValueError, OverflowError):
        return None
