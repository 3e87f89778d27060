"""Debian's chromium, as Playwright drives it in these tests (never a browser download)."""

from __future__ import annotations

import shutil

import pytest

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
NEEDED = pytest.mark.skipif(CHROMIUM is None, reason="no chromium binary: install Debian's "
                            "package (apt-get install chromium), as .ci/run does")
