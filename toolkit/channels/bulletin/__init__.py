"""Bulletin: the units published in a week (or any period) as one Word file and its PDF.

Made for a period given to the build (`toolkit bulletin` gives one): an officer
puts out the weekly issue, or the fortnightly edition for the newspaper, when
it is due; a build without a period makes none and keeps those made before.
Both files have one design (`render.py`): a masthead (the logo or emblem of
toolkit.toml, the organisation, the title, "Số 06, tuần từ 08/02 đến
14/02/2021"), page numbers, a section per kind, and for each unit its title,
summary, key facts, its steps numbered from 1, and its link with a QR code.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial

from pydantic import Field

from toolkit.channels.base import Channel
from toolkit.content.model import KINDS, AnyUnit
from toolkit.i18n import N_, _, day
from toolkit.jobs import Context, File, Issue, Job
from toolkit.outbox import Item
from toolkit.periods import Period
from toolkit.periods import parse as parse_period
from toolkit.problems import Problem, ProblemError
from toolkit.settings import Settings
from toolkit.templates import Fonts, Strict, Template

WORD, PDF = "bulletin", "bulletin-pdf"  # what each file is, for the manifest and the report


class PdfFonts(Fonts):
    """Font files of the PDF."""

    italic: str


class Sections(Strict):
    """The heading of each kind's section."""

    procedure: str
    example: str
    notice: str


class BulletinTemplate(Template):
    """templates/bulletin/*.toml: title, fonts, section headings, labels."""

    title: str
    word_font: str
    word_size_pt: float = Field(ge=8, le=20)
    qr_cm: float = Field(ge=0, le=6)
    pdf_fonts: PdfFonts
    sections: Sections
    labels: dict[str, str]


class Bulletin(Channel[BulletinTemplate]):
    """The bulletin of the period the build is given; those of other periods stay."""

    name = "bulletin"
    label = N_("bulletins")
    templates = "bulletin"
    template = BulletinTemplate
    by_period = True  # the report counts its issues, a month each, not per unit

    def plan(self, units: Sequence[AnyUnit], context: Context[BulletinTemplate]) -> list[Job]:
        """The Word file and the PDF of the build's period; nothing without a period."""
        if context.period is None:
            return []
        chosen = self.chosen(units, context.period)
        if not chosen:
            raise ProblemError(_empty(context.period))
        return [_job(context.period, chosen, context)]

    def chosen(self, units: Sequence[AnyUnit], period: Period) -> list[AnyUnit]:
        """The units of the period that ask for the bulletin, by kind, then date, then id."""
        order = {kind: i for i, kind in enumerate(KINDS)}
        picked = [u for u in units if self.name in u.wanted_channels and period.holds(u)]
        return sorted(picked, key=lambda u: (order[u.kind], u.publish, u.id))

    def keeps(self, item: Item) -> bool:
        """Every bulletin stays: each is the issue of its own period."""
        return True

    def issues(self, items: Sequence[Item], settings: Settings) -> tuple[Issue, ...]:
        """The bulletins made so far, oldest first, each by its PDF."""
        found = []
        for item in items:
            period = parse_period(item.path.split("/")[0])
            if period is not None and item.path.endswith(".pdf"):
                found.append(Issue(period, settings.outbox_url(self.name, item.path), item.bytes))
        return tuple(sorted(found, key=lambda i: (i.period.end, i.period.name)))


CHANNEL = Bulletin()


def _job(period: Period, units: list[AnyUnit], context: Context[BulletinTemplate]) -> Job:
    from toolkit.channels.bulletin.render import render_files
    from toolkit.content.pictures import logo_file

    base = f"{period.name}/bulletin-{period.name}"
    template = context.template
    logo = logo_file(context.settings.brand.logo, context.project_dir)
    render = partial(render_files, period, tuple(units), context.settings, template,
                     context.project_dir)
    return Job((File(f"{base}.docx", WORD), File(f"{base}.pdf", PDF)), None,
               tuple(u.id for u in units), render,
               (*((logo,) if logo else ()), *template.pdf_fonts.files(context.project_dir)),
               (period.name,))


def _empty(period: Period) -> Problem:
    return Problem("bulletin", None, "",
                   _("no unit asks for the bulletin in {period} ({start} – {end}); nothing was "
                     "written").format(period=period.name, start=day(period.start),
                                       end=day(period.end)),
                   _("check the publish dates, or choose another period"))
