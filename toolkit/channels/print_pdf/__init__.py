"""Print channel: an A4 tri-fold leaflet and A3/A4 posters per unit, print-ready PDFs.

Each PDF has JPEG previews beside it. Text that does not fit even at the
smallest type size is reported, and no PDF is written for it. The channel is
declared here; the rest is by concept:

- `template`: the print template (templates/leaflets/*.toml);
- `leaflet`: the tri-fold leaflet: panels, fitting text to them, drawing;
- `poster`: the posters;
- `blocks`: what both set: the look, the blocks of content, fitting sizes;
- `overflow`: what to cut when text does not fit: the field, the item, how much.

Only the template and light modules are imported here: the renderers (ReportLab,
Pillow) load when print is planned or checked, so that the registry can list
every channel at little cost.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial
from pathlib import Path

from toolkit.channels.base import Channel, Picture, Shown
from toolkit.channels.print_pdf.template import PrintTemplate
from toolkit.content.model import AnyUnit
from toolkit.i18n import N_
from toolkit.jobs import Context, File, Job
from toolkit.outbox import Item
from toolkit.problems import Problem, ProblemError

LEAFLET, POSTER, PREVIEW = "leaflet", "poster", "preview"


class Print(Channel[PrintTemplate]):
    """A leaflet and posters per unit, made before the publish date (print shops need
    the lead time), with previews for the review page."""

    name = "print"
    label = N_("leaflets and posters")
    templates = "leaflets"
    template = PrintTemplate
    encloses = True
    reported = {LEAFLET: N_("leaflets"), POSTER: N_("posters")}

    def plan(self, units: Sequence[AnyUnit], context: Context[PrintTemplate]) -> list[Job]:
        """Per unit asking for print: the leaflet, and a poster per size, with previews."""
        units = [unit for unit in units if unit.wants(self.name, context.today)]
        if not units:
            return []  # nor is ReportLab imported
        from toolkit.channels.print_pdf.blocks import logo_path

        logo = logo_path(context.settings, context.project_dir)  # a bad one stops the channel
        template, project = context.template, context.project_dir
        reads = (*((logo,) if logo else ()), *template.fonts.files(project),
                 *template.icon_files())
        return [job for unit in units for job in _unit_jobs(unit, context, reads)]

    def check(self, unit: AnyUnit, context: Context[PrintTemplate],
              thorough: bool = False) -> list[Problem]:
        """With `thorough`, lay the products out and report any text that does not fit,
        and a photo that cannot be placed (decoding it in full)."""
        if not thorough or self.name not in unit.wanted_channels:
            return []
        problems: list[Problem] = []
        for proof in _proofs(unit, context):
            try:
                proof()
            except ProblemError as err:
                problems.extend(err.problems)
        return problems

    def check_settings(self, context: Context[PrintTemplate]) -> list[Problem]:
        """Colours too light to print, in the template or the brand."""
        from toolkit.channels.print_pdf.prepress import tint_problems

        return tint_problems(context.template, context.settings, context.project_dir)

    def shown(self, items: Sequence[Item], outbox: Path) -> dict[str, list[Shown]]:
        """The preview of every page, unit by unit."""
        found: dict[str, list[Shown]] = {}
        for item in items:
            if item.unit is not None and item.product == PREVIEW:
                found.setdefault(item.unit, []).append(Picture(item.path))
        return found


CHANNEL = Print()


def _unit_jobs(unit: AnyUnit, context: Context[PrintTemplate], reads: tuple[Path, ...]
               ) -> list[Job]:
    """The leaflet and the posters of one unit; their bytes depend on the unit, what every
    print product reads (`reads`: the logo, the fonts, the pictograms), and (the
    leaflet's) on its photo."""
    from toolkit.channels.print_pdf.leaflet import render_leaflet
    from toolkit.channels.print_pdf.poster import render_poster

    template, settings, project = context.template, context.settings, context.project_dir
    photo = _photo(unit, project)
    base = f"{unit.id}/{unit.id}"
    pages = (File(f"{base}-leaflet-1.jpg", PREVIEW), File(f"{base}-leaflet-2.jpg", PREVIEW))
    leaflet = Job((File(f"{base}-leaflet.pdf", LEAFLET), *pages), unit.id, (unit.id,),
                  partial(render_leaflet, unit, photo, settings, template, project),
                  reads + ((photo,) if photo else ()))
    posters = [Job((File(f"{base}-poster-{size}.pdf", POSTER),
                    File(f"{base}-poster-{size}.jpg", PREVIEW)), unit.id, (unit.id,),
                   partial(render_poster, unit, size, settings, template, project), reads)
               for size in template.poster.sizes]
    return [leaflet, *posters]


def _proofs(unit: AnyUnit, context: Context[PrintTemplate]) -> list[partial[tuple[bytes, ...]]]:
    """Laying out each product of a unit without drawing it: what `check` runs."""
    from toolkit.channels.print_pdf.leaflet import render_leaflet
    from toolkit.channels.print_pdf.poster import render_poster

    template, settings, project = context.template, context.settings, context.project_dir
    photo = _photo(unit, project)
    return [partial(render_leaflet, unit, photo, settings, template, project, proof=True),
            *(partial(render_poster, unit, size, settings, template, project, proof=True)
              for size in template.poster.sizes)]


def _photo(unit: AnyUnit, project_dir: Path) -> Path | None:
    """Where the unit's photo is (checked again when it is placed)."""
    if unit.image is None:
        return None
    return (project_dir / unit.source).parent / unit.image
