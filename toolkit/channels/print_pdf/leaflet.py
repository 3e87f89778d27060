"""The A4 tri-fold leaflet: panels, fitting text to them, drawing the two pages.

A leaflet is one sheet printed on both sides (duplex, flipped on the short
edge) and folded in three, letter fold: page 1 is the outside (the flap that
folds in | the back | the front cover), page 2 the inside (three panels). The
flap is narrower so the leaflet folds flat. Each panel is laid out on its own;
text is shrunk in small steps to a floor, and past the floor the unit is
reported and no PDF is written.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

from reportlab.pdfgen.canvas import Canvas

from toolkit.channels.print_pdf.blocks import (
    Blocks,
    Look,
    document_info,
    pdf_and_previews,
    resolve_look,
    sizes_down,
)
from toolkit.channels.print_pdf.overflow import (
    leaflet_last_resort,
    leaflet_place,
    overflow_problem,
)
from toolkit.channels.print_pdf.template import Leaflet, PanelPlan, PrintTemplate
from toolkit.content.model import AnyUnit
from toolkit.content.pictures import IMAGE_FIX, BadPicture, picture_path
from toolkit.i18n import _
from toolkit.problems import Problem, ProblemError
from toolkit.render.flow import Stack, stack
from toolkit.render.picture import Picture, print_picture
from toolkit.render.sheet import MM, Sheet, fill, fold_marks, open_canvas, save
from toolkit.settings import Settings


@dataclass(frozen=True)
class Panel:
    """One panel of a leaflet page: where it is, what it holds, what it is called."""

    name: str
    x: float
    width: float
    blocks: tuple[str, ...]


def render_leaflet(unit: AnyUnit, photo: Path | None, settings: Settings,
                   template: PrintTemplate, project_dir: Path,
                   proof: bool = False) -> tuple[bytes, ...]:
    """The leaflet PDF (outside, inside) and a PNG of each page.

    With `proof`, only lay the text out and read the photo (raising ProblemError if
    the text does not fit or the photo cannot be placed) and return nothing: what
    `toolkit check` needs, at a fraction of the cost. `photo` is where the unit's
    photo is (None: no photo); its bytes are in the job's inputs.
    """
    look = resolve_look(settings, template, project_dir)
    spec = template.leaflet
    sheet = Sheet(spec.width_mm * MM, spec.height_mm * MM, template.output.bleed_mm * MM)
    outside, inside = page_panels(spec, getattr(spec, unit.kind))
    picture = _placed_photo(unit, photo, project_dir, proof)
    blocks = Blocks(unit, picture, settings, template, look)
    flows = _fit(unit, outside + inside, blocks, spec, sheet)
    if proof:
        return ()

    out = io.BytesIO()
    canvas = open_canvas(out, sheet, look.regular, look.cmyk,
                         document_info(unit, settings))
    for page in (outside, inside):
        fill(canvas, look.paper, -sheet.bleed, -sheet.bleed, sheet.width + 2 * sheet.bleed,
             sheet.height + 2 * sheet.bleed)
        for panel in page:
            _draw_panel(canvas, panel, flows[panel.name], spec, sheet, look)
        fold_marks(canvas, sheet, [p.x for p in page[1:]], look.cmyk)
        canvas.showPage()
    return pdf_and_previews(save(canvas, out), template.output.preview_dpi)


def page_panels(spec: Leaflet, plan: PanelPlan) -> tuple[list[Panel], list[Panel]]:
    """The panels of the outside and the inside page, left to right, holding what `plan`
    puts there: flap | back | cover, and left | middle | right, the right one (the
    back of the flap) narrower by the tuck-in so that the leaflet folds flat."""
    full = (spec.width_mm + spec.tuck_in_mm) / 3 * MM
    flap = full - spec.tuck_in_mm * MM
    outside = [Panel("flap", 0, flap, plan.flap), Panel("back", flap, full, plan.back),
               Panel("cover", flap + full, full, plan.cover)]
    names = ("inside left", "inside middle", "inside right")
    widths = (full, full, flap)
    inside = [Panel(names[i], full * i, widths[i], plan.inside[i]) for i in range(3)]
    return outside, inside


def _placed_photo(unit: AnyUnit, photo: Path | None, project_dir: Path,
                  proof: bool) -> Picture | None:
    """The unit's photo ready to place; a photo that cannot be used is a problem of
    this unit alone (ProblemError), so its leaflet fails and keeps its old files."""
    if photo is None or unit.image is None:
        return None
    try:
        path = picture_path(unit.image, (project_dir / unit.source).parent, project_dir)
        return print_picture(path, unit.image, proof)
    except BadPicture as err:
        raise ProblemError(Problem(unit.source, unit.lines.get("image"), "image", err.what,
                                   _(err.fix or IMAGE_FIX))) from None


def _fit(unit: AnyUnit, panels: list[Panel], blocks: Blocks, spec: Leaflet,
         sheet: Sheet) -> dict[str, Stack]:
    """Each panel's text at the largest body size, in steps down to the floor, at which
    every panel fits; one size for all, so the panels read as one leaflet.

    Text that does not fit at the largest size is tried at the floor next: if it does
    not fit there either, no size between would, and a long text is laid out twice
    rather than once a step."""
    sizes = sizes_down(spec.body_pt, spec.min_body_pt, spec.step_pt)
    stacks, over = layout(panels, blocks, sizes[0], spec, sheet)
    if _fits(over):
        return stacks
    floor_stacks, floor_over = layout(panels, blocks, sizes[-1], spec, sheet)
    if not _fits(floor_over):
        raise ProblemError(*_overflows(unit, panels, blocks, floor_over, spec, sheet))
    for size in sizes[1:-1]:
        stacks, over = layout(panels, blocks, size, spec, sheet)
        if _fits(over):
            return stacks
    return floor_stacks


def _overflows(unit: AnyUnit, panels: list[Panel], blocks: Blocks, over: dict[str, float],
               spec: Leaflet, sheet: Sheet) -> list[Problem]:
    """A problem for each panel whose text stands out of it even at the floor size: what
    to cut, and where (laid out once more, at the floor, only for those panels)."""
    problems = []
    for panel in panels:
        if over[panel.name] > 0:
            width, room = _text_box(panel, spec, sheet)
            parts = blocks.parts(panel.blocks, spec.min_body_pt, width, room, spec)
            problems.append(overflow_problem(unit, leaflet_place(panel.name), parts, width,
                                             over[panel.name], spec.min_body_pt,
                                             leaflet_last_resort()))
    return problems


def layout(panels: list[Panel], blocks: Blocks, size: float, spec: Leaflet,
           sheet: Sheet) -> tuple[dict[str, Stack], dict[str, float]]:
    """Every panel's text at body size `size`, and how far each stands out of its box
    (by panel name): one try of the fitting, which tries sizes until all fit."""
    stacks, over = {}, {}
    for panel in panels:
        width, room = _text_box(panel, spec, sheet)
        stacks[panel.name] = stack(blocks.flows(panel.blocks, size, width, room, spec), width)
        over[panel.name] = stacks[panel.name].over(width, room)
    return stacks, over


def _fits(over: dict[str, float]) -> bool:
    """True when no panel stands out of its box."""
    return all(v <= 0 for v in over.values())


def _text_box(panel: Panel, spec: Leaflet, sheet: Sheet) -> tuple[float, float]:
    margin = spec.margin_mm * MM
    return panel.width - 2 * margin, sheet.height - 2 * margin


def _draw_panel(canvas: Canvas, panel: Panel, text_stack: Stack, spec: Leaflet,
                sheet: Sheet, look: Look) -> None:
    bleed = sheet.bleed
    if "cover" in panel.blocks:
        right = bleed if panel.x + panel.width >= sheet.width - 1 else 0
        fill(canvas, look.primary, panel.x, -bleed, panel.width + right, sheet.height + 2 * bleed)
    elif panel.name == "back":
        fill(canvas, look.tint, panel.x, -bleed, panel.width, sheet.height + 2 * bleed)
    margin = spec.margin_mm * MM
    text_stack.draw(canvas, panel.x + margin, sheet.height - margin)
