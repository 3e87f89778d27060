"""Layout problems an officer can act on: the field, the item, how much to cut, the line.

Each test follows the advice it gets (cuts the words it is told to, drops the items)
and lays the unit out again: the advice is right when the text then fits, and not
more than needed when a word less would not do.
"""

from __future__ import annotations

import math
import re
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import PROCEDURE, write_unit
from toolkit import i18n
from toolkit.channels.print_pdf import PrintTemplate
from toolkit.channels.print_pdf.leaflet import render_leaflet
from toolkit.channels.print_pdf.poster import render_poster
from toolkit.channels.video import VideoTemplate, scenes
from toolkit.channels.video.frames import Frames
from toolkit.content.load import load_content
from toolkit.content.model import AnyUnit
from toolkit.problems import Problem, ProblemError
from toolkit.project import open_project
from toolkit.settings import Settings
from toolkit.templates import load_template

STEP = "Nộp hồ sơ trực tuyến và theo dõi kết quả giải quyết qua cổng dịch vụ công."
LINES = {"title": 3, "summary": 4, "steps": 9, **{f"steps.{i}": 9 + i for i in range(1, 51)}}


@pytest.fixture
def setup(project: Path) -> tuple[Path, Settings, AnyUnit]:
    """The project, its settings, and its procedure as the loader read it."""
    unit = next(u for u in load_content(project, project / "content").units
                if u.id == "khai-sinh")
    return project, open_project(project).settings, unit


def changed(unit: AnyUnit, **fields: Any) -> AnyUnit:
    """The unit with other fields (and the lines a loader would record for them)."""
    return unit.model_copy(update={"lines": LINES, **fields})


def leaflet_problems(project: Path, settings: Settings, unit: AnyUnit) -> list[Problem]:
    template = load_template(project, "leaflets", PrintTemplate)
    try:
        render_leaflet(unit, None, settings, template, project, proof=True)
    except ProblemError as err:
        return list(err.problems)
    return []


def poster_problems(project: Path, settings: Settings, unit: AnyUnit,
                    size: str = "a3") -> list[Problem]:
    template = load_template(project, "leaflets", PrintTemplate)
    try:
        render_poster(unit, size, settings, template, project, proof=True)
    except ProblemError as err:
        return list(err.problems)
    return []


def words_to_cut(fix: str) -> int:
    found = re.search(r"by (\d+) words?", fix)
    assert found, fix
    return int(found.group(1))


def cut_words(text: str, n: int) -> str:
    return " ".join(text.split()[:-n]) if n else text


# --- the leaflet ----------------------------------------------------------------


def test_one_long_step_is_named_with_its_line_and_how_many_words_to_cut(setup) -> None:  # type: ignore[no-untyped-def]
    project, settings, unit = setup
    long_step = " ".join([STEP] * 11)
    steps = (*[STEP] * 9, long_step, *[STEP] * 9)
    problem, = leaflet_problems(project, settings, changed(unit, steps=steps))
    assert (problem.file, problem.line, problem.field) == ("content/khai-sinh.md", 19, "steps")
    assert re.fullmatch(r"leaflet, inside middle: the text is \d+ lines? too long, even in the "
                        r"smallest type \(8 pt\); item 10 is the longest there", problem.what)
    assert re.fullmatch(r"shorten item 10 by \d+ words \(\d+ characters\)", problem.fix)
    n = words_to_cut(problem.fix)
    chars = int(re.search(r"\((\d+) characters\)", problem.fix).group(1))  # type: ignore[union-attr]
    assert chars == len(long_step) - len(cut_words(long_step, n))

    enough = (*steps[:9], cut_words(long_step, n), *steps[10:])
    assert leaflet_problems(project, settings, changed(unit, steps=enough)) == []
    one_less = (*steps[:9], cut_words(long_step, n - 1), *steps[10:])
    assert leaflet_problems(project, settings, changed(unit, steps=one_less))


def test_many_steps_name_the_items_to_shorten_or_how_many_fewer(setup) -> None:  # type: ignore[no-untyped-def]
    project, settings, unit = setup
    steps = tuple(f"Bước {i}: {STEP}" for i in range(1, 31))
    problem, = leaflet_problems(project, settings, changed(unit, steps=steps))
    assert problem.field == "steps" and problem.line == LINES["steps.1"]
    found = re.fullmatch(r"shorten (\d+) items by (\d+) characters each, the longest first "
                         r"\(items [\d, ]+…\), or give (\d+) items fewer", problem.fix)
    assert found, problem.fix
    count, chars, fewer = map(int, found.groups())
    assert leaflet_problems(project, settings, changed(unit, steps=steps[:-fewer])) == []
    shortened = tuple(s[:len(s) - chars].rstrip() if i < count else s
                      for i, s in enumerate(steps))
    assert leaflet_problems(project, settings, changed(unit, steps=shortened)) == []


def test_a_few_items_over_are_named_one_by_one(setup) -> None:  # type: ignore[no-untyped-def]
    project, settings, unit = setup
    steps = tuple(f"Bước {i}: {STEP}" for i in range(1, 31))
    for n in range(30, 10, -1):  # the most steps whose overflow two or three items can take
        problems = leaflet_problems(project, settings, changed(unit, steps=steps[:n]))
        if problems and problems[0].fix.startswith("shorten items "):
            break
    else:
        pytest.fail("no number of steps overflows by a line or two")
    assert re.fullmatch(r"shorten items (\d+, )*\d+ by \d+ characters each, or give \d+ items? "
                        r"fewer", problems[0].fix), problems[0].fix


def test_a_long_summary_on_a_poster_is_the_summary_to_shorten(setup) -> None:  # type: ignore[no-untyped-def]
    project, settings, unit = setup
    summary = " ".join(["Cha mẹ nộp hồ sơ trên Cổng dịch vụ công, nhận kết quả tại nhà."] * 6)
    steps = tuple(" ".join([STEP] * 2) for _ in range(6))
    problem, = poster_problems(project, settings, changed(unit, summary=summary, steps=steps))
    assert (problem.field, problem.line) == ("summary", LINES["summary"])
    assert re.fullmatch(r"A3 poster: the text is \d+ lines? too long, even in the smallest type "
                        r"\(18 pt\)", problem.what), problem.what
    n = words_to_cut(problem.fix)
    assert poster_problems(project, settings,
                           changed(unit, summary=cut_words(summary, n), steps=steps)) == []


def test_without_recorded_lines_the_problem_still_names_the_field(setup) -> None:  # type: ignore[no-untyped-def]
    project, settings, unit = setup
    steps = (*[STEP] * 9, " ".join([STEP] * 11), *[STEP] * 9)
    problem, = leaflet_problems(project, settings,
                                unit.model_copy(update={"steps": steps, "lines": {}}))
    assert (problem.line, problem.field) == (None, "steps")
    assert str(problem).startswith("content/khai-sinh.md: steps: leaflet, inside middle: ")


def test_through_check_the_line_is_the_one_in_the_file(project: Path, run) -> None:  # type: ignore[no-untyped-def]
    long_steps = "\n".join(f'  - "Bước {i}: {STEP}"' for i in range(1, 31))
    write_unit(project, "khai-sinh", PROCEDURE.replace(
        '  - "Đăng nhập Cổng dịch vụ công."\n  - "Điền tờ khai, tải giấy chứng sinh."',
        long_steps))
    _status, _, err = run("check", "--project", str(project))
    text = (project / "content" / "khai-sinh.md").read_text(encoding="utf-8").splitlines()
    found = re.search(r"content/khai-sinh\.md:(\d+): steps: leaflet, inside middle", err)
    assert found, err
    assert text[int(found.group(1)) - 1].startswith('  - "Bước 1:')


def test_the_leaflet_problem_in_vietnamese(setup) -> None:  # type: ignore[no-untyped-def]
    project, settings, unit = setup
    steps = (*[STEP] * 9, " ".join([STEP] * 11), *[STEP] * 9)
    i18n.use("vi")
    problem, = leaflet_problems(project, settings, changed(unit, steps=steps))
    assert re.fullmatch(r"tờ gấp, mặt trong ở giữa: nội dung dài quá \d+ dòng, dù đã dùng cỡ chữ "
                        r"nhỏ nhất \(8 pt\); mục 10 dài nhất", problem.what), problem.what
    assert re.fullmatch(r"rút ngắn mục 10 đi \d+ chữ \(\d+ ký tự\)", problem.fix), problem.fix


# --- the posters ------------------------------------------------------------------


def test_a_poster_names_the_key_point_to_shorten(setup) -> None:  # type: ignore[no-untyped-def]
    project, settings, unit = setup
    long_step = " ".join([STEP] * 10)
    steps = (*[" ".join([STEP] * 2)] * 5, long_step)
    problem, = poster_problems(project, settings, changed(unit, steps=steps))
    assert (problem.field, problem.line) == ("steps", LINES["steps.6"])
    assert re.fullmatch(r"A3 poster: the text is \d+ lines? too long, even in the smallest type "
                        r"\(18 pt\); item 6 is the longest there", problem.what), problem.what
    n = words_to_cut(problem.fix)
    shorter = (*steps[:5], cut_words(long_step, n))
    assert poster_problems(project, settings, changed(unit, steps=shorter)) == []
    a4, = poster_problems(project, settings, changed(unit, steps=steps), "a4")
    assert a4.what.startswith("A4 poster: ") and "(12.7 pt)" in a4.what
    i18n.use("vi")
    problem, = poster_problems(project, settings, changed(unit, steps=steps))
    assert problem.what.startswith("áp phích A3: nội dung dài quá ")


# --- the video ----------------------------------------------------------------------


@pytest.fixture
def video(setup) -> tuple[Path, Settings, AnyUnit, VideoTemplate]:  # type: ignore[no-untyped-def]
    project, settings, unit = setup
    return project, settings, unit, load_template(project, "video", VideoTemplate)


def clip_problem(settings: Settings, template: VideoTemplate, unit: AnyUnit) -> Problem | None:
    try:
        scenes(unit, settings, template)
    except ProblemError as err:
        problem, = err.problems
        return problem
    return None


def test_a_long_clip_names_its_longest_steps_and_how_long_each_takes(video) -> None:  # type: ignore[no-untyped-def]
    _project, settings, unit, template = video
    long_step = " ".join([STEP] * 3)
    steps = (*[STEP[:30]] * 6, long_step, STEP[:30], long_step, *[STEP[:30]] * 5)
    problem = clip_problem(settings, template, changed(unit, steps=steps))
    assert problem is not None
    found = re.fullmatch(r"the clip would last (\d+) s, more than 60 s; the longest: "
                         r"item 7 \((\d+) s\), item 9 \(\d+ s\)", problem.what)
    assert found, problem.what
    assert int(found.group(2)) > template.timing.point
    assert (problem.field, problem.line) == ("steps", LINES["steps.7"])
    found = re.fullmatch(r"shorten them by (\d+) characters in all \(subtitles are read at 14 "
                         r"characters a second\), or leave out (\d) of them", problem.fix)
    assert found, problem.fix
    left_out = (*steps[:6], steps[7], *steps[9:]) if found.group(2) == "2" else \
        (*steps[:6], *steps[7:])
    assert clip_problem(settings, template, changed(unit, steps=left_out)) is None
    chars = int(found.group(1))
    shorter = cut_words(long_step, math.ceil(chars / 2 / 4.4))  # half each; 4.4 characters a word
    assert clip_problem(settings, template, changed(
        unit, steps=(*steps[:6], shorter, steps[7], shorter, *steps[9:]))) is None


def test_a_clip_of_too_many_steps_needs_fewer_of_them(video) -> None:  # type: ignore[no-untyped-def]
    _project, settings, unit, template = video
    steps = tuple(f"Bước {i}: {STEP}" for i in range(1, 31))
    problem = clip_problem(settings, template, changed(unit, steps=steps))
    assert problem is not None
    found = re.fullmatch(r"give (\d+) key points fewer", problem.fix)
    assert found, problem.fix
    fewer = int(found.group(1))
    assert clip_problem(settings, template, changed(unit, steps=steps[:-fewer])) is None
    assert clip_problem(settings, template, changed(unit, steps=steps[:-fewer + 1])) is not None


def test_the_clip_problem_in_vietnamese(video) -> None:  # type: ignore[no-untyped-def]
    _project, settings, unit, template = video
    i18n.use("vi")
    steps = tuple(f"Bước {i}: {STEP}" for i in range(1, 13))
    problem = clip_problem(settings, template, changed(unit, steps=steps))
    assert problem is not None
    assert re.match(r"video sẽ dài \d+ giây, quá mức 60 giây; dài nhất là: mục \d+ \(\d+ giây\)",
                    problem.what), problem.what
    assert re.search(r"hoặc bỏ bớt \d+ phần trong số đó$", problem.fix), problem.fix


def test_a_title_too_long_for_the_screen_says_how_many_words_to_cut(video) -> None:  # type: ignore[no-untyped-def]
    project, settings, unit, template = video
    template = template.model_copy(update={"type": template.type.model_copy(
        update={"title_px": 130, "title_min_px": 130})})
    title = " ".join(["Hướng dẫn thủ tục hành chính"] * 5)
    frames = Frames(changed(unit, title=title), "16x9", settings, template, project)
    with pytest.raises(ProblemError) as raised:
        frames.check()
    problem, = raised.value.problems
    assert (problem.field, problem.line) == ("title", LINES["title"])
    n = words_to_cut(problem.fix)
    Frames(changed(unit, title=cut_words(title, n)), "16x9", settings, template, project).check()
    with pytest.raises(ProblemError):
        Frames(changed(unit, title=cut_words(title, n - 1)), "16x9", settings, template,
               project).check()


def test_a_clip_of_short_steps_only_says_how_many_fewer(video) -> None:  # type: ignore[no-untyped-def]
    _project, settings, unit, template = video
    steps = tuple(f"Bước {i}." for i in range(1, 25))
    problem = clip_problem(settings, template, changed(unit, steps=steps))
    assert problem is not None
    assert re.fullmatch(r"the clip would last \d+ s, more than 60 s(; the longest: the summary "
                        r"\(\d+ s\))?", problem.what), problem.what
    fewer = int(re.fullmatch(r"give (\d+) key points fewer", problem.fix).group(1))  # type: ignore[union-attr]
    assert clip_problem(settings, template, changed(unit, steps=steps[:-fewer])) is None


def test_a_long_summary_is_what_makes_the_clip_long(video) -> None:  # type: ignore[no-untyped-def]
    _project, settings, unit, template = video
    template = template.model_copy(update={"timing": template.timing.model_copy(
        update={"max_total": 20.0})})
    summary = " ".join(["Cha mẹ nộp hồ sơ trên Cổng dịch vụ công, nhận kết quả tại nhà."] * 5)
    problem = clip_problem(settings, template, changed(unit, summary=summary, steps=("Một.",)))
    assert problem is not None
    assert (problem.field, problem.line) == ("summary", LINES["summary"])
    assert re.fullmatch(r"the clip would last \d+ s, more than 20 s; the longest: the summary "
                        r"\(\d+ s\)", problem.what), problem.what
    assert re.fullmatch(r"shorten it by \d+ characters \(subtitles are read at 14 characters a "
                        r"second\)", problem.fix), problem.fix
