"""The ledger of SMS sends: what a gateway accepted is never sent again.

SQLite in the project folder. A send is recorded after the gateway answers; a
crash between the two is covered by the idempotency key, which the gateway
uses to refuse a duplicate.
"""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

LEDGER_FILE = Path(".toolkit-ledger.sqlite")


def send_key(message_id: str, text: str, number: str) -> str:
    """The idempotency key of one message to one recipient: the same on every run."""
    return hashlib.sha256(f"{message_id}\0{text}\0{number}".encode()).hexdigest()[:32]


class Ledger:
    """Accepted sends by key, with the masked number and the gateway's answer."""

    def __init__(self, project_dir: Path) -> None:
        self.connection = sqlite3.connect(project_dir / LEDGER_FILE)
        self.connection.execute(
            "CREATE TABLE IF NOT EXISTS sends (key TEXT PRIMARY KEY, message TEXT, "
            "masked TEXT, answer TEXT, at TEXT DEFAULT CURRENT_TIMESTAMP)")

    def accepted(self, key: str) -> bool:
        """True when the gateway has accepted this send before."""
        row = self.connection.execute("SELECT 1 FROM sends WHERE key = ?", (key,)).fetchone()
        return row is not None

    def record(self, key: str, message: str, masked: str, answer: str) -> None:
        """Remember an accepted send, at once (each send is its own transaction)."""
        with self.connection:
            self.connection.execute(
                "INSERT OR IGNORE INTO sends (key, message, masked, answer) VALUES (?, ?, ?, ?)",
                (key, message, masked, answer))

    def close(self) -> None:
        """Close the database."""
        self.connection.close()
