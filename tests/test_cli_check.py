"""`toolkit check`, `toolkit new` and `toolkit init` as an editor runs them."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import PROCEDURE, write_unit
from tests.content.test_load import BAD_INPUTS
from toolkit.content.load import load_content
from toolkit.content.model import Procedure

Run = Callable[..., tuple[int, str, str]]
PROBLEM_LINE = re.compile(r"^(content/[^:]+\.md)(:\d+)?: ")


def _fill(text: str, field: str, value: str) -> str:
    """The scaffold with `field: ""` (or `field: []`) replaced by `field: value`."""
    line = re.compile(rf'^{field}: (""|\[\])', re.MULTILINE)
    assert line.search(text), f"no empty {field} in the scaffold"
    return line.sub(lambda _: f"{field}: {value}", text, count=1)


@pytest.fixture
def project(project: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    """The conftest project, minus what `toolkit init` printed while making it."""
    capsys.readouterr()
    return project


# --- check --------------------------------------------------------------------


def test_check_of_a_good_project(run: Run, project: Path) -> None:
    status, out, err = run("check", "--project", str(project))
    assert status == 0
    assert out.strip() == "3 units, no problems"
    assert err == ""


def test_check_with_several_broken_files(run: Run, project: Path) -> None:
    write_unit(project, "a-thieu-truong", "---\nkind: procedure\n---\n")
    write_unit(project, "b-sai-ngay", PROCEDURE.replace("2021-02-09", "2021-02-30"))
    write_unit(project, "c-cp1258", PROCEDURE.encode("utf-8").replace(b"\xc3\xbd", b"\xfd"))
    status, out, err = run("check", "--project", str(project))
    assert status == 1
    lines = err.splitlines()
    files = [PROBLEM_LINE.match(line)[1] for line in lines]  # type: ignore[index]
    # Every problem of every file: five missing fields, one date, one encoding.
    assert files == ["content/a-thieu-truong.md"] * 5 + ["content/b-sai-ngay.md",
                                                         "content/c-cp1258.md"]
    assert {line.split(": ")[1] for line in lines[:5]} == {
        "title", "summary", "publish", "agency", "steps"}
    assert "2021-02-30" in lines[5]
    assert "not UTF-8" in lines[6]
    assert all(" -> " in line for line in lines)
    assert "7 problems in 3 files; 3 units are fine" in out


def test_check_reports_duplicate_ids_in_both_files(run: Run, project: Path) -> None:
    write_unit(project, "khai-sinh-2", PROCEDURE.replace("kind: procedure",
                                                         "kind: procedure\nid: khai-sinh"))
    status, out, err = run("check", "--project", str(project))
    assert status == 1
    lines = err.splitlines()
    assert len(lines) == 2
    assert lines[0].startswith("content/khai-sinh-2.md: id: ")
    assert "content/khai-sinh.md" in lines[0]
    assert lines[1].startswith("content/khai-sinh.md: id: ")
    assert "content/khai-sinh-2.md" in lines[1]
    assert "2 units are fine" in out


@pytest.mark.parametrize("case", sorted(BAD_INPUTS))
def test_check_of_bad_input_reports_without_traceback(run: Run, project: Path,
                                                      case: str) -> None:
    stem, data, fields = BAD_INPUTS[case]
    name = stem if case == "stem-not-an-id" else f"bad-{case}"
    write_unit(project, name, data)
    status, out, err = run("check", "--project", str(project))
    assert status == 1
    assert "Traceback" not in out + err
    lines = err.splitlines()
    assert lines
    assert all(line.startswith(f"content/{name}.md") for line in lines)
    assert all(" -> " in line for line in lines)
    for field in fields - {""}:
        assert any(f": {field}: " in line for line in lines), field
    assert "3 units are fine" in out


def test_check_without_toolkit_toml(run: Run, tmp_path: Path) -> None:
    status, out, err = run("check", "--project", str(tmp_path))
    assert status == 1
    assert "Traceback" not in out + err
    assert "toolkit.toml" in err
    assert "not found" in err
    assert "toolkit init" in err


def test_check_with_invalid_toml(run: Run, project: Path) -> None:
    settings = project / "toolkit.toml"
    text = settings.read_text(encoding="utf-8")
    settings.write_text(text + '\n[rss\ntitle = "x"\n', encoding="utf-8")
    status, out, err = run("check", "--project", str(project))
    assert status == 1
    assert "Traceback" not in out + err
    bad_line = text.count("\n") + 2  # where the TOML goes wrong: the unclosed [rss
    assert err.startswith(f"toolkit.toml:{bad_line}: is not valid TOML (near column 5)")


def test_check_with_a_missing_section(run: Run, project: Path) -> None:
    settings = project / "toolkit.toml"
    text = settings.read_text(encoding="utf-8")
    without_rss = re.sub(r"^\[rss\]\n(?:(?!\[).*\n)*", "", text, flags=re.MULTILINE)
    assert "[rss]" in text and "[rss]" not in without_rss
    settings.write_text(without_rss, encoding="utf-8")
    status, out, err = run("check", "--project", str(project))
    assert status == 1
    assert "Traceback" not in out + err
    assert err.startswith("toolkit.toml: rss: is missing")  # no line: it is not there


def test_check_with_a_bad_setting_names_the_field(run: Run, project: Path) -> None:
    settings = project / "toolkit.toml"
    text = settings.read_text(encoding="utf-8")
    bad = re.sub(r"^timezone = .*$", 'timezone = "Mars/Olympus"', text, flags=re.MULTILINE)
    assert bad != text
    settings.write_text(bad, encoding="utf-8")
    status, _, err = run("check", "--project", str(project))
    assert status == 1
    line = text[:text.index("timezone = ")].count("\n") + 1
    assert f"toolkit.toml:{line}: organisation.timezone: 'Mars/Olympus' is not a time zone" in err


# --- new --------------------------------------------------------------------------


def test_new_procedure_writes_a_scaffold(run: Run, project: Path) -> None:
    status, out, _err = run("new", "procedure", "Đăng ký kết hôn", "--project", str(project))
    assert status == 0
    assert out.strip() == "content/dang-ky-ket-hon.md"
    text = (project / "content" / "dang-ky-ket-hon.md").read_text(encoding="utf-8")
    assert text.startswith("---\n")
    assert re.search(r'^title: "Đăng ký kết hôn"', text, re.MULTILINE)
    assert re.search(r'^id: "dang-ky-ket-hon"', text, re.MULTILINE)
    assert re.search(r"^kind: procedure\b", text, re.MULTILINE)


def test_new_procedure_scaffold_has_every_field(run: Run, project: Path) -> None:
    run("new", "procedure", "Đăng ký kết hôn", "--project", str(project))
    text = (project / "content" / "dang-ky-ket-hon.md").read_text(encoding="utf-8")
    fields = set(Procedure.model_fields) - {"body", "source", "fingerprint", "lines", "shorts"}
    assert len(fields) == 24
    missing = {f for f in fields if not re.search(rf"^{f}:", text, re.MULTILINE)}
    assert missing == set()


@pytest.mark.parametrize("kind", ["example", "notice"])
def test_new_scaffold_of_other_kinds_has_every_field(run: Run, project: Path, kind: str) -> None:
    from toolkit.content.model import MODELS

    run("new", kind, "Mô hình mới", "--project", str(project))
    text = (project / "content" / "mo-hinh-moi.md").read_text(encoding="utf-8")
    fields = set(MODELS[kind].model_fields) - {"body", "source", "fingerprint", "lines",
                                               "shorts"}
    assert {f for f in fields if not re.search(rf"^{f}:", text, re.MULTILINE)} == set()


def test_new_twice_fails_and_keeps_the_file(run: Run, project: Path) -> None:
    assert run("new", "procedure", "Đăng ký kết hôn", "--project", str(project))[0] == 0
    path = project / "content" / "dang-ky-ket-hon.md"
    path.write_text(path.read_text(encoding="utf-8") + "\nĐã sửa.\n", encoding="utf-8")
    edited = path.read_bytes()
    status, out, err = run("new", "procedure", "Đăng ký kết hôn", "--project", str(project))
    assert status == 2
    assert "exists already" in err
    assert "Traceback" not in out + err
    assert path.read_bytes() == edited


def test_fresh_scaffold_fails_check_with_clear_problems(run: Run, project: Path) -> None:
    run("new", "procedure", "Đăng ký kết hôn", "--project", str(project))
    status, out, err = run("check", "--project", str(project))
    assert status == 1
    lines = err.splitlines()
    assert all(line.startswith("content/dang-ky-ket-hon.md:") for line in lines)
    by_field = {line.split(": ")[1]: line for line in lines}
    assert set(by_field) == {"summary", "agency", "steps"}
    assert "is empty" in by_field["summary"]
    assert "is empty" in by_field["agency"]
    assert "at least one" in by_field["steps"]
    assert "3 units are fine" in out


def test_filled_scaffold_passes_check(run: Run, project: Path) -> None:
    run("new", "procedure", "Đăng ký kết hôn", "--project", str(project))
    path = project / "content" / "dang-ky-ket-hon.md"
    text = path.read_text(encoding="utf-8")
    text = _fill(text, "summary", '"Hai bên nam nữ nộp hồ sơ trực tuyến, nhận kết quả tại xã."')
    text = _fill(text, "agency", '"UBND cấp xã"')
    text = _fill(text, "steps", '\n  - "Nộp tờ khai trực tuyến."\n  - "Nhận giấy chứng nhận."')
    path.write_text(text, encoding="utf-8")
    status, out, err = run("check", "--project", str(project))
    assert err == ""
    assert status == 0
    assert out.strip() == "4 units, no problems"
    unit = next(u for u in load_content(project, project / "content").units
                if u.id == "dang-ky-ket-hon")
    assert unit.steps == ("Nộp tờ khai trực tuyến.", "Nhận giấy chứng nhận.")
    assert unit.title == "Đăng ký kết hôn"


@pytest.mark.parametrize("kind", ["procedure", "example", "notice"])
def test_a_new_unit_is_a_draft_and_says_how_to_publish_it(run: Run, project: Path,
                                                          kind: str) -> None:
    run("new", kind, "Bài mới", "--project", str(project))
    text = (project / "content" / "bai-moi.md").read_text(encoding="utf-8")
    assert re.search(r"^status: draft$", text, re.MULTILINE)
    before = text.split("\nstatus: draft")[0].rsplit("\n", 2)[-2:]
    assert all(line.startswith("# ") for line in before)  # the comment just above it
    assert "status: ready" in before[-1] and "xóa dòng" in before[-1]


@pytest.mark.parametrize("kind", ["procedure", "example", "notice"])
def test_the_scaffold_explains_itself_in_vietnamese(run: Run, project: Path, kind: str) -> None:
    run("new", kind, "Bài mới", "--project", str(project))
    text = (project / "content" / "bai-moi.md").read_text(encoding="utf-8")
    comments = [line.split("# ", 1)[1] for line in text.split("\n---\n")[0].splitlines()
                if "# " in line]
    english = re.compile(r"\b(the|and|is|of|to|a|an|or|with|for|write|fill)\b")
    assert len(comments) > 15 and not [c for c in comments if english.search(c)]


def test_a_filled_draft_is_loaded_as_a_draft_until_it_is_ready(run: Run, project: Path) -> None:
    run("new", "notice", "Giờ làm việc", "--project", str(project))
    path = project / "content" / "gio-lam-viec.md"
    text = _fill(path.read_text(encoding="utf-8"), "summary", '"Giờ làm việc mới."')
    path.write_text(text, encoding="utf-8")
    assert run("check", "--project", str(project))[0] == 0

    def loaded() -> bool:
        units = load_content(project, project / "content").units
        return next(u for u in units if u.id == "gio-lam-viec").is_draft

    assert loaded()
    path.write_text(text.replace("status: draft", "status: ready"), encoding="utf-8")
    assert not loaded()
    path.write_text(text.replace("\nstatus: draft", ""), encoding="utf-8")
    assert not loaded()


def test_scaffold_of_an_all_digit_title_has_a_usable_id(run: Run, project: Path) -> None:
    assert run("new", "notice", "1022", "--project", str(project))[0] == 0
    _, _, err = run("check", "--project", str(project))
    assert not any(": id: " in line for line in err.splitlines())


def test_new_with_an_explicit_id(run: Run, project: Path) -> None:
    status, out, _ = run("new", "notice", "Tổng đài", "--id", "tong-dai-moi",
                         "--project", str(project))
    assert status == 0
    assert out.strip() == "content/tong-dai-moi.md"


def test_new_with_a_title_without_letters(run: Run, project: Path) -> None:
    status, _, err = run("new", "notice", "!!!", "--project", str(project))
    assert status == 2
    assert "--id" in err
    assert len(list((project / "content").glob("*.md"))) == 3  # nothing new written


def test_new_without_a_project(run: Run, tmp_path: Path) -> None:
    status, _out, err = run("new", "procedure", "Đăng ký kết hôn", "--project", str(tmp_path))
    assert status == 1
    assert "toolkit.toml" in err and "toolkit init" in err
    assert not (tmp_path / "content").exists()


# --- init -------------------------------------------------------------------------


def test_init_makes_a_project_that_checks(run: Run, tmp_path: Path) -> None:
    status, out, _ = run("init", str(tmp_path / "p"))
    assert status == 0
    assert (tmp_path / "p" / "toolkit.toml").is_file()
    assert (tmp_path / "p" / "content").is_dir()
    status, out, err = run("check", "--project", str(tmp_path / "p"))
    # the examples of a new toolkit.toml are warned of, and fail nothing
    assert status == 0 and out.startswith("0 units, no problems"), out
    assert "warning: publish.site_url: 'https://example.gov.vn'" in err


def test_init_over_an_existing_project_fails(run: Run, project: Path) -> None:
    settings = project / "toolkit.toml"
    settings.write_text(settings.read_text(encoding="utf-8") + "# mine\n", encoding="utf-8")
    before = settings.read_bytes()
    status, out, err = run("init", str(project))
    assert status == 2
    assert "exists already" in err
    assert "Traceback" not in out + err
    assert settings.read_bytes() == before


# --- the repository's own sample ------------------------------------------------------


def test_sample_project_passes_check(run: Run, sample_project: Path) -> None:
    status, out, err = run("check", "--project", str(sample_project))
    assert err == ""
    assert status == 0
    assert re.fullmatch(r"\d+ units, no problems\n", out)


def test_sample_project_has_enough_content(sample_project: Path) -> None:
    content = load_content(sample_project, sample_project / "content")
    assert content.problems == []
    assert len(content.units) >= 10
    assert {u.kind for u in content.units} == {"procedure", "example", "notice"}
    for unit in content.units:
        assert (unit.publish.year, unit.publish.month) in ((2021, 2), (2021, 3)), unit.id

