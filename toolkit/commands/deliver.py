"""`toolkit deliver sms`: every message of the outbox to every recipient, once.
`toolkit deliver social`: every post of the outbox to the office's pages, once."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from toolkit.deliver import social
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


def deliver_social(project_dir: Path, dry_run: bool, log: Callable[[str], None],
                   only: frozenset[str] = frozenset(), platforms: tuple[str, ...] = (),
                   confirm: social.Confirm | None = None) -> social.Tally:
    """Post what the ledger has not recorded as posted to the Facebook Page and the Zalo
    OA set in the environment, under the project's lock; a dry run says what would go
    where and when; `confirm` is asked before the first post."""
    project = open_project(project_dir)
    with project_lock(project.root, "deliver social"):
        return social.deliver(project, dry_run, log, only=only, platforms=platforms,
                              confirm=confirm)
