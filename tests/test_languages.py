"""An officer who reads no English goes from `toolkit init` to a reviewed, built sample
with no English on screen; the same session in English speaks English."""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from lxml import html

from toolkit import i18n
from toolkit.project import open_project
from toolkit.review import review_page

Run = Callable[..., tuple[int, str, str]]
REPO = Path(__file__).resolve().parent.parent
# English words that are neither a field, a command, an option nor a value an editor
# types: any of them on a Vietnamese screen is a message left untranslated.
ENGLISH = frozenset(re.findall(r"\w+", """
the and is are not of then with from unit units problem problems built cannot found
error usage message must this that which would should fine missing empty written
serving removed failed edit folder file files please your you has have was were
been will can its it or an up made making reading done left no yes see into out
only other each every there here what when where how why than more less too new old
"""))
# What a message may quote: options, paths, commands after `toolkit`, quoted values.
QUOTED = re.compile(r"--[\w-]+|`[^`]*`|'[^']*'|\"[^\"]*\"|\S+/\S*|\S+\.\w{2,4}\b|"
                    r"toolkit( \w+)+|https?://\S+")


def english_words(text: str) -> set[str]:
    """The English words of `text` outside what it quotes."""
    return {w for w in re.findall(r"\w+", QUOTED.sub(" ", text)) if w.lower() in ENGLISH}


def session(run: Run, root: Path, capsys: pytest.CaptureFixture[str]) -> str:
    """What an officer sees going from a new project to a built, reviewed sample."""
    seen = []

    def step(*args: str) -> None:
        try:
            status, out, err = run(*args)
        except SystemExit as stop:  # --help
            status, (out, err) = int(stop.code or 0), capsys.readouterr()
        seen.append(out + err)
        assert status in (0, 1), (args, out, err)

    step("--help")
    step("init", str(root))
    shutil.rmtree(root / "content")
    shutil.copytree(REPO / "content", root / "content")
    step("new", "procedure", "Cấp bản sao trích lục hộ tịch", "--project", str(root))
    step("build", "--help")
    step("check", "--project", str(root), "--today", "2021-03-31")
    step("build", "--project", str(root), "--today", "2021-03-31",
         "--channel", "print", "--channel", "sms", "--channel", "rss")
    step("bulletin", "--project", str(root), "--week", "2021-W06")
    step("report", "--project", str(root), "--quarter", "2021-Q1")
    step("sms", "count", "Gọi 1022 để được hướng dẫn")
    (root / "content" / "hong.md").write_text("---\nkind: notice\ntitle: Hỏng\n---\n", "utf-8")
    step("check", "--project", str(root))
    step("build", "--project", str(root), "--channel", "rss")
    page = html.fromstring(review_page(open_project(root)))
    for hidden in page.xpath("//script|//style"):
        hidden.drop_tree()
    seen.append(" ".join(page.itertext()))
    return "\n".join(seen)


def test_a_vietnamese_session_has_no_english(tmp_path: Path, run: Run,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    i18n.use("vi")
    shown = session(run, tmp_path / "du-an", capsys)
    assert not english_words(shown), shown


def test_an_english_session_speaks_english(tmp_path: Path, run: Run,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    i18n.use("en")
    shown = session(run, tmp_path / "project", capsys)
    assert {"built", "problems", "usage"} <= {w.lower() for w in re.findall(r"[A-Za-z]+", shown)}


@pytest.mark.parametrize("text", ["built 3, up to date 0", "the disk is full"])
def test_the_check_of_english_words_finds_english(text: str) -> None:
    assert english_words(text)


def test_the_check_of_english_words_passes_what_is_quoted() -> None:
    assert not english_words("content/a.md:3: summary: trống -> chạy `toolkit build --only a`")
