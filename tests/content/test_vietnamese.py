"""A few representative messages, read in Vietnamese: the language officers get unless
they ask for English."""

from __future__ import annotations

import errno
import os
from pathlib import Path

from tests.conftest import PROCEDURE
from tests.content.test_load import BAD_INPUTS, edit, only_problem, problems_of
from toolkit import i18n
from toolkit.content.model import KIND_LABELS, kind_label
from toolkit.lock import _held_by
from toolkit.outbox import unwritable


def test_kinds_have_vietnamese_labels() -> None:
    assert set(KIND_LABELS) == {"procedure", "example", "notice"}
    assert kind_label("example") == "model example"
    i18n.use("vi")
    assert [kind_label(k) for k in ("procedure", "example", "notice", "khac")] == [
        "thủ tục", "gương điển hình", "thông báo", "khac"]


def test_loader_problems_in_vietnamese() -> None:
    i18n.use("vi")
    unknown = next(p for p in problems_of(BAD_INPUTS["unknown-field"][1]) if p.field == "titel")
    assert str(unknown) == ("content/khai-sinh.md:3: titel: không phải là trường của bài thủ tục "
                            "-> có phải ý bạn là title?")
    missing = {p.field: p for p in problems_of(BAD_INPUTS["procedure-missing-fields"][1])}
    assert missing["agency"].what == "còn thiếu"
    assert missing["agency"].fix == 'ghi cơ quan thực hiện, ví dụ agency: "UBND cấp xã"'
    control = only_problem(edit(PROCEDURE, "kể từ", "kể\x1b từ"))
    assert control.what == ("U+001B ESC ở cột 34 là ký tự điều khiển vô hình, tin RSS và tệp PDF "
                            "đều không chứa được")


def test_lock_and_disk_refusals_in_vietnamese(tmp_path: Path) -> None:
    i18n.use("vi")
    held = _held_by((os.getpid(), "2021-02-09 08:30:00", "build"))
    assert str(held).startswith("dự án: một lệnh toolkit khác đang ghi vào dự án này: toolkit "
                                f"build (tiến trình {os.getpid()}, bắt đầu lúc 09/02/2021 "
                                "08:30:00) -> chờ lệnh đó chạy xong rồi chạy lại lệnh này")
    full = unwritable("outbox/print/a.pdf", OSError(errno.ENOSPC, "No space"), 3_200_000,
                      tmp_path)
    assert full.what.startswith("không ghi được: ổ đĩa đã đầy (tệp cần 3,2 MB, ổ chỉ còn trống ")
    assert full.fix.startswith("giải phóng bớt dung lượng trên ổ đĩa đó rồi chạy lại lệnh này")


def test_a_yaml_mistake_is_explained_in_vietnamese() -> None:
    i18n.use("vi")
    problem = only_problem(BAD_INPUTS["yaml-unclosed-quote"][1])
    assert problem.what == ("phần khai báo ở đầu bài không đúng cú pháp YAML (dòng này không "
                            "thể bắt đầu một trường: kiểm tra thụt lề, và xem mọi dấu ngoặc kép "
                            "phía trên đã được đóng chưa, trong đoạn bắt đầu từ dòng 2)")
