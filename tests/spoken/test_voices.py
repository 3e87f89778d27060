"""The voices (toolkit/spoken/voices.py): espeak-ng for real, and the service adapter
against a fake of FPT.AI's TTS API v5 on 127.0.0.1 that behaves as its documentation
says (the sentence as the body of a POST, the key in `api-key`, a JSON answer with an
`async` link that answers 404 until the audio is there), and misbehaves on request:
hangs, 5xx and 429, a refused key, an `error` in its JSON, audio that is not audio.

Nothing here mocks requests: every answer is bytes on a real loopback socket. The fake's
audio is a 440 Hz tone as long as the sentence has words (0.2 s a word), padded with
silence as a service pads a sentence, so tests of audio.py know where each one starts.
"""

from __future__ import annotations

import array
import hashlib
import io
import json
import math
import pickle
import re
import shutil
import subprocess
import threading
import time
import wave
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from toolkit.content.sounds import audio_format
from toolkit.problems import ProblemError
from toolkit.render.encode import ffmpeg
from toolkit.spoken import voices
from toolkit.spoken.voices import EspeakVoice, ServiceVoice, Voice, settings_of

TOKEN = "k3y-of-the-0ffice"
PATH = "/hmi/tts/v5"
TIMEOUT_S = 0.3  # each request's deadline in these tests; a hang lasts far longer
HANG_S = 5.0
WORD_S = 0.2  # the fake's tone lasts this long a word of the sentence
LEAD_S, TRAIL_S = 0.25, 0.35  # the silence the fake pads a sentence with
TONE_RATE = 22050
NO_ESPEAK = "espeak-ng is not installed (apt install espeak-ng; .ci/run installs it)"


def tone(sentence: str, rate: int = TONE_RATE) -> bytes:
    """A WAV: silence, a 440 Hz tone of WORD_S a word of the sentence, silence."""
    lead, tail = round(LEAD_S * rate), round(TRAIL_S * rate)
    length = round(WORD_S * len(sentence.split()) * rate)
    wave_ = [round(0.3 * 32767 * math.sin(2 * math.pi * 440 * i / rate)) for i in range(length)]
    samples = array.array("h", [0] * lead + wave_ + [0] * tail)
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(samples.tobytes())
    return buffer.getvalue()


def as_mp3(wav: bytes) -> bytes:
    """The WAV as an MP3, as the service sends it by default."""
    return subprocess.run([ffmpeg(), "-v", "error", "-f", "wav", "-i", "pipe:0", "-c:a",
                           "libmp3lame", "-b:a", "64k", "-f", "mp3", "pipe:1"],
                          input=wav, capture_output=True, check=True).stdout


@dataclass
class FakeService:
    """FPT.AI's TTS API v5 as documented, with misbehaviour scripted POST by POST:
    "ok", "hang", "503", "429", "429-an-hour", "500-no-retry-after", "refuse" (error 1
    in its JSON), "html" (a 200 that is not JSON); and GET by GET of a link: "hang".
    `ready_after` GETs of a link answer 404 before its audio; `audio` is "tone",
    "garbage" (HTML) or "broken" (the first bytes of a WAV, then junk)."""

    script: list[str] = field(default_factory=list)
    link_script: list[str] = field(default_factory=list)  # "hang" or "ok", GET by GET
    ready_after: int = 0
    audio: str = "tone"
    posts: list[tuple[dict[str, str], str]] = field(default_factory=list)
    gets: list[dict[str, str]] = field(default_factory=list)
    files: dict[str, bytes] = field(default_factory=dict)
    polls: dict[str, int] = field(default_factory=dict)
    slept: list[float] = field(default_factory=list)  # the waits of the last voice()
    release: threading.Event = field(default_factory=threading.Event)
    lock: threading.Lock = field(default_factory=threading.Lock)
    port: int = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}{PATH}"

    def voice(self, **options: object) -> ServiceVoice:
        """A voice on this service, with short waits recorded instead of slept."""
        self.slept = []
        settings: dict[str, object] = {"timeout": TIMEOUT_S, "backoff_s": 0.01,
                                       "poll_s": 0.01, "sleep": self.slept.append, **options}
        return ServiceVoice(self.url, TOKEN, **settings)  # type: ignore[arg-type]

    def post(self, headers: dict[str, str], text: str) -> tuple[int, dict[str, str], bytes]:
        """The answer to a POST (status, headers, body); status 0: hang up, unanswered."""
        with self.lock:
            self.posts.append((headers, text))
            action = self.script.pop(0) if self.script else "ok"
        if action == "hang":
            self.release.wait(HANG_S)
            return 0, {}, b""
        if headers.get("api-key") != TOKEN:
            return 401, {}, _json({"error": 401, "message": "Invalid API key"})
        if action in ("503", "429"):
            return int(action), {"Retry-After": "0"}, _json({"error": 1, "message": "busy"})
        if action == "429-an-hour":
            return 429, {"Retry-After": "3600"}, _json({"error": 1, "message": "quota"})
        if action == "500-no-retry-after":
            return 500, {}, b"Internal Server Error"
        if action == "refuse":
            return 200, {}, _json({"error": 1, "message": "Text length must be at least 3"})
        if action == "html":
            return 200, {"Content-Type": "text/html"}, b"<html>maintenance</html>"
        kind = headers.get("format", "mp3")
        name = hashlib.sha256(f"{headers.get('voice')}|{text}".encode()).hexdigest()[:16]
        audio = tone(text)
        with self.lock:
            self.files[f"{name}.{kind}"] = as_mp3(audio) if kind == "mp3" else audio
        return 200, {}, _json({
            "async": f"http://127.0.0.1:{self.port}/text2speech-v5/short/{name}.{kind}",
            "error": 0, "request_id": name,
            "message": "The content will be returned after a few seconds under the async link."})

    def get(self, path: str, headers: dict[str, str]) -> tuple[int, dict[str, str], bytes]:
        """The answer to a GET of a link."""
        name = path.rsplit("/", 1)[-1]
        with self.lock:
            action = self.link_script.pop(0) if self.link_script else "ok"
        if action == "hang":
            self.release.wait(HANG_S)
            return 0, {}, b""
        with self.lock:
            self.gets.append(headers)
            self.polls[name] = self.polls.get(name, 0) + 1
            if name not in self.files or self.polls[name] <= self.ready_after:
                return 404, {"Content-Type": "application/xml"}, b"<Error>NoSuchKey</Error>"
            audio = self.files[name]
        if self.audio == "garbage":
            return 200, {"Content-Type": "text/html"}, b"<html><body>Error</body></html>"
        if self.audio == "broken":
            return 200, {"Content-Type": "audio/wav"}, b"RIFF\0\0\0\0WAVE" + b"junk" * 50
        kind = "audio/mpeg" if name.endswith(".mp3") else "audio/wav"
        return 200, {"Content-Type": kind}, audio


def _json(data: object) -> bytes:
    return json.dumps(data).encode()


@pytest.fixture
def service() -> Iterator[FakeService]:
    """The fake service, serving on 127.0.0.1 for the test."""
    with serving() as fake:
        yield fake


@contextmanager
def serving() -> Iterator[FakeService]:
    """A fake service on 127.0.0.1 while the block runs; its hangs end with it."""
    fake = FakeService()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", "0"))
            text = self.rfile.read(length).decode("utf-8")
            headers = {k.lower(): v for k, v in self.headers.items()}
            self._answer(*fake.post(headers, text))

        def do_GET(self) -> None:
            headers = {k.lower(): v for k, v in self.headers.items()}
            self._answer(*fake.get(self.path, headers))

        def _answer(self, status: int, headers: dict[str, str], body: bytes) -> None:
            if not status:
                return  # hung up without a word
            self.send_response(status)
            for name, value in {"Content-Type": "application/json", **headers}.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    fake.port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield fake
    finally:
        fake.release.set()
        server.shutdown()
        server.server_close()


def problem_text(err: pytest.ExceptionInfo[ProblemError]) -> str:
    return "\n".join(str(p) for p in err.value.problems)


# --- the service -----------------------------------------------------------------------

def test_a_sentence_is_asked_for_and_fetched_from_its_link_once_there(
        service: FakeService) -> None:
    service.ready_after = 2
    voice = service.voice(voice="leminh", speed=-1)
    audio = voice.say("Ủy ban nhân dân xã thông báo.")
    assert audio_format(audio[:16]) == "WAV"  # WAV asked for: the MP3 is encoded once
    assert audio == tone("Ủy ban nhân dân xã thông báo.")
    [(headers, text)] = service.posts
    assert text == "Ủy ban nhân dân xã thông báo."
    assert (headers["api-key"], headers["voice"], headers["speed"], headers["format"]) == (
        TOKEN, "leminh", "-1", "wav")
    assert len(service.gets) == 3  # 404, 404, the audio
    assert all("api-key" not in h for h in service.gets)  # the key stays with the service
    assert service.slept == [0.01, 0.02]  # polled, waiting twice as long each time


def test_mp3_is_taken_as_the_service_sends_it(service: FakeService) -> None:
    audio = service.voice(audio="mp3").say("Xin chào bà con.")
    assert audio_format(audio[:16]) == "MP3"


def test_a_hang_is_cut_at_the_deadline_and_asked_again(service: FakeService) -> None:
    service.script = ["hang"]
    started = time.monotonic()
    audio = service.voice().say("Xin chào bà con.")
    assert audio_format(audio[:16]) == "WAV"
    assert time.monotonic() - started < HANG_S / 2
    assert len(service.posts) == 2
    assert service.slept == [0.01]


def test_a_service_that_always_hangs_is_a_problem_in_bounded_time(
        service: FakeService) -> None:
    service.script = ["hang"] * 3
    started = time.monotonic()
    with pytest.raises(ProblemError) as err:
        service.voice(attempts=3).say("Xin chào bà con.")
    assert time.monotonic() - started < 3 * TIMEOUT_S + 1.5
    assert "did not answer after 3 tries (no full answer within 0.3 s)" in problem_text(err)
    assert len(service.posts) == 3


def test_5xx_and_429_are_tried_again_as_retry_after_says(service: FakeService) -> None:
    service.script = ["503", "429"]
    audio = service.voice().say("Xin chào bà con.")
    assert audio_format(audio[:16]) == "WAV"
    assert len(service.posts) == 3
    assert service.slept == [0.0, 0.0]  # Retry-After: 0


def test_without_retry_after_the_wait_doubles(service: FakeService) -> None:
    service.script = ["500-no-retry-after"] * 4
    with pytest.raises(ProblemError) as err:
        service.voice(attempts=4).say("Xin chào bà con.")
    assert service.slept == [0.01, 0.02, 0.04]
    assert "did not answer after 4 tries (HTTP 500)" in problem_text(err)


def test_a_wait_longer_than_a_minute_is_not_waited_for(service: FakeService) -> None:
    service.script = ["429-an-hour"]
    with pytest.raises(ProblemError) as err:
        service.voice().say("Xin chào bà con.")
    assert "asked to wait 3600 s before the next sentence" in problem_text(err)
    assert not service.slept


def test_a_link_that_hangs_is_cut_and_polled_again(service: FakeService) -> None:
    service.link_script = ["hang"]
    started = time.monotonic()
    audio = service.voice().say("Xin chào bà con.")
    assert audio_format(audio[:16]) == "WAV"
    assert time.monotonic() - started < HANG_S / 2
    assert service.slept == [0.01]


def test_a_refused_key_is_said_at_once_and_never_shown(service: FakeService) -> None:
    voice = ServiceVoice(service.url, "wrong-" + TOKEN, timeout=TIMEOUT_S, sleep=lambda s: None)
    with pytest.raises(ProblemError) as err:
        voice.say("Xin chào bà con.")
    text = problem_text(err)
    assert "TOOLKIT_TTS_TOKEN" in text and "HTTP 401" in text and "Invalid API key" in text
    assert len(service.posts) == 1  # a 4xx is not tried again
    assert TOKEN not in text and service.url not in text
    assert TOKEN not in repr(voice) and service.url not in repr(voice)


def test_an_error_in_the_answer_is_a_refusal_with_its_message(service: FakeService) -> None:
    service.script = ["refuse"]
    with pytest.raises(ProblemError) as err:
        service.voice().say("Xin chào bà con.")
    assert "refused the sentence: 'Text length must be at least 3'" in problem_text(err)
    assert len(service.posts) == 1


def test_an_answer_that_is_not_its_json_is_a_problem(service: FakeService) -> None:
    service.script = ["html"]
    with pytest.raises(ProblemError) as err:
        service.voice().say("Xin chào bà con.")
    assert "answered HTTP 200 without the JSON it sends" in problem_text(err)


def test_something_that_is_not_audio_is_a_problem(service: FakeService) -> None:
    service.audio = "garbage"
    with pytest.raises(ProblemError) as err:
        service.voice().say("Xin chào bà con.")
    assert "not MP3 or WAV audio" in problem_text(err)
    assert "Xin chào bà con." in problem_text(err)


def test_audio_never_ready_is_a_problem_after_ready_s(service: FakeService) -> None:
    service.ready_after = 10**6
    with pytest.raises(ProblemError) as err:
        service.voice(ready_s=0.1).say("Xin chào bà con.")
    assert "not ready within 0.1 s (HTTP 404)" in problem_text(err)
    assert sum(service.slept) == pytest.approx(0.1)


def test_a_sentence_longer_than_the_service_takes_is_not_sent(service: FakeService) -> None:
    with pytest.raises(ProblemError) as err:
        service.voice().say("chữ " * 2000)
    assert "more than the service takes (5000)" in problem_text(err)
    assert not service.posts


def test_a_service_that_is_not_there_is_a_problem(service: FakeService) -> None:
    voice = ServiceVoice("http://127.0.0.1:9/hmi/tts/v5", TOKEN, timeout=TIMEOUT_S,
                         attempts=2, sleep=lambda s: None)
    with pytest.raises(ProblemError) as err:
        voice.say("Xin chào bà con.")
    assert "did not answer after 2 tries (the connection failed (ConnectionError))" in (
        problem_text(err))


# --- configuration from the environment ------------------------------------------------

def test_the_environment_configures_the_service() -> None:
    voice = ServiceVoice.from_environment({"TOOLKIT_TTS_URL": "https://api.fpt.ai/hmi/tts/v5",
                                           "TOOLKIT_TTS_TOKEN": TOKEN})
    assert (voice.name, voice.draft, voice.settings) == (
        "banmai", False, "fpt-tts-v5 speed=0 format=wav")
    voice = ServiceVoice.from_environment({"TOOLKIT_TTS_URL": "https://api.fpt.ai/hmi/tts/v5",
                                           "TOOLKIT_TTS_TOKEN": TOKEN,
                                           "TOOLKIT_TTS_VOICE": "leminh"}, speed=1)
    assert (voice.name, voice.speed) == ("leminh", 1)
    assert TOKEN not in repr(voice) and "fpt.ai" not in repr(voice)


@pytest.mark.parametrize(("environ", "expected"), [
    ({}, "TOOLKIT_TTS_URL, TOOLKIT_TTS_TOKEN: are not both set"),
    ({"TOOLKIT_TTS_URL": "https://tts.example/v5"}, "are not both set"),
    ({"TOOLKIT_TTS_URL": "ftp://s3cret@tts.example", "TOOLKIT_TTS_TOKEN": TOKEN},
     "TOOLKIT_TTS_URL: is not an http:// or https:// address"),
    ({"TOOLKIT_TTS_URL": "https://tts.example/v5", "TOOLKIT_TTS_TOKEN": " s3cret\n"},
     "TOOLKIT_TTS_TOKEN: has spaces at its ends"),
    ({"TOOLKIT_TTS_URL": "https://tts.example/v5", "TOOLKIT_TTS_TOKEN": TOKEN,
      "TOOLKIT_TTS_VOICE": "ban\nmai"}, "TOOLKIT_TTS_VOICE: 'ban\\nmai' is not a voice name"),
])
def test_an_unusable_environment_is_named_never_shown(environ: dict[str, str],
                                                      expected: str) -> None:
    with pytest.raises(ProblemError) as err:
        ServiceVoice.from_environment(environ)
    text = problem_text(err)
    assert expected in text
    assert "s3cret" not in text


def test_voices_are_values_a_worker_process_can_take() -> None:
    for voice in (ServiceVoice("https://tts.example/v5", TOKEN), EspeakVoice("vi-vn-x-south")):
        assert pickle.loads(pickle.dumps(voice)) == voice


def test_voices_follow_the_protocol(service: FakeService) -> None:
    def check(voice: Voice) -> str:
        return settings_of(voice)

    assert check(service.voice()) == "fpt-tts-v5 speed=0 format=wav"
    assert re.fullmatch(r"espeak-ng [0-9.]+\S* -v vi -s 160 -p 50", check(EspeakVoice())) or (
        not shutil.which("espeak-ng"))


# --- espeak-ng -------------------------------------------------------------------------

@pytest.mark.skipif(shutil.which("espeak-ng") is None, reason=NO_ESPEAK)
def test_espeak_says_vietnamese_as_a_draft() -> None:
    voice = EspeakVoice()
    audio = voice.say("Ủy ban nhân dân xã thông báo lịch tiêm chủng.")
    assert audio_format(audio[:16]) == "WAV"
    assert len(audio) > 22050  # over half a second of 16-bit mono at 22,050 Hz
    assert voice.draft and voice.name == "espeak-ng vi"
    assert "-v vi -s 160 -p 50" in voice.settings
    assert voice.say("Ủy ban nhân dân xã thông báo lịch tiêm chủng.") == audio  # the same
    assert audio_format(voice.say("-5 độ C ở vùng núi.")[:16]) == "WAV"  # no option


@pytest.mark.skipif(shutil.which("espeak-ng") is None, reason=NO_ESPEAK)
def test_espeak_voices_of_the_south_and_centre_differ() -> None:
    sentence = "Xin chào bà con."
    assert EspeakVoice("vi-vn-x-south").say(sentence) != EspeakVoice().say(sentence)


def test_espeak_missing_says_how_to_install_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(voices.shutil, "which", lambda name: None)
    with pytest.raises(ProblemError) as err:
        EspeakVoice().say("Xin chào.")
    assert "espeak-ng: not installed -> install it (on Debian or Ubuntu: sudo apt install " \
           "espeak-ng)" in problem_text(err)


def test_espeak_settings_are_checked() -> None:
    with pytest.raises(ValueError):
        EspeakVoice(words_per_minute=1000)
    with pytest.raises(ValueError):
        ServiceVoice("https://tts.example", TOKEN, speed=5)
    with pytest.raises(ValueError):
        ServiceVoice("https://tts.example", TOKEN, audio="ogg")


def test_files_are_written_nowhere(tmp_path: Path, service: FakeService,
                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    service.voice().say("Xin chào bà con.")
    assert not list(tmp_path.iterdir())
