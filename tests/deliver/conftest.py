"""The fake platforms of tests/deliver/fakes.py as fixtures."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.deliver.fakes import FakeGraph, FakeZalo, running_graph, running_oa, unset_pages


@pytest.fixture
def graph(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeGraph]:
    """The Graph API on 127.0.0.1, the Page set in the environment."""
    yield from running_graph(monkeypatch)


@pytest.fixture
def oa(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeZalo]:
    """Zalo's OA API on 127.0.0.1, the OA set in the environment."""
    yield from running_oa(monkeypatch)


@pytest.fixture
def no_pages(monkeypatch: pytest.MonkeyPatch) -> None:
    """No page set in the environment, whatever the machine has."""
    unset_pages(monkeypatch)
