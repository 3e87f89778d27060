"""`toolkit deliver social`: the posts of outbox/social/ to a Facebook Page and a Zalo OA
(fakes on 127.0.0.1), each once; the plan, the dry run, reading the posts, the ledger."""

from __future__ import annotations

import io
import json
import sqlite3
import sys
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from tests.deliver.fakes import (
    FB_PAGE,
    FB_TOKEN,
    OA_ID,
    OA_TOKEN,
    FakeGraph,
    FakeZalo,
    fast,
    hours,
    post_json,
    rewrite,
    write_posts,
)
from toolkit import i18n
from toolkit.cli import SOCIAL_PLATFORMS
from toolkit.deliver import social
from toolkit.deliver.facebook import SCHEDULE_LEAD, schedule

Run = Callable[..., tuple[int, str, str]]
CLIP = "video/video-unit/video-unit-9x16.mp4"


def deliver(run: Run, project: Path, *extra: str) -> tuple[int, str, str]:
    return run("deliver", "social", "--project", str(project), *extra)


@pytest.fixture
def ready(project: Path) -> Path:
    """A project with three posts: due, two days ahead, and due with a clip."""
    fast(project)
    write_posts(project, post_json("khai-sinh", hours(-1)), post_json("tong-dai", hours(48)),
                post_json("video-unit", hours(-2), video=CLIP))
    return project


def test_each_post_reaches_each_page_once(ready: Path, graph: FakeGraph, oa: FakeZalo,
                                          run: Run) -> None:
    status, out, err = deliver(run, ready)
    assert (status, out.strip()) == (0, "posted 5, already posted 0, failed 0, waiting 1 "
                                        "(not due yet: a later run posts them)")
    assert graph.posts() == 3 and len(oa.articles) == 2
    assert "posted khai-sinh to the Facebook Page: photo, now" in err
    assert "posted video-unit to the Zalo OA: article, now" in err
    for secret in (FB_TOKEN, OA_TOKEN, FB_PAGE, OA_ID):
        assert secret not in out + err


def test_a_rerun_posts_nothing_and_asks_nothing_of_the_platforms(ready: Path, graph: FakeGraph,
                                                                 oa: FakeZalo, run: Run) -> None:
    deliver(run, ready)
    seen = len(graph.requests), len(oa.requests)
    status, out, _ = deliver(run, ready)
    assert (status, out.strip()) == (0, "posted 0, already posted 5, failed 0, waiting 1 "
                                        "(not due yet: a later run posts them)")
    assert (len(graph.requests), len(oa.requests)) == seen


def test_a_photo_post_carries_the_portrait_card_and_the_caption(ready: Path, graph: FakeGraph,
                                                                oa: FakeZalo, run: Run) -> None:
    deliver(run, ready, "--only", "khai-sinh", "--platform", "facebook")
    post = json.loads((ready / "outbox/social/khai-sinh/post.json").read_text("utf-8"))
    (photo,) = graph.photos
    assert photo["name"] == post["facebook"]["message"] and photo["scheduled"] is None
    assert photo["bytes"] == (ready / "outbox/social/khai-sinh/card-4x5.png").read_bytes()


def test_a_post_due_ahead_is_scheduled_on_facebook_and_waits_for_zalo(ready: Path,
                                                                      graph: FakeGraph,
                                                                      oa: FakeZalo,
                                                                      run: Run) -> None:
    deliver(run, ready, "--only", "tong-dai")
    (photo,) = graph.photos
    publish = datetime.fromisoformat(post_json("tong-dai", hours(48))["publish"])
    assert abs(photo["scheduled"] - publish.timestamp()) < 5
    assert oa.articles == [] and oa.requests == []  # nothing due: not even the account asked


def test_the_schedule_keeps_to_facebooks_window() -> None:
    now = datetime.fromisoformat("2021-03-15T08:00:00+07:00")
    assert schedule(now - timedelta(days=3), now).at is None  # due: at once
    soon = schedule(now + timedelta(minutes=3), now)  # under the 10 minutes Facebook needs
    assert soon.at == now + SCHEDULE_LEAD and soon.wait_until is None  # late, never early
    assert schedule(now + timedelta(days=29), now).at == now + timedelta(days=29)
    far = schedule(now + timedelta(days=40), now)
    assert far.at is None and far.wait_until == now + timedelta(days=10)


def test_a_video_post_is_uploaded_chunk_by_chunk_then_posted(ready: Path, graph: FakeGraph,
                                                             oa: FakeZalo, run: Run) -> None:
    status, _, _ = deliver(run, ready, "--only", "video-unit", "--platform", "facebook")
    assert status == 0
    (video,) = graph.finished()
    assert bytes(video.received) == (ready / "outbox" / CLIP).read_bytes()
    assert [op for _m, op, _p in graph.requests] == ["start"] + ["transfer"] * 4 + ["finish"]
    post = json.loads((ready / "outbox/social/video-unit/post.json").read_text("utf-8"))
    assert (video.title, video.description) == (post["title"], post["facebook"]["message"])
    assert graph.photos == []  # the clip is the post: no photo beside it


def test_a_zalo_article_has_the_square_card_as_cover_from_the_published_outbox(
        ready: Path, graph: FakeGraph, oa: FakeZalo, run: Run) -> None:
    deliver(run, ready, "--only", "khai-sinh", "--platform", "zalo")
    (article,) = oa.articles
    sent = article["sent"]
    assert sent["cover"]["photo_url"] == ("https://dongnai.gov.vn/outbox/social/khai-sinh/"
                                          "card-1x1.png")
    assert sent["title"] == "Thủ tục khai-sinh" and sent["status"] == "show"
    assert sent["author"] == "Ủy ban nhân dân tỉnh Đồng Nai"
    assert [b["content"] for b in sent["body"]] == [
        "<p>Thủ tục khai-sinh: nộp hồ sơ trực tuyến.</p>", "<p>Gọi 1022 để được hướng dẫn.</p>"]
    assert graph.requests == []


def test_a_dry_run_shows_every_post_and_sends_nothing(ready: Path, no_pages: None,
                                                      run: Run) -> None:
    status, out, err = deliver(run, ready, "--dry-run")
    lines = out.splitlines()
    assert status == 0
    assert lines[0] == "khai-sinh: Facebook Page, photo, now"
    assert '  "Thủ tục khai-sinh"' in lines and "  social/khai-sinh/card-4x5.png (2 KB)" in lines
    assert any(line.startswith("tong-dai: Facebook Page, photo, scheduled ") for line in lines)
    assert any(line.startswith("tong-dai: Zalo OA, article, not yet: a run from ") for line in
               lines)
    assert "video-unit: Facebook Page, video, now" in lines
    assert "  video/video-unit/video-unit-9x16.mp4 (4 KB)" in lines
    assert lines[-1] == "would post 5, already posted 0, waiting 1 (dry run)"
    assert "TOOLKIT_FACEBOOK_PAGE_ID, TOOLKIT_FACEBOOK_PAGE_TOKEN: are not set: a real run " \
           "would post nothing to the Facebook Page" in err


def test_a_dry_run_says_what_is_posted_already(ready: Path, graph: FakeGraph, oa: FakeZalo,
                                               run: Run) -> None:
    deliver(run, ready, "--only", "khai-sinh")
    _, out, _ = deliver(run, ready, "--dry-run")
    assert out.splitlines()[:2] == ["khai-sinh: Facebook Page, photo, now",
                                    "  (already posted)"]
    assert out.splitlines()[-1] == "would post 3, already posted 2, waiting 1 (dry run)"


def test_a_new_version_of_a_post_goes_up_as_a_new_post(ready: Path, graph: FakeGraph,
                                                       oa: FakeZalo, run: Run) -> None:
    deliver(run, ready, "--only", "khai-sinh", "--platform", "facebook")
    write_posts(ready, post_json("khai-sinh", hours(-1), message="Bản sửa: thủ tục mới."))
    _, out, _ = deliver(run, ready, "--dry-run", "--only", "khai-sinh", "--platform", "facebook")
    assert "  (an earlier version is on the page: this one goes up as a new post)" in out
    deliver(run, ready, "--only", "khai-sinh", "--platform", "facebook")
    assert [p["name"] for p in graph.photos][1] == "Bản sửa: thủ tục mới."


def test_a_dry_run_in_vietnamese(ready: Path, graph: FakeGraph, oa: FakeZalo, run: Run) -> None:
    i18n.use("vi")
    _, out, _ = deliver(run, ready, "--dry-run")
    assert "khai-sinh: Trang Facebook, ảnh, ngay bây giờ" in out.splitlines()
    assert out.splitlines()[-1] == "sẽ đăng 5, đã đăng từ trước 0, đang chờ 1 (chạy thử)"


def test_only_and_platform_choose_the_posts(ready: Path, graph: FakeGraph, oa: FakeZalo,
                                            run: Run) -> None:
    status, out, _ = deliver(run, ready, "--only", "khai-sinh", "--platform", "zalo")
    assert (status, out.strip()) == (0, "posted 1, already posted 0, failed 0")
    assert graph.requests == [] and len(oa.articles) == 1


def test_an_unknown_unit_is_a_problem(ready: Path, graph: FakeGraph, oa: FakeZalo,
                                      run: Run) -> None:
    status, _, err = deliver(run, ready, "--only", "khong-co", "--dry-run")
    assert status == 1 and "outbox/social: has no post of 'khong-co'" in err


def test_the_platform_option_takes_the_adapters_names() -> None:
    assert tuple(module.NAME for module in social.ADAPTERS) == SOCIAL_PLATFORMS


def test_a_page_not_set_is_left_out_and_said(ready: Path, graph: FakeGraph, no_pages: None,
                                             monkeypatch: pytest.MonkeyPatch, run: Run) -> None:
    monkeypatch.setenv("TOOLKIT_FACEBOOK_API_URL", f"{graph.url}/v25.0")
    monkeypatch.setenv("TOOLKIT_FACEBOOK_PAGE_ID", FB_PAGE)
    monkeypatch.setenv("TOOLKIT_FACEBOOK_PAGE_TOKEN", FB_TOKEN)
    status, out, err = deliver(run, ready)
    assert (status, out.strip()) == (0, "posted 3, already posted 0, failed 0")
    assert ("environment: warning: TOOLKIT_ZALO_OA_ID, TOOLKIT_ZALO_OA_TOKEN: are not set: "
            "nothing goes to the Zalo OA") in err


def test_no_page_set_is_refused_naming_the_variables(ready: Path, no_pages: None,
                                                     run: Run) -> None:
    status, out, err = deliver(run, ready)
    assert status == 1 and out == "" and "Traceback" not in err
    assert "TOOLKIT_FACEBOOK_PAGE_ID, TOOLKIT_FACEBOOK_PAGE_TOKEN: are not set" in err
    status, _, err = deliver(run, ready, "--platform", "zalo")
    assert status == 1 and "TOOLKIT_ZALO_OA_ID, TOOLKIT_ZALO_OA_TOKEN: are not set" in err


@pytest.mark.parametrize(("name", "value", "said"), [
    ("TOOLKIT_FACEBOOK_PAGE_ID", "my-page-SECRET", "is not a number"),
    ("TOOLKIT_FACEBOOK_PAGE_TOKEN", "two SECRET words", "has spaces"),
    ("TOOLKIT_FACEBOOK_API_URL", "ftp://SECRET.example/v25.0", "is not an http://"),
    ("TOOLKIT_ZALO_API_URL", "openapi.zalo.me?SECRET", "is not an http://"),
])
def test_a_wrong_setting_is_named_never_shown(ready: Path, graph: FakeGraph, oa: FakeZalo,
                                              monkeypatch: pytest.MonkeyPatch, run: Run,
                                              name: str, value: str, said: str) -> None:
    monkeypatch.setenv(name, value)
    status, out, err = deliver(run, ready)
    assert status == 1 and f"{name}: {said}" in err and "SECRET" not in out + err
    assert graph.requests == [] and oa.requests == []


def test_a_token_of_another_oa_leaves_zalo_out(ready: Path, graph: FakeGraph, oa: FakeZalo,
                                               run: Run) -> None:
    oa.oa_id = "1111111111"
    status, out, err = deliver(run, ready)
    assert status == 1 and oa.articles == [] and graph.posts() == 3
    assert "the Zalo OA is left out: TOOLKIT_ZALO_OA_TOKEN is the token of another OA" in err
    assert "failed 2 (2 TOOLKIT_ZALO_OA_TOKEN is the token of another OA)" in out


# --- the posts as the outbox has them -------------------------------------------------------

def test_a_broken_post_is_a_problem_naming_it_and_the_others_go(ready: Path, graph: FakeGraph,
                                                                oa: FakeZalo, run: Run) -> None:
    (ready / "outbox/social/khai-sinh/card-4x5.png").unlink()
    post = ready / "outbox/social/tong-dai/post.json"
    post.write_text(post.read_text("utf-8").replace('"format": 1', '"format": 2'), "utf-8")
    status, out, err = deliver(run, ready)
    assert status == 1 and "Traceback" not in err
    assert ("outbox/social/khai-sinh/post.json: images.portrait: social/khai-sinh/card-4x5.png "
            "is missing -> build the posts again: toolkit build --channel social") in err
    assert ("outbox/social/tong-dai/post.json: is not the post the build wrote (it changed "
            "since)") in err
    assert out.strip() == "posted 2, already posted 0, failed 0"  # the clip's post goes


@pytest.mark.parametrize(("change", "said"), [
    (lambda p: p.pop("facebook"), "facebook: is missing or not a group of fields"),
    (lambda p: p.update(publish="15/03/2021"),
     "publish: '15/03/2021' is not a date and time like 2021-03-15T08:00:00+07:00"),
    (lambda p: p.update(publish="2021-03-15T08:00:00"),
     "publish: '2021-03-15T08:00:00' is not a date and time"),
    (lambda p: p["zalo"].update(body=[]), "zalo.body: is missing or not a list of texts"),
    (lambda p: p.update(video="../../toolkit.toml"), "video: '../../toolkit.toml' is outside"),
    (lambda p: p.update(unit="other"), "unit: is not 'khai-sinh', the folder it is in"),
    (lambda p: p.update(format=2), "format: is 2: this toolkit reads posts of format 1"),
])
def test_a_post_not_as_the_contract_says_is_refused_with_its_field(
        project: Path, no_pages: None, run: Run, change: Callable[[dict], object],
        said: str) -> None:
    post = post_json("khai-sinh", hours(-1))
    write_posts(project, post)
    change(post)
    rewrite(project, "khai-sinh", json.dumps(post).encode())
    status, _, err = deliver(run, project, "--dry-run")
    assert status == 1 and "Traceback" not in err
    assert f"outbox/social/khai-sinh/post.json: {said}" in err


def test_a_clip_gone_from_the_outbox_is_said(ready: Path, no_pages: None, run: Run) -> None:
    (ready / "outbox" / CLIP).unlink()
    status, _, err = deliver(run, ready, "--dry-run")
    assert status == 1
    assert (f"outbox/social/video-unit/post.json: video: {CLIP} is missing -> build the posts "
            "again") in err


def test_a_post_that_is_not_json_is_said_with_its_line(project: Path, no_pages: None,
                                                       run: Run) -> None:
    write_posts(project, post_json("khai-sinh", hours(-1)))
    rewrite(project, "khai-sinh", b'{\n"format": 1,\n"unit": \n')
    status, _, err = deliver(run, project, "--dry-run")
    assert status == 1 and "outbox/social/khai-sinh/post.json:4: is not JSON" in err


def test_no_posts_built_is_said(project: Path, no_pages: None, run: Run) -> None:
    status, _, err = deliver(run, project, "--dry-run")
    assert status == 1
    assert ("outbox/social/manifest.json: not found -> build the posts first: toolkit build "
            "--channel social") in err


# --- asking on a terminal ---------------------------------------------------------------

class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize(("reply", "posted"), [("n", False), ("", False), ("y", True),
                                               ("có", True)])
def test_a_run_on_a_terminal_asks_first(ready: Path, graph: FakeGraph, oa: FakeZalo, run: Run,
                                        monkeypatch: pytest.MonkeyPatch, reply: str,
                                        posted: bool) -> None:
    monkeypatch.setattr(sys, "stdin", Terminal())
    monkeypatch.setattr("builtins.input", lambda prompt="": reply)
    status, out, err = deliver(run, ready)
    assert "Facebook Page: 3 posts to make" in err and "Zalo OA: 2 posts to make" in err
    assert err.rstrip().endswith("Post them now? Type y to post, anything else to stop:") or \
        posted
    if posted:
        assert status == 0 and graph.posts() == 3
    else:
        assert (status, out) == (1, "nothing was posted: posting was not confirmed\n")
        assert graph.requests == [] and oa.requests == []


def test_yes_posts_without_asking(ready: Path, graph: FakeGraph, oa: FakeZalo, run: Run,
                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdin", Terminal())

    def never(prompt: str = "") -> str:
        raise AssertionError("asked")

    monkeypatch.setattr("builtins.input", never)
    assert deliver(run, ready, "--yes")[0] == 0 and graph.posts() == 3


# --- the ledger -------------------------------------------------------------------------------

def test_the_ledger_keeps_keyed_posts_and_no_page_id(ready: Path, graph: FakeGraph,
                                                     oa: FakeZalo, run: Run) -> None:
    deliver(run, ready)
    rows = sqlite3.connect(ready / ".toolkit-ledger.sqlite").execute(
        "SELECT key, unit, platform, page, state FROM posts").fetchall()
    assert len(rows) == 5 and {r[4] for r in rows} == {"posted"}
    assert {r[2] for r in rows} == {"facebook", "zalo"}
    data = (ready / ".toolkit-ledger.sqlite").read_bytes()
    assert FB_PAGE.encode() not in data and OA_ID.encode() not in data
    assert FB_TOKEN.encode() not in data and OA_TOKEN.encode() not in data


def test_a_missing_key_is_refused_when_only_posts_are_recorded(ready: Path, graph: FakeGraph,
                                                               oa: FakeZalo, run: Run) -> None:
    deliver(run, ready)
    (ready / ".toolkit-ledger.key").unlink()
    before = len(graph.requests)
    status, _, err = deliver(run, ready)
    assert status == 1 and ".toolkit-ledger.key: is missing" in err
    assert len(graph.requests) == before and not (ready / ".toolkit-ledger.key").exists()


def test_sms_and_posts_share_one_ledger_and_key(ready: Path, graph: FakeGraph, oa: FakeZalo,
                                                run: Run) -> None:
    deliver(run, ready)
    tables = {row[0] for row in sqlite3.connect(ready / ".toolkit-ledger.sqlite").execute(
        "SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert {"sends", "legacy", "meta", "posts"} <= tables


# --- the contract with the social channel ------------------------------------------------------

def test_the_posts_the_social_channel_builds_are_delivered(sample_project: Path, graph: FakeGraph,
                                                           oa: FakeZalo, run: Run) -> None:
    fast(sample_project)
    assert run("build", "--project", str(sample_project), "--channel", "social",
               "--today", "2021-03-31")[0] == 0
    posts = sorted((sample_project / "outbox/social").glob("*/post.json"))
    status, out, err = deliver(run, sample_project, "--platform", "facebook", "--platform",
                               "zalo")
    assert (status, out.strip()) == (0, f"posted {2 * len(posts)}, already posted 0, failed 0"), err
    assert len(graph.photos) + len(graph.finished()) == len(posts) == len(oa.articles)
