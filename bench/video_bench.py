"""Benchmark of the video channel: time per clip against a bare ffmpeg encode.

    python bench/video_bench.py [--units 3]

For the first procedures of the sample content, at both sizes: the time to draw
the stills, the toolkit's encode, and a bare encode of the same stills measured
in the same run (the concat demuxer with `-vf fps=25,format=yuv420p`: every
frame converted and encoded, as the idiomatic command does); the SSIM of the
toolkit's clip against the stills (ffmpeg's ssim filter over every frame); and
the peak memory of the processes it started.
"""

from __future__ import annotations

import argparse
import re
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterable
from pathlib import Path

from PIL import Image

from toolkit.channels.video import VideoTemplate, render_clip, scenes
from toolkit.channels.video.frames import Frames
from toolkit.content.load import load_content
from toolkit.project import open_project
from toolkit.render.encode import ffmpeg
from toolkit.templates import load_template

REPO = Path(__file__).resolve().parent.parent


def concat_list(stills: Iterable[tuple[Image.Image, int]], folder: Path, fps: int) -> Path:
    """The stills as BMP files and a concat list (the last named twice, to be held)."""
    lines = ["ffconcat version 1.0"]
    for i, (image, frames) in enumerate(stills):
        image.save(folder / f"s{i:04d}.bmp")
        lines += [f"file 's{i:04d}.bmp'", f"duration {frames / fps:.6f}"]
    lines.append(lines[-2])
    (folder / "list.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder / "list.txt"


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
    """SSIM of the clip against the stills, over every frame."""
    result = subprocess.run(
        [ffmpeg(), "-hide_banner", "-i", str(clip), "-f", "concat", "-safe", "0",
         "-i", str(listing), "-filter_complex",
         "[1:v]format=yuv420p,fps=25[ref];[0:v][ref]ssim", "-frames:v", str(frames),
         "-f", "null", "-"], capture_output=True, text=True)
    return float(re.search(r"All:([\d.]+)", result.stderr)[1])  # type: ignore[index]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--units", type=int, default=3)
    args = parser.parse_args()
    project = open_project(REPO)
    template = load_template(project.root, "video", VideoTemplate)
    units = [u for u in load_content(project.root, project.content_dir).units
             if u.kind == "procedure"][: args.units]
    # The toolkit's clips first, so that the peak memory of its ffmpeg processes is
    # measured before the bare encodes and SSIM runs start theirs.
    clips = []
    for unit in units:
        for size in template.sizes:
            placed = scenes(unit, project.settings, template)
            start = time.perf_counter()
            for _ in Frames(unit, size, project.settings, template, project.root).stills(placed):
                pass
            drawn = time.perf_counter() - start
            start = time.perf_counter()
            mp4, _ = render_clip(unit, project.settings, template, size, project.root)
            clips.append((unit, size, placed, drawn, time.perf_counter() - start, mp4))
    ours_peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    own_peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    print("| unit | size | length | stills | toolkit encode | bare encode | ratio | SSIM "
          "| file: toolkit / bare |")
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|")
    for unit, size, placed, drawn, ours, mp4 in clips:
        frames = placed[-1].end
        stills = Frames(unit, size, project.settings, template, project.root).stills(placed)
        with tempfile.TemporaryDirectory() as folder:
            work = Path(folder)
            listing = concat_list(stills, work, template.fps)
            bare = bare_encode(listing, frames, work / "bare.mp4")
            (work / "ours.mp4").write_bytes(mp4)
            score = ssim(work / "ours.mp4", listing, frames)
            sizes = f"{len(mp4) / 1e6:.1f} / {(work / 'bare.mp4').stat().st_size / 1e6:.1f} MB"
        print(f"| {unit.id[:28]} | {size} | {frames / template.fps:.1f} s | {drawn:.2f} s "
              f"| {ours:.2f} s | {bare:.2f} s | {ours / bare:.2f}x | {score:.4f} | {sizes} |",
              flush=True)
    print(f"\npeak memory while making the clips: this process {own_peak:.0f} MB, "
          f"its largest ffmpeg {ours_peak:.0f} MB")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
