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
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from toolkit.content.cache import UnitCache
from toolkit.content.model import KINDS, MAX_BODY_CHARS, MAX_TEXT_CHARS, MODELS, AnyUnit
from toolkit.content.pictures import IMAGE_FIX, BadPicture, picture_path
from toolkit.content.text import (
    UNWANTED,
    NotText,
    breaks_as_spaces,
    character_name,
    decode,
    needs_care,
    unwanted,
)
from toolkit.i18n import _
from toolkit.problems import Problem, clip, count, printable, quote

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
SPLIT_FIX = ("split it into several units, or put the full text on a web page and give its "
             "address as link:")

DATE_FIX = "write the date as YYYY-MM-DD, e.g. 2021-02-15"
LIST_FIX = 'write one item per line, each starting with "  - "'
FIELD_FIX: dict[str, str] = {
    "kind": "start the front matter with kind: procedure, kind: example or kind: notice",
    "id": "use lowercase letters a-z, digits and hyphens (e.g. dang-ky-khai-sinh): "
    "rename the file or set id:",
    "title": 'add a line like title: "Đăng ký khai sinh trực tuyến"',
    "summary": "add one or two sentences: summary: \"...\"",
    "publish": DATE_FIX,
    "expires": DATE_FIX,
    "audience": "write audience: citizens or audience: officials",
    "link": "write a full address starting with https://",
    "agency": 'name the agency that handles it, e.g. agency: "UBND cấp xã"',
    "steps": LIST_FIX,
    "organisation": 'name who did it, e.g. organisation: "UBND phường Tân Phong"',
    "results": LIST_FIX,
    "hotline": 'write the number in quotes, e.g. hotline: "1022"',
    "online": 'write online: then, indented, url: "https://..." and full: true or false',
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
    return sorted(p for p in content_dir.rglob(f"*{UNIT_SUFFIX}") if p.is_file()
                  and not any(part.startswith(".") for part in p.relative_to(content_dir).parts))


def load_content(project_dir: Path, content_dir: Path,
                 progress: Progress = lambda stage, done, total, current: None,
                 remember: bool = True) -> Content:
    """Load every unit under `content_dir`, collecting problems instead of stopping;
    `remember` keeps the validated units in the project's cache (a writing command
    does, under the lock; the review page reads only)."""
    content = Content()
    cache = UnitCache(project_dir)
    files = unit_files(content_dir)
    for done, path in enumerate(files, start=1):
        progress(_("reading content"), done, len(files), path.name)
        unit, problems = _load_file(path, project_dir, cache)
        content.problems.extend(problems)
        if unit is not None and not problems:
            content.units.append(unit)
        else:
            content.broken.add(unit.id if unit else _guess_id(path))
    if remember:
        cache.save()
    _refuse_duplicate_ids(content)
    return content


def _load_file(path: Path, project_dir: Path, cache: UnitCache) -> tuple[AnyUnit | None,
                                                                        list[Problem]]:
    """One unit file: from the cache when its bytes are known, else parsed."""
    name = path.relative_to(project_dir).as_posix()
    data = _read_capped(path)
    if len(data) > MAX_UNIT_BYTES:
        return None, [Problem(name, None, "", f"is larger than a unit file can be "
                              f"({MAX_UNIT_BYTES // 1024} KB)", SPLIT_FIX)]
    unit = cache.get(fingerprint(name, data))
    if unit is None:
        unit, problems = read_unit(data, name, path.stem)
        if unit is None:
            return None, problems
    cache.put(unit)
    return unit, _image_problems(unit, path, project_dir, data)


def _read_capped(path: Path) -> bytes:
    """A file's bytes, but no more than one past MAX_UNIT_BYTES: enough to refuse it."""
    with path.open("rb") as file:
        return file.read(MAX_UNIT_BYTES + 1)


def _image_problems(unit: AnyUnit, path: Path, project_dir: Path, data: bytes) -> list[Problem]:
    """The cheap checks of the unit's photo (where it is, that it is a picture); print
    decodes it in full when it places it."""
    if unit.image is None:
        return []
    try:
        picture_path(unit.image, path.parent, project_dir)
    except BadPicture as err:
        line = _line_of("image", data.decode("utf-8", "replace"))
        return [Problem(unit.source, line, "image", err.what, err.fix or IMAGE_FIX)]
    return []


def fingerprint(name: str, data: bytes) -> str:
    """Identifies a unit file's exact name and bytes."""
    return hashlib.sha256(name.encode() + b"\0" + data).hexdigest()[:20]


def read_unit(data: bytes, name: str, stem: str) -> tuple[AnyUnit | None, list[Problem]]:
    """Parse and validate one unit file; returns the unit or the problems, never raises."""
    try:
        text = decode(data)
    except NotText as err:
        return None, [Problem(name, None, "", str(err), "save it as UTF-8 (Word: Save As, "
                              "Plain Text, Unicode UTF-8; Notepad: Save As, Encoding UTF-8)")]
    # Characters no channel can carry are reported where they are, then stand in as
    # U+FFFD so that the rest of the file is checked too.
    problems = _unwanted_characters(text, name)
    if problems:
        text = UNWANTED.sub("\ufffd", text)
    fields, body, problem = _split(text, name)
    if problem:
        return None, [*problems, problem]
    fields.setdefault("id", stem)
    wrong_kind = _kind_problems(fields, name, text)
    if wrong_kind:
        return None, [*problems, *wrong_kind]
    fields["body"] = body
    fields["source"] = name
    fields["fingerprint"] = fingerprint(name, data)
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
        what, fix = unwanted(match[0])
        problems.append(Problem(name, text.count("\n", 0, start) + 1, _field_at(fields, start),
                                f"{character_name(match[0])} at column {start - line_start + 1} "
                                f"{what}", fix))
    more = sum(1 for _ in found)
    if more:
        problems.append(Problem(name, problems[-1].line, "", f"and "
                                f"{count(more, 'more such character')} after it",
                                problems[-1].fix))
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


def _split(text: str, name: str) -> tuple[dict[str, Any], str, Problem | None]:
    match = FRONT_MATTER.match(text)
    if not match:
        return {}, "", Problem(name, 1, "", "has no front matter",
                               'start the file with a line "---", the fields, then another "---"')
    front = breaks_as_spaces(match["yaml"])  # a pasted break cannot cut a value in two
    problem = _refuse_aliases(front, name)
    if problem:
        return {}, "", problem
    try:
        fields = yaml.load(front, Loader=_Loader)
    except yaml.YAMLError as err:
        return {}, "", _yaml_problem(err, name)
    if not isinstance(fields, dict):
        return {}, "", Problem(name, 2, "", "front matter is not a list of fields",
                               "write one field a line, as name: value")
    return {str(k): v for k, v in fields.items()}, text[match.end():].strip() + "\n", None


def _refuse_aliases(front: str, name: str) -> Problem | None:
    """YAML anchors (&name) and aliases (*name) are refused before anything is built:
    editors never need them, and a few nested aliases expand to billions of values.
    Only the tokens are read, and only when the text has an "&" or a "*" at all."""
    if "&" not in front and "*" not in front:
        return None
    try:
        for token in yaml.scan(front, Loader=_Loader):
            if isinstance(token, (yaml.AnchorToken, yaml.AliasToken)):
                sign = "&" if isinstance(token, yaml.AnchorToken) else "*"
                return Problem(name, token.start_mark.line + 2, "",
                               f"front matter uses a YAML {'anchor' if sign == '&' else 'alias'} "
                               f"({sign}{clip(str(token.value), 30)}), which is not allowed",
                               "write each value out in full; to start a text with & or *, "
                               'put it in double quotes: "..."')
    except yaml.YAMLError:
        return None  # reported, with its place, when the front matter is read
    return None


def _yaml_problem(err: yaml.YAMLError, name: str) -> Problem:
    """Where YAML gave up, and where the list or text it was reading began."""
    mark = getattr(err, "problem_mark", None)
    start = getattr(err, "context_mark", None)
    what = f"front matter is not valid YAML ({clip(str(getattr(err, 'problem', None) or err))}"
    if start is not None and mark is not None and start.line != mark.line:
        what += f", in what begins on line {start.line + 2}"
    return Problem(name, mark.line + 2 if mark else None, "", what + ")",
                   'check the indentation, and put text containing ":" in quotes')


def _kind_problems(fields: dict[str, Any], name: str, text: str) -> list[Problem]:
    kind = fields.get("kind")
    if kind in KINDS:
        return []
    what = "is missing" if kind is None else f"{quote(kind)} is not a kind of unit"
    return [Problem(name, _line_of("kind", text), "kind", what, FIELD_FIX["kind"])]


def _explain(error: dict[str, Any], fields: dict[str, Any], name: str, text: str) -> Problem:
    """Turn one pydantic error into a line an editor can act on."""
    loc = [str(part) for part in error["loc"]]
    top = loc[0] if loc else ""
    field_name = printable(clip(top)) + "".join(
        f"[{int(p) + 1}]" if p.isdigit() else f".{printable(clip(p))}" for p in loc[1:])
    what, fix = _what_and_fix(error, top, str(fields.get("kind")))
    return Problem(name, _line_of(top, text), field_name, what, fix)


def _what_and_fix(error: dict[str, Any], top: str, kind: str) -> tuple[str, str]:
    kind_of = error["type"]
    given = error.get("input")
    fix = FIELD_FIX.get(top, "")
    if kind_of == "missing":
        return "is missing", fix or f"add {top}: to the front matter"
    if kind_of == "refused":
        return error["ctx"]["what"], error["ctx"]["fix"]
    if kind_of == "extra_forbidden":
        return f"is not a field of a {kind}", _did_you_mean(top, kind)
    if "date" in kind_of:
        why = error.get("ctx", {}).get("error", "unreadable")
        return f"{quote(given)} is not a real date ({clip(str(why))})", DATE_FIX
    if kind_of == "too_short":
        return "needs at least one item", fix or LIST_FIX
    if kind_of == "too_long":
        ctx = error["ctx"]
        return (f"has {ctx['actual_length']} items, more than {ctx['max_length']}",
                "keep the main ones; the full list belongs on a web page given as link:")
    if kind_of == "string_too_long":
        limit = error["ctx"]["max_length"]
        return f"is {len(str(given))} characters long, more than {limit}", _too_long_fix(limit)
    if kind_of in ("list_type", "tuple_type"):
        return "should be a list", LIST_FIX
    if kind_of == "string_type":
        return "should be text", 'put the text in double quotes: "..."'
    if kind_of == "literal_error":
        return f"{quote(given)} is not one of {error['ctx']['expected']}", fix
    if kind_of == "bool_parsing":
        return f"{quote(given)} should be true or false", "write true or false"
    if kind_of in ("model_type", "dict_type", "model_attributes_type"):
        return "should be a group of indented fields", fix
    message = str(error["msg"]).removeprefix("Value error, ")
    return message, fix


def _too_long_fix(limit: int) -> str:
    """How to shorten a text: the body moves out, anything else is cut."""
    if limit >= MAX_BODY_CHARS:
        return SPLIT_FIX
    if limit >= MAX_TEXT_CHARS:
        return "shorten it; a long text belongs in the body"
    return "shorten it"


def _did_you_mean(field_name: str, kind: str) -> str:
    known = [f for f in MODELS[kind].model_fields if f not in ("body", "source", "fingerprint")]
    close = difflib.get_close_matches(field_name, known, n=1)
    if close:
        return f"did you mean {close[0]}?"
    return "remove it; the fields of a " + kind + " are: " + ", ".join(known)


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
            content.problems.append(Problem(name, None, "id", f"{quote(unit_id)} is also the "
                                            f"id of {others}", "give one of them another id"))
        content.broken.add(unit_id)
    content.units = [u for u in content.units if u.id not in content.broken]
