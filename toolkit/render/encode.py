"""Encoding stills into H.264 MP4 with the ffmpeg binary that imageio-ffmpeg ships.

A clip is a few pictures, each held for a while. Rather than encode every
frame of a held picture, a picture is encoded once as a short segment (at most
`hold` frames, starting with an IDR frame) and the segment is repeated as often
as the picture is held. All the distinct segments of a clip are encoded in one
ffmpeg run, split, and the clip is put together from them without re-encoding.

The segments of a clip are always encoded together and in the same order: a
segment's bytes depend on its place in the run (x264 numbers IDR frames), so
segments are not shared between clips, and a clip is the same bytes on every
build. Constant quantizer, no look-ahead and no B-frames keep each segment to
its own frames otherwise. (The first picture of an ffmpeg run carries x264's
settings as SEI; a one-frame segment that is thrown away takes it.)

Frames of motion (a slide's entrance, a drifting photo) are not pictures to
hold: they are drawn one by one as the encoder asks (`Moving`) and piped to a
second ffmpeg run, with the same settings, while the first encodes the held
segments; each run of motion becomes a segment of its own, and the clip is
joined from both kinds in their order.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Protocol

from PIL import Image

from toolkit.i18n import _
from toolkit.problems import Problem, ProblemError
from toolkit.workers import bound

# x264's threads, fixed: its frame threads limit motion search by what the other threads
# have done, so the bytes would differ between a 2- and a 4-core PC. A clip's job keeps
# this many cores busy (`Job.threads`).
THREADS = 2


@dataclass(frozen=True)
class Encoding:
    """How to encode: frame rate, x264 settings, and the longest segment."""

    fps: int
    qp: int
    preset: str
    hold: int

    @property
    def x264(self) -> list[str]:
        """The encoder's arguments; part of every segment's key."""
        return ["-c:v", "libx264", "-preset", self.preset, "-tune", "stillimage", "-bf", "0",
                "-qp", str(self.qp), "-x264-params", "scenecut=0:keyint=100000:rc-lookahead=0:"
                "colorprim=bt709:transfer=bt709:colormatrix=bt709",
                "-forced-idr", "1", "-threads", str(THREADS)]


# How the colours of a clip are to be read: BT.709 primaries, transfer and matrix, in
# the limited (TV) range; written in the H.264 stream and the MP4's colr box.
BT709 = ("-colorspace", "bt709", "-color_primaries", "bt709", "-color_trc", "bt709",
         "-color_range", "tv")


@dataclass(frozen=True)
class Segment:
    """Pictures shown one after another, each for some frames, encoded as one piece that
    starts with an IDR frame: a held picture's block, or a run of short ones (the gap
    between two subtitles, the frames of a crossfade)."""

    parts: tuple[tuple[str, int], ...]  # (picture key, frames)

    @property
    def frames(self) -> int:
        """How long the segment lasts."""
        return sum(n for _, n in self.parts)

    @property
    def name(self) -> str:
        """The segment's file name in the work folder."""
        return hashlib.sha256(repr(self.parts).encode()).hexdigest()[:24] + ".mp4"


@dataclass(frozen=True)
class Moving:
    """Frames of motion: `count` pictures, each shown once, drawn by `draw(i)` only when
    the encoder takes them (a clip never holds them all)."""

    count: int
    draw: Callable[[int], Image.Image]


@dataclass(frozen=True)
class Run:
    """A run of motion in the clip: the `index`th of the clip, `frames` long."""

    index: int
    frames: int

    @property
    def name(self) -> str:
        """The run's file name in the work folder."""
        return f"moving-{self.index:05d}.mp4"


class Piece(Protocol):
    """A part of the clip as it is joined: a held segment or a run of motion."""

    @property
    def name(self) -> str: ...

    @property
    def frames(self) -> int: ...


Still = tuple[Image.Image, int]  # a picture and how many frames it is held


def frames_of(stills: Iterable[Still | Moving]) -> Iterator[Still]:
    """What a clip shows, as held pictures: each frame of motion drawn, as a picture held
    for one frame (the benchmark and the tests compare the clip with these)."""
    for still in stills:
        if isinstance(still, Moving):
            yield from ((still.draw(i), 1) for i in range(still.count))
        else:
            yield still


def ffmpeg() -> str:
    """The ffmpeg executable; a ProblemError if it cannot be found."""
    try:
        import imageio_ffmpeg

        return imageio_ffmpeg.get_ffmpeg_exe()
    except (ImportError, RuntimeError) as err:
        raise ProblemError(Problem("ffmpeg", None, "",
                                   _("not found ({error})").format(error=err),
                                   _("reinstall the toolkit: pip install cchc-toolkit"))) from None


def encode(stills: Iterable[Still | Moving], encoding: Encoding,
           scratch: Path | None = None) -> bytes:
    """An MP4 of the stills, each held for its number of frames, and of the frames of
    motion between them; the work files go in a folder made in `scratch` (default: the
    system's temporary folder)."""
    if scratch is not None:
        scratch.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="toolkit-video-", dir=scratch) as folder:
        work = Path(folder)
        order, runs = _lay_out(stills, encoding, work)
        distinct = list(dict.fromkeys(p for p in order if isinstance(p, Segment)))
        held = _start(_segments_command(distinct, encoding, work)) if distinct else None
        try:
            if runs:
                _encode_runs(runs, encoding, work)
        finally:
            if held is not None:
                held.finish()
        for i, segment in enumerate(distinct, start=1):
            os.replace(work / f"part-{i:05d}.mp4", work / segment.name)
        return _join(order, encoding, work)


def _lay_out(stills: Iterable[Still | Moving], encoding: Encoding, work: Path
             ) -> tuple[list[Piece], list[Moving]]:
    """The clip's pieces in order (held pictures cut into segments, saved as BMP in
    `work`), and its runs of motion (not drawn yet)."""
    order: list[Piece] = []
    runs: list[Moving] = []
    timeline: list[tuple[str, int]] = []
    for still in stills:
        if isinstance(still, Moving):
            order += segments(timeline, encoding.hold)
            timeline = []
            order.append(Run(len(runs), still.count))
            runs.append(still)
            continue
        image, frames = still
        key = _picture_key(image, encoding)
        if not (work / f"{key}.bmp").is_file():
            image.save(work / f"{key}.bmp")
        timeline.append((key, frames))
    return order + segments(timeline, encoding.hold), runs


def _picture_key(image: Image.Image, encoding: Encoding) -> str:
    h = hashlib.sha256(repr((image.size, image.mode, encoding.fps, encoding.x264)).encode())
    h.update(image.tobytes())
    return h.hexdigest()[:24]


def segments(timeline: list[tuple[str, int]], hold: int) -> list[Segment]:
    """Cut a timeline of (picture, frames) into segments of about `hold` frames: a picture
    held longer becomes a `hold`-frame segment repeated, and shorter pictures, or what is
    left of a long one, run together until they fill one."""
    order: list[Segment] = []
    run: list[tuple[str, int]] = []
    for key, frames in timeline:
        if frames >= hold:
            if run:
                order.append(Segment(tuple(run)))
            whole, rest = divmod(frames, hold)
            order += [Segment(((key, hold),))] * whole
            run = [(key, rest)] if rest else []
        else:
            run.append((key, frames))
            if sum(n for _, n in run) >= hold:
                order.append(Segment(tuple(run)))
                run = []
    return [*order, Segment(tuple(run))] if run else order


def _segments_command(distinct: list[Segment], encoding: Encoding, work: Path) -> list[str]:
    """The ffmpeg run that encodes every distinct segment, split into one file each."""
    throwaway = Segment(((distinct[0].parts[0][0], 1),))
    lines = ["ffconcat version 1.0"]
    starts, frame = [], 0
    for segment in [throwaway, *distinct]:
        starts.append(frame)
        for key, frames in segment.parts:
            lines += [f"file '{key}.bmp'", f"duration {frames / encoding.fps:.6f}"]
            frame += frames
    lines.append(lines[-2])  # the demuxer holds the last picture only if it is named again
    (work / "segments.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return [ffmpeg(), "-hide_banner", "-loglevel", "error", "-y",
            "-f", "concat", "-safe", "0", "-i", str(work / "segments.txt"),
            # Convert each still to YUV once, then repeat it: not every frame. BT.709, as
            # HD video is, and said so in the stream, so every player shows the brand's colours.
            "-vf", f"scale={TO_YUV},fps={encoding.fps}", "-fps_mode", "cfr",
            *_split_output(starts, frame, encoding, work / "part-%05d.mp4")]


def _split_output(starts: list[int], frames: int, encoding: Encoding, pattern: Path
                  ) -> list[str]:
    """Encode `frames` frames, a key frame at each start, and write each piece from a
    start (the first, the throwaway, included) to its own file."""
    return [*BT709, "-frames:v", str(frames), *encoding.x264,
            "-force_key_frames", ",".join(f"{s / encoding.fps:.6f}" for s in starts),
            "-an", "-map_metadata", "-1", "-fflags", "+bitexact", "-flags:v", "+bitexact",
            "-f", "segment", "-segment_frames", ",".join(map(str, starts[1:])),
            "-reset_timestamps", "1", str(pattern)]


# RGB to the limited-range BT.709 YUV 4:2:0 that players expect.
TO_YUV = "out_color_matrix=bt709:out_range=tv,format=yuv420p"


def _encode_runs(runs: Sequence[Moving], encoding: Encoding, work: Path) -> None:
    """Draw the runs of motion frame by frame into an ffmpeg run that encodes each as a
    segment of its own (moving-00000.mp4...), the first frame given twice to be thrown
    away with x264's settings."""
    first = runs[0].draw(0)
    starts = [0, 1]
    for run in runs[:-1]:
        starts.append(starts[-1] + run.count)
    total = 1 + sum(run.count for run in runs)
    command = [ffmpeg(), "-hide_banner", "-loglevel", "error", "-y",
               "-f", "rawvideo", "-pix_fmt", "rgba", "-s", f"{first.width}x{first.height}",
               "-r", str(encoding.fps), "-i", "-", "-vf", f"scale={TO_YUV}",
               *_split_output(starts, total, encoding, work / "run-%05d.mp4")]
    running = _start(command, stdin=subprocess.PIPE)
    pipe = running.process.stdin
    assert pipe is not None
    try:
        pipe.write(_rgba(first))
        for run in runs:
            for i in range(run.count):
                pipe.write(_rgba(first if run is runs[0] and i == 0 else run.draw(i)))
        pipe.close()
    except BrokenPipeError:
        pass  # ffmpeg stopped: finish() says why
    running.finish()
    for i in range(len(runs)):
        os.replace(work / f"run-{i + 1:05d}.mp4", work / Run(i, 0).name)


def _rgba(image: Image.Image) -> bytes:
    """A frame's pixels as the motion run reads them (RGBA: what motion is drawn in)."""
    return (image if image.mode == "RGBA" else image.convert("RGBA")).tobytes()


def _join(order: list[Piece], encoding: Encoding, work: Path) -> bytes:
    """The clip: the segments one after another, copied, streamable from the start."""
    lines = ["ffconcat version 1.0"]
    for segment in order:
        lines += [f"file '{segment.name}'",
                  f"duration {segment.frames / encoding.fps:.6f}"]
    (work / "clip.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = work / "clip.mp4"
    _run([ffmpeg(), "-hide_banner", "-loglevel", "error", "-y", "-f", "concat", "-safe", "0",
          "-i", str(work / "clip.txt"), "-c", "copy", *BT709, "-movflags", "+faststart",
          "-map_metadata", "-1", "-fflags", "+bitexact", str(out)])
    return out.read_bytes()


def _run(command: list[str]) -> None:
    _start(command).finish()


@dataclass(frozen=True)
class _Running:
    """An ffmpeg run under way, and the file its errors go to (a pipe that nobody reads
    could fill and stop it)."""

    process: subprocess.Popen[bytes]
    errors: IO[bytes]

    def finish(self) -> None:
        """Wait for it; a ProblemError with what it said if it failed."""
        code = self.process.wait()
        self.errors.seek(0)
        said = self.errors.read().decode("utf-8", "replace")
        self.errors.close()
        if code != 0:
            raise ProblemError(Problem("ffmpeg", None, "",
                                       _("could not make the video: {error}").format(
                                           error=said.strip()[-300:]),
                                       _("report this with the unit that was being built")))


def _start(command: list[str], stdin: int | None = None) -> _Running:
    """An ffmpeg run, started."""
    errors = tempfile.TemporaryFile()  # noqa: SIM115 (closed by _Running.finish)
    process = subprocess.Popen(command, stdin=stdin, stdout=subprocess.DEVNULL, stderr=errors,
                               **bound())
    return _Running(process, errors)
