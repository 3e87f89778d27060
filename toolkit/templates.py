"""Templates: the data (TOML) that shapes a channel's output.

A project's own `templates/<channel>/<name>.toml` wins; otherwise the default
shipped with the toolkit is used, so a project needs copies only of the
templates it changes (`toolkit init` copies them all, for editing). Each
channel says what its templates hold with a subclass of `Template`, so a
mistake in one is reported like a mistake in a unit.
"""

from __future__ import annotations

import hashlib
import tomllib
from importlib import resources
from pathlib import Path
from typing import TypeVar

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, ValidationError

from toolkit.problems import Problem, ProblemError

TEMPLATES_DIR = "templates"


class Strict(BaseModel):
    """Data an officer writes in TOML: an unknown key is a mistake to report."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Fonts(Strict):
    """Font files of a channel: names of Be Vietnam Pro files, or .ttf files in the project.
    Channels that set more weights add them."""

    regular: str
    bold: str

    def files(self, project_dir: Path) -> tuple[Path, ...]:
        """The font files, each as found (the project's own first): what jobs read."""
        from toolkit.render.fonts import font_file

        return tuple(font_file(name, project_dir) for name in self.model_dump().values())


class Colours(Strict):
    """Text and paper colours; brand colours come from toolkit.toml."""

    text: str = Field(pattern=r"^#[0-9A-Fa-f]{6}$")
    paper: str = Field(pattern=r"^#[0-9A-Fa-f]{6}$")


class Template(Strict):
    """The fields of a channel's template, and a fingerprint of its bytes."""

    _digest: str = PrivateAttr("")

    @property
    def digest(self) -> str:
        """Changes whenever the template file does: outputs made with it are rebuilt."""
        return self._digest


T = TypeVar("T", bound=Template)

LABELS = "labels"  # templates/labels/: the shared labels


class Labels(Template):
    """templates/labels/*.toml: what every product calls the fields of a unit it shows
    (a leaflet's headings, a feed item's facts, the bulletin's facts). A channel's
    template that has `labels` gives only those it says differently (`with_labels`)."""

    steps: str
    documents: str
    processing_time: str
    fee: str
    where: str
    online: str
    legal_basis: str
    agency: str
    results: str
    organisation: str
    place: str
    topics: str
    how: str
    hours: str
    hotline: str


def with_labels(template: T, shared: Labels) -> T:
    """`template` with its `labels` laid over the shared ones, and a digest of both, so
    that a change to either remakes what the channel made; a template without a table
    of labels (the video's are the words of its slides) as it is."""
    own = getattr(template, "labels", None)
    if not isinstance(own, dict):
        return template
    merged = template.model_copy(update={"labels": {**shared.model_dump(), **own}})
    merged._digest = hashlib.sha256(f"{template.digest}{shared.digest}".encode()).hexdigest()[:20]
    return merged


def defaults_dir() -> Path:
    """The folder of defaults shipped inside the package (toolkit.toml, templates)."""
    return Path(str(resources.files("toolkit") / "defaults"))


def load_template(project_dir: Path, folder: str, model: type[T], name: str = "default") -> T:
    """Read templates/<folder>/<name>.toml from the project, else the shipped default."""
    relative = Path(TEMPLATES_DIR, folder, f"{name}.toml")
    path = project_dir / relative
    if not path.is_file():
        path = defaults_dir() / relative
    data = path.read_bytes()
    where = relative.as_posix()
    try:
        template = model.model_validate(tomllib.loads(data.decode("utf-8-sig")))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as err:
        raise ProblemError(Problem(where, None, "", f"is not valid TOML ({err})",
                                   "check quotes and [section] headers")) from None
    except ValidationError as err:
        raise ProblemError(*(Problem(where, None, ".".join(map(str, e["loc"])),
                                     str(e["msg"]).removeprefix("Value error, "),
                                     "compare with the default: toolkit init a new folder")
                             for e in err.errors())) from None
    template._digest = hashlib.sha256(data).hexdigest()[:20]
    return template
