"""TEMPORARY: print and video as `Channel`s until their packages declare CHANNEL."""

from __future__ import annotations

from collections.abc import Sequence
from types import ModuleType
from typing import Any

from toolkit.channels.base import Channel
from toolkit.content.model import AnyUnit
from toolkit.jobs import Context, Job
from toolkit.problems import Problem

NAMES = {"toolkit.channels.print_pdf": ("print", True, {"leaflet": "leaflets", "poster": "posters"}),
         "toolkit.channels.video": ("video", True, {"video": "videos"})}


class ModuleChannel(Channel[Any]):
    """A channel written as a module with TEMPLATES, TEMPLATE, check and plan."""

    def __init__(self, module: ModuleType) -> None:
        self.module = module
        self.name, self.encloses, self.reported = NAMES[module.__name__]
        self.templates = module.TEMPLATES
        self.template = module.TEMPLATE

    def check(self, unit: AnyUnit, context: Context[Any], thorough: bool = False) -> list[Problem]:
        return self.module.check(unit, context, thorough)  # type: ignore[no-any-return]

    def plan(self, units: Sequence[AnyUnit], context: Context[Any]) -> list[Job]:
        return self.module.plan(units, context)  # type: ignore[no-any-return]
