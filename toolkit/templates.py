"""Templates: the data (TOML) that shapes a channel's output.

A project's own `templates/<channel>/<name>.toml` wins; otherwise the default
shipped with the toolkit is used, so a project needs copies only of the
templates it changes (`toolkit init` copies them all, for editing). Each
channel says what its templates hold with a subclass of `Template`, so a
mistake in one is reported like a mistake in a unit.
"""

from __future__ import annotations

import hashlib
import re
import string
import tomllib
from collections.abc import Sequence
from importlib import resources
from pathlib import Path
from typing import Annotated, Any, TypeVar

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, PrivateAttr, ValidationError

from toolkit.i18n import _, ngettext
from toolkit.problems import Problem, ProblemError, quote

TEMPLATES_DIR = "templates"
# Where tomllib says it gave up: "(at line 3, column 5)" or "(at end of document)".
TOML_PLACE = re.compile(r"\s*\((?:at line (?P<line>\d+), column (?P<column>\d+)|at end of "
                        r"document)\)$")
# A [table] header, and a key = value line (the key bare or in quotes).
TOML_TABLE = re.compile(r"^\s*\[\[?\s*([^\]]+?)\s*\]\]?\s*(?:#.*)?$")
TOML_KEY = re.compile(r"^\s*(?:\"([^\"]+)\"|'([^']+)'|([A-Za-z0-9_-]+))\s*=")
COLOUR_PATTERN = r"^#[0-9A-Fa-f]{6}$"


class Strict(BaseModel):
    """Data an officer writes in TOML: an unknown key is a mistake to report."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Fonts(Strict):
    """Font files of a channel: names of Be Vietnam Pro files, or .ttf files in the project.
    Channels that set more weights add them."""

    regular: str
    bold: str

    def files(self, project_dir: Path) -> tuple[Path, ...]:
        """The font files, each as found (the project's own first): what jobs read."""
        from toolkit.render.fonts import font_file

        return tuple(font_file(name, project_dir) for name in self.model_dump().values())


class Colours(Strict):
    """Text and paper colours; brand colours come from toolkit.toml."""

    text: str = Field(pattern=r"^#[0-9A-Fa-f]{6}$")
    paper: str = Field(pattern=r"^#[0-9A-Fa-f]{6}$")


class Template(Strict):
    """The fields of a channel's template, and a fingerprint of its bytes."""

    _digest: str = PrivateAttr("")

    @property
    def digest(self) -> str:
        """Changes whenever the template file does: outputs made with it are rebuilt."""
        return self._digest


def known_placeholders(text: str, known: frozenset[str]) -> str:
    """`text` if it names only `known` placeholders ({org}, {title}); else a ValueError
    that says which it may use (a template's pattern, checked as it loads)."""
    try:
        names = {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}
    except ValueError as err:
        raise ValueError(_("{pattern}: {error}").format(pattern=quote(text), error=err)) from None
    unknown = names - known
    if unknown:
        raise ValueError(_("{pattern} uses {unknown}; the placeholders known are {known}")
                         .format(pattern=quote(text), unknown=_braced(unknown),
                                 known=_braced(known) or _("none")))
    return text


def _braced(names: frozenset[str] | set[str]) -> str:
    """Placeholders as a template writes them: {org}, {title}."""
    return ", ".join("{" + name + "}" for name in sorted(names))


T = TypeVar("T", bound=Template)

LABELS = "labels"  # templates/labels/: the shared labels


class Labels(Template):
    """templates/labels/*.toml: what every product calls the fields of a unit it shows
    (a leaflet's headings, a feed item's facts, the bulletin's facts). A channel's
    template that has `labels` gives only those it says differently (`with_labels`)."""

    steps: str
    documents: str
    processing_time: str
    fee: str
    where: str
    online: str
    legal_basis: str
    agency: str
    results: str
    organisation: str
    place: str
    topics: str
    how: str
    hours: str
    hotline: str


def with_labels(template: T, shared: Labels) -> T:
    """`template` with its `labels` laid over the shared ones, and a digest of both, so
    that a change to either remakes what the channel made; a template without a table
    of labels (the video's are the words of its slides) as it is."""
    own = getattr(template, "labels", None)
    if not isinstance(own, dict):
        return template
    merged = template.model_copy(update={"labels": {**shared.model_dump(), **own}})
    merged._digest = hashlib.sha256(f"{template.digest}{shared.digest}".encode()).hexdigest()[:20]
    return merged


def known_icon(name: str) -> str:
    """`name` if Font Awesome Free has a solid icon of that name; else a ValueError that
    a template's validation turns into its problem, on its line, with close names. (The
    icons load only when a template names one.)"""
    from toolkit.render.fontawesome import known_icon as known

    return known(name)


# A pictogram a template names: a Font Awesome Free solid icon, checked when it loads.
Icon = Annotated[str, AfterValidator(known_icon)]


def channel_template(root: Path, folder: str, model: type[T]) -> T:
    """A channel's template as it renders with: its own file, with the shared labels under
    its own (what a build, a check and the benchmarks use alike)."""
    return with_labels(load_template(root, folder, model), load_template(root, LABELS, Labels))


def defaults_dir() -> Path:
    """The folder of defaults shipped inside the package (toolkit.toml, templates)."""
    return Path(str(resources.files("toolkit") / "defaults"))


def load_template(project_dir: Path, folder: str, model: type[T], name: str = "default") -> T:
    """Read templates/<folder>/<name>.toml from the project, else the shipped default."""
    relative = Path(TEMPLATES_DIR, folder, f"{name}.toml")
    path = project_dir / relative
    if not path.is_file():
        path = defaults_dir() / relative
    data = path.read_bytes()
    where = relative.as_posix()
    text, fields = read_toml(data, where)
    try:
        template = model.model_validate(fields)
    except ValidationError as err:
        raise ProblemError(*toml_problems(where, text, err, _(
            "compare with the default: toolkit init a new folder"))) from None
    template._digest = hashlib.sha256(data).hexdigest()[:20]
    return template


def read_toml(data: bytes, where: str) -> tuple[str, dict[str, Any]]:
    """The text of a TOML file an officer writes (toolkit.toml, a template) and what it
    holds; ProblemError, with the line, when it is not TOML."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ProblemError(Problem(where, None, "", _("is not UTF-8 text"), _(
            "save it as UTF-8 (Notepad: Save As, Encoding UTF-8)"))) from None
    try:
        return text, tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        raise ProblemError(_not_toml(where, text, err)) from None


def _not_toml(where: str, text: str, err: tomllib.TOMLDecodeError) -> Problem:
    """Where a TOML file stops being TOML, said without the parser's English."""
    place = TOML_PLACE.search(str(err))
    line = column = None
    if place and place["line"]:
        line, column = int(place["line"]), int(place["column"])
    elif place:
        line = text.count("\n") + (0 if text.endswith("\n") else 1) or None
    what = (_("is not valid TOML (near column {column})").format(column=column) if column
            else _("is not valid TOML"))
    return Problem(where, line, "", what, _(
        'check the quotes around text, and that each [section] header is closed with "]"'))


def toml_problems(where: str, text: str, err: ValidationError, fix: str) -> list[Problem]:
    """What is wrong with the keys of a TOML file, each on its line where the key (or its
    [table]) is written; `fix` where no better advice is known."""
    return [Problem(where, toml_line(text, error["loc"]), ".".join(map(str, error["loc"])),
                    *_toml_what_and_fix(dict(error), fix))
            for error in err.errors()]


def toml_line(text: str, loc: Sequence[object]) -> int | None:
    """The line of a key ("organisation", "timezone") of a TOML text: the key's own line,
    else its [table]'s header; None when neither is written."""
    if not loc:
        return None
    keys = [str(part) for part in loc if not isinstance(part, int)]
    table_line = None
    table = ""
    for number, line in enumerate(text.splitlines(), start=1):
        header = TOML_TABLE.match(line)
        if header:
            table = ".".join(part.strip().strip("\"'") for part in header[1].split("."))
            if table == ".".join(keys):
                return number
            if table == ".".join(keys[:-1]):
                table_line = number
            continue
        key = TOML_KEY.match(line)
        if key and table == ".".join(keys[:-1]) and keys[-1] in key.groups():
            return number
    return table_line


def _toml_what_and_fix(error: dict[str, Any], fix: str) -> tuple[str, str]:
    """One pydantic error of a TOML file as what is wrong and how to fix it."""
    kind, ctx, given = error["type"], error.get("ctx", {}), error.get("input")
    if kind == "refused":
        return ctx["what"], ctx["fix"]
    if kind == "missing":
        return _("is missing"), fix
    if kind == "extra_forbidden":
        return _("is not a key of this file"), _("remove it, or check its spelling against the "
                                                 "default file")
    if kind == "literal_error":
        return _("{value} is not one of: {choices}").format(
            value=quote(given), choices=", ".join(re.findall(r"'([^']*)'", str(ctx["expected"])))
        ), fix
    if kind == "string_pattern_mismatch" and ctx.get("pattern") == COLOUR_PATTERN:
        return _("{value} is not a colour like #0B5CAD").format(value=quote(given)), fix
    if kind == "string_too_long":
        return _("is {length} characters long, more than {limit}").format(
            length=len(str(given)), limit=ctx["max_length"]), _("shorten it")
    if kind == "too_short":
        least = int(ctx.get("min_length", 1))
        return ngettext("needs at least {n} item", "needs at least {n} items", least).format(
            n=least), fix
    if kind == "too_long":
        return _("has {count} items, more than {limit}").format(
            count=ctx.get("actual_length"), limit=ctx.get("max_length")), fix
    limit = _toml_limit(kind, ctx, given)
    if limit:
        return limit, fix
    return _toml_type(kind, given) or str(error["msg"]).removeprefix("Value error, "), fix


def _toml_limit(kind: str, ctx: dict[str, Any], given: object) -> str:
    """A number past its bounds, said with the bound; "" for any other error."""
    messages = {"greater_than_equal": (_("{value} is less than {limit}, the least allowed"), "ge"),
                "less_than_equal": (_("{value} is more than {limit}, the most allowed"), "le"),
                "greater_than": (_("{value} should be more than {limit}"), "gt"),
                "less_than": (_("{value} should be less than {limit}"), "lt")}
    if kind not in messages:
        return ""
    message, bound = messages[kind]
    return message.format(value=quote(given), limit=ctx.get(bound))


def _toml_type(kind: str, given: object) -> str:
    """A value of the wrong type, said with what is wanted; "" for any other error."""
    if kind in ("int_parsing", "int_type", "int_from_float", "float_parsing", "float_type"):
        return _("{value} should be a number, written without quotes").format(value=quote(given))
    if kind in ("bool_parsing", "bool_type"):
        return _("{value} should be true or false").format(value=quote(given))
    if kind == "string_type":
        return _('{value} should be text in double quotes: "..."').format(value=quote(given))
    if kind in ("model_type", "dict_type", "model_attributes_type"):
        return _("should be a [section] of keys")
    return ""
