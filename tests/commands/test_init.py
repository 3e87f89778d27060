"""`toolkit init`: a .gitignore for what the toolkit makes, and next steps in the
officer's language."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from toolkit import i18n

Run = Callable[..., tuple[int, str, str]]
MADE = ["outbox/rss/feed.xml", ".toolkit-cache/units.json", ".toolkit-cache/lock",
        ".toolkit-ledger.sqlite", ".toolkit-ledger.key"]
KEPT = ["toolkit.toml", "content/khai-sinh.md", "templates/sms/default.toml"]


def test_init_writes_a_gitignore(run: Run, tmp_path: Path) -> None:
    assert run("init", str(tmp_path / "p"))[0] == 0
    lines = (tmp_path / "p" / ".gitignore").read_text(encoding="utf-8").splitlines()
    assert lines == ["/outbox/", "/.toolkit-cache/", "/.toolkit-ledger.sqlite",
                     "/.toolkit-ledger.key"]


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_git_ignores_what_the_toolkit_makes_and_keeps_what_officers_write(
        run: Run, tmp_path: Path) -> None:
    root = tmp_path / "p"
    run("init", str(root))
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    ignored = subprocess.run(["git", "-C", str(root), "check-ignore", "--no-index", *MADE,
                              *KEPT], capture_output=True, text=True, check=False)
    assert ignored.stdout.splitlines() == MADE


def test_init_keeps_a_gitignore_and_adds_what_it_lacks(run: Run, tmp_path: Path) -> None:
    root = tmp_path / "p"
    root.mkdir()
    (root / ".gitignore").write_text("*.bak\n/outbox/", encoding="utf-8")
    assert run("init", str(root))[0] == 0
    assert (root / ".gitignore").read_text(encoding="utf-8").splitlines() == [
        "*.bak", "/outbox/", "/.toolkit-cache/", "/.toolkit-ledger.sqlite",
        "/.toolkit-ledger.key"]


def test_init_says_the_next_steps_in_vietnamese(run: Run, tmp_path: Path) -> None:
    i18n.use("vi")
    root = tmp_path / "du-an"
    status, out, err = run("init", str(root))
    assert (status, err) == (0, "")
    assert out.startswith(f"Đã tạo dự án trong {root}. Các bước tiếp theo:")
    for step in (f"{root}/toolkit.toml", 'toolkit new procedure "Đăng ký khai sinh"',
                 "toolkit check", "toolkit build", "toolkit serve"):
        assert step in out


def test_init_over_a_project_says_so_in_vietnamese(run: Run, project: Path) -> None:
    i18n.use("vi")
    status, _, err = run("init", str(project))
    assert status == 2 and err == f"toolkit: {project / 'toolkit.toml'} đã có; không có gì bị " \
        "thay đổi\n"
