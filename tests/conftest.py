"""Fixtures: small projects made by the tests themselves."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.deliver.fakes import FakeGraph, FakeZalo, running_graph, running_oa, unset_pages
from toolkit import i18n, progress
from toolkit.cli import main
from toolkit.content import listing

PROCEDURE = """\
---
kind: procedure
title: "Đăng ký khai sinh trực tuyến"
summary: "Cha mẹ nộp hồ sơ trên Cổng dịch vụ công, nhận kết quả qua bưu điện."
publish: 2021-02-09
tags: ["hộ tịch"]
agency: "UBND cấp xã"
steps:
  - "Đăng nhập Cổng dịch vụ công."
  - "Điền tờ khai, tải giấy chứng sinh."
---

Theo Luật Hộ tịch, **60 ngày** kể từ ngày sinh.
"""



@pytest.fixture(autouse=True)
def quiet_progress(monkeypatch: pytest.MonkeyPatch) -> None:
    """No stage is long enough for a progress line, however slow the machine: tests read
    stderr for problems (tests/commands/test_progress.py sets its own threshold)."""
    monkeypatch.setattr(progress, "SHOW_AFTER_S", float("inf"))


@pytest.fixture(autouse=True)
def nothing_settled(monkeypatch: pytest.MonkeyPatch) -> None:
    """A build in a test never stops early because nothing changed: tests change the code
    between builds (monkeypatch), which no stamp of files sees. tests/test_unchanged.py
    lets files settle at once instead."""
    monkeypatch.setattr(listing, "SETTLED_NS", 10**20)


@pytest.fixture(autouse=True)
def english() -> None:
    """Tests read messages in English (the language of the code) unless they ask for
    Vietnamese, the default for users, with `i18n.use("vi")`."""
    i18n.use("en")


NOTICE = """\
---
kind: notice
title: "Tổng đài 1022 hỗ trợ người dân"
summary: "Gọi 1022 để được hướng dẫn thủ tục."
publish: 2021-02-08
hotline: "1022"
topics: ["Hướng dẫn thủ tục", "Tra cứu hồ sơ"]
---

Tổng đài làm việc giờ hành chính.
"""

EXAMPLE = """\
---
kind: example
title: "Một cửa hiện đại ở phường Tân Phong"
summary: "Phường Tân Phong rút ngắn thời gian chờ còn dưới 15 phút."
publish: 2021-02-26
organisation: "UBND phường Tân Phong"
results: ["Thời gian chờ dưới 15 phút"]
---

Câu chuyện.
"""


@pytest.fixture
def project(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    """A new project (toolkit init) with one unit of each kind."""
    root = tmp_path / "project"
    assert main(["init", str(root)]) == 0
    capsys.readouterr()
    fill_in_settings(root)
    write_unit(root, "khai-sinh", PROCEDURE)
    write_unit(root, "tong-dai-1022", NOTICE)
    write_unit(root, "tan-phong", EXAMPLE)
    return root


# What an office writes over the examples of a new toolkit.toml (`check` warns of those).
OFFICE = {'"Ủy ban nhân dân tỉnh"': '"Ủy ban nhân dân tỉnh Đồng Nai"',
          '"UBND tinh"': '"UBND DNai"', "https://example.gov.vn": "https://dongnai.gov.vn",
          'sender = "UBND"': 'sender = "DNAI"'}  # as long as the examples: SMS fit the same


def fill_in_settings(root: Path) -> None:
    """Put an office's own values in a new project's toolkit.toml."""
    path = root / "toolkit.toml"
    text = path.read_text("utf-8")
    for example, value in OFFICE.items():
        text = text.replace(example, value)
    path.write_text(text, "utf-8")


def write_unit(root: Path, name: str, text: str | bytes) -> Path:
    """Write content/<name>.md (text as UTF-8, or raw bytes)."""
    path = root / "content" / f"{name}.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, str):
        text = text.encode("utf-8")
    path.write_bytes(text)
    return path


@pytest.fixture
def run(capsys: pytest.CaptureFixture[str]) -> Callable[..., tuple[int, str, str]]:
    """Run the toolkit command in-process; returns (status, stdout, stderr)."""

    def _run(*args: str) -> tuple[int, str, str]:
        status = main(list(args))
        out, err = capsys.readouterr()
        return status, out, err

    return _run


@pytest.fixture
def sample_project(tmp_path: Path) -> Path:
    """A copy of this repository's own sample project."""
    repo = Path(__file__).resolve().parent.parent
    root = tmp_path / "sample"
    root.mkdir()
    shutil.copy(repo / "toolkit.toml", root / "toolkit.toml")
    shutil.copytree(repo / "content", root / "content")
    return root


# The fake platforms of tests/deliver/fakes.py (social delivery, and its faults).
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
