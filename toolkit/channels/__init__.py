"""The registry of channels: every channel the toolkit knows, in build order.

Each module below exposes `CHANNEL`, an instance of a `Channel` subclass
(`toolkit/channels/base.py`). The registry is the one place that lists them;
everything else asks it. A channel from outside (a plug-in, a test) joins with
`register()`.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import PurePosixPath
from typing import Any

from toolkit import outbox
from toolkit.channels.base import Channel

# The modules of the channels shipped with the toolkit.
BUILTIN = ("print_pdf", "video", "bulletin", "sms", "rss", "social", "radio")

_added: list[Channel[Any]] = []


@cache
def _builtin() -> tuple[Channel[Any], ...]:
    return tuple(importlib.import_module(f"{__name__}.{module}").CHANNEL for module in BUILTIN)


def channels() -> tuple[Channel[Any], ...]:
    """Every channel, in build order: those whose files others take (print, video, the
    bulletin) before those that take them (the feed, the SMS list)."""
    return _in_order(*_builtin(), *_added)


@cache
def _in_order(*every: Channel[Any]) -> tuple[Channel[Any], ...]:
    return tuple(sorted(every, key=lambda c: c.needs_attachments or c.needs_issues))


def names() -> tuple[str, ...]:
    """The names of every channel, in build order."""
    return tuple(c.name for c in channels())


def channel(name: str) -> Channel[Any]:
    """The channel called `name`; KeyError if there is none."""
    for found in channels():
        if found.name == name:
            return found
    raise KeyError(name)


def media_type(path: str) -> str:
    """The media type of an outbox file given as channel/path: what its channel declares
    for its extension, else what the outbox knows."""
    name, _, rest = path.partition("/")
    declared = next((c.media_types for c in channels() if c.name == name), {})
    return declared.get(PurePosixPath(rest).suffix.lower()) or outbox.media_type(rest)


def defaults(kind: str) -> tuple[str, ...]:
    """The channels a unit of `kind` gets when it names none."""
    return _defaults(kind, channels())


@cache
def _defaults(kind: str, every: tuple[Channel[Any], ...]) -> tuple[str, ...]:
    return tuple(c.name for c in every if kind in c.kinds)


@contextmanager
def registered(extra: Channel[Any]) -> Iterator[Channel[Any]]:
    """Add a channel for the length of a `with` block (a plug-in, a test's channel)."""
    _added.append(extra)
    try:
        yield extra
    finally:
        _added.remove(extra)
