"""The review page: what each channel shows, read without writing anything."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from toolkit.project import open_project
from toolkit.review import review_page

Run = Callable[..., tuple[int, str, str]]


def _tree(root: Path) -> dict[str, int]:
    return {p.relative_to(root).as_posix(): p.stat().st_mtime_ns
            for p in root.rglob("*") if p.is_file()}


def test_the_review_page_writes_nothing(project: Path, run: Run) -> None:
    assert run("build", "--project", str(project), "--channel", "sms", "--channel", "rss",
               "--today", "2021-03-31")[0] == 0
    (project / "content" / "khai-sinh.md").write_text(
        (project / "content" / "khai-sinh.md").read_text(encoding="utf-8") + "\nThêm.\n",
        encoding="utf-8")  # an edit the cache has not seen
    before = _tree(project)
    page = review_page(open_project(project)).decode("utf-8")
    assert _tree(project) == before
    assert "Dang ky khai sinh truc tuyen" in page  # the SMS channel shows its text


def test_files_of_many_units_are_linked_at_the_top(project: Path, run: Run) -> None:
    assert run("build", "--project", str(project), "--channel", "sms", "--channel", "rss",
               "--today", "2021-03-31")[0] == 0
    page = review_page(open_project(project)).decode("utf-8")
    top = page.split("<section", 1)[0]
    assert "href='/rss/feed.xml'" in top and "href='/sms/messages.csv'" in top
