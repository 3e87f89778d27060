"""Finding the project: the folder given, else the nearest folder above it with a
toolkit.toml, as git finds its repository."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from toolkit import i18n
from toolkit.problems import ProblemError
from toolkit.project import find_root, open_project

Run = Callable[..., tuple[int, str, str]]


def test_a_project_is_opened_from_inside_content(project: Path) -> None:
    inside = project / "content" / "thu-tuc"
    inside.mkdir()
    assert open_project(inside).root == project.resolve()
    assert open_project(project / "content").root == project.resolve()


def test_the_nearest_project_wins(project: Path) -> None:
    inner = project / "content" / "du-an-con"
    inner.mkdir()
    (inner / "toolkit.toml").write_bytes((project / "toolkit.toml").read_bytes())
    assert find_root(inner.resolve()) == inner.resolve()


def test_check_runs_from_inside_content(run: Run, project: Path,
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(project / "content")
    status, out, err = run("check")
    assert (status, err) == (0, "")
    assert out.strip() == "3 units, no problems"


def test_without_a_project_the_message_says_where_it_looked(tmp_path: Path) -> None:
    folder = tmp_path / "khong-phai-du-an"
    folder.mkdir()
    with pytest.raises(ProblemError) as raised:
        open_project(folder)
    [problem] = raised.value.problems
    assert problem.file == "toolkit.toml"
    assert problem.what == f"not found in {folder.resolve()} or in any folder above it"
    assert "toolkit init" in problem.fix and "--project" in problem.fix


def test_a_folder_that_does_not_exist_is_not_looked_above(project: Path) -> None:
    with pytest.raises(ProblemError) as raised:
        open_project(project / "khong-co")
    assert raised.value.problems[0].what == "is not a folder"


def test_the_message_in_vietnamese(tmp_path: Path) -> None:
    i18n.use("vi")
    with pytest.raises(ProblemError) as raised:
        open_project(tmp_path)
    assert str(raised.value.problems[0]) == (
        f"toolkit.toml: không có trong {tmp_path.resolve()} hay bất kỳ thư mục nào bên trên -> "
        "hãy chạy lệnh trong thư mục dự án (hoặc một thư mục bên trong), hoặc thêm --project "
        "DIR, hoặc tạo dự án mới bằng: toolkit init DIR")
