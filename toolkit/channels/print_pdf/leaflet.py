"""The A4 tri-fold leaflet: panels, fitting text to them, drawing the two pages.

A leaflet is one sheet printed on both sides (duplex, flipped on the short
edge) and folded in three, letter fold: page 1 is the outside (the flap that
folds in | the back | the front cover), page 2 the inside (three panels). The
flap is narrower so the leaflet folds flat.

Each panel is laid out on its own, at the largest body size between the
template's ceiling and floor at which it fits: a panel with little to say is
set large (older readers thank it) rather than left half empty, and its blocks
are spread over it in an even rhythm. Past the floor the unit is reported and
no PDF is written.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable

from toolkit.channels.print_pdf.blocks import (
    DISPLAY,
    Block,
    Blocks,
    Look,
    document_info,
    pdf_and_previews,
    photo_size,
    resolve_look,
    sizes_down,
)
from toolkit.channels.print_pdf.overflow import (
    leaflet_last_resort,
    leaflet_place,
    overflow_problem,
)
from toolkit.channels.print_pdf.prepress import photo_problems
from toolkit.channels.print_pdf.template import Leaflet, PanelPlan, PrintTemplate
from toolkit.content.model import AnyUnit
from toolkit.content.pictures import IMAGE_FIX, BadPicture, picture_path
from toolkit.i18n import _
from toolkit.problems import Problem, ProblemError
from toolkit.render.boxes import Column, Row
from toolkit.render.flow import stack
from toolkit.render.picture import Picture, print_picture
from toolkit.render.sheet import MM, Sheet, fill, fold_marks, open_canvas, save
from toolkit.settings import Settings

# How far the cover's title may move down from its masthead, over the cover's height.
COVER_SPREAD = 0.3
ITEM_STRETCH = 0.5  # how much a gap between items widens, where one between blocks does 1
CARD_STRETCH = 1.0  # and one between cards, as between blocks
PICTURE = ("photo",)  # a panel that holds the photo alone is that picture, edge to edge
TINTED = "back"  # the panel set on the tint (its cards on the paper)


@dataclass(frozen=True)
class Panel:
    """One panel of a leaflet page: where it is, what it holds, what it is called."""

    name: str
    x: float
    width: float
    blocks: tuple[str, ...]


@dataclass(frozen=True)
class Laid:
    """A panel's blocks set at the body size chosen for it, and the box they stand in."""

    panel: Panel
    size: float
    column: Column
    room: float
    most: float  # the widest a gap between blocks may grow

    @property
    def picture(self) -> bool:
        """True for a panel that is a picture from edge to edge (it holds the photo alone)."""
        return self.panel.blocks == PICTURE

    @property
    def fill(self) -> float:
        """The share of the panel's text box its blocks take once spread (0 to 1)."""
        return 1.0 if self.picture else self.column.extent(self.room, self.most) / self.room

    @property
    def natural_fill(self) -> float:
        """The share they take at their natural spacing."""
        return 1.0 if self.picture else self.column.height / self.room


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
    sheet = leaflet_sheet(template)
    outside, inside = page_panels(spec, getattr(spec, unit.kind))
    panels = outside + inside
    picture = _placed_photo(unit, photo, project_dir, proof,
                            _picture_shape(panels, sheet), template)
    blocks = Blocks(unit, picture, settings, template, look)
    warnings = _photo_problems(unit, picture, panels, spec, sheet)
    try:
        laid = lay_out(unit, panels, blocks, spec, sheet)
    except ProblemError as err:
        raise ProblemError(*err.problems, *(warnings if proof else ())) from None
    if proof:
        if warnings:
            raise ProblemError(*warnings)
        return ()

    out = io.BytesIO()
    canvas = open_canvas(out, sheet, look.regular, look.cmyk, document_info(unit, settings),
                         look.standard)
    for page in (outside, inside):
        fill(canvas, look.paper, -sheet.bleed, -sheet.bleed, sheet.width + 2 * sheet.bleed,
             sheet.height + 2 * sheet.bleed)
        for panel in page:
            _draw_panel(canvas, laid[panel.name], blocks, spec, sheet, look)
        fold_marks(canvas, sheet, [p.x for p in page[1:]], look.cmyk)
        canvas.showPage()
    return pdf_and_previews(save(canvas, out), template.output.preview_dpi)


def leaflet_sheet(template: PrintTemplate) -> Sheet:
    """The leaflet's sheet: its trim size and bleed."""
    spec = template.leaflet
    return Sheet(spec.width_mm * MM, spec.height_mm * MM, template.output.bleed_mm * MM)


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


def _placed_photo(unit: AnyUnit, photo: Path | None, project_dir: Path, proof: bool,
                  shape: float | None, template: PrintTemplate) -> Picture | None:
    """The unit's photo ready to place (cut to `shape` for a picture panel); a photo that
    cannot be used is a problem of this unit alone (ProblemError), so its leaflet fails
    and keeps its old files."""
    if photo is None or unit.image is None:
        return None
    cmyk = template.output.cmyk
    try:
        path = picture_path(unit.image, (project_dir / unit.source).parent, project_dir)
        return print_picture(path, unit.image, proof, cmyk=cmyk, aspect=shape,
                             background=template.colours.paper if cmyk else None)
    except BadPicture as err:
        raise ProblemError(Problem(unit.source, unit.lines.get("image"), "image", err.what,
                                   _(err.fix or IMAGE_FIX))) from None


def _picture_shape(panels: list[Panel], sheet: Sheet) -> float | None:
    """Width over height of the picture panel, bleed included, if the plan has one."""
    box = next((_picture_box(p, sheet) for p in panels if p.blocks == PICTURE), None)
    return box[2] / box[3] if box else None


def _picture_box(panel: Panel, sheet: Sheet) -> tuple[float, float, float, float]:
    """Where a picture panel's picture goes (x, y, width, height): the panel and the
    bleed on the sides where it meets the edge of the sheet."""
    left = sheet.bleed if panel.x <= 0 else 0.0
    right = sheet.bleed if panel.x + panel.width >= sheet.width - 1 else 0.0
    return (panel.x - left, -sheet.bleed, panel.width + left + right,
            sheet.height + 2 * sheet.bleed)


def _photo_problems(unit: AnyUnit, picture: Picture | None, panels: list[Panel],
                    spec: Leaflet, sheet: Sheet) -> list[Problem]:
    """Too few pixels for the size the photo is printed at: an error (raised here: the
    leaflet is not made), or warnings (returned, for `check` to show)."""
    if picture is None:
        return []
    panel = next((p for p in panels if "photo" in p.blocks), None)
    if panel is None:
        return []
    if panel.blocks == PICTURE:
        size = _picture_box(panel, sheet)[2:]
    else:
        width, room = _text_box(panel, spec, sheet)
        size = photo_size(picture, width, room)
    problems = photo_problems(unit, picture, *size)
    errors = [p for p in problems if not p.warning]
    if errors:
        raise ProblemError(*errors)
    return problems


def lay_out(unit: AnyUnit, panels: list[Panel], blocks: Blocks, spec: Leaflet,
            sheet: Sheet) -> dict[str, Laid]:
    """Each panel's blocks at the largest body size, from the ceiling down in steps to
    the floor, at which they fit it (by panel name): a panel with little to say is set
    large rather than left empty. ProblemError names what to cut in each panel that
    does not fit even at the floor."""
    laid: dict[str, Laid] = {}
    problems: list[Problem] = []
    for panel in panels:
        fitted = _fit(panel, blocks, spec, sheet) if panel.blocks != PICTURE \
            else Laid(panel, spec.body_pt, Column(()), 1.0, 0.0)
        if isinstance(fitted, Laid):
            laid[panel.name] = fitted
        else:
            problems.append(_overflow(unit, panel, blocks, fitted, spec, sheet))
    if problems:
        raise ProblemError(*problems)
    return laid


def _fit(panel: Panel, blocks: Blocks, spec: Leaflet, sheet: Sheet) -> Laid | float:
    """The panel at the largest size that fits, or how far it stands out at the floor.

    The ceiling is tried first (most panels fit there), then the floor (if that does
    not fit, no size does), then the sizes between by halves."""
    sizes = sizes_down(_ceiling(panel, spec), spec.min_body_pt, spec.step_pt)
    width, room = _text_box(panel, spec, sheet)
    first = _set(panel, blocks, sizes[0], spec, width, room)
    if first.column.over(width, room) <= 0:
        return first
    best = _set(panel, blocks, sizes[-1], spec, width, room)
    over = best.column.over(width, room)
    if over > 0:
        return over
    fits, fails = len(sizes) - 1, 0
    while fits - fails > 1:
        middle = (fits + fails) // 2
        tried = _set(panel, blocks, sizes[middle], spec, width, room)
        if tried.column.over(width, room) <= 0:
            fits, best = middle, tried
        else:
            fails = middle
    return best


def _ceiling(panel: Panel, spec: Leaflet) -> float:
    """The largest body size for a panel: running text stops at the body's ceiling, a
    panel of cards, the QR code and pictures at the larger display ceiling."""
    shown = set(DISPLAY) | set(spec.facts) | set(spec.cards)
    return spec.display_pt if all(name in shown for name in panel.blocks) else spec.body_pt


def _set(panel: Panel, blocks: Blocks, size: float, spec: Leaflet, width: float,
         room: float) -> Laid:
    """The panel's blocks set at body size `size`: one try of the fitting."""
    rows = [row for block in blocks.blocks(panel.blocks, size, width, room,
                                           panel.name == TINTED)
            for row in _rows(block, size * spec.block_gap, width)]
    most = room * COVER_SPREAD if "cover" in panel.blocks else size * spec.rhythm
    return Laid(panel, size, Column(tuple(rows)), room, most)


def _rows(block: Block, gap: float, width: float) -> list[Row]:
    """A block as rows of a column: its heading with what follows it, then each further
    item of what it shows (a step, a paragraph) on a row of its own, so that the room
    left in a panel spreads between items too, less than between blocks."""
    rows: list[list[Flowable]] = [[]]
    shown = False  # the row holds some of what the block shows, not only its heading
    for part in block.parts:
        for flow in part.flows:
            if part.piece is not None and not block.whole:
                if shown:
                    rows.append([])
                shown = True
            rows[-1].append(flow)
    stretch = CARD_STRETCH if block.cards else ITEM_STRETCH
    return [Row(stack(flows, width), gap if i == 0 else 0.0, 1.0 if i == 0 else stretch,
                block.foot and i == 0) for i, flows in enumerate(rows)]


def _overflow(unit: AnyUnit, panel: Panel, blocks: Blocks, over: float, spec: Leaflet,
              sheet: Sheet) -> Problem:
    """What to cut from a panel whose text stands out of it even at the floor size, and
    where (laid out once more, at the floor)."""
    width, room = _text_box(panel, spec, sheet)
    parts = blocks.parts(panel.blocks, spec.min_body_pt, width, room, panel.name == TINTED)
    return overflow_problem(unit, leaflet_place(panel.name), parts, width, over,
                            spec.min_body_pt, leaflet_last_resort())


def _text_box(panel: Panel, spec: Leaflet, sheet: Sheet) -> tuple[float, float]:
    margin = spec.margin_mm * MM
    return panel.width - 2 * margin, sheet.height - 2 * margin


def _draw_panel(canvas: Canvas, laid: Laid, blocks: Blocks, spec: Leaflet, sheet: Sheet,
                look: Look) -> None:
    panel, bleed = laid.panel, sheet.bleed
    if laid.picture:
        blocks.draw_picture(canvas, *_picture_box(panel, sheet))
        return
    if "cover" in panel.blocks:
        right = bleed if panel.x + panel.width >= sheet.width - 1 else 0
        fill(canvas, look.primary, panel.x, -bleed, panel.width + right, sheet.height + 2 * bleed)
    elif panel.name == TINTED:
        fill(canvas, look.tint, panel.x, -bleed, panel.width, sheet.height + 2 * bleed)
    margin = spec.margin_mm * MM
    laid.column.draw(canvas, panel.x + margin, sheet.height - margin, laid.room, laid.most)
