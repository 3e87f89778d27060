"""`toolkit build --executor dask`: a Dask cluster of worker processes (a LocalCluster)
makes the bytes a local build makes, recovers a killed worker, reports a job's problem
as a local build does, and says plainly when it cannot be used."""

from __future__ import annotations

import logging
import os
import shutil
import signal
import socket
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path

import dask
import pytest
from distributed import LocalCluster

from tests.conftest import PROCEDURE, write_unit
from tests.test_build import outbox_files
from toolkit import i18n
from toolkit.channels import print_pdf, sms
from toolkit.executors import cluster as dask_executor
from toolkit.jobs import Job

Run = Callable[..., tuple[int, str, str]]
TODAY = "2021-03-31"
FAST = ("--channel", "print", "--channel", "rss", "--channel", "sms")
LONG_STEPS = "\n".join(f'  - "Bước {i}: chuẩn bị đầy đủ giấy tờ, nộp hồ sơ trực tuyến, '
                       f'theo dõi tình trạng và nhận kết quả qua bưu điện."' for i in range(40))


@pytest.fixture(scope="module")
def scheduler() -> Iterator[str]:
    """The address of a cluster of two single-threaded worker processes, as a machine of
    two cores would run (`dask worker --nworkers 2 --nthreads 1`), whose scheduler gives
    up on a job after its worker died twice (the default: 4 times)."""
    with dask.config.set({"distributed.scheduler.allowed-failures": 1}), \
            LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                         dashboard_address=":0", silence_logs=logging.ERROR) as cluster:
        yield cluster.scheduler_address


def twin(project: Path) -> Path:
    """A copy of `project` in another folder, for the other build."""
    copy = project.with_name(project.name + "-twin")
    shutil.copytree(project, copy)
    return copy


def build_both(run: Run, project: Path, scheduler: str, *extra: str
               ) -> tuple[tuple[int, str, str], tuple[int, str, str], Path]:
    """The project built here with two worker processes, and its twin on the cluster."""
    other = twin(project)
    here = run("build", "--project", str(project), "--today", TODAY, "--jobs", "2", *extra)
    there = run("build", "--project", str(other), "--today", TODAY, "--executor", "dask",
                "--scheduler", scheduler, *extra)
    return here, there, other


def test_the_cluster_makes_the_bytes_a_local_build_makes(sample_project: Path, run: Run,
                                                         scheduler: str) -> None:
    here, there, other = build_both(run, sample_project, scheduler, *FAST)
    assert here[0] == there[0] == 0, (here, there)
    assert here[1] == there[1]  # built 32, up to date 0
    assert outbox_files(other) == outbox_files(sample_project)  # manifests included


@pytest.mark.slow  # encodes: six clips here and six on the cluster
def test_every_channel_of_a_unit_of_each_kind_made_on_the_cluster_is_the_same(
        sample_project: Path, run: Run, scheduler: str) -> None:
    # The whole sample's 22 clips would take minutes more of CI, and prove nothing more.
    each_kind = ("--only", "dang-ky-khai-sinh-truc-tuyen", "--only",
                 "mot-cua-hien-dai-phuong-tan-phong", "--only", "tong-dai-dich-vu-cong-1022")
    here, there, other = build_both(run, sample_project, scheduler, *each_kind)
    assert here[0] == there[0] == 0, (here, there)
    assert any(path.endswith(".mp4") for path in outbox_files(other))
    assert outbox_files(other) == outbox_files(sample_project)


@dataclass(frozen=True)
class DiesOnce:
    """A render that kills the worker process running it the first time (the marker file
    tells), as the OOM killer or a pulled plug would; then renders."""

    marker: str
    render: Callable[[], tuple[bytes, ...]]

    def __call__(self) -> tuple[bytes, ...]:
        if not os.path.exists(self.marker):
            Path(self.marker).write_text(str(os.getpid()))
            os.kill(os.getpid(), signal.SIGKILL)
        return self.render()


def test_a_worker_killed_mid_job_is_replaced_and_the_bytes_are_right(
        sample_project: Path, run: Run, scheduler: str, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    local = twin(sample_project)
    assert run("build", "--project", str(local), "--today", TODAY, *FAST)[0] == 0

    marker = tmp_path / "died"
    planned = print_pdf.CHANNEL.plan

    def plan_with_a_fatal_job(*args: object) -> list[Job]:
        jobs: list[Job] = planned(*args)  # type: ignore[arg-type]
        return [replace(jobs[0], render=DiesOnce(str(marker), jobs[0].render)), *jobs[1:]]

    monkeypatch.setattr(print_pdf.CHANNEL, "plan", plan_with_a_fatal_job)
    status, _out, err = run("build", "--project", str(sample_project), "--today", TODAY,
                           "--scheduler", scheduler, *FAST)

    assert status == 0, err
    assert marker.exists()  # a worker did die, mid-job
    assert outbox_files(sample_project) == outbox_files(local)
    assert not [p for p in (sample_project / "outbox").rglob("*") if ".partial-" in p.name]


@dataclass(frozen=True)
class AlwaysDies:
    """A render that kills the worker process running it, every time."""

    def __call__(self) -> tuple[bytes, ...]:
        os.kill(os.getpid(), signal.SIGKILL)
        raise AssertionError("unreachable")


def test_a_job_whose_worker_dies_each_time_is_a_problem_and_the_build_goes_on(
        project: Path, run: Run, scheduler: str, monkeypatch: pytest.MonkeyPatch) -> None:
    planned = sms.CHANNEL.plan

    def plan_a_fatal_job(*args: object) -> list[Job]:
        return [replace(job, render=AlwaysDies()) for job in planned(*args)]  # type: ignore[arg-type]

    monkeypatch.setattr(sms.CHANNEL, "plan", plan_a_fatal_job)
    status, _out, err = run("build", "--project", str(project), "--today", TODAY,
                           "--scheduler", scheduler, "--channel", "sms", "--channel", "rss")

    assert status == 1
    assert ("messages.csv: the worker making it stopped every time it was tried -> look at "
            "what dask worker printed") in err
    assert "Traceback" not in err
    assert not (project / "outbox" / "sms" / "messages.csv").exists()
    assert (project / "outbox" / "rss" / "feed.xml").exists()  # the rest is made


def test_a_jobs_problem_is_reported_as_a_local_build_reports_it(
        project: Path, run: Run, scheduler: str) -> None:
    write_unit(project, "khai-sinh", PROCEDURE.replace(
        'steps:\n  - "Đăng nhập Cổng dịch vụ công."', "steps:\n" + LONG_STEPS))
    here, there, other = build_both(run, project, scheduler, *FAST)

    assert here[0] == there[0] == 1
    assert "leaflet, inside middle: the text is" in there[2]
    assert there[1:] == here[1:]  # the same summary, the same problems, said the same way
    assert outbox_files(other) == outbox_files(project)


def test_a_jobs_problem_is_in_the_language_of_the_build(project: Path, run: Run,
                                                        scheduler: str) -> None:
    write_unit(project, "khai-sinh", PROCEDURE.replace(
        'steps:\n  - "Đăng nhập Cổng dịch vụ công."', "steps:\n" + LONG_STEPS))
    i18n.use("vi")
    here, there, _ = build_both(run, project, scheduler, "--channel", "print")
    assert there[2] == here[2] and "steps:" in there[2]
    assert "inside middle" not in there[2]


def closed_port() -> str:
    """The address of a port on this computer where nothing listens."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return f"tcp://127.0.0.1:{probe.getsockname()[1]}"


def test_an_unreachable_scheduler_is_said_plainly(project: Path, run: Run,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(dask_executor, "CONNECT_S", 1.0)
    address = closed_port()
    status, _out, err = run("build", "--project", str(project), "--today", TODAY,
                           "--scheduler", address, *FAST)

    assert status == 1
    assert err.count(f"{address}: no Dask scheduler answers at this address -> check the "
                     "address (dask scheduler prints it)") == 1  # once, not once a channel
    assert "Traceback" not in err
    assert not list((project / "outbox").rglob("*.pdf"))


def test_dask_not_installed_is_said_with_what_to_install(project: Path, run: Run,
                                                         monkeypatch: pytest.MonkeyPatch
                                                         ) -> None:
    monkeypatch.setitem(sys.modules, "distributed", None)  # import distributed fails
    status, _, err = run("build", "--project", str(project), "--today", TODAY,
                         "--executor", "dask", "--scheduler", closed_port(), *FAST)
    assert status == 1
    assert 'dask: Dask is not installed on this computer -> install it: pip install ' \
           '"cchc-toolkit[dask]"' in err


def test_a_build_with_nothing_to_make_needs_no_cluster(project: Path, run: Run) -> None:
    assert run("build", "--project", str(project), "--today", TODAY, *FAST)[0] == 0
    status, out, err = run("build", "--project", str(project), "--today", TODAY,
                           "--scheduler", closed_port(), *FAST)
    assert status == 0, err
    assert out.startswith("built 0,")


def settings_say(project: Path, section: str) -> None:
    path = project / "toolkit.toml"
    text = path.read_text(encoding="utf-8")
    start = text.index("[build]")
    path.write_text(text[:start] + section, encoding="utf-8")


def test_toolkit_toml_chooses_the_cluster_and_the_command_line_wins(
        project: Path, run: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(dask_executor, "CONNECT_S", 1.0)
    address = closed_port()
    settings_say(project, f'[build]\nexecutor = "dask"\nscheduler = "{address}"\n')

    status, _, err = run("build", "--project", str(project), "--today", TODAY, *FAST)
    assert status == 1 and f"{address}: no Dask scheduler answers" in err

    status, out, err = run("build", "--project", str(project), "--today", TODAY,
                           "--executor", "local", *FAST)
    assert status == 0, err
    assert out.startswith("built ")


def test_where_a_build_runs_is_no_input_of_its_files(project: Path, run: Run) -> None:
    assert run("build", "--project", str(project), "--today", TODAY, *FAST)[0] == 0
    settings_say(project, '[build]\nexecutor = "local"\nscheduler = "tcp://10.0.0.5:8786"\n')
    status, out, _ = run("build", "--project", str(project), "--today", TODAY, *FAST)
    assert (status, out.split(",")[0]) == (0, "built 0")


@pytest.mark.parametrize(("extra", "said"), [
    (("--executor", "local", "--scheduler", "tcp://10.0.0.5:8786"),
     "--scheduler goes with --executor dask, not --executor local"),
    (("--executor", "dask"), "--executor dask needs the scheduler's address: --scheduler "
                             "tcp://HOST:8786, or scheduler in [build] of toolkit.toml"),
    (("--scheduler", "10.0.0.5"), "--scheduler 10.0.0.5: not a scheduler address like "
                                  "tcp://192.168.1.10:8786"),
])
def test_a_scheduler_asked_for_wrongly_is_a_usage_error(project: Path, run: Run,
                                                       extra: tuple[str, ...], said: str
                                                       ) -> None:
    status, _, err = run("build", "--project", str(project), *extra)
    assert status == 2
    assert said in err


def test_a_scheduler_in_toolkit_toml_that_is_no_address_is_a_problem_on_its_line(
        project: Path, run: Run) -> None:
    settings_say(project, '[build]\nexecutor = "dask"\nscheduler = "may-chu:8786"\n')
    status, _, err = run("build", "--project", str(project))
    assert status == 1
    assert "toolkit.toml:" in err and "'may-chu:8786' is not a scheduler address" in err


LOCAL_BUILD = """
import sys
from toolkit.cli import main
status = main(["build", "--project", sys.argv[1], "--channel", "sms", "--channel", "rss"])
loaded = sorted(m for m in sys.modules if m.split(".")[0] in ("dask", "distributed"))
print(status, loaded)
"""


def test_a_local_build_loads_nothing_of_dask(project: Path) -> None:
    done = subprocess.run([sys.executable, "-c", LOCAL_BUILD, str(project)],
                          capture_output=True, text=True, check=True)
    assert done.stdout.splitlines()[-1] == "0 []"
