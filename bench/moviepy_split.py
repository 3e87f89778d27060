"""How the motion is made, decided by measurement: Pillow layers and held segments, or moviepy.

moviepy cannot be a dependency of the toolkit: its releases (2.2.1, the latest)
pin Pillow below 12, and the toolkit needs Pillow 12.3 or later for its security
fixes (pyproject.toml). So this runs in two steps, in two environments:

    python bench/moviepy_split.py export /tmp/split          # the toolkit's environment
    python -m venv /tmp/mpvenv && /tmp/mpvenv/bin/pip install moviepy==2.2.1
    /tmp/mpvenv/bin/python bench/moviepy_split.py moviepy /tmp/split

`export` writes the first sample procedure's 16:9 clip as the toolkit draws it:
each slide's backdrop and layers (PNG, drawn by Pillow), their places, the
entrance's timing and the caption bands, and times the toolkit's own clip.
`moviepy` composes the same layers with moviepy 2 (`ImageClip`, `with_position`
eased by the same curve, `CrossFadeIn`, `CompositeVideoClip`, one composite a
slide, `concatenate_videoclips`) and times (1) the frames of the entrances alone,
(2) every frame of the clip, and (3) `write_videofile` of the whole clip with the
same x264 settings: what making the clip in moviepy would cost.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path


def export(folder: Path) -> None:
    """The toolkit's layers of one clip, and its own time for the clip."""
    from toolkit.channels.video import VideoTemplate, render_clip, scenes
    from toolkit.channels.video.frames import Frames
    from toolkit.content.load import load_content
    from toolkit.project import open_project
    from toolkit.render.encode import Moving, frames_of
    from toolkit.templates import channel_template

    root = Path(__file__).resolve().parent.parent
    project = open_project(root)
    template = channel_template(root, "video", VideoTemplate)
    unit = next(u for u in load_content(root, project.content_dir).units if u.kind == "procedure")
    placed = scenes(unit, project.settings, template)
    frames = Frames(unit, "16x9", project.settings, template, root)
    folder.mkdir(parents=True, exist_ok=True)
    slides = []
    for n, scene in enumerate(placed):
        drawn = frames.drawn(scene.slide)
        drawn.backdrop.save(folder / f"s{n}-backdrop.png")
        layers = []
        for k, piece in enumerate(drawn.layers):
            piece.image.save(folder / f"s{n}-layer{k}.png")
            layers.append({"file": f"s{n}-layer{k}.png", "at": piece.at, "order": piece.order})
        cues = []
        for k, cue in enumerate(scene.cues):
            band = frames.band(cue)
            band.image.save(folder / f"s{n}-cue{k}.png")
            cues.append({"file": f"s{n}-cue{k}.png", "at": band.at,
                         "start": (cue.start - scene.start) / template.fps,
                         "end": (cue.end - scene.start) / template.fps})
        slides.append({"backdrop": f"s{n}-backdrop.png", "layers": layers, "cues": cues,
                       "seconds": (scene.end - scene.start) / template.fps,
                       "entrance": frames.entrance(scene.slide) / template.fps})
    moving = sum(p.count for p in frames.stills(placed) if isinstance(p, Moving))
    start = time.perf_counter()
    for _ in frames_of(Frames(unit, "16x9", project.settings, template, root).stills(placed)):
        pass
    drawn_all = time.perf_counter() - start
    start = time.perf_counter()
    render_clip(unit, project.settings, template, "16x9", root)
    clip = time.perf_counter() - start
    motion = template.motion
    (folder / "clip.json").write_text(json.dumps({
        "unit": unit.id, "fps": template.fps, "size": [frames.width, frames.height],
        "move": motion.move, "stagger": motion.stagger, "rise": frames.moves.rise,
        "easing": motion.easing, "slides": slides, "qp": template.qp, "preset": template.preset,
        "toolkit": {"clip_s": clip, "moving_frames": moving, "frames": placed[-1].end,
                    "every_frame_drawn_s": drawn_all}}, indent=1), encoding="utf-8")
    print(f"{unit.id}: {placed[-1].end} frames, {moving} of them moving; the toolkit draws "
          f"every frame in {drawn_all:.2f} s and makes the clip in {clip:.2f} s")


def with_moviepy(folder: Path) -> None:
    """The same clip composed by moviepy, timed three ways."""
    import pytweening
    from moviepy import (  # type: ignore[import-not-found]
        CompositeVideoClip,
        ImageClip,
        concatenate_videoclips,
        vfx,
    )

    spec = json.loads((folder / "clip.json").read_text(encoding="utf-8"))
    ease = getattr(pytweening, spec["easing"])
    wipe_free = []  # moviepy has no "slide over the last picture": each slide cuts in
    scenes = []
    for slide in spec["slides"]:
        parts = [ImageClip(str(folder / slide["backdrop"]), duration=slide["seconds"])]
        for piece in slide["layers"]:
            begin = piece["order"] * spec["stagger"]
            x, y = piece["at"]

            def place(t: float, x: int = x, y: int = y) -> tuple[int, int]:
                return x, round(y + spec["rise"] * (1 - ease(min(t / spec["move"], 1.0))))

            parts.append(ImageClip(str(folder / piece["file"]), duration=slide["seconds"] - begin)
                         .with_start(begin).with_position(place)
                         .with_effects([vfx.CrossFadeIn(spec["move"])]))
        for cue in slide["cues"]:
            parts.append(ImageClip(str(folder / cue["file"]), duration=cue["end"] - cue["start"])
                         .with_start(cue["start"]).with_position(tuple(cue["at"])))
        scenes.append(CompositeVideoClip(parts, size=tuple(spec["size"])))
        wipe_free.append(slide["entrance"])
    clip = concatenate_videoclips(scenes)
    fps = spec["fps"]

    start, count = time.perf_counter(), 0
    for scene, entrance in zip(scenes, wipe_free, strict=True):
        for i in range(round(entrance * fps)):
            scene.get_frame(i / fps)
            count += 1
    entrances = time.perf_counter() - start
    start = time.perf_counter()
    frames = sum(1 for _ in clip.iter_frames(fps=fps))
    every = time.perf_counter() - start
    start = time.perf_counter()
    clip.write_videofile(str(folder / "moviepy.mp4"), fps=fps, codec="libx264",
                         preset=spec["preset"], audio=False, logger=None, threads=2,
                         ffmpeg_params=["-qp", str(spec["qp"]), "-tune", "stillimage",
                                        "-bf", "0", "-pix_fmt", "yuv420p"])
    written = time.perf_counter() - start
    ours = spec["toolkit"]
    print(f"{spec['unit']} (16:9, {frames} frames)\n"
          f"| | moviepy 2.2.1 | the toolkit |\n|---|---:|---:|\n"
          f"| the entrances' frames ({count}) | {entrances:.2f} s ({count / entrances:.0f}/s) "
          f"| see video_bench.py |\n"
          f"| drawing the clip (moviepy: every frame; the toolkit: each held picture once "
          f"and every frame of motion) | {every:.2f} s | {ours['every_frame_drawn_s']:.2f} s |\n"
          f"| the clip, encoded | {written:.2f} s | {ours['clip_s']:.2f} s |")


if __name__ == "__main__":
    step, where = sys.argv[1], Path(sys.argv[2])
    export(where) if step == "export" else with_moviepy(where)
