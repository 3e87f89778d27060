"""A job packed for a worker that has the toolkit and nothing of the project: the same
bytes, made where the project is not; the machine's cores shared by the jobs on it."""

from __future__ import annotations

import io
import pickle
import subprocess
import sys
import threading
import time
from dataclasses import replace
from datetime import date
from functools import partial
from pathlib import Path

import pytest

import toolkit.build
from tests.conftest import EXAMPLE, write_unit
from toolkit import i18n
from toolkit.channels import channel
from toolkit.content.load import load_content
from toolkit.executors import render_one
from toolkit.executors.cores import cores
from toolkit.executors.shipping import (
    SITE,
    Packer,
    Shipped,
    _Unpickler,
    installation,
    run_shipped,
)
from toolkit.jobs import Job
from toolkit.problems import Problem, ProblemError
from toolkit.project import open_project

TODAY = date(2021, 3, 31)

RUN = """
import pickle, sys
from toolkit.executors.shipping import run_shipped
with open(sys.argv[1], "rb") as file:
    shipped, blobs = pickle.load(file)
with open(sys.argv[2], "wb") as file:
    pickle.dump(run_shipped(shipped, blobs), file)
"""


def planned(root: Path, name: str) -> list[Job]:
    """The jobs `name` plans for every unit of the project at `root`, as a build would."""
    project = open_project(root)
    content = load_content(project.root, project.content_dir)
    made = channel(name)
    context = toolkit.build.context_of(made, project, project.outbox_dir, TODAY, None)
    return made.plan(content.units, context)


@pytest.fixture
def dressed(project: Path) -> Path:
    """The test project with a font, a logo and a photo of its own: every kind of file a
    job reads from a project."""
    import fontpkg_be_vietnam_pro as package
    from PIL import Image

    (project / "fonts").mkdir()
    font = Path(package.ROOT) / "files" / "BeVietnamPro-Regular.ttf"
    (project / "fonts" / "chu.ttf").write_bytes(font.read_bytes())
    for name in ("leaflets", "video"):
        template = project / "templates" / name / "default.toml"
        template.write_text(template.read_text(encoding="utf-8").replace(
            'regular = "BeVietnamPro-Regular.ttf"', 'regular = "fonts/chu.ttf"'),
            encoding="utf-8")
    Image.new("RGB", (600, 200), "#0B5CAD").save(project / "logo.png")
    settings = project / "toolkit.toml"
    settings.write_text(settings.read_text(encoding="utf-8").replace(
        'logo = ""', 'logo = "logo.png"'), encoding="utf-8")
    Image.new("RGB", (4000, 3000), "#2E7D32").save(project / "content" / "anh.png")
    write_unit(project, "tan-phong", EXAMPLE.replace("publish:", "image: anh.png\npublish:"))
    return project


def run_elsewhere(shipped: Shipped, blobs: dict[str, bytes], folder: Path
                  ) -> tuple[bytes, ...] | ProblemError:
    """What a fresh Python process makes of a packed job."""
    sent, back = folder / "job.pickle", folder / "result.pickle"
    sent.write_bytes(pickle.dumps((shipped, blobs)))
    subprocess.run([sys.executable, "-c", RUN, str(sent), str(back)], check=True, cwd=folder)
    result: tuple[bytes, ...] | ProblemError = pickle.loads(back.read_bytes())
    return result


def pack(job: Job, root: Path) -> tuple[Shipped, dict[str, bytes]]:
    shipped, sources = Packer(root).pack(job)
    return shipped, {digest: path.read_bytes() for digest, path in sources.items()}


def test_a_packed_job_makes_the_same_bytes_where_the_project_is_not(
        dressed: Path, tmp_path: Path) -> None:
    leaflet = next(j for j in planned(dressed, "print")
                   if j.unit == "tan-phong" and j.paths[0].endswith("leaflet.pdf"))
    made_here = leaflet.render()
    shipped, blobs = pack(leaflet, dressed)

    assert dict(shipped.files).keys() == {"logo.png", "fonts/chu.ttf", "content/anh.png"}
    installed = {name for where, name, _ in shipped.installed if where == SITE}
    assert any(name.startswith("fontawesomefree/") for name in installed)  # pictograms
    assert any(name.startswith("fontpkg_be_vietnam_pro/") for name in installed)  # bold
    assert str(dressed).encode() not in shipped.render

    dressed.rename(dressed.with_name("gone"))
    elsewhere = tmp_path / "worker"
    elsewhere.mkdir()
    assert run_elsewhere(shipped, blobs, elsewhere) == made_here


def test_every_path_into_the_project_points_into_the_workers_folder(
        dressed: Path, tmp_path: Path) -> None:
    clip = next(j for j in planned(dressed, "video") if j.paths[0].endswith(".mp4"))
    shipped, _ = pack(clip, dressed)
    render = _Unpickler(io.BytesIO(shipped.render), tmp_path).load()

    paths = [a for a in render.args if isinstance(a, Path)]
    assert paths == [tmp_path, tmp_path / ".toolkit-cache" / "work"]  # project, scratch
    assert clip.threads == 2 and shipped.threads == 2


def test_clips_keep_two_cores_busy_and_every_other_job_one(project: Path) -> None:
    jobs = planned(project, "video") + planned(project, "print") + planned(project, "sms")
    threads = {job.paths[0].rsplit(".", 1)[-1]: job.threads for job in jobs}
    assert threads == {"mp4": 2, "srt": 1, "m3u8": 1, "pdf": 1, "csv": 1}


def raise_about(path: Path) -> tuple[bytes, ...]:
    raise ProblemError(Problem(str(path), None, "", f"{path} is broken", f"replace {path}"))


def test_a_problem_names_the_project_folder_not_the_workers(project: Path) -> None:
    photo = project / "content" / "anh.png"
    job = Job((), None, (), partial(raise_about, photo))
    shipped, blobs = pack(job, project)
    result = run_shipped(shipped, blobs)

    assert isinstance(result, ProblemError)
    assert result.problems == render_one(job.render).problems  # type: ignore[union-attr]


def test_a_worker_installed_otherwise_makes_nothing_and_says_what_differs(
        project: Path) -> None:
    poster = next(j for j in planned(project, "print") if "poster" in j.paths[0])
    shipped, blobs = pack(poster, project)
    versions = dict(shipped.versions) | {"reportlab": "3.0"}
    result = run_shipped(replace(shipped, versions=tuple(sorted(versions.items()))), blobs)

    assert isinstance(result, ProblemError)
    [problem] = result.problems
    ours = dict(installation())["reportlab"]
    assert problem.file.startswith("worker ")
    assert f"has reportlab {ours} where the computer running toolkit build has reportlab 3.0" \
        in problem.what
    assert "pip freeze" in problem.fix


def test_an_installed_file_with_other_bytes_is_said(project: Path) -> None:
    poster = next(j for j in planned(project, "print") if "poster" in j.paths[0])
    shipped, blobs = pack(poster, project)
    where, name, _ = shipped.installed[0]
    other = replace(shipped, installed=((where, name, "0" * 64), *shipped.installed[1:]))

    result = run_shipped(other, blobs)
    assert isinstance(result, ProblemError)
    assert [p.what for p in result.problems] == [
        f"{name} is not the same file as on the computer running toolkit build"]


def test_the_installation_names_what_the_bytes_depend_on() -> None:
    versions = dict(installation())
    assert {"python", "zlib", "cchc-toolkit", "reportlab", "pillow", "imageio-ffmpeg",
            "fontawesomefree", "fontpkg-be-vietnam-pro"} <= versions.keys()
    assert not {"pytest", "dask", "distributed"} & versions.keys()  # extras are not inputs


def test_problems_come_back_in_the_language_of_the_build(project: Path) -> None:
    i18n.use("vi")
    poster = next(j for j in planned(project, "print") if "poster" in j.paths[0])
    shipped, blobs = pack(poster, project)
    i18n.use("en")  # as a worker whose own language differs
    result = run_shipped(replace(shipped, versions=(("python", "2.7"),)), blobs)
    assert isinstance(result, ProblemError)
    assert "toolkit build" in result.problems[0].what
    assert "where the computer running" not in result.problems[0].what  # Vietnamese


def test_project_files_are_written_inside_the_jobs_folder_only(project: Path) -> None:
    job = Job((), None, (), partial(raise_about, project / "x"))
    shipped, _ = pack(job, project)
    sneaky = replace(shipped, files=(("../outside.txt", "d"),))
    with pytest.raises(ValueError, match="not a path inside the project"):
        run_shipped(sneaky, {"d": b"x"})


# The machine's cores, shared by the jobs running on it.

def test_a_job_waits_while_the_cores_it_takes_are_held(tmp_path: Path) -> None:
    taken, order = threading.Event(), []

    def clip() -> None:
        with cores(2, total=2, folder=tmp_path):
            taken.set()
            time.sleep(0.3)
            order.append("clip done")

    thread = threading.Thread(target=clip)
    thread.start()
    taken.wait()
    with cores(1, total=2, folder=tmp_path):
        order.append("leaflet started")
    thread.join()
    assert order == ["clip done", "leaflet started"]


def test_jobs_that_fit_run_side_by_side_and_a_big_job_takes_all_there_is(
        tmp_path: Path) -> None:
    with cores(1, total=2, folder=tmp_path), cores(1, total=2, folder=tmp_path):
        pass  # both at once: no wait
    with cores(8, total=2, folder=tmp_path) as held:
        assert held == 2


HOLD = """
import sys, time
from pathlib import Path
from toolkit.executors.cores import cores
with cores(2, total=2, folder=Path(sys.argv[1])):
    print("held", flush=True)
    time.sleep(60)
"""


def test_the_cores_of_a_killed_worker_are_free_again(tmp_path: Path) -> None:
    holder = subprocess.Popen([sys.executable, "-c", HOLD, str(tmp_path)],
                              stdout=subprocess.PIPE, text=True)
    assert holder.stdout is not None and holder.stdout.readline() == "held\n"
    holder.kill()
    holder.wait()
    with cores(2, total=2, folder=tmp_path) as held:
        assert held == 2
