"""Templates: a project's own first, the shipped default otherwise; shared labels."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from toolkit.channels.print_pdf import PrintTemplate
from toolkit.channels.video import VideoTemplate
from toolkit.templates import LABELS, Labels, load_template, with_labels

Run = Callable[..., tuple[int, str, str]]


def test_a_channel_says_only_the_labels_it_says_differently(project: Path) -> None:
    shared = load_template(project, LABELS, Labels)
    leaflet = with_labels(load_template(project, "leaflets", PrintTemplate), shared)
    assert leaflet.labels["steps"] == shared.steps == "Các bước thực hiện"
    assert leaflet.labels["topics"] == "Tổng đài hỗ trợ" != shared.topics  # its own
    video = load_template(project, "video", VideoTemplate)
    assert with_labels(video, shared) is video  # its labels are the words of its slides


def test_a_shared_label_changed_remakes_what_shows_it(project: Path, run: Run) -> None:
    def build() -> str:
        status, out, err = run("build", "--project", str(project), "--today", "2021-03-31",
                               "--channel", "sms", "--channel", "rss", "--jobs", "1")
        assert status == 0, err
        return out.strip()

    assert build() == "built 5, up to date 0"  # the SMS list, four feeds
    labels = project / "templates" / "labels" / "default.toml"
    labels.write_text(labels.read_text(encoding="utf-8").replace(
        '"Các bước thực hiện"', '"Các bước"'), encoding="utf-8")
    assert build() == "built 4, up to date 1"  # the feeds, not the SMS list
    assert "<h3>Các bước</h3>" in (project / "outbox" / "rss" / "feed.xml").read_text(
        encoding="utf-8").replace("&lt;", "<").replace("&gt;", ">")
