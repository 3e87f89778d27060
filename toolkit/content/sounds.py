"""The sound files a unit names (`narration:`, recorded for its video): where they may
be, and what their first bytes say they are.

As for pictures (`toolkit/content/pictures.py`, whose path rules these follow), only
cheap checks live here, made on every load: inside the project, a file, not huge,
and by its first bytes an audio format ffmpeg reads that an office is likely to
have. The video decodes the file in full where it places it.
"""

from __future__ import annotations

from pathlib import Path

from toolkit.content.pictures import BadFile, file_head, picture_format, project_file
from toolkit.i18n import N_, _
from toolkit.problems import quote

# What a voice recorder, a phone or the radio station gives, and ffmpeg reads.
USABLE = ("MP3", "AAC", "WAV", "M4A", "OGG", "FLAC")
# A minute of speech is about 1 MB as MP3 and 10 MB as WAV; a clip lasts at most a minute
# or two, so past this a file is not its narration.
MAX_SOUND_BYTES = 50 * 1024 * 1024
# Enough first bytes to tell every format below.
HEAD_BYTES = 16

# First bytes of audio formats (and of sound files the video cannot use).
_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"ID3", "MP3"), (b"OggS", "OGG"), (b"fLaC", "FLAC"),
    (b"0&\xb2u\x8ef\xcf\x11", N_("WMA (Windows Media)")), (b"#!AMR", "AMR"),
)
# ISO media files ("....ftyp" and a brand) the video takes the sound of: audio from
# iPhones and Android phones (M4A), and MP4 files.
_FTYP_BRANDS = {b"M4A ": "M4A", b"mp42": "M4A", b"isom": "M4A"}

# Marked for the catalog; translate with _() where shown.
NARRATION_FIX = N_("give the path from the unit's folder, e.g. narration: am-thanh/khai-sinh.mp3")
SAVE_FIX = N_("save it as MP3 or WAV (in the recorder, or with a free converter such as "
              "Audacity), and name that file")


class BadSound(BadFile):
    """A sound file that cannot be used: what is wrong and, where the caller's own advice
    on naming the file does not fit, how to fix it."""


def audio_path(value: str, folder: Path, root: Path) -> Path:
    """The sound file `value` names from `folder`, checked cheaply: inside `root` (no
    absolute path, no way out by ".." or a link), a file, not huge, and by its first
    bytes MP3, WAV, M4A (AAC), OGG or FLAC. BadSound says what is wrong otherwise."""
    path = project_file(
        value, folder, root, BadSound,
        _("{value} is an absolute path; a sound file must be inside the project folder"),
        _("copy the recording into the project (e.g. content/am-thanh/) and give its path "
          "from there"))
    _check_head(value, path)
    return path


def _check_head(value: str, path: Path) -> None:
    """The file's size and first bytes: a recording the video can use, or BadSound."""
    size, head = file_head(value, path, BadSound, HEAD_BYTES)
    if size == 0:
        raise BadSound(_("{value} is empty").format(value=quote(value)),
                       _("copy the recording again"))
    if size > MAX_SOUND_BYTES:
        raise BadSound(_("{value} is {size} MB, more than the narration of a clip needs "
                         "({limit} MB)").format(value=quote(value), size=round(size / 2**20),
                                                limit=MAX_SOUND_BYTES // 2**20),
                       _("save it as MP3: a minute of speech is about 1 MB"))
    kind = audio_format(head)
    if kind in USABLE:
        return
    if kind is not None:
        raise BadSound(_("{value} is in the {format} format, which the video cannot use").format(
            value=quote(value), format=_(kind)), _(SAVE_FIX))
    other = picture_format(head)  # a photo, a PDF, a Word file, a video...
    if other is not None:
        raise BadSound(_("{value} is in the {format} format, not a sound recording").format(
            value=quote(value), format=_(other)),
                       _("give the recording itself: an MP3, WAV, M4A, OGG or FLAC file"))
    raise BadSound(_("{value} is not a sound recording the video can use").format(
        value=quote(value)), _(SAVE_FIX))


def audio_format(head: bytes) -> str | None:
    """The audio format a file's first bytes announce ("MP3", "WAV", "M4A"...), or None.
    A file that starts with an MPEG audio frame (sync bits 0xFFE or 0xFFF) is MP3, or
    AAC in ADTS frames (layer bits 00)."""
    if head[:4] == b"RIFF" and head[8:12] == b"WAVE":
        return "WAV"
    if head[4:8] == b"ftyp":
        return _FTYP_BRANDS.get(head[8:12])
    if len(head) >= 2 and head[0] == 0xFF and head[1] & 0xE0 == 0xE0:
        return "AAC" if head[1] & 0xF6 == 0xF0 else "MP3"
    return next((kind for magic, kind in _SIGNATURES if head.startswith(magic)), None)
