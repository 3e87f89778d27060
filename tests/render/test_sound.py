"""The sound of a clip (toolkit/render/sound.py): loudness to the target, exact length,
the bed ducked under the voices, voices where they are placed, the same bytes twice,
unreadable files named, and the clip muxed with its track without touching the video.

Inputs are made by ffmpeg's own generators. The bed is a 4 kHz tone and the voices
250 Hz tones, so a band filter on the mix hears one without the other: above 1 kHz is
the bed, below 500 Hz the voices (three filters of 12 dB an octave: over 70 dB apart).
Levels are read by `volumedetect` (mean over a window) after the band filter, on the
decoded track."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from toolkit import i18n
from toolkit.problems import ProblemError
from toolkit.render.encode import ffmpeg
from toolkit.render.sound import (
    SAMPLE_RATE,
    Mix,
    Voice,
    duration,
    loudness,
    soundtrack,
    with_sound,
)

LENGTH = 12.0
FIRST, SECOND = 3.0, 8.0  # where the two voices start; each lasts 2 s
BED_BAND = "highpass=f=1000," * 3
VOICE_BAND = "lowpass=f=500," * 3
AAC_FRAME = 1024  # samples


def make(path: Path, source: str, *args: str) -> Path:
    """A sound file from one of ffmpeg's generators."""
    subprocess.run([ffmpeg(), "-v", "error", "-y", "-f", "lavfi", "-i", source, *args,
                    str(path)], check=True)
    return path


@pytest.fixture(scope="module")
def inputs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """A bed shorter than the clip (it has to loop) and voices of several formats and
    levels."""
    folder = tmp_path_factory.mktemp("inputs")
    return {
        "bed": make(folder / "bed.mp3", "sine=f=4000:r=44100:d=5", "-c:a", "libmp3lame"),
        "voice": make(folder / "voice.wav", "sine=f=250:r=22050:d=2"),
        "voice.mp3": make(folder / "voice.mp3", "sine=f=250:r=44100:d=2", "-ac", "2",
                          "-c:a", "libmp3lame"),
        "quiet": make(folder / "quiet.wav", "sine=f=250:r=48000:d=2", "-af", "volume=-24dB"),
        "noise": make(folder / "noise.flac", "anoisesrc=c=pink:r=48000:d=4:a=0.3:s=1"),
    }


@pytest.fixture(scope="module")
def screen_mix(inputs: dict[str, Path]) -> Mix:
    """A screen's mix: the bed and two voices."""
    return Mix(inputs["bed"], (Voice(inputs["voice"], FIRST), Voice(inputs["voice.mp3"], SECOND)),
               loudness=-23.0)


@pytest.fixture(scope="module")
def screen_track(screen_mix: Mix, tmp_path_factory: pytest.TempPathFactory) -> Path:
    track = soundtrack(screen_mix, LENGTH, tmp_path_factory.mktemp("screen"))
    assert track is not None
    return track


def level(path: Path, start: float, end: float, band: str = "") -> float:
    """Mean level (dB) of a file's decoded audio between two times, in a band."""
    result = subprocess.run(
        [ffmpeg(), "-hide_banner", "-nostats", "-i", str(path), "-af",
         f"{band}atrim=start={start}:end={end},volumedetect", "-f", "null", "-"],
        capture_output=True, text=True, check=True)
    found = re.search(r"mean_volume: (-?[\d.]+|-inf) dB", result.stderr)
    assert found, result.stderr
    return float(found.group(1))


def decoded_samples(path: Path) -> int:
    """How many samples a player gets out of a file's audio."""
    pcm = subprocess.run([ffmpeg(), "-v", "error", "-i", str(path), "-map", "0:a:0",
                          "-f", "s16le", "-ac", "2", "-ar", str(SAMPLE_RATE), "-"],
                         capture_output=True, check=True).stdout
    return len(pcm) // 4


def test_a_screen_track_is_at_minus_23_lufs(screen_track: Path) -> None:
    assert loudness(screen_track) == pytest.approx(-23.0, abs=1.0)


def test_a_social_track_is_at_minus_16_lufs(screen_mix: Mix, tmp_path: Path) -> None:
    social = Mix(screen_mix.music, screen_mix.voices, loudness=-16.0)
    track = soundtrack(social, LENGTH, tmp_path)
    assert track is not None
    assert loudness(track) == pytest.approx(-16.0, abs=1.0)


def test_the_track_lasts_the_clip_to_an_aac_frame(screen_track: Path) -> None:
    # Measured as the samples the decoder gives (the MP4's edit list drops the
    # encoder's priming and the last frame's padding).
    assert abs(decoded_samples(screen_track) - LENGTH * SAMPLE_RATE) <= AAC_FRAME
    assert duration(screen_track) == pytest.approx(LENGTH, abs=AAC_FRAME / SAMPLE_RATE)


def test_the_bed_goes_down_under_a_voice(screen_mix: Mix, screen_track: Path) -> None:
    before = level(screen_track, 1.5, 2.8, BED_BAND)  # after the fade-in
    under = level(screen_track, FIRST + 0.5, FIRST + 1.9, BED_BAND)
    between = level(screen_track, FIRST + 3.0, SECOND - 0.2, BED_BAND)
    under_second = level(screen_track, SECOND + 0.5, SECOND + 1.9, BED_BAND)
    assert between - under >= screen_mix.duck_db - 2
    assert between - under_second >= screen_mix.duck_db - 2
    assert before == pytest.approx(between, abs=1.0)


def test_a_voice_starts_where_it_is_placed(screen_track: Path) -> None:
    for start in (FIRST, SECOND):
        voice_before = level(screen_track, start - 0.3, start - 0.01, VOICE_BAND)
        voice_after = level(screen_track, start + 0.01, start + 0.3, VOICE_BAND)
        bed_before = level(screen_track, start - 0.3, start - 0.01, BED_BAND)
        whole_before = level(screen_track, start - 0.3, start - 0.01)
        assert voice_after - voice_before >= 40.0
        assert whole_before == pytest.approx(bed_before, abs=0.5)  # the bed only


def test_a_quiet_reader_and_a_loud_one_end_level(inputs: dict[str, Path],
                                                tmp_path: Path) -> None:
    mix = Mix(None, (Voice(inputs["quiet"], 1.0), Voice(inputs["voice"], 5.0)), -23.0)
    track = soundtrack(mix, 8.0, tmp_path)
    assert track is not None
    assert level(track, 1.2, 2.8) == pytest.approx(level(track, 5.2, 6.8), abs=1.0)


def test_voices_alone_and_music_alone(inputs: dict[str, Path], tmp_path: Path) -> None:
    voices = Mix(None, (Voice(inputs["voice"], 0.5), Voice(inputs["noise"], 3.0)), -16.0)
    music = Mix(inputs["noise"], (), -23.0)
    for name, mix in (("voices", voices), ("music", music)):
        track = soundtrack(mix, 10.0, tmp_path / name)
        assert track is not None
        assert loudness(track) == pytest.approx(mix.loudness, abs=1.0)
        assert abs(decoded_samples(track) - 10.0 * SAMPLE_RATE) <= AAC_FRAME


def test_nothing_to_hear_is_no_track(inputs: dict[str, Path], tmp_path: Path) -> None:
    assert soundtrack(Mix(None, (), -23.0), LENGTH, tmp_path) is None
    after_the_end = Mix(None, (Voice(inputs["voice"], LENGTH + 1),), -23.0)
    assert soundtrack(after_the_end, LENGTH, tmp_path) is None
    assert not list(tmp_path.iterdir())


def test_the_same_mix_is_the_same_bytes(screen_mix: Mix, screen_track: Path,
                                        tmp_path: Path) -> None:
    again = soundtrack(screen_mix, LENGTH, tmp_path)
    assert again is not None
    assert again.read_bytes() == screen_track.read_bytes()
    assert [p.name for p in tmp_path.iterdir()] == [again.name]  # no work files left


def test_an_unreadable_file_is_named(inputs: dict[str, Path], tmp_path: Path) -> None:
    broken = tmp_path / "doc-bai.mp3"
    broken.write_bytes(b"ID3 this is not a sound")
    for mix in (Mix(broken, (Voice(inputs["voice"], 1.0),), -23.0),
                Mix(inputs["bed"], (Voice(inputs["voice"], 1.0), Voice(broken, 2.0)), -23.0)):
        with pytest.raises(ProblemError) as raised:
            soundtrack(mix, LENGTH, tmp_path / "work")
        (problem,) = raised.value.problems
        assert problem.file == str(broken)
        assert problem.what == "cannot read this sound file"
        assert "MP3 or WAV" in problem.fix
    missing = tmp_path / "missing.wav"
    for call in (lambda: duration(missing), lambda: loudness(missing),
                 lambda: soundtrack(Mix(None, (Voice(missing, 0.0),), -23.0), 1.0, tmp_path)):
        with pytest.raises(ProblemError) as raised:
            call()
        assert [(p.file, p.what) for p in raised.value.problems] == [(str(missing), "not found")]


def test_the_officer_reads_it_in_vietnamese(tmp_path: Path) -> None:
    broken = tmp_path / "nhac-nen.mp3"
    broken.write_bytes(b"not a sound")
    i18n.use("vi")
    with pytest.raises(ProblemError) as raised:
        duration(broken)
    assert str(raised.value) == (f"{broken}: không đọc được tệp âm thanh này -> "
                                 "lưu lại thành tệp MP3 hoặc WAV rồi ghi tên tệp đó")


def test_duration_is_what_ffmpeg_decodes(inputs: dict[str, Path]) -> None:
    assert duration(inputs["voice"]) == pytest.approx(2.0, abs=0.001)
    assert duration(inputs["bed"]) == pytest.approx(5.0, abs=0.03)


@pytest.fixture(scope="module")
def video(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A silent 3 s H.264 clip, tagged BT.709 as the toolkit's are."""
    path = tmp_path_factory.mktemp("video") / "clip.mp4"
    make(path, "testsrc=size=320x180:rate=25:duration=3", "-c:v", "libx264", "-bf", "0",
         "-pix_fmt", "yuv420p", "-colorspace", "bt709", "-color_primaries", "bt709",
         "-color_trc", "bt709", "-fflags", "+bitexact", "-flags:v", "+bitexact")
    return path


def h264(path: Path) -> bytes:
    """The video stream of a file, as it is coded."""
    return subprocess.run([ffmpeg(), "-v", "error", "-i", str(path), "-map", "0:v",
                           "-c", "copy", "-f", "h264", "-"], capture_output=True,
                          check=True).stdout


def played(path: Path, stream: str) -> float:
    """Seconds a player gets out of a stream of a file, decoding it to the end without
    an error."""
    result = subprocess.run([ffmpeg(), "-v", "error", "-i", str(path), "-map", stream,
                             "-f", "null", "-progress", "pipe:1", "-"],
                            capture_output=True, text=True, check=True)
    assert result.stderr == ""
    return int(re.findall(r"out_time_us=(\d+)", result.stdout)[-1]) / 1e6


def test_a_clip_with_its_sound(inputs: dict[str, Path], video: Path, tmp_path: Path) -> None:
    track = soundtrack(Mix(inputs["bed"], (Voice(inputs["voice"], 0.5),), -23.0), 3.0,
                       tmp_path / "work")
    assert track is not None
    out, again = tmp_path / "clip.mp4", tmp_path / "again.mp4"
    with_sound(video, track, out)
    with_sound(video, track, again)
    assert out.read_bytes() == again.read_bytes()
    info = subprocess.run([ffmpeg(), "-hide_banner", "-i", str(out)], capture_output=True,
                          text=True).stderr
    streams = re.findall(r"Stream #0:\d+.*?: (Video|Audio): (\w+)", info)
    assert streams == [("Video", "h264"), ("Audio", "aac")]
    assert "bt709" in info
    assert h264(out) == h264(video)
    assert played(out, "0:v") == pytest.approx(3.0, abs=0.05)
    assert played(out, "0:a") == pytest.approx(3.0, abs=AAC_FRAME / SAMPLE_RATE)
    data = out.read_bytes()
    assert data.index(b"moov") < data.index(b"mdat")  # plays while it downloads
