"""Messages in the officer's language: Vietnamese unless English is asked for.

Every text a person reads is written in English in the code, marked with `_()`
(or `ngettext()` when it counts something, `N_()` where it is only named and
translated when shown), and translated from the gettext catalog in
`toolkit/locale/` (Babel extracts, updates and compiles it: see the README,
"Translations"). The language is chosen once a process: `--lang`, then
`TOOLKIT_LANG`, then an English `LANGUAGE`/`LC_ALL`/`LC_MESSAGES`/`LANG`; else
Vietnamese. Worker processes inherit it through `TOOLKIT_LANG`.
"""

from __future__ import annotations

import gettext
import os
from datetime import date
from functools import cache
from pathlib import Path

DOMAIN = "toolkit"
LOCALE_DIR = Path(__file__).parent / "locale"
LANGUAGES = ("vi", "en")
DEFAULT = "vi"
ENV = "TOOLKIT_LANG"
LOCALE_ENV = ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")
# How a date reads to a person, in both languages; files keep ISO dates.
DAY = "%d/%m/%Y"

_translations: gettext.NullTranslations | None = None
_language = DEFAULT


def choose(asked: str | None = None) -> str:
    """The language to speak: the one asked for, else TOOLKIT_LANG, else English when
    the system's locale is English, else Vietnamese."""
    for wanted in (asked, os.environ.get(ENV)):
        if wanted:
            return _known(wanted)
    for name in LOCALE_ENV:
        value = os.environ.get(name, "")
        if value:  # the first one set decides, as in POSIX
            return "en" if value.split(":")[0].lower().startswith("en") else DEFAULT
    return DEFAULT


def _known(wanted: str) -> str:
    """'en', 'en_GB.UTF-8', 'vi_VN' to a language the catalogs have; Vietnamese else."""
    short = wanted.replace("-", "_").split("_")[0].split(".")[0].lower()
    return short if short in LANGUAGES else DEFAULT


def use(language: str) -> None:
    """Speak `language` from now on, in this process and in the ones it starts."""
    global _translations, _language
    _language = _known(language)
    os.environ[ENV] = _language
    _translations = gettext.translation(DOMAIN, LOCALE_DIR, [_language], fallback=True)


def language() -> str:
    """The language messages are in."""
    _catalog()
    return _language


def _catalog() -> gettext.NullTranslations:
    if _translations is None:
        use(choose())
    assert _translations is not None
    return _translations


def _(message: str) -> str:
    """`message` in the user's language."""
    return _catalog().gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """The form of a message that fits the number `n`, in the user's language."""
    return _catalog().ngettext(singular, plural, n)


def vietnamese(message: str) -> str:
    """`message` in Vietnamese whatever the officer reads: for what an output says to
    citizens or files with the province (the report), which --lang does not change."""
    return _outputs().gettext(message)


@cache
def _outputs() -> gettext.NullTranslations:
    return gettext.translation(DOMAIN, LOCALE_DIR, [DEFAULT], fallback=True)


def N_(message: str) -> str:
    """Marks `message` for the catalog where it is named, not shown (a table of labels);
    it is translated with `_()` where it is shown."""
    return message


def decimal(value: float, places: int | None = None) -> str:
    """A number as people write it: 12,7 in Vietnamese, 12.7 in English; with `places`
    decimals, else as few as it needs."""
    text = f"{value:.{places}f}" if places is not None else f"{value:g}"
    return text.replace(".", ",") if language() == "vi" else text


def day(value: date) -> str:
    """A date as people read it: 15/03/2021."""
    return value.strftime(DAY)
