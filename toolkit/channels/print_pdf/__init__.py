"""Print channel: an A4 tri-fold leaflet and A3/A4 posters per unit, print-ready PDFs.

Each PDF has PNG previews beside it. Text that does not fit even at the
smallest type size is reported, and no PDF is written for it. The channel's
surface is here (`plan`, `check`); the rest is by concept:

- `template`: the print template (templates/leaflets/*.toml);
- `leaflet`: the tri-fold leaflet: panels, fitting text to them, drawing;
- `poster`: the posters;
- `blocks`: what both set: the look, the blocks of content, fitting sizes.

Only the template and light modules are imported here: the renderers (ReportLab,
Pillow) load when print is planned or checked, so that the registry can list
every channel at little cost.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from functools import partial
from pathlib import Path

from toolkit.channels.print_pdf.template import PrintTemplate
from toolkit.content.model import AnyUnit
from toolkit.jobs import Context, Job, digest
from toolkit.problems import Problem, ProblemError

__all__ = ["TEMPLATE", "TEMPLATES", "PrintTemplate", "check", "plan"]

TEMPLATES = "leaflets"
TEMPLATE = PrintTemplate


def plan(units: Sequence[AnyUnit], context: Context) -> list[Job]:
    """Per unit asking for print: the leaflet, and a poster per size, each with previews."""
    from toolkit.channels.print_pdf.blocks import logo_path

    logo_path(context.settings, context.project_dir)  # a missing logo stops the channel once
    jobs = []
    for unit in units:
        if unit.wants("print", context.today):
            jobs.extend(_unit_jobs(unit, context))
    return jobs


def check(unit: AnyUnit, context: Context, thorough: bool = False) -> list[Problem]:
    """With `thorough`, lay the products out and report any text that does not fit, and
    a photo that cannot be placed (decoding it in full)."""
    if not thorough or "print" not in unit.wanted_channels:
        return []
    problems: list[Problem] = []
    for job in _unit_jobs(unit, context):
        try:
            job.render(proof=True)  # type: ignore[call-arg]
        except ProblemError as err:
            problems.extend(err.problems)
    return problems


def _unit_jobs(unit: AnyUnit, context: Context) -> list[Job]:
    """The leaflet and the posters of one unit, fingerprinted by the unit, its photo and
    the logo."""
    from toolkit.channels.print_pdf.blocks import logo_path
    from toolkit.channels.print_pdf.leaflet import render_leaflet
    from toolkit.channels.print_pdf.poster import render_poster

    template: PrintTemplate = context.template  # type: ignore[assignment]
    photo = _photo(unit, context.project_dir)
    logo = logo_path(context.settings, context.project_dir)
    inputs = digest(unit.fingerprint, _file_digest(photo), _file_digest(logo))
    base = f"{unit.id}/{unit.id}"
    leaflet = Job((f"{base}-leaflet.pdf", f"{base}-leaflet-1.png", f"{base}-leaflet-2.png"),
                  unit.id, (unit.id,), inputs,
                  partial(render_leaflet, unit, photo, context.settings, template,
                          context.project_dir))
    posters = [Job((f"{base}-poster-{size}.pdf", f"{base}-poster-{size}.png"), unit.id,
                   (unit.id,), inputs,
                   partial(render_poster, unit, size, context.settings, template,
                           context.project_dir))
               for size in template.poster.sizes]
    return [leaflet, *posters]


def _photo(unit: AnyUnit, project_dir: Path) -> Path | None:
    """Where the unit's photo is (checked again when it is placed)."""
    if unit.image is None:
        return None
    return (project_dir / unit.source).parent / unit.image


def _file_digest(path: Path | None) -> str:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest() if path else ""
    except OSError:  # gone since it was loaded: the render reports it
        return "unreadable"
