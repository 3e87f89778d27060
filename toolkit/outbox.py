"""The outbox: the only code that writes where print shops, the portal and
gateways pick files up.

Each channel has a folder `outbox/<channel>/` and a `manifest.json` listing
its files with their sha256 and size. Files are written atomically (a temporary
file in the same folder, then a rename), so a reader never sees half a file,
and the manifest is written last, so it lists only complete files.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path, PurePosixPath

MANIFEST = "manifest.json"
TEMP_PREFIX = ".partial-"
PUBLIC = 0o644  # readable by the web server, the print shop's share, the gateway job

# The media types of what channels make, fixed here rather than asked of the
# system (Windows answers from its registry), so feeds are the same everywhere.
MEDIA_TYPES = {
    ".xml": "application/rss+xml", ".csv": "text/csv", ".json": "application/json",
    ".pdf": "application/pdf", ".png": "image/png", ".jpg": "image/jpeg",
    ".mp4": "video/mp4", ".srt": "application/x-subrip", ".vtt": "text/vtt",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


def media_type(path: str) -> str:
    """The media type of an outbox file, by its extension."""
    return MEDIA_TYPES.get(PurePosixPath(path).suffix.lower(), "application/octet-stream")


@dataclass(frozen=True)
class Item:
    """One file of a channel, as the manifest lists it.

    `inputs` fingerprints what the file was made from; it decides whether the
    file is up to date. `unit` is None for a file made from many units (a feed).
    """

    unit: str | None
    path: str
    sha256: str
    bytes: int
    inputs: str


class OutboxError(Exception):
    """A path that would land outside its channel folder, or a file written twice."""


def unit_files(outbox_dir: Path, channels: tuple[str, ...]) -> dict[str, list[tuple[str, Item]]]:
    """The files each unit has in some channels' outboxes, as (channel, item), by path."""
    found: dict[str, list[tuple[str, Item]]] = {}
    for channel in channels:
        for item in ChannelOutbox(outbox_dir, channel).items.values():
            if item.unit is not None:
                found.setdefault(item.unit, []).append((channel, item))
    return {unit: sorted(files, key=lambda f: (f[0], f[1].path)) for unit, files in found.items()}


def write_atomic(path: Path, data: bytes) -> None:
    """Replace `path` with `data` so that readers see the old file or the new, never half."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(dir=path.parent, prefix=TEMP_PREFIX)
    try:
        os.chmod(temp, PUBLIC)  # mkstemp makes it private; others pick these files up
        with os.fdopen(fd, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise


class ChannelOutbox:
    """The folder of one channel and its manifest, for the length of one build."""

    def __init__(self, outbox_dir: Path, channel: str) -> None:
        self.channel = channel
        self.folder = outbox_dir / channel
        self.items = self._read_manifest()
        self._before = dict(self.items)
        self._written: set[str] = set()

    def _read_manifest(self) -> dict[str, Item]:
        try:
            data = json.loads((self.folder / MANIFEST).read_text(encoding="utf-8"))
            return {i["path"]: Item(**i) for i in data["items"]}
        except (OSError, ValueError, KeyError, TypeError):
            return {}

    def file(self, path: str) -> Path:
        """The file for a channel-relative path; refuses anything outside the folder."""
        target = (self.folder / path).resolve()
        if not target.is_relative_to(self.folder.resolve()) or path.startswith(TEMP_PREFIX):
            raise OutboxError(f"{path!r} is outside outbox/{self.channel}")
        return target

    def is_current(self, path: str, inputs: str) -> bool:
        """True when the file exists as the manifest says and was made from `inputs`."""
        item = self.items.get(path)
        if item is None or item.inputs != inputs:
            return False
        try:
            return self.file(path).stat().st_size == item.bytes
        except OSError:
            return False

    def write(self, path: str, data: bytes, unit: str | None, inputs: str) -> bool:
        """Put a file in the outbox; returns False when the same bytes were already there."""
        if path in self._written:
            raise OutboxError(f"outbox/{self.channel}/{path} was written twice in one build")
        self._written.add(path)
        sha = hashlib.sha256(data).hexdigest()
        old = self.items.get(path)
        target = self.file(path)
        changed = old is None or old.sha256 != sha or not target.is_file()
        if changed:
            write_atomic(target, data)
        self.items[path] = Item(unit, path, sha, len(data), inputs)
        return changed

    def prune(self, keep: set[str]) -> list[str]:
        """Remove the files whose paths are not in `keep`; returns what was removed."""
        gone = sorted(set(self.items) - keep)
        for path in gone:
            target = self.file(path)
            target.unlink(missing_ok=True)
            self._remove_empty_folders(target.parent)
            del self.items[path]
        return gone

    def _remove_empty_folders(self, folder: Path) -> None:
        top = self.folder.resolve()
        while folder != top and folder.is_dir() and not any(folder.iterdir()):
            folder.rmdir()
            folder = folder.parent

    def clear_partials(self) -> None:
        """Delete temporary files a killed build left behind."""
        if self.folder.is_dir():
            for temp in self.folder.rglob(f"{TEMP_PREFIX}*"):
                temp.unlink(missing_ok=True)

    def save(self) -> None:
        """Write the manifest, if anything in it changed."""
        if self.items == self._before and (self.folder / MANIFEST).is_file():
            return
        items = [asdict(self.items[p]) for p in sorted(self.items)]
        text = json.dumps({"channel": self.channel, "items": items}, ensure_ascii=False, indent=1)
        write_atomic(self.folder / MANIFEST, (text + "\n").encode("utf-8"))
        self._before = dict(self.items)
