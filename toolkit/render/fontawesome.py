"""The installed Font Awesome Free: the names of its solid icons, their files and
letters, the names close to a mistaken one, and the credit its licence asks for.

Templates check their pictogram names against it as they load, and a video frame
draws the icons as letters of its font; neither needs what draws the icons as
PDF paths (`toolkit.render.icons`, with ReportLab and svglib), so this module
imports neither.

NOTICE: the icons are Font Awesome Free by Fonticons, Inc. (https://fontawesome.com),
licensed under CC BY 4.0 (https://creativecommons.org/licenses/by/4.0/); they are
drawn unmodified but for colour and size. CC BY asks for credit wherever they are
used: `ATTRIBUTION` (English, for documentation and file metadata) and
`attribution()` (the Vietnamese line for a printed imprint) give it.
"""

from __future__ import annotations

import difflib
import json
from functools import cache
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

from toolkit.i18n import N_, _, vietnamese
from toolkit.problems import quote

PACKAGE = "fontawesomefree"
SOLID = ("static", "fontawesomefree", "svgs", "solid")
ATTRIBUTION = N_("Icons: Font Awesome Free by Fonticons, Inc. (fontawesome.com), "
                 "licensed under CC BY 4.0")

def attribution() -> str:
    """The credit line CC BY 4.0 asks for, in Vietnamese: what goes to citizens (a
    leaflet's imprint) is Vietnamese whatever the officer reads."""
    return vietnamese(ATTRIBUTION)


@cache
def solid_folder() -> Traversable:
    folder = resources.files(PACKAGE)
    for part in SOLID:
        folder = folder / part
    return folder


@cache
def icon_names() -> frozenset[str]:
    """Every solid icon the installed Font Awesome Free has ("clock", "location-dot"):
    what a template may name."""
    return frozenset(entry.name.removesuffix(".svg") for entry in solid_folder().iterdir()
                     if entry.name.endswith(".svg"))


def glyph_font() -> Path:
    """The Font Awesome Free solid font (TTF) of the installed package: what a raster
    (a video frame) draws the same pictograms with, as letters."""
    return Path(str(resources.files(PACKAGE) / "static" / "fontawesomefree" / "js-packages" /
                    "@fortawesome" / "fontawesome-free" / "webfonts" / "fa-solid-900.ttf"))


def glyph(name: str) -> str:
    """The letter of the solid font that draws icon `name` (a ValueError, as `known_icon`,
    for a name it does not have)."""
    known_icon(name)
    return chr(int(_metadata()[name]["unicode"], 16))


def close_icon_names(name: str, most: int = 5) -> list[str]:
    """The icons a template author most likely meant by `name`, best first: the icon an
    older Font Awesome name stands for now ("map-marker-alt": "location-dot"), the same
    words in another order ("info-circle": "circle-info"), then names spelled like it.
    Only for an unknown name: it reads Font Awesome's metadata (a few tens of ms)."""
    names = sorted(icon_names())
    words = sorted(name.split("-"))
    close = [*([_aliases()[name]] if name in _aliases() else []),
             *(other for other in names if sorted(other.split("-")) == words),
             *difflib.get_close_matches(name, names, n=most, cutoff=0.5)]
    return list(dict.fromkeys(other for other in close if other != name))[:most]


@cache
def _aliases() -> dict[str, str]:
    """Former names of the free solid icons (Font Awesome 4 and 5), to their names now."""
    try:
        icons = _metadata()
    except (OSError, ValueError):  # metadata left out of a trimmed install: spelling only
        return {}
    return {alias: name for name, entry in icons.items() if name in icon_names()
            for alias in entry.get("aliases", {}).get("names", [])}


@cache
def _metadata() -> dict[str, Any]:
    """Font Awesome's description of its icons (names, letters, former names): read once."""
    metadata = resources.files(PACKAGE) / "static" / "fontawesomefree" / "metadata"
    icons: dict[str, Any] = json.loads((metadata / "icons.json").read_bytes())
    return icons


def known_icon(name: str) -> str:
    """`name` if Font Awesome Free has a solid icon of that name; else a ValueError that
    says which names are close (for a template's validation: its problem, on its line)."""
    if name not in icon_names():
        raise ValueError(unknown_icon(name))
    return name


def unknown_icon(name: str) -> str:
    """What to say of an icon name the installed Font Awesome Free does not have."""
    close = close_icon_names(name)
    if not close:
        return _("there is no icon {name} in Font Awesome Free (solid); see "
                 "fontawesome.com/search?o=r&m=free&s=solid").format(name=quote(name))
    return _("there is no icon {name} in Font Awesome Free (solid); did you mean "
             "{names}?").format(name=quote(name), names=", ".join(close))
