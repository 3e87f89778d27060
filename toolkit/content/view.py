"""What every channel says of a unit beyond its own fields: one rule each, kept here.

A leaflet, a clip, an SMS and the bulletin all name a hotline, point a QR code
somewhere and credit someone; when a rule changes, it changes once.
"""

from __future__ import annotations

from toolkit.content.model import AnyUnit, Notice
from toolkit.settings import Settings


def hotline(unit: AnyUnit, settings: Settings) -> str:
    """The number to call about a unit: a notice's own hotline, else the organisation's."""
    return unit.hotline if isinstance(unit, Notice) else settings.organisation.hotline


def byline(unit: AnyUnit) -> str:
    """Who a unit credits: a procedure's agency, an example's organisation, or nobody."""
    return getattr(unit, "agency", None) or getattr(unit, "organisation", None) or ""


def bare_url(url: str) -> str:
    """An address as people type it: without http:// or https:// (an SMS, a caption)."""
    return url.removeprefix("https://").removeprefix("http://")
