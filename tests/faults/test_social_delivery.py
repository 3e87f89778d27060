"""Social delivery against platforms that misbehave for real (fakes on 127.0.0.1 that
answer as the Graph API and Zalo's OA API document): refusals, 5xx, 429 with
Retry-After, their rate-limit codes, a hang, an upload that fails halfway, and a
process killed between the platform's answer and the ledger's record. Each post
reaches each page exactly once."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.deliver.fakes import (
    FB_PAGE,
    FB_TOKEN,
    OA_TOKEN,
    FakeGraph,
    FakeZalo,
    fast,
    hours,
    post_json,
    write_posts,
)
from toolkit.deliver.social import Tally, deliver
from toolkit.project import open_project

Run = Callable[..., tuple[int, str, str]]
CLIP = "video/clip/clip-9x16.mp4"
TIMEOUT_S = 0.4


@pytest.fixture
def photo(project: Path) -> Path:
    """One due post without a clip: a photo post and an article."""
    fast(project, timeout_s=TIMEOUT_S)
    write_posts(project, post_json("khai-sinh", hours(-1)))
    return project


@pytest.fixture
def clip(project: Path) -> Path:
    """One due post with a clip of 5 chunks (and a bit)."""
    fast(project, timeout_s=TIMEOUT_S)
    write_posts(project, post_json("clip", hours(-1), video=CLIP), clip_bytes=5300)
    return project


def now(project: Path, waits: list[float] | None = None, log: list[str] | None = None,
        platforms: tuple[str, ...] = ()) -> Tally:
    """Deliver in process; waits are recorded, not slept."""
    sink = log if log is not None else []
    return deliver(open_project(project), False, sink.append, platforms=platforms,
                   sleep=(waits if waits is not None else []).append)


def deliver_cli(run: Run, project: Path, *extra: str) -> tuple[int, str, str]:
    return run("deliver", "social", "--project", str(project), *extra)


# --- refusals ---------------------------------------------------------------------------

def test_a_refusal_shows_facebooks_message_and_what_to_do(photo: Path, graph: FakeGraph,
                                                          oa: FakeZalo, run: Run) -> None:
    graph.script["photo"] = ["refuse:200:(#200) The user hasn't authorized the application "
                             "to perform this action because it lacks pages_manage_posts"]
    status, out, err = deliver_cli(run, photo)
    assert status == 1 and graph.count("photo") == 1  # a refusal is not retried
    assert ("failed khai-sinh to the Facebook Page: Facebook said \"(#200) The user hasn't "
            "authorized the application to perfor…\" (code 200, fbtrace_id AbC_12-xyz) -> give "
            "the app the pages_manage_posts permission on the Page") in err
    assert out.startswith("posted 1, already posted 0, failed 1 (1 Facebook said")
    status, out, _ = deliver_cli(run, photo)  # once the Page's settings are fixed
    assert (status, out.strip()) == (0, "posted 1, already posted 1, failed 0")
    assert graph.posts() == 1


def test_an_expired_token_says_which_variable_to_set(photo: Path, graph: FakeGraph,
                                                     oa: FakeZalo, run: Run) -> None:
    graph.script["photo"] = [f"refuse:190:Token {FB_TOKEN} of Page {FB_PAGE} has expired"]
    oa.script["create"] = [f"refuse:-216:Access token {OA_TOKEN} is invalid"]
    status, out, err = deliver_cli(run, photo)
    assert status == 1
    assert "set TOOLKIT_FACEBOOK_PAGE_TOKEN to a new Page access token" in err
    assert ("Zalo said 'Access token *** is invalid' (error -216) -> set "
            "TOOLKIT_ZALO_OA_TOKEN") in err
    assert "Facebook said 'Token *** of Page *** has expired' (code 190" in err
    assert FB_TOKEN not in out + err and OA_TOKEN not in out + err and FB_PAGE not in out + err


def test_zalo_judges_by_its_code_not_the_status(photo: Path, graph: FakeGraph, oa: FakeZalo,
                                                run: Run) -> None:
    oa.script["create"] = ["refuse:-201:title is invalid"]
    status, _, err = deliver_cli(run, photo, "--platform", "zalo")
    assert status == 1 and oa.articles == [] and oa.count("create") == 1
    assert "failed khai-sinh to the Zalo OA: Zalo said 'title is invalid' (error -201)" in err


# --- passing failures -----------------------------------------------------------------------

def test_a_5xx_before_anything_is_done_is_retried_then_posted_once(photo: Path,
                                                                   graph: FakeGraph,
                                                                   oa: FakeZalo) -> None:
    graph.script["photo"] = ["500", "500"]
    oa.script["create"] = ["500"]
    tally = now(photo)
    assert (tally.posted, tally.exit_status) == (2, 0)
    assert graph.count("photo") == 3 and graph.posts() == 1
    assert oa.count("create") == 2 and len(oa.articles) == 1


@pytest.mark.parametrize("fault", ["500-after", "cut"])
def test_a_post_made_but_answered_with_an_error_is_found_not_made_again(
        photo: Path, graph: FakeGraph, oa: FakeZalo, fault: str) -> None:
    graph.script["photo"] = [fault]
    oa.script["create"] = ["500-after"]
    tally = now(photo)
    assert (tally.posted, tally.exit_status) == (2, 0)
    assert graph.count("photo") == 1 and graph.count("list") >= 1 and graph.posts() == 1
    assert oa.count("create") == 1 and oa.count("getslice") == 1 and len(oa.articles) == 1


def test_a_429_waits_as_long_as_retry_after_says(photo: Path, graph: FakeGraph,
                                                 oa: FakeZalo) -> None:
    graph.script["photo"] = ["429:7"]
    oa.script["create"] = ["500"]
    oa.script["getslice"] = ["429:3"]
    waits: list[float] = []
    tally = now(photo, waits)
    assert tally.posted == 2 and 7.0 in waits
    assert graph.posts() == 1 and len(oa.articles) == 1


@pytest.mark.parametrize(("code", "minutes"), [(4, 0), (17, 0), (32, 2), (613, 1), (80001, 3)])
def test_facebooks_rate_limit_codes_mean_retry_later(photo: Path, graph: FakeGraph,
                                                     oa: FakeZalo, code: int,
                                                     minutes: int) -> None:
    graph.script["photo"] = [f"ratelimit:{code}:{minutes}"]
    waits: list[float] = []
    tally = now(photo, waits, platforms=("facebook",))
    assert tally.posted == 1 and graph.posts() == 1 and graph.count("photo") == 2
    assert graph.count("list") == 0  # throttled: nothing was done, nothing to look for
    if minutes:
        assert minutes * 60.0 in waits


def test_zalos_rate_limit_code_means_retry_later(photo: Path, graph: FakeGraph,
                                                 oa: FakeZalo) -> None:
    oa.script["create"] = ["rate", "rate"]
    tally = now(photo, platforms=("zalo",))
    assert tally.posted == 1 and oa.count("create") == 3 and len(oa.articles) == 1
    assert oa.count("getslice") == 0


def test_a_wait_longer_than_max_wait_leaves_the_rest_for_a_rerun(project: Path,
                                                                 graph: FakeGraph,
                                                                 oa: FakeZalo, run: Run) -> None:
    fast(project, timeout_s=TIMEOUT_S)
    write_posts(project, post_json("a-unit", hours(-1)), post_json("b-unit", hours(-1)))
    graph.script["photo"] = ["ratelimit:32:60"]  # an hour, and max_wait_s is 600
    log: list[str] = []
    tally = now(project, log=log)
    assert (tally.posted, tally.retry_later) == (2, 2)  # both articles; neither photo
    summary = tally.summary(False)
    assert "retry later 2" in summary and "3600 s, more than max_wait_s = 600" in summary
    assert graph.count("photo") == 1  # Facebook said stop: the second photo is not tried
    assert any(line.startswith("stopping posts to the Facebook Page") for line in log)
    status, out, _ = deliver_cli(run, project)
    assert (status, out.strip()) == (0, "posted 2, already posted 2, failed 0")
    assert graph.posts() == 2 and len(oa.articles) == 2


# --- hangs -----------------------------------------------------------------------------------

@pytest.mark.parametrize("fault", ["drop:1.0", "accept-hang:1.0"])
def test_a_hang_is_cut_at_the_deadline_and_posts_once(photo: Path, graph: FakeGraph,
                                                      oa: FakeZalo, fault: str) -> None:
    graph.script["photo"] = [fault]
    oa.script["create"] = [fault]
    started = time.monotonic()
    tally = now(photo)
    assert time.monotonic() - started < 2 * TIMEOUT_S + 1.5
    assert tally.posted == 2 and graph.posts() == 1 and len(oa.articles) == 1
    made_again = 2 if fault.startswith("drop") else 1
    assert graph.count("photo") == made_again and oa.count("create") == made_again


def test_a_lookup_that_fails_too_leaves_the_post_for_a_rerun_that_looks_first(
        photo: Path, graph: FakeGraph, oa: FakeZalo, run: Run) -> None:
    fast(photo, timeout_s=TIMEOUT_S, retries=0)
    graph.script["photo"] = ["accept-hang:1.0"]
    graph.script["list"] = ["500"]
    status, out, _ = deliver_cli(run, photo, "--platform", "facebook")
    assert status == 1 and "retry later 1" in out and "may have it" in out
    status, out, _ = deliver_cli(run, photo, "--platform", "facebook")
    assert (status, out.strip()) == (0, "posted 0, already posted 1, failed 0")
    assert graph.posts() == 1 and graph.count("photo") == 1


# --- a video upload that fails halfway ---------------------------------------------------------

def test_a_chunk_that_fails_is_sent_again(clip: Path, graph: FakeGraph, oa: FakeZalo) -> None:
    graph.script["transfer"] = ["ok", "ok", "500", "cut"]
    tally = now(clip, platforms=("facebook",))
    assert tally.posted == 1
    (video,) = graph.finished()
    assert bytes(video.received) == (clip / "outbox" / CLIP).read_bytes()
    assert graph.count("start") == 1 and graph.count("finish") == 1


def test_a_chunk_taken_but_not_answered_goes_on_where_facebook_says(clip: Path,
                                                                   graph: FakeGraph,
                                                                   oa: FakeZalo) -> None:
    graph.script["transfer"] = ["ok", "500-after"]  # the second chunk lands; its answer does not
    tally = now(clip, platforms=("facebook",))
    assert tally.posted == 1
    (video,) = graph.finished()
    assert bytes(video.received) == (clip / "outbox" / CLIP).read_bytes()
    assert graph.transferred == 5300  # no byte sent twice into the video


def test_a_finish_answered_with_an_error_is_looked_for_not_posted_again(clip: Path,
                                                                       graph: FakeGraph,
                                                                       oa: FakeZalo) -> None:
    graph.script["finish"] = ["500-after"]
    tally = now(clip, platforms=("facebook",))
    assert tally.posted == 1 and graph.count("finish") == 1 and graph.count("video-get") == 1
    assert len(graph.finished()) == 1


def test_a_run_killed_halfway_through_an_upload_is_resumed(clip: Path, graph: FakeGraph,
                                                           oa: FakeZalo, run: Run) -> None:
    graph.script["transfer"] = ["ok", "ok", "hold:5"]  # the third chunk: the run dies
    kill_while(clip, graph, lambda: graph.count("transfer") >= 3, "--platform", "facebook")
    status, out, _ = deliver_cli(run, clip, "--platform", "facebook")
    assert (status, out.strip()) == (0, "posted 1, already posted 0, failed 0")
    (video,) = graph.finished()
    assert bytes(video.received) == (clip / "outbox" / CLIP).read_bytes()
    assert graph.count("start") == 1  # the same upload session, gone on with
    assert graph.transferred == 5300  # the chunk that landed as the run died is not sent twice


def test_an_upload_whose_session_is_gone_starts_again(clip: Path, graph: FakeGraph,
                                                      oa: FakeZalo, run: Run) -> None:
    graph.script["transfer"] = ["ok", "hold:5"]
    kill_while(clip, graph, lambda: graph.count("transfer") >= 2, "--platform", "facebook")
    graph.script["transfer"] = ["expire"]  # the session of the dead run has expired
    status, out, _ = deliver_cli(run, clip, "--platform", "facebook")
    assert (status, out.strip()) == (0, "posted 1, already posted 0, failed 0")
    assert graph.count("start") == 2 and len(graph.finished()) == 1
    assert bytes(graph.finished()[0].received) == (clip / "outbox" / CLIP).read_bytes()


# --- a crash between the platform's answer and the ledger's record ------------------------------

@pytest.mark.parametrize("platform", ["facebook", "zalo"])
def test_a_run_killed_between_answer_and_record_posts_once(photo: Path, graph: FakeGraph,
                                                           oa: FakeZalo, run: Run,
                                                           platform: str) -> None:
    fake: FakeGraph | FakeZalo = graph if platform == "facebook" else oa
    op = "photo" if platform == "facebook" else "create"
    fake.script[op] = ["hold:5"]  # made on the page; the answer never reaches the run
    kill_while(photo, fake, lambda: (graph.posts() if platform == "facebook"
                                     else len(oa.articles)) == 1, "--platform", platform)
    status, out, err = deliver_cli(run, photo, "--platform", platform)
    assert (status, out.strip()) == (0, "posted 0, already posted 1, failed 0")
    assert "khai-sinh is on the" in err and "already: an earlier run posted it" in err
    assert fake.count(op) == 1 and (graph.posts() if platform == "facebook"
                                    else len(oa.articles)) == 1
    status, out, _ = deliver_cli(run, photo, "--platform", platform)
    assert (status, out.strip()) == (0, "posted 0, already posted 1, failed 0")


def test_a_finished_video_whose_run_died_before_the_record_is_not_posted_again(
        clip: Path, graph: FakeGraph, oa: FakeZalo, run: Run) -> None:
    graph.script["finish"] = ["hold:5"]
    kill_while(clip, graph, lambda: len(graph.finished()) == 1, "--platform", "facebook")
    status, out, _ = deliver_cli(run, clip, "--platform", "facebook")
    assert (status, out.strip()) == (0, "posted 0, already posted 1, failed 0")
    assert graph.count("finish") == 1 and graph.count("start") == 1


def kill_while(project: Path, fake: FakeGraph | FakeZalo, ready: Callable[[], bool],
               *extra: str) -> None:
    """Run `toolkit deliver social --yes` in a process, and kill it (SIGKILL) once
    `ready()` says the fake is where the test wants it."""
    code = ("import sys; from toolkit.cli import main; "
            f"sys.exit(main(['deliver', 'social', '--yes', '--project', {str(project)!r}, "
            f"*{list(extra)!r}]))")
    child = subprocess.Popen([sys.executable, "-c", code], env=os.environ.copy(),
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 20
    while not ready() and time.monotonic() < deadline and child.poll() is None:
        time.sleep(0.01)
    assert ready(), "the run never got where it was to be killed"
    child.send_signal(signal.SIGKILL)
    child.wait()


def test_a_delivery_is_refused_while_a_build_holds_the_lock(photo: Path, graph: FakeGraph,
                                                           oa: FakeZalo, run: Run) -> None:
    from tests.faults.test_build import lock_held_by_a_build

    with lock_held_by_a_build(photo) as pid:
        status, _, err = deliver_cli(run, photo)
        assert status == 1 and f"toolkit build (process {pid}" in err
    assert graph.requests == [] and oa.requests == []
