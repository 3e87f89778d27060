"""Commands given hostile arguments, or run while another command writes."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.faults.test_build import lock_held_by_a_build
from tests.faults.test_input import a_docx

Run = Callable[..., tuple[int, str, str]]


@pytest.mark.parametrize("given", ["../../x", "/abs/path", "..", "a/b", "x\\..\\..\\y", "Hoa"])
def test_an_id_from_the_command_line_follows_the_rule_of_ids(project: Path, run: Run,
                                                             tmp_path: Path, given: str) -> None:
    before = sorted(p for p in tmp_path.rglob("*") if p.is_file())
    for command in (["new", "procedure", "Thủ tục"], ["import", str(a_docx(tmp_path / "d.docx"))]):
        with pytest.raises(SystemExit) as stopped:
            run(*command, "--id", given, "--project", str(project))
        assert stopped.value.code == 2
    after = sorted(p for p in tmp_path.rglob("*") if p.is_file())
    assert after == sorted([*before, tmp_path / "d.docx"])


def test_a_new_unit_never_replaces_a_file(project: Path, run: Run) -> None:
    status, _, err = run("new", "notice", "x", "--id", "khai-sinh", "--project", str(project))
    assert status == 2 and "exists already" in err
    assert "kind: procedure" in (project / "content" / "khai-sinh.md").read_text(encoding="utf-8")


def test_the_report_waits_while_a_build_writes(project: Path) -> None:
    with lock_held_by_a_build(project):
        report = subprocess.run([sys.executable, "-m", "toolkit.cli", "report", "--quarter",
                                 "2021-Q1", "--project", str(project)],
                                capture_output=True, text=True, check=False)
    assert report.returncode == 1
    assert "is writing to this project: toolkit build" in report.stderr
    assert not (project / "outbox" / "report").exists()


@pytest.mark.parametrize("saved", [
    "id;text\r\nkhai-sinh;Đăng\r\n".encode("cp1258"),   # Excel, a Windows code page
    b"id;text\r\nkhai-sinh;Dang ky\r\n",                     # Excel, semicolons
])
def test_an_sms_list_saved_again_from_excel_is_a_problem_not_a_traceback(
        project: Path, run: Run, tmp_path: Path, saved: bytes) -> None:
    (project / "outbox" / "sms").mkdir(parents=True)
    (project / "outbox" / "sms" / "messages.csv").write_bytes(saved)
    recipients = tmp_path / "recipients.csv"
    recipients.write_text("phone\n0912345678\n", encoding="utf-8")
    status, _, err = run("deliver", "sms", "--to", str(recipients), "--dry-run",
                         "--project", str(project))
    assert status == 1
    assert err.startswith("outbox/sms/messages.csv: is not the list the build wrote")
    assert "toolkit build --channel sms" in err and "Traceback" not in err
