"""What channels make of one unit is kept across builds, and only while it is asked for."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import PROCEDURE, write_unit
from toolkit import memo
from toolkit.content.model import AnyUnit
from toolkit.memo import KEEP_BUILDS, MEMO_DIR, Memo

Run = Callable[..., tuple[int, str, str]]


def test_what_is_made_is_read_back_by_the_next_process(tmp_path: Path) -> None:
    first = Memo("rss")
    first.open(tmp_path)
    first.put("a", "<item>a</item>")
    first.save()
    later = Memo("rss")  # as in the next build's process
    assert later.get("a") is None  # not opened: nothing is read
    later.open(tmp_path)
    assert later.get("a") == "<item>a</item>"
    assert later.get("b") is None


def test_what_no_build_asks_for_is_forgotten(tmp_path: Path) -> None:
    kept = Memo("sms")
    kept.open(tmp_path)
    kept.put("gone", "old")
    kept.save()
    for build in range(1, KEEP_BUILDS + 1):
        kept.put("here", "new")
        kept.save()
        assert ("gone" in (tmp_path / "sms.json").read_text()) == (build < KEEP_BUILDS), build


def test_an_unreadable_memo_is_only_slower(tmp_path: Path) -> None:
    (tmp_path / "sms.json").write_bytes(b"\0not json")
    kept = Memo("sms")
    kept.open(tmp_path)
    assert kept.get("a") is None
    kept.put("a", "b")
    kept.save()
    assert "b" in (tmp_path / "sms.json").read_text()


def test_a_build_makes_again_only_the_items_of_what_changed(
        project: Path, run: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    from toolkit.channels import rss, sms

    def build() -> tuple[list[str], list[str]]:
        made: tuple[list[str], list[str]] = ([], [])
        monkeypatch.setattr(rss, "_new_item", counted(rss._new_item, made[0]))
        monkeypatch.setattr(sms, "_message", counted(sms._message, made[1]))
        for name in ("rss", "sms"):  # as a new process: nothing made in memory
            memo.memo(name).open(project / "elsewhere")
        status, _, err = run("build", "--project", str(project), "--channel", "rss",
                             "--channel", "sms", "--today", "2021-03-31")
        assert (status, err) == (0, ""), err
        monkeypatch.undo()
        return made

    first = build()
    feed = (project / "outbox" / "rss" / "feed.xml").read_bytes()
    assert sorted(first[0]) == ["khai-sinh", "tan-phong", "tong-dai-1022"]
    assert (project / MEMO_DIR / "rss.json").is_file()

    write_unit(project, "khai-sinh", PROCEDURE.replace("Đăng ký khai sinh", "Đăng ký khai tử"))
    again = build()
    assert again == (["khai-sinh"], ["khai-sinh"])
    assert (project / "outbox" / "rss" / "feed.xml").read_bytes() != feed

    write_unit(project, "khai-sinh", PROCEDURE)
    (project / "outbox" / "rss" / "feed.xml").unlink()
    assert build() == ([], [])  # the items of the text as it was are still kept
    assert (project / "outbox" / "rss" / "feed.xml").read_bytes() == feed


def counted(make: Callable[..., object], made: list[str]) -> Callable[..., object]:
    """`make`, noting the id of each unit it is called for."""
    def counting(unit: AnyUnit, *args: object) -> object:
        made.append(unit.id)
        return make(unit, *args)
    return counting
