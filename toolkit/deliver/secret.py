"""The project's ledger key: a random secret that keys every hash in the ledger.

The ledger keeps, for each accepted send, a hash of message, text and number
beside the masked number (+8491****678). Unkeyed, four hidden digits are 10,000
guesses: every number comes back in a second. Keyed with this secret (HMAC), the
hashes say nothing to whoever has the ledger without the key.

The key lives beside the ledger at the project root, outside content/ and outbox/
(which are published), readable by its owner only. It is made on first use; once a
ledger holds sends made with it, a missing key is never silently replaced, since a
new key would make every recorded send look unsent.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from toolkit.i18n import _
from toolkit.problems import Problem, ProblemError

KEY_FILE = Path(".toolkit-ledger.key")
KEY_BYTES = 32


def read_key(project_dir: Path) -> bytes | None:
    """The project's ledger key; None if there is none; ProblemError if it is not one."""
    try:
        key = (project_dir / KEY_FILE).read_bytes()
    except FileNotFoundError:
        return None
    except OSError as err:
        raise ProblemError(Problem(str(KEY_FILE), None, "", _("cannot be read ({why})").format(
            why=err.strerror), _("let the user who sends SMS read it"))) from None
    if len(key) != KEY_BYTES:
        raise ProblemError(Problem(str(KEY_FILE), None, "", _(
            "is not a ledger key ({size} bytes, not {expected})").format(
                size=len(key), expected=KEY_BYTES), _("restore it from a backup")))
    return key


def create_key(project_dir: Path) -> bytes:
    """A new random key, written readable by its owner only, durably, and never over
    an existing key."""
    key = secrets.token_bytes(KEY_BYTES)
    path = project_dir / KEY_FILE
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o600)
    try:
        if os.write(fd, key) != KEY_BYTES:
            raise OSError(_("short write to {path}").format(path=path))
        os.fsync(fd)
    except OSError:
        os.close(fd)
        path.unlink()  # no half-written key is ever left to be taken for the real one
        raise
    os.close(fd)
    _sync_folder(project_dir)
    return key


def _sync_folder(folder: Path) -> None:
    """Make a new file's name durable too (POSIX; Windows has no folder handles)."""
    if os.name != "posix":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
