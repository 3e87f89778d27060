"""Fonts: Be Vietnam Pro from the fontpkg-be-vietnam-pro package, or a TTF the template names.

Fonts are registered with ReportLab once per process; ReportLab embeds a
subset of each font used, so every mark of Vietnamese travels with the PDF.
Each subset is tagged (ISO 32000-1 §9.6.4: six capitals and "+") by a digest of
the font and the characters it holds, so different subsets in a file never
share a tag and the same text gives the same bytes.
"""

from __future__ import annotations

import hashlib
import string
import threading
from functools import cache
from pathlib import Path
from typing import Any

from toolkit.i18n import _
from toolkit.problems import Problem, ProblemError, quote

STYLES = ("regular", "bold", "italic", "heavy")
_NAMING = threading.Lock()  # ReportLab's subset naming is swapped for ours one font at a time


def font_file(name: str, project_dir: Path) -> Path:
    """A font file: a name in the Be Vietnam Pro package, or a path in the project."""
    own = project_dir / name
    if own.is_file():
        return own
    try:
        import fontpkg_be_vietnam_pro as package
    except ImportError:
        raise ProblemError(Problem("fonts", None, "",
                                   _("the Be Vietnam Pro fonts are not installed"),
                                   _("reinstall the toolkit: pip install cchc-toolkit"))) from None
    path = Path(package.ROOT, "files", name)
    if not path.is_file():
        raise ProblemError(Problem("templates", None, "fonts",
                                   _("there is no font file {name}").format(name=quote(name)),
                                   _("name a file of Be Vietnam Pro, like BeVietnamPro-Bold.ttf, "
                                     "or a .ttf file in the project folder")))
    return path


@cache
def pdf_font(path: Path) -> str:
    """Register a TTF with ReportLab (once) and return the name to draw with."""
    from reportlab.pdfbase import pdfmetrics

    name = path.stem
    pdfmetrics.registerFont(_tagged_font_class()(name, str(path)))
    return name


def subset_tag(font: bytes, codes: list[int], taken: set[str]) -> str:
    """Six capitals naming a subset of a font: a digest of the font's name and the
    characters of the subset, drawn again while another subset of the file has it."""
    seed = font + b"|" + ",".join(map(str, codes)).encode()
    while True:
        number = int.from_bytes(hashlib.sha256(seed).digest()[:8], "big")
        tag = "".join(string.ascii_uppercase[number // 26 ** i % 26] for i in range(6))
        if tag not in taken:
            taken.add(tag)
            return tag
        seed += b"+"


@cache
def _tagged_font_class() -> type:
    """ReportLab's TTFont, naming its subsets by `subset_tag` instead of by their number
    (AAAAAA+ for the first subset of every font)."""
    from reportlab.pdfbase import ttfonts

    class TaggedTTFont(ttfonts.TTFont):
        def addObjects(self, doc: Any) -> None:
            taken: set[str] = doc.__dict__.setdefault("subset_tags", set())
            state = self.state.get(doc)
            tags = [subset_tag(self.face.name, subset, taken)
                    for subset in (state.subsets if state else [])]
            # ReportLab names subset n by its module's SUBSETN(n) inside addObjects: ours,
            # for this call (copying its 40 lines would be the other way).
            with _NAMING:
                original = ttfonts.SUBSETN
                ttfonts.SUBSETN = lambda n: tags[n].encode()
                try:
                    super().addObjects(doc)
                finally:
                    ttfonts.SUBSETN = original

    return TaggedTTFont


@cache
def pdf_family(regular: Path, bold: Path, italic: Path) -> str:
    """Register a family, so <b> and <i> in paragraphs find their faces; returns its name."""
    from reportlab.pdfbase.pdfmetrics import registerFontFamily

    name = pdf_font(regular)
    registerFontFamily(name, normal=name, bold=pdf_font(bold), italic=pdf_font(italic),
                       boldItalic=pdf_font(bold))
    return name
