"""`toolkit check` keeps what it found of each unit, and checks again only what changed."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from toolkit import i18n
from toolkit.channels import channels
from toolkit.checks import CACHE_FILE
from toolkit.commands.check import check
from toolkit.content import listing


@pytest.fixture
def checked(monkeypatch: pytest.MonkeyPatch) -> Counter[str]:
    """How many times each unit was checked thoroughly, by any channel."""
    calls: Counter[str] = Counter()
    for channel in channels():
        original = channel.check

        def counting(unit, context, thorough=False, original=original):  # type: ignore[no-untyped-def]
            if thorough:
                calls[unit.id] += 1
            return original(unit, context, thorough)

        monkeypatch.setattr(channel, "check", counting)
    return calls


def _edit(project: Path) -> None:
    """An officer's correction to one unit's text."""
    path = project / "content" / "khai-sinh.md"
    path.write_text(path.read_text(encoding="utf-8").replace("60 ngày", "30 ngày"),
                    encoding="utf-8")


def _too_much(project: Path) -> None:
    """Steps too many and too long for a clip or a leaflet: problems to be found, and kept."""
    path = project / "content" / "khai-sinh.md"
    step = "Chuẩn bị bản sao giấy tờ tùy thân và giấy chứng sinh, điền đầy đủ tờ khai " * 2
    steps = "".join(f'  - "{step.strip()} ({n})."\n' for n in range(1, 15))
    text = path.read_text(encoding="utf-8")
    start = text.index("steps:\n") + len("steps:\n")
    end = text.index("---", start)
    path.write_text(text[:start] + steps + text[end:], encoding="utf-8")


def test_a_second_check_with_nothing_changed_checks_nothing_again(
        project: Path, checked: Counter[str]) -> None:
    _too_much(project)
    _, first = check(project, None)
    assert first and sum(checked.values()) > 0
    checked.clear()
    _, again = check(project, None)
    assert sum(checked.values()) == 0
    assert again == first  # the same problems, lines and messages


def test_an_edited_unit_is_checked_again_and_no_other(project: Path,
                                                      checked: Counter[str]) -> None:
    check(project, None)
    checked.clear()
    _edit(project)
    check(project, None)
    assert set(checked) == {"khai-sinh"}


def test_a_file_a_unit_reads_changing_checks_it_again(project: Path,
                                                      checked: Counter[str]) -> None:
    from PIL import Image

    Image.new("RGB", (1200, 800), (40, 90, 60)).save(project / "content" / "anh.jpg")
    path = project / "content" / "khai-sinh.md"
    text = path.read_text(encoding="utf-8").replace("agency:", "image: anh.jpg\nagency:", 1)
    path.write_text(text, encoding="utf-8")
    check(project, None)
    checked.clear()
    Image.new("RGB", (300, 200), (40, 90, 60)).save(project / "content" / "anh.jpg")
    check(project, None)
    assert set(checked) == {"khai-sinh"}


def test_messages_come_in_the_language_asked_for(project: Path) -> None:
    _too_much(project)
    _, english = check(project, None)
    i18n.use("vi")
    _, vietnamese = check(project, None)
    assert [p.what for p in english] != [p.what for p in vietnamese]
    assert [p.line for p in english] == [p.line for p in vietnamese]


def test_a_damaged_cache_is_only_slower(project: Path, checked: Counter[str]) -> None:
    _too_much(project)
    _, first = check(project, None)
    (project / CACHE_FILE).write_bytes(b"\x00not json")
    checked.clear()
    _, again = check(project, None)
    assert again == first and sum(checked.values()) > 0


@pytest.fixture
def planned(monkeypatch: pytest.MonkeyPatch) -> Counter[str]:
    """How many times each unit was planned, by any channel; files are trusted as soon as
    they are written (tests do not wait two seconds for them to settle)."""
    monkeypatch.setattr(listing, "SETTLED_NS", 0)
    calls: Counter[str] = Counter()
    for channel in channels():
        original = channel.plan

        def counting(units, context, original=original):  # type: ignore[no-untyped-def]
            calls.update(unit.id for unit in units)
            return original(units, context)

        monkeypatch.setattr(channel, "plan", counting)
    return calls


def test_an_unchanged_unit_is_not_planned_again(project: Path, planned: Counter[str]) -> None:
    check(project, None)
    assert set(planned) == {"khai-sinh", "tong-dai-1022", "tan-phong"}
    planned.clear()
    _edit(project)
    check(project, None)
    assert set(planned) == {"khai-sinh"}


def test_a_font_of_the_projects_own_plans_every_unit_again(project: Path,
                                                          planned: Counter[str]) -> None:
    from toolkit.render.fonts import font_file

    check(project, None)
    planned.clear()
    shipped = font_file("BeVietnamPro-Regular.ttf", project)
    (project / "BeVietnamPro-Regular.ttf").write_bytes(shipped.read_bytes())
    check(project, None)
    assert set(planned) == {"khai-sinh", "tong-dai-1022", "tan-phong"}
