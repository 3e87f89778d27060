"""A script read aloud (toolkit/spoken/audio.py): one MP3 at -16 LUFS (measured by
ffmpeg's ebur128 on the MP3 itself), a cue sheet whose times are where the sentences
start in it (the fake service's tones are found in the decoded MP3), the same bytes
from the same sentences and voice, a cache that keeps a service from being asked
twice, and a draft voice marked wherever its audio appears.
"""

from __future__ import annotations

import array
import io
import json
import re
import shutil
import subprocess
import wave
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.spoken.test_voices import (
    LEAD_S,
    NO_ESPEAK,
    TRAIL_S,
    WORD_S,
    FakeService,
    serving,
    tone,
)
from toolkit.i18n import vietnamese
from toolkit.problems import Problem, ProblemError
from toolkit.render.encode import ffmpeg
from toolkit.render.sound import loudness
from toolkit.spoken import audio
from toolkit.spoken.audio import DRAFT_MARK, SAMPLE_RATE, Spoken, speak
from toolkit.spoken.voices import EspeakVoice

UNITS = [["Ủy ban nhân dân xã thông báo.", "Người dân mang theo căn cước công dân."],
         ["Mọi thắc mắc xin gọi số một không hai hai."]]
FRAME_S = 1 / 75  # a cue sheet's frame
SILENT = 0.01  # below this a decoded sample is silence


@pytest.fixture
def service() -> Iterator[FakeService]:
    """The fake text-to-speech service of test_voices.py, on 127.0.0.1."""
    with serving() as fake:
        yield fake


def samples_of(mp3: Path) -> array.array[float]:
    """The MP3 decoded to 48 kHz mono float samples."""
    pcm = subprocess.run([ffmpeg(), "-v", "error", "-i", str(mp3), "-f", "f32le", "-ac", "1",
                          "-ar", str(SAMPLE_RATE), "pipe:1"], capture_output=True,
                         check=True).stdout
    decoded = array.array("f")
    decoded.frombytes(pcm)
    return decoded


def onsets(samples: array.array[float], gap_s: float = 0.2) -> list[float]:
    """Seconds where sound starts after at least `gap_s` of silence (or the start)."""
    found, quiet = [], round(gap_s * SAMPLE_RATE)
    for i, value in enumerate(samples):
        if abs(value) > SILENT:
            if quiet >= gap_s * SAMPLE_RATE:
                found.append(i / SAMPLE_RATE)
            quiet = 0
        else:
            quiet += 1
    return found


def cue_times(sheet: str) -> list[float]:
    """The INDEX 01 times of a cue sheet, in seconds."""
    return [int(m) * 60 + int(s) + int(f) / 75
            for m, s, f in re.findall(r"INDEX 01 (\d\d):(\d\d):(\d\d)", sheet)]


def written(spoken: Spoken, folder: Path) -> Path:
    """The three files in `folder`; the MP3's path."""
    for name, data in spoken.files().items():
        (folder / name).write_bytes(data)
    return folder / spoken.file_name


class ToneVoice:
    """A voice of the fake's tones, without a service: quick, for what is not HTTP."""

    name = "tone"
    draft = False

    def __init__(self) -> None:
        self.asked: list[str] = []

    def say(self, sentence: str) -> bytes:
        self.asked.append(sentence)
        return tone(sentence)


def test_the_cue_sheet_says_where_each_sentence_starts(service: FakeService,
                                                       tmp_path: Path) -> None:
    voice = service.voice(audio="mp3")  # MP3 from the service: decoded, then encoded once
    spoken = speak(UNITS, voice, title="Bản tin tuần 11", stem="ban-tin-2021-W11")
    mp3 = written(spoken, tmp_path)
    heard = onsets(samples_of(mp3))
    sheet = (tmp_path / "ban-tin-2021-W11.cue").read_text("utf-8")
    assert len(heard) == 3
    assert cue_times(sheet) == pytest.approx(heard, abs=FRAME_S)
    assert [c.start for c in spoken.cues] == pytest.approx(heard, abs=0.002)
    # each sentence lasts what its words do; the service's silence is cut
    lengths = [c.end - c.start for c in spoken.cues]
    assert lengths == pytest.approx([WORD_S * len(s.split()) for u in UNITS for s in u],
                                    abs=0.03)
    # a pause between sentences, a longer one between units
    gaps = [b.start - a.end for a, b in zip(spoken.cues, spoken.cues[1:], strict=False)]
    assert gaps == pytest.approx([audio.SENTENCE_PAUSE_S, audio.UNIT_PAUSE_S], abs=0.03)
    assert [c.unit for c in spoken.cues] == [0, 0, 1]


def test_the_mp3_is_at_minus_16_lufs(service: FakeService, tmp_path: Path) -> None:
    spoken = speak(UNITS, service.voice(), stem="loud")
    assert loudness(written(spoken, tmp_path)) == pytest.approx(-16.0, abs=1.0)
    probe = subprocess.run([ffmpeg(), "-hide_banner", "-i", str(tmp_path / "loud.mp3")],
                           capture_output=True, text=True).stderr
    assert re.search(r"Audio: mp3.*48000 Hz, mono", probe)


def test_another_loudness_may_be_asked_for(tmp_path: Path) -> None:
    spoken = speak(UNITS, ToneVoice(), stem="quiet", loudness=-23.0)
    assert loudness(written(spoken, tmp_path)) == pytest.approx(-23.0, abs=1.0)
    assert json.loads(spoken.timings())["loudness"] == -23.0


def test_the_same_script_gives_the_same_bytes_without_asking_again(
        service: FakeService, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    first = speak(UNITS, service.voice(), stem="a", cache=cache)
    asked = len(service.posts)
    assert asked == 3
    again = speak(UNITS, service.voice(), stem="a", cache=cache)
    assert len(service.posts) == asked  # every sentence from the cache
    assert again.files() == first.files()
    # another speed is another sound: asked again
    speak(UNITS, service.voice(speed=1), stem="a", cache=cache)
    assert len(service.posts) == 2 * asked


def test_bytes_are_the_same_without_a_cache_too() -> None:
    assert speak(UNITS, ToneVoice(), stem="a").mp3 == speak(UNITS, ToneVoice(), stem="a").mp3


def test_a_sentence_said_twice_is_asked_for_once() -> None:
    voice = ToneVoice()
    spoken = speak(["Xin chào bà con.", "Xin chào bà con."], voice)
    assert voice.asked == ["Xin chào bà con."]
    assert len(spoken.cues) == 2


def test_a_damaged_cache_entry_is_asked_for_again(tmp_path: Path) -> None:
    voice, cache = ToneVoice(), tmp_path / "cache"
    speak(["Xin chào bà con."], voice, cache=cache)
    [kept] = cache.rglob("*.audio")
    kept.write_bytes(b"RIFF\x00\x00\x00\x00WAVEjunk")
    speak(["Xin chào bà con."], voice, cache=cache)
    assert voice.asked == ["Xin chào bà con."] * 2
    assert kept.read_bytes() == tone("Xin chào bà con.")


def test_audio_that_cannot_be_decoded_names_its_sentence_and_is_not_kept(
        service: FakeService, tmp_path: Path) -> None:
    service.audio = "broken"
    cache = tmp_path / "cache"
    with pytest.raises(ProblemError) as err:
        speak(UNITS, service.voice(), cache=cache)
    assert "gave audio that cannot be decoded for:" in str(err.value)
    assert not list(cache.rglob("*.audio"))


def test_a_voice_problem_names_its_sentence(service: FakeService) -> None:
    service.script = ["refuse"] * 3
    with pytest.raises(ProblemError) as err:
        speak(["Xin chào bà con."], service.voice())
    assert "(sentence: 'Xin chào bà con.')" in str(err.value)


def test_after_a_problem_no_more_sentences_are_asked_for() -> None:
    class Failing(ToneVoice):
        def say(self, sentence: str) -> bytes:
            self.asked.append(sentence)
            raise ProblemError(Problem("tone", None, "", "broken"))

    voice = Failing()
    with pytest.raises(ProblemError, match="sentence: 'câu 0'"):
        speak([f"câu {i}" for i in range(20)], voice, threads=1)
    assert len(voice.asked) <= 2


def test_silence_is_a_problem() -> None:
    class Mute(ToneVoice):
        def say(self, sentence: str) -> bytes:
            return tone("")

    with pytest.raises(ProblemError, match="gave only silence for: 'Xin chào'"):
        speak(["Xin chào"], Mute())


def test_an_empty_script_is_refused() -> None:
    with pytest.raises(ValueError):
        speak(["", "  "], ToneVoice())
    with pytest.raises(TypeError):
        speak("Xin chào bà con.", ToneVoice())


def test_the_cue_sheet_and_the_timings() -> None:
    spoken = speak([["Ông \"Ba\" nói:", "Hai"], ["Ba"]], ToneVoice(), title="Thử",
                   stem="thu")
    sheet = spoken.cue_sheet()
    assert sheet.startswith('REM GENERATOR "cchc-toolkit"\r\nTITLE "Thử"\r\n'
                            'PERFORMER "tone"\r\nFILE "thu.mp3" MP3\r\n')
    assert '  TRACK 01 AUDIO\r\n    TITLE "Ông \'Ba\' nói:"\r\n    INDEX 01 00:00:00\r\n' in sheet
    assert sheet.count("TRACK") == 3 and "TRACK 03 AUDIO" in sheet
    timings = json.loads(spoken.timings())
    assert timings["file"] == "thu.mp3" and timings["draft"] is False
    assert [s["unit"] for s in timings["sentences"]] == [0, 0, 1]
    assert timings["sentences"][1]["start"] == round(spoken.cues[1].start, 3)
    assert set(spoken.files()) == {"thu.mp3", "thu.cue", "thu.json"}


def test_more_sentences_than_a_cue_sheet_holds_are_tracks_of_units() -> None:
    cues = tuple(audio.Cue(f"câu {i}", i // 3, i * 100, i * 100 + 50) for i in range(150))
    assert audio._track_starts(cues) == list(range(0, 150, 3))
    one_unit = tuple(audio.Cue(f"câu {i}", 0, i, i + 1) for i in range(150))
    assert audio._track_starts(one_unit) == list(range(0, 150, 2))
    assert audio._cue_time(SAMPLE_RATE * 61 + SAMPLE_RATE // 2) == "01:01:38"


def test_the_mp3_tells_no_encoder_version() -> None:
    mp3 = speak(["Xin chào bà con."], ToneVoice()).mp3
    assert b"TSSE" not in mp3 and not re.search(rb"Lav[cf]\d", mp3)


@pytest.mark.skipif(shutil.which("espeak-ng") is None, reason=NO_ESPEAK)
def test_espeak_is_a_draft_wherever_its_audio_appears(tmp_path: Path) -> None:
    spoken = speak(UNITS, EspeakVoice(), title="Bản tin tuần 11", stem="ban-tin")
    mark = vietnamese(DRAFT_MARK)
    assert set(spoken.files()) == {"ban-tin-ban-nhap.mp3", "ban-tin-ban-nhap.cue",
                                   "ban-tin-ban-nhap.json"}
    assert f'TITLE "Bản tin tuần 11 [{mark}]"' in spoken.cue_sheet()
    assert json.loads(spoken.timings())["draft"] is True
    assert mark.encode("utf-16-le") in spoken.mp3  # the MP3's own title tag (ID3v2.3)
    mp3 = written(spoken, tmp_path)
    assert loudness(mp3) == pytest.approx(-16.0, abs=1.0)
    heard = onsets(samples_of(mp3))
    assert heard[0] < FRAME_S and len(spoken.cues) == 3
    assert all(any(abs(h - c.start) < FRAME_S for h in heard) for c in spoken.cues)


@pytest.mark.skipif(shutil.which("espeak-ng") is None, reason=NO_ESPEAK)
def test_espeak_gives_the_same_bytes_twice() -> None:
    first = speak(["Xin chào bà con."], EspeakVoice())
    assert speak(["Xin chào bà con."], EspeakVoice()).files() == first.files()


def test_wav_of_the_tone_is_what_the_fake_sends() -> None:
    with wave.open(io.BytesIO(tone("một hai")), "rb") as read:
        expected = (LEAD_S + TRAIL_S + 2 * WORD_S) * read.getframerate()
        assert abs(read.getnframes() - expected) <= 2
