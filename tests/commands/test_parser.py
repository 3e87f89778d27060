"""What the command line accepts and what its help says: bare `toolkit` shows the help,
--project before or after the command, examples in every help, defaults shown."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from toolkit.cli import main

Run = Callable[..., tuple[int, str, str]]
COMMANDS = [["init"], ["new"], ["check"], ["build"], ["bulletin"], ["import"], ["deliver"],
            ["deliver", "sms"], ["serve"], ["report"], ["sms"], ["sms", "count"]]


def helped(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    """The help `args --help` prints."""
    with pytest.raises(SystemExit) as stop:
        main([*args, "--help"])
    assert stop.value.code == 0
    return capsys.readouterr().out


def test_bare_toolkit_prints_the_help_not_an_error(run: Run) -> None:
    status, out, err = run()
    assert status == 2 and err == ""
    assert out.startswith("usage: toolkit")
    assert "check" in out and "validate every unit" in out and "examples:" in out


@pytest.mark.parametrize("command", [["deliver"], ["sms"]])
def test_a_command_without_its_subcommand_prints_its_help(run: Run, command: list[str]) -> None:
    status, out, err = run(*command)
    assert status == 2 and err == ""
    assert out.startswith(f"usage: toolkit {' '.join(command)}")


@pytest.mark.parametrize("where", ["before", "after"])
def test_project_before_or_after_the_command(project: Path, run: Run, where: str) -> None:
    args = (["--project", str(project), "check"] if where == "before"
            else ["check", "--project", str(project)])
    status, out, _ = run(*args)
    assert status == 0 and out.startswith("3 units, no problems")


def test_project_after_the_command_wins(project: Path, run: Run, tmp_path: Path) -> None:
    assert run("--project", str(tmp_path), "check", "--project", str(project))[0] == 0
    assert run("--project", str(project), "check", "--project", str(tmp_path))[0] == 1


def test_project_before_a_nested_command(project: Path, run: Run, tmp_path: Path) -> None:
    recipients = tmp_path / "recipients.csv"
    recipients.write_text("phone\n0912345678\n", encoding="utf-8")
    status, _, err = run("--project", str(project), "deliver", "sms", "--to", str(recipients),
                         "--dry-run")
    assert status == 1 and "outbox/sms/messages.csv: not found" in err


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_every_help_ends_with_examples(capsys: pytest.CaptureFixture[str],
                                       command: list[str]) -> None:
    text = helped(capsys, *command)
    examples = text.split("examples:\n", 1)[1]
    assert examples.startswith(f"  toolkit {command[0]}") or command == ["deliver"]
    assert "--project" in text or command[0] in ("init", "sms")


def test_the_build_help_shows_only_and_its_defaults(capsys: pytest.CaptureFixture[str]) -> None:
    text = " ".join(helped(capsys, "build").split())
    assert "toolkit build --only dang-ky-khai-sinh" in text
    assert "(default: one per core)" in text and "(default: every channel)" in text


def test_the_serve_help_shows_host_and_port_defaults(capsys: pytest.CaptureFixture[str]) -> None:
    text = " ".join(helped(capsys, "serve").split())
    assert "(default: 127.0.0.1)" in text and "(default: 8000)" in text


def test_an_option_that_takes_a_number_refuses_words(run: Run) -> None:
    with pytest.raises(SystemExit) as stop:
        run("serve", "--port", "http")
    assert stop.value.code == 2
