"""Prepress checks: a photo's resolution where it is placed, and colours too light to
print, said as a print shop's preflight would, on the line of what to change."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from PIL import Image

from tests.conftest import EXAMPLE, write_unit
from toolkit import i18n
from toolkit.channels.print_pdf.prepress import photo_problems, tint_problems
from toolkit.channels.print_pdf.template import PrintTemplate
from toolkit.content.load import load_content
from toolkit.content.model import AnyUnit
from toolkit.render.picture import print_picture
from toolkit.render.sheet import MM
from toolkit.settings import load_settings
from toolkit.templates import load_template

Run = Callable[..., tuple[int, str, str]]


def _photo_unit(project: Path, size: tuple[int, int]) -> tuple[AnyUnit, Path]:
    """The example unit with a photo `size` pixels large."""
    path = project / "content" / "anh.jpg"
    Image.new("RGB", size, (200, 30, 30)).save(path)
    write_unit(project, "tan-phong", EXAMPLE.replace("publish:", "image: anh.jpg\npublish:"))
    unit = next(u for u in load_content(project, project / "content").units
                if u.id == "tan-phong")
    return unit, path


def _placed(project: Path, size: tuple[int, int], width_mm: float) -> list:  # type: ignore[type-arg]
    """The problems of a photo `size` pixels large placed `width_mm` wide."""
    unit, path = _photo_unit(project, size)
    picture = print_picture(path, "anh.jpg", True)
    height_mm = width_mm * size[1] / size[0]
    return photo_problems(unit, picture, width_mm * MM, height_mm * MM)


def test_a_photo_under_150_ppi_is_an_error_with_the_largest_size_it_prints(
        project: Path) -> None:
    [problem] = _placed(project, (200, 150), 80)  # 63 ppi
    assert not problem.warning
    assert (problem.file, problem.field) == ("content/tan-phong.md", "image")
    assert problem.line == 5  # the line of `image:`
    assert problem.what == ("'anh.jpg' has only 63 ppi at the size it is placed (80×60 mm), "
                            "too few to print: it prints at most 33×25 mm")
    assert "945×709 pixels" in problem.fix and "Zalo" in problem.fix


def test_a_photo_under_300_ppi_is_a_warning(project: Path) -> None:
    [problem] = _placed(project, (1000, 750), 100)  # 254 ppi
    assert problem.warning
    assert problem.what == ("'anh.jpg' has 254 ppi at the size it is placed (100×75 mm) and "
                            "prints soft; it is sharp up to 84×63 mm")
    assert "1182×886 pixels" in problem.fix
    assert "warning" in str(problem)


def test_a_photo_of_300_ppi_or_more_is_fine(project: Path) -> None:
    assert _placed(project, (2000, 1500), 100) == []  # 508 ppi
    assert _placed(project, (945, 709), 80) == []  # 300 ppi, just


@pytest.mark.parametrize("pixels, warning", [(944, True), (473, True), (472, False)])
def test_the_thresholds(project: Path, pixels: int, warning: bool) -> None:
    [problem] = _placed(project, (pixels, pixels), 80)  # 80 mm: 300 ppi is 945 pixels
    assert problem.warning is warning


def test_the_original_size_counts_not_the_one_kept_for_print(project: Path) -> None:
    """A 3000-pixel photo is kept at 1600 for a leaflet; it is still a 3000-pixel photo."""
    assert _placed(project, (3000, 2000), 250) == []  # 304 ppi


def test_the_message_is_in_vietnamese_for_officers(project: Path) -> None:
    i18n.use("vi")
    [problem] = _placed(project, (200, 150), 80)
    assert "ppi" in problem.what and "mm" in problem.what
    assert "has only" not in problem.what and "Zalo" in problem.fix


# --- colours too light to print ---------------------------------------------------


def _template(project: Path) -> PrintTemplate:
    return load_template(project, "leaflets", PrintTemplate)


def test_the_shipped_colours_all_print(project: Path) -> None:
    assert tint_problems(_template(project), load_settings(project), project) == []


def test_a_brand_colour_too_light_to_print_is_a_warning_on_its_line(project: Path) -> None:
    settings_file = project / "toolkit.toml"
    text = settings_file.read_text("utf-8")
    settings_file.write_text(text.replace('accent = "#C62828"', 'accent = "#FCFEFF"'), "utf-8")
    [problem] = tint_problems(_template(project), load_settings(project), project)
    assert problem.warning
    assert (problem.file, problem.field) == ("toolkit.toml", "brand.accent")
    assert problem.line == next(n for n, line in enumerate(
        settings_file.read_text("utf-8").splitlines(), start=1) if line.startswith("accent"))
    assert "'#FCFEFF'" in problem.what
    assert "#FFFFFF" in problem.fix


def test_a_template_tint_of_faint_ink_is_a_warning(project: Path) -> None:
    template_file = project / "templates" / "leaflets" / "default.toml"
    text = template_file.read_text("utf-8")
    template_file.write_text(text.replace('tint = "#EAF1FA"', 'tint = "#FBFDFC"'), "utf-8")
    [problem] = tint_problems(_template(project), load_settings(project), project)
    assert (problem.file, problem.field) == ("templates/leaflets/default.toml", "colours.tint")
    assert problem.line is not None
    assert "too light to print evenly: every ink is under 3 %" in problem.what
    assert "'#FBFDFC' prints as C" in problem.what


def test_toolkit_check_says_a_light_colour_once_and_still_passes(project: Path,
                                                                   run: Run) -> None:
    settings_file = project / "toolkit.toml"
    text = settings_file.read_text("utf-8")
    settings_file.write_text(text.replace('primary = "#0B5CAD"', 'primary = "#FCFEFF"'), "utf-8")
    status, out, err = run("check", "--project", str(project), "--today", "2021-03-01")
    assert (out + err).count("brand.primary") == 1, out + err  # once, not once a unit
    assert "warning" in out + err
    assert status == 0, out + err
