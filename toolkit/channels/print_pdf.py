"""Print channel: an A4 tri-fold leaflet and A3/A4 posters per unit, print-ready PDFs.

A leaflet is one sheet printed on both sides (duplex, flipped on the short
edge) and folded in three, letter fold: page 1 is the outside (the flap that
folds in | the back | the front cover), page 2 the inside (three panels). The
flap is narrower so the leaflet folds flat. Each panel is laid out on its own;
text is shrunk in small steps to a floor, and past the floor the unit is
reported and no PDF is written. Each PDF has PNG previews beside it.
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache, partial
from pathlib import Path

from pydantic import Field
from reportlab.lib.colors import Color
from reportlab.platypus import Flowable, Image, Spacer

from toolkit.content.model import AnyUnit, Notice, Online
from toolkit.content.pictures import IMAGE_FIX, BadPicture, picture_path
from toolkit.jobs import Context, Job, digest
from toolkit.problems import Problem, ProblemError
from toolkit.render.colour import pdf_colour
from toolkit.render.flow import Face, Stack, escape, item, stack, text
from toolkit.render.fonts import font_file, pdf_family, pdf_font
from toolkit.render.markdown import body_blocks
from toolkit.render.picture import Picture, print_picture
from toolkit.render.qr import QrCode
from toolkit.render.sheet import MM, Sheet, fill, fold_marks, open_canvas, preview_png
from toolkit.settings import Settings
from toolkit.templates import Strict, Template

TEMPLATES = "leaflets"


class Fonts(Strict):
    """Font files for the four weights the layouts use."""

    regular: str
    bold: str
    italic: str
    heavy: str


class Colours(Strict):
    """Text, paper and tint colours; brand colours come from toolkit.toml."""

    text: str = Field(pattern=r"^#[0-9A-Fa-f]{6}$")
    paper: str = Field(pattern=r"^#[0-9A-Fa-f]{6}$")
    tint: str = Field(pattern=r"^#[0-9A-Fa-f]{6}$")


class Output(Strict):
    """Colour space, bleed and preview resolution."""

    cmyk: bool = False
    bleed_mm: float = Field(3, ge=0, le=10)
    preview_dpi: int = Field(50, ge=20, le=300)


class PanelPlan(Strict):
    """What each panel of a leaflet holds, for one kind of unit."""

    cover: tuple[str, ...]
    back: tuple[str, ...]
    flap: tuple[str, ...]
    inside: tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]


class Leaflet(Strict):
    """The tri-fold leaflet: size, fold, type sizes and a panel plan per kind."""

    width_mm: float = Field(gt=0)
    height_mm: float = Field(gt=0)
    tuck_in_mm: float = Field(ge=0, le=10)
    margin_mm: float = Field(ge=0)
    title_pt: float = Field(gt=0)
    title_min_pt: float = Field(gt=0)
    heading_pt: float = Field(gt=0)
    body_pt: float = Field(gt=0)
    min_body_pt: float = Field(ge=6)
    step_pt: float = Field(gt=0)
    leading: float = Field(ge=1, le=2)
    procedure: PanelPlan
    example: PanelPlan
    notice: PanelPlan


class Poster(Strict):
    """Posters: sizes, and type sizes for A3 (a poster scales with its width)."""

    sizes: dict[str, tuple[float, float]]  # none: no posters
    margin_mm: float = Field(ge=0)
    title_pt: float = Field(gt=0)
    title_min_pt: float = Field(gt=0)
    summary_pt: float = Field(gt=0)
    points_pt: float = Field(gt=0)
    points_min_pt: float = Field(gt=0)
    max_points: int = Field(ge=0)
    hotline_pt: float = Field(gt=0)
    qr_mm: float = Field(gt=0)
    caption: str


class PrintTemplate(Template):
    """templates/leaflets/*.toml: everything about the look of print products."""

    fonts: Fonts
    colours: Colours
    output: Output
    leaflet: Leaflet
    poster: Poster
    labels: dict[str, str] = {}


TEMPLATE = PrintTemplate
POSTER_BASE_WIDTH_MM = 297  # the poster's type sizes are given for A3
LOGO_MM = 14  # how tall the logo stands on the cover, and on an A3 poster's band


@dataclass(frozen=True)
class Look:
    """Fonts and colours resolved for one render: what every block is set with."""

    regular: str
    bold: str
    heavy: str
    text: Color
    paper: Color
    tint: Color
    primary: Color
    accent: Color
    cmyk: bool
    logo: Picture | None


@dataclass(frozen=True)
class Panel:
    """One panel of a leaflet page: where it is, what it holds, what it is called."""

    name: str
    x: float
    width: float
    blocks: tuple[str, ...]


def plan(units: Sequence[AnyUnit], context: Context) -> list[Job]:
    """Per unit asking for print: the leaflet, and a poster per size, each with previews."""
    logo_path(context.settings, context.project_dir)  # a missing logo stops the channel once
    jobs = []
    for unit in units:
        if unit.wants("print", context.today):
            jobs.extend(_unit_jobs(unit, context))
    return jobs


LOGO_FIX = "give the path of a PNG or JPEG from the project folder, or leave it empty"


def logo_path(settings: Settings, project_dir: Path) -> Path | None:
    """The brand logo of toolkit.toml, if one is set, checked as a unit's photo is (a
    picture inside the project that decodes in full); ProblemError if it is not."""
    if not settings.brand.logo:
        return None
    try:
        path = picture_path(settings.brand.logo, project_dir, project_dir)
        _logo_picture(path, settings.brand.logo, path.stat().st_mtime_ns)
    except BadPicture as err:
        raise ProblemError(Problem("toolkit.toml", None, "brand.logo", err.what,
                                   err.fix or LOGO_FIX)) from None
    return path


@lru_cache(maxsize=4)
def _logo_picture(path: Path, value: str, mtime_ns: int) -> Picture:
    """The logo ready to place, decoded once per process (and again when it changes)."""
    return print_picture(path, value)


def check(unit: AnyUnit, context: Context, thorough: bool = False) -> list[Problem]:
    """With `thorough`, lay the products out and report any text that does not fit, and
    a photo that cannot be placed (decoding it in full)."""
    if not thorough or "print" not in unit.wanted_channels:
        return []
    problems = []
    for job in _unit_jobs(unit, context):
        try:
            job.render(proof=True)  # type: ignore[call-arg]
        except ProblemError as err:
            problems.extend(err.problems)
    return problems


def _unit_jobs(unit: AnyUnit, context: Context) -> list[Job]:
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
        raise ProblemError(Problem(unit.source, None, "image", err.what,
                                   err.fix or IMAGE_FIX)) from None


# --- the look ---------------------------------------------------------------


def _look(settings: Settings, template: PrintTemplate, project_dir: Path) -> Look:
    fonts, cmyk = template.fonts, template.output.cmyk
    family = pdf_family(font_file(fonts.regular, project_dir), font_file(fonts.bold, project_dir),
                        font_file(fonts.italic, project_dir))
    colour = partial(pdf_colour, cmyk=cmyk)
    return Look(family, pdf_font(font_file(fonts.bold, project_dir)),
                pdf_font(font_file(fonts.heavy, project_dir)), colour(template.colours.text),
                colour(template.colours.paper), colour(template.colours.tint),
                colour(settings.brand.primary), colour(settings.brand.accent), cmyk,
                _logo(settings, project_dir))


def _logo(settings: Settings, project_dir: Path) -> Picture | None:
    """The brand logo ready to place, or None when toolkit.toml sets none."""
    path = logo_path(settings, project_dir)
    return _logo_picture(path, settings.brand.logo, path.stat().st_mtime_ns) if path else None


def _pdf_and_previews(canvas_pages: bytes, dpi: int) -> tuple[bytes, ...]:
    return (canvas_pages, *preview_png(canvas_pages, dpi))


# --- the leaflet ------------------------------------------------------------


def render_leaflet(unit: AnyUnit, photo: Path | None, settings: Settings,
                   template: PrintTemplate, project_dir: Path,
                   proof: bool = False) -> tuple[bytes, ...]:
    """The leaflet PDF (outside, inside) and a PNG of each page.

    With `proof`, only lay the text out and read the photo (raising ProblemError if
    the text does not fit or the photo cannot be placed) and return nothing: what
    `toolkit check` needs, at a fraction of the cost. `photo` is where the unit's
    photo is (None: no photo); its bytes are in the job's inputs.
    """
    look = _look(settings, template, project_dir)
    spec = template.leaflet
    sheet = Sheet(spec.width_mm * MM, spec.height_mm * MM, template.output.bleed_mm * MM)
    outside, inside = _panels(spec, getattr(spec, unit.kind))
    picture = _placed_photo(unit, photo, project_dir, proof)
    blocks = _Blocks(unit, picture, settings, template, look)
    flows = _fit(unit, outside + inside, blocks, spec, sheet)
    if proof:
        return ()

    out = io.BytesIO()
    canvas = open_canvas(out, sheet, look.regular, look.cmyk)
    for page in (outside, inside):
        fill(canvas, look.paper, -sheet.bleed, -sheet.bleed, sheet.width + 2 * sheet.bleed,
             sheet.height + 2 * sheet.bleed)
        for panel in page:
            _draw_panel(canvas, panel, flows[panel.name], spec, sheet, look)
        fold_marks(canvas, sheet, [p.x for p in page[1:]], look.cmyk)
        canvas.showPage()
    canvas.save()
    return _pdf_and_previews(out.getvalue(), template.output.preview_dpi)


def _panels(spec: Leaflet, plan: PanelPlan) -> tuple[list[Panel], list[Panel]]:
    """Outside: flap | back | cover; inside: left | middle | right, the right one narrower."""
    full = (spec.width_mm + spec.tuck_in_mm) / 3 * MM
    flap = full - spec.tuck_in_mm * MM
    outside = [Panel("flap", 0, flap, plan.flap), Panel("back", flap, full, plan.back),
               Panel("cover", flap + full, full, plan.cover)]
    names = ("inside left", "inside middle", "inside right")
    widths = (full, full, flap)
    inside = [Panel(names[i], full * i, widths[i], plan.inside[i]) for i in range(3)]
    return outside, inside


def _fit(unit: AnyUnit, panels: list[Panel], blocks: _Blocks, spec: Leaflet,
         sheet: Sheet) -> dict[str, Stack]:
    """Each panel's text at the largest body size, in steps down to the floor, at which
    every panel fits; one size for all, so the panels read as one leaflet.

    Text that does not fit at the largest size is tried at the floor next: if it does
    not fit there either, no size between would, and a long text is laid out twice
    rather than once a step."""
    sizes = _steps(spec.body_pt, spec.min_body_pt, spec.step_pt)
    stacks, over = _layout(panels, blocks, sizes[0], spec, sheet)
    if _fits(over):
        return stacks
    floor_stacks, floor_over = _layout(panels, blocks, sizes[-1], spec, sheet)
    if not _fits(floor_over):
        raise ProblemError(*_overflow_problems(unit, "leaflet", floor_over, spec.min_body_pt))
    for size in sizes[1:-1]:
        stacks, over = _layout(panels, blocks, size, spec, sheet)
        if _fits(over):
            return stacks
    return floor_stacks


def _layout(panels: list[Panel], blocks: _Blocks, size: float, spec: Leaflet,
            sheet: Sheet) -> tuple[dict[str, Stack], dict[str, float]]:
    """Every panel's text at body size `size`, and how far each stands out of its box."""
    stacks, over = {}, {}
    for panel in panels:
        width, room = _text_box(panel, spec, sheet)
        stacks[panel.name] = stack(blocks.flows(panel.blocks, size, width, room, spec), width)
        over[panel.name] = stacks[panel.name].over(width, room)
    return stacks, over


def _fits(over: dict[str, float]) -> bool:
    """True when no panel stands out of its box."""
    return all(v <= 0 for v in over.values())


def _overflow_problems(unit: AnyUnit, product: str, over: dict[str, float],
                       floor: float) -> list[Problem]:
    return [Problem(unit.source, None, "print",
                    f"{product}, panel '{name}': the text is {points / MM:.0f} mm too long "
                    f"even at {floor:g} pt",
                    "shorten the text of that panel, or move a block to another panel in "
                    "templates/leaflets/default.toml")
            for name, points in over.items() if points > 0]


def _text_box(panel: Panel, spec: Leaflet, sheet: Sheet) -> tuple[float, float]:
    margin = spec.margin_mm * MM
    return panel.width - 2 * margin, sheet.height - 2 * margin


def _draw_panel(canvas: object, panel: Panel, text_stack: Stack, spec: Leaflet,
                sheet: Sheet, look: Look) -> None:
    bleed = sheet.bleed
    if "cover" in panel.blocks:
        right = bleed if panel.x + panel.width >= sheet.width - 1 else 0
        fill(canvas, look.primary, panel.x, -bleed, panel.width + right, sheet.height + 2 * bleed)
    elif panel.name == "back":
        fill(canvas, look.tint, panel.x, -bleed, panel.width, sheet.height + 2 * bleed)
    margin = spec.margin_mm * MM
    text_stack.draw(canvas, panel.x + margin, sheet.height - margin)  # type: ignore[arg-type]


# --- blocks: what a panel can hold ----------------------------------------------


class _Blocks:
    """Turns block names (cover, body, qr, a field...) into flowables at a body size."""

    def __init__(self, unit: AnyUnit, photo: Picture | None, settings: Settings,
                 template: PrintTemplate, look: Look) -> None:
        self.unit, self.photo, self.settings = unit, photo, settings
        self.body_blocks = body_blocks(unit.body)
        self.labels, self.look = template.labels, look
        self.title_pt, self.title_min_pt = template.leaflet.title_pt, template.leaflet.title_min_pt

    def flows(self, names: tuple[str, ...], size: float, width: float, room: float,
              spec: Leaflet) -> list[Flowable]:
        """The flowables of the blocks named, set at body size `size`."""
        body = Face(self.look.regular, size, self.look.text, spec.leading)
        heading = Face(self.look.bold, spec.heading_pt, self.look.primary, spec.leading)
        flows: list[Flowable] = []
        for name in names:
            flows.extend(self._block(name, body, heading, width, room))
        return flows

    def _block(self, name: str, body: Face, heading: Face, width: float,
               room: float) -> list[Flowable]:
        special = {"cover": self._cover, "body": self._body, "qr": self._qr,
                   "hotline": self._hotline, "contact": self._contact, "photo": self._photo}
        if name in special:
            return special[name](body, heading, width, room)
        return self._field(name, body, heading)

    def _title(self, name: str, body: Face, heading: Face) -> list[Flowable]:
        label = self.labels.get(name)
        return [text(label, heading, space_after=body.size * 0.4)] if label else []

    def _field(self, name: str, body: Face, heading: Face) -> list[Flowable]:
        value = getattr(self.unit, name, None)
        if not value:
            return []
        flows = self._title(name, body, heading)
        gap = body.size * 0.35
        if isinstance(value, tuple):
            numbered = name == "steps"
            flows += [item(escape(v), body, f"{i}." if numbered else "•", gap)
                      for i, v in enumerate(value, start=1)]
        elif isinstance(value, Online):
            full = " (trực tuyến toàn trình)" if value.full else ""
            flows.append(text(escape(value.url) + full, body, gap))
        else:
            flows.append(text(escape(str(value)), body, gap))
        return [*flows, Spacer(1, body.size * 0.8)]

    def _body(self, body: Face, heading: Face, width: float, room: float) -> list[Flowable]:
        flows = self._title("body", body, heading)
        bold = Face(self.look.bold, body.size, self.look.text, body.leading)
        for block in self.body_blocks:
            gap = body.size * 0.5
            if block.kind == "item":
                flows.append(item(block.markup, body, f"{block.number}." if block.number else "•",
                                  gap * 0.6))
            else:
                flows.append(text(block.markup, bold if block.kind == "heading" else body, gap))
        return flows

    def _cover(self, body: Face, heading: Face, width: float, room: float) -> list[Flowable]:
        white = self.look.paper
        org = Face(self.look.bold, body.size, white, 1.2)
        summary = Face(self.look.regular, body.size + 1.5, white, 1.35)
        byline = Face(self.look.bold, body.size, white, 1.3)
        title = self._fitted_title(width, room * 0.55)
        who = _byline(self.unit)
        logo = [_picture(self.look.logo, width, LOGO_MM * MM), Spacer(1, body.size)] \
            if self.look.logo else []
        return [*logo, text(escape(self.settings.organisation.name.upper()), org),
                Spacer(1, room * 0.18), title, Spacer(1, body.size),
                text(escape(self.unit.summary), summary, body.size),
                *([text(escape(who), byline)] if who else [])]

    def _fitted_title(self, width: float, room: float) -> Flowable:
        """The title at the largest size that fits, down to its floor."""
        size = self.title_pt
        while True:
            face = Face(self.look.heavy, size, self.look.paper, 1.15)
            flow = text(escape(self.unit.title), face)
            fits = stack([flow], width).over(width, room) <= 0
            if fits or size <= self.title_min_pt:
                return flow
            size = max(self.title_min_pt, size - 1)

    def _qr(self, body: Face, heading: Face, width: float, room: float) -> list[Flowable]:
        link = self.unit.link or self.settings.organisation.portal
        side = min(width, 34 * MM)
        small = Face(self.look.regular, max(body.size - 1, 7), self.look.text, 1.2)
        return [*self._title("qr", body, heading), QrCode(link, side, self.look.text),
                text(escape(link), small, body.size)]

    def _hotline(self, body: Face, heading: Face, width: float, room: float) -> list[Flowable]:
        number = self.unit.hotline if isinstance(self.unit, Notice) else \
            self.settings.organisation.hotline
        big = Face(self.look.heavy, body.size * 3, self.look.accent, 1.1)
        return [*self._title("hotline", body, heading), text(escape(number), big, body.size)]

    def _contact(self, body: Face, heading: Face, width: float, room: float) -> list[Flowable]:
        bold = Face(self.look.bold, body.size, self.look.text, body.leading)
        return [text(escape(self.settings.organisation.name), bold),
                text(escape(self.settings.publish.site_url), body, body.size)]

    def _photo(self, body: Face, heading: Face, width: float, room: float) -> list[Flowable]:
        if self.photo is None:
            return []
        return [_picture(self.photo, width, room * 0.4), Spacer(1, body.size)]


def _picture(picture: Picture, width: float, tallest: float) -> Flowable:
    """A picture as large as fits `width` and `tallest`, its proportions kept (in a
    proof, the room it takes)."""
    scale = min(width / picture.width, tallest / picture.height)
    size = (picture.width * scale, picture.height * scale)
    if picture.data is None:
        return Spacer(*size)
    return Image(io.BytesIO(picture.data), *size, mask="auto", hAlign="LEFT")


def _byline(unit: AnyUnit) -> str:
    return getattr(unit, "agency", None) or getattr(unit, "organisation", None) or ""


# --- the posters -------------------------------------------------------------


def render_poster(unit: AnyUnit, size: str, settings: Settings, template: PrintTemplate,
                  project_dir: Path, proof: bool = False) -> tuple[bytes, ...]:
    """A poster PDF of one size and its PNG preview (with `proof`, the layout only)."""
    look = _look(settings, template, project_dir)
    spec = template.poster
    width_mm, height_mm = spec.sizes[size]
    scale = width_mm / POSTER_BASE_WIDTH_MM
    sheet = Sheet(width_mm * MM, height_mm * MM, template.output.bleed_mm * MM)
    margin = spec.margin_mm * MM * scale
    band = 34 * MM * scale
    foot = (spec.qr_mm + 2 * spec.margin_mm) * MM * scale
    box = (sheet.width - 2 * margin, sheet.height - band - foot - 2 * margin)
    body = _poster_body(unit, spec, scale, box, look, f"poster {size}")
    if proof:
        return ()

    out = io.BytesIO()
    canvas = open_canvas(out, sheet, look.regular, look.cmyk)
    bleed = sheet.bleed
    fill(canvas, look.paper, -bleed, -bleed, sheet.width + 2 * bleed, sheet.height + 2 * bleed)
    fill(canvas, look.primary, -bleed, sheet.height - band, sheet.width + 2 * bleed, band + bleed)
    fill(canvas, look.tint, -bleed, -bleed, sheet.width + 2 * bleed, foot + bleed)
    org = stack([text(escape(settings.organisation.name.upper()),
                      Face(look.bold, 16 * scale, look.paper, 1.2))], box[0])
    org.draw(canvas, margin, sheet.height - (band - org.height) / 2)
    if look.logo:
        logo = _picture(look.logo, box[0] / 3, LOGO_MM * MM * scale)
        logo.drawOn(canvas, sheet.width - margin - logo.drawWidth,
                    sheet.height - band + (band - logo.drawHeight) / 2)
    body.draw(canvas, margin, foot + margin + box[1])
    _poster_foot(canvas, unit, settings, template, sheet, scale, look)
    canvas.showPage()
    canvas.save()
    return _pdf_and_previews(out.getvalue(), template.output.preview_dpi)


def _poster_body(unit: AnyUnit, spec: Poster, scale: float, box: tuple[float, float],
                 look: Look, product: str) -> Stack:
    """Title, summary and key points at the largest sizes that fit the box.

    The key points keep their size before the title does: past its floor the
    title is still read from two metres, and smaller points are not. Each part
    is set once per size; the parts stack, so their heights add up.
    """
    width, room = box
    titles = [stack(_poster_title(unit, pt * scale, look), width)
              for pt in _steps(spec.title_pt, spec.title_min_pt, 2)]
    summary = stack(_poster_summary(unit, spec.summary_pt * scale, look), width)
    over = 0.0
    for points_pt in _steps(spec.points_pt, spec.points_min_pt, 1):
        points = stack(_poster_points(unit, spec.max_points, points_pt * scale, look), width)
        for title in titles:
            body = title + summary + points
            over = body.over(width, room)
            if over <= 0:
                return body
    raise ProblemError(*_overflow_problems(unit, product, {"body": over},
                                           spec.points_min_pt * scale))


def _steps(largest: float, floor: float, step: float) -> list[float]:
    """Sizes from the largest down to the floor, the floor included."""
    sizes = []
    size = largest
    while size > floor:
        sizes.append(size)
        size -= step
    return [*sizes, floor]


def _poster_title(unit: AnyUnit, size: float, look: Look) -> list[Flowable]:
    return [text(escape(unit.title), Face(look.heavy, size, look.primary, 1.1), size * 0.5)]


def _poster_summary(unit: AnyUnit, size: float, look: Look) -> list[Flowable]:
    return [text(escape(unit.summary), Face(look.regular, size, look.text, 1.3), size)]


def _poster_points(unit: AnyUnit, most: int, size: float, look: Look) -> list[Flowable]:
    point = Face(look.regular, size, look.text, 1.3)
    numbered = unit.kind == "procedure"
    return [item(escape(p), point, f"{i}." if numbered else "•", size * 0.5)
            for i, p in enumerate(unit.key_points[:most], start=1)]


def _poster_foot(canvas: object, unit: AnyUnit, settings: Settings, template: PrintTemplate,
                 sheet: Sheet, scale: float, look: Look) -> None:
    """The QR code, what it leads to, and the hotline in large type."""
    spec = template.poster
    margin = spec.margin_mm * MM * scale
    side = spec.qr_mm * MM * scale
    link = unit.link or settings.organisation.portal
    QrCode(link, side, look.text).drawOn(canvas, margin, margin)
    number = unit.hotline if isinstance(unit, Notice) else settings.organisation.hotline
    caption = Face(look.bold, 18 * scale, look.text, 1.25)
    small = Face(look.regular, 13 * scale, look.text, 1.25)
    hotline = Face(look.heavy, spec.hotline_pt * scale, look.accent, 1.1)
    flows = [text(escape(spec.caption), caption, 4 * scale),
             text(escape(link), small, 12 * scale),
             text(escape(template.labels.get("hotline", "")), caption),
             text(escape(number), hotline)]
    x = 2 * margin + side
    stack(flows, sheet.width - x - margin).draw(canvas, x, margin + side)  # type: ignore[arg-type]
