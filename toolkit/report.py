"""The quarterly report: what was published on each channel, by month and by kind.

Every office reports its communication work every 3, 6, 9 and 12 months. The
report counts what the outbox holds for the units published in the quarter
(leaflets, posters, videos, feed items, SMS) and the bulletins of the quarter,
and lists the titles; it is a Word file in outbox/report/<quarter>/.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from docx.document import Document
from pydantic import Field

from toolkit.channels.sms import read_messages
from toolkit.content.load import Content, load_content
from toolkit.content.model import KINDS, AnyUnit
from toolkit.outbox import ChannelOutbox, Item, unit_files
from toolkit.periods import Period, parse
from toolkit.project import Project
from toolkit.render.word import new_document, saved
from toolkit.templates import Strict, Template, load_template

COLUMNS = ("leaflets", "posters", "videos", "feed", "sms", "bulletins")
ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}  # quarters are written so in Vietnamese reports


class Headings(Strict):
    """Headings and column titles of the report's tables."""

    by_month: str
    by_kind: str
    titles: str
    month: str
    total: str
    date: str
    unit: str
    kind: str
    channels: str


class Columns(Strict):
    """What each counted product is called."""

    leaflets: str
    posters: str
    videos: str
    feed: str
    sms: str
    bulletins: str


class ReportTemplate(Template):
    """templates/report/*.toml: titles, headings, names of products and kinds."""

    title: str
    period: str
    word_font: str
    word_size_pt: float = Field(ge=8, le=20)
    headings: Headings
    columns: Columns
    kinds: dict[str, str]


@dataclass
class Tally:
    """Products counted per unit, per month and per kind."""

    per_unit: dict[str, Counter[str]] = field(default_factory=dict)
    per_month: dict[int, Counter[str]] = field(default_factory=dict)
    per_kind: dict[str, Counter[str]] = field(default_factory=dict)


def report(project: Project, quarter: Period) -> tuple[str, bytes, Content]:
    """The report of a quarter: its path in outbox/report/, its bytes, the content read."""
    content = load_content(project.root, project.content_dir)
    template = load_template(project.root, "report", ReportTemplate)
    units = sorted((u for u in content.units if quarter.start <= u.publish.date() <= quarter.end),
                   key=lambda u: (u.publish, u.id))
    tally = count(units, quarter, project.outbox_dir)
    data = render(quarter, units, tally, project, template)
    return f"{quarter.name}/report-{quarter.name}.docx", data, content


def count(units: list[AnyUnit], quarter: Period, outbox: Path) -> Tally:
    """What the outbox holds for each unit of the quarter, and the quarter's bulletins."""
    files = {unit: [f"{channel}/{item.path}" for channel, item in found]
             for unit, found in unit_files(outbox, ("print", "video")).items()}
    sms_ids = {message_id for message_id, _ in read_messages(outbox) or []}
    tally = Tally()
    for unit in units:
        products = _products(unit, files.get(unit.id, []), unit.id in sms_ids)
        tally.per_unit[unit.id] = products
        tally.per_month.setdefault(unit.publish.month, Counter()).update(products)
        tally.per_kind.setdefault(unit.kind, Counter()).update(products)
    for period in _bulletins(outbox):
        if quarter.start <= period.end <= quarter.end:
            tally.per_month.setdefault(period.end.month, Counter())["bulletins"] += 1
    return tally


def _bulletins(outbox: Path) -> list[Period]:
    items: list[Item] = list(ChannelOutbox(outbox, "bulletin").items.values())
    names = {item.path.split("/")[0] for item in items if item.path.endswith(".docx")}
    return [p for p in map(parse, sorted(names)) if p is not None]


def _products(unit: AnyUnit, files: list[str], in_sms: bool) -> Counter[str]:
    products: Counter[str] = Counter()
    products["leaflets"] = sum(1 for f in files if f.endswith("-leaflet.pdf"))
    products["posters"] = sum(1 for f in files if "-poster-" in f and f.endswith(".pdf"))
    products["videos"] = sum(1 for f in files if f.endswith(".mp4"))
    products["feed"] = int("rss" in unit.wanted_channels)
    products["sms"] = int(in_sms)
    return products


def render(quarter: Period, units: list[AnyUnit], tally: Tally, project: Project,
           template: ReportTemplate) -> bytes:
    """The report as a Word file."""
    settings = project.settings
    document = new_document(template.word_font, template.word_size_pt, settings.brand.primary)
    document.add_heading(template.title, level=0)
    document.add_paragraph(settings.organisation.name).runs[0].bold = True
    document.add_paragraph(template.period.format(
        number=quarter.number, roman=ROMAN[quarter.number], year=quarter.start.year,
        start=f"{quarter.start:%d/%m/%Y}", end=f"{quarter.end:%d/%m/%Y}"))
    heads = template.headings
    months = [(template.headings.month.format(month=m, year=quarter.start.year),
               tally.per_month.get(m, Counter()))
              for m in range(quarter.start.month, quarter.end.month + 1)]
    _table(document, heads.by_month, months, template, with_total=True)
    kinds = [(template.kinds.get(k, k), tally.per_kind.get(k, Counter())) for k in KINDS]
    _table(document, heads.by_kind, kinds, template, with_total=True, columns=COLUMNS[:-1])
    _titles(document, units, tally, template)
    return saved(document, f"{template.title} {quarter.name}", settings.organisation.name,
                 quarter.end)


def _table(document: Document, heading: str, rows: list[tuple[str, Counter[str]]],
           template: ReportTemplate, with_total: bool,
           columns: tuple[str, ...] = COLUMNS) -> None:
    document.add_heading(heading, level=1)
    total: Counter[str] = sum((counts for _, counts in rows), Counter())
    body = rows + ([(template.headings.total, total)] if with_total else [])
    table = document.add_table(rows=1 + len(body), cols=1 + len(columns))
    table.style = "Table Grid"
    header = [""] + [getattr(template.columns, c) for c in columns]
    for cell, value in zip(table.rows[0].cells, header, strict=True):
        cell.text = value
    for row, (label, counts) in zip(table.rows[1:], body, strict=True):
        values = [label] + [str(counts.get(c, 0)) for c in columns]
        for cell, value in zip(row.cells, values, strict=True):
            cell.text = value


def _titles(document: Document, units: list[AnyUnit], tally: Tally,
            template: ReportTemplate) -> None:
    heads = template.headings
    document.add_heading(heads.titles, level=1)
    table = document.add_table(rows=1 + len(units), cols=4)
    table.style = "Table Grid"
    for cell, value in zip(table.rows[0].cells, (heads.date, heads.unit, heads.kind,
                                                  heads.channels), strict=True):
        cell.text = value
    for row, unit in zip(table.rows[1:], units, strict=True):
        counts = tally.per_unit[unit.id]
        made = ", ".join(f"{getattr(template.columns, c)} ×{counts[c]}" if counts[c] > 1
                         else getattr(template.columns, c) for c in COLUMNS if counts.get(c))
        values = (f"{unit.publish:%d/%m/%Y}", unit.title, template.kinds.get(unit.kind, unit.kind),
                  made)
        for cell, value in zip(row.cells, values, strict=True):
            cell.text = value
