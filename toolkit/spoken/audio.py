"""A script read aloud: one loudness-normalised MP3, the start of every sentence in it,
a cue sheet and the timings as JSON.

Each sentence is synthesised on its own (`Voice.say`, a few at once), so its start is
known to the sample: decoded to 48 kHz mono, its leading and trailing silence cut
(services and espeak-ng pad a sentence each their own way; the pauses laid here are the
ones the listener hears), then laid end to end with a pause between sentences and a
longer one between units. The whole is brought to -16 LUFS integrated by the two passes
of `toolkit/render/sound.py` (measured by ebur128, brought to the target under the
true-peak ceiling by its limiting pass, then loudnorm with one gain), and encoded once
by libmp3lame. Two additions: the limiting pass is repeated while loudnorm could not
keep one gain (a voice with sharp peaks, espeak-ng's, loses loudness to the limiter,
and loudnorm's gain riding misses the target on a short script); and the loudness the
encoder takes away (0.4 LU at 96 kbit/s) is given back, and measured on the MP3.

Same sentences and voice, same bytes: the audio of a sentence comes from the cache when
it was made before (by voice name, voice settings and sentence: a service is not asked
twice, and says the same thing each time), and ffmpeg runs with bit-exact flags, no
metadata but the title, no encoder version.

A draft voice (espeak-ng) is marked wherever its audio appears: the file names end in
`-ban-nhap`, and the MP3's title tag, the cue sheet's title and the timings say so.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import subprocess
import tempfile
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path

from toolkit.files import write_atomic
from toolkit.i18n import N_, _, vietnamese
from toolkit.problems import Problem, ProblemError, clip, printable, quote
from toolkit.render import sound
from toolkit.render.encode import ffmpeg
from toolkit.spoken.voices import Voice, settings_of
from toolkit.workers import bound

SAMPLE_RATE = sound.SAMPLE_RATE  # 48 kHz, as the clips' tracks: the timings serve both
LOUDNESS = -16.0  # LUFS integrated: speech for loudspeakers and phones
TRUE_PEAK = -1.0  # dBTP
SENTENCE_PAUSE_S = 0.6
UNIT_PAUSE_S = 1.5
TAIL_S = 0.5  # silence after the last sentence, so that no player cuts its last word
# Mono: one voice, for loudspeakers. 96 kbit/s CBR: clear speech, a minute in 700 kB.
MP3 = ("-c:a", "libmp3lame", "-b:a", "96k", "-ar", str(SAMPLE_RATE), "-ac", "1")
# Each sentence's audio as it is laid: 48 kHz mono float, silence at its ends cut
# (below -50 dBFS: far under speech, above a service's dither).
SILENCE_DB = -50
_TRIM = (f"silenceremove=start_periods=1:start_threshold={SILENCE_DB}dB:detection=peak,"
         "areverse,"
         f"silenceremove=start_periods=1:start_threshold={SILENCE_DB}dB:detection=peak,"
         "areverse")
_PREPARE = (f"aresample={SAMPLE_RATE},"
            f"aformat=sample_fmts=flt:sample_rates={SAMPLE_RATE}:channel_layouts=mono")
SAMPLE_BYTES = 4  # float32, one channel
# The limiting pass is repeated until loudnorm can keep one gain (with this margin under
# the ceiling), at most this many times.
LINEAR_MARGIN_DB = 0.1
LIMIT_PASSES = 4
# What libmp3lame at 96 kbit/s takes from the loudness (measured on speech, espeak-ng's
# and a service's, and on pink noise alike), and how far the MP3 may still be from the
# target before it is encoded again with what the measure says.
ENCODER_LOSS_DB = 0.4
ENCODER_TOLERANCE_LU = 0.2
# A cue sheet: 75 frames a second, at most 99 tracks, titles of at most 80 characters.
CUE_FRAMES = 75
CUE_TRACKS = 99
CUE_TITLE_CHARS = 80
DRAFT_SUFFIX = "-ban-nhap"  # in file names, which stay as typed
# What marks a draft's title, in Vietnamese whatever the officer reads.
DRAFT_MARK = N_("DRAFT: machine voice, not for broadcast")
THREADS = 4  # sentences asked for at once: a service takes seconds for each


@dataclass(frozen=True)
class Cue:
    """One sentence in the MP3: its text, its unit (0, 1, ... in the order given), and
    where it starts and ends, in samples at SAMPLE_RATE."""

    sentence: str
    unit: int
    start_sample: int
    end_sample: int

    @property
    def start(self) -> float:
        """Seconds from the start of the MP3."""
        return self.start_sample / SAMPLE_RATE

    @property
    def end(self) -> float:
        """Seconds from the start of the MP3 where the sentence's sound ends."""
        return self.end_sample / SAMPLE_RATE


@dataclass(frozen=True)
class Spoken:
    """A script read aloud: the MP3 and where each sentence starts, with what says so
    to other programs (a cue sheet, JSON) and the names to give the three files."""

    mp3: bytes
    cues: tuple[Cue, ...]
    samples: int
    voice: str
    draft: bool
    title: str
    stem: str
    loudness: float = LOUDNESS

    @property
    def duration(self) -> float:
        """Seconds of sound, silence after the last sentence included."""
        return self.samples / SAMPLE_RATE

    @property
    def file_name(self) -> str:
        """The MP3's name: the stem, marked when the voice is a draft."""
        return f"{self.stem}{DRAFT_SUFFIX if self.draft else ''}.mp3"

    @property
    def cue_name(self) -> str:
        """The cue sheet's name, beside the MP3."""
        return self.file_name.removesuffix(".mp3") + ".cue"

    @property
    def timings_name(self) -> str:
        """The timings' name, beside the MP3."""
        return self.file_name.removesuffix(".mp3") + ".json"

    @property
    def full_title(self) -> str:
        """The title, with the draft mark when the voice is a draft."""
        return _marked(self.title or self.stem, self.draft)

    def cue_sheet(self) -> str:
        """A cue sheet of the MP3: a track a sentence (with more than 99 sentences, a
        track a unit, or a track every few sentences), INDEX 01 at its start."""
        lines = ['REM GENERATOR "cchc-toolkit"', f"TITLE {_cue_text(self.full_title)}",
                 f"PERFORMER {_cue_text(self.voice)}", f"FILE {_cue_text(self.file_name)} MP3"]
        for number, first in enumerate(_track_starts(self.cues), start=1):
            cue = self.cues[first]
            lines += [f"  TRACK {number:02d} AUDIO", f"    TITLE {_cue_text(cue.sentence)}",
                      f"    INDEX 01 {_cue_time(cue.start_sample)}"]
        return "\r\n".join(lines) + "\r\n"

    def timings(self) -> str:
        """The timings as JSON: each sentence's unit, start and end (seconds, to the
        millisecond), with the voice, the loudness and the length of the whole."""
        data = {
            "format": 1, "file": self.file_name, "title": self.full_title,
            "voice": self.voice, "draft": self.draft, "loudness": self.loudness,
            "sample_rate": SAMPLE_RATE, "duration": round(self.duration, 3),
            "sentences": [{"text": c.sentence, "unit": c.unit, "start": round(c.start, 3),
                           "end": round(c.end, 3)} for c in self.cues],
        }
        return json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n"

    def files(self) -> dict[str, bytes]:
        """The three files by name: the MP3, its cue sheet and its timings (UTF-8)."""
        return {self.file_name: self.mp3, self.cue_name: self.cue_sheet().encode("utf-8"),
                self.timings_name: self.timings().encode("utf-8")}


def speak(script: Sequence[str] | Sequence[Sequence[str]], voice: Voice, *,
          title: str = "", stem: str = "audio", cache: Path | None = None,
          pause_s: float = SENTENCE_PAUSE_S, unit_pause_s: float = UNIT_PAUSE_S,
          loudness: float = LOUDNESS, threads: int = THREADS,
          work: Path | None = None) -> Spoken:
    """The script read aloud by `voice`: sentences (or units, each a list of sentences),
    each synthesised on its own (or taken from `cache`, a folder, when made before),
    `pause_s` apart and `unit_pause_s` between units, as one MP3 at `loudness` LUFS.
    Work files go in a folder made in `work` (default: the system's temporary folder).
    A ProblemError names the sentence a voice could not say."""
    if isinstance(script, str):
        raise TypeError("a script is a list of sentences (or of units), not one text")
    units = _units(script)
    if not units:
        raise ValueError("a script to speak has at least one sentence")
    if not pause_s >= 0 or not unit_pause_s >= 0:
        raise ValueError("pauses last 0 s or more")
    sound.Mix(music=None, voices=(), loudness=loudness)  # the same limits as a clip's
    _check_mp3_encoder()
    if work is not None:
        work.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="toolkit-speak-", dir=work) as folder:
        scratch = Path(folder)
        clips = _Clips(voice, cache, scratch)
        distinct = list(dict.fromkeys(s for unit in units for s in unit))
        with ThreadPoolExecutor(max(1, threads)) as pool:
            asked = {sentence: pool.submit(clips.sound, sentence) for sentence in distinct}
            try:
                sounds = {sentence: future.result() for sentence, future in asked.items()}
            except BaseException:
                for future in asked.values():  # one problem is enough: ask for no more
                    future.cancel()
                raise
        joined = scratch / "joined.raw"
        cues, samples = _lay(units, sounds, pause_s, unit_pause_s, joined)
        mp3 = _mp3(joined, samples, loudness, _marked(title or stem, voice.draft), scratch)
    return Spoken(mp3, cues, samples, voice.name, voice.draft, title, stem, loudness)


def _units(script: Sequence[str] | Sequence[Sequence[str]]) -> list[list[str]]:
    """The script as units of sentences (a list of sentences is one unit), each
    sentence on one line, without empty sentences or units."""
    if all(isinstance(item, str) for item in script):
        grouped = [[str(item) for item in script]]
    else:
        grouped = [[item] if isinstance(item, str) else list(item) for item in script]
    units = [[" ".join(s.split()) for s in unit] for unit in grouped]
    return [kept for unit in units if (kept := [s for s in unit if s])]


class _Clips:
    """The sound of each sentence, decoded: from the cache folder (or this run's
    memory), else from the voice; kept in the cache once it decodes."""

    def __init__(self, voice: Voice, folder: Path | None, scratch: Path) -> None:
        self.voice, self.folder, self.scratch = voice, folder, scratch
        self.settings = settings_of(voice)

    def sound(self, sentence: str) -> bytes:
        """The sentence's samples (48 kHz mono float32), its silent ends cut."""
        key = self._key(sentence)
        kept = self._kept(key)
        if kept is not None:
            decoded = _decoded(kept, self.scratch / key)
            if decoded:
                return decoded
            self._forget(key)  # damaged, or from an older ffmpeg's idea of the format
        audio = self._said(sentence)
        decoded = _decoded(audio, self.scratch / key)
        if decoded is None:
            raise ProblemError(Problem(self.voice.name, None, "", _(
                "gave audio that cannot be decoded for: {sentence}").format(
                sentence=quote(sentence)), _("run this again; if it happens again, use "
                                             "another voice")))
        if not decoded:
            raise ProblemError(Problem(self.voice.name, None, "", _(
                "gave only silence for: {sentence}").format(sentence=quote(sentence)),
                _("check the sentence has words, then run this again")))
        self._keep(key, audio)
        return decoded

    def _said(self, sentence: str) -> bytes:
        """The voice's audio of the sentence; its problems name the sentence."""
        try:
            return self.voice.say(sentence)
        except ProblemError as err:
            raise ProblemError(*(replace(p, what=_("{what} (sentence: {sentence})").format(
                what=p.what, sentence=quote(sentence))) if quote(sentence) not in p.what
                else p for p in err.problems)) from None

    def _key(self, sentence: str) -> str:
        text = json.dumps([self.voice.name, self.settings, sentence], ensure_ascii=False)
        return hashlib.sha256(text.encode("utf-8")).hexdigest()

    def _path(self, key: str) -> Path | None:
        return None if self.folder is None else self.folder / key[:2] / f"{key}.audio"

    def _kept(self, key: str) -> bytes | None:
        path = self._path(key)
        try:
            return path.read_bytes() if path is not None else None
        except OSError:
            return None

    def _keep(self, key: str, audio: bytes) -> None:
        path = self._path(key)
        if path is not None:
            with contextlib.suppress(OSError):  # a cache not written costs asking again
                write_atomic(path, audio, durable=False)

    def _forget(self, key: str) -> None:
        path = self._path(key)
        if path is not None:
            path.unlink(missing_ok=True)


def _decoded(audio: bytes, scratch: Path) -> bytes | None:
    """The samples of one sentence's audio (48 kHz mono float32, silent ends cut); b""
    when it is all silence, None when ffmpeg cannot decode it."""
    scratch.write_bytes(audio)
    try:
        result = subprocess.run(
            [ffmpeg(), *sound.quiet("error"), "-i", sound.as_file(scratch), "-map", "0:a:0",
             "-af", f"{_PREPARE},{_TRIM}", "-c:a", "pcm_f32le", "-f", "f32le", "pipe:1"],
            capture_output=True, **bound())
    finally:
        scratch.unlink(missing_ok=True)
    if result.returncode != 0:
        return None
    return result.stdout[:len(result.stdout) - len(result.stdout) % SAMPLE_BYTES]


def _lay(units: list[list[str]], sounds: dict[str, bytes], pause_s: float,
         unit_pause_s: float, joined: Path) -> tuple[tuple[Cue, ...], int]:
    """The sentences end to end in `joined` (raw samples), paused; their cues and the
    length of the whole, in samples."""
    pause, unit_pause = round(pause_s * SAMPLE_RATE), round(unit_pause_s * SAMPLE_RATE)
    cues: list[Cue] = []
    at = 0
    with joined.open("wb") as out:
        for u, unit in enumerate(units):
            for s, sentence in enumerate(unit):
                if cues:
                    gap = pause if s else unit_pause
                    out.write(bytes(gap * SAMPLE_BYTES))
                    at += gap
                samples = sounds[sentence]
                out.write(samples)
                length = len(samples) // SAMPLE_BYTES
                cues.append(Cue(sentence, u, at, at + length))
                at += length
        tail = round(TAIL_S * SAMPLE_RATE)
        out.write(bytes(tail * SAMPLE_BYTES))
    return tuple(cues), at + tail


def _mp3(joined: Path, samples: int, loudness: float, title: str, scratch: Path) -> bytes:
    """The joined samples at `loudness` LUFS (sound.py's two passes), as an MP3 of
    exactly `samples` samples titled `title`."""
    wav = scratch / "joined.wav"
    log = sound.run_ffmpeg([ffmpeg(), *sound.quiet("info"), "-f", "f32le", "-ar", str(SAMPLE_RATE),
                      "-ac", "1", "-i", sound.as_file(joined), "-af", "ebur128@mix=framelog=quiet",
                      "-c:a", "pcm_f32le", *sound.BITEXACT, "-f", "wav", sound.as_file(wav)])
    joined.unlink()
    measured = sound.ebur128_measures(log)["mix"]
    mix = sound.Mix(music=None, voices=(), loudness=loudness, true_peak=TRUE_PEAK)
    out = scratch / "spoken.mp3"
    if measured.silent:
        return _encoded(wav, sound.exact_length(samples), title, out)
    limited, measured = _limited(wav, mix, measured, scratch)
    normalised = scratch / "normalised.wav"
    sound.run_ffmpeg([ffmpeg(), *sound.quiet("error"), "-i", sound.as_file(limited), "-af",
                f"{sound.loudnorm_pass(mix, measured)},aresample={SAMPLE_RATE},"
                f"{sound.exact_length(samples)}", "-c:a", "pcm_f32le", *sound.BITEXACT, "-f", "wav",
                sound.as_file(normalised)])
    # The encoder takes some loudness away: given back as it is encoded, and once more
    # if the MP3 is still off.
    mp3 = _encoded(normalised, f"volume={ENCODER_LOSS_DB:.2f}dB", title, out)
    lost = loudness - sound.loudness(out)
    if abs(lost) <= ENCODER_TOLERANCE_LU:
        return mp3
    return _encoded(normalised, f"volume={ENCODER_LOSS_DB + lost:.2f}dB", title, out)


def _limited(source: Path, mix: sound.Mix, measured: sound.Measure,
             scratch: Path) -> tuple[Path, sound.Measure]:
    """The source brought to the target with its peaks held under the ceiling by
    sound.py's limiting pass, repeated (at most LIMIT_PASSES times) until loudnorm can
    bring it to the target with one gain and keep its peaks under the ceiling: a voice
    with sharp peaks (espeak-ng's) loses loudness to the limiter, and loudnorm would
    then ride its gain instead, missing the target on a short script."""
    for done in range(LIMIT_PASSES):
        folder = scratch / f"limit-{done}"
        folder.mkdir()
        source, measured = sound.limit_peaks(source, mix, measured, folder)
        if measured.silent or _linear(mix, measured):
            break
    return source, measured


def _linear(mix: sound.Mix, measured: sound.Measure) -> bool:
    """loudnorm keeps one gain: the peaks stay under the ceiling at the target."""
    gain = mix.loudness - measured.integrated
    return measured.true_peak + gain <= mix.true_peak - LINEAR_MARGIN_DB


def _encoded(source: Path, filters: str, title: str, out: Path) -> bytes:
    """The source through `filters`, as an MP3 titled `title`."""
    sound.run_ffmpeg([ffmpeg(), *sound.quiet("error"), "-i", sound.as_file(source), "-af", filters,
                *MP3, *sound.BITEXACT, "-metadata", f"title={title}", "-id3v2_version", "3",
                "-write_id3v1", "0", "-f", "mp3", sound.as_file(out)])
    return out.read_bytes()


@cache
def _check_mp3_encoder() -> None:
    """ffmpeg can write MP3 (imageio-ffmpeg's builds have libmp3lame); a ProblemError
    saying how to get one that can otherwise."""
    result = subprocess.run([ffmpeg(), "-hide_banner", "-encoders"], capture_output=True,
                            text=True, **bound())
    if " libmp3lame " not in result.stdout:
        raise ProblemError(Problem("ffmpeg", None, "", _("cannot write MP3 (no libmp3lame)"),
                                   _("reinstall the toolkit: pip install --force-reinstall "
                                     "imageio-ffmpeg")))


def _marked(title: str, draft: bool) -> str:
    """A title, marked as a draft's (in Vietnamese: it goes with the audio) if it is."""
    return f"{title} [{vietnamese(DRAFT_MARK)}]" if draft else title


def _track_starts(cues: tuple[Cue, ...]) -> list[int]:
    """The cues that start a track: every one, if a cue sheet can hold them; else the
    first of each unit, if there are several and a cue sheet can hold them; else one
    every few sentences."""
    if len(cues) <= CUE_TRACKS:
        return list(range(len(cues)))
    firsts = [i for i, c in enumerate(cues) if i == 0 or c.unit != cues[i - 1].unit]
    if 1 < len(firsts) <= CUE_TRACKS:
        return firsts
    step = -(-len(cues) // CUE_TRACKS)
    return list(range(0, len(cues), step))


def _cue_time(sample: int) -> str:
    """mm:ss:ff, 75 frames a second, at the nearest frame (exact integer arithmetic)."""
    frames = (sample * CUE_FRAMES + SAMPLE_RATE // 2) // SAMPLE_RATE  # half a frame up
    seconds, frame = divmod(frames, CUE_FRAMES)
    return f"{seconds // 60:02d}:{seconds % 60:02d}:{frame:02d}"


def _cue_text(text: str) -> str:
    """Text in a cue sheet's quotes: one line, no double quote (the format has no way
    to escape one), at most 80 characters."""
    plain = printable(" ".join(text.split())).replace('"', "'")
    return f'"{clip(plain, CUE_TITLE_CHARS)}"'
