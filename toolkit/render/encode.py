"""Encoding stills into H.264 MP4 with the ffmpeg binary that imageio-ffmpeg ships.

Each still is shown for a whole number of frames (the concat demuxer), so the
encoder sees what a slideshow is: a few pictures, each held. x264 is told so
(`-tune stillimage`) and the file is made streamable (`+faststart`), silent,
and the same bytes for the same stills (`bitexact`, no metadata).
"""

from __future__ import annotations

import subprocess
from collections.abc import Iterable
import tempfile
from dataclasses import dataclass
from pathlib import Path

from PIL import Image

from toolkit.content.problems import Problem, ProblemError


@dataclass(frozen=True)
class Encoding:
    """How to encode: frame rate and x264 settings."""

    fps: int
    crf: int
    preset: str


def ffmpeg() -> str:
    """The ffmpeg executable; a ProblemError if it cannot be found."""
    try:
        import imageio_ffmpeg

        return imageio_ffmpeg.get_ffmpeg_exe()
    except (ImportError, RuntimeError) as err:
        raise ProblemError(Problem("ffmpeg", None, "", f"not found ({err})",
                                   "reinstall the toolkit: pip install cchc-toolkit")) from None


def encode(stills: Iterable[tuple[Image.Image, int]], encoding: Encoding) -> bytes:
    """An MP4 of the stills, each held for its number of frames."""
    with tempfile.TemporaryDirectory(prefix="toolkit-video-") as folder:
        work = Path(folder)
        lines = ["ffconcat version 1.0"]
        total = 0
        for i, (image, frames) in enumerate(stills):
            name = f"still-{i:04d}.bmp"
            image.save(work / name)
            lines += [f"file '{name}'", f"duration {frames / encoding.fps:.6f}"]
            total += frames
        # The demuxer holds the last picture for its duration only if it is named once
        # more; -frames:v then cuts the clip at exactly the frames asked for.
        lines.append(lines[-2])
        (work / "stills.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
        out = work / "clip.mp4"
        _run([ffmpeg(), "-hide_banner", "-loglevel", "error", "-y",
              "-f", "concat", "-safe", "0", "-i", str(work / "stills.txt"),
              # Convert each still to YUV once, then repeat it: not every frame.
              "-vf", f"format=yuv420p,fps={encoding.fps}", "-fps_mode", "cfr",
              # B-frames buy nothing on held pictures (same size, same SSIM, measured)
              "-c:v", "libx264", "-preset", encoding.preset, "-tune", "stillimage", "-bf", "0",
              "-crf", str(encoding.crf), "-frames:v", str(total), "-an",
              "-movflags", "+faststart",
              "-map_metadata", "-1", "-fflags", "+bitexact", "-flags:v", "+bitexact",
              str(out)])
        return out.read_bytes()


def _run(command: list[str]) -> None:
    result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode != 0:
        raise ProblemError(Problem("ffmpeg", None, "", f"failed: {result.stderr.strip()[-300:]}",
                                   "report this with the unit that was being built"))
