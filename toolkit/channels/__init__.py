"""Channels: one module each, imported only when a build asks for it.

A channel module has:
- `TEMPLATES`: its folder under templates/;
- `TEMPLATE`: the `Template` subclass its templates are checked against;
- `plan(units, context) -> list[Job]`: the files it makes (rendering is deferred
  to each job, so the build can skip what is up to date);
- `check(unit, context, thorough=False) -> list[Problem]`: what would stop it
  rendering a unit. The build runs the quick check on every unit; `toolkit
  check` runs the thorough one, which may lay the unit out (print overflow).
"""

from __future__ import annotations

import importlib
from types import ModuleType

# In build order: the feed links to what print and video made.
CHANNEL_MODULES: dict[str, str] = {
    "print": "toolkit.channels.print_pdf",
    "video": "toolkit.channels.video",
    "bulletin": "toolkit.channels.bulletin",
    "sms": "toolkit.channels.sms",
    "rss": "toolkit.channels.rss",
}

# Channels `toolkit build` makes; the bulletin is made by `toolkit bulletin`.
AVAILABLE: tuple[str, ...] = ("print", "video", "sms", "rss")


def channel_module(name: str) -> ModuleType:
    """Import the module of one channel, and nothing of the others."""
    return importlib.import_module(CHANNEL_MODULES[name])
