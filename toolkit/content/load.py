"""Reading content units: Markdown files with YAML front matter under content/.

Every problem is collected, never raised: a broken unit is reported and left
out, and the rest of the build goes on.
"""

from __future__ import annotations

import difflib
import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from toolkit.content.cache import UnitCache
from toolkit.content.model import KINDS, MODELS, AnyUnit
from toolkit.content.problems import Problem
from toolkit.content.text import NotText, decode

# Told how far a long stage has got: (stage, done, total).
Progress = Callable[[str, int, int], None]

UNIT_SUFFIX = ".md"
FRONT_MATTER = re.compile(r"\A---[ \t]*\n(?P<yaml>.*?)^---[ \t]*$\n?", re.DOTALL | re.MULTILINE)

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
    "channels": "list some of: print, video, rss, sms, bulletin",
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
                 progress: Progress = lambda stage, done, total: None) -> Content:
    """Load every unit under `content_dir`, collecting problems instead of stopping."""
    content = Content()
    cache = UnitCache(project_dir)
    files = unit_files(content_dir)
    for done, path in enumerate(files, start=1):
        progress("reading", done, len(files))
        unit, problems = _load_file(path, project_dir, cache)
        content.problems.extend(problems)
        if unit is not None and not problems:
            content.units.append(unit)
        else:
            content.broken.add(unit.id if unit else _guess_id(path))
    cache.save()
    _refuse_duplicate_ids(content)
    return content


def _load_file(path: Path, project_dir: Path, cache: UnitCache) -> tuple[AnyUnit | None,
                                                                        list[Problem]]:
    """One unit file: from the cache when its bytes are known, else parsed."""
    name = path.relative_to(project_dir).as_posix()
    data = path.read_bytes()
    unit = cache.get(fingerprint(name, data))
    if unit is None:
        unit, problems = read_unit(data, name, path.stem)
        if unit is None:
            return None, problems
    cache.put(unit)
    return unit, _missing_image(unit, path)


def _missing_image(unit: AnyUnit, path: Path) -> list[Problem]:
    if unit.image is None or (path.parent / unit.image).is_file():
        return []
    return [Problem(unit.source, None, "image", f"{unit.image!r} is not a file next to the unit",
                    "give the path from the unit's folder, e.g. image: anh/mot-cua.jpg")]


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
    fields, body, problem = _split(text, name)
    if problem:
        return None, [problem]
    fields.setdefault("id", stem)
    problems = _kind_problems(fields, name, text)
    if problems:
        return None, problems
    fields["body"] = body
    fields["source"] = name
    fields["fingerprint"] = fingerprint(name, data)
    try:
        return MODELS[fields["kind"]].model_validate(fields), []  # type: ignore[return-value]
    except ValidationError as err:
        problems = [_explain(e, fields, name, text) for e in err.errors()]
        return None, sorted(problems, key=lambda p: p.line or 0)


def _split(text: str, name: str) -> tuple[dict[str, Any], str, Problem | None]:
    match = FRONT_MATTER.match(text)
    if not match:
        return {}, "", Problem(name, 1, "", "has no front matter",
                               'start the file with a line "---", the fields, then another "---"')
    try:
        fields = yaml.load(match["yaml"], Loader=_Loader)
    except yaml.YAMLError as err:
        return {}, "", _yaml_problem(err, name)
    if not isinstance(fields, dict):
        return {}, "", Problem(name, 2, "", "front matter is not a list of fields",
                               "write one field a line, as name: value")
    return {str(k): v for k, v in fields.items()}, text[match.end():].strip() + "\n", None


def _yaml_problem(err: yaml.YAMLError, name: str) -> Problem:
    """Where YAML gave up, and where the list or text it was reading began."""
    mark = getattr(err, "problem_mark", None)
    start = getattr(err, "context_mark", None)
    what = f"front matter is not valid YAML ({getattr(err, 'problem', None) or err}"
    if start is not None and mark is not None and start.line != mark.line:
        what += f", in what begins on line {start.line + 2}"
    return Problem(name, mark.line + 2 if mark else None, "", what + ")",
                   'check the indentation, and put text containing ":" in quotes')


def _kind_problems(fields: dict[str, Any], name: str, text: str) -> list[Problem]:
    kind = fields.get("kind")
    if kind in KINDS:
        return []
    what = "is missing" if kind is None else f"{kind!r} is not a kind of unit"
    return [Problem(name, _line_of("kind", text), "kind", what, FIELD_FIX["kind"])]


def _explain(error: dict[str, Any], fields: dict[str, Any], name: str, text: str) -> Problem:
    """Turn one pydantic error into a line an editor can act on."""
    loc = [str(part) for part in error["loc"]]
    top = loc[0] if loc else ""
    field_name = top + "".join(f"[{int(p) + 1}]" if p.isdigit() else f".{p}" for p in loc[1:])
    what, fix = _what_and_fix(error, top, str(fields.get("kind")))
    return Problem(name, _line_of(top, text), field_name, what, fix)


def _what_and_fix(error: dict[str, Any], top: str, kind: str) -> tuple[str, str]:
    kind_of = error["type"]
    given = error.get("input")
    fix = FIELD_FIX.get(top, "")
    if kind_of == "missing":
        return "is missing", fix or f"add {top}: to the front matter"
    if kind_of == "extra_forbidden":
        return f"is not a field of a {kind}", _did_you_mean(top, kind)
    if "date" in kind_of:
        why = error.get("ctx", {}).get("error", "unreadable")
        return f"{given!r} is not a real date ({why})", DATE_FIX
    if kind_of == "too_short":
        return "needs at least one item", fix or LIST_FIX
    if kind_of == "string_too_long":
        limit = error["ctx"]["max_length"]
        return f"is {len(given)} characters long, more than {limit}", "shorten it"
    if kind_of in ("list_type", "tuple_type"):
        return "should be a list", LIST_FIX
    if kind_of == "string_type":
        return "should be text", 'put the text in double quotes: "..."'
    if kind_of == "literal_error":
        return f"{given!r} is not one of {error['ctx']['expected']}", fix
    if kind_of == "bool_parsing":
        return f"{given!r} should be true or false", "write true or false"
    if kind_of in ("model_type", "dict_type", "model_attributes_type"):
        return "should be a group of indented fields", fix
    message = str(error["msg"]).removeprefix("Value error, ")
    return message, fix


def _did_you_mean(field_name: str, kind: str) -> str:
    known = [f for f in MODELS[kind].model_fields if f not in ("body", "source", "fingerprint")]
    close = difflib.get_close_matches(field_name, known, n=1)
    if close:
        return f"did you mean {close[0]}?"
    return "remove it; the fields of a " + kind + " are: " + ", ".join(known)


def _line_of(field_name: str, text: str) -> int | None:
    match = re.search(rf"^{re.escape(field_name)}\s*:", text, re.MULTILINE) if field_name else None
    return text.count("\n", 0, match.start()) + 1 if match else None


def _guess_id(path: Path) -> str:
    """The id a broken unit most likely has, so its earlier outputs are kept."""
    pattern = rb"^id:\s*['\"]?([a-z0-9-]+)['\"]?\s*(?:#.*)?$"
    match = re.search(pattern, path.read_bytes(), re.MULTILINE)
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
            content.problems.append(Problem(name, None, "id", f"{unit_id!r} is also the id of "
                                            f"{others}", "give one of them another id"))
        content.broken.add(unit_id)
    content.units = [u for u in content.units if u.id not in content.broken]
