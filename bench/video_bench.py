"""Benchmark of the video channel: time per clip against a bare ffmpeg encode.

    python bench/video_bench.py [--units 3] [--photo] [--sound]

For the first procedures of the sample content, at both sizes:

- drawing: the held pictures, and the frames of motion (each slide's entrance,
  the title photo's drift), with how many frames of motion are drawn a second;
- the toolkit's clip (`render_clip`: drawing, the held segments' ffmpeg run and
  the motion run side by side, the join), made twice to check that the bytes
  are the same;
- a bare encode of the clip's held stills, measured in the same run: each slide
  at rest held for as long as it shows, through the concat demuxer with
  `-vf fps=25,format=yuv420p` (every frame converted and encoded, as the
  idiomatic command does);
- the SSIM of the toolkit's clip against every frame it was drawn from (ffmpeg's
  ssim filter), and the peak memory of the process making a clip (a fresh one for
  each) and of its largest ffmpeg (read from /proc: Linux).

`--photo` gives each unit a photo (drawn here, 2400x1600) so that its title card
drifts (Ken Burns): the costliest picture the template makes. `--sound` gives
the template a music bed and each unit a narration (tones made by ffmpeg): the
clip's time then includes its mix, two-pass loudness normalisation and mux.
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context
from pathlib import Path

from PIL import Image, ImageDraw

from toolkit.channels.video import VideoTemplate, render_clip, scenes
from toolkit.channels.video.frames import Frames
from toolkit.channels.video.timeline import Scene
from toolkit.content.load import load_content
from toolkit.content.model import AnyUnit
from toolkit.project import open_project
from toolkit.render.encode import Moving, Still, ffmpeg, frames_of
from toolkit.templates import channel_template

REPO = Path(__file__).resolve().parent.parent


def concat_list(stills: Iterable[Still], folder: Path, fps: int, name: str) -> Path:
    """The stills as BMP files and a concat list (the last named twice, to be held)."""
    lines = ["ffconcat version 1.0"]
    for i, (image, frames) in enumerate(stills):
        image.convert("RGB").save(folder / f"{name}{i:05d}.bmp")
        lines += [f"file '{name}{i:05d}.bmp'", f"duration {frames / fps:.6f}"]
    lines.append(lines[-2])
    (folder / f"{name}.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder / f"{name}.txt"


def held_stills(pieces: Iterable[Still | Moving]) -> Iterator[Still]:
    """The clip without its motion: each entrance replaced by the picture it ends on."""
    waiting = 0
    for piece in pieces:
        if isinstance(piece, Moving):
            waiting = piece.count
            continue
        image, frames = piece
        yield image, frames + waiting
        waiting = 0


def bare_encode(listing: Path, frames: int, out: Path) -> float:
    """Seconds for the idiomatic encode of the same stills."""
    start = time.perf_counter()
    subprocess.run([ffmpeg(), "-hide_banner", "-loglevel", "error", "-y", "-f", "concat",
                    "-safe", "0", "-i", str(listing), "-vf", "fps=25,format=yuv420p",
                    "-c:v", "libx264", "-preset", "veryfast", "-tune", "stillimage", "-crf", "20",
                    "-frames:v", str(frames), "-movflags", "+faststart", "-an", str(out)],
                   check=True)
    return time.perf_counter() - start


def ssim(clip: Path, listing: Path, frames: int) -> float:
    """SSIM of the clip against the frames it was drawn from, over every frame."""
    result = subprocess.run(
        [ffmpeg(), "-hide_banner", "-i", str(clip), "-f", "concat", "-safe", "0",
         "-i", str(listing), "-filter_complex",
         "[1:v]format=yuv420p,fps=25[ref];[0:v][ref]ssim", "-frames:v", str(frames),
         "-f", "null", "-"], capture_output=True, text=True)
    return float(re.search(r"All:([\d.]+)", result.stderr)[1])  # type: ignore[index]


def drawing(frames: Frames, placed: list[Scene]) -> tuple[float, float, int]:
    """Seconds to draw the held pictures, seconds to draw the frames of motion, and how
    many frames of motion there are."""
    held = moving = 0.0
    count = 0
    start = time.perf_counter()
    for piece in frames.stills(placed):
        if isinstance(piece, Moving):
            held += time.perf_counter() - start
            start = time.perf_counter()
            for i in range(piece.count):
                piece.draw(i).tobytes()
            moving += time.perf_counter() - start
            count += piece.count
            start = time.perf_counter()
    return held + time.perf_counter() - start, moving, count


def moved(unit: AnyUnit) -> AnyUnit:
    """The unit as if in content/ of another project (where its photo or sound is)."""
    return unit.model_copy(update={"source": f"content/{Path(unit.source).name}"})


def with_photo(units: Sequence[AnyUnit], folder: Path) -> list[AnyUnit]:
    """The units with a photo each (a drawn landscape in `folder`/content)."""
    photo = Image.new("RGB", (2400, 1600), (70, 130, 80))
    draw = ImageDraw.Draw(photo)
    for x in range(0, 2400, 150):
        draw.rectangle((x, 700 + x % 500, x + 110, 1600), fill=(210 - x // 20, 170, 100 + x // 30))
    draw.ellipse((1700, 150, 2100, 550), fill=(250, 220, 120))
    (folder / "content").mkdir(parents=True, exist_ok=True)
    photo.save(folder / "content" / "bench-photo.jpg", quality=90)
    return [u.model_copy(update={"image": "bench-photo.jpg"}) for u in units]


def with_sound(units: Sequence[AnyUnit], folder: Path) -> list[AnyUnit]:
    """The units with a narration each (a 30 s tone that comes and goes, like speech), and
    a music bed (`folder`/bed.wav, 20 s, looped)."""
    (folder / "content").mkdir(parents=True, exist_ok=True)
    for name, tone, seconds in (("content/voice.wav", 220, 30), ("bed.wav", 660, 20)):
        subprocess.run([ffmpeg(), "-hide_banner", "-loglevel", "error", "-y", "-f", "lavfi",
                        "-i", f"sine=frequency={tone}:duration={seconds}", "-af",
                        "volume='0.5+0.4*sin(2*PI*3*t)':eval=frame", str(folder / name)],
                       check=True)
    return [u.model_copy(update={"narration": ("voice.wav",)}) for u in units]


def make_clip(unit: AnyUnit, size: str, root: Path, music: str | None
              ) -> tuple[tuple[float, float, int], float, bytes, bool, float, float]:
    """In a process of its own: the drawing times, the seconds `render_clip` takes, the
    clip, whether a second make gives the same bytes, and the peak memory (MB) of this
    process and of its largest child."""
    project = open_project(REPO)
    template = channel_template(project.root, "video", VideoTemplate)
    if music:
        template = template.model_copy(update={"sound": template.sound.model_copy(
            update={"music": music})})
    placed = scenes(unit, project.settings, template)
    drawn = drawing(Frames(unit, size, project.settings, template, root), placed)
    watch = ChildrenPeak()
    start = time.perf_counter()
    mp4, _ = render_clip(unit, project.settings, template, size, root)
    seconds = time.perf_counter() - start
    again, _ = render_clip(unit, project.settings, template, size, root)
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return drawn, seconds, mp4, again == mp4, own, watch.stop()


class ChildrenPeak:
    """The largest peak resident memory (VmHWM, Linux) of this process's ffmpeg children,
    read every 20 ms: a child's ru_maxrss would count its parent's size at the fork."""

    def __init__(self) -> None:
        self.peak = 0
        self.running = True
        self.thread = threading.Thread(target=self._watch, daemon=True)
        self.thread.start()

    def _watch(self) -> None:
        while self.running:
            for child in _children():
                try:
                    if not Path(f"/proc/{child}/comm").read_text().startswith("ffmpeg"):
                        continue  # not yet the ffmpeg it becomes
                    status = Path(f"/proc/{child}/status").read_text()
                except OSError:
                    continue
                found = re.search(r"VmHWM:\s+(\d+) kB", status)
                if found:
                    self.peak = max(self.peak, int(found[1]))
            time.sleep(0.02)

    def stop(self) -> float:
        """The peak seen, in MB."""
        self.running = False
        self.thread.join()
        return self.peak / 1024


def _children() -> list[str]:
    tasks = Path(f"/proc/{os.getpid()}/task")
    return [pid for task in tasks.iterdir()
            for pid in (task / "children").read_text().split()]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--units", type=int, default=3)
    parser.add_argument("--photo", action="store_true", help="give each unit a title photo")
    parser.add_argument("--sound", action="store_true", help="a music bed and narration")
    args = parser.parse_args()
    project = open_project(REPO)
    template = channel_template(project.root, "video", VideoTemplate)
    units: Sequence[AnyUnit] = [u for u in load_content(project.root, project.content_dir).units
                                if u.kind == "procedure"][: args.units]
    where = Path(tempfile.mkdtemp(prefix="video-bench-"))
    root = project.root
    music = None
    if args.photo or args.sound:
        root = where
        units = [moved(unit) for unit in units]
    if args.photo:
        units = with_photo(units, where)
    if args.sound:
        units, music = with_sound(units, where), "bed.wav"
    # Each clip is made in a fresh process of its own, so that its peak memory (and that
    # of the ffmpeg runs it starts) is the clip's, not this benchmark's.
    clips = []
    with ProcessPoolExecutor(1, mp_context=get_context("spawn")) as pool:
        for unit in units:
            for size in template.sizes:
                placed = scenes(unit, project.settings, template)
                made = pool.submit(make_clip, unit, size, root, music).result()
                clips.append((unit, size, placed, *made))
    own_peak = max(clip[-2] for clip in clips)
    ffmpeg_peak = max(clip[-1] for clip in clips)

    print("| unit | size | length | draw held | draw motion (frames/s) | toolkit clip "
          "| bare encode | ratio | SSIM | same bytes | file: toolkit / bare |")
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|---|---:|")
    for unit, size, placed, (held, moving, count), ours, mp4, same, _, _ in clips:
        frames = placed[-1].end
        drawer = Frames(unit, size, project.settings, template, root)
        with tempfile.TemporaryDirectory() as folder:
            work = Path(folder)
            bare_list = concat_list(held_stills(drawer.stills(placed)), work, template.fps, "h")
            bare = bare_encode(bare_list, frames, work / "bare.mp4")
            every = concat_list(frames_of(drawer.stills(placed)), work, template.fps, "f")
            (work / "ours.mp4").write_bytes(mp4)
            score = ssim(work / "ours.mp4", every, frames)
            sizes = f"{len(mp4) / 1e6:.1f} / {(work / 'bare.mp4').stat().st_size / 1e6:.1f} MB"
        print(f"| {unit.id[:28]} | {size} | {frames / template.fps:.1f} s | {held:.2f} s "
              f"| {moving:.2f} s ({count}, {count / moving:.0f}/s) | {ours:.2f} s | {bare:.2f} s "
              f"| {ours / bare:.2f}x | {score:.4f} | {'yes' if same else 'NO'} | {sizes} |",
              flush=True)
    print(f"\npeak memory while making a clip: the toolkit's process {own_peak:.0f} MB, "
          f"its largest ffmpeg {ffmpeg_peak:.0f} MB")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
