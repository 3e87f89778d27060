"""A unit's narration files: told by their first bytes, kept inside the project, and
each problem said on its own line by the loader."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from tests.conftest import PROCEDURE, write_unit
from toolkit.content.load import load_content
from toolkit.content.sounds import MAX_SOUND_BYTES, BadSound, audio_format, audio_path
from toolkit.problems import Problem
from toolkit.render.encode import ffmpeg

JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01"
MP3_FRAME = b"\xff\xfb\x90\x64" + bytes(60)


@pytest.mark.parametrize("head, kind", [
    (b"ID3\x04\x00\x00\x00\x00\x00\x22TSSE", "MP3"),
    (b"\xff\xfb\x50\xc4" + bytes(12), "MP3"),  # MPEG-1 layer III, no ID3 tag
    (b"\xff\xf3\x64\xc4" + bytes(12), "MP3"),  # MPEG-2
    (b"\xff\xe3\x18\xc4" + bytes(12), "MP3"),  # MPEG-2.5: sync 0xFFE
    (b"\xff\xf1\x50\x40" + bytes(12), "AAC"),  # ADTS: sync 0xFFF, layer 00
    (b"RIFF\x2e\x45\x00\x00WAVEfmt ", "WAV"),
    (b"\x00\x00\x00\x1cftypM4A \x00\x00\x02\x00", "M4A"),
    (b"\x00\x00\x00\x20ftypisom\x00\x00\x02\x00", "M4A"),
    (b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00", "M4A"),
    (b"OggS\x00\x02" + bytes(10), "OGG"),
    (b"fLaC\x00\x00\x00\x22" + bytes(8), "FLAC"),
    (b"0&\xb2u\x8ef\xcf\x11\xa6\xd9\x00\xaa\x00b\xcel", "WMA (Windows Media)"),
    (b"#!AMR\n" + bytes(10), "AMR"),
    (b"\x00\x00\x00\x14ftyp3gp4\x00\x00\x00\x00", None),  # an old phone's 3GP
    (b"RIFF\x2e\x45\x00\x00WEBPVP8 ", None),  # a picture in RIFF
    (JPEG, None),  # FF D8: no MPEG sync
    (b"Xin ch\xc3\xa0o", None),
    (b"", None),
])
def test_an_audio_format_is_told_by_its_first_bytes(head: bytes, kind: str | None) -> None:
    assert audio_format(head) == kind


@pytest.mark.parametrize("name", ["a.mp3", "a.wav", "a.m4a", "a.ogg", "a.flac"])
def test_files_ffmpeg_writes_are_taken(tmp_path: Path, name: str) -> None:
    subprocess.run([ffmpeg(), "-v", "error", "-f", "lavfi", "-i", "sine=d=0.1", str(
        tmp_path / name)], check=True)
    assert audio_path(name, tmp_path, tmp_path) == tmp_path / name


def _refusal(tmp_path: Path, value: str, data: bytes | None = None) -> BadSound:
    folder = tmp_path / "content"
    folder.mkdir(exist_ok=True)
    if data is not None:
        (folder / value).write_bytes(data)
    with pytest.raises(BadSound) as err:
        audio_path(value, folder, tmp_path)
    return err.value


@pytest.mark.parametrize("value, data, said, fix", [
    ("/etc/passwd", None, "'/etc/passwd' is an absolute path; a sound file must be inside", ""),
    ("C:/Users/a/doc.mp3", None, "is an absolute path", ""),
    ("../../doc.mp3", None, "'../../doc.mp3' is outside the project folder", "content/am-thanh/"),
    ("khong-co.mp3", None, "'khong-co.mp3' is not a file", ""),
    ("rong.mp3", b"", "'rong.mp3' is empty", "copy the recording again"),
    ("anh.mp3", JPEG, "'anh.mp3' is in the JPEG format, not a sound recording", "MP3, WAV"),
    ("ghi-am.wma", b"0&\xb2u\x8ef\xcf\x11\xa6\xd9\x00\xaa\x00b\xcel",
     "'ghi-am.wma' is in the WMA (Windows Media) format, which the video cannot use",
     "save it as MP3 or WAV"),
    ("loi-doc.txt", "Lời đọc".encode(), "'loi-doc.txt' is not a sound recording",
     "save it as MP3 or WAV"),
])
def test_what_is_not_a_usable_recording_is_refused_saying_what_to_do(
        tmp_path: Path, value: str, data: bytes | None, said: str, fix: str) -> None:
    err = _refusal(tmp_path, value, data)
    assert said in err.what and fix in err.fix


def test_a_link_out_of_the_project_is_refused(tmp_path: Path) -> None:
    outside = tmp_path / "ngoai.mp3"
    outside.write_bytes(MP3_FRAME)
    root = tmp_path / "du-an"
    (root / "content").mkdir(parents=True)
    (root / "content" / "loi-doc.mp3").symlink_to(outside)
    with pytest.raises(BadSound, match="outside the project folder"):
        audio_path("loi-doc.mp3", root / "content", root)


def test_a_huge_file_is_refused_without_reading_it(tmp_path: Path) -> None:
    path = tmp_path / "content" / "dai.wav"
    path.parent.mkdir()
    with path.open("wb") as file:
        file.write(b"RIFF\x00\x00\x00\x00WAVEfmt ")
        file.truncate(MAX_SOUND_BYTES + 1)  # sparse: nothing written past the head
    err = _refusal(tmp_path, "dai.wav")
    assert "more than the narration of a clip needs (50 MB)" in err.what
    assert "MP3" in err.fix


# --- the loader ---------------------------------------------------------------------------


def _load(tmp_path: Path, narration: str, files: dict[str, bytes]) -> list[Problem]:
    for name, data in files.items():
        (tmp_path / "content" / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / "content" / name).write_bytes(data)
    write_unit(tmp_path, "khai-sinh", PROCEDURE.replace("tags:", f"{narration}\ntags:"))
    return load_content(tmp_path, tmp_path / "content").problems


def test_one_file_alone_is_a_list_of_one(tmp_path: Path) -> None:
    assert _load(tmp_path, "narration: am-thanh/ca-bai.mp3",
                 {"am-thanh/ca-bai.mp3": MP3_FRAME}) == []
    [unit] = load_content(tmp_path, tmp_path / "content").units
    assert unit.narration == ("am-thanh/ca-bai.mp3",)


def test_a_file_a_slide_in_order(tmp_path: Path) -> None:
    files = {f"am-thanh/{n}.mp3": MP3_FRAME for n in ("tom-tat", "buoc-1", "buoc-2", "cuoi")}
    narration = "narration:\n" + "".join(f"  - {name}\n" for name in files)
    assert _load(tmp_path, narration.rstrip("\n"), files) == []
    [unit] = load_content(tmp_path, tmp_path / "content").units
    assert unit.narration == tuple(files)


@pytest.mark.parametrize("empty", ['narration: ""', "narration: []", "narration:"])
def test_no_narration_is_none(tmp_path: Path, empty: str) -> None:
    assert _load(tmp_path, empty, {}) == []
    [unit] = load_content(tmp_path, tmp_path / "content").units
    assert unit.narration == ()


def test_each_bad_file_is_a_problem_on_its_own_line(tmp_path: Path) -> None:
    problems = _load(tmp_path, "narration:\n  - tom-tat.mp3\n  - anh.jpg\n  - khong-co.wav",
                     {"tom-tat.mp3": MP3_FRAME, "anh.jpg": JPEG})
    assert [(p.field, p.line) for p in problems] == [("narration[2]", 8), ("narration[3]", 9)]
    assert "JPEG" in problems[0].what
    assert "'khong-co.wav' is not a file" in problems[1].what
    assert "narration: am-thanh/" in problems[1].fix  # how to give the path


def test_a_bad_single_file_is_a_problem_of_the_field(tmp_path: Path) -> None:
    [problem] = _load(tmp_path, "narration: ../../ngoai.mp3", {})
    assert (problem.field, problem.line) == ("narration", 6)
    assert "outside the project folder" in problem.what


def test_narration_that_is_not_text_is_said_as_a_field_problem(tmp_path: Path) -> None:
    [problem] = _load(tmp_path, "narration: {file: a.mp3}", {})
    assert (problem.field, problem.line) == ("narration", 6)
    assert problem.what == "should be a list"
