"""The build: every channel asked for, unchanged work skipped, broken units reported."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

import toolkit.build
from tests.conftest import EXAMPLE, PROCEDURE, write_unit

Run = Callable[..., tuple[int, str, str]]
TODAY = "2021-03-31"


# Video encodes are slow: these tests build the other channels (video is tested in
# tests/channels/test_video.py).
FAST_CHANNELS = ("--channel", "print", "--channel", "sms", "--channel", "rss")


def build(run: Run, project: Path, *extra: str) -> tuple[int, str, str]:
    channels = () if "--channel" in extra else FAST_CHANNELS
    return run("build", "--project", str(project), "--today", TODAY, *channels, *extra)


def outbox_files(project: Path) -> dict[str, bytes]:
    root = project / "outbox"
    return {p.relative_to(root).as_posix(): p.read_bytes()
            for p in sorted(root.rglob("*")) if p.is_file()}


def mtimes(project: Path) -> dict[str, int]:
    root = project / "outbox"
    return {p.relative_to(root).as_posix(): p.stat().st_mtime_ns
            for p in root.rglob("*") if p.is_file()}


def test_sample_project_builds_every_fast_channel(sample_project: Path, run: Run) -> None:
    status, out, err = build(run, sample_project)
    assert (status, err) == (0, "")
    files = set(outbox_files(sample_project))
    assert {"rss/feed.xml", "rss/procedure.xml", "rss/example.xml", "rss/notice.xml",
            "rss/manifest.json", "sms/messages.csv", "sms/manifest.json",
            "print/manifest.json"} < files
    leaflets = {f for f in files if f.endswith("-leaflet.pdf")}
    assert len(leaflets) == 10  # every unit but the two that ask for no print
    assert out.strip() == f"built {5 + 3 * len(leaflets)}, up to date 0"


def test_same_content_gives_the_same_bytes_in_another_folder(sample_project: Path, run: Run,
                                                             tmp_path: Path) -> None:
    other = tmp_path / "elsewhere"
    shutil.copytree(sample_project, other)
    build(run, sample_project)
    build(run, other, "--jobs", "2")
    assert outbox_files(sample_project) == outbox_files(other)


def test_forced_rebuild_gives_the_same_bytes(project: Path, run: Run) -> None:
    build(run, project)
    before = outbox_files(project)
    status, out, _ = build(run, project, "--force")
    assert status == 0 and out.startswith("built 14,")  # 5 text files, 3 print jobs a unit
    assert outbox_files(project) == before


def test_rebuild_with_nothing_changed_rewrites_nothing(project: Path, run: Run) -> None:
    build(run, project)
    before = mtimes(project)
    status, out, err = build(run, project)
    assert (status, out.strip(), err) == (0, "built 0, up to date 14", "")
    assert mtimes(project) == before


def test_editing_one_unit_rebuilds_only_what_contains_it(project: Path, run: Run) -> None:
    build(run, project)
    write_unit(project, "khai-sinh", PROCEDURE.replace("60 ngày", "sáu mươi ngày"))
    status, out, _ = build(run, project)
    # feed.xml and procedure.xml hold the procedure; messages.csv does too (its inputs
    # changed, though its text did not); its leaflet and two posters; not the rest.
    assert (status, out.strip()) == (0, "built 6, up to date 8")


@pytest.mark.parametrize("change", ["settings", "template", "version"])
def test_settings_template_or_version_change_rebuilds(project: Path, run: Run, change: str,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    build(run, project)
    if change == "settings":
        toml = project / "toolkit.toml"
        toml.write_text(toml.read_text(encoding="utf-8").replace(
            'title = "Cải cách hành chính"', 'title = "Cải cách hành chính tỉnh"'),
            encoding="utf-8")
    elif change == "template":
        template = project / "templates" / "sms" / "default.toml"
        template.write_text(template.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    else:
        monkeypatch.setattr(toolkit.build, "__version__", "99.0")
    _, out, _ = build(run, project)
    expected = {"settings": "built 14,", "template": "built 1,", "version": "built 14,"}[change]
    assert out.startswith(expected)


def test_a_broken_unit_is_reported_and_the_others_are_built(project: Path, run: Run) -> None:
    write_unit(project, "hong", "---\nkind: procedure\ntitle: [unclosed\n---\n")
    status, out, err = build(run, project)
    assert status == 1
    assert err.startswith("content/hong.md:4: front matter is not valid YAML")
    assert "begins on line 3" in err
    assert "Traceback" not in err
    assert "failed 1" in out
    feed = (project / "outbox" / "rss" / "feed.xml").read_text(encoding="utf-8")
    assert "Đăng ký khai sinh trực tuyến" in feed


def test_deleted_units_leave_the_outbox_and_broken_units_keep_their_files(
        project: Path, run: Run) -> None:
    build(run, project)
    fake = {"gone": "gone/leaflet.pdf", "khai-sinh": "khai-sinh/leaflet.pdf"}
    _add_manifest_items(project, "sms", fake)
    write_unit(project, "khai-sinh", "---\nkind: procedure\n---\n")  # now broken
    status, _, _ = build(run, project)
    assert status == 1
    sms = project / "outbox" / "sms"
    assert not (sms / "gone" / "leaflet.pdf").exists()
    assert (sms / "khai-sinh" / "leaflet.pdf").exists()
    listed = [i["path"] for i in json.loads((sms / "manifest.json").read_text())["items"]]
    assert listed == ["khai-sinh/leaflet.pdf", "messages.csv"]


def _add_manifest_items(project: Path, channel: str, files: dict[str, str]) -> None:
    folder = project / "outbox" / channel
    manifest = json.loads((folder / "manifest.json").read_text())
    for unit, path in files.items():
        (folder / path).parent.mkdir(parents=True, exist_ok=True)
        (folder / path).write_bytes(b"%PDF")
        manifest["items"].append({"unit": unit, "path": path, "sha256": "0", "bytes": 4,
                                  "inputs": "old"})
    (folder / "manifest.json").write_text(json.dumps(manifest))


def test_only_builds_the_files_that_hold_that_unit(project: Path, run: Run) -> None:
    status, out, _ = build(run, project, "--only", "tan-phong", "--channel", "rss",
                           "--channel", "sms")
    assert (status, out.strip()) == (0, "built 2, up to date 0")
    assert sorted(outbox_files(project)) == ["rss/example.xml", "rss/feed.xml",
                                             "rss/manifest.json", "sms/manifest.json",
                                             "units.json"]


def test_only_with_an_unknown_id_is_a_problem(project: Path, run: Run) -> None:
    status, _, err = build(run, project, "--only", "khong-co")
    assert status == 1
    assert "no unit has the id 'khong-co'" in err


def test_channel_limits_the_build(project: Path, run: Run) -> None:
    status, _, _ = build(run, project, "--channel", "rss")
    assert status == 0
    assert not (project / "outbox" / "sms").exists()


@pytest.mark.parametrize("channel, message", [("fax", "not a channel"),
                                              ("bulletin", "toolkit bulletin")])
def test_unknown_or_unbuilt_channel_is_a_usage_error(project: Path, run: Run, channel: str,
                                                     message: str) -> None:
    status, _, err = build(run, project, "--channel", channel)
    assert status == 2 and message in err


def test_missing_project_is_a_clear_error(tmp_path: Path, run: Run) -> None:
    status, _, err = build(run, tmp_path)
    assert status == 1
    assert "toolkit.toml: not found" in err and "toolkit init" in err


def test_building_rss_loads_nothing_that_renders_other_channels(project: Path) -> None:
    """The registry knows every channel, but only what the feed renders with is loaded."""
    code = ("import sys; from toolkit.cli import main; "
            f"main(['build', '--project', {str(project)!r}, '--channel', 'rss']); "
            "print(sorted({m.split('.')[0] for m in sys.modules} & "
            "{'reportlab', 'moviepy', 'PIL', 'docx', 'requests', 'pypdfium2', 'imageio_ffmpeg'}))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout
    assert out.strip().splitlines()[-1] == "[]"


def test_jobs_must_be_positive(project: Path, run: Run) -> None:
    status, _, err = build(run, project, "--jobs", "0")
    assert status == 2 and "--jobs" in err


@pytest.mark.parametrize("template, field", [
    ('patterns = ["{title} {nope}"]\n', "patterns"),
    ('patterns = []\n', "patterns"),
    ('patterns = ["{title}"]\nfile = "../x.csv"\n', "file"),
    ('patterns = ["{title"]\n', "patterns"),
    ('patterns = "not a list', ""),
])
def test_a_broken_template_is_a_problem_naming_it(project: Path, run: Run, template: str,
                                                   field: str) -> None:
    (project / "templates" / "sms" / "default.toml").write_text(template, encoding="utf-8")
    status, _out, err = build(run, project)
    assert status == 1
    assert re.match(rf"templates/sms/default.toml(:\d+)?: {field}", err), err
    assert "Traceback" not in err
    assert (project / "outbox" / "rss" / "feed.xml").exists()  # the other channel still built
    assert not (project / "outbox" / "sms").exists()


def test_an_unwritable_outbox_is_a_clear_error(project: Path, run: Run) -> None:
    (project / "outbox").write_text("not a folder", encoding="utf-8")
    status, _, err = build(run, project)
    assert status == 1
    assert err.startswith("outbox/") and "a file stands where its folder should be" in err
    assert "Traceback" not in err


def test_a_second_build_waits_its_turn(project: Path, run: Run) -> None:
    from toolkit.lock import project_lock

    with project_lock(project, "build"):
        code = ("import sys; from toolkit.cli import main; "
                f"sys.exit(main(['build', '--project', {str(project)!r}, '--channel', 'rss']))")
        other = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert other.returncode == 1
    assert "another toolkit command is writing to this project" in other.stderr
    assert not (project / "outbox" / "rss").exists()
    assert build(run, project, "--channel", "rss")[0] == 0  # the lock went with its holder


# --- declared inputs: a file a job reads rebuilds exactly the jobs that read it ----


def _font(name: str) -> bytes:
    import fontpkg_be_vietnam_pro as package

    return (Path(package.ROOT) / "files" / name).read_bytes()


def _picture(path: Path, colour: str) -> None:
    from PIL import Image

    Image.new("RGB", (4000, 3000), colour).save(path)  # enough pixels to cover a panel


def _print_build(run: Run, project: Path) -> str:
    status, out, err = build(run, project, "--channel", "print", "--jobs", "1")
    assert status == 0, err
    return out.strip()


def test_replacing_a_project_font_rebuilds_what_uses_it(project: Path, run: Run) -> None:
    (project / "fonts").mkdir()
    (project / "fonts" / "chu.ttf").write_bytes(_font("BeVietnamPro-Regular.ttf"))
    template = project / "templates" / "leaflets" / "default.toml"
    template.write_text(template.read_text(encoding="utf-8").replace(
        'regular = "BeVietnamPro-Regular.ttf"', 'regular = "fonts/chu.ttf"'), encoding="utf-8")
    assert _print_build(run, project) == "built 9, up to date 0"  # 3 units × leaflet, 2 posters
    assert _print_build(run, project) == "built 0, up to date 9"

    (project / "fonts" / "chu.ttf").write_bytes(_font("BeVietnamPro-Light.ttf"))
    assert _print_build(run, project) == "built 9, up to date 0"


def test_replacing_the_logo_rebuilds_every_print_file(project: Path, run: Run) -> None:
    _picture(project / "logo.png", "#0B5CAD")
    settings = project / "toolkit.toml"
    settings.write_text(settings.read_text(encoding="utf-8").replace('logo = ""',
                                                                      'logo = "logo.png"'),
                        encoding="utf-8")
    assert _print_build(run, project) == "built 9, up to date 0"
    _picture(project / "logo.png", "#C62828")
    assert _print_build(run, project) == "built 9, up to date 0"
    assert _print_build(run, project) == "built 0, up to date 9"


def test_replacing_a_photo_rebuilds_its_leaflet_only(project: Path, run: Run) -> None:
    _picture(project / "content" / "anh.png", "#2E7D32")
    write_unit(project, "tan-phong", EXAMPLE.replace("publish:", "image: anh.png\npublish:"))
    assert _print_build(run, project) == "built 9, up to date 0"
    _picture(project / "content" / "anh.png", "#6A1B9A")
    assert _print_build(run, project) == "built 1, up to date 8"
