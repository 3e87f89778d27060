"""The fields of a unit, and of toolkit.toml, that are one line of text or a web address.

The settings validate their texts and addresses by the same rules as units do,
without the units' models: a command that reads only the settings (a build with
nothing to do) stays light.
"""

from __future__ import annotations

import re
from contextvars import ContextVar
from typing import Annotated

from pydantic import AfterValidator
from pydantic_core import PydanticCustomError

from toolkit.content.text import UNWANTED, character_name, needs_care, one_line, unwanted
from toolkit.i18n import _
from toolkit.problems import quote

KINDS: tuple[str, ...] = ("procedure", "example", "notice")
ID_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
URL_PATTERN = re.compile(r"^https?://[^\s/$.?#][^\s]*$", re.IGNORECASE)

# Limits that keep every channel quick and every product sane.
MAX_TEXT_CHARS = 1_000  # any one text: a step, a document, the SMS text


# Set while a unit kept by the unit cache or a record is read back: it was validated
# when it was kept, by this version of the toolkit, so what costs is not done again
# (its dates parsed as written, its texts made one line, its channels looked up).
_TRUSTED: ContextVar[bool] = ContextVar("trusted", default=False)


class trusted:  # lower case: used as a function, `with trusted():`
    """Validate units already validated once: their types are made, and only the cheap
    checks that guard the outputs are done again. (A class, not a generator: it is
    entered once a unit read back, 20,000 times in a large catalogue's build.)"""

    def __enter__(self) -> None:
        self._token = _TRUSTED.set(True)

    def __exit__(self, *_exc: object) -> None:
        _TRUSTED.reset(self._token)


def is_trusted() -> bool:
    """Whether the unit being validated was validated before (`trusted`)."""
    return _TRUSTED.get()


def refusal(what: str, fix: str) -> PydanticCustomError:
    """A validation error that carries its own fix, for what no field's usual fix covers;
    the loader reports `what` and `fix` as they are."""
    return PydanticCustomError("refused", "{what}", {"what": what, "fix": fix})


def one_line_text(value: str) -> str:
    """A one-line text: not too long, pasted breaks made spaces, no character no
    channel can carry, not empty; one checked before (`trusted`) only for what no
    channel can carry and emptiness, the cheap checks that guard the outputs."""
    if is_trusted():
        if not value:
            raise ValueError(_("is empty"))
        return refuse_uncarried(value) if needs_care(value) else value
    refuse_long(value, MAX_TEXT_CHARS)
    if needs_care(value):
        value = refuse_uncarried(one_line(value))
    value = value.strip()
    if not value:
        raise ValueError(_("is empty"))
    return value


def refuse_long(value: str, limit: int) -> None:
    """Refuse text longer than `limit`, as pydantic's own max_length does."""
    if len(value) > limit:
        raise PydanticCustomError("string_too_long", _("is too long"), {"max_length": limit})


def refuse_uncarried(value: str) -> str:
    """Refuse what no channel can carry. The loader reports such characters typed in
    the file with their line and column: these came from an escape in quotes (or from
    a cache written before the rule)."""
    found = UNWANTED.search(value)
    if found is None:
        return value
    why, fix = unwanted(found[0])
    raise refusal(_('{character} (written as an escape in quotes, such as "\\e" or "\\u202e") '
                    '{why}').format(character=character_name(found[0]), why=why), fix)


def _url(value: str) -> str:
    refuse_long(value, MAX_TEXT_CHARS)
    value = refuse_uncarried(value.strip()) if needs_care(value) else value.strip()
    if not URL_PATTERN.match(value):
        raise ValueError(_("{value} is not a web address").format(value=quote(value)))
    return value


Text = Annotated[str, AfterValidator(one_line_text)]
Url = Annotated[str, AfterValidator(_url)]
