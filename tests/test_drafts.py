"""Drafts: rendered into the preview area for review, never into the outbox."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from tests.conftest import PROCEDURE, write_unit
from toolkit.record import RECORD, load_record, read_record

Run = Callable[..., tuple[int, str, str]]
FAST = ("--channel", "print", "--channel", "sms", "--channel", "rss")
PREVIEW = Path(".toolkit-cache", "preview")


def build(run: Run, project: Path) -> tuple[int, str, str]:
    return run("build", "--project", str(project), "--today", "2021-03-31", *FAST)


def files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def as_draft(text: str, title: str | None = None) -> str:
    text = text.replace("kind: procedure\n", "kind: procedure\nstatus: draft\n")
    return text.replace("Đăng ký khai sinh trực tuyến", title) if title else text


def test_a_draft_is_in_the_preview_area_and_nowhere_in_the_outbox(project: Path,
                                                                  run: Run) -> None:
    write_unit(project, "khai-sinh", as_draft(PROCEDURE))
    assert build(run, project)[0] == 0
    outbox = files(project / "outbox")
    assert not any("khai-sinh" in name for name in outbox)
    assert all(b"khai-sinh" not in data and b"khai sinh" not in data
               for name, data in outbox.items() if not name.endswith(".pdf"))
    preview = files(project / PREVIEW)
    assert "print/khai-sinh/khai-sinh-leaflet.pdf" in preview
    others = ("print/tong-dai-1022/", "print/tan-phong/")
    assert not any(name.startswith(others) for name in preview)
    assert set(load_record(project / PREVIEW)) == {"khai-sinh"}
    assert set(load_record(project / "outbox")) == {"tong-dai-1022", "tan-phong"}


def test_a_ready_draft_is_published_and_leaves_the_preview_area(project: Path,
                                                                run: Run) -> None:
    write_unit(project, "khai-sinh", as_draft(PROCEDURE))
    build(run, project)
    write_unit(project, "khai-sinh", PROCEDURE)  # no status line: ready
    assert build(run, project)[0] == 0
    assert "print/khai-sinh/khai-sinh-leaflet.pdf" in files(project / "outbox")
    assert not any("khai-sinh" in name for name in files(project / PREVIEW))
    assert "khai-sinh" in load_record(project / "outbox")
    assert load_record(project / PREVIEW) == {}


def test_a_published_unit_made_a_draft_keeps_its_published_version(project: Path,
                                                                   run: Run) -> None:
    build(run, project)
    published = files(project / "outbox")
    write_unit(project, "khai-sinh", as_draft(PROCEDURE, "Khai sinh: bản sửa"))
    assert build(run, project)[0] == 0
    outbox = files(project / "outbox")
    assert {k: v for k, v in outbox.items() if k != RECORD} == {
        k: v for k, v in published.items() if k != RECORD}
    assert "Khai sinh: bản sửa".encode() not in outbox["rss/feed.xml"]
    assert "Đăng ký khai sinh trực tuyến".encode() in outbox["rss/feed.xml"]
    assert load_record(project / "outbox")["khai-sinh"].title == "Đăng ký khai sinh trực tuyến"
    assert load_record(project / PREVIEW)["khai-sinh"].title == "Khai sinh: bản sửa"
    assert "print/khai-sinh/khai-sinh-leaflet.pdf" in files(project / PREVIEW)


def test_a_draft_whose_record_is_lost_keeps_its_files(project: Path, run: Run) -> None:
    build(run, project)
    (project / "outbox" / RECORD).unlink()
    write_unit(project, "khai-sinh", as_draft(PROCEDURE))
    assert build(run, project)[0] == 0
    assert "print/khai-sinh/khai-sinh-leaflet.pdf" in files(project / "outbox")


def test_the_record_forgets_deleted_units_and_is_stable(project: Path, run: Run) -> None:
    build(run, project)
    record = (project / "outbox" / RECORD).read_bytes()
    build(run, project)
    assert (project / "outbox" / RECORD).read_bytes() == record
    (project / "content" / "tan-phong.md").unlink()
    build(run, project)
    assert set(load_record(project / "outbox")) == {"khai-sinh", "tong-dai-1022"}


def test_the_record_says_which_channels_are_of_an_older_version(project: Path,
                                                                run: Run) -> None:
    build(run, project)
    assert read_record(project / "outbox").behind("khai-sinh") == ()
    write_unit(project, "khai-sinh", PROCEDURE.replace("60 ngày", "90 ngày"))
    run("build", "--project", str(project), "--today", "2021-03-31", "--channel", "print")
    record = read_record(project / "outbox")
    assert record.behind("khai-sinh") == ("rss", "sms")
    assert record.behind("tan-phong") == ()
    build(run, project)
    assert read_record(project / "outbox").behind("khai-sinh") == ()
