"""Reading content units: Markdown files with YAML front matter under content/.

Every problem is collected, never raised: a broken unit is reported and left
out, and the rest of the build goes on.
"""

from __future__ import annotations

import bisect
import difflib
import hashlib
import itertools
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from toolkit.content.cache import UnitCache
from toolkit.content.listing import walk
from toolkit.content.model import (
    DATE_FIX,
    KINDS,
    MAX_BODY_CHARS,
    MAX_TEXT_CHARS,
    MODELS,
    AnyUnit,
    kind_label,
)
from toolkit.content.pictures import IMAGE_FIX, BadPicture, picture_path
from toolkit.content.sounds import NARRATION_FIX, BadSound, audio_path
from toolkit.content.text import (
    UNWANTED,
    NotText,
    breaks_as_spaces,
    character_name,
    decode,
    needs_care,
    unwanted,
)
from toolkit.i18n import N_, _, language, ngettext, use
from toolkit.problems import Problem, clip, printable, quote
from toolkit.workers import cores, pool

# Told how far a long stage has got: (stage, done, total).
# (what is being done, as a person reads it; steps done; steps in all; the unit at hand)
Progress = Callable[[str, int, int, str], None]

UNIT_SUFFIX = ".md"
FRONT_MATTER = re.compile(r"\A---[ \t]*\n(?P<yaml>.*?)^---[ \t]*$\n?", re.DOTALL | re.MULTILINE)
BLANK = re.compile(r"\s*")
# A top-level field of the front matter, at the start of its line.
FIELD_LINE = re.compile(r"^([A-Za-z_][\w-]*)[ \t]*:", re.MULTILINE)
# A unit file larger than this is not read: the longest body, its front matter,
# and room to spare (a Vietnamese character is 1 to 3 bytes in UTF-8).
MAX_UNIT_BYTES = 1024 * 1024
# The unwanted characters of one file reported one by one; the rest are counted.
MAX_CHARACTER_PROBLEMS = 10
# The line the front matter's text starts on: the "---" above it is line 1.
FRONT_FIRST_LINE = 2
# Fields the loader sets, never the editor: not offered as what a field may be.
SET_BY_LOADER = ("body", "source", "fingerprint", "lines", "shorts")

# A first build of many units parses them on every core, in chunks of this many.
PARSE_IN_WORKERS = 400
PARSE_CHUNK = 100

# Fixes, marked for the catalog and translated where they are shown.
SPLIT_FIX = N_("split it into several units, or put the full text on a web page and give its "
               "address as link:")
LIST_FIX = N_('write one item per line, each starting with "  - "')
# What YAML's most frequent complaints mean to an editor; any other is quoted as it is.
YAML_SAYS: dict[str, str] = {
    "found unexpected end of stream": N_("a quote is opened and never closed"),
    "mapping values are not allowed in this context": N_(
        'a ":" where none may be: a line indented too far, or text with ":" not in quotes'),
    "mapping values are not allowed here": N_(
        'a ":" where none may be: a line indented too far, or text with ":" not in quotes'),
    "found character that cannot start any token": N_(
        "a tab, or a character that cannot start a value: indent with spaces, and put the "
        "text in quotes"),
    "did not find expected ',' or ']'": N_('a list in [...] is not closed with "]"'),
    "did not find expected ',' or '}'": N_("a group of fields written on one line is not closed"),
    "did not find expected key": N_("a field cannot start where this line does: check its "
                                    "indentation, and that every quote above it is closed"),
    "could not find expected ':'": N_('a line has no ":" after its field name'),
    "did not find expected '-' indicator": N_('a list item does not start with "-"'),
}
FIELD_FIX: dict[str, str] = {
    "kind": N_("start the front matter with kind: procedure, kind: example or kind: notice"),
    "id": N_("use lowercase letters a-z, digits and hyphens (e.g. dang-ky-khai-sinh): "
             "rename the file or set id:"),
    "title": N_('add a line like title: "Đăng ký khai sinh trực tuyến"'),
    "summary": N_("add one or two sentences: summary: \"...\""),
    "publish": DATE_FIX,
    "expires": DATE_FIX,
    "audience": N_("write audience: citizens or audience: officials"),
    "status": N_("write status: draft (for review only) or status: ready (to publish)"),
    "link": N_("write a full address starting with https://"),
    "agency": N_('name the agency that handles it, e.g. agency: "UBND cấp xã"'),
    "steps": LIST_FIX,
    "organisation": N_('name who did it, e.g. organisation: "UBND phường Tân Phong"'),
    "results": LIST_FIX,
    "hotline": N_('write the number in quotes, e.g. hotline: "1022"'),
    "online": N_('write online: then, indented, url: "https://..." and full: true or false'),
}


class _Loader(yaml.CSafeLoader if hasattr(yaml, "CSafeLoader") else yaml.SafeLoader):  # type: ignore[misc]
    """Safe YAML that keeps dates and numbers as the text the editor wrote.

    No field of a unit is a number: `hotline: 02513456` must not become an octal
    number, nor `code: 1.001190` lose its last zero. Dates stay text so that
    pydantic can explain a bad one.
    """


for _tag in ("timestamp", "int", "float"):
    _Loader.add_constructor(f"tag:yaml.org,2002:{_tag}",
                            lambda loader, node: loader.construct_scalar(node))
# Nor is a plain value matched against the patterns of numbers and dates (most of the
# time of reading a unit's YAML): only true/false and empty values mean other than text.
_Loader.yaml_implicit_resolvers = {
    first: [(tag, pattern) for tag, pattern in resolvers
            if tag in ("tag:yaml.org,2002:bool", "tag:yaml.org,2002:null")]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()}


@dataclass
class Content:
    """What was loaded: the valid units and the problems of the rest."""

    units: list[AnyUnit] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    # Ids (or file names, where no id could be read) of units left out for their
    # problems: their earlier outputs stay in the outbox until they are fixed.
    broken: set[str] = field(default_factory=set)


def unit_files(content_dir: Path) -> list[Path]:
    """Every unit file under `content_dir`, in a stable order.

    Hidden files and folders are passed over: "._x.md" files that macOS leaves
    on shared drives, editors' lock files.
    """
    return [path for path, _stat in walk(content_dir, UNIT_SUFFIX)]


def load_content(project_dir: Path, content_dir: Path,
                 progress: Progress = lambda stage, done, total, current: None,
                 remember: bool = True) -> Content:
    """Load every unit under `content_dir`, collecting problems instead of stopping;
    `remember` keeps the validated units in the project's cache (a writing command
    does, under the lock; the review page reads only)."""
    content = Content()
    cache = UnitCache(project_dir)
    files = unit_files(content_dir)
    read = [_read_file(path, project_dir, cache) for path in files]
    parsed = _parsed([r for r in read if isinstance(r, _Unread)], progress)
    for path, found in zip(files, read, strict=True):
        unit, problems = parsed.pop(path) if isinstance(found, _Unread) else found
        if unit is not None:
            cache.put(unit)
            problems = [*_image_problems(unit, path, project_dir),
                        *_narration_problems(unit, path, project_dir)]
        content.problems.extend(problems)
        if unit is not None and not problems:
            content.units.append(unit)
        else:
            content.broken.add(unit.id if unit else _guess_id(path))
    if remember:
        cache.save()
    _refuse_duplicate_ids(content)
    return content


Loaded = tuple[AnyUnit | None, list[Problem]]


@dataclass(frozen=True)
class _Unread:
    """A unit file whose bytes the cache does not know: to be parsed and validated."""

    path: Path
    data: bytes
    name: str


def _read_file(path: Path, project_dir: Path, cache: UnitCache) -> Loaded | _Unread:
    """One unit file: from the cache when its bytes are known, else to be parsed."""
    name = path.relative_to(project_dir).as_posix()
    data = _read_capped(path)
    if len(data) > MAX_UNIT_BYTES:
        return None, [Problem(name, None, "", _("is larger than a unit file can be ({limit} KB)")
                              .format(limit=MAX_UNIT_BYTES // 1024), _(SPLIT_FIX))]
    unit = cache.get(fingerprint(name, data))
    return (unit, []) if unit is not None else _Unread(path, data, name)


def _parsed(unread: list[_Unread], progress: Progress) -> dict[Path, Loaded]:
    """The files the cache did not know, parsed and validated."""
    chunks = [unread[i:i + PARSE_CHUNK] for i in range(0, len(unread), PARSE_CHUNK)]
    found: dict[Path, Loaded] = {}
    for chunk, results in zip(chunks, _read_chunks(chunks), strict=True):
        found.update(zip((u.path for u in chunk), results, strict=True))
        progress(_("reading content"), len(found), len(unread), chunk[-1].path.name)
    return found


def _read_chunks(chunks: list[list[_Unread]]) -> Iterator[list[Loaded]]:
    """Each chunk parsed, in order: on every core when there are many files (a
    catalogue's first build), else here."""
    lang, workers = language(), min(cores(), len(chunks))
    if workers < 2 or sum(map(len, chunks)) < PARSE_IN_WORKERS:
        yield from (_read_units(chunk, lang) for chunk in chunks)
        return
    with pool(workers) as running:
        yield from running.map(_read_units, chunks, itertools.repeat(lang))


def _read_units(chunk: list[_Unread], lang: str) -> list[Loaded]:
    """Parse and validate some unit files (in a worker: its messages in `lang`)."""
    use(lang)
    return [read_unit(u.data, u.name, u.path.stem) for u in chunk]


def _read_capped(path: Path) -> bytes:
    """A file's bytes, but no more than one past MAX_UNIT_BYTES: enough to refuse it."""
    with path.open("rb") as file:
        return file.read(MAX_UNIT_BYTES + 1)


def _image_problems(unit: AnyUnit, path: Path, project_dir: Path) -> list[Problem]:
    """The cheap checks of the unit's photo (where it is, that it is a picture); print
    decodes it in full when it places it."""
    if unit.image is None:
        return []
    try:
        picture_path(unit.image, path.parent, project_dir)
    except BadPicture as err:
        return [Problem(unit.source, unit.lines.get("image"), "image", err.what,
                        err.fix or _(IMAGE_FIX))]
    return []


def _narration_problems(unit: AnyUnit, path: Path, project_dir: Path) -> list[Problem]:
    """The cheap checks of the unit's narration files (where they are, that they are
    recordings), each on its own line; the video decodes them where it places them."""
    problems = []
    for number, value in enumerate(unit.narration, start=1):
        place = f"narration.{number}"
        try:
            audio_path(value, path.parent, project_dir)
        except BadSound as err:
            field_name = f"narration[{number}]" if place in unit.lines else "narration"
            problems.append(Problem(unit.source, unit.lines.get(place, unit.lines.get(
                "narration")), field_name, err.what, err.fix or _(NARRATION_FIX)))
    return problems


def fingerprint(name: str, data: bytes) -> str:
    """Identifies a unit file's exact name and bytes."""
    return hashlib.sha256(name.encode() + b"\0" + data).hexdigest()[:20]


def read_unit(data: bytes, name: str, stem: str) -> tuple[AnyUnit | None, list[Problem]]:
    """Parse and validate one unit file; returns the unit or the problems, never raises."""
    try:
        text = decode(data)
    except NotText as err:
        return None, [Problem(name, None, "", str(err), _(
            "save it as UTF-8 (Word: Save As, Plain Text, Unicode UTF-8; Notepad: Save As, "
            "Encoding UTF-8)"))]
    # Characters no channel can carry are reported where they are, then stand in as
    # U+FFFD so that the rest of the file is checked too.
    problems = _unwanted_characters(text, name)
    if problems:
        text = UNWANTED.sub("\ufffd", text)
    fields, lines, body, problem = _split(text, name)
    if problem:
        return None, [*problems, problem]
    fields.setdefault("id", stem)
    wrong_kind = _kind_problems(fields, name, text)
    if wrong_kind:
        return None, [*problems, *wrong_kind]
    fields["body"] = body
    fields["source"] = name
    fields["fingerprint"] = fingerprint(name, data)
    fields["lines"] = lines
    fields["shorts"] = {}  # taken from the key points as written, never from a field
    try:
        unit = MODELS[fields["kind"]].model_validate(fields)
    except ValidationError as err:
        problems += [_explain(dict(e), fields, name, text) for e in err.errors()]
        return None, sorted(problems, key=lambda p: p.line or 0)
    return (None, problems) if problems else (unit, [])  # type: ignore[return-value]


def _unwanted_characters(text: str, name: str) -> list[Problem]:
    """Each character of the file that no channel can carry, with its line, column and
    field (the first MAX_CHARACTER_PROBLEMS of them; the others counted)."""
    if not needs_care(text):
        return []
    found = UNWANTED.finditer(text)
    first = list(itertools.islice(found, MAX_CHARACTER_PROBLEMS))
    if not first:
        return []
    fields = _field_starts(text)
    problems = []
    for match in first:
        start = match.start()
        line_start = text.rfind("\n", 0, start) + 1
        why, fix = unwanted(match[0])
        problems.append(Problem(name, text.count("\n", 0, start) + 1, _field_at(fields, start),
                                _("{character} at column {column} {why}").format(
                                    character=character_name(match[0]),
                                    column=start - line_start + 1, why=why), fix))
    more = sum(1 for _match in found)
    if more:
        problems.append(Problem(name, problems[-1].line, "", ngettext(
            "and {n} more such character after it", "and {n} more such characters after it",
            more).format(n=more), problems[-1].fix))
    return problems


def _field_starts(text: str) -> list[tuple[int, str]]:
    """Where each top-level field of the front matter starts, and where the body does."""
    match = FRONT_MATTER.match(text)
    if not match:
        return []
    starts = [(m.start(), m[1]) for m in FIELD_LINE.finditer(text, 0, match.end("yaml"))]
    return [*starts, (match.end(), "body")]


def _field_at(starts: list[tuple[int, str]], offset: int) -> str:
    """The field (or "body") that the character at `offset` belongs to, if known."""
    index = bisect.bisect_right(starts, (offset, "\uffff")) - 1
    return starts[index][1] if index >= 0 else ""


def _split(text: str, name: str) -> tuple[dict[str, Any], dict[str, int], str, Problem | None]:
    """The front matter's fields, the line of each field and item, and the body; or the
    problem that stops the file being read."""
    match = FRONT_MATTER.match(text)
    if not match:
        return {}, {}, "", Problem(name, 1, "", _("has no front matter"), _(
            'start the file with a line "---", the fields, then another "---"'))
    front = breaks_as_spaces(match["yaml"])  # a pasted break cannot cut a value in two
    problem = _refuse_aliases(front, name)
    if problem:
        return {}, {}, "", problem
    try:
        fields, lines = _fields_and_lines(front)
    except yaml.YAMLError as err:
        return {}, {}, "", _yaml_problem(err, name)
    if not isinstance(fields, dict):
        return {}, {}, "", Problem(name, FRONT_FIRST_LINE, "", _(
            "front matter is not a list of fields"), _("write one field a line, as name: value"))
    lines["body"] = _line_of("body", text) or FRONT_FIRST_LINE
    return ({str(k): v for k, v in fields.items()}, lines, text[match.end():].strip() + "\n",
            None)


def _fields_and_lines(front: str) -> tuple[object, dict[str, int]]:
    """The front matter read as YAML, and the line each of its fields and items starts
    on, both from one parse."""
    loader = _Loader(front)
    try:
        node = loader.get_single_node()
        lines: dict[str, int] = {}
        return (_value(node, "", lines, loader) if node is not None else None), lines
    finally:
        loader.dispose()


STR, SEQ, MAP = (f"tag:yaml.org,2002:{t}" for t in ("str", "seq", "map"))
BOOL, NULL = "tag:yaml.org,2002:bool", "tag:yaml.org,2002:null"
AS_TEXT = {STR, *(f"tag:yaml.org,2002:{t}" for t in ("int", "float", "timestamp"))}


def _value(node: yaml.Node, path: str, lines: dict[str, int], loader: _Loader) -> Any:
    """What `loader` would build from `node`, in a fraction of its time (it is left
    the rare tags and keys it alone knows), and where each key of a mapping ("title",
    "online.url") and each item of a list ("steps.1", counted from 1) starts, as lines
    of the unit file."""
    if isinstance(node, yaml.MappingNode):
        return _mapping(node, path, lines, loader)
    if isinstance(node, yaml.SequenceNode):
        items = [_item(item, f"{path}.{number}", lines, loader)
                 for number, item in enumerate(node.value, start=1)]
        return items if node.tag == SEQ else loader.construct_object(node, deep=True)
    if node.tag in AS_TEXT:
        return node.value
    if node.tag == BOOL and node.value.lower() in _Loader.bool_values:
        return _Loader.bool_values[node.value.lower()]
    return None if node.tag == NULL else loader.construct_object(node, deep=True)


def _item(node: yaml.Node, where: str, lines: dict[str, int], loader: _Loader) -> Any:
    """A value that starts a line of its own: noted, then built."""
    lines.setdefault(where, node.start_mark.line + FRONT_FIRST_LINE)
    return _value(node, where, lines, loader)


def _mapping(node: yaml.MappingNode, path: str, lines: dict[str, int],
             loader: _Loader) -> Any:
    """A mapping of text keys; any other (a key PyYAML would merge or refuse) is left
    to `loader`."""
    built = {}
    for key, value in node.value:
        if isinstance(key, yaml.ScalarNode):
            where = f"{path}.{key.value}" if path else str(key.value)
            lines.setdefault(where, key.start_mark.line + FRONT_FIRST_LINE)
            built[key.value] = _value(value, where, lines, loader)
    plain = node.tag == MAP and all(key.tag == STR for key, _value in node.value)
    return built if plain else loader.construct_object(node, deep=True)


def _refuse_aliases(front: str, name: str) -> Problem | None:
    """YAML anchors (&name) and aliases (*name) are refused before anything is built:
    editors never need them, and a few nested aliases expand to billions of values.
    Only the tokens are read, and only when the text has an "&" or a "*" at all."""
    if "&" not in front and "*" not in front:
        return None
    try:
        for token in yaml.scan(front, Loader=_Loader):
            if isinstance(token, (yaml.AnchorToken, yaml.AliasToken)):
                return Problem(name, token.start_mark.line + FRONT_FIRST_LINE, "",
                               _anchor_or_alias(token),
                               _("write each value out in full; to start a text with & or *, "
                                 'put it in double quotes: "..."'))
    except yaml.YAMLError:
        return None  # reported, with its place, when the front matter is read
    return None


def _anchor_or_alias(token: yaml.Token) -> str:
    """What is refused: "front matter uses a YAML anchor (&t), which is not allowed"."""
    value = clip(str(getattr(token, "value", "")), 30)
    if isinstance(token, yaml.AnchorToken):
        return _("front matter uses a YAML anchor ({anchor}), which is not allowed").format(
            anchor="&" + value)
    return _("front matter uses a YAML alias ({alias}), which is not allowed").format(
        alias="*" + value)


def _yaml_problem(err: yaml.YAMLError, name: str) -> Problem:
    """Where YAML gave up, what that means (YAML's own words where they are not known),
    and where the list or text it was reading began."""
    mark = getattr(err, "problem_mark", None)
    start = getattr(err, "context_mark", None)
    said = str(getattr(err, "problem", None) or err)
    detail = _(YAML_SAYS[said]) if said in YAML_SAYS else clip(said)
    if start is not None and mark is not None and start.line != mark.line:
        what = _("front matter is not valid YAML ({detail}, in what begins on line {line})"
                 ).format(detail=detail, line=start.line + FRONT_FIRST_LINE)
    else:
        what = _("front matter is not valid YAML ({detail})").format(detail=detail)
    return Problem(name, mark.line + FRONT_FIRST_LINE if mark else None, "", what,
                   _('check the indentation, and put text containing ":" in quotes'))


def _kind_problems(fields: dict[str, Any], name: str, text: str) -> list[Problem]:
    kind = fields.get("kind")
    if kind in KINDS:
        return []
    what = _("is missing") if kind is None else _("{value} is not a kind of unit").format(
        value=quote(kind))
    return [Problem(name, _line_of("kind", text), "kind", what, _(FIELD_FIX["kind"]))]


def _explain(error: dict[str, Any], fields: dict[str, Any], name: str, text: str) -> Problem:
    """Turn one pydantic error into a line an editor can act on."""
    loc = [str(part) for part in error["loc"]]
    top = loc[0] if loc else ""
    field_name = printable(clip(top)) + "".join(
        f"[{int(p) + 1}]" if p.isdigit() else f".{printable(clip(p))}" for p in loc[1:])
    what, fix = _what_and_fix(error, top, str(fields.get("kind")))
    return Problem(name, _line_of_place(loc, fields.get("lines", {}), text), field_name, what,
                   fix)


def _line_of_place(loc: list[str], lines: dict[str, int], text: str) -> int | None:
    """The line of what an error is about: the item or key itself ("steps.2" for the
    second step), else its field."""
    place = ".".join(str(int(p) + 1) if p.isdigit() else p for p in loc)
    top = loc[0] if loc else ""
    return lines.get(place) or lines.get(top) or _line_of(top, text)


def _what_and_fix(error: dict[str, Any], top: str, kind: str) -> tuple[str, str]:
    """What is wrong with a field and how to fix it, from one pydantic error."""
    kind_of = error["type"]
    given = error.get("input")
    fix = _(FIELD_FIX[top]) if top in FIELD_FIX else ""
    if kind_of == "missing":
        return _("is missing"), fix or _("add {field}: to the front matter").format(field=top)
    if kind_of == "refused":
        return error["ctx"]["what"], error["ctx"]["fix"]
    if kind_of == "extra_forbidden":
        return (_("is not a field of a {kind}").format(kind=kind_label(kind)),
                _did_you_mean(top, kind))
    if "date" in kind_of:
        return _("{value} is not a date like 2021-02-15 (or 2021-02-15 08:00, with a time)"
                 ).format(value=quote(given)), _(DATE_FIX)
    return _list_and_type_problem(error, kind_of, given, fix)


def _list_and_type_problem(error: dict[str, Any], kind_of: str, given: object,
                           fix: str) -> tuple[str, str]:
    """What is wrong with a list, a text or a choice, and how to fix it."""
    if kind_of == "too_short":
        return _("needs at least one item"), fix or _(LIST_FIX)
    if kind_of == "too_long":
        ctx = error["ctx"]
        return (_("has {count} items, more than {limit}").format(
                    count=ctx["actual_length"], limit=ctx["max_length"]),
                _("keep the main ones; the full list belongs on a web page given as link:"))
    if kind_of == "string_too_long":
        limit = error["ctx"]["max_length"]
        return (_("is {length} characters long, more than {limit}").format(
            length=len(str(given)), limit=limit), _too_long_fix(limit))
    if kind_of in ("list_type", "tuple_type"):
        return _("should be a list"), _(LIST_FIX)
    if kind_of == "string_type":
        return _("should be text"), _('put the text in double quotes: "..."')
    if kind_of == "literal_error":
        return _("{value} is not one of: {choices}").format(
            value=quote(given), choices=_choices(str(error["ctx"]["expected"]))), fix
    if kind_of == "bool_parsing":
        return (_("{value} should be true or false").format(value=quote(given)),
                _("write true or false"))
    if kind_of in ("model_type", "dict_type", "model_attributes_type"):
        return _("should be a group of indented fields"), fix
    return str(error["msg"]).removeprefix("Value error, "), fix


def _choices(expected: str) -> str:
    """Pydantic's "'citizens' or 'officials'" as the values to type: "citizens, officials"."""
    return ", ".join(re.findall(r"'([^']*)'", expected)) or expected


def _too_long_fix(limit: int) -> str:
    """How to shorten a text: the body moves out, anything else is cut."""
    if limit >= MAX_BODY_CHARS:
        return _(SPLIT_FIX)
    if limit >= MAX_TEXT_CHARS:
        return _("shorten it; a long text belongs in the body")
    return _("shorten it")


def _did_you_mean(field_name: str, kind: str) -> str:
    """The field the editor most likely meant, else every field of the kind."""
    known = [f for f in MODELS[kind].model_fields if f not in SET_BY_LOADER]
    close = difflib.get_close_matches(field_name, known, n=1)
    if close:
        return _("did you mean {field}?").format(field=close[0])
    return _("remove it; the fields of a {kind} are: {fields}").format(
        kind=kind_label(kind), fields=", ".join(known))


def _line_of(field_name: str, text: str) -> int | None:
    """The line a field starts on; for the body, its first line of text."""
    if field_name == "body":
        front = FRONT_MATTER.match(text)
        start = BLANK.match(text, front.end()).end() if front else 0  # type: ignore[union-attr]
        return text.count("\n", 0, start) + 1 if front else None
    match = re.search(rf"^{re.escape(field_name)}\s*:", text, re.MULTILINE) if field_name else None
    return text.count("\n", 0, match.start()) + 1 if match else None


def _guess_id(path: Path) -> str:
    """The id a broken unit most likely has, so its earlier outputs are kept."""
    pattern = rb"^id:\s*['\"]?([a-z0-9-]+)['\"]?\s*(?:#.*)?$"
    match = re.search(pattern, _read_capped(path), re.MULTILINE)
    return match[1].decode() if match else path.stem


def _refuse_duplicate_ids(content: Content) -> None:
    """Two units with one id are both left out: which one is meant is the editor's call."""
    sources: dict[str, list[str]] = {}
    for unit in content.units:
        sources.setdefault(unit.id, []).append(unit.source)
    for unit_id, names in sources.items():
        if len(names) < 2:
            continue
        for name in names:
            others = ", ".join(n for n in names if n != name)
            content.problems.append(Problem(
                name, None, "id", _("{value} is also the id of {others}").format(
                    value=quote(unit_id), others=others), _("give one of them another id")))
        content.broken.add(unit_id)
    content.units = [u for u in content.units if u.id not in content.broken]
