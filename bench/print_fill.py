"""How full each leaflet panel of the sample is, and the body size chosen for it.

    python bench/print_fill.py [--project PATH] [--markdown]

For every unit of the project that asks for print, the leaflet is laid out as
`toolkit build` lays it out, and each of its six panels is reported:

- "size": the body size the panel is set at (the template's ceiling, down to
  its floor when the text needs it);
- "content": the share of the panel's text box its blocks take at their
  natural spacing (type, headings, pictures, the gaps of the template);
- "spread": the share once the blocks are spread over the panel in rhythm
  (each gap widened at most by the template's `rhythm`; a contact or byline
  block stands at the foot).

The aims of issue 12: no panel under 60 % filled (spread), no body text under
9.5 pt. The last lines say whether the sample meets them; the exit status is 1
when it does not.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from toolkit.channels import print_pdf
from toolkit.channels.print_pdf.blocks import Blocks, resolve_look
from toolkit.channels.print_pdf.leaflet import Laid, lay_out, leaflet_sheet, page_panels
from toolkit.content.load import load_content
from toolkit.content.model import AnyUnit
from toolkit.project import open_project
from toolkit.render.picture import print_picture

REPO = Path(__file__).resolve().parent.parent
FILL_AIM = 0.60
SIZE_AIM = 9.5


def leaflet_panels(project_dir: Path) -> dict[str, list[Laid]]:
    """Every print unit's leaflet panels, laid out (by unit id)."""
    project = open_project(project_dir)
    template = _template(project.root)
    look = resolve_look(project.settings, template, project.root)
    spec = template.leaflet
    found = {}
    for unit in load_content(project.root, project.content_dir).units:
        if print_pdf.CHANNEL.name not in unit.wanted_channels:
            continue
        outside, inside = page_panels(spec, getattr(spec, unit.kind))
        blocks = Blocks(unit, _photo(unit, project.root), project.settings, template, look)
        laid = lay_out(unit, outside + inside, blocks, spec, leaflet_sheet(template))
        found[unit.id] = [laid[p.name] for p in outside + inside]
    return found


def _template(root: Path) -> print_pdf.PrintTemplate:
    from toolkit.templates import channel_template

    return channel_template(root, print_pdf.CHANNEL.templates, print_pdf.PrintTemplate)


def _photo(unit: AnyUnit, root: Path) -> object:
    if unit.image is None:
        return None
    path = (root / unit.source).parent / unit.image
    return print_picture(path, unit.image, proof=True)


def report(found: dict[str, list[Laid]], markdown: bool) -> bool:
    """Print a line per panel, then whether the aims are met (True when they are)."""
    row = "| {:<40} | {:<13} | {:>5} | {:>7} | {:>6} |" if markdown else \
        "{:<40} {:<13} {:>5} {:>7} {:>6}"
    print(row.format("unit", "panel", "size", "content", "spread"))
    if markdown:
        print("|---|---|---:|---:|---:|")
    for unit, panels in found.items():
        for laid in panels:
            print(row.format(unit[:40], laid.panel.name, f"{laid.size:.2f}",
                             f"{laid.natural_fill:.0%}", f"{laid.fill:.0%}"))
    every = [laid for panels in found.values() for laid in panels]
    emptiest = min(every, key=lambda laid: laid.fill)
    smallest = min(every, key=lambda laid: laid.size)
    met = emptiest.fill >= FILL_AIM and smallest.size >= SIZE_AIM
    print(f"\nleaflets: {len(found)}, panels: {len(every)}")
    print(f"emptiest panel: {emptiest.fill:.0%} spread, {emptiest.natural_fill:.0%} content "
          f"(aim: no panel under {FILL_AIM:.0%})")
    fills = sorted(laid.fill for laid in every)
    print(f"median panel: {fills[len(fills) // 2]:.0%} spread; panels under the aim: "
          f"{sum(f < FILL_AIM for f in fills)} of {len(fills)}")
    print(f"smallest body: {smallest.size:.2f} pt (aim: none under {SIZE_AIM} pt)")
    print(f"median body: {sorted(laid.size for laid in every)[len(every) // 2]:.2f} pt")
    print("aims met" if met else "aims NOT met")
    return met


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--project", type=Path, default=REPO)
    parser.add_argument("--markdown", action="store_true", help="a Markdown table")
    args = parser.parse_args()
    sys.exit(0 if report(leaflet_panels(args.project), args.markdown) else 1)


if __name__ == "__main__":
    main()
