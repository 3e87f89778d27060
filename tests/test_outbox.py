"""The outbox: atomic writes, the manifest, refusing paths outside a channel folder."""

from __future__ import annotations

import hashlib
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from toolkit.files import TEMP_PREFIX, write_atomic
from toolkit.outbox import MANIFEST, ChannelOutbox, OutboxError


def test_write_atomic_replaces_and_leaves_no_temporary_file(tmp_path: Path) -> None:
    target = tmp_path / "a" / "feed.xml"
    write_atomic(target, b"old")
    write_atomic(target, b"new")
    assert target.read_bytes() == b"new"
    assert os.listdir(target.parent) == ["feed.xml"]


def test_write_atomic_that_fails_keeps_the_old_file(tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "feed.xml"
    write_atomic(target, b"old")

    def broken_replace(src: str, dst: str) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(OSError):
        write_atomic(target, b"new")
    assert target.read_bytes() == b"old"
    assert os.listdir(tmp_path) == ["feed.xml"]


KILLED_WRITER = """
import os, sys, time
from pathlib import Path
from toolkit.files import write_atomic
real_replace = os.replace
def slow_replace(src, dst):
    print("written", flush=True)
    time.sleep(60)
os.replace = slow_replace
write_atomic(Path(sys.argv[1]), b"x" * 1_000_000)
"""


def test_a_killed_writer_leaves_the_old_file_and_a_partial_the_next_build_clears(
        tmp_path: Path) -> None:
    folder = tmp_path / "outbox" / "rss"
    target = folder / "feed.xml"
    write_atomic(target, b"old")
    proc = subprocess.Popen([sys.executable, "-c", KILLED_WRITER, str(target)],
                            stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None and proc.stdout.readline().strip() == "written"
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert target.read_bytes() == b"old"
    partials = [p for p in folder.iterdir() if p.name.startswith(TEMP_PREFIX)]
    assert len(partials) == 1
    ChannelOutbox(tmp_path / "outbox", "rss").clear_partials()
    assert sorted(p.name for p in folder.iterdir()) == ["feed.xml"]


@pytest.mark.parametrize("path", ["../escape.xml", "a/../../escape.xml", "/etc/passwd",
                                  f"{TEMP_PREFIX}x"])
def test_paths_outside_the_channel_folder_are_refused(tmp_path: Path, path: str) -> None:
    outbox = ChannelOutbox(tmp_path, "rss")
    with pytest.raises(OutboxError):
        outbox.write(path, b"x", None, "k")
    assert not (tmp_path / "escape.xml").exists()


def test_a_file_is_written_once_per_build(tmp_path: Path) -> None:
    outbox = ChannelOutbox(tmp_path, "rss")
    outbox.write("feed.xml", b"one", None, "k")
    with pytest.raises(OutboxError, match="twice"):
        outbox.write("feed.xml", b"two", None, "k")


def test_manifest_lists_each_file_with_its_hash_and_size(tmp_path: Path) -> None:
    outbox = ChannelOutbox(tmp_path, "sms")
    outbox.write("messages.csv", b"id,text\r\n", None, "k1", "messages", ("u", "v"))
    outbox.write("u/one.txt", b"hello", "u", "k2", "page", ("u",))
    outbox.save()
    manifest = json.loads((tmp_path / "sms" / MANIFEST).read_text(encoding="utf-8"))
    assert manifest["channel"] == "sms"
    assert manifest["items"] == [
        {"unit": None, "path": "messages.csv", "bytes": 9, "inputs": "k1",
         "sha256": hashlib.sha256(b"id,text\r\n").hexdigest(), "product": "messages",
         "units": ["u", "v"]},
        {"unit": "u", "path": "u/one.txt", "bytes": 5, "inputs": "k2",
         "sha256": hashlib.sha256(b"hello").hexdigest(), "product": "page", "units": ["u"]},
    ]


def test_same_bytes_are_not_rewritten(tmp_path: Path) -> None:
    first = ChannelOutbox(tmp_path, "rss")
    first.write("feed.xml", b"same", None, "k1")
    first.save()
    stamp = (tmp_path / "rss" / "feed.xml").stat().st_mtime_ns
    time.sleep(0.01)
    again = ChannelOutbox(tmp_path, "rss")
    assert again.write("feed.xml", b"same", None, "k2") is False
    assert (tmp_path / "rss" / "feed.xml").stat().st_mtime_ns == stamp


def test_is_current_needs_the_same_inputs_and_the_file_in_place(tmp_path: Path) -> None:
    outbox = ChannelOutbox(tmp_path, "rss")
    outbox.write("feed.xml", b"data", None, "k1")
    outbox.save()
    reread = ChannelOutbox(tmp_path, "rss")
    assert reread.is_current("feed.xml", "k1")
    assert not reread.is_current("feed.xml", "k2")
    (tmp_path / "rss" / "feed.xml").unlink()
    assert not reread.is_current("feed.xml", "k1")


def test_prune_removes_files_and_manifest_entries(tmp_path: Path) -> None:
    outbox = ChannelOutbox(tmp_path, "print")
    outbox.write("a/leaflet.pdf", b"a", "a", "k")
    outbox.write("b/leaflet.pdf", b"b", "b", "k")
    assert outbox.prune({"a/leaflet.pdf"}) == ["b/leaflet.pdf"]
    outbox.save()
    assert not (tmp_path / "print" / "b" / "leaflet.pdf").exists()
    assert not (tmp_path / "print" / "b").exists()
    assert [i["path"] for i in json.loads((tmp_path / "print" / MANIFEST).read_text())["items"]] \
        == ["a/leaflet.pdf"]


def test_an_unreadable_manifest_means_everything_is_rebuilt(tmp_path: Path) -> None:
    (tmp_path / "rss").mkdir()
    (tmp_path / "rss" / MANIFEST).write_text("{not json", encoding="utf-8")
    assert ChannelOutbox(tmp_path, "rss").items == {}


def test_written_files_are_readable_by_others(tmp_path: Path) -> None:
    write_atomic(tmp_path / "feed.xml", b"x")
    assert (tmp_path / "feed.xml").stat().st_mode & 0o777 == 0o644


def _listed(folder: Path) -> dict[str, str]:
    try:
        items = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))["items"]
    except OSError:
        return {}
    return {i["path"]: i["sha256"] for i in items}


def test_a_listed_file_leaves_the_manifest_before_its_bytes_change(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first = ChannelOutbox(tmp_path, "print")
    for name in ("a.pdf", "b.pdf", "c.pdf"):
        first.write(name, b"old " + name.encode(), name[0], "k1")
    first.save()

    seen: list[tuple[str, dict[str, str]]] = []
    real = write_atomic

    def watched(path: Path, data: bytes) -> None:
        seen.append((path.name, _listed(tmp_path / "print")))
        real(path, data)

    monkeypatch.setattr("toolkit.outbox.write_atomic", watched)
    again = ChannelOutbox(tmp_path, "print")
    again.write("a.pdf", b"new a", "a", "k2")
    again.write("b.pdf", b"old b.pdf", "b", "k2")  # the same bytes: stays listed
    again.save()

    replaced = [(name, listed) for name, listed in seen if name == "a.pdf"]
    assert replaced and all("a.pdf" not in listed for _, listed in replaced)
    assert all("b.pdf" in listed for _, listed in seen)
    assert _listed(tmp_path / "print")["a.pdf"] == hashlib.sha256(b"new a").hexdigest()


def test_replacing_many_listed_files_rewrites_the_manifest_a_few_times(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first = ChannelOutbox(tmp_path, "print")
    for i in range(500):
        first.write(f"{i}.pdf", b"old", str(i), "k1")
    first.save()
    saves = []
    real = write_atomic
    monkeypatch.setattr("toolkit.outbox.write_atomic",
                        lambda path, data: (saves.append(path.name) if path.name == MANIFEST
                                            else None, real(path, data)))
    again = ChannelOutbox(tmp_path, "print")
    for i in range(500):
        again.write(f"{i}.pdf", b"new", str(i), "k2")
    again.save()
    assert 2 <= len(saves) <= 4  # one before the batch, one after: not one a file
