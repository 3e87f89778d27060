"""The radio channel: scripts a commune announcer reads aloud, through real builds."""

from __future__ import annotations

import json
import re
import shutil
import unicodedata
from collections.abc import Callable
from pathlib import Path

import pytest
from docx import Document

from tests.conftest import PROCEDURE, write_unit
from toolkit import build as pipeline
from toolkit import i18n
from toolkit.channels import media_type
from toolkit.channels.radio import CHANNEL, aloud
from toolkit.channels.radio.lines import wrapped
from toolkit.outbox import ChannelOutbox, Item
from toolkit.periods import week
from toolkit.project import open_project
from toolkit.review import review_page
from toolkit.spoken.verbalise import sentences

Run = Callable[..., tuple[int, str, str]]
TODAY = "2021-03-31"
NOTE = re.compile(r"^\[.*\]$")


def build(run: Run, project: Path, *extra: str) -> tuple[int, str, str]:
    return run("build", "--project", str(project), "--today", TODAY, "--channel", "radio", *extra)


def radio(project: Path) -> Path:
    return project / "outbox" / "radio"


def script(project: Path, unit: str) -> str:
    data = (radio(project) / f"{unit}.txt").read_bytes()
    assert b"\r\n" in data and b"\n" not in data.replace(b"\r\n", b"")  # Notepad's line ends
    return data.decode("utf-8").replace("\r\n", "\n")


def weekly(project: Path, name: str) -> pipeline.Report:
    """What `toolkit bulletin --week` asks of the radio channel: a build given the week."""
    return pipeline.build(open_project(project),
                          pipeline.Options((CHANNEL.name,), today=None, period=week(name)),
                          lambda *_: None)


def set_template(project: Path, old: str, new: str) -> None:
    path = project / "templates" / "radio" / "default.toml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


# --- a unit's script ------------------------------------------------------------------

def test_each_live_unit_that_asks_for_radio_gets_a_script(sample_project: Path,
                                                          run: Run) -> None:
    status, out, err = build(run, sample_project)
    assert (status, err) == (0, "")
    made = {p.stem for p in radio(sample_project).glob("*.txt")}
    assert len(made) == 10 and out.strip() == "built 10, up to date 0"
    # A notice for officials and a story for the screens ask for other channels only.
    assert not made & {"tap-huan-tiep-nhan-ho-so-truc-tuyen", "to-mot-cua-luu-dong-tan-phu"}


def test_a_script_is_said_as_the_announcer_reads_it(sample_project: Path, run: Run) -> None:
    build(run, sample_project)
    text = script(sample_project, "dang-ky-khai-sinh-truc-tuyen")
    note, blank, *read = text.splitlines()
    assert NOTE.match(note) and "thời lượng đọc khoảng 1 phút" in note and blank == ""
    said = " ".join(" ".join(read).split())
    assert said.startswith("Kính thưa bà con nhân dân! Sau đây là thông tin về cải cách hành "
                           "chính. Đăng ký khai sinh trực tuyến, nhận giấy khai sinh tại nhà.")
    assert "không phải xếp hàng tại Ủy ban nhân dân cấp xã." in said
    assert "Các bước thực hiện như sau: Bước một: Truy cập Cổng dịch vụ công" in said
    assert "Bước năm: Theo dõi hồ sơ" in said
    assert "trực tuyến tại dịch vụ công chấm đồng nai chấm gốp chấm vê en." in said
    # The hotline twice at the end, as announcers say it, then the closing.
    assert said.endswith("Mọi thắc mắc, xin bà con gọi số một không hai hai. Xin nhắc lại, số "
                         "điện thoại: một không hai hai. Trên đây là thông tin về cải cách "
                         "hành chính. Xin cảm ơn bà con đã lắng nghe!")


def test_a_script_has_no_digits_no_markdown_and_short_lines(sample_project: Path,
                                                            run: Run) -> None:
    build(run, sample_project)
    for path in radio(sample_project).glob("*.txt"):
        text = script(sample_project, path.stem)
        assert unicodedata.is_normalized("NFC", text)
        read = aloud(text)
        assert not re.search(r"\d", read), path.name
        assert not re.search(r"\*\*|^#|^\s*[-*+] |\[|\]|`", read, re.MULTILINE), path.name
        assert all(len(line) <= 60 for line in read.splitlines()), path.name


def test_a_notice_reads_its_own_topics_and_hours(sample_project: Path, run: Run) -> None:
    build(run, sample_project)
    said = " ".join(aloud(script(sample_project, "tong-dai-dich-vu-cong-1022")).split())
    assert said.count("không hai năm một, một không hai hai") == 2  # title and summary
    assert ("Nội dung chính: Thứ nhất: Hướng dẫn hồ sơ, trình tự, phí và lệ phí của thủ tục "
            "hành chính.") in said
    assert "Thứ tư: Tiếp nhận phản ánh" in said
    assert "Thời gian: Giờ hành chính, từ thứ Hai đến thứ Sáu." in said


def test_a_model_example_is_read_too(sample_project: Path, run: Run) -> None:
    build(run, sample_project)
    said = " ".join(aloud(script(sample_project, "mot-cua-hien-dai-phuong-tan-phong")).split())
    assert ("Kết quả nổi bật: Thứ nhất: Thời gian chờ bình quân giảm từ khoảng ba mươi phút "
            "xuống dưới mười lăm phút.") in said
    assert "Hơn chín mươi tám phần trăm hồ sơ năm hai nghìn không trăm hai mươi" in said


def test_the_reading_time_counts_what_is_read(project: Path, run: Run) -> None:
    build(run, project)
    text = script(project, "khai-sinh")
    words = len(re.findall(r"[^\W_]+", aloud(text)))
    seconds = 5 * round(words * 60 / 160 / 5)
    expected = f"{seconds // 60} phút {seconds % 60} giây" if seconds >= 60 else f"{seconds} giây"
    assert text.splitlines()[0] == (f"[KHÔNG ĐỌC: thời lượng đọc khoảng {expected}, đọc 160 "
                                    "tiếng một phút.]")


def test_a_voice_reads_the_sentences_without_the_notes(project: Path, run: Run) -> None:
    build(run, project)
    said = sentences(aloud(script(project, "khai-sinh")))
    assert said[:3] == ["Kính thưa bà con nhân dân!",
                        "Sau đây là thông tin về cải cách hành chính.",
                        "Đăng ký khai sinh trực tuyến."]
    assert not any("KHÔNG ĐỌC" in sentence for sentence in said)


def test_the_template_says_numbers_the_southern_way(project: Path, run: Run) -> None:
    write_unit(project, "khai-sinh", PROCEDURE.replace("60 ngày", "105.000 đồng"))
    set_template(project, 'thousand = "nghìn"', 'thousand = "ngàn"')
    set_template(project, 'zero_ten = "linh"', 'zero_ten = "lẻ"')
    build(run, project)
    assert "một trăm lẻ năm ngàn đồng" not in script(project, "khai-sinh")  # the body is not read
    write_unit(project, "khai-sinh", PROCEDURE.replace(
        'summary: "Cha mẹ', 'summary: "Lệ phí 105.000 đồng. Cha mẹ'))
    build(run, project)
    assert "Lệ phí một trăm lẻ năm ngàn đồng." in aloud(script(project, "khai-sinh"))


def test_words_of_the_template_are_said_its_way(project: Path, run: Run) -> None:
    write_unit(project, "khai-sinh", PROCEDURE.replace('agency: "UBND cấp xã"',
                                                       'agency: "UBND cấp xã"\nwhere: "KP 3"'))
    set_template(project, "[words]\n", '[words]\n"KP" = "khu phố"\n')
    build(run, project)
    assert "Nơi nộp hồ sơ: khu phố ba." in aloud(script(project, "khai-sinh"))


def test_units_not_live_get_no_script(project: Path, run: Run) -> None:
    write_unit(project, "khai-sinh", PROCEDURE.replace("2021-02-09", "2021-04-09"))
    write_unit(project, "het-han", PROCEDURE.replace("publish: 2021-02-09",
                                                     "publish: 2021-02-09\nexpires: 2021-03-01"))
    build(run, project)
    assert {p.stem for p in radio(project).glob("*.txt")} == {"tong-dai-1022", "tan-phong"}


def test_same_units_give_the_same_bytes(sample_project: Path, run: Run,
                                        tmp_path: Path) -> None:
    other = tmp_path / "elsewhere"
    shutil.copytree(sample_project, other)
    build(run, sample_project)
    before = {p.name: p.read_bytes() for p in radio(sample_project).glob("*.txt")}
    status, out, _ = build(run, sample_project, "--force")
    assert status == 0 and out.startswith("built 10,")
    assert {p.name: p.read_bytes() for p in radio(sample_project).glob("*.txt")} == before
    build(run, other, "--jobs", "2")
    assert {p.name: p.read_bytes() for p in radio(other).glob("*.txt")} == before
    assert build(run, sample_project)[1].strip() == "built 0, up to date 10"


def test_a_script_is_served_as_utf8_text() -> None:
    assert media_type("radio/khai-sinh.txt") == "text/plain; charset=utf-8"


def test_lines_break_where_the_announcer_pauses() -> None:
    sentence = ("Sau đây là bản tin cải cách hành chính tuần từ ngày mười lăm tháng ba đến "
                "ngày hai mươi mốt tháng ba năm hai nghìn không trăm hai mươi mốt.")
    assert wrapped(sentence, 60) == [
        "Sau đây là bản tin cải cách hành chính tuần",
        "từ ngày mười lăm tháng ba đến ngày hai mươi mốt tháng ba",
        "năm hai nghìn không trăm hai mươi mốt."]
    assert wrapped("Ngắn thôi.", 60) == ["Ngắn thôi."]


# --- the week's bulletin -------------------------------------------------------------

def test_a_week_gets_its_bulletin_opened_and_closed_once(sample_project: Path) -> None:
    report = weekly(sample_project, "2021-W06")
    assert report.ok, report.problems
    text = (radio(sample_project) / "2021-W06" / "ban-tin-2021-W06.txt").read_bytes().decode(
        "utf-8").replace("\r\n", "\n")
    first, second = text.splitlines()[:2]
    assert first == "[KHÔNG ĐỌC: bản tin tuần 2021-W06, 3 bài, khung phát 5 phút.]"
    assert NOTE.match(second) and "thời lượng đọc khoảng" in second
    said = " ".join(aloud(text).split())
    assert said.startswith("Kính thưa bà con nhân dân! Sau đây là bản tin cải cách hành chính "
                           "tuần từ ngày tám tháng hai đến ngày mười bốn tháng hai năm hai "
                           "nghìn không trăm hai mươi mốt.")
    assert said.count("Kính thưa bà con nhân dân!") == 1
    assert said.count("Xin cảm ơn bà con đã lắng nghe!") == 1 and said.endswith("lắng nghe!")
    titles = ["Đăng ký khai sinh trực tuyến, nhận giấy khai sinh tại nhà.",
              "Nộp hồ sơ và nhận kết quả thủ tục hành chính qua bưu điện.",
              "Tổng đài Dịch vụ công không hai năm một, một không hai hai:"]
    assert [said.index(t) for t in titles] == sorted(said.index(t) for t in titles)
    assert said.count("Tin tiếp theo.") == 2
    # One hotline for the week, said twice, at its end.
    assert said.count("Mọi thắc mắc, xin bà con gọi số một không hai hai.") == 1
    assert said.count("Xin nhắc lại, số điện thoại: một không hai hai.") == 1


def test_bulletins_of_other_weeks_stay(sample_project: Path, run: Run) -> None:
    weekly(sample_project, "2021-W06")
    weekly(sample_project, "2021-W08")
    build(run, sample_project)
    assert {p.parent.name for p in radio(sample_project).glob("*/ban-tin-*.txt")} == {
        "2021-W06", "2021-W08"}


def test_a_week_without_radio_units_has_no_bulletin(sample_project: Path) -> None:
    report = weekly(sample_project, "2021-W12")  # a story for the screens only
    assert report.ok and not (radio(sample_project) / "2021-W12").exists()


def test_a_bulletin_longer_than_its_slot_says_by_how_much(project: Path) -> None:
    set_template(project, "slot_s = 300", "slot_s = 60")
    report = weekly(project, "2021-W06")
    assert not (radio(project) / "2021-W06").exists()
    assert (radio(project) / "khai-sinh.txt").exists()  # the units' own scripts are made
    [problem] = report.problems
    assert problem.file == "outbox/radio/2021-W06/ban-tin-2021-W06.txt"
    found = re.fullmatch(r"the radio bulletin of 2021-W06 reads in about 1 min (\d+) s, (\d+) s "
                         r"more than its 1 min slot; its longest unit is khai-sinh \(about \d+ s\)",
                         problem.what)
    assert found and int(found[1]) == int(found[2])
    assert "channels: without radio" in problem.fix and "raise slot_s" in problem.fix


def test_the_slot_problem_in_vietnamese(project: Path) -> None:
    set_template(project, "slot_s = 300", "slot_s = 60")
    i18n.use("vi")
    [problem] = weekly(project, "2021-W06").problems
    assert problem.what.startswith("bản tin phát thanh tuần 2021-W06 đọc mất khoảng 1 phút ")
    assert "dài hơn khung phát 1 phút là" in problem.what


def test_a_unit_longer_than_the_slot_alone_is_a_problem(project: Path, run: Run) -> None:
    set_template(project, "slot_s = 300", "slot_s = 20")
    status, _, err = build(run, project)
    assert status == 1
    line = PROCEDURE.splitlines().index(next(s for s in PROCEDURE.splitlines()
                                             if s.startswith("summary:"))) + 1
    assert re.search(rf"content/khai-sinh.md:{line}: summary: the radio script reads in about "
                     r"\d+ s at 160 words a minute, longer than the 20 s slot of the weekly "
                     r"radio bulletin -> shorten the summary", err)
    assert not (radio(project) / "khai-sinh.txt").exists()


def test_the_bulletin_command_makes_the_weeks_radio_bulletin(project: Path, run: Run) -> None:
    status, _, err = run("bulletin", "--project", str(project), "--week", "2021-W06")
    assert (status, err) == (0, "")
    assert (radio(project) / "2021-W06" / "ban-tin-2021-W06.txt").exists()


# --- the officer's side: check, review page, report ---------------------------------

def test_check_warns_of_what_cannot_be_read_aloud(project: Path, run: Run) -> None:
    write_unit(project, "khai-sinh", PROCEDURE.replace('"Đăng nhập Cổng dịch vụ công."',
                                                       '"• Đăng nhập Cổng dịch vụ công."'))
    status, _, err = run("check", "--project", str(project))
    assert status == 0, err
    assert ("content/khai-sinh.md:9: warning: steps: '•' cannot be read aloud: the radio "
            "script leaves it out or as written -> write it in words") in err


def test_an_unknown_placeholder_is_a_template_problem(project: Path, run: Run) -> None:
    set_template(project, 'step = "Bước {number}: {text}"', 'step = "Bước {so}: {text}"')
    status, _, err = build(run, project)
    assert status == 1
    assert re.search(r"templates/radio/default.toml:\d+: phrases.step: .*uses \{so\}; the "
                     r"placeholders known are \{number\}, \{text\}", err)


def test_the_review_page_shows_the_script_and_its_reading_time(project: Path,
                                                               run: Run) -> None:
    build(run, project)
    page = review_page(open_project(project)).decode("utf-8")
    assert "href='/radio/khai-sinh.txt'" in page
    assert "Xin nhắc lại, số điện thoại: một không hai hai." in page
    assert re.search(r"Radio: read aloud in about \d+ s at 160 words a minute \(\d+ words\)", page)
    i18n.use("vi")
    [shown] = CHANNEL.shown(list(_items(project)), project / "outbox")["khai-sinh"]
    assert shown.note.startswith("Phát thanh: đọc mất khoảng ")


def _items(project: Path) -> list[Item]:
    return list(ChannelOutbox(project / "outbox", CHANNEL.name).items.values())


def test_the_report_counts_the_scripts(project: Path, run: Run) -> None:
    build(run, project)
    weekly(project, "2021-W06")  # a week's bulletin is no unit's script: not counted again
    assert run("report", "--project", str(project), "--quarter", "2021-Q1")[0] == 0
    report = Document(project / "outbox" / "report" / "2021-Q1" / "report-2021-Q1.docx")
    header, *_, total = ([c.text for c in row.cells] for row in report.tables[0].rows)
    assert total[header.index("Bài phát thanh")] == "3"


# --- the week read aloud ----------------------------------------------------------------
def audio(project: Path, stem: str) -> dict[str, bytes]:
    folder = radio(project) / "2021-W06"
    return {p.name: p.read_bytes() for p in sorted(folder.glob(f"{stem}.*"))
            if p.suffix != ".txt"}


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="Debian's espeak-ng is needed")
def test_a_draft_voice_reads_the_week_marked_as_a_draft(project: Path) -> None:
    set_template(project, 'voice = ""', 'voice = "draft"')
    report = weekly(project, "2021-W06")
    assert not report.problems, report.problems
    files = audio(project, "ban-tin-2021-W06-ban-nhap")
    assert sorted(files) == ["ban-tin-2021-W06-ban-nhap.cue", "ban-tin-2021-W06-ban-nhap.json",
                             "ban-tin-2021-W06-ban-nhap.mp3"]
    timings = json.loads(files["ban-tin-2021-W06-ban-nhap.json"])
    assert timings["draft"] is True and "BẢN NHÁP" in timings["title"]
    assert timings["title"].startswith("Bản tin phát thanh 2021-W06")
    said = [s["text"] for s in timings["sentences"]]
    text = aloud((radio(project) / "2021-W06" / "ban-tin-2021-W06.txt").read_text("utf-8-sig"))
    assert said == [s for p in text.split("\n\n") for s in sentences(p)]  # notes unread
    cues = files["ban-tin-2021-W06-ban-nhap.cue"].decode("utf-8")
    assert 'FILE "ban-tin-2021-W06-ban-nhap.mp3" MP3' in cues
    assert cues.count("TRACK") == len(said)

    again = weekly(project, "2021-W06")  # nothing changed: not read again
    assert not again.built and audio(project, "ban-tin-2021-W06-ban-nhap") == files
    page = review_page(open_project(project)).decode()
    assert ("<div class=players><audio controls preload=none aria-label='Recording: "
            "2021-W06/ban-tin-2021-W06-ban-nhap.mp3' "
            "src='/radio/2021-W06/ban-tin-2021-W06-ban-nhap.mp3'></audio>") in page


def test_a_service_voice_not_configured_is_said_and_the_script_still_made(
        project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for variable in ("TOOLKIT_TTS_URL", "TOOLKIT_TTS_TOKEN", "TOOLKIT_TTS_VOICE"):
        monkeypatch.delenv(variable, raising=False)
    set_template(project, 'voice = ""', 'voice = "service"')
    report = weekly(project, "2021-W06")
    assert [p.field for p in report.problems] == ["TOOLKIT_TTS_URL, TOOLKIT_TTS_TOKEN"]
    assert (radio(project) / "2021-W06" / "ban-tin-2021-W06.txt").is_file()
    assert audio(project, "ban-tin-2021-W06") == {}


@pytest.mark.slow
def test_a_service_voice_reads_the_week(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from tests.spoken.test_voices import TOKEN, serving

    set_template(project, 'voice = ""', 'voice = "service"')
    with serving() as service:
        monkeypatch.setenv("TOOLKIT_TTS_URL", service.url)
        monkeypatch.setenv("TOOLKIT_TTS_TOKEN", TOKEN)
        report = weekly(project, "2021-W06")
        asked = len(service.posts)
    assert not report.problems, report.problems
    files = audio(project, "ban-tin-2021-W06")
    timings = json.loads(files["ban-tin-2021-W06.json"])
    assert timings["draft"] is False and asked == len(set(s["text"] for s in timings["sentences"]))
    assert TOKEN.encode() not in b"".join(files.values())
