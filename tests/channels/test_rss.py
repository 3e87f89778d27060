"""The RSS channel, read back by a real client (feedparser) and as raw XML."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import feedparser
import pytest
from lxml import etree

from tests.conftest import NOTICE, PROCEDURE, write_unit
from toolkit.content.model import Procedure

Run = Callable[..., tuple[int, str, str]]
BASE = "https://dongnai.gov.vn"


def build(run: Run, project: Path, today: str = "2021-03-31") -> None:
    status, _, err = run("build", "--project", str(project), "--channel", "rss", "--today", today)
    assert (status, err) == (0, "")


def feed_bytes(project: Path, name: str = "feed.xml") -> bytes:
    return (project / "outbox" / "rss" / name).read_bytes()


def parse(project: Path, name: str = "feed.xml") -> feedparser.FeedParserDict:
    parsed = feedparser.parse(feed_bytes(project, name))
    assert parsed.bozo == 0, parsed.get("bozo_exception")
    return parsed


def test_feed_parses_cleanly_with_channel_fields(project: Path, run: Run) -> None:
    build(run, project)
    feed = parse(project)
    assert feed.version == "rss20"
    assert feed.feed.title == "Cải cách hành chính"
    assert feed.feed.language == "vi"
    assert feed.feed.link == BASE
    self_links = [link.href for link in feed.feed.links if link.rel == "self"]
    assert self_links == [f"{BASE}/outbox/rss/feed.xml"]


def test_items_are_newest_first_with_stable_guids_and_local_dates(project: Path,
                                                                  run: Run) -> None:
    build(run, project)
    entries = parse(project).entries
    assert [e.id for e in entries] == [f"{BASE}/tan-phong", f"{BASE}/khai-sinh",
                                       f"{BASE}/tong-dai-1022"]
    assert [e.guidislink for e in entries] == [False] * 3
    assert entries[1].published == "Tue, 09 Feb 2021 00:00:00 +0700"
    assert entries[1].link == f"{BASE}/khai-sinh"


def test_guid_does_not_follow_the_build_or_edits(project: Path, run: Run) -> None:
    build(run, project)
    first = [e.id for e in parse(project).entries]
    write_unit(project, "khai-sinh", PROCEDURE.replace("Đăng ký khai sinh trực tuyến",
                                                        "Khai sinh trực tuyến"))
    build(run, project)
    assert [e.id for e in parse(project).entries] == first


def test_last_build_date_comes_from_the_content(project: Path, run: Run) -> None:
    build(run, project)
    channel = etree.fromstring(feed_bytes(project)).find("channel")
    assert channel.findtext("lastBuildDate") == "Fri, 26 Feb 2021 00:00:00 +0700"


def test_unpublished_and_expired_units_are_left_out(project: Path, run: Run) -> None:
    write_unit(project, "sap-toi", PROCEDURE.replace("2021-02-09", "2021-04-01"))
    write_unit(project, "het-han", NOTICE.replace("publish: 2021-02-08",
                                                  "publish: 2021-02-08\nexpires: 2021-03-01"))
    build(run, project)
    ids = [e.id.rsplit("/", 1)[1] for e in parse(project).entries]
    assert ids == ["tan-phong", "khai-sinh", "tong-dai-1022"]


def test_feed_grows_when_a_unit_goes_live(project: Path, run: Run) -> None:
    write_unit(project, "sap-toi", PROCEDURE.replace("2021-02-09", "2021-04-01"))
    build(run, project, today="2021-03-31")
    assert len(parse(project).entries) == 3
    build(run, project, today="2021-04-01")
    assert parse(project).entries[0].id == f"{BASE}/sap-toi"


def test_kind_feeds_hold_only_their_kind(project: Path, run: Run) -> None:
    build(run, project)
    for name, unit in [("procedure.xml", "khai-sinh"), ("example.xml", "tan-phong"),
                       ("notice.xml", "tong-dai-1022")]:
        feed = parse(project, name)
        assert [e.id for e in feed.entries] == [f"{BASE}/{unit}"]
        assert feed.feed.title.startswith("Cải cách hành chính – ")


def test_categories_come_from_kind_and_tags(project: Path, run: Run) -> None:
    build(run, project)
    entry = next(e for e in parse(project).entries if e.id.endswith("/khai-sinh"))
    assert [t.term for t in entry.tags] == ["Thủ tục hành chính", "hộ tịch"]


def test_vietnamese_text_arrives_whole_and_nfc(project: Path, run: Run) -> None:
    import unicodedata
    write_unit(project, "khai-sinh", unicodedata.normalize("NFD", PROCEDURE))
    build(run, project)
    entry = next(e for e in parse(project).entries if e.id.endswith("/khai-sinh"))
    assert entry.title == "Đăng ký khai sinh trực tuyến"
    assert unicodedata.is_normalized("NFC", feed_bytes(project).decode("utf-8"))


def test_content_is_escaped_and_raw_html_never_reaches_the_feed(project: Path,
                                                                 run: Run) -> None:
    hostile = PROCEDURE.replace('"Đăng ký khai sinh trực tuyến"', '"Khai sinh < 15 phút & gọn"')
    hostile += '\n<script>alert("x")</script>\n\n<img src=x onerror=alert(1)>\n'
    write_unit(project, "khai-sinh", hostile)
    build(run, project)
    xml = feed_bytes(project).decode("utf-8")
    assert "<script" not in xml and "&lt;script" not in xml and "onerror" not in xml
    assert "<title>Khai sinh &lt; 15 phút &amp; gọn</title>" in xml
    entry = next(e for e in parse(project).entries if e.id.endswith("/khai-sinh"))
    assert entry.title == "Khai sinh < 15 phút & gọn"


def test_item_text_holds_the_body_and_the_key_facts(project: Path, run: Run) -> None:
    build(run, project)
    entry = next(e for e in parse(project).entries if e.id.endswith("/khai-sinh"))
    assert entry.summary == "Cha mẹ nộp hồ sơ trên Cổng dịch vụ công, nhận kết quả qua bưu điện."
    html = entry.content[0].value
    assert "<strong>60 ngày</strong>" in html
    assert "<ol><li>Đăng nhập Cổng dịch vụ công.</li>" in html


def _fake_outputs(project: Path, channel: str, files: dict[str, bytes], unit: str) -> None:
    folder = project / "outbox" / channel
    items = []
    for path, data in files.items():
        (folder / path).parent.mkdir(parents=True, exist_ok=True)
        (folder / path).write_bytes(data)
        items.append({"unit": unit, "path": path, "sha256": "x", "bytes": len(data),
                      "inputs": "x"})
    (folder / "manifest.json").write_text(json.dumps({"channel": channel, "items": items}))


def test_one_enclosure_per_item_with_its_real_length_and_type(project: Path, run: Run) -> None:
    _fake_outputs(project, "print", {"khai-sinh/khai-sinh-leaflet.pdf": b"%PDF" * 100,
                                     "khai-sinh/khai-sinh-leaflet-1.png": b"png",
                                     "khai-sinh/khai-sinh-poster-a3.pdf": b"%PDF"}, "khai-sinh")
    _fake_outputs(project, "video", {"khai-sinh/khai-sinh-16x9.mp4": b"mp4" * 10}, "khai-sinh")
    build(run, project)
    xml = etree.fromstring(feed_bytes(project))
    item = next(i for i in xml.iter("item") if i.findtext("guid").endswith("/khai-sinh"))
    enclosures = item.findall("enclosure")
    assert [dict(e.attrib) for e in enclosures] == [{
        "url": f"{BASE}/outbox/print/khai-sinh/khai-sinh-leaflet.pdf",
        "length": "400", "type": "application/pdf"}]
    others = [i for i in xml.iter("item") if not i.findtext("guid").endswith("/khai-sinh")]
    assert all(i.find("enclosure") is None for i in others)


def test_a_new_leaflet_rebuilds_the_feed(project: Path, run: Run) -> None:
    build(run, project)
    _fake_outputs(project, "video", {"tan-phong/tan-phong-16x9.mp4": b"mp4"}, "tan-phong")
    _status, out, _ = run("build", "--project", str(project), "--channel", "rss",
                         "--today", "2021-03-31")
    assert out.startswith("built 2,")  # feed.xml and example.xml
    assert b'type="video/mp4"' in feed_bytes(project, "example.xml")


def test_empty_feed_is_valid_and_stable(project: Path, run: Run) -> None:
    build(run, project, today="2020-01-01")
    feed = parse(project)
    assert feed.entries == []
    first = feed_bytes(project)
    run("build", "--project", str(project), "--channel", "rss", "--today", "2020-01-02", "--force")
    assert feed_bytes(project) == first


@pytest.mark.parametrize("name", ["feed.xml", "procedure.xml", "example.xml", "notice.xml"])
def test_sample_feeds_parse_cleanly(sample_project: Path, run: Run, name: str) -> None:
    build(run, sample_project)
    assert len(parse(sample_project, name).entries) >= 1


def test_sample_feed_has_every_live_unit(sample_project: Path, run: Run) -> None:
    build(run, sample_project)
    units = list((sample_project / "content").glob("*.md"))
    assert len(parse(sample_project).entries) == len(units)
    dates = [e.published_parsed for e in parse(sample_project).entries]
    assert dates == sorted(dates, reverse=True)


def _unvalidated(**fields: object) -> Procedure:
    """A procedure as if the model let anything through: what the feed must still escape."""
    base = load_ok_procedure().model_dump()
    return Procedure.model_construct(**{**base, **fields, "fingerprint": repr(fields)})


def load_ok_procedure() -> Procedure:
    from toolkit.content.load import read_unit

    unit, problems = read_unit(PROCEDURE.encode(), "content/khai-sinh.md", "khai-sinh")
    assert unit is not None and not problems
    return unit  # type: ignore[return-value]


def test_a_description_is_plain_text_escaped_as_html(project: Path) -> None:
    from toolkit.channels import rss
    from toolkit.project import open_project
    from toolkit.templates import load_template

    settings = open_project(project).settings
    template = load_template(project, "rss", rss.RssTemplate)
    unit = _unvalidated(summary="'><svg onload=alert(2)><script>alert(3)</script> & < 15 phút")
    data, = rss.render_feed(template.feeds[0], (unit,), (None,), (), settings, template)
    entry = feedparser.parse(data, sanitize_html=False).entries[0]
    assert entry.summary_detail.type == "text/html"
    # What a reader that does not sanitise shows: the characters, as text.
    assert entry.summary == ("'&gt;&lt;svg onload=alert(2)&gt;&lt;script&gt;alert(3)&lt;/script&gt;"
                             " &amp; &lt; 15 phút")
    assert "<svg" not in entry.summary and "<script" not in entry.summary


def test_a_feed_is_what_feedgen_writes_of_it_whole(project: Path) -> None:
    """Each item's XML is made once and kept; the feed they make is byte for byte the
    one feedgen writes with every item in it, whatever the text holds."""
    from feedgen.feed import FeedGenerator

    from toolkit.channels import rss
    from toolkit.jobs import Attachment
    from toolkit.project import open_project
    from toolkit.templates import load_template

    settings = open_project(project).settings
    template = load_template(project, "rss", rss.RssTemplate)
    units = (_unvalidated(summary="a & b < c > d ]]> \"q\" 'p'", title="Tiêu đề & <b>"),
             _unvalidated(body="Dòng 1\n\n    mã <x>\n\n- ý một\n- ý hai\n", tags=("a&b",)),
             load_ok_procedure())
    leaflet = Attachment("print/x/leaflet.pdf", f"{BASE}/a?b=1&c=2", 12, "application/pdf")
    enclosures = (None, leaflet, None)
    labels = rss._kind_labels(template)
    whole = rss._channel(template.feeds[0], settings)
    for unit, enclosure in zip(units, enclosures, strict=True):
        whole.add_entry(rss._new_item(unit, enclosure, settings, template, labels),
                        order="append")
    whole.lastBuildDate(units[0].publish.replace(tzinfo=settings.zone))
    assert isinstance(whole, FeedGenerator)
    for _ in range(2):  # made, then kept
        data, = rss.render_feed(template.feeds[0], units, enclosures, (), settings, template)
        assert data == whole.rss_str(pretty=True)
