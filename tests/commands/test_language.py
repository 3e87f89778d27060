"""The command line in the officer's language: argparse's own words, --lang before or
after the command, TOOLKIT_LANG and LANG."""

from __future__ import annotations

import argparse
import ast
import re
from collections.abc import Callable
from pathlib import Path

import pytest

from toolkit import i18n
from toolkit.cli import ARGPARSE_MESSAGES, ARGPARSE_PLURALS, language_asked, main

Run = Callable[..., tuple[int, str, str]]
# argparse messages only a programmer meets: a parser built wrong, never a user's typing.
FOR_PROGRAMMERS = {
    "'required' is an invalid argument for positionals", "%r is not callable",
    ".__call__() not defined", 'argument "-" with mode %r',
    "cannot have multiple subparser arguments", "cannot merge actions - two groups are named %r",
    "conflicting subparser alias: %s", "conflicting subparser: %s",
    "dest= is required for options like %r", "invalid conflict_resolution value: %r",
    "mutually exclusive arguments must be optional", "conflicting option string: %s",
    "invalid option string %(option)r: must start with a character %(prefix_chars)r",
}


def summary(result: tuple[int, str, str]) -> str:
    """The summary `check` ends with, when it passes, without the count of warnings (a
    new project may have some)."""
    status, out, _ = result
    assert status == 0, out
    return out.split(";")[0].strip()


def exits(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """Run a command argparse ends itself (help, a usage error): (status, out, err)."""
    with pytest.raises(SystemExit) as stop:
        main(list(args))
    out, err = capsys.readouterr()
    return int(stop.value.code or 0), out, err


def test_the_help_is_vietnamese_by_default(capsys: pytest.CaptureFixture[str]) -> None:
    i18n.use("vi")
    status, out, _ = exits(capsys, "--help")
    assert status == 0
    assert out.startswith("cách dùng: toolkit")
    assert "tùy chọn:" in out and "hiện trợ giúp này rồi thoát" in out
    assert "kiểm tra mọi bài" in out and "ví dụ:" in out
    assert not re.search(r"\b(usage|options|show this help)\b", out)


def test_an_argparse_error_is_vietnamese(capsys: pytest.CaptureFixture[str]) -> None:
    i18n.use("vi")
    status, _, err = exits(capsys, "buld")
    assert status == 2
    assert err.startswith("cách dùng: toolkit")
    assert "toolkit: lỗi: tham số LỆNH: không có lựa chọn 'buld'" in err
    status, _, err = exits(capsys, "deliver", "sms")
    assert (status, err.splitlines()[-1]) == (
        2, "toolkit deliver sms: lỗi: thiếu tham số bắt buộc: --to")
    status, _, err = exits(capsys, "build", "--jobs", "nhiều")
    assert "tham số --jobs: 'nhiều' không phải là số nguyên" in err


def test_the_same_errors_in_english(capsys: pytest.CaptureFixture[str]) -> None:
    status, _, err = exits(capsys, "deliver", "sms")
    assert (status, err.splitlines()[-1]) == (
        2, "toolkit deliver sms: error: the following arguments are required: --to")


@pytest.mark.parametrize("where", ["before", "after"])
def test_lang_en_before_or_after_the_command(project: Path, run: Run, where: str) -> None:
    i18n.use("vi")
    check = ["check", "--project", str(project)]
    args = ["--lang", "en", *check] if where == "before" else [*check, "--lang", "en"]
    assert summary(run(*args)) == "3 units, no problems"
    i18n.use("vi")
    assert summary(run(*check)) == "3 bài, không có lỗi"


def test_an_abbreviated_lang_is_heard_too(project: Path, run: Run) -> None:
    i18n.use("vi")
    assert summary(run("check", "--project", str(project), "--la", "en")) == (
        "3 units, no problems")


def test_lang_vi_overrides_toolkit_lang(project: Path, run: Run,
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TOOLKIT_LANG", "en")
    assert summary(run("check", "--lang=vi", "--project", str(project))) == "3 bài, không có lỗi"


@pytest.mark.parametrize(("environ", "expected"), [
    ({"TOOLKIT_LANG": "vi"}, "3 bài, không có lỗi"),
    ({"TOOLKIT_LANG": "en"}, "3 units, no problems"),
    ({"LANG": "en_GB.UTF-8"}, "3 units, no problems"),
    ({"LANG": "vi_VN.UTF-8"}, "3 bài, không có lỗi"),
    ({}, "3 bài, không có lỗi"),
])
def test_the_environment_chooses_without_lang(project: Path, run: Run,
                                              monkeypatch: pytest.MonkeyPatch,
                                              environ: dict[str, str], expected: str) -> None:
    for name in (i18n.ENV, *i18n.LOCALE_ENV):
        monkeypatch.delenv(name, raising=False)
    for name, value in environ.items():
        monkeypatch.setenv(name, value)
    assert summary(run("check", "--project", str(project))) == expected


def test_a_language_that_is_not_one_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    status, _, err = exits(capsys, "check", "--lang", "fr")
    assert status == 2 and "argument --lang: invalid choice: 'fr'" in err


@pytest.mark.parametrize(("arguments", "asked"), [
    (["--lang", "en", "check"], "en"), (["check", "--lang=vi"], "vi"),
    (["check", "--lang", "fr"], None), (["check", "--lang"], None),
    (["sms", "count", "--", "--lang", "en"], None), ([], None),
])
def test_lang_is_read_before_the_parser(arguments: list[str], asked: str | None) -> None:
    assert language_asked(arguments) == asked


def test_every_message_argparse_speaks_is_in_the_catalog() -> None:
    """The msgids listed for argparse are those of the argparse this Python runs."""
    tree = ast.parse(Path(argparse.__file__).read_text(encoding="utf-8"))
    calls = [node for node in ast.walk(tree) if isinstance(node, ast.Call)
             and isinstance(node.func, ast.Name) and node.args
             and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str)]
    spoken = {c.args[0].value for c in calls if c.func.id == "_"}  # type: ignore[attr-defined]
    plurals = {c.args[0].value for c in calls if c.func.id == "ngettext"}  # type: ignore[attr-defined]
    missing = spoken - set(ARGPARSE_MESSAGES) - FOR_PROGRAMMERS
    assert not missing, missing
    assert plurals - FOR_PROGRAMMERS <= {"expected %s argument"}
    assert ARGPARSE_PLURALS[0](2) == "expected %s arguments"


def test_argparse_speaks_vietnamese_through_the_catalog() -> None:
    i18n.use("vi")
    main_parser_words = [i18n._(m) for m in ("usage: ", "options",
                                             "%(prog)s: error: %(message)s\n")]
    assert main_parser_words == ["cách dùng: ", "tùy chọn", "%(prog)s: lỗi: %(message)s\n"]
    assert i18n.ngettext("expected %s argument", "expected %s arguments", 2) == "cần %s giá trị"
