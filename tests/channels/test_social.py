"""The social channel: outbox/social/<id>/ with post.json and two image cards per live unit.

Built through real builds of small projects; the captions' limits are tried on long
units, the post's JSON against the format `toolkit deliver social` reads, the clip
against what the video channel leaves in the outbox.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Callable
from pathlib import Path

import pytest
from docx import Document
from PIL import Image, ImageChops, ImageDraw

from tests.conftest import EXAMPLE, NOTICE, PROCEDURE, write_unit
from toolkit import i18n
from toolkit.channels.social.caption import (
    ZALO_DESCRIPTION,
    ZALO_TITLE,
    hashtag,
    platform_length,
)
from toolkit.outbox import ChannelOutbox
from toolkit.project import open_project
from toolkit.review import review_page

Run = Callable[..., tuple[int, str, str]]
TODAY = "2021-03-31"
UNITS = ("khai-sinh", "tan-phong", "tong-dai-1022")


def build(run: Run, project: Path, *more: str) -> tuple[int, str, str]:
    return run("build", "--project", str(project), "--channel", "social", "--today", TODAY,
               *more)


def built(run: Run, project: Path) -> Path:
    status, _, err = build(run, project)
    assert status == 0, err
    return project / "outbox" / "social"


def post(project: Path, unit: str) -> dict:  # type: ignore[type-arg]
    return json.loads((project / "outbox" / "social" / unit / "post.json").read_bytes())


def with_field(unit: str, line: str) -> str:
    """The unit text with one more front-matter line after `publish:`."""
    head, rest = unit.split("publish:", 1)
    date, tail = rest.split("\n", 1)
    return f"{head}publish:{date}\n{line}\n{tail}"


def set_template(project: Path, old: str, new: str) -> None:
    path = project / "templates" / "social" / "default.toml"
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def long_procedure(steps: int, step_words: int, tags: list[str]) -> str:
    items = "\n".join(f'  - "Bước {n}: ' + " ".join(["điền thông tin"] * step_words) + '."'
                      for n in range(1, steps + 1))
    return (f"---\nkind: procedure\ntitle: \"Thủ tục dài\"\n"
            f"summary: \"Một thủ tục có rất nhiều bước.\"\npublish: 2021-02-10\n"
            f"tags: {json.dumps(tags, ensure_ascii=False)}\nagency: \"UBND cấp xã\"\n"
            f"steps:\n{items}\n---\n\nNội dung.\n")


# --- the files ---------------------------------------------------------------------------


def test_each_live_unit_gets_a_post_and_two_cards(project: Path, run: Run) -> None:
    folder = built(run, project)
    assert sorted(p.name for p in folder.iterdir() if p.is_dir()) == list(UNITS)
    for unit in UNITS:
        assert sorted(p.name for p in (folder / unit).iterdir()) == [
            "card-1x1.png", "card-4x5.png", "post.json"]
        with Image.open(folder / unit / "card-4x5.png") as portrait:
            assert (portrait.size, portrait.mode) == ((1080, 1350), "RGB")
        with Image.open(folder / unit / "card-1x1.png") as square:
            assert square.size == (1080, 1080)
    manifest = json.loads((folder / "manifest.json").read_bytes())
    listed = manifest["items"] if isinstance(manifest, dict) and "items" in manifest else manifest
    assert "khai-sinh/post.json" in json.dumps(listed)


def test_units_not_live_or_not_asking_get_none(project: Path, run: Run) -> None:
    write_unit(project, "khai-sinh", PROCEDURE.replace("2021-02-09", "2021-04-09"))
    write_unit(project, "tan-phong", with_field(EXAMPLE, "channels: [rss]"))
    write_unit(project, "tong-dai-1022", with_field(NOTICE, "status: draft"))
    folder = built(run, project)
    assert not [p for p in folder.iterdir() if p.is_dir()]
    preview = project / ".toolkit-cache" / "preview" / "social" / "tong-dai-1022"
    assert (preview / "post.json").is_file()  # the draft, for the review page only


# --- post.json -------------------------------------------------------------------------


def test_post_json_is_the_format_delivery_reads(project: Path, run: Run) -> None:
    built(run, project)
    data = (project / "outbox" / "social" / "khai-sinh" / "post.json").read_bytes()
    made = json.loads(data)
    assert data == json.dumps(made, ensure_ascii=False, indent=2, sort_keys=True).encode()
    assert set(made) == {"format", "unit", "title", "link", "publish", "facebook", "zalo",
                         "images", "video"}
    assert made["format"] == 1 and made["unit"] == "khai-sinh"
    assert made["title"] == "Đăng ký khai sinh trực tuyến"
    assert made["link"] == "https://dongnai.gov.vn/khai-sinh"
    assert made["publish"] == "2021-02-09T00:00:00+07:00"
    assert made["images"] == {"portrait": "card-4x5.png", "square": "card-1x1.png"}
    assert made["video"] is None
    assert set(made["facebook"]) == {"message"}
    assert set(made["zalo"]) == {"title", "description", "body"}


def test_publish_time_is_in_the_project_zone(project: Path, run: Run) -> None:
    write_unit(project, "khai-sinh", PROCEDURE.replace("2021-02-09", "2021-02-09 08:30"))
    built(run, project)
    assert post(project, "khai-sinh")["publish"] == "2021-02-09T08:30:00+07:00"


# --- captions --------------------------------------------------------------------------


def test_facebook_message_reads_title_summary_points_hotline_link_hashtags(
        project: Path, run: Run) -> None:
    built(run, project)
    message = post(project, "khai-sinh")["facebook"]["message"]
    assert message == (
        "Đăng ký khai sinh trực tuyến\n\n"
        "Cha mẹ nộp hồ sơ trên Cổng dịch vụ công, nhận kết quả qua bưu điện.\n\n"
        "Các bước thực hiện:\n"
        "1. Đăng nhập Cổng dịch vụ công.\n"
        "2. Điền tờ khai, tải giấy chứng sinh.\n\n"
        "☎️ Đường dây nóng: 1022\n"
        "👉 Xem chi tiết: https://dongnai.gov.vn/khai-sinh\n\n"
        "#HoTich #CCHC #DichVuCong")
    assert unicodedata.is_normalized("NFC", message)
    bulleted = post(project, "tong-dai-1022")["facebook"]["message"]
    assert "Nội dung hỗ trợ:\n• Hướng dẫn thủ tục\n• Tra cứu hồ sơ" in bulleted


def test_zalo_article(project: Path, run: Run) -> None:
    built(run, project)
    zalo = post(project, "khai-sinh")["zalo"]
    assert zalo["title"] == "Đăng ký khai sinh trực tuyến"
    assert zalo["description"] == ("Cha mẹ nộp hồ sơ trên Cổng dịch vụ công, nhận kết quả "
                                   "qua bưu điện.")
    assert zalo["body"] == [
        "Cha mẹ nộp hồ sơ trên Cổng dịch vụ công, nhận kết quả qua bưu điện.",
        "Theo Luật Hộ tịch, 60 ngày kể từ ngày sinh.",  # the Markdown's bold left out
        "Các bước thực hiện:",
        "1. Đăng nhập Cổng dịch vụ công.",
        "2. Điền tờ khai, tải giấy chứng sinh.",
        "☎️ Đường dây nóng: 1022",
        "👉 Xem chi tiết: https://dongnai.gov.vn/khai-sinh"]


def test_a_notice_gives_its_own_hotline(project: Path, run: Run) -> None:
    write_unit(project, "tong-dai-1022", NOTICE.replace('hotline: "1022"',
                                                        'hotline: "(0251) 3822 123"'))
    built(run, project)
    assert "☎️ Đường dây nóng: (0251) 3822 123" in post(
        project, "tong-dai-1022")["facebook"]["message"]


@pytest.mark.parametrize(("tag", "expected"), [
    ("hộ tịch", "#HoTich"),
    ("Hộ tịch", "#HoTich"),
    (unicodedata.normalize("NFD", "Hộ tịch"), "#HoTich"),  # typed with a decomposing keyboard
    ("Đồng Nai", "#DongNai"),
    ("CCCD gắn chip", "#CCCDGanChip"),
    ("dịch-vụ công, trực tuyến", "#DichVuCongTrucTuyen"),
    ("Tổng đài 1022", "#TongDai1022"),
    ("1022", ""),  # digits alone make no hashtag link
    ("!!!", ""),
])
def test_hashtags_work_on_facebook_and_zalo(tag: str, expected: str) -> None:
    assert hashtag(tag) == expected
    assert re.fullmatch(r"(#[A-Za-z0-9]+)?", hashtag(tag))


def test_hashtags_are_unique_few_and_short(project: Path, run: Run) -> None:
    tags = ["hộ tịch", "Hộ Tịch", "cchc", "khai sinh", "1022",
            "một thẻ dài hơn ba mươi chữ cái không làm hashtag", "trực tuyến", "bưu điện",
            "tư pháp"]
    write_unit(project, "khai-sinh", PROCEDURE.replace('tags: ["hộ tịch"]',
                                                       f"tags: {json.dumps(tags)}"))
    built(run, project)
    last = post(project, "khai-sinh")["facebook"]["message"].splitlines()[-1]
    # The office's own (CCHC, DichVuCong) are kept first and shown last; five at most.
    assert last == "#HoTich #KhaiSinh #TrucTuyen #CCHC #DichVuCong"


# --- the platforms' limits ----------------------------------------------------------------


def test_lengths_are_counted_as_the_platforms_count() -> None:
    assert platform_length("ế") == 1  # NFC: one letter, one unit
    assert platform_length(unicodedata.normalize("NFD", "ế")) == 3
    assert platform_length("👉") == 2  # outside the BMP: a surrogate pair
    assert platform_length("☎️") == 2  # a symbol and its emoji selector


def test_a_long_post_drops_hashtags_then_the_points_never_half_a_word(
        project: Path, run: Run) -> None:
    tags = ["hộ tịch", "khai sinh", "trực tuyến"]
    write_unit(project, "khai-sinh", long_procedure(12, 6, tags))
    whole = _message_with_limit(project, run, 63206)
    assert whole.endswith("#HoTich #KhaiSinh #TrucTuyen #CCHC #DichVuCong")
    length = platform_length(whole)

    # Room for all but two hashtags: the unit's last ones go first, the office's stay.
    less = _message_with_limit(project, run, length - 12)
    assert less.endswith("\n\n#HoTich #CCHC #DichVuCong")
    assert platform_length(less) <= length - 12

    # No room for the list of steps: it goes whole, and the hashtags come back.
    short = _message_with_limit(project, run, 400)
    assert "Các bước thực hiện" not in short and "Bước 1" not in short
    assert short.endswith("#HoTich #KhaiSinh #TrucTuyen #CCHC #DichVuCong")
    assert platform_length(short) <= 400
    assert short.startswith("Thủ tục dài\n\nMột thủ tục có rất nhiều bước.\n\n")
    assert "https://dongnai.gov.vn/khai-sinh" in short


def _message_with_limit(project: Path, run: Run, limit: int) -> str:
    path = project / "templates" / "social" / "default.toml"
    text = re.sub(r"max_chars = \d+", f"max_chars = {limit}", path.read_text("utf-8"))
    path.write_text(text, encoding="utf-8")
    built(run, project)
    return str(post(project, "khai-sinh")["facebook"]["message"])


def test_the_longest_unit_fits_facebook(project: Path, run: Run) -> None:
    """50 steps of 1,000 characters and 50 tags: what the model allows at most."""
    step = ("Điền " + "thông tin cá nhân " * 60)[:990].rsplit(" ", 1)[0] + "."
    items = "\n".join(f'  - "{step}"' for _ in range(50))
    tags = json.dumps([f"thẻ số {n}" for n in range(50)], ensure_ascii=False)
    write_unit(project, "khai-sinh", (
        f"---\nkind: procedure\ntitle: \"{'Thủ tục ' * 18}dài\"\n"
        f"summary: \"{('Tóm tắt rất dài. ' * 23).strip()}\"\npublish: 2021-02-10\n"
        f"tags: {tags}\nagency: \"UBND cấp xã\"\nsteps:\n{items}\n---\n"))
    built(run, project)
    made = post(project, "khai-sinh")
    assert platform_length(made["facebook"]["message"]) <= 63206
    assert platform_length(made["zalo"]["title"]) <= ZALO_TITLE
    assert platform_length(made["zalo"]["description"]) <= ZALO_DESCRIPTION
    # The summary is longer than Zalo's description: its first sentences, whole.
    assert made["zalo"]["description"].endswith("Tóm tắt rất dài.")


def test_a_post_that_cannot_fit_is_a_problem_with_the_fix(project: Path, run: Run) -> None:
    summary = "Người dân nộp hồ sơ trực tuyến " * 11
    write_unit(project, "khai-sinh", PROCEDURE.replace(
        "Cha mẹ nộp hồ sơ trên Cổng dịch vụ công, nhận kết quả qua bưu điện.", summary.strip()))
    set_template(project, "max_chars = 63206", "max_chars = 300")
    status, _, out = run("check", "--project", str(project), "--today", TODAY)
    assert status != 0
    line = next(line for line in out.splitlines() if "Facebook" in line)
    assert re.search(r"khai-sinh\.md:\d+: summary: the Facebook post is \d+ characters "
                     r"longer than 300, even without its key points and hashtags -> shorten "
                     r"the summary by \d+ characters", line), line
    status, _, err = build(run, project)
    assert status != 0 and "summary" in err
    assert not (project / "outbox" / "social" / "khai-sinh").exists()


def test_a_title_too_long_for_zalo_is_a_problem(project: Path, run: Run) -> None:
    title = "Hướng dẫn " + "đăng ký khai sinh trực tuyến " * 5
    write_unit(project, "khai-sinh", PROCEDURE.replace("Đăng ký khai sinh trực tuyến",
                                                       title.strip()))
    status, _, out = run("check", "--project", str(project), "--today", TODAY)
    assert status != 0
    length = len(title.strip())
    assert (f"content/khai-sinh.md:3: title: is {length} characters long, more than the 150 "
            f"a Zalo article's title may have -> shorten it by {length - 150} characters"
            ) in out


def test_a_first_sentence_too_long_for_zalo_is_a_problem(project: Path, run: Run) -> None:
    summary = "Người dân " + "nộp hồ sơ trực tuyến, " * 14 + "rất nhanh."
    write_unit(project, "khai-sinh", PROCEDURE.replace(
        "Cha mẹ nộp hồ sơ trên Cổng dịch vụ công, nhận kết quả qua bưu điện.", summary))
    status, _, out = run("check", "--project", str(project), "--today", TODAY)
    assert status != 0
    assert "summary: its first sentence is" in out and "Zalo" in out


def test_a_title_too_long_for_the_card_is_a_thorough_problem(project: Path, run: Run) -> None:
    set_template(project, "title_min_px = 56", "title_min_px = 190")
    set_template(project, "title_px = 96", "title_px = 200")
    status, _, out = run("check", "--project", str(project), "--today", TODAY)
    assert status != 0
    assert "title: 1080×1350 social card: the title does not fit" in out


# --- the clip ------------------------------------------------------------------------------


def test_the_post_names_the_clip_the_video_channel_made(project: Path, run: Run) -> None:
    """What the video channel leaves in the outbox, as its manifest lists it (written
    here through the outbox, as a build writes it: the real clip is in the slow test)."""
    outbox = ChannelOutbox(project / "outbox", "video")
    for path in ("khai-sinh/khai-sinh-16x9.mp4", "khai-sinh/khai-sinh-9x16.mp4",
                 "khai-sinh/khai-sinh-9x16.jpg"):
        outbox.write(path, b"\0" * 64, "khai-sinh", "inputs", "video", ("khai-sinh",))
    outbox.save()
    built(run, project)
    assert post(project, "khai-sinh")["video"] == "video/khai-sinh/khai-sinh-9x16.mp4"
    assert post(project, "tan-phong")["video"] is None
    before = (project / "outbox" / "social" / "khai-sinh" / "post.json").read_bytes()

    set_template(project, 'video = ["video/*-9x16.mp4"]', "video = []")
    built(run, project)
    assert post(project, "khai-sinh")["video"] is None
    assert (project / "outbox" / "social" / "khai-sinh" / "post.json").read_bytes() != before


@pytest.mark.slow
def test_the_post_names_the_real_clip(project: Path, run: Run) -> None:
    status, _, err = run("build", "--project", str(project), "--channel", "video",
                         "--only", "tong-dai-1022", "--today", TODAY)
    assert status == 0, err
    built(run, project)
    clip = post(project, "tong-dai-1022")["video"]
    assert clip == "video/tong-dai-1022/tong-dai-1022-9x16.mp4"
    assert (project / "outbox" / clip).is_file()


# --- the cards -----------------------------------------------------------------------------


def test_cards_are_the_same_bytes_each_time(project: Path, run: Run) -> None:
    folder = built(run, project)
    first = {p: p.read_bytes() for p in folder.rglob("*") if p.is_file()
             and p.name != "manifest.json"}
    assert build(run, project, "--force")[0] == 0
    assert first == {p: p.read_bytes() for p in first}
    for path, data in first.items():
        if path.suffix == ".png":
            assert _chunks(data) == ["IHDR", "IDAT", "IEND"], path


def _chunks(png: bytes) -> list[str]:
    """The chunk types of a PNG, repeated IDATs counted once."""
    found, at = [], 8
    while at < len(png):
        size = int.from_bytes(png[at:at + 4], "big")
        kind = png[at + 4:at + 8].decode("ascii")
        if not found or found[-1] != kind:
            found.append(kind)
        at += 12 + size
    return found


def test_cards_are_the_brand_with_the_accent_box(project: Path, run: Run) -> None:
    folder = built(run, project)
    with Image.open(folder / "khai-sinh" / "card-4x5.png") as card:
        pixels = card.convert("RGB")
        assert pixels.getpixel((10, 10)) == (0x0B, 0x5C, 0xAD)  # the brand's primary
        assert pixels.getpixel((540, 1350 - 84 - 10)) == (0xC6, 0x28, 0x28)  # the accent box


def test_a_logo_named_in_the_settings_stands_on_the_cards(project: Path, run: Run) -> None:
    logo = Image.new("RGBA", (200, 100), (255, 200, 0, 255))
    logo.save(project / "logo.png")
    toml = project / "toolkit.toml"
    toml.write_text(toml.read_text("utf-8").replace('logo = ""', 'logo = "logo.png"'),
                    encoding="utf-8")
    folder = built(run, project)
    with Image.open(folder / "khai-sinh" / "card-4x5.png") as card:
        assert card.convert("RGB").getpixel((84 + 50, 84 + 48)) == (255, 200, 0)
    before = (folder / "khai-sinh" / "card-4x5.png").read_bytes()
    Image.new("RGBA", (200, 100), (0, 200, 0, 255)).save(project / "logo.png")
    built(run, project)  # the logo is read by the cards: a new one makes them again
    assert (folder / "khai-sinh" / "card-4x5.png").read_bytes() != before


def test_a_logo_that_cannot_be_read_is_said_once(project: Path, run: Run) -> None:
    for name, text in (("khai-sinh", PROCEDURE), ("tan-phong", EXAMPLE),
                       ("tong-dai-1022", NOTICE)):
        write_unit(project, name, with_field(text, "channels: [social]"))
    (project / "logo.png").write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 40)  # cut short
    toml = project / "toolkit.toml"
    toml.write_text(toml.read_text("utf-8").replace('logo = ""', 'logo = "logo.png"'),
                    encoding="utf-8")
    status, _, err = run("check", "--project", str(project), "--today", TODAY)
    assert status != 0
    said = [line for line in err.splitlines() if "brand.logo" in line]
    assert len(said) == 1 and said[0].startswith("toolkit.toml: brand.logo: 'logo.png'"), err
    status, _, err = build(run, project)
    assert status != 0 and "toolkit.toml: brand.logo:" in err
    assert not (project / "outbox" / "social" / "khai-sinh").exists()


def test_every_stacked_mark_is_drawn() -> None:
    from toolkit.render.fonts import font_file
    from toolkit.render.raster import font

    heavy = font(font_file("BeVietnamPro-ExtraBold.ttf", Path(".")), 96)
    missing = heavy.getmask("\ue000").getbbox()  # a letter the font lacks
    for marked, bare in zip("ếộữảẫờỶỄ", "eouaaoYE", strict=True):
        box = heavy.getbbox(marked, anchor="ls")
        assert heavy.getmask(marked).getbbox() != missing
        assert box[1] < heavy.getbbox(bare, anchor="ls")[1], marked  # its mark stands above


@pytest.mark.parametrize("title", [
    "Ỷ Ễ Ữ Ẫ: ế ộ ữ ả ẫ ờ trên thẻ",
    "Tổng đài Dịch vụ công (0251) 1022: một số gọi, giải đáp mọi thủ tục hành chính",
    "Đăng ký " + "thường trú " * 12 + "nhanh",
])
def test_nothing_runs_into_an_edge_or_another_piece(project: Path, title: str) -> None:
    from toolkit.channels.social.card import SIZES, Card, lone_words
    from toolkit.channels.social.template import SocialTemplate
    from toolkit.content.load import load_content
    from toolkit.templates import channel_template

    write_unit(project, "khai-sinh", PROCEDURE.replace("Đăng ký khai sinh trực tuyến", title))
    opened = open_project(project)
    unit = next(u for u in load_content(project, project / "content").units
                if u.id == "khai-sinh")
    template = channel_template(project, "social", SocialTemplate)
    for name, (width, height) in SIZES.items():
        laid = Card(unit, opened.settings, template, project, name).layout()
        for text in laid.texts:
            left, top, right, bottom = _ink(text)
            assert left >= 84 - 1 and right <= width - 84 + 1, (name, text.text)
            assert top >= 84 and bottom <= height - 84, (name, text.text)
        x, y, side = laid.disc
        disc = Image.new("L", (width, height))
        ImageDraw.Draw(disc).ellipse((x, y, x + side, y + side), fill=255)
        drawn = [disc]
        for text in laid.texts:
            mask = Image.new("L", (width, height))
            ImageDraw.Draw(mask).text(text.at, text.text, font=text.face, fill=255,
                                      anchor=text.anchor)
            assert not any(ImageChops.multiply(mask, other).getbbox() for other in drawn), (
                name, text.text)
            drawn.append(mask)
        assert not lone_words(laid.title), laid.title.lines


def _ink(text) -> tuple[float, float, float, float]:  # type: ignore[no-untyped-def]
    left, top, right, bottom = text.face.getbbox(text.text, anchor=text.anchor)
    return (text.at[0] + left, text.at[1] + top, text.at[0] + right, text.at[1] + bottom)


# --- the review page and the report ----------------------------------------------------------


def test_the_review_page_shows_the_cards_and_the_captions(project: Path, run: Run) -> None:
    built(run, project)
    page = review_page(open_project(project)).decode("utf-8")
    assert "src='/social/khai-sinh/card-4x5.png'" in page
    assert "src='/social/khai-sinh/card-1x1.png'" in page
    message = post(project, "khai-sinh")["facebook"]["message"]
    assert f"Facebook post: {platform_length(message)} of 63206 characters" in page
    assert "Zalo article: title 28 of 150 characters, description 67 of 300" in page
    assert "#HoTich #CCHC #DichVuCong" in page


def test_a_post_changed_by_hand_is_said_on_the_review_page(project: Path, run: Run) -> None:
    built(run, project)
    (project / "outbox" / "social" / "khai-sinh" / "post.json").write_text("{", "utf-8")
    page = review_page(open_project(project)).decode("utf-8")
    assert "is not the post the build wrote" in page


def test_the_report_counts_one_post_a_unit(project: Path, run: Run) -> None:
    built(run, project)
    assert run("report", "--project", str(project), "--quarter", "2021-Q1")[0] == 0
    report = Document(project / "outbox" / "report" / "2021-Q1" / "report-2021-Q1.docx")
    header, *_, total = ([c.text for c in row.cells] for row in report.tables[0].rows)
    i18n.use("vi")
    column = i18n.vietnamese("social posts")
    assert column != "social posts"
    assert total[header.index(column)] == "3"
