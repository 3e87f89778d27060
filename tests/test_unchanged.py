"""A build with nothing changed since the last one stops before reading a unit, and says
what the last one said; anything changed (a unit, a photo, an outbox file, the day, the
language, a failed job) makes it do its work."""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any

import pytest

import toolkit.build
import toolkit.channels.sms
from tests.conftest import PROCEDURE, write_unit
from tests.test_build import Run, build
from toolkit import unchanged
from toolkit.content import listing
from toolkit.problems import Problem, ProblemError


@pytest.fixture(autouse=True)
def settled(monkeypatch: pytest.MonkeyPatch) -> None:
    """Files are trusted as soon as they are written (tests do not wait two seconds)."""
    monkeypatch.setattr(listing, "SETTLED_NS", 0)


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """Every time a build reads the content."""
    seen: list[Path] = []
    load = toolkit.build.load_content

    def counted(root: Path, *args: Any, **kwargs: Any) -> Any:
        seen.append(root)
        return load(root, *args, **kwargs)

    monkeypatch.setattr(toolkit.build, "load_content", counted)
    return seen


def test_a_second_build_with_nothing_changed_reads_no_unit(project: Path, run: Run,
                                                           reads: list[Path]) -> None:
    first = build(run, project)
    second = build(run, project)
    assert len(reads) == 1
    made = int(first[1].split(",")[0].removeprefix("built "))
    assert made > 0 and second[:2] == (0, f"built 0, up to date {made}\n")


def test_an_edit_builds_again(project: Path, run: Run, reads: list[Path]) -> None:
    build(run, project)
    write_unit(project, "khai-sinh", PROCEDURE.replace("Đăng ký khai sinh", "Đăng ký khai tử"))
    _status, out, _err = build(run, project)
    assert len(reads) == 2 and "built" in out and "built 0" not in out


def test_a_new_file_anywhere_in_the_project_builds_again(project: Path, run: Run,
                                                         reads: list[Path]) -> None:
    build(run, project)
    (project / "content" / "anh.jpg").write_bytes(b"\xff\xd8\xff")
    build(run, project)
    assert len(reads) == 2


def test_an_outbox_file_deleted_by_someone_else_is_made_again(project: Path, run: Run,
                                                              reads: list[Path]) -> None:
    build(run, project)
    (project / "outbox" / "sms" / "messages.csv").unlink()
    _status, out, _err = build(run, project)
    assert len(reads) == 2 and out.startswith("built 1,")
    assert (project / "outbox" / "sms" / "messages.csv").is_file()


def test_another_day_or_language_or_channel_builds_again(project: Path, run: Run,
                                                         reads: list[Path]) -> None:
    build(run, project)
    build(run, project, "--today", "2021-04-01")
    build(run, project, "--today", "2021-04-01", "--lang", "vi")
    build(run, project, "--today", "2021-04-01", "--lang", "vi", "--channel", "sms")
    build(run, project, "--today", "2021-04-01", "--lang", "vi", "--channel", "sms", "--force")
    assert len(reads) == 5


def test_the_problems_of_broken_units_are_said_again(project: Path, run: Run,
                                                     reads: list[Path]) -> None:
    write_unit(project, "hong", "---\nkind: procedure\ntitle: [\n---\n")
    first = build(run, project)
    second = build(run, project)
    assert len(reads) == 1
    assert first[0] == second[0] == 1
    assert second[2] == first[2] and "hong.md" in second[2]


def test_a_job_that_failed_leaves_no_stamp(project: Path, run: Run, reads: list[Path],
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    def fails(*args: Any) -> tuple[bytes, ...]:
        raise ProblemError(Problem("messages.csv", None, "", "the encoder crashed"))

    works = toolkit.channels.sms.render_csv
    monkeypatch.setattr(toolkit.channels.sms, "render_csv", fails)
    build(run, project)
    monkeypatch.setattr(toolkit.channels.sms, "render_csv", works)
    _status, out, _err = build(run, project)
    assert len(reads) == 2 and "built 0" not in out


def test_a_file_just_changed_is_not_trusted(project: Path, run: Run, reads: list[Path],
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(listing, "SETTLED_NS", 60 * 10**9)  # everything was just written
    build(run, project)
    build(run, project)
    assert len(reads) == 2


def test_files_outside_the_project_a_job_read_are_stamped(tmp_path: Path) -> None:
    root, font = tmp_path / "project", tmp_path / "shared" / "font.ttf"
    (root / "outbox").mkdir(parents=True)
    font.parent.mkdir()
    font.write_bytes(b"one")
    started = unchanged.inputs(root, root / "outbox", "request")
    outcome, folders = unchanged.Outcome(1, [], []), [root / "outbox"]
    unchanged.keep(root, started, folders, outcome, [font])
    assert unchanged.replay(root, started, folders) == outcome
    time.sleep(0.01)
    font.write_bytes(b"two!")
    assert unchanged.replay(root, started, folders) is None


def test_the_outbox_is_not_part_of_the_inputs(tmp_path: Path) -> None:
    root = tmp_path / "project"
    (root / "outbox").mkdir(parents=True)
    before = unchanged.inputs(root, root / "outbox", "request")
    (root / "outbox" / "feed.xml").write_text("<rss/>")
    assert unchanged.inputs(root, root / "outbox", "request") == before
    assert unchanged.inputs(root, root / "outbox", "other") != before


def test_a_file_dated_ahead_of_the_clock_is_still_stamped(tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(listing, "SETTLED_NS", 2 * 10**9)
    unit = tmp_path / "content" / "a.md"
    unit.parent.mkdir()
    unit.write_text("---\n")
    ahead = time.time_ns() + 3600 * 10**9  # copied from a PC whose clock is an hour ahead
    os.utime(unit, ns=(ahead, ahead))
    monkeypatch.setattr(time, "time_ns", lambda: ahead - 3600 * 10**9 + 3 * 10**9)
    found = listing.listed(tmp_path, "")
    assert listing.stamp(found) is not None
    monkeypatch.setattr(time, "time_ns", lambda: ahead - 3600 * 10**9)  # just written
    assert listing.stamp(found) is None
