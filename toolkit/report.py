"""The quarterly report: what was published on each channel, by month and by kind.

Every office reports its communication work every 3, 6, 9 and 12 months. The
report counts what the outbox holds for the units published in the quarter
(leaflets, posters, videos, feed items, SMS) and the bulletins of the quarter,
and lists the titles; it is a Word file in outbox/report/<quarter>/.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from docx.document import Document
from docx.shared import Cm
from docx.table import Table
from pydantic import Field

from toolkit.channels import channels
from toolkit.content.load import Content, load_content
from toolkit.content.model import KIND_LABELS, KINDS, AnyUnit
from toolkit.i18n import N_, _, day, ngettext, vietnamese
from toolkit.outbox import ChannelOutbox
from toolkit.periods import Period
from toolkit.problems import Problem
from toolkit.project import Project
from toolkit.render.word import MARGIN_CM, PAGE_CM, new_document, saved
from toolkit.templates import Strict, Template, load_template

BULLETINS = N_("bulletins")  # the column of the bulletins (issues) of each month
ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}  # quarters are written so in Vietnamese reports
LABEL_COLUMN_CM = 3.4  # the months' and kinds' column of the count tables


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


class ReportTemplate(Template):
    """templates/report/*.toml: titles, headings, names of products and kinds."""

    title: str
    period: str
    word_font: str
    word_size_pt: float = Field(ge=8, le=20)
    headings: Headings
    columns: dict[str, str]  # what each counted product is called, in the order shown
    kinds: dict[str, str]

    def order(self, counted: set[str]) -> tuple[str, ...]:
        """The columns: those the template names, in its order, then any other product
        counted (a channel the template does not know yet)."""
        return (*self.columns, *sorted(counted - set(self.columns)))

    def label(self, column: str) -> str:
        """What a column is called: as the template says, else what its channel reports it
        as, in Vietnamese (the report is filed as it is, whatever language the officer
        reads messages in)."""
        return self.columns.get(column) or vietnamese(column)

    def kind(self, kind: str) -> str:
        """What a kind of unit is called: as the template says, else in Vietnamese."""
        return self.kinds.get(kind) or vietnamese(KIND_LABELS.get(kind, kind))


@dataclass
class Tally:
    """Products counted per unit, per month and per kind."""

    per_unit: dict[str, Counter[str]] = field(default_factory=dict)
    per_month: dict[int, Counter[str]] = field(default_factory=dict)
    per_kind: dict[str, Counter[str]] = field(default_factory=dict)


@dataclass(frozen=True)
class Report:
    """A quarter's report: where it goes in outbox/report/, its bytes, the content read,
    and what to tell the officer about it (a quarter with nothing to count)."""

    path: str
    data: bytes
    content: Content
    problems: tuple[Problem, ...] = ()


def report(project: Project, quarter: Period) -> Report:
    """The report of a quarter, and a warning when it counts nothing: it is written all
    the same (an office may have to file it), but never silently."""
    content = load_content(project.root, project.content_dir)
    template = load_template(project.root, "report", ReportTemplate)
    units = sorted((u for u in content.units if quarter.start <= u.publish.date() <= quarter.end),
                   key=lambda u: (u.publish, u.id))
    tally = count(units, quarter, project)
    data = render(quarter, units, tally, project, template)
    path = f"{quarter.name}/report-{quarter.name}.docx"
    return Report(path, data, content, _nothing_counted(quarter, units, tally, path))


def _nothing_counted(quarter: Period, units: list[AnyUnit], tally: Tally,
                     path: str) -> tuple[Problem, ...]:
    """A warning for a report of only zeros: no unit published in the quarter, or none
    of those made into anything the report counts."""
    if any(sum(counts.values()) for counts in tally.per_month.values()):
        return ()
    dates = {"quarter": quarter.name, "start": day(quarter.start), "end": day(quarter.end)}
    n = len(units)
    if n == 0:
        what = _("no unit was published in {quarter} ({start} – {end}), so the report has "
                 "only zeros").format(**dates)
        fix = _("check the quarter asked for (--quarter 2021-Q1) and the publish dates of "
                "the units")
    else:
        what = ngettext("{n} unit was published in {quarter} ({start} – {end}), but the outbox "
                        "holds nothing made of it, so the report has only zeros",
                        "{n} units were published in {quarter} ({start} – {end}), but the "
                        "outbox holds nothing made of them, so the report has only zeros",
                        n).format(n=n, **dates)
        fix = ngettext("make it first with toolkit build, then run this again",
                       "make them first with toolkit build, then run this again", n)
    return (Problem(f"outbox/report/{path}", None, "", what, fix, warning=True),)


def count(units: list[AnyUnit], quarter: Period, project: Project) -> Tally:
    """What the manifests say was made for each unit of the quarter, and the quarter's
    bulletins."""
    made = _made(project)
    tally = Tally()
    for unit in units:
        products = made.get(unit.id, Counter())
        tally.per_unit[unit.id] = products
        tally.per_month.setdefault(unit.publish.month, Counter()).update(products)
        tally.per_kind.setdefault(unit.kind, Counter()).update(products)
    for issue in _issues(project):
        if quarter.start <= issue.end <= quarter.end:
            tally.per_month.setdefault(issue.end.month, Counter())[BULLETINS] += 1
    return tally


def _made(project: Project) -> dict[str, Counter[str]]:
    """The reported products of each unit, by column: a file of one unit counts once
    each (a leaflet, two posters); a file of many units (a feed, the SMS list) counts
    once per unit and channel, however many of them hold the unit."""
    made: dict[str, Counter[str]] = {}
    for channel in channels():
        shared: set[tuple[str, str]] = set()
        for item in ChannelOutbox(project.outbox_dir, channel.name).items.values():
            column = channel.reported.get(item.product)
            if column is None:
                continue
            if item.unit is not None:
                made.setdefault(item.unit, Counter())[column] += 1
            else:
                shared.update((unit, column) for unit in item.units)
        for unit, column in shared:
            made.setdefault(unit, Counter())[column] += 1
    return made


def _issues(project: Project) -> list[Period]:
    """The periods of the bulletins in the outbox."""
    return [issue.period for channel in channels() for issue in channel.issues(
        list(ChannelOutbox(project.outbox_dir, channel.name).items.values()), project.settings)]


def render(quarter: Period, units: list[AnyUnit], tally: Tally, project: Project,
           template: ReportTemplate) -> bytes:
    """The report as a Word file."""
    settings = project.settings
    document = new_document(template.word_font, template.word_size_pt, settings.brand.primary)
    document.add_heading(template.title, level=0)
    document.add_paragraph(settings.organisation.name).runs[0].bold = True
    document.add_paragraph(template.period.format(
        number=quarter.number, roman=ROMAN[quarter.number], year=quarter.start.year,
        start=day(quarter.start), end=day(quarter.end)))
    heads = template.headings
    columns = template.order({c for counts in tally.per_month.values() for c in counts})
    months = [(template.headings.month.format(month=m, year=quarter.start.year),
               tally.per_month.get(m, Counter()))
              for m in range(quarter.start.month, quarter.end.month + 1)]
    _table(document, heads.by_month, months, template, columns)
    kinds = [(template.kind(k), tally.per_kind.get(k, Counter())) for k in KINDS]
    _table(document, heads.by_kind, kinds, template, tuple(c for c in columns if c != BULLETINS))
    _titles(document, units, tally, template, columns)
    return saved(document, f"{template.title} {quarter.name}", settings.organisation.name,
                 quarter.end)


def _table(document: Document, heading: str, rows: list[tuple[str, Counter[str]]],
           template: ReportTemplate, columns: tuple[str, ...]) -> None:
    """A table of counts, a row each and a total."""
    document.add_heading(heading, level=1)
    total: Counter[str] = sum((counts for _, counts in rows), Counter())
    body = [*rows, (template.headings.total, total)]
    table = document.add_table(rows=1 + len(body), cols=1 + len(columns))
    table.style = "Table Grid"
    header = [""] + [template.label(c) for c in columns]
    for cell, value in zip(table.rows[0].cells, header, strict=True):
        cell.text = value
    for row, (label, counts) in zip(table.rows[1:], body, strict=True):
        values = [label] + [str(counts.get(c, 0)) for c in columns]
        for cell, value in zip(row.cells, values, strict=True):
            cell.text = value
    _widen_labels(table)


def _widen_labels(table: Table) -> None:
    """The first column wide enough for "Tháng 12/2021" and the kinds' names on one or
    two lines; the counts share the rest of the text's width."""
    first = Cm(LABEL_COLUMN_CM)
    rest = Cm((PAGE_CM[0] - 2 * MARGIN_CM - LABEL_COLUMN_CM) / (len(table.columns) - 1))
    table.autofit = False
    for number, column in enumerate(table.columns):  # the grid, which LibreOffice reads,
        column.width = first if number == 0 else rest  # and each cell, which Word reads
        for cell in column.cells:
            cell.width = column.width


def _titles(document: Document, units: list[AnyUnit], tally: Tally,
            template: ReportTemplate, columns: tuple[str, ...]) -> None:
    """Every unit of the quarter, with what was made of it."""
    heads = template.headings
    document.add_heading(heads.titles, level=1)
    table = document.add_table(rows=1 + len(units), cols=4)
    table.style = "Table Grid"
    for cell, value in zip(table.rows[0].cells, (heads.date, heads.unit, heads.kind,
                                                  heads.channels), strict=True):
        cell.text = value
    for row, unit in zip(table.rows[1:], units, strict=True):
        counts = tally.per_unit[unit.id]
        made = ", ".join(f"{template.label(c)} ×{counts[c]}" if counts[c] > 1
                         else template.label(c) for c in columns if counts.get(c))
        values = (day(unit.publish), unit.title, template.kind(unit.kind),
                  made)
        for cell, value in zip(row.cells, values, strict=True):
            cell.text = value
