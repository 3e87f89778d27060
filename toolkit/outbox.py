"""The outbox: the only code that writes where print shops, the portal and
gateways pick files up.

Each channel has a folder `outbox/<channel>/` and a `manifest.json` listing
its files with their sha256 and size. Files are written atomically (a temporary
file in the same folder, then a rename), so a reader never sees half a file.
The manifest never lists bytes that are not on disk, whenever the writer is
stopped (killed, a full disk, a read-only share): a listed file leaves the
manifest before it is replaced or removed, and a new file joins it only once
written.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import json
import shutil
import time
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from toolkit.files import TEMP_PREFIX, write_atomic
from toolkit.i18n import _, decimal
from toolkit.problems import Problem, ProblemError

MANIFEST = "manifest.json"
_ENCODER = json.JSONEncoder(ensure_ascii=False)
# Writes wait and go together, so that replacing thousands of listed files rewrites
# the manifest a few times, not once a file: a batch goes after this long or size.
BATCH_SECONDS = 1.0
BATCH_PER_SAVE = 25  # or, for a large manifest, 25 times as long as writing it takes
BATCH_BYTES = 64 << 20
# A long build records its progress this often, so a killed one loses little work.
CHECKPOINT_SECONDS = 10.0

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
    product: str = ""  # what the file is ("leaflet", "preview", "feed"), as its job said
    units: tuple[str, ...] = ()  # every unit it is made from


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


class ChannelOutbox:
    """The folder of one channel and its manifest, for the length of one command.

    `items` is what the folder holds once every write has landed. Writes are
    gathered into batches; before a batch replaces files the manifest lists, the
    manifest is saved without them, so at every moment it describes only bytes
    that are on disk. `save()` writes what is pending and the manifest.
    """

    def __init__(self, outbox_dir: Path, channel: str) -> None:
        self.channel = channel
        self.folder = outbox_dir / channel
        self.items = self._read_manifest()
        self._saved = dict(self.items)  # what manifest.json says
        self._pending: dict[str, bytes] = {}
        self._batch_started = 0.0
        self._last_save = time.monotonic()
        self._save_cost = 0.0  # seconds the last manifest took to write
        self._written: set[str] = set()

    def _read_manifest(self) -> dict[str, Item]:
        try:
            data = json.loads((self.folder / MANIFEST).read_text(encoding="utf-8"))
            return {i["path"]: Item(**{**i, "units": tuple(i.get("units", ()))})
                    for i in data["items"]}
        except (OSError, ValueError, KeyError, TypeError):
            return {}

    def file(self, path: str) -> Path:
        """The file for a channel-relative path; refuses anything outside the folder."""
        target = (self.folder / path).resolve()
        if not target.is_relative_to(self.folder.resolve()) or path.startswith(TEMP_PREFIX):
            raise OutboxError(_("{path} is outside outbox/{channel}").format(
                path=repr(path), channel=self.channel))
        return target

    def is_current(self, path: str, inputs: str) -> bool:
        """True when the file exists as the manifest says and was made from `inputs`."""
        item = self.items.get(path)
        return item is not None and item.inputs == inputs and self._on_disk(item)

    def _on_disk(self, item: Item) -> bool:
        try:
            return self.file(item.path).stat().st_size == item.bytes
        except OSError:
            return False

    def write(self, path: str, data: bytes, unit: str | None, inputs: str, product: str = "",
              units: tuple[str, ...] = ()) -> bool:
        """Put a file in the outbox, in the current batch (`save()` ends the last one);
        returns False when the same bytes are there already."""
        if path in self._written:
            raise OutboxError(_("outbox/{channel}/{path} was written twice in one build").format(
                channel=self.channel, path=path))
        self._written.add(path)
        self.file(path)
        item = Item(unit, path, hashlib.sha256(data).hexdigest(), len(data), inputs, product,
                    units)
        old, self.items[path] = self.items.get(path), item
        if old is not None and old.sha256 == item.sha256 and self._on_disk(old):
            return False
        if not self._pending:
            self._batch_started = time.monotonic()
        self._pending[path] = data
        if self._batch_due():
            self.flush()
        return True

    def _batch_due(self) -> bool:
        # A batch lasts long enough that rewriting the manifest costs a few per cent.
        lasts = max(BATCH_SECONDS, BATCH_PER_SAVE * self._save_cost)
        return (time.monotonic() - self._batch_started >= lasts
                or sum(map(len, self._pending.values())) >= BATCH_BYTES)

    def flush(self) -> None:
        """Write the pending files: listed ones leave the manifest first."""
        if not self._pending:
            return
        if not self._pending.keys().isdisjoint(self._saved):
            self._save_manifest()
        for path in list(self._pending):
            self._write_pending(path)
        if time.monotonic() - self._last_save >= CHECKPOINT_SECONDS:
            self._save_manifest()

    def _write_pending(self, path: str) -> None:
        data = self._pending[path]
        try:
            write_atomic(self.file(path), data)
        except OSError as err:
            self._drop_pending()
            raise ProblemError(unwritable(f"outbox/{self.channel}/{path}", err, len(data),
                                          self.folder)) from None
        del self._pending[path]

    def _drop_pending(self) -> None:
        """Files that were not written are not in the outbox as listed: forget them."""
        for path in self._pending:
            self.items.pop(path, None)
        self._pending.clear()

    def prune(self, keep: set[str]) -> list[str]:
        """Remove the files whose paths are not in `keep`; returns what was removed."""
        gone = sorted(set(self.items) - keep)
        for path in gone:
            del self.items[path]
            self._pending.pop(path, None)
        if not self._saved.keys().isdisjoint(gone):
            self._save_manifest()
        for path in gone:
            target = self.file(path)
            target.unlink(missing_ok=True)
            self._remove_empty_folders(target.parent)
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
        """Write what is pending, then the manifest if anything in it changed."""
        self.flush()
        self._save_manifest()

    def save_written(self) -> None:
        """After a failure: list what was written, dropping what was not, if the disk
        allows; if it does not, the manifest as it is still tells the truth."""
        self._drop_pending()
        with contextlib.suppress(ProblemError):
            self._save_manifest()

    def _save_manifest(self) -> None:
        durable = {p: i for p, i in self.items.items() if p not in self._pending}
        self._last_save = time.monotonic()
        if durable == self._saved and (self.folder / MANIFEST).is_file():
            return
        started = time.monotonic()
        data = manifest_bytes(self.channel, durable)
        try:
            write_atomic(self.folder / MANIFEST, data)
        except OSError as err:
            raise ProblemError(unwritable(f"outbox/{self.channel}/{MANIFEST}", err, len(data),
                                          self.folder)) from None
        self._saved = durable
        self._save_cost = time.monotonic() - started


def manifest_bytes(channel: str, items: dict[str, Item]) -> bytes:
    """The manifest as JSON, one item a line: readable, and quick to write for thousands."""
    lines = ",\n".join(map(_ENCODER.encode, (vars(items[p]) for p in sorted(items))))
    text = f'{{"channel": {_ENCODER.encode(channel)}, "items": [\n{lines}\n]}}\n'
    return text.encode("utf-8")


def unwritable(name: str, err: OSError, size: int, folder: Path) -> Problem:
    """What to tell an officer when a file cannot be written: which, why, what to do."""
    if err.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)):
        return Problem(name, None, "", _disk_full(size, _free_space(folder)), _(
            "free some space on that disk, then run this again; what is already in the outbox "
            "is complete"))
    if err.errno == errno.EROFS:
        return Problem(name, None, "", _("cannot be written: the disk is read-only"), _(
            "make the outbox writable again (or move the project), then run this again"))
    if err.errno in (errno.EACCES, errno.EPERM):
        return Problem(name, None, "", _("cannot be written: permission denied"), _(
            "close any program that has the file open (a PDF viewer, Word), check that you may "
            "write to the outbox folder, then run this again"))
    if err.errno in (errno.ENOTDIR, errno.EEXIST):
        return Problem(name, None, "", _(
            "cannot be written: a file stands where its folder should be"), _(
            "move that file out of the outbox, then run this again"))
    return Problem(name, None, "", _("cannot be written ({reason})").format(
        reason=err.strerror or err), _("check the disk and the folder, then run this again"))


def _disk_full(size: int, free: int | None) -> str:
    """What a full disk is said as: what the file needs, and what is left if known."""
    if free is None:
        return _("cannot be written: the disk is full (the file needs {size})").format(
            size=_size(size))
    return _("cannot be written: the disk is full (the file needs {size}; {free} free)").format(
        size=_size(size), free=_size(free))


def _free_space(folder: Path) -> int | None:
    """The bytes free on the disk of `folder` (or of its nearest existing parent)."""
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    try:
        return shutil.disk_usage(folder).free
    except OSError:
        return None


def _size(size: int) -> str:
    """A size as people read it: 57 KB, 3.2 MB, 1.5 GB (3,2 MB in Vietnamese)."""
    if size < 1_000_000:
        return f"{round(size / 1000)} KB"
    number, unit = (size / 1_000_000, "MB") if size < 1_000_000_000 else (size / 1e9, "GB")
    return f"{decimal(number, 1)} {unit}"
