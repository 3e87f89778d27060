"""`toolkit deliver sms`: every message of the outbox to every recipient, once."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from toolkit.deliver.plan import Confirm
from toolkit.deliver.sms import Tally, deliver
from toolkit.lock import project_lock
from toolkit.project import open_project


def deliver_sms(project_dir: Path, recipients: Path, dry_run: bool,
                log: Callable[[str], None], confirm: Confirm | None = None) -> Tally:
    """Send what the ledger has not recorded as sent, under the project's lock; a dry run
    says what would go to whom; `confirm` is asked before the first send."""
    project = open_project(project_dir)
    with project_lock(project.root, "deliver sms"):
        return deliver(project, recipients, dry_run, log, confirm=confirm)
