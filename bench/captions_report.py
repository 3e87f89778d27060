"""How the video channel's captions read, measured on the sample project.

    python bench/captions_report.py [--project .] [--subtitles FILE]
                                    [--min-seconds 1.5] [--target-cps 14]

For every unit that asks for video, the cues its clip gets (the timeline's own
`scenes`, read-only, with the project's video template): how many cues, how many
last under 1.5 s, the median and highest reading speed (characters a second),
the clips' lengths, and every place where a line or a cue is cut inside a run
that must stay whole (a phone number, a date, a name: `subtitles.runs`) or
between the two syllables of a listed word (`subtitles.COMPOUNDS`).

`--subtitles FILE` measures another version of toolkit/render/subtitles.py (a
revision's, from `git show REV:toolkit/render/subtitles.py > old.py`) with the
same yardstick; `--min-seconds` and `--target-cps` override the template's
subtitle settings, to preview a change to it.
"""

from __future__ import annotations

import argparse
import dataclasses
import importlib.util
import statistics
import sys
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

from toolkit.channels.video import VideoTemplate, scenes, timeline
from toolkit.content.load import load_content
from toolkit.project import open_project
from toolkit.render import subtitles
from toolkit.render.subtitles import Cue, Rules
from toolkit.templates import load_template

SHORT_SECONDS = 1.5  # what the guides call a flash: a cue shorter than this


def load_module(path: Path) -> ModuleType:
    """Another version of the subtitles module, loaded from a file."""
    spec = importlib.util.spec_from_file_location("subtitles_under_test", path)
    if spec is None or spec.loader is None:
        raise SystemExit(f"{path}: not a Python module")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def use_module(module: ModuleType) -> None:
    """Make the timeline cut and time its cues with `module` (its Rules keep the
    template's settings: the fields the two versions share)."""
    original = VideoTemplate.rules

    def rules(template: VideoTemplate) -> object:
        fields = {f.name for f in dataclasses.fields(module.Rules)}
        ours = dataclasses.asdict(original(template))
        return module.Rules(**{k: v for k, v in ours.items() if k in fields})

    for name in ("chunks", "timed", "frames_to_read"):  # what the timeline takes from it
        if hasattr(timeline, name):
            setattr(timeline, name, getattr(module, name))
    VideoTemplate.rules = rules  # type: ignore[assignment, method-assign]


def override(min_seconds: float | None, target_cps: float | None) -> None:
    """Template settings changed for this run only."""
    original = VideoTemplate.rules

    def rules(template: VideoTemplate) -> Rules:
        changes: dict[str, Any] = {}
        if min_seconds is not None:
            changes["min_seconds"] = min_seconds
        if target_cps is not None:
            changes["target_cps"] = target_cps
        return dataclasses.replace(original(template), **changes)

    VideoTemplate.rules = rules  # type: ignore[assignment, method-assign]


def faults(say: str, cues: list[Cue], rules: Rules) -> list[str]:
    """Each cut (between lines or between cues) inside a run or a listed word, shown
    with a bar where it falls."""
    words = say.split()
    cut_after: dict[int, str] = {}  # index of the word before the cut -> "line" or "cue"
    k = 0
    for cue in cues:
        for n, line in enumerate(cue.lines):
            k += len(line.split())
            cut_after[k - 1] = "line" if n < len(cue.lines) - 1 else "cue"
    whole: set[int] = set()  # the words after which no cut may fall
    k = 0
    for run in subtitles.runs(say, rules):
        whole.update(range(k, k + len(run) - 1))
        k += len(run)
    found = []
    for i, where in sorted(cut_after.items()):
        if i + 1 >= len(words):
            continue
        before, after = words[i], words[i + 1]
        if i in whole:
            what = "run"
        elif subtitles.inside_word(before, after):
            what = "word"
        else:
            continue
        found.append(f"{where} splits a {what}: …{' '.join(words[max(i - 2, 0):i + 1])} | "
                     f"{' '.join(words[i + 1:i + 3])}…")
    return found


def report(project_dir: Path, show: Callable[[str], None]) -> None:
    """Measure the captions of every unit that asks for video."""
    project = open_project(project_dir)
    template = load_template(project.root, "video", VideoTemplate)
    rules = template.rules()
    fps = template.fps
    show(f"rules: {rules}")
    units = [u for u in load_content(project.root, project.content_dir, remember=False).units
             if "video" in u.wanted_channels]
    speeds: list[float] = []
    short: list[str] = []
    found: list[str] = []
    lengths: list[float] = []
    for unit in units:
        placed = scenes(unit, project.settings, template)
        lengths.append(placed[-1].end / fps)
        for scene in placed:
            for cue in scene.cues:
                seconds = (cue.end - cue.start) / fps
                speeds.append(len(cue.text) / seconds)
                if seconds < SHORT_SECONDS - 1e-9:
                    short.append(f"{unit.id}: {seconds:.2f} s {cue.text!r}")
            found += [f"{unit.id}: {f}" for f in faults(scene.slide.say, list(scene.cues),
                                                          rules)]
    show(f"units with video: {len(units)}")
    show(f"cues: {len(speeds)}")
    show(f"cues under {SHORT_SECONDS} s: {len(short)}")
    show(f"reading speed: median {statistics.median(speeds):.1f} cps, "
         f"highest {max(speeds):.1f} cps")
    show(f"clips: {min(lengths):.1f} s to {max(lengths):.1f} s, "
         f"{sum(lengths):.1f} s in all")
    show(f"cuts inside a run or a listed word: {len(found)}")
    for line in short + found:
        show(f"  {line}")


def main() -> None:
    """Parse the options, measure, print."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--project", type=Path, default=Path(__file__).resolve().parent.parent)
    parser.add_argument("--subtitles", type=Path, help="another subtitles.py to measure")
    parser.add_argument("--min-seconds", type=float, help="instead of the template's")
    parser.add_argument("--target-cps", type=float, help="instead of the template's")
    args = parser.parse_args()
    if args.subtitles:
        use_module(load_module(args.subtitles))
    if args.min_seconds is not None or args.target_cps is not None:
        override(args.min_seconds, args.target_cps)
    report(args.project, print)


if __name__ == "__main__":
    main()
