"""The sound of a clip: a music bed and recorded narration, mixed and loudness-normalised.

Every sample is touched by ffmpeg filters only; Python builds the filter graphs and
reads what ffmpeg measures. A track takes four ffmpeg runs:

1. measure: the integrated loudness of each input (`ebur128`), decoded as it will be
   mixed (48 kHz, stereo), so a quiet reader and a loud one are levelled alike;
2. premix: each voice levelled to `LEVEL` and placed at its start (`adelay`), the bed
   levelled `music_db` under the voices, looped to the clip's length (`aloop`), faded
   in and out (`afade`) and ducked under the voices (`sidechaincompress`, keyed by
   their mix); written as a float WAV while `ebur128` measures it;
3. limit: the premix brought to the target (`volume`), its peaks held under the
   true-peak ceiling (`alimiter`), measured again (`ebur128`: integrated loudness,
   loudness range, gating threshold, true peak): loudnorm's first pass;
4. finish: `loudnorm`'s second pass with those measurements (`linear=true`: one gain,
   which the limiter leaves room for; loudnorm falls back to its own gain riding and
   true-peak limiter only if it cannot), cut or padded to the clip's exact length,
   AAC in an .m4a.

The same inputs give the same bytes: fixed rate and layout, ffmpeg's native AAC
encoder, bit-exact flags, no metadata.
"""

from __future__ import annotations

import math
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

from toolkit.i18n import _
from toolkit.problems import Problem, ProblemError
from toolkit.render.encode import ffmpeg
from toolkit.workers import bound

SAMPLE_RATE = 48_000
# ffmpeg's native encoder with its "fast" coder: at 160 kbit/s it sounds as good as the
# two-loop search (its authors made it the default for that reason in 2018), at a third
# of the time; named, so a change of ffmpeg's default does not change the bytes.
AAC = ("-c:a", "aac", "-aac_coder", "fast", "-b:a", "160k", "-ar", str(SAMPLE_RATE),
       "-ac", "2")
BITEXACT = ("-map_metadata", "-1", "-map_chapters", "-1", "-fflags", "+bitexact",
            "-flags:a", "+bitexact")
# How every input is decoded before it is measured or mixed.
PREPARE = (f"aresample={SAMPLE_RATE},"
           f"aformat=sample_fmts=fltp:sample_rates={SAMPLE_RATE}:channel_layouts=stereo,"
           "asetpts=N/SR/TB")
# The loudness each voice is brought to before mixing (the bed sits `music_db` under it);
# the final loudnorm moves the whole mix to the target.
LEVEL = -23.0
FADE_IN_S = 1.0
FADE_OUT_S = 2.0
# Ducking: the compressor is keyed by the voices made louder (so a voice, even a quiet
# one, is far above the threshold) and squeezes the bed almost to nothing at 20:1;
# its `mix` keeps part of the dry bed, which sets how far down the bed goes.
DUCK_THRESHOLD_DB = -50.0
DUCK_KEY_GAIN_DB = 12.0
DUCK_RATIO = 20
DUCK_ATTACK_MS = 20
DUCK_RELEASE_MS = 400
# Before loudnorm, the premix is brought to the target and its peaks held this far under
# the true-peak ceiling by a limiter (sample peaks: the rest is room for the peaks between
# samples and for loudnorm's last correction).
LIMIT_HEADROOM_DB = 1.5
LIMIT_ATTACK_MS = 5
LIMIT_RELEASE_MS = 100
# loudnorm keeps one gain for the whole track only when the measured loudness range is
# within its target: a range wide enough that only the true-peak ceiling decides.
LOUDNESS_RANGE = 20.0
# loudnorm reads a range of 0 as "not measured"; a steady bed measures 0.0 LU.
LEAST_RANGE = 0.1
SILENT = -70.0  # what ebur128 says of a file with nothing to measure, in LUFS
# loudnorm's accepted targets.
LOUDNESS_LIMITS = (-70.0, -5.0)
TRUE_PEAK_LIMITS = (-9.0, 0.0)


@dataclass(frozen=True)
class Voice:
    """A recorded narration (mp3, wav, m4a, ogg, flac) placed in the clip."""

    path: Path
    start: float  # seconds from the clip's start where it begins

    def __post_init__(self) -> None:
        if not self.start >= 0:
            raise ValueError(f"a voice starts at 0 s or later, not {self.start}")


@dataclass(frozen=True)
class Mix:
    """What a clip sounds like: a bed, voices, and the loudness the whole is brought to."""

    music: Path | None  # looped to the clip's length, faded in and out
    voices: tuple[Voice, ...]
    loudness: float  # integrated target, LUFS (-23 screens, -16 social)
    true_peak: float = -1.0  # dBTP ceiling
    duck_db: float = 12.0  # how far the bed goes down under a voice
    music_db: float = -6.0  # the bed against the voices, before normalising

    def __post_init__(self) -> None:
        if not LOUDNESS_LIMITS[0] <= self.loudness <= LOUDNESS_LIMITS[1]:
            raise ValueError(f"a loudness target is between {LOUDNESS_LIMITS} LUFS, "
                             f"not {self.loudness}")
        if not TRUE_PEAK_LIMITS[0] <= self.true_peak <= TRUE_PEAK_LIMITS[1]:
            raise ValueError(f"a true-peak ceiling is between {TRUE_PEAK_LIMITS} dBTP, "
                             f"not {self.true_peak}")
        if not 0 <= self.duck_db <= 60:
            raise ValueError(f"ducking is between 0 and 60 dB, not {self.duck_db}")


@dataclass(frozen=True)
class Measure:
    """What ebur128 says of a sound: loudness (LUFS), range (LU), gate (LUFS), peak (dBTP)."""

    integrated: float
    loudness_range: float = 0.0
    threshold: float = SILENT
    true_peak: float = -math.inf

    @property
    def silent(self) -> bool:
        """Nothing loud enough to measure (or to normalise): silence, or less sound than
        one 400 ms block of the measure."""
        return not self.integrated > SILENT


def duration(path: Path) -> float:
    """Seconds of an audio file, as ffmpeg decodes it; a ProblemError naming the file if
    ffmpeg cannot read it (the voice of a unit must fit its captions)."""
    _readable(path)
    result = subprocess.run(
        [ffmpeg(), "-nostdin", "-hide_banner", "-loglevel", "error", "-i", as_file(path),
         "-map", "0:a:0", "-f", "null", "-progress", "pipe:1", "-"],
        capture_output=True, text=True, **bound())
    times = re.findall(r"^out_time_us=(\d+)$", result.stdout, re.MULTILINE)
    if result.returncode != 0:
        raise _unreadable(path)
    return int(times[-1]) / 1_000_000 if times else 0.0


def loudness(path: Path) -> float:
    """Integrated loudness (LUFS) of a file's audio, by ffmpeg's ebur128 filter: what the
    tests and the benchmark check a track against."""
    _readable(path)
    result = subprocess.run(
        [ffmpeg(), "-nostdin", "-hide_banner", "-nostats", "-loglevel", "info",
         "-i", as_file(path), "-map", "0:a:0", "-af", "ebur128@it=framelog=quiet",
         "-f", "null", "-"], capture_output=True, text=True, **bound())
    if result.returncode != 0:
        raise _unreadable(path)
    return ebur128_measures(result.stderr)["it"].integrated


def soundtrack(mix: Mix, length: float, work: Path) -> Path | None:
    """An AAC track (.m4a in `work`) of exactly `length` seconds, normalised to
    `mix.loudness`; None when the mix has neither music nor voices (the clip stays
    silent)."""
    if length <= 0:
        raise ValueError(f"a track lasts more than 0 s, not {length}")
    samples = round(length * SAMPLE_RATE)
    voices = tuple(v for v in mix.voices if round(v.start * SAMPLE_RATE) < samples)
    if mix.music is None and not voices:
        return None
    for path, _seconds in _inputs(mix.music, voices, length):
        _readable(path)
    work.mkdir(parents=True, exist_ok=True)
    premix, measured = _premix(mix, voices, samples, work)
    source, finish = premix, exact_length(samples)
    if not measured.silent:
        source, measured = limit_peaks(premix, mix, measured, work)
        finish = f"{loudnorm_pass(mix, measured)},aresample={SAMPLE_RATE},{finish}"
    track = work / "soundtrack.m4a"
    run_ffmpeg([ffmpeg(), *quiet("error"), "-i", as_file(source), "-af", finish, *AAC, *BITEXACT,
          "-vn", "-movflags", "+faststart", "-f", "mp4", as_file(track)])
    for scratch in {premix, source}:
        scratch.unlink()
    return track


def with_sound(video: Path, track: Path, out: Path) -> None:
    """The clip with its track: the video stream and the audio stream copied as they
    are, the index at the front (it starts playing before it is all downloaded), the
    same bytes from the same inputs."""
    run_ffmpeg([ffmpeg(), *quiet("error"), "-i", as_file(video), "-i", as_file(track),
          "-map", "0:v:0", "-map", "1:a:0", "-c", "copy", *BITEXACT,
          "-movflags", "+faststart", "-f", "mp4", as_file(out)])


def as_file(path: Path) -> str:
    """A path as ffmpeg is to take it: a file, whatever its name looks like (a name with
    a colon is not a protocol, one starting with a dash is not an option)."""
    return f"file:{path}"


def quiet(level: str) -> list[str]:
    return ["-nostdin", "-hide_banner", "-nostats", "-loglevel", level, "-y"]


def _inputs(music: Path | None, voices: tuple[Voice, ...],
            length: float) -> list[tuple[Path, float]]:
    """The files to read, the bed first, each with how many seconds of it the clip uses."""
    bed = [(music, length)] if music is not None else []
    return bed + [(v.path, length - v.start) for v in voices]


def _input_args(inputs: list[tuple[Path, float]]) -> list[str]:
    """ffmpeg's arguments reading each input only as far as the clip uses it."""
    args: list[str] = []
    for path, seconds in inputs:
        args += ["-t", f"{seconds:.6f}", "-i", as_file(path)]
    return args


def _input_levels(inputs: list[tuple[Path, float]]) -> list[Measure]:
    """The loudness of each input, in one ffmpeg run; an unreadable one is named."""
    graph = ";".join(f"[{i}:a]{PREPARE},ebur128@in{i}=framelog=quiet[m{i}]"
                     for i in range(len(inputs)))
    outputs: list[str] = []
    for i in range(len(inputs)):
        outputs += ["-map", f"[m{i}]", "-f", "null", "-"]
    result = subprocess.run([ffmpeg(), *quiet("info"), *_input_args(inputs),
                             "-filter_complex", graph, *outputs], capture_output=True, text=True,
                            **bound())
    if result.returncode != 0:
        for path, _seconds in inputs:
            duration(path)  # raises the problem of the file ffmpeg cannot read
        raise _failed(result.stderr)
    measures = ebur128_measures(result.stderr)
    return [measures[f"in{i}"] for i in range(len(inputs))]


def _premix(mix: Mix, voices: tuple[Voice, ...], samples: int,
            work: Path) -> tuple[Path, Measure]:
    """The mix before normalising (a float WAV in `work`), and its measurements."""
    inputs = _inputs(mix.music, voices, samples / SAMPLE_RATE)
    levels = _input_levels(inputs)
    wanted = [LEVEL + mix.music_db] * (mix.music is not None) + [LEVEL] * len(voices)
    gains = [_gain(level, goal) for level, goal in zip(levels, wanted, strict=True)]
    premix = work / "premix.wav"
    stderr = run_ffmpeg([ffmpeg(), *quiet("info"), *_input_args(inputs),
                   "-filter_complex", _premix_graph(mix, voices, gains, samples),
                   "-map", "[out]", "-c:a", "pcm_f32le", *BITEXACT, "-f", "wav", as_file(premix)])
    return premix, ebur128_measures(stderr)["mix"]


def limit_peaks(premix: Path, mix: Mix, measured: Measure, work: Path) -> tuple[Path, Measure]:
    """The premix at the target loudness with its peaks held under the ceiling (a float
    WAV in `work`), and its measurements: what loudnorm can then bring to the target
    with one gain (without, a narration's peaks would often stop it: -16 LUFS leaves
    them 15 dB)."""
    limited = work / "limited.wav"
    gain = mix.loudness - measured.integrated
    ceiling = 10 ** ((mix.true_peak - LIMIT_HEADROOM_DB) / 20)
    stderr = run_ffmpeg([ffmpeg(), *quiet("info"), "-i", as_file(premix), "-af",
                   f"volume={gain:.2f}dB,alimiter=limit={ceiling:.6f}:level=false:"
                   f"latency=true:attack={LIMIT_ATTACK_MS}:release={LIMIT_RELEASE_MS},"
                   "ebur128@limited=peak=true:framelog=quiet",
                   "-c:a", "pcm_f32le", *BITEXACT, "-f", "wav", as_file(limited)])
    return limited, ebur128_measures(stderr)["limited"]


def _gain(measure: Measure, wanted: float) -> float:
    """dB bringing a measured input to the wanted loudness; none for a silent one."""
    return wanted - measure.integrated if measure.integrated > SILENT else 0.0


def _premix_graph(mix: Mix, voices: tuple[Voice, ...], gains: list[float],
                  samples: int) -> str:
    """The filter graph of the mix before normalising: levelled, placed, looped, ducked,
    measured; its output is `[out]`."""
    exact = exact_length(samples)
    chains: list[str] = []
    first_voice = 1 if mix.music is not None else 0
    if mix.music is not None:
        fade_in = max(1, min(round(FADE_IN_S * SAMPLE_RATE), samples // 3))
        fade_out = max(1, min(round(FADE_OUT_S * SAMPLE_RATE), samples // 3))
        chains.append(f"[0:a]{PREPARE},volume={gains[0]:.2f}dB,"
                      f"aloop=loop=-1:size={samples},{exact},"
                      f"afade=t=in:ss=0:ns={fade_in},"
                      f"afade=t=out:ss={samples - fade_out}:ns={fade_out}[bed]")
    for k, voice in enumerate(voices):
        i = first_voice + k
        delay = round(voice.start * SAMPLE_RATE)
        chains.append(f"[{i}:a]{PREPARE},volume={gains[i]:.2f}dB,"
                      f"adelay=delays={delay}S:all=1[v{k}]")
    if voices:
        placed = "".join(f"[v{k}]" for k in range(len(voices)))
        chains.append(f"{placed}amix=inputs={len(voices)}:normalize=0:duration=longest,"
                      f"{exact}[voices]")
    if mix.music is not None and voices:
        chains += ["[voices]asplit=2[said][key]",
                   f"[bed][key]{_ducking(mix.duck_db)}[ducked]",
                   "[said][ducked]amix=inputs=2:normalize=0:duration=longest[mixed]"]
    else:
        chains.append(f"[{'voices' if voices else 'bed'}]anull[mixed]")
    chains.append("[mixed]ebur128@mix=framelog=quiet[out]")
    return ";".join(chains)


def _ducking(duck_db: float) -> str:
    """The sidechain compressor that takes the bed `duck_db` down under the voices."""
    kept = 10 ** (-duck_db / 20)  # the dry part of the bed that stays under a voice
    return (f"sidechaincompress=threshold={10 ** (DUCK_THRESHOLD_DB / 20):.6f}:"
            f"ratio={DUCK_RATIO}:attack={DUCK_ATTACK_MS}:release={DUCK_RELEASE_MS}:"
            f"level_sc={10 ** (DUCK_KEY_GAIN_DB / 20):.6f}:link=maximum:"
            f"mix={1 - kept:.6f}")


def loudnorm_pass(mix: Mix, measured: Measure) -> str:
    """loudnorm's second pass, given what the first (ebur128) measured."""
    return (f"loudnorm=I={mix.loudness}:TP={mix.true_peak}:LRA={LOUDNESS_RANGE}:"
            f"measured_I={measured.integrated}:measured_TP={measured.true_peak}:"
            f"measured_LRA={max(measured.loudness_range, LEAST_RANGE)}:"
            f"measured_thresh={measured.threshold}:linear=true")


def exact_length(samples: int) -> str:
    """Filters making a stream exactly `samples` long, starting at 0."""
    return f"apad=whole_len={samples},atrim=end_sample={samples},asetpts=N/SR/TB"


SUMMARY = re.compile(r"\[ebur128@(\w+) @ [^\]]*\] Summary:(.*?)(?=^\[|\Z)",
                     re.MULTILINE | re.DOTALL)


def ebur128_measures(log: str) -> dict[str, Measure]:
    """The summaries of the named ebur128 filters in an ffmpeg log, by name."""
    found: dict[str, Measure] = {}
    for name, text in SUMMARY.findall(log):
        found[name] = Measure(
            integrated=_value(r"I:\s+(\S+) LUFS", text, SILENT),
            loudness_range=_value(r"LRA:\s+(\S+) LU\b", text, 0.0),
            threshold=_value(r"Threshold:\s+(\S+) LUFS", text, SILENT),
            true_peak=_value(r"Peak:\s+(\S+) dBFS", text, -math.inf))
    return found


def _value(pattern: str, text: str, otherwise: float) -> float:
    match = re.search(pattern, text)
    return float(match.group(1)) if match else otherwise


def _readable(path: Path) -> None:
    if not path.is_file():
        raise ProblemError(Problem(str(path), None, "", _("not found"),
                                   _("check the name and folder of the sound file")))


def _unreadable(path: Path) -> ProblemError:
    return ProblemError(Problem(str(path), None, "", _("cannot read this sound file"),
                                _("save it as MP3 or WAV and name that file")))


def _failed(stderr: str) -> ProblemError:
    return ProblemError(Problem("ffmpeg", None, "",
                                _("could not make the sound track: {error}").format(
                                    error=stderr.strip()[-300:]),
                                _("report this with the unit that was being built")))


def run_ffmpeg(command: list[str]) -> str:
    """Run ffmpeg; its log (what the measuring filters said), or a ProblemError."""
    result = subprocess.run(command, capture_output=True, text=True, **bound())
    if result.returncode != 0:
        raise _failed(result.stderr)
    return result.stderr
