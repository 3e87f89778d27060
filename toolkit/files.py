"""Writing a file so that a reader sees the old one or the new one, never half.

The outbox writes every file it holds this way, and so do the caches (of units, of
check findings), which are JSON of one toolkit version and format (`read_cache`,
`write_cache`).
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path
from typing import Any

import orjson

# A file being written is hidden under this prefix until it is complete; what a
# killed process left under it is cleared by the next build.
TEMP_PREFIX = ".partial-"
PUBLIC = 0o644  # readable by the web server, the print shop's share, the gateway job


def write_atomic(path: Path, data: bytes, durable: bool = True) -> None:
    """Replace `path` with `data` so that readers see the old file or the new, never half;
    `durable` waits for the bytes to reach the disk first (what a power cut must not
    lose: not a cache)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(dir=path.parent, prefix=TEMP_PREFIX)
    try:
        os.chmod(temp, PUBLIC)  # mkstemp makes it private; others pick these files up
        with os.fdopen(fd, "wb") as out:
            out.write(data)
            out.flush()
            if durable:
                os.fsync(out.fileno())
        os.replace(temp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise


def read_cache(path: Path, version: str, form: int, section: str) -> dict[str, Any]:
    """The entries of a JSON cache written by this `version` of the toolkit in this
    `form`; none if it is missing, unreadable or of another version or form (a cache
    is only a shortcut)."""
    try:
        data = orjson.loads(path.read_bytes())
    except (OSError, ValueError):
        return {}
    ok = isinstance(data, dict) and data.get("version") == version and data.get("format") == form
    entries = data.get(section) if ok else None
    return entries if isinstance(entries, dict) else {}


def write_cache(path: Path, version: str, form: int, section: str,
                entries: dict[str, Any]) -> None:
    """Write a JSON cache `read_cache` reads; one that cannot be written (a full disk) is
    no problem: the next run is only slower."""
    data = {"version": version, "format": form, section: entries}
    with contextlib.suppress(OSError):
        write_atomic(path, dumps(data), durable=False)


def dumps(data: Any, sort_keys: bool = False) -> bytes:
    """JSON of what the caches and records keep, as UTF-8 (orjson: the records and caches
    of a large catalogue are tens of megabytes)."""
    return orjson.dumps(data, option=orjson.OPT_NON_STR_KEYS
                        | (orjson.OPT_SORT_KEYS if sort_keys else 0))
