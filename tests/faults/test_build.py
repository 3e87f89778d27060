"""Faults during a build, made to happen for real: a killed process, a full disk, an
outbox that turns read-only. After each, every manifest entry matches the bytes on disk
and the next command runs without anyone cleaning up."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.conftest import PROCEDURE, write_unit

Run = Callable[..., tuple[int, str, str]]

LINUX = sys.platform.startswith("linux")
needs_linux = pytest.mark.skipif(not LINUX, reason="reads /proc to find the build's workers")
needs_root = pytest.mark.skipif(not LINUX or os.geteuid() != 0,
                                reason="mounts a small tmpfs, which needs root")


def many_units(root: Path, count: int) -> None:
    """`count` procedures: enough print work to kill a build in the middle of it."""
    for i in range(count):
        text = PROCEDURE.replace("Đăng ký khai sinh trực tuyến", f"Thủ tục số {i} trực tuyến")
        write_unit(root, f"thu-tuc-{i:03d}", text)


def toolkit(root: Path, *args: str) -> subprocess.Popen[str]:
    """`toolkit ARGS --project ROOT` as its own process, as an officer runs it."""
    command = [sys.executable, "-m", "toolkit.cli", *args, "--project", str(root)]
    return subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def children(pid: int) -> set[int]:
    """The live processes whose parent is `pid`."""
    found = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid and fields[0] != "Z":
                found.add(int(entry.name))
    return found


def working_in(folder: Path) -> set[int]:
    """The live processes whose command line names something in `folder` (an ffmpeg run
    reading and writing a build's work files)."""
    found = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                command = (entry / "cmdline").read_bytes().replace(b"\0", b" ")
            except OSError:
                continue
            if str(folder).encode() in command and alive(int(entry.name)):
                found.add(int(entry.name))
    return found


def alive(pid: int) -> bool:
    """True while `pid` runs (a zombie has ended: it only waits to be reaped)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def wait_for(condition: Callable[[], object], seconds: float = 20) -> None:
    """Poll until `condition()` holds; fail the test after `seconds`."""
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"waited {seconds} s for {condition}")
        time.sleep(0.01)


def manifest_lies(outbox: Path) -> list[str]:
    """Every manifest entry whose file is missing or holds other bytes than it says."""
    lies = []
    for manifest in sorted(outbox.glob("*/manifest.json")):
        for item in json.loads(manifest.read_text(encoding="utf-8"))["items"]:
            path = manifest.parent / item["path"]
            data = path.read_bytes() if path.is_file() else None
            if data is None or hashlib.sha256(data).hexdigest() != item["sha256"] \
                    or len(data) != item["bytes"]:
                lies.append(f"{manifest.parent.name}/{item['path']}")
    return lies


def newest_change(folder: Path) -> float:
    """The latest modification time of a PDF or PNG under `folder`, 0 if none."""
    times = [p.stat().st_mtime for p in folder.rglob("*") if p.suffix in (".pdf", ".png")]
    return max(times, default=0.0)


def recolour(root: Path, colour: str) -> None:
    """Change the brand colour: every print file of every unit changes."""
    settings = root / "toolkit.toml"
    text = settings.read_text(encoding="utf-8")
    start = text.index('primary = "') + len('primary = "')
    settings.write_text(text[:start] + colour + text[start + 7:], encoding="utf-8")


@needs_linux
def test_a_killed_build_leaves_no_worker_behind_and_no_lock(project: Path) -> None:
    many_units(project, 40)
    build = toolkit(project, "build", "--channel", "print", "--jobs", "2")
    wait_for(lambda: len(children(build.pid)) >= 2)
    workers = children(build.pid)

    build.kill()  # as kill -9, or the kernel's OOM killer, would
    build.wait()
    wait_for(lambda: not any(alive(w) for w in workers), seconds=5)

    again = toolkit(project, "build", "--channel", "print", "--jobs", "2")
    _, err = again.communicate(timeout=120)
    assert again.returncode == 0, err
    assert "another toolkit command" not in err
    assert manifest_lies(project / "outbox") == []


@needs_linux
def test_a_build_killed_while_replacing_files_leaves_manifests_that_tell_the_truth(
        project: Path) -> None:
    many_units(project, 40)
    first = toolkit(project, "build", "--channel", "print", "--jobs", "1")
    assert first.wait(timeout=120) == 0
    before = newest_change(project / "outbox" / "print")

    recolour(project, "#115E3B")
    build = toolkit(project, "build", "--channel", "print", "--jobs", "1")
    wait_for(lambda: newest_change(project / "outbox" / "print") > before)
    build.kill()
    build.wait()

    assert manifest_lies(project / "outbox") == []
    again = toolkit(project, "build", "--channel", "print")
    assert again.wait(timeout=120) == 0
    assert manifest_lies(project / "outbox") == []


@needs_linux
@pytest.mark.slow
def test_a_build_killed_while_encoding_video_leaves_nothing_running_locked_or_lying(
        project: Path) -> None:
    build = toolkit(project, "build", "--channel", "video", "--jobs", "2")
    wait_for(lambda: any(children(w) for w in children(build.pid)), seconds=60)  # ffmpeg runs
    workers = children(build.pid)
    encoders = {e for w in workers for e in children(w)}
    build.kill()
    build.wait()
    wait_for(lambda: not any(alive(p) for p in workers), seconds=30)
    # its ffmpeg runs end with their worker, at once: none finishes its work into the
    # folder the next build cleans
    wait_for(lambda: not working_in(project / ".toolkit-cache"), seconds=0.3)
    # a killed ffmpeg drops its command line before it has quite ended: give it a moment
    wait_for(lambda: not any(alive(p) for p in encoders), seconds=2)
    assert any((project / ".toolkit-cache" / "work").iterdir())  # the stills it left

    again = toolkit(project, "build", "--channel", "video", "--jobs", "2")
    _, err = again.communicate(timeout=300)
    assert again.returncode == 0, err
    assert manifest_lies(project / "outbox") == []
    left = list((project / ".toolkit-cache" / "work").rglob("*"))
    assert not left, left


@contextmanager
def lock_held_by_a_build(project: Path) -> Iterator[int]:
    """Another process holds the project's lock, signed as a build, for the block;
    yields its process id."""
    holder = subprocess.Popen([sys.executable, "-c", (
        "import time; from pathlib import Path; from toolkit.lock import project_lock\n"
        f"with project_lock(Path({str(project)!r}), 'build'):\n"
        "    print('locked', flush=True); time.sleep(60)")], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline() == "locked\n"
        yield holder.pid
    finally:
        holder.kill()
        holder.wait()


def test_a_stopped_build_is_told_from_a_running_one(project: Path, run: Run) -> None:
    """The lock names who holds it; once its holder has gone, it holds nothing."""
    with lock_held_by_a_build(project) as pid:
        status, _, err = run("build", "--project", str(project), "--channel", "rss")
        assert status == 1
        assert f"toolkit build (process {pid}" in err
    status, _, err = run("build", "--project", str(project), "--channel", "rss")
    assert status == 0, err


# --- a full disk, and an outbox that turns read-only --------------------------------


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A 64 MB tmpfs of our own, unmounted afterwards."""
    mount = tmp_path / "disk"
    mount.mkdir()
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64m", "tmpfs", str(mount)], check=True)
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def _project_on(disk: Path, source: Path) -> Path:
    root = disk / "project"
    shutil.copytree(source, root)
    return root


def _fill(disk: Path, leave: int) -> Path:
    """Fill the disk with one file until `leave` bytes are free."""
    filler = disk / "filler"
    free = shutil.disk_usage(disk).free
    with filler.open("wb") as out:
        out.truncate(0)
        chunk = b"\0" * (1 << 20)
        remaining = max(0, free - leave)
        while remaining > 0:
            remaining -= out.write(chunk[:min(len(chunk), remaining)])
    return filler


@needs_root
def test_a_full_disk_names_the_file_and_the_space_and_lies_about_nothing(
        project: Path, small_disk: Path, run: Run) -> None:
    many_units(project, 8)
    root = _project_on(small_disk, project)
    assert run("build", "--project", str(root), "--channel", "print")[0] == 0
    recolour(root, "#115E3B")
    filler = _fill(small_disk, leave=30_000)

    status, _, err = run("build", "--project", str(root), "--channel", "print")

    assert status == 1
    assert "Traceback" not in err and "toolkit: : " not in err
    assert "outbox/print/" in err and "the disk is full" in err and "free" in err
    assert manifest_lies(root / "outbox") == []
    filler.unlink()
    assert run("build", "--project", str(root), "--channel", "print")[0] == 0
    assert manifest_lies(root / "outbox") == []


@needs_root
def test_an_outbox_turned_read_only_mid_build_lies_about_nothing(
        project: Path, small_disk: Path) -> None:
    many_units(project, 40)
    root = _project_on(small_disk, project)
    assert toolkit(root, "build", "--channel", "print").wait(timeout=120) == 0
    before = newest_change(root / "outbox" / "print")
    recolour(root, "#115E3B")
    # The outbox alone turns read-only (a share whose rights change): a mount of its own.
    outbox = root / "outbox"
    subprocess.run(["mount", "--bind", str(outbox), str(outbox)], check=True)
    try:
        build = toolkit(root, "build", "--channel", "print", "--jobs", "1")
        wait_for(lambda: newest_change(outbox / "print") > before)
        wait_for(lambda: subprocess.run(["mount", "-o", "remount,bind,ro", str(outbox)],
                                        capture_output=True, check=False).returncode == 0,
                 seconds=10)
        _, err = build.communicate(timeout=120)

        assert build.returncode == 1
        assert "Traceback" not in err and "read-only" in err
        assert manifest_lies(outbox) == []
    finally:
        subprocess.run(["umount", str(outbox)], check=False)
    assert toolkit(root, "build", "--channel", "print").wait(timeout=120) == 0
    assert manifest_lies(outbox) == []
