"""Voices that read a script aloud, one sentence at a time: the `Voice` protocol and
two adapters.

- `EspeakVoice`: espeak-ng's Vietnamese voice, offline and free, and robotic (issue 15
  measured about 75 % of its words misheard by an offline recogniser): a draft to hear
  a script's length and rhythm, never for broadcast, never the default. Its `draft` is
  True, and `audio.speak` marks what it makes as a draft wherever it appears.
- `ServiceVoice`: a commercial Vietnamese text-to-speech service over HTTP, in the shape
  of FPT.AI's TTS API v5 (https://docs.fpt.ai/docs/en/speech/api/text-to-speech): the
  sentence is the body of a POST, the key and the voice are headers, and the answer is
  JSON with a link (`async`) where the audio appears a few seconds to two minutes later.
  Its address, key and voice come from the environment only (`TOOLKIT_TTS_URL`,
  `TOOLKIT_TTS_TOKEN`, `TOOLKIT_TTS_VOICE`) and are never printed.

Whatever the service or the network does (hang, trickle, close, answer 5xx, 429,
nonsense or something that is not audio), `say` returns audio or raises a
`ProblemError` that says what happened and what to do: every request has a total
deadline (`toolkit/deliver/deadline.py`), 5xx, 429 and failures of the network are
tried again with backoff (Retry-After honoured, within a limit), a 4xx is a refusal
said at once.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import Any, Protocol

import requests

from toolkit.content.sounds import MAX_SOUND_BYTES, audio_format
from toolkit.deliver.deadline import Deadline
from toolkit.deliver.gateway import (
    NOT_RETRYABLE,
    RETRY_STATUSES,
    TRANSPORT_ERRORS,
    describe,
    make_session,
    parse_retry_after,
    usable_url,
)
from toolkit.i18n import N_, _, decimal
from toolkit.problems import Problem, ProblemError, quote
from toolkit.workers import bound

URL_VARIABLE = "TOOLKIT_TTS_URL"
TOKEN_VARIABLE = "TOOLKIT_TTS_TOKEN"
VOICE_VARIABLE = "TOOLKIT_TTS_VOICE"
# Where a problem with the service's settings is: the variables, not a file.
ENVIRONMENT = N_("environment")
SERVICE = N_("text-to-speech service")
ESPEAK = "espeak-ng"

# FPT.AI's voices (its documentation: banmai, lannhi, leminh, myan, thuminh, giahuy,
# linhsan); banmai, a northern woman's voice, is the service's first.
DEFAULT_SERVICE_VOICE = "banmai"
# What the service takes in one request (its documentation: 3 to 5,000 characters).
MAX_SENTENCE_CHARS = 5000
# The service's JSON answer is a few hundred bytes; past this it is not that answer.
ANSWER_LIMIT = 64 * 1024
# The audio of one sentence: a few hundred kilobytes; the limit of a narration file.
AUDIO_LIMIT = MAX_SOUND_BYTES
# Formats the service may be asked for (its `format` header).
SERVICE_FORMATS = ("mp3", "wav")
# The service's speeds (its `speed` header): -3 slowest to +3 fastest.
SERVICE_SPEEDS = range(-3, 4)
# Longer waits a service asks for (Retry-After) are not waited for: a script is made
# while someone waits for it.
MAX_RETRY_AFTER_S = 60.0
# Polling the link: the first wait, then twice as long each time, up to this.
MAX_POLL_S = 8.0
# HTTP statuses of a link whose audio is not there yet: 404, or 403 from a storage
# bucket that does not say which of its files exist.
NOT_READY = frozenset({403, 404})
# espeak-ng's speed (words a minute; its own default is 175) and pitch (0-99, 50).
ESPEAK_WORDS_PER_MINUTE = 160
ESPEAK_PITCH = 50
ESPEAK_TIMEOUT_S = 60.0  # one sentence takes espeak-ng a few milliseconds

Sleep = Callable[[float], None]


class Voice(Protocol):
    """What reads a sentence aloud: its name (shown with what it made), whether it is a
    draft (never to be broadcast), and the audio (WAV or MP3 bytes) of one sentence.
    A voice may also have `settings` (text): what else, besides its name, makes it
    sound the way it does, so that sentences made before are not asked for again."""

    @property
    def name(self) -> str:
        """The voice, as a person recognises it ("banmai", "espeak-ng vi")."""

    @property
    def draft(self) -> bool:
        """True for a voice whose audio must never be broadcast."""

    def say(self, sentence: str) -> bytes:
        """The audio of one sentence (WAV or MP3); ProblemError if there is none."""


def settings_of(voice: Voice) -> str:
    """What, besides its name, makes the voice sound as it does ("" if it does not say):
    part of the key that sentences made before are found under."""
    settings = getattr(voice, "settings", "")
    return settings if isinstance(settings, str) else ""


# --- espeak-ng -------------------------------------------------------------------------

@dataclass(frozen=True)
class EspeakVoice:
    """espeak-ng's Vietnamese voice (`espeak-ng -v vi --stdout`): offline, and a draft
    only. `language` is espeak-ng's voice: "vi" (northern), "vi-vn-x-central",
    "vi-vn-x-south"."""

    language: str = "vi"
    words_per_minute: int = ESPEAK_WORDS_PER_MINUTE
    pitch: int = ESPEAK_PITCH

    def __post_init__(self) -> None:
        if not 80 <= self.words_per_minute <= 450:
            raise ValueError(f"espeak-ng speaks 80 to 450 words a minute, "
                             f"not {self.words_per_minute}")
        if not 0 <= self.pitch <= 99:
            raise ValueError(f"espeak-ng's pitch is 0 to 99, not {self.pitch}")

    @property
    def name(self) -> str:
        """"espeak-ng vi": the program and its voice."""
        return f"{ESPEAK} {self.language}"

    @property
    def draft(self) -> bool:
        """Always: a robotic voice is a draft, never a broadcast."""
        return True

    @property
    def settings(self) -> str:
        """espeak-ng's version and the options it is run with."""
        return (f"{_espeak_version(_espeak())} -v {self.language} "
                f"-s {self.words_per_minute} -p {self.pitch}")

    def say(self, sentence: str) -> bytes:
        """The sentence as espeak-ng says it: a WAV (22,050 Hz, mono)."""
        command = [_espeak(), "-v", self.language, "-s", str(self.words_per_minute),
                   "-p", str(self.pitch), "-b", "1", "--stdout"]
        try:
            # The text goes in on stdin: a sentence starting with "-" is no option.
            result = subprocess.run(command, input=sentence.encode("utf-8"),
                                    capture_output=True, timeout=ESPEAK_TIMEOUT_S, **bound())
        except (OSError, subprocess.TimeoutExpired):
            raise _espeak_failed(sentence) from None
        if result.returncode != 0 or audio_format(result.stdout[:16]) != "WAV":
            raise _espeak_failed(sentence)
        return result.stdout


def _espeak() -> str:
    """The espeak-ng program; a ProblemError saying how to install it if it is not."""
    found = shutil.which(ESPEAK)
    if found is None:
        raise ProblemError(Problem(ESPEAK, None, "", _("not installed"), _(
            "install it (on Debian or Ubuntu: sudo apt install espeak-ng), or set "
            "TOOLKIT_TTS_URL and TOOLKIT_TTS_TOKEN to use a text-to-speech service")))
    return found


@cache
def _espeak_version(program: str) -> str:
    """"espeak-ng 1.51": the version `espeak-ng --version` says (its voice changes with
    its version)."""
    try:
        result = subprocess.run([program, "--version"], capture_output=True, text=True,
                                timeout=ESPEAK_TIMEOUT_S)
    except (OSError, subprocess.TimeoutExpired):
        return ESPEAK
    found = re.search(r"\d+(?:\.\d+)+\S*", result.stdout)
    return f"{ESPEAK} {found.group(0)}" if found else ESPEAK


def _espeak_failed(sentence: str) -> ProblemError:
    return ProblemError(Problem(ESPEAK, None, "", _(
        "could not say this sentence: {sentence}").format(sentence=quote(sentence)),
        _("check that espeak-ng works (espeak-ng -v vi \"xin chào\"), then run this again")))


# --- a text-to-speech service ----------------------------------------------------------

@dataclass(frozen=True)
class _Reply:
    """One HTTP exchange: the status and body, or (status 0) why no full answer came
    and whether trying again may help."""

    status: int
    body: bytes = b""
    retry_after: str | None = None
    why: str = ""
    retry: bool = False
    message: str = ""  # what the service's JSON said, if it said anything


@dataclass(frozen=True)
class ServiceVoice:
    """A Vietnamese voice of a text-to-speech service shaped as FPT.AI's API v5.

    One sentence is one POST of its text (UTF-8) to `url` with the headers `api-key`,
    `voice`, `speed` and `format`; the answer is `{"error": 0, "async": "<link>",
    "message": ..., "request_id": ...}`, and the audio is fetched from the link (without
    the key) once it is there: the link answers 404 until then, for 5 s to 2 minutes.
    `timeout` bounds each request, answer included; `attempts` tries of a request on
    5xx, 429 and network failures, `backoff_s` apart and doubling; `ready_s` of waiting,
    in all, for the audio to appear at its link."""

    url: str = field(repr=False)
    token: str = field(repr=False)
    voice: str = DEFAULT_SERVICE_VOICE
    speed: int = 0
    audio: str = "wav"  # asked for: the MP3 is encoded once, from the service's WAV
    timeout: float = 30.0
    attempts: int = 4
    backoff_s: float = 1.0
    ready_s: float = 120.0
    poll_s: float = 1.0
    sleep: Sleep = field(default=time.sleep, repr=False, compare=False)

    def __post_init__(self) -> None:
        if self.speed not in SERVICE_SPEEDS:
            raise ValueError(f"the service's speed is -3 to 3, not {self.speed}")
        if self.audio not in SERVICE_FORMATS:
            raise ValueError(f"the service makes {SERVICE_FORMATS}, not {self.audio!r}")
        if not (self.timeout > 0 and self.attempts >= 1 and self.backoff_s >= 0
                and self.ready_s >= 0 and self.poll_s > 0):
            raise ValueError("timeout and poll_s are above 0, attempts 1 or more, "
                             "backoff_s and ready_s 0 or more")

    @classmethod
    def from_environment(cls, environ: Mapping[str, str] | None = None,
                         **options: Any) -> ServiceVoice:
        """The voice the environment configures: TOOLKIT_TTS_URL (the service's
        address), TOOLKIT_TTS_TOKEN (its key), TOOLKIT_TTS_VOICE (default banmai);
        a ProblemError naming the variable (never its value) when one is unusable."""
        env = os.environ if environ is None else environ
        url, token = env.get(URL_VARIABLE, ""), env.get(TOKEN_VARIABLE, "")
        voice = env.get(VOICE_VARIABLE, "").strip() or DEFAULT_SERVICE_VOICE
        if not url or not token:
            raise ProblemError(Problem(_(ENVIRONMENT), None, f"{URL_VARIABLE}, {TOKEN_VARIABLE}",
                                       _("are not both set"), _(
                                           "set them to the text-to-speech service's address "
                                           "and key, like TOOLKIT_TTS_URL=https://api.fpt.ai/"
                                           "hmi/tts/v5")))
        if not usable_url(url):
            raise ProblemError(Problem(_(ENVIRONMENT), None, URL_VARIABLE, _(
                "is not an http:// or https:// address with a host (its value is not shown: "
                "it may hold a secret)"), _(
                "set it to the service's address, like https://api.fpt.ai/hmi/tts/v5")))
        if not _header_safe(token):
            raise ProblemError(Problem(_(ENVIRONMENT), None, TOKEN_VARIABLE, _(
                "has spaces at its ends, line breaks or letters that are not ASCII"),
                _("set it to the key exactly as the service gave it")))
        if not _header_safe(voice):
            raise ProblemError(Problem(_(ENVIRONMENT), None, VOICE_VARIABLE, _(
                "{value} is not a voice name").format(value=quote(voice)),
                _("set it to one of the service's voices, like banmai or leminh")))
        return cls(url, token, voice, **options)

    @property
    def name(self) -> str:
        """The service's name of the voice ("banmai")."""
        return self.voice

    @property
    def draft(self) -> bool:
        """Never: a service's voice is for broadcast."""
        return False

    @property
    def settings(self) -> str:
        """The API, the speed and the format asked for (not the address or the key)."""
        return f"fpt-tts-v5 speed={self.speed} format={self.audio}"

    def say(self, sentence: str) -> bytes:
        """The sentence as the service says it (WAV or MP3 bytes)."""
        text = sentence.strip()
        if len(text) > MAX_SENTENCE_CHARS:
            raise ProblemError(Problem(_(SERVICE), None, "", _(
                "a sentence of {count} characters is more than the service takes "
                "({limit}): {sentence}").format(count=len(text), limit=MAX_SENTENCE_CHARS,
                                                 sentence=quote(text)),
                _("split it into shorter sentences")))
        link = self._link(text)
        audio = self._fetch(link)
        if audio_format(audio[:16]) not in ("MP3", "WAV"):
            raise ProblemError(Problem(_(SERVICE), None, "", _(
                "sent something that is not MP3 or WAV audio for: {sentence}").format(
                sentence=quote(text)), _("run this again; if it happens again, ask the "
                                         "service why")))
        return audio

    def _headers(self) -> dict[str, str]:
        return {"api-key": self.token, "voice": self.voice, "speed": str(self.speed),
                "format": self.audio}

    def _link(self, text: str) -> str:
        """Ask for the sentence; the link its audio will appear at."""
        reply = self._tried(lambda: self._exchange(
            "POST", self.url, text.encode("utf-8"), self._headers(), ANSWER_LIMIT))
        answer = _json(reply.body)
        if answer is None:
            raise ProblemError(Problem(_(SERVICE), None, "", _(
                "answered HTTP {status} without the JSON it sends").format(status=reply.status),
                _("check that TOOLKIT_TTS_URL is the service's address (like "
                  "https://api.fpt.ai/hmi/tts/v5)")))
        link = answer.get("async")
        if answer.get("error") != 0 or not isinstance(link, str):
            raise ProblemError(Problem(_(SERVICE), None, "", _(
                "refused the sentence: {message}").format(
                message=_said(answer) or f"error {quote(answer.get('error'))}"),
                _("check TOOLKIT_TTS_VOICE and the sentence, then run this again")))
        if not usable_url(link):
            raise ProblemError(Problem(_(SERVICE), None, "", _(
                "answered with a link that is not an http:// or https:// address"),
                _("run this again; if it happens again, ask the service why")))
        return link

    def _fetch(self, link: str) -> bytes:
        """The audio at `link` once it is there: polled, waiting poll_s, then twice as
        long each time (up to MAX_POLL_S), ready_s in all."""
        waited, interval = 0.0, self.poll_s
        while True:
            reply = self._exchange("GET", link, None, {}, AUDIO_LIMIT)
            if 200 <= reply.status < 300:
                return reply.body
            waiting = (reply.status in NOT_READY or reply.status in RETRY_STATUSES
                       or (reply.status == 0 and reply.retry))
            if not waiting:
                raise self._refused(reply)
            if waited >= self.ready_s:
                raise ProblemError(Problem(_(SERVICE), None, "", _(
                    "the audio was not ready within {seconds} s ({last})").format(
                    seconds=decimal(self.ready_s), last=_what_came(reply)),
                    _("run this again later; the sentences made already are kept")))
            wait = min(interval, self.ready_s - waited)
            self.sleep(wait)
            waited += wait
            interval = min(interval * 2, MAX_POLL_S)

    def _tried(self, exchange: Callable[[], _Reply]) -> _Reply:
        """A 2xx reply of `exchange`, tried again on 5xx, 429 and network failures;
        a ProblemError when it is refused or the tries are used up."""
        for attempt in range(self.attempts):
            reply = exchange()
            if 200 <= reply.status < 300:
                return reply
            again = reply.status in RETRY_STATUSES or (reply.status == 0 and reply.retry)
            if not again:
                raise self._refused(reply)
            if attempt + 1 < self.attempts:
                self.sleep(self._wait(reply, attempt))
        raise ProblemError(Problem(_(SERVICE), None, "", _(
            "did not answer after {count} tries ({last})").format(
            count=self.attempts, last=_what_came(reply)),
            _("run this again later; the sentences made already are kept")))

    def _wait(self, reply: _Reply, attempt: int) -> float:
        """Seconds before try `attempt + 2`: what Retry-After asks, if it asks for no
        more than MAX_RETRY_AFTER_S; else backoff_s doubling."""
        asked = parse_retry_after(reply.retry_after)
        if asked is not None and asked > MAX_RETRY_AFTER_S:
            raise ProblemError(Problem(_(SERVICE), None, "", _(
                "asked to wait {seconds} s before the next sentence").format(
                seconds=decimal(asked, 0)), _("run this again later; the sentences made "
                                              "already are kept")))
        return asked if asked is not None else self.backoff_s * 2 ** attempt

    def _refused(self, reply: _Reply) -> ProblemError:
        """The problem of a reply that trying again cannot help."""
        if reply.status in (401, 403):
            return ProblemError(Problem(_(ENVIRONMENT), None, TOKEN_VARIABLE, _(
                "the text-to-speech service refused the key (HTTP {status}{message})").format(
                status=reply.status, message=_colon(reply.message)),
                _("set TOOLKIT_TTS_TOKEN to a valid key of the service")))
        if 300 <= reply.status < 400:
            return ProblemError(Problem(_(ENVIRONMENT), None, URL_VARIABLE, _(
                "the text-to-speech service answered HTTP {status} (a redirect, not "
                "followed)").format(status=reply.status),
                _("set TOOLKIT_TTS_URL to the address the service gives")))
        if reply.status == 0:
            return ProblemError(Problem(_(ENVIRONMENT), None, URL_VARIABLE, _(
                "the request to the text-to-speech service could not be made ({why})").format(
                why=reply.why), _("check TOOLKIT_TTS_URL")))
        return ProblemError(Problem(_(SERVICE), None, "", _(
            "refused the request (HTTP {status}{message})").format(
            status=reply.status, message=_colon(reply.message)),
            _("check TOOLKIT_TTS_VOICE and the sentence, then run this again")))

    def _exchange(self, method: str, url: str, data: bytes | None, headers: dict[str, str],
                  limit: int) -> _Reply:
        """One request and its answer (at most `limit` bytes of body), within `timeout`
        in all; never raises."""
        with Deadline(self.timeout) as deadline:
            try:
                response = _session().request(
                    method, url, data=data, headers=headers, timeout=self.timeout,
                    stream=True, allow_redirects=method == "GET")
                with response:
                    body = _read(response, limit)
            except TRANSPORT_ERRORS as err:
                if deadline.passed:
                    return _Reply(0, why=self._too_slow(), retry=True)
                return _Reply(0, why=describe(err), retry=not isinstance(err, NOT_RETRYABLE))
            except _TooLong:
                return _Reply(0, why=_("the answer was longer than {size} MB").format(
                    size=limit // 2**20 or 1))
        if deadline.passed:  # what came may be cut short by the deadline without an error
            return _Reply(0, why=self._too_slow(), retry=True)
        message = "" if 200 <= response.status_code < 300 else _said(_json(body) or {})
        return _Reply(response.status_code, body, response.headers.get("Retry-After"),
                      message=message)

    def _too_slow(self) -> str:
        return _("no full answer within {seconds} s").format(seconds=decimal(self.timeout))


# Each thread's session (sentences may be asked for from several threads at once); kept
# out of the voice, which stays a value that can be copied and pickled.
_sessions = threading.local()


def _session() -> requests.Session:
    """This thread's session, held to a total deadline per request (deadline.py)."""
    session: requests.Session | None = getattr(_sessions, "session", None)
    if session is None:
        session = _sessions.session = make_session()
    return session


class _TooLong(Exception):
    """An answer longer than was asked for."""


def _read(response: requests.Response, limit: int) -> bytes:
    """The body, if no longer than `limit` bytes; _TooLong otherwise."""
    data = bytearray()
    for chunk in response.iter_content(64 * 1024):
        data += chunk
        if len(data) > limit:
            raise _TooLong
    return bytes(data)


def _json(body: bytes) -> dict[str, Any] | None:
    """The JSON object a body holds, or None."""
    try:
        data = json.loads(body)
    except (ValueError, RecursionError):
        return None
    return data if isinstance(data, dict) else None


def _said(answer: Mapping[str, Any]) -> str:
    """What the service's answer says, quoted and short; "" if it says nothing."""
    message = answer.get("message")
    return quote(message) if isinstance(message, str) and message.strip() else ""


def _colon(message: str) -> str:
    return f": {message}" if message else ""


def _what_came(reply: _Reply) -> str:
    """The last reply, briefly: an HTTP status, or why none came."""
    return f"HTTP {reply.status}" if reply.status else reply.why


def _header_safe(value: str) -> bool:
    """True for a value that can be sent as an HTTP header as it is."""
    return bool(value) and value.isascii() and value.isprintable() and value == value.strip()
