"""What an officer pastes or a phone sends, through `toolkit check` and `toolkit build`
on real files: control characters, bad photos, YAML aliases, markup in a summary,
Word files that unpack to gigabytes, bodies of many megabytes. Each is a problem of
its own unit, said on one line, and every other unit is built (issue 9, items 2, 3,
4, 5 and 8)."""

from __future__ import annotations

import json
import os
import random
import re
import struct
import time
import zipfile
import zlib
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path

import feedparser
import pytest
from PIL import Image

from tests.conftest import EXAMPLE, NOTICE, PROCEDURE, write_unit

Run = Callable[..., tuple[int, str, str]]
TODAY = "2021-03-31"
BODY = "Theo Luật Hộ tịch, **60 ngày** kể từ ngày sinh."
TITLE = '"Đăng ký khai sinh trực tuyến"'
SUMMARY = '"Cha mẹ nộp hồ sơ trên Cổng dịch vụ công, nhận kết quả qua bưu điện."'
SPLIT = ("split it into several units, or put the full text on a web page and give its "
         "address as link:")


def edit(text: str, old: str, new: str) -> str:
    assert old in text, old
    return text.replace(old, new, 1)


def check(run: Run, project: Path) -> tuple[int, str, str]:
    return run("check", "--project", str(project), "--today", TODAY)


# The line a stage of the build leaves when not on a terminal: "RSS: 4/4, 0.1 s".
STAGE_LINE = re.compile(r"^[^:\n]+: \d+/\d+, \d+\.\d s\n", re.MULTILINE)


def build(run: Run, project: Path, *channels: str) -> tuple[int, str, str]:
    """Build some channels; what it says on stderr, but for the lines of its stages."""
    args = [arg for channel in channels for arg in ("--channel", channel)]
    status, out, err = run("build", "--project", str(project), *args, "--today", TODAY,
                           "--jobs", "1")
    return status, out, STAGE_LINE.sub("", err)


def feed_ids(project: Path) -> list[str]:
    parsed = feedparser.parse((project / "outbox" / "rss" / "feed.xml").read_bytes())
    assert parsed.bozo == 0, parsed.get("bozo_exception")
    return sorted(e.id.rsplit("/", 1)[1] for e in parsed.entries)


def problem_lines(err: str, unit: str) -> list[str]:
    return [line for line in err.splitlines() if line.startswith(f"content/{unit}.md")]


def no_posters(project: Path) -> None:
    """Leaflets only: the print tests need no posters, and are quicker without them."""
    template = project / "templates" / "leaflets" / "default.toml"
    text = template.read_text(encoding="utf-8")
    template.write_text(re.sub(r"^sizes = .*$", "sizes = {}", text, flags=re.MULTILINE),
                        encoding="utf-8")


# --- item 2: control characters -------------------------------------------------------


def test_a_vertical_tab_from_word_is_a_line_break_and_the_feed_is_built(project: Path,
                                                                        run: Run) -> None:
    # Word's Shift+Enter, pasted: a vertical tab in the body, U+2028 in the title.
    write_unit(project, "khai-sinh", edit(edit(PROCEDURE, BODY, "Dòng một\vdòng hai."),
                                          TITLE, '"Đăng ký khai sinh\u2028trực tuyến"'))
    assert check(run, project)[0] == 0
    status, _, err = build(run, project, "rss")
    assert (status, err) == (0, "")
    parsed = feedparser.parse((project / "outbox" / "rss" / "feed.xml").read_bytes())
    entry = next(e for e in parsed.entries if e.id.endswith("/khai-sinh"))
    assert entry.title == "Đăng ký khai sinh trực tuyến"
    assert "Dòng một<br />\ndòng hai." in entry.content[0].value


@pytest.mark.parametrize("char, name", [("\x1b", "U+001B ESC"), ("\x00", "U+0000 NUL"),
                                        ("\x85", "U+0085 NEL"), ("\ufffe", "U+FFFE"),
                                        ("\u202e", "U+202E RIGHT-TO-LEFT OVERRIDE"),
                                        ("\u2066", "U+2066 LEFT-TO-RIGHT ISOLATE")])
@pytest.mark.parametrize("where", ["body", "title"])
def test_a_control_character_is_a_problem_of_its_unit_only(project: Path, run: Run, char: str,
                                                           name: str, where: str) -> None:
    text = edit(PROCEDURE, BODY, f"Theo Luật{char} Hộ tịch.") if where == "body" else \
        edit(PROCEDURE, TITLE, f'"Đăng ký{char} khai sinh"')
    write_unit(project, "khai-sinh", text)
    status, _, err = check(run, project)
    assert status == 1
    line = 13 if where == "body" else 3
    column = 10 if where == "body" else 16
    assert problem_lines(err, "khai-sinh") == [
        f"content/khai-sinh.md:{line}: {where}: {name} at column {column} " + err.split(
            f"at column {column} ", 1)[1].splitlines()[0]]
    assert " -> delete it" in err
    status, _, err = build(run, project, "rss")
    assert status == 1 and "Traceback" not in err and "lxml" not in err
    assert feed_ids(project) == ["tan-phong", "tong-dai-1022"]


@pytest.mark.parametrize("escape, name", [("\\e", "U+001B ESC"), ("\\x1b", "U+001B ESC"),
                                          ("\\0", "U+0000 NUL"), ("\\N", "U+0085 NEL"),
                                          ("\\uFFFF", "U+FFFF"),
                                          ("\\u202E", "U+202E RIGHT-TO-LEFT OVERRIDE")])
def test_an_escape_in_quotes_is_checked_too(project: Path, run: Run, escape: str,
                                            name: str) -> None:
    write_unit(project, "khai-sinh", edit(PROCEDURE, '"UBND cấp xã"', f'"UBND{escape} cấp xã"'))
    status, _, err = check(run, project)
    assert status == 1
    [line] = problem_lines(err, "khai-sinh")
    assert line.startswith(f"content/khai-sinh.md:7: agency: {name} (written as an escape")
    status, _, err = build(run, project, "rss")
    assert status == 1 and "Traceback" not in err
    assert feed_ids(project) == ["tan-phong", "tong-dai-1022"]


def test_a_lone_surrogate_escape_is_a_problem(project: Path, run: Run) -> None:
    write_unit(project, "khai-sinh", edit(PROCEDURE, TITLE, '"Đăng ký \\ud800 khai sinh"'))
    status, _, err = check(run, project)
    assert status == 1
    [line] = problem_lines(err, "khai-sinh")
    assert line.startswith("content/khai-sinh.md:3:")


def test_a_vertical_tab_escape_in_quotes_is_a_space(project: Path, run: Run) -> None:
    write_unit(project, "khai-sinh", edit(PROCEDURE, TITLE, '"Đăng ký\\vkhai sinh"'))
    assert check(run, project)[0] == 0
    assert build(run, project, "rss")[0] == 0
    parsed = feedparser.parse((project / "outbox" / "rss" / "feed.xml").read_bytes())
    assert "Đăng ký khai sinh" in [e.title for e in parsed.entries]


def test_one_nul_in_good_text_is_reported_where_it_is_not_as_binary(project: Path,
                                                                    run: Run) -> None:
    write_unit(project, "khai-sinh", edit(PROCEDURE, "kể từ", "kể\x00 từ").encode())
    status, _, err = check(run, project)
    assert status == 1
    assert "binary" not in err
    assert problem_lines(err, "khai-sinh")[0].startswith(
        "content/khai-sinh.md:13: body: U+0000 NUL at column 34 is an invisible control")


def test_many_control_characters_make_a_few_lines(project: Path, run: Run) -> None:
    write_unit(project, "khai-sinh", edit(PROCEDURE, BODY, "a\x1b" * 500))
    status, _, err = check(run, project)
    lines = problem_lines(err, "khai-sinh")
    assert status == 1 and len(lines) == 11
    assert "and 490 more such characters after it" in lines[-1]


# --- item 3: photos -----------------------------------------------------------------------


def photo_unit(project: Path, image: str, name: str = "tan-phong") -> None:
    write_unit(project, name, edit(EXAMPLE, "publish:", f"image: {image}\npublish:"))


def noise_jpeg(path: Path, size: tuple[int, int] = (640, 480)) -> bytes:
    """A photo that does not compress to nothing, so that half of it is a real half."""
    rng = random.Random(9)
    image = Image.frombytes("RGB", size, rng.randbytes(size[0] * size[1] * 3))
    image.save(path, format="JPEG", quality=90)
    return path.read_bytes()


def png_header(width: int, height: int) -> bytes:
    """A PNG that says it is `width` × `height` and holds almost nothing."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I",
                                                                        zlib.crc32(kind + data))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) +
            chunk(b"IDAT", zlib.compress(b"\x00" * 64)) + chunk(b"IEND", b""))


HEIC = b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + bytes(200)


@pytest.mark.parametrize("make, image, expected", [
    (lambda p: (p / "content" / "anh.heic").write_bytes(HEIC), "anh.heic",
     "'anh.heic' is a HEIC photo (iPhone), which print cannot use -> convert it to JPEG"),
    (lambda p: None, "/etc/passwd",
     "'/etc/passwd' is an absolute path; a picture must be inside the project folder"),
    (lambda p: None, "../../../../../../etc/passwd",
     "'../../../../../../etc/passwd' is outside the project folder"),
    (lambda p: os.symlink("/etc/passwd", p / "content" / "anh.jpg"), "anh.jpg",
     "'anh.jpg' is outside the project folder"),
    (lambda p: (p / "content" / "anh.jpg").write_text("không phải ảnh", encoding="utf-8"),
     "anh.jpg", "'anh.jpg' is not a picture -> give a JPEG, PNG or WebP photo"),
    (lambda p: (p / "content" / "anh.gif").write_bytes(b"GIF89a" + bytes(30)), "anh.gif",
     "'anh.gif' is in the GIF format; print takes JPEG, PNG or WebP"),
    (lambda p: None, "khong-co.jpg", "'khong-co.jpg' is not a file -> give the path from"),
])
def test_a_bad_photo_is_a_problem_of_its_unit_and_the_others_build(
        project: Path, run: Run, make: Callable[[Path], object], image: str,
        expected: str) -> None:
    make(project)
    photo_unit(project, image)
    status, _, err = check(run, project)
    assert status == 1
    assert err.splitlines() == [line for line in err.splitlines()
                                if line.startswith("content/tan-phong.md:5: image: ")]
    assert expected in err, err
    assert "cannot identify" not in err and "Traceback" not in err
    status, _, err = build(run, project, "rss", "sms")
    assert status == 1 and expected in err
    assert feed_ids(project) == ["khai-sinh", "tong-dai-1022"]


def test_a_photo_cut_short_fails_its_leaflet_alone(project: Path, run: Run) -> None:
    no_posters(project)
    photo = project / "content" / "anh.jpg"
    whole = noise_jpeg(photo, (2000, 1500))  # enough pixels for the panel it covers
    photo_unit(project, "anh.jpg")
    photo_unit(project, "anh.jpg", "tan-phong-2")
    assert build(run, project, "print")[0] == 0
    leaflet = project / "outbox" / "print" / "tan-phong" / "tan-phong-leaflet.pdf"
    good = leaflet.read_bytes()

    photo.write_bytes(whole[:len(whole) // 2])  # a copy that stopped half way
    status, _, err = check(run, project)
    assert status == 1
    # The file, and the line of image: where the channel names it.
    assert {re.sub(r":\d+$", "", line.split(": ", 1)[0]) for line in err.splitlines()} == {
        "content/tan-phong.md", "content/tan-phong-2.md"}
    assert "image: 'anh.jpg' is cut short (the file is incomplete)" in err
    status, _, err = build(run, project, "print")
    assert status == 1 and "Traceback" not in err and "cannot identify" not in err
    assert re.search(r"^content/tan-phong.md(:\d+)?: image: 'anh.jpg' is cut short", err,
                     re.MULTILINE)
    assert leaflet.read_bytes() == good  # the last good leaflet stays
    manifest = json.loads((project / "outbox" / "print" / "manifest.json").read_text())
    units = {item["unit"] for item in manifest["items"]}
    assert units == {"khai-sinh", "tong-dai-1022", "tan-phong", "tan-phong-2"}


@pytest.mark.parametrize("side", [10_000, 30_000])
def test_a_picture_with_too_many_pixels_is_a_problem(project: Path, run: Run, side: int) -> None:
    (project / "content" / "anh.png").write_bytes(png_header(side, side))
    photo_unit(project, "anh.png")
    status, _, err = check(run, project)
    assert status == 1
    assert re.match(r"content/tan-phong.md(:\d+)?: image: 'anh.png' has too many pixels", err)
    assert "Traceback" not in err


def _page(path: Path, page: int) -> Image.Image:
    import pypdfium2

    document = pypdfium2.PdfDocument(path)
    try:
        return document[page].render(scale=1).to_pil().convert("RGB")
    finally:
        document.close()


def _box(image: Image.Image, colour: Callable[[tuple[int, int, int]], bool]) -> tuple[int, ...]:
    mask = Image.new("1", image.size)
    pixels, marks = image.load(), mask.load()
    for x in range(image.width):
        for y in range(image.height):
            marks[x, y] = 1 if colour(pixels[x, y]) else 0
    box = mask.getbbox()
    assert box is not None
    return box


def test_a_portrait_phone_photo_is_placed_upright(project: Path, run: Run) -> None:
    # Stored as a phone stores it: sideways (red on the left, blue on the right) with
    # EXIF orientation 6, "turn 90° clockwise to show": upright, red is on top.
    no_posters(project)
    stored = Image.new("RGB", (4000, 3000), (220, 20, 20))
    stored.paste((20, 20, 220), (2000, 0, 4000, 3000))
    exif = Image.Exif()
    exif[0x0112] = 6
    stored.save(project / "content" / "anh.jpg", format="JPEG", exif=exif)
    photo_unit(project, "anh.jpg")
    assert build(run, project, "print") == (0, "built 3, up to date 0\n", "")
    inside = _page(project / "outbox" / "print" / "tan-phong" / "tan-phong-leaflet.pdf", 1)
    panel = inside.crop((int(36 + 205 * 72 / 25.4), 0, inside.width, inside.height))  # right
    red = _box(panel, lambda p: p[0] > 180 and p[1] < 80 and p[2] < 80)
    blue = _box(panel, lambda p: p[2] > 130 and p[0] < 80 and p[1] < 120)
    assert red[3] <= blue[1] + 2  # red above blue: the photo is upright, as it is seen
    assert abs(red[0] - blue[0]) <= 2 and abs(red[2] - blue[2]) <= 2


def test_a_cmyk_jpeg_is_placed(project: Path, run: Run) -> None:
    no_posters(project)
    Image.new("CMYK", (3000, 2000), (0, 230, 230, 0)).save(project / "content" / "anh.jpg")
    photo_unit(project, "anh.jpg")
    assert check(run, project)[0] == 0
    assert build(run, project, "print")[0] == 0
    inside = _page(project / "outbox" / "print" / "tan-phong" / "tan-phong-leaflet.pdf", 1)
    panel = inside.crop((int(36 + 205 * 72 / 25.4), 0, inside.width, inside.height))  # right
    assert _box(panel, lambda p: p[0] > 180 and p[1] < 90 and p[2] < 90)


@pytest.mark.parametrize("logo, expected", [
    ("/etc/passwd", "'/etc/passwd' is an absolute path"),
    ("../ngoai.png", "'../ngoai.png' is outside the project folder"),
    ("logo.heic", "'logo.heic' is a HEIC photo (iPhone)"),
])
def test_the_logo_follows_the_same_rules(project: Path, run: Run, logo: str,
                                         expected: str) -> None:
    (project / "logo.heic").write_bytes(HEIC)
    (project.parent / "ngoai.png").write_bytes(png_header(10, 10))
    toml = project / "toolkit.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace('logo = ""', f'logo = "{logo}"'),
                    encoding="utf-8")
    status, _, err = build(run, project, "print")
    assert status == 1
    assert err.startswith(f"toolkit.toml: brand.logo: {expected}")


# --- item 4: YAML aliases, and how much of a value a message quotes ------------------------

BILLION_LAUGHS = 'legal_basis:\n  - &a0 [' + ", ".join(['"lol"'] * 8) + ']\n' + \
    "".join(f"  - &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]\n" for i in range(1, 10)) + \
    "audience: *a9\n"


def test_a_billion_laughs_unit_is_refused_at_once(project: Path, run: Run) -> None:
    write_unit(project, "khai-sinh", edit(PROCEDURE, "---\n\n", BILLION_LAUGHS + "---\n\n"))
    started = time.monotonic()
    status, _, err = check(run, project)
    assert time.monotonic() - started < 5
    assert status == 1
    assert err.splitlines() == [
        ("content/khai-sinh.md:12: front matter uses a YAML anchor (&a0), which is not allowed "
         '-> write each value out in full; to start a text with & or *, put it in double '
         'quotes: "..."')]
    status, _, err = build(run, project, "rss")
    assert status == 1
    assert feed_ids(project) == ["tan-phong", "tong-dai-1022"]


@pytest.mark.parametrize("field, value", [("audience", "x" * 100_000), ("kind", "y" * 100_000),
                                          ("publish", "2021-" + "9" * 100_000),
                                          ("link", "ftp://" + "z" * 900)])
def test_a_message_quotes_at_most_a_little_of_a_value(project: Path, run: Run, field: str,
                                                      value: str) -> None:
    text = re.sub(rf"^{field}: .*$", f'{field}: "{value}"', PROCEDURE, flags=re.MULTILINE) \
        if f"\n{field}:" in PROCEDURE else edit(PROCEDURE, "publish:", f'{field}: "{value}"\n'
                                                                       "publish:")
    write_unit(project, "khai-sinh", text)
    status, _, err = check(run, project)
    assert status == 1
    assert err and all(len(line) < 400 for line in err.splitlines()), err[:2000]
    assert "…'" in err


# --- item 5: markup in a summary ----------------------------------------------------------


class _Tags(HTMLParser):
    """The tags and attributes an HTML reader would make of a text."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found.append((tag, attrs))


def html_tags(text: str) -> list[tuple[str, list[tuple[str, str | None]]]]:
    parser = _Tags()
    parser.feed(text)
    return parser.found


def test_markup_in_a_summary_or_title_is_a_problem_and_never_reaches_the_feed(
        project: Path, run: Run) -> None:
    write_unit(project, "khai-sinh", edit(PROCEDURE, SUMMARY, '"\'><svg onload=alert(2)>"'))
    write_unit(project, "tong-dai-1022", edit(NOTICE, '"Tổng đài 1022 hỗ trợ người dân"',
                                              '"Tổng đài <b>1022</b>"'))
    status, _, err = check(run, project)
    assert status == 1
    plain = ("looks like HTML; titles, summaries and tags are plain text -> write the text "
             "without <...> tags (bold, links and lists belong in the body, in Markdown)")
    assert err.splitlines() == [
        f"content/khai-sinh.md:4: summary: '<svg onload=alert(2)>' {plain}",
        f"content/tong-dai-1022.md:3: title: '<b>' {plain}"]
    build(run, project, "rss")
    xml = (project / "outbox" / "rss" / "feed.xml").read_bytes()
    assert b"svg" not in xml and b"<b>" not in xml and b"&lt;b&gt;" not in xml
    assert feed_ids(project) == ["tan-phong"]


def test_a_lone_less_than_sign_is_plain_text(project: Path, run: Run) -> None:
    write_unit(project, "khai-sinh", edit(PROCEDURE, SUMMARY, '"Chờ < 15 phút, phí <= 8.000đ"'))
    assert check(run, project)[0] == 0


def test_links_and_raw_html_of_a_body_never_run_in_the_feed(project: Path, run: Run) -> None:
    body = ("[bấm](javascript:alert(1)) <javascript:alert(2)> ![ảnh](javascript:alert(3)) "
            "[dữ liệu](data:text/html;base64,PHNjcmlwdD4=) <b onmouseover=alert(4)>x</b>\n\n"
            "<script>alert(5)</script>\n\n<svg onload=alert(6)>\n")
    write_unit(project, "khai-sinh", edit(PROCEDURE, BODY, body))
    assert build(run, project, "rss")[0] == 0
    data = (project / "outbox" / "rss" / "feed.xml").read_bytes()
    entry = next(e for e in feedparser.parse(data, sanitize_html=False).entries
                 if e.id.endswith("/khai-sinh"))
    tags = html_tags(entry.content[0].value)
    assert {tag for tag, _ in tags} <= {"p", "a", "img", "h3", "ol", "li", "strong"}
    for _, attrs in tags:
        for name, value in attrs:
            assert not name.startswith("on")
            assert not (value or "").lower().startswith(("javascript:", "data:"))


# --- item 8: Word files that unpack to gigabytes, bodies of megabytes --------------------------


def a_docx(path: Path) -> Path:
    from docx import Document

    document = Document()
    document.add_paragraph("Đăng ký khai sinh trực tuyến", style="Heading 1")
    document.add_paragraph("Cha mẹ nộp hồ sơ trên Cổng dịch vụ công.")
    document.save(str(path))
    return path


def rewritten(source: Path, target: Path, part: str, data: bytes) -> Path:
    """`source` with one part's bytes replaced, as a zip tool writes it."""
    with zipfile.ZipFile(source) as old, \
            zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as new:
        for info in old.infolist():
            new.writestr(info.filename, data if info.filename == part else old.read(info))
    return target


def test_a_word_file_that_unpacks_to_120_mb_is_refused(
        project: Path, run: Run, tmp_path: Path) -> None:
    good = a_docx(tmp_path / "good.docx")
    document = zipfile.ZipFile(good).read("word/document.xml")
    paragraphs = b"<w:p/>" * (20 * 2**20)  # 120 MB of empty paragraphs zip to 200 KB
    bomb = rewritten(good, tmp_path / "bomb.docx", "word/document.xml",
                     document.replace(b"<w:body>", b"<w:body>" + paragraphs))
    assert bomb.stat().st_size < 2**20
    started = time.monotonic()
    status, out, err = run("import", str(bomb), "--project", str(project))
    assert time.monotonic() - started < 5
    assert status == 1 and out == ""
    assert err.startswith("bomb.docx: word/document.xml unpacks to 120 MB, more than a Word "
                          "draft can be (10 MB) -> copy the text into a new document")
    assert not list((project / "content").glob("dang-ky*"))


def test_a_word_file_whose_zip_lies_about_a_size_is_refused(project: Path, run: Run,
                                                            tmp_path: Path) -> None:
    good = a_docx(tmp_path / "good.docx")
    document = zipfile.ZipFile(good).read("word/document.xml")
    big = document.replace(b"<w:body>", b"<w:body><!--" + b" " * (30 * 2**20) + b"-->")
    liar = rewritten(good, tmp_path / "liar.docx", "word/document.xml", big)
    data = bytearray(liar.read_bytes())
    # Make the zip say 4 KB where it holds 30 MB: the local header and the directory.
    for signature, offset in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        start = 0
        while (start := data.find(signature, start)) >= 0:
            name_at = start + (30 if signature == b"PK\x03\x04" else 46)
            if data[name_at:name_at + 17] == b"word/document.xml":
                data[start + offset:start + offset + 4] = struct.pack("<I", 4096)
            start += 4
    liar.write_bytes(bytes(data))
    started = time.monotonic()
    status, _, err = run("import", str(liar), "--project", str(project))
    assert time.monotonic() - started < 5
    assert status == 1
    assert err.startswith("liar.docx: ") and "Traceback" not in err
    assert "damaged" in err


def test_a_word_file_whose_text_is_cut_in_half_gives_a_message(project: Path, run: Run,
                                                               tmp_path: Path) -> None:
    good = a_docx(tmp_path / "good.docx")
    document = zipfile.ZipFile(good).read("word/document.xml")
    cut = rewritten(good, tmp_path / "cut.docx", "word/document.xml",
                    document[:len(document) // 2])
    status, _, err = run("import", str(cut), "--project", str(project))
    assert status == 1
    assert err.startswith("cut.docx: is damaged: part of it is not valid XML (")
    assert err.rstrip().endswith("-> open it in Word, which offers to repair it, and save it "
                                 "again as .docx")
    assert len(err.splitlines()) == 1


def test_a_body_past_the_limit_is_a_problem_saying_what_to_do(project: Path, run: Run) -> None:
    write_unit(project, "khai-sinh", edit(PROCEDURE, BODY, "Một câu văn. " * 1600))
    status, _, err = check(run, project)
    assert status == 1
    assert problem_lines(err, "khai-sinh") == [
        f"content/khai-sinh.md:13: body: is 20800 characters long, more than 20000 -> {SPLIT}"]


def test_a_unit_file_of_megabytes_is_not_read(project: Path, run: Run) -> None:
    write_unit(project, "khai-sinh", edit(PROCEDURE, BODY, "Một câu văn dài. " * 180_000))
    started = time.monotonic()
    status, _, err = check(run, project)
    assert time.monotonic() - started < 5
    assert status == 1
    assert problem_lines(err, "khai-sinh") == [
        f"content/khai-sinh.md: is larger than a unit file can be (1024 KB) -> {SPLIT}"]
    assert build(run, project, "rss")[0] == 1
    assert feed_ids(project) == ["tan-phong", "tong-dai-1022"]


def test_a_body_just_under_the_limit_is_checked_in_seconds(project: Path, run: Run) -> None:
    from toolkit.content.model import MAX_BODY_CHARS

    rng = random.Random(8)
    words = ["thủ", "tục", "hành", "chính", "người", "dân", "nộp", "hồ", "sơ", "trực", "tuyến"]
    body = " ".join(rng.choice(words) for _ in range(MAX_BODY_CHARS))[:MAX_BODY_CHARS - 1]
    write_unit(project, "khai-sinh", edit(PROCEDURE, BODY, body.strip()))
    started = time.monotonic()
    status, _, err = check(run, project)
    elapsed = time.monotonic() - started
    assert status == 1 and "8 pt" in err  # it cannot fit a leaflet, even in the smallest type
    assert elapsed < 10, elapsed
