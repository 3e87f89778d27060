"""The review page: states that tell the truth, titles from the build that made the files,
drafts beside their published version, problems beside their unit, filters, and what
each channel shows; read without writing anything."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

from tests.conftest import EXAMPLE, NOTICE, PROCEDURE, write_unit
from toolkit import i18n
from toolkit.problems import Problem
from toolkit.project import open_project
from toolkit.review import Status, parse_filters, review_page

Run = Callable[..., tuple[int, str, str]]
TODAY = date(2021, 3, 31)
QUICK = ("--channel", "sms", "--channel", "rss")


def _tree(root: Path) -> dict[str, int]:
    return {p.relative_to(root).as_posix(): p.stat().st_mtime_ns
            for p in root.rglob("*") if p.is_file()}


def build(run: Run, project: Path, *channels: str) -> None:
    status, _out, err = run("build", "--project", str(project), "--today", TODAY.isoformat(),
                            *(channels or QUICK))
    assert status == 0, err


def page(project: Path, query: str = "", status: Status | None = None) -> str:
    return review_page(open_project(project), query, status, TODAY).decode("utf-8")


def section(text: str, unit_id: str) -> str:
    """The part of the page about one unit."""
    found = re.search(rf"<section class=unit id='{unit_id}'>.*?</section>", text, re.S)
    assert found, f"no section for {unit_id}"
    return found[0]


def badges(text: str, unit_id: str) -> list[str]:
    return re.findall(r"<span class='badge (\w+)'>", section(text, unit_id))


def test_the_review_page_writes_nothing(project: Path, run: Run) -> None:
    build(run, project)
    (project / "content" / "khai-sinh.md").write_text(
        (project / "content" / "khai-sinh.md").read_text(encoding="utf-8") + "\nThêm.\n",
        encoding="utf-8")  # an edit the cache has not seen
    before = _tree(project)
    text = page(project)
    assert _tree(project) == before
    assert "Dang ky khai sinh truc tuyen" in text  # the SMS channel shows its text


def test_files_of_many_units_are_linked_at_the_top(project: Path, run: Run) -> None:
    build(run, project)
    top = page(project).split("<section", 1)[0]
    assert "href='/rss/feed.xml'" in top and "href='/sms/messages.csv'" in top


def test_the_quarterly_reports_are_linked_at_the_top(project: Path, run: Run) -> None:
    build(run, project)
    assert run("report", "--project", str(project), "--quarter", "2021-Q1")[0] == 0
    top = page(project).split("<section", 1)[0]
    assert "href='/report/2021-Q1/" in top


def test_a_unit_never_built_is_stale_and_links_nothing(project: Path) -> None:
    text = page(project)
    assert badges(text, "khai-sinh") == ["stale"]
    assert "Nothing has been made of this unit yet." in section(text, "khai-sinh")
    assert "href='/" not in section(text, "khai-sinh")


def test_the_title_comes_from_the_build_that_made_the_files(project: Path, run: Run) -> None:
    build(run, project)
    write_unit(project, "khai-sinh", PROCEDURE.replace("Đăng ký khai sinh trực tuyến",
                                                       "Khai sinh: tiêu đề mới"))
    text = page(project)
    assert "Khai sinh: tiêu đề mới" not in text  # never a new title beside old files
    assert "<h2>Đăng ký khai sinh trực tuyến</h2>" in section(text, "khai-sinh")
    assert badges(text, "khai-sinh") == ["stale", "live"]
    assert "Its file has changed since these files were made" in section(text, "khai-sinh")
    build(run, project)
    text = page(project)
    assert "<h2>Khai sinh: tiêu đề mới</h2>" in section(text, "khai-sinh")
    assert badges(text, "khai-sinh") == ["live"]


def test_a_draft_is_shown_beside_its_published_version(project: Path, run: Run) -> None:
    build(run, project)
    draft = PROCEDURE.replace("kind: procedure\n", "kind: procedure\nstatus: draft\n")
    write_unit(project, "khai-sinh", draft.replace("Đăng ký khai sinh trực tuyến",
                                                   "Khai sinh: bản sửa"))
    build(run, project)
    text = section(page(project), "khai-sinh")
    assert "<h2>Khai sinh: bản sửa</h2>" in text
    assert "Draft (not published)" in text and "Published version" in text
    assert "Title: Đăng ký khai sinh trực tuyến" in text
    assert "write <code>status: ready</code>" in text
    draft_part, published_part = text.split("Published version", 1)
    assert "href='/preview/sms/messages.csv'" not in draft_part  # a unit's, not shared
    assert "Khai sinh: ban sua" in draft_part  # the draft's SMS, from the preview area
    assert "Dang ky khai sinh truc tuyen" in published_part
    assert re.findall(r"<span class='badge (\w+)'>", text) == ["draft", "live"]


def test_a_new_draft_links_the_preview_area(project: Path, run: Run) -> None:
    write_unit(project, "khai-sinh", PROCEDURE.replace("kind: procedure\n",
                                                       "kind: procedure\nstatus: draft\n"))
    build(run, project, "--channel", "print")
    text = section(page(project), "khai-sinh")
    assert "Published version" not in text
    assert "src='/preview/print/khai-sinh/khai-sinh-leaflet-1.jpg'" in text
    assert "href='/preview/print/khai-sinh/khai-sinh-leaflet.pdf'" in text
    assert "src='/print/" not in text
    assert re.findall(r"<span class='badge (\w+)'>", text) == ["draft"]


def test_a_broken_unit_shows_its_problem_beside_its_last_good_files(project: Path,
                                                                    run: Run) -> None:
    build(run, project)
    write_unit(project, "khai-sinh", PROCEDURE.replace("publish: 2021-02-09",
                                                       "publish: 2021-02-30"))
    text = page(project)
    unit = section(text, "khai-sinh")
    assert badges(text, "khai-sinh") == ["broken", "live"]
    assert "<ul class=problems>" in unit and "publish" in unit and "2021-02-30" in unit
    assert "The files below are from its last version without problems." in unit
    assert "Dang ky khai sinh truc tuyen" in unit  # its SMS as it still goes out


def test_a_unit_too_broken_to_read_has_a_section_of_its_own(project: Path) -> None:
    write_unit(project, "hong", "---\nkind: procedure\ntitle: [\n---\n")
    text = page(project)
    unit = section(text, "hong")
    assert "<h2>content/hong.md</h2>" in unit
    assert badges(text, "hong") == ["broken"]
    assert "Problems of the project" not in text


def test_problems_of_the_last_build_are_beside_their_unit(project: Path, run: Run) -> None:
    build(run, project)
    status = Status(problems=(
        Problem("content/khai-sinh.md", 9, "steps", "is too long for the leaflet", "cut it"),
        Problem("toolkit.toml", 3, "organisation.name", "is an example", "write yours",
                warning=True)), generation="g1")
    text = page(project, status=status)
    unit = section(text, "khai-sinh")
    assert "is too long for the leaflet" in unit and "→ cut it" in unit and "line 9" in unit
    assert badges(text, "khai-sinh") == ["broken", "live"]
    top = text.split("<section", 1)[0]
    assert "Problems of the project" in top and "warning: is an example" in top
    assert "toolkit.toml" in top


def test_the_live_status_and_its_notes_are_said(project: Path, run: Run) -> None:
    build(run, project)
    text = page(project, status=Status(activity="Rebuilding", busy=True,
                                       notes=("This change is not built yet",),
                                       generation="abc-1"))
    assert "data-generation='abc-1'" in text
    assert "<p id=live role=status class='busy'" in text and ">Rebuilding</p>" in text
    assert "This change is not built yet" in text
    assert "new EventSource('/events')" in text
    without = page(project)
    assert "data-generation=''" in without and "<p id=live" not in without
    assert "run <code>toolkit build</code>, then reload the page" in without


def test_an_empty_project_says_what_to_do(project: Path) -> None:
    for unit in (project / "content").iterdir():
        unit.unlink()
    text = page(project)
    assert "There is no unit yet" in text and "<code>toolkit build</code>" in text
    assert "<section" not in text and "href='/" not in text.split("<form", 1)[0]
    live = page(project, status=Status(generation="g"))
    assert "it shows here as soon as it is saved" in live and "toolkit build" not in live


@pytest.mark.parametrize("query, shown", [
    ("", {"khai-sinh", "tong-dai-1022", "tan-phong"}),
    ("kind=notice", {"tong-dai-1022"}),
    ("state=scheduled", {"tan-phong"}),
    ("state=live", {"khai-sinh", "tong-dai-1022"}),
    ("channel=sms", {"khai-sinh", "tong-dai-1022"}),  # an example gets no SMS
    ("q=KHAI+sinh", {"khai-sinh"}),
    ("q=dang+ky", {"khai-sinh"}),  # without marks, as people type on a phone
    ("q=t%E1%BB%95ng+%C4%91%C3%A0i", {"tong-dai-1022"}),  # tổng đài
    ("kind=notice&q=khai", set()),
    ("kind=nonsense&state=<script>", {"khai-sinh", "tong-dai-1022", "tan-phong"}),
])
def test_the_index_filters(project: Path, run: Run, query: str, shown: set[str]) -> None:
    write_unit(project, "tan-phong", EXAMPLE.replace("publish: 2021-02-26",
                                                     "publish: 2021-04-15"))
    build(run, project)
    text = page(project, query)
    assert set(re.findall(r"<section class=unit id='([\w-]+)'>", text)) == shown
    assert set(re.findall(r"<li><a href='#([\w-]+)'>", text)) == shown
    assert "<script>" not in text.replace("<script>(function", "")
    if not shown:
        assert "No unit matches these filters." in text


def test_filters_keep_what_was_asked() -> None:
    filters = parse_filters("kind=example&state=draft&channel=video&q=%20a%20%20b%20")
    assert (filters.kind, filters.state, filters.channel, filters.search) == (
        "example", "draft", "video", "a b")
    assert not parse_filters("kind=x&state=y&channel=z").active


def test_a_clip_has_no_subtitle_track_but_a_link(project: Path, run: Run) -> None:
    """The subtitles are burned into the clip: a track would show them twice."""
    build(run, project)
    folder = project / "outbox" / "video" / "khai-sinh"
    folder.mkdir(parents=True)
    items = [("khai-sinh-16x9.mp4", "video"), ("khai-sinh-16x9.jpg", "poster-frame"),
             ("khai-sinh-9x16.mp4", "video"), ("khai-sinh-9x16.jpg", "poster-frame"),
             ("khai-sinh.vtt", "subtitles"), ("khai-sinh.srt", "subtitles")]
    for name, _product in items:
        (folder / name).write_bytes(b"x")
    (project / "outbox" / "video" / "manifest.json").write_text(
        '{"channel": "video", "items": [' + ", ".join(
            f'{{"unit": "khai-sinh", "path": "khai-sinh/{name}", "sha256": "x", "bytes": 1, '
            f'"inputs": "x", "product": "{product}"}}' for name, product in items) + "]}",
        encoding="utf-8")
    unit = section(page(project), "khai-sinh")
    assert "<track" not in unit
    assert "src='/video/khai-sinh/khai-sinh-16x9.mp4'" in unit
    assert "poster='/video/khai-sinh/khai-sinh-16x9.jpg'" in unit
    # both orientations, each with its own poster frame
    assert "src='/video/khai-sinh/khai-sinh-9x16.mp4'" in unit
    assert "poster='/video/khai-sinh/khai-sinh-9x16.jpg'" in unit
    assert "href='/video/khai-sinh/khai-sinh.vtt'" in unit
    assert "href='/video/khai-sinh/khai-sinh.srt'" in unit


def test_the_feed_item_as_the_portal_shows_it(project: Path, run: Run) -> None:
    build(run, project, "--channel", "print", "--channel", "rss")
    unit = section(page(project), "khai-sinh")
    feed = unit[unit.index("<div class=feed>"):]
    assert f"<h4><a href='{open_project(project).settings.unit_page('khai-sinh')}'" in feed
    assert "Cha mẹ nộp hồ sơ trên Cổng dịch vụ công" in feed
    assert "09/02/2021" in feed
    # The enclosure, which the portal fetches from the public address, is linked here.
    assert "href='/print/khai-sinh/khai-sinh-leaflet.pdf'" in feed
    # The full text runs no script: a sandboxed frame.
    assert "<iframe sandbox" in feed and "60 ngày" in feed


def test_previews_have_alt_text_and_their_size(project: Path, run: Run) -> None:
    build(run, project, "--channel", "print")
    text = page(project)
    images = re.findall(r"<img [^>]*>", text)
    assert images
    for image in images:
        assert re.search(r"alt='[^']+'", image), image
        assert re.search(r"width=\d+ height=\d+", image), image
    assert "Preview 1 of “Đăng ký khai sinh trực tuyến”" in section(text, "khai-sinh")


def test_the_page_is_vietnamese_by_default(project: Path, run: Run) -> None:
    write_unit(project, "khai-sinh", PROCEDURE.replace("kind: procedure\n",
                                                       "kind: procedure\nstatus: draft\n"))
    build(run, project)
    i18n.use("vi")
    text = page(project)
    assert "<html lang=vi>" in text
    for words in ("duyệt bài trước khi đăng", "bản nháp", "đang đăng", "Loại bài",
                  "Tin nhắn SMS", "thủ tục", "Tiêu đề có chữ", "Lọc"):
        assert words in text, words
    for english in ("Filter", "Title contains", "every kind", "Draft (not published)"):
        assert english not in text, english


def test_files_being_made_again_in_the_background_are_said(project: Path, run: Run) -> None:
    """After an edit the leaflet is new at once, the clip only once the background build
    has made it: until then the page says which files are of the version before."""
    build(run, project)
    status = Status(generation="g", behind=("video",),
                    behind_sources=frozenset({"content/khai-sinh.md"}))
    text = page(project, status=status)
    assert badges(text, "khai-sinh") == ["stale", "live"]
    assert "Being made in the background for this version." in section(text, "khai-sinh")
    assert "Its file has changed" not in section(text, "khai-sinh")  # its leaflet is new
    assert badges(text, "tong-dai-1022") == ["live"]
    assert "in the background" not in section(text, "tong-dai-1022")
    everything = page(project, status=Status(generation="g", behind=("video",),
                                             behind_sources=None))
    assert "in the background" in section(everything, "tong-dai-1022")


def test_the_bulletins_are_linked_at_the_top(project: Path, run: Run) -> None:
    build(run, project)
    assert run("bulletin", "--project", str(project), "--week", "2021-W06")[0] == 0
    top = page(project).split("<section", 1)[0]
    assert "href='/bulletin/2021-W06/bulletin-2021-W06.pdf'" in top


def test_one_project_with_a_unit_in_each_state(project: Path, run: Run) -> None:
    write_unit(project, "tan-phong", EXAMPLE.replace("publish: 2021-02-26",
                                                     "publish: 2021-04-15"))
    write_unit(project, "tong-dai-1022", NOTICE.replace("hotline:", "expires: 2021-03-01\n"
                                                                    "hotline:"))
    write_unit(project, "nhap", PROCEDURE.replace("kind: procedure\n",
                                                  "kind: procedure\nstatus: draft\n"))
    write_unit(project, "hong", PROCEDURE)
    write_unit(project, "cu", PROCEDURE)
    build(run, project, "--channel", "print", *QUICK)
    write_unit(project, "hong", PROCEDURE.replace('summary: "Cha mẹ', 'summary: ""\nx: "'))
    write_unit(project, "cu", PROCEDURE.replace("60 ngày", "90 ngày"))
    text = page(project)
    assert {unit: badges(text, unit) for unit in
            ("khai-sinh", "tan-phong", "tong-dai-1022", "nhap", "hong", "cu")} == {
        "khai-sinh": ["live"], "tan-phong": ["scheduled"], "tong-dai-1022": ["expired"],
        "nhap": ["draft"], "hong": ["broken", "live"], "cu": ["stale", "live"]}
    assert "scheduled for 15/04/2021" in section(text, "tan-phong")
    assert "summary" in section(text, "hong")  # its problem, beside its last good files
    draft = section(text, "nhap")  # what it shows is the preview area's, never the outbox's
    assert "/preview/" in draft and not re.search(r"(src|href)='/(sms|rss|print)/", draft)


def test_files_of_an_older_version_than_the_title_are_said(project: Path, run: Run) -> None:
    build(run, project, "--channel", "print", *QUICK)
    write_unit(project, "khai-sinh", PROCEDURE.replace("Đăng ký khai sinh trực tuyến",
                                                       "Khai sinh: tiêu đề mới"))
    build(run, project, "--channel", "print")  # the feed and the SMS are not made again
    unit = section(page(project), "khai-sinh")
    assert "<h2>Khai sinh: tiêu đề mới</h2>" in unit and "stale" in badges(page(project),
                                                                              "khai-sinh")
    assert unit.count("made from an older version of this unit") == 2  # SMS and feed
    build(run, project, "--channel", "print", *QUICK)
    assert "older version" not in section(page(project), "khai-sinh")
