"""The catalogs: every message a person reads is marked, extracted and translated."""

from __future__ import annotations

import ast
import io
import re
import string
from collections.abc import Iterator
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from toolkit import i18n

PACKAGE = Path(i18n.__file__).parent
VIETNAMESE = PACKAGE / "locale" / "vi" / "LC_MESSAGES" / "toolkit.po"
KEYWORDS = {"_": None, "ngettext": (1, 2), "N_": None}
# Calls whose text arguments a person reads. Problem's first three are the file,
# the line and the field name (a key the editor types, never translated).
SHOWN = {"Problem": 3, "UserError": 0, "refusal": 0, "print": 0, "ProblemError": 0,
         "ArgumentTypeError": 0, "_problem": 0, "started": 0, "say": 0}
WORDS = re.compile(r"[A-Za-z]{2,}")


def _catalog() -> Catalog:
    with VIETNAMESE.open("rb") as source:
        return read_po(source, locale="vi")


def _extracted() -> Iterator[tuple[str, str]]:
    """(file, msgid) of every message marked in the package, as `pybabel extract` sees it."""
    for name, _line, message, _comments, _context in extract_from_dir(
            PACKAGE, method_map=[("**.py", "python")], keywords=KEYWORDS):
        yield name, message[0] if isinstance(message, tuple) else message


def test_every_marked_message_is_translated() -> None:
    catalog = _catalog()
    missing = sorted({f"{name}: {msgid!r}" for name, msgid in _extracted()
                      if not (entry := catalog.get(msgid)) or not entry.string
                      or entry.fuzzy or (isinstance(entry.string, tuple)
                                         and not all(entry.string))})
    assert not missing, ("not translated; run `pybabel extract && pybabel update`, "
                         "then translate in " + str(VIETNAMESE) + ":\n" + "\n".join(missing))


def test_translations_keep_every_placeholder() -> None:
    def fields(text: str) -> set[str]:
        try:
            return {f for _, f, _, _ in string.Formatter().parse(text) if f is not None}
        except ValueError:  # a message about braces: it must stay one in translation
            return {"(not a format)"}

    wrong = []
    for entry in _catalog():
        if not entry.id or not entry.string:
            continue
        ids = entry.id if isinstance(entry.id, tuple) else (entry.id,)
        strings = entry.string if isinstance(entry.string, tuple) else (entry.string,)
        for translated in strings:
            if "%(" in ids[0] or "%s" in ids[0]:
                if sorted(re.findall(r"%\(?\w*\)?[sdr]", ids[0])) != sorted(
                        re.findall(r"%\(?\w*\)?[sdr]", translated)):
                    wrong.append(ids[0])
            elif fields(ids[-1]) != fields(translated):
                wrong.append(ids[0])
    assert not wrong, wrong


def test_the_compiled_catalog_is_the_catalog() -> None:
    compiled = io.BytesIO()
    write_mo(compiled, _catalog())
    assert VIETNAMESE.with_suffix(".mo").read_bytes() == compiled.getvalue(), (
        "toolkit.mo is older than toolkit.po: run `pybabel compile` (or reinstall)")


def _shown_literals(tree: ast.AST) -> Iterator[tuple[int, str]]:
    """Text written straight into a call whose arguments a person reads."""
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        name = getattr(node.func, "id", getattr(node.func, "attr", ""))
        if name not in SHOWN:
            continue
        args = [*node.args[SHOWN[name]:], *(k.value for k in node.keywords
                                            if k.arg in (None, "what", "fix"))]
        for arg in args:
            for text in _literal_parts(arg):
                if WORDS.search(text):
                    yield node.lineno, text


def _literal_parts(node: ast.AST) -> Iterator[str]:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        yield node.value
    elif isinstance(node, ast.JoinedStr):
        for part in node.values:
            yield from _literal_parts(part)
    elif isinstance(node, ast.BinOp):
        yield from _literal_parts(node.left)
        yield from _literal_parts(node.right)
    elif isinstance(node, ast.IfExp):
        yield from _literal_parts(node.body)
        yield from _literal_parts(node.orelse)


def test_no_message_is_written_outside_the_catalog() -> None:
    found = [f"{path.relative_to(PACKAGE.parent)}:{line}: {text!r}"
             for path in sorted(PACKAGE.rglob("*.py"))
             for line, text in _shown_literals(ast.parse(path.read_text("utf-8")))]
    assert not found, "wrap these in _() and translate them:\n" + "\n".join(found)


@pytest.mark.parametrize(("asked", "environ", "expected"), [
    (None, {}, "vi"),
    ("en", {}, "en"),
    (None, {"TOOLKIT_LANG": "en"}, "en"),
    (None, {"LANG": "en_US.UTF-8"}, "en"),
    (None, {"LANG": "C.UTF-8"}, "vi"),
    (None, {"LANG": "vi_VN.UTF-8"}, "vi"),
    (None, {"LC_ALL": "vi_VN.UTF-8", "LANG": "en_GB.UTF-8"}, "vi"),
    ("vi", {"TOOLKIT_LANG": "en"}, "vi"),
    (None, {"TOOLKIT_LANG": "fr"}, "vi"),
])
def test_the_language_asked_for(asked: str | None, environ: dict[str, str], expected: str,
                                monkeypatch: pytest.MonkeyPatch) -> None:
    for name in (i18n.ENV, *i18n.LOCALE_ENV):
        monkeypatch.delenv(name, raising=False)
    for name, value in environ.items():
        monkeypatch.setenv(name, value)
    assert i18n.choose(asked) == expected


@pytest.mark.parametrize(("language", "value", "places", "expected"), [
    ("vi", 12.66, 1, "12,7"), ("en", 12.66, 1, "12.7"), ("vi", 12.66, None, "12,66"),
    ("en", 12.66, None, "12.66"), ("vi", 18.0, None, "18"),
])
def test_numbers_are_written_as_people_write_them(language: str, value: float,
                                                  places: int | None, expected: str) -> None:
    i18n.use(language)
    assert i18n.decimal(value, places) == expected
