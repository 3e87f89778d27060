"""Fonts: Be Vietnam Pro from the fontpkg-be-vietnam-pro package, or a TTF the template names.

Fonts are registered with ReportLab once per process; ReportLab embeds a
subset of each font used, so every mark of Vietnamese travels with the PDF.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from toolkit.i18n import _
from toolkit.problems import Problem, ProblemError, quote

STYLES = ("regular", "bold", "italic", "heavy")


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
    from reportlab.pdfbase.ttfonts import TTFont

    name = path.stem
    pdfmetrics.registerFont(TTFont(name, str(path)))
    return name


@cache
def pdf_family(regular: Path, bold: Path, italic: Path) -> str:
    """Register a family, so <b> and <i> in paragraphs find their faces; returns its name."""
    from reportlab.pdfbase.pdfmetrics import registerFontFamily

    name = pdf_font(regular)
    registerFontFamily(name, normal=name, bold=pdf_font(bold), italic=pdf_font(italic),
                       boldItalic=pdf_font(bold))
    return name
