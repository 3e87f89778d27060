"""The ledger of SMS sends: what a gateway accepted is never sent again.

SQLite in the project folder (.toolkit-ledger.sqlite). A send is recorded after the
gateway answers; a crash between the two is covered by the idempotency key, which
the gateway uses to refuse a duplicate.

What it holds, per accepted send: the key (HMAC-SHA256 of message id, text and
number under the project's secret, see secret.py; the same key is the request's
Idempotency-Key or eSMS RequestId), the message id, the masked number
(+8491****678), the gateway's short answer ("HTTP 200") and the time. No number and
no text. A check value (the HMAC of a fixed label) tells a wrong key from the right.

Ledgers of earlier versions keyed sends with an unkeyed sha256, from which a masked
number is recovered by guessing its four hidden digits. On first use such a ledger
is adopted: each old key is re-keyed with the secret at once (so no unkeyed hash
stays at rest) and kept apart; a send whose old key is found there counts as sent,
and its row then moves to its new key.

Social posts (deliver/social.py) are kept here too, in their own table, under the
same key: a missing or wrong key is refused as long as any of them is recorded.
"""

from __future__ import annotations

import hashlib
import hmac
import sqlite3
from pathlib import Path

from toolkit.deliver.phones import mask
from toolkit.deliver.secret import KEY_FILE, create_key, read_key
from toolkit.i18n import _, ngettext
from toolkit.problems import Problem, ProblemError

LEDGER_FILE = Path(".toolkit-ledger.sqlite")
CHECK_LABEL = b"cchc-toolkit ledger key check"
LEGACY_LABEL = b"cchc-toolkit legacy send keys"
KEY_HEX = 32  # 128 bits: short enough for any gateway's request id

SCHEMA = (
    ("CREATE TABLE IF NOT EXISTS sends (key TEXT PRIMARY KEY, message TEXT, masked TEXT, "
     "answer TEXT, at TEXT DEFAULT CURRENT_TIMESTAMP)"),
    # Sends recorded by earlier versions, under their old key re-keyed with the secret.
    ("CREATE TABLE IF NOT EXISTS legacy (key TEXT PRIMARY KEY, message TEXT, masked TEXT, "
     "answer TEXT, at TEXT)"),
    "CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT)",
    # Social posts (deliver/social.py): each row is first the intent of a post, then,
    # once the platform has it, the post; under the same key as everything here.
    ("CREATE TABLE IF NOT EXISTS posts (key TEXT PRIMARY KEY, unit TEXT, platform TEXT, "
     "page TEXT, state TEXT, since TEXT, progress TEXT, answer TEXT, "
     "at TEXT DEFAULT CURRENT_TIMESTAMP)"),
)
# The tables whose rows were made with the project's key: a ledger holding any is never
# given a new key (every one of them would look unsent).
KEYED_TABLES = ("sends", "legacy", "posts")


def legacy_key(message_id: str, text: str, number: str) -> str:
    """The key earlier versions recorded: unkeyed, so never stored any more."""
    return hashlib.sha256(f"{message_id}\0{text}\0{number}".encode()).hexdigest()[:KEY_HEX]


def keyed(secret: bytes, data: bytes) -> str:
    """HMAC-SHA256 of `data` under `secret`, as the ledger stores it."""
    return hmac.new(secret, data, hashlib.sha256).hexdigest()[:KEY_HEX]


class Ledger:
    """Accepted sends by keyed hash, with the masked number and the gateway's answer."""

    def __init__(self, project_dir: Path) -> None:
        self.connection = sqlite3.connect(project_dir / LEDGER_FILE)
        try:
            # Deleted rows are overwritten, so an adopted old key leaves no trace in the file.
            self.connection.execute("PRAGMA secure_delete = ON")
            for statement in SCHEMA:
                self.connection.execute(statement)
            self.secret = _project_key(self.connection, project_dir)
            self.has_legacy = _count(self.connection, "legacy") > 0
        except sqlite3.Error as err:
            self.connection.close()
            raise ProblemError(_unusable(err)) from None
        except BaseException:
            self.connection.close()
            raise
        self.legacy_secret = hmac.new(self.secret, LEGACY_LABEL, hashlib.sha256).digest()

    def key(self, message_id: str, text: str, number: str) -> str:
        """The key of one message to one number: the same on every run, and sent to the
        gateway as the request's idempotency key."""
        return keyed(self.secret, f"{message_id}\0{text}\0{number}".encode())

    def accepted(self, message_id: str, text: str, number: str) -> bool:
        """True when the gateway has accepted this send before (in this version or an
        earlier one)."""
        key = self.key(message_id, text, number)
        row = self.connection.execute("SELECT 1 FROM sends WHERE key = ?", (key,)).fetchone()
        return row is not None or (self.has_legacy and self._adopt(key, message_id, text,
                                                                    number))

    def record(self, message_id: str, text: str, number: str, answer: str) -> None:
        """Remember an accepted send, at once (each send is its own transaction); a
        ledger that cannot record stops the delivery (ProblemError)."""
        try:
            with self.connection:
                self.connection.execute(
                    "INSERT OR IGNORE INTO sends (key, message, masked, answer) "
                    "VALUES (?, ?, ?, ?)",
                    (self.key(message_id, text, number), message_id, mask(number), answer))
        except sqlite3.Error as err:
            raise ProblemError(_unusable(err)) from None

    def close(self) -> None:
        """Close the database."""
        self.connection.close()

    def _adopt(self, key: str, message_id: str, text: str, number: str) -> bool:
        """Move an earlier version's record of this send to its new key; False if none."""
        old = keyed(self.legacy_secret, legacy_key(message_id, text, number).encode())
        with self.connection:
            moved = self.connection.execute(
                "INSERT OR IGNORE INTO sends (key, message, masked, answer, at) "
                "SELECT ?, message, masked, answer, at FROM legacy WHERE key = ?", (key, old))
            if moved.rowcount == 0:
                return False
            self.connection.execute("DELETE FROM legacy WHERE key = ?", (old,))
        return True


def _project_key(connection: sqlite3.Connection, project_dir: Path) -> bytes:
    """The project's key, checked against the ledger; made if the ledger cannot need
    another; old unkeyed records adopted under it."""
    stored = _meta(connection, "key_check")
    recorded = sum(_count(connection, table) for table in KEYED_TABLES)
    secret = read_key(project_dir)
    if secret is None:
        if stored is not None and recorded:
            raise ProblemError(_missing_key(recorded))
        secret = create_key(project_dir)
    check = keyed(secret, CHECK_LABEL)
    if stored is None:
        _adopt_old_records(connection, secret, check)
    elif stored != check:
        if recorded:
            raise ProblemError(_wrong_key(recorded))
        _set_meta(connection, "key_check", check)
    return secret


def _adopt_old_records(connection: sqlite3.Connection, secret: bytes, check: str) -> None:
    """A ledger without a check value is new or from an earlier version: re-key its
    records (unkeyed hashes) into `legacy`, and mark the ledger as keyed, at once."""
    legacy_secret = hmac.new(secret, LEGACY_LABEL, hashlib.sha256).digest()
    connection.create_function("rekey", 1, lambda old: keyed(legacy_secret, str(old).encode()),
                               deterministic=True)
    with connection:
        connection.execute("INSERT OR IGNORE INTO legacy (key, message, masked, answer, at) "
                           "SELECT rekey(key), message, masked, answer, at FROM sends")
        connection.execute("DELETE FROM sends")
        connection.execute("INSERT OR REPLACE INTO meta (name, value) VALUES ('key_check', ?)",
                           (check,))


def _unusable(err: sqlite3.Error) -> Problem:
    return Problem(str(LEDGER_FILE), None, "", _("cannot be used ({error})").format(
        error=f"{type(err).__name__}: {str(err)[:80]}"),
        _("free disk space, or restore it from a backup; then run this again (a send not "
          "recorded is refused by the gateway by its key)"))


def _missing_key(recorded: int) -> Problem:
    return Problem(str(KEY_FILE), None, "", ngettext(
        "is missing, and {ledger} records {n} send made with it; a new key would send it "
        "again",
        "is missing, and {ledger} records {n} sends made with it; a new key would send "
        "them all again", recorded).format(ledger=LEDGER_FILE, n=recorded),
        _("restore {key} from a backup; or, knowing that everyone will get every message "
          "again, move {ledger} away").format(key=KEY_FILE, ledger=LEDGER_FILE))


def _wrong_key(recorded: int) -> Problem:
    return Problem(str(KEY_FILE), None, "", ngettext(
        "does not match {ledger}, which records {n} send made with another key",
        "does not match {ledger}, which records {n} sends made with another key",
        recorded).format(ledger=LEDGER_FILE, n=recorded),
        _("restore the {key} that was used with this ledger from a backup").format(
            key=KEY_FILE))


def _meta(connection: sqlite3.Connection, name: str) -> str | None:
    row = connection.execute("SELECT value FROM meta WHERE name = ?", (name,)).fetchone()
    return None if row is None else str(row[0])


def _set_meta(connection: sqlite3.Connection, name: str, value: str) -> None:
    with connection:
        connection.execute("INSERT OR REPLACE INTO meta (name, value) VALUES (?, ?)",
                           (name, value))


def _count(connection: sqlite3.Connection, table: str) -> int:
    return int(connection.execute(f"SELECT count(*) FROM {table}").fetchone()[0])
