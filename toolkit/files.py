"""Writing a file so that a reader sees the old one or the new one, never half.

The outbox writes every file it holds this way, and so does the cache of units.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

# A file being written is hidden under this prefix until it is complete; what a
# killed process left under it is cleared by the next build.
TEMP_PREFIX = ".partial-"
PUBLIC = 0o644  # readable by the web server, the print shop's share, the gateway job


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
