"""The registry: a channel is one module and one template; nothing else names it.

A throwaway channel (a plain-text page per unit) is registered here, in the test
alone, and the build, the content model, the review page, the report and
`toolkit new` all take it in.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from functools import partial
from pathlib import Path

import pytest
from docx import Document

from tests.conftest import PROCEDURE, write_unit
from toolkit.channels import channel, channels, defaults, media_type, names, registered
from toolkit.channels.base import Channel, Message, Shown
from toolkit.content.model import AnyUnit
from toolkit.jobs import Context, File, Job
from toolkit.outbox import Item
from toolkit.project import open_project
from toolkit.review import review_page
from toolkit.templates import Template

Run = Callable[..., tuple[int, str, str]]


class PageTemplate(Template):
    """templates/page/default.toml: what a page starts with."""

    heading: str


class Page(Channel[PageTemplate]):
    """A plain-text page per unit."""

    name = "page"
    label = "web pages"
    templates = "page"
    template = PageTemplate
    kinds = ("procedure",)
    reported = {"page": "pages"}
    media_types = {".txt": "text/plain"}

    def plan(self, units: Sequence[AnyUnit], context: Context[PageTemplate]) -> list[Job]:
        return [Job((File(f"{u.id}.txt", "page"),), u.id, (u.id,),
                    partial(_page, u, context.template.heading))
                for u in units if u.wants(self.name, context.today)]

    def shown(self, items: Sequence[Item], outbox: Path) -> dict[str, list[Shown]]:
        return {i.unit: [Message((outbox / self.name / i.path).read_text(encoding="utf-8"))]
                for i in items if i.unit}


def _page(unit: AnyUnit, heading: str) -> tuple[bytes]:
    return (f"{heading}: {unit.title}\n".encode(),)


@pytest.fixture
def page(project: Path) -> Iterator[Page]:
    (project / "templates" / "page").mkdir()
    (project / "templates" / "page" / "default.toml").write_text('heading = "Trang"\n',
                                                                 encoding="utf-8")
    with registered(Page()) as added:
        yield added


def test_a_new_channel_is_one_module_and_one_template(project: Path, run: Run,
                                                      page: Page) -> None:
    assert "page" in names() and channel("page") is page
    assert "page" in defaults("procedure") and "page" not in defaults("notice")

    status, out, err = run("build", "--project", str(project), "--channel", "page",
                           "--today", "2021-03-31")
    assert (status, err) == (0, "") and out.strip() == "built 1, up to date 0"
    made = project / "outbox" / "page" / "khai-sinh.txt"
    assert made.read_text(encoding="utf-8") == "Trang: Đăng ký khai sinh trực tuyến\n"

    assert media_type("page/khai-sinh.txt") == "text/plain"  # what the server sends it as

    page_html = review_page(open_project(project)).decode("utf-8")
    assert "href='/page/khai-sinh.txt'" in page_html
    assert "Trang: Đăng ký khai sinh trực tuyến" in page_html

    assert run("report", "--project", str(project), "--quarter", "2021-Q1")[0] == 0
    report = Document(project / "outbox" / "report" / "2021-Q1" / "report-2021-Q1.docx")
    header, *_, total = ([c.text for c in row.cells] for row in report.tables[0].rows)
    assert total[header.index("pages")] == "1"


def test_units_may_name_a_new_channel(project: Path, run: Run, page: Page) -> None:
    write_unit(project, "tong-dai", PROCEDURE.replace("publish:", "channels: [page]\npublish:"))
    status, _, err = run("check", "--project", str(project))
    assert status == 0, err
    assert run("new", "notice", "Giờ làm việc", "--project", str(project))[0] == 0
    scaffold = (project / "content" / "gio-lam-viec.md").read_text(encoding="utf-8")
    assert "page" in scaffold.split("channels:")[1].splitlines()[0]


def test_the_registry_lists_each_channel_once_in_build_order() -> None:
    order = names()
    assert len(set(order)) == len(order)
    takers = [c.name for c in channels() if c.needs_attachments or c.needs_issues]
    givers = [c.name for c in channels() if c.encloses or c.by_period]
    assert max(map(order.index, givers)) < min(map(order.index, takers))
