"""Debian's chromium, as Playwright drives it in these tests (never a browser download)."""

from __future__ import annotations

import shutil
from typing import Any

import pytest

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
NEEDED = pytest.mark.skipif(CHROMIUM is None, reason="no chromium binary: install Debian's "
                            "package (apt-get install chromium), as .ci/run does")


def watched_page(browser: Any, viewport: dict[str, int], errors: list[str]) -> Any:
    """A new tab whose console errors and uncaught exceptions land in `errors`."""
    page = browser.new_page(viewport=viewport)

    def console(message: Any) -> None:
        if message.type == "error":
            errors.append(message.text)

    page.on("console", console)
    page.on("pageerror", lambda error: errors.append(str(error)))
    return page
