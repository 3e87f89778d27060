"""The words of a social post: the Facebook Page post's message, the Zalo OA article's
title, description and paragraphs, and the hashtags.

Lengths are counted as the platforms count them: in UTF-16 code units, the length
of a JavaScript or Java string, which both platforms' composers and servers use
(Facebook's 63,206 for a post; Zalo's 150 for an article's title and 300 for its
description). For NFC Vietnamese this is one unit a letter, whatever its marks
("ế" is one code point in NFC, three in NFD: texts are made NFC here); an emoji
outside the Basic Multilingual Plane counts two, as the platforms count it.

When a post is longer than its limit, what matters least goes first, and whole:
the unit's hashtags from the last, then the office's own, then the list of key
points (a list of steps cut halfway would mislead; the link gives them all).
The title, the summary, the hotline and the link always stay; a unit whose post
cannot fit even so, or whose title is longer than a Zalo title, is a problem
with its field and what to cut. A word or a hashtag is never cut in half.

Hashtags are made from tags without diacritics, in CamelCase ("Hộ tịch" → #HoTich):
a hashtag runs on letters and digits only (a space, a hyphen or a comma ends it);
the same tag typed on a keyboard that writes marks decomposed (NFD) would be
another hashtag on Facebook, and Zalo links ASCII hashtags alone reliably; and it
is how Vietnamese public pages write them (#CCHC, #DichVuCong).
"""

from __future__ import annotations

import html
import json
import re
import unicodedata
from dataclasses import asdict, dataclass

from toolkit.channels.social.template import SocialTemplate
from toolkit.content.model import AnyUnit
from toolkit.content.text import strip_marks
from toolkit.content.view import hotline
from toolkit.i18n import _, ngettext
from toolkit.jobs import digest
from toolkit.memo import memo
from toolkit.problems import Problem, ProblemError
from toolkit.settings import Settings

ZALO_TITLE = 150  # the most an article's title may hold (Zalo OA article API)
ZALO_DESCRIPTION = 300  # the most an article's description may hold
ORDERED = frozenset({"steps"})  # key points whose order matters: numbered, not bulleted
BULLET = "•"
# Where a summary may be cut short for Zalo's description: after a sentence.
SENTENCE_END = re.compile(r"(?<=[.!?…])\s+")
HASHTAG_WORD = re.compile(r"[A-Za-z0-9]+")
MARKUP_TAG = re.compile(r"<[^>]+>")


def platform_length(text: str) -> int:
    """The length of a text as Facebook and Zalo count it: UTF-16 code units."""
    return len(text.encode("utf-16-le")) // 2


@dataclass(frozen=True)
class Captions:
    """What a post says: the Facebook message; the Zalo article's title, description
    and paragraphs."""

    message: str
    title: str
    description: str
    body: tuple[str, ...]


def captions(unit: AnyUnit, settings: Settings, template: SocialTemplate) -> Captions:
    """The words of a unit's post, each within its platform's limit; a ProblemError,
    with the field and what to cut, for a unit that cannot fit. Made once: `check`
    makes them, the post takes them again, and the next builds keep them."""
    key = digest(unit.fingerprint, settings.digest, template.digest)
    kept = MADE.get(key)
    if kept is not None:
        fields = json.loads(kept)
        return Captions(fields["message"], fields["title"], fields["description"],
                        tuple(fields["body"]))
    made = _captions(unit, settings, template)
    MADE.put(key, json.dumps(asdict(made), ensure_ascii=False))
    return made


MADE = memo("social")  # the captions of the units, by unit, settings and template


def _captions(unit: AnyUnit, settings: Settings, template: SocialTemplate) -> Captions:
    problems: list[Problem] = []
    parts: dict[str, str] = {}
    for name, make in (("message", facebook_message), ("title", zalo_title),
                       ("description", zalo_description)):
        try:
            parts[name] = make(unit, settings, template)
        except ProblemError as err:
            problems.extend(err.problems)
    if problems:
        raise ProblemError(*problems)
    return Captions(parts["message"], parts["title"], parts["description"],
                    zalo_body(unit, settings, template))


# --- Facebook ------------------------------------------------------------------------


def facebook_message(unit: AnyUnit, settings: Settings, template: SocialTemplate) -> str:
    """The post's text: title, summary, the key points as a list, the hotline and the
    link, then hashtags; what matters least left out until it fits (see the module)."""
    limit = template.facebook.max_chars
    tags = hashtags(unit, template)
    points = points_block(unit, template)
    for with_points in ((True, False) if points else (False,)):
        for count in range(len(tags.ranked), -1, -1):
            text = _message(unit, settings, template, points if with_points else "",
                            tags.shown(count))
            if platform_length(text) <= limit:
                return text
    shortest = _message(unit, settings, template, "", ())
    over = platform_length(shortest) - limit
    raise ProblemError(Problem(
        unit.source, unit.lines.get("summary"), "summary",
        ngettext("the Facebook post is {over} character longer than {limit}, even without "
                 "its key points and hashtags",
                 "the Facebook post is {over} characters longer than {limit}, even without "
                 "its key points and hashtags", over).format(over=over, limit=limit),
        ngettext("shorten the summary by {over} character, or allow longer posts: max_chars "
                 "under [facebook] in templates/social/default.toml",
                 "shorten the summary by {over} characters, or allow longer posts: max_chars "
                 "under [facebook] in templates/social/default.toml", over).format(over=over)))


def _message(unit: AnyUnit, settings: Settings, template: SocialTemplate, points: str,
             tags: tuple[str, ...]) -> str:
    paragraphs = [unit.title, unit.summary, points, "\n".join(closing_lines(unit, settings,
                                                                            template)),
                  " ".join(tags)]
    return nfc("\n\n".join(p for p in paragraphs if p))


def points_block(unit: AnyUnit, template: SocialTemplate) -> str:
    """The key points as a short list under their heading (the shared label of their
    field): numbered for steps, bulleted otherwise; "" for a unit without any."""
    lines = point_lines(unit)
    if not lines:
        return ""
    heading = template.labels.get(unit.KEY_POINTS, "")
    return "\n".join([f"{heading}:", *lines] if heading else lines)


def point_lines(unit: AnyUnit) -> list[str]:
    """Each key point in full (its short form is for slides), with its number or bullet."""
    numbered = unit.KEY_POINTS in ORDERED
    return [f"{n}. {point}" if numbered else f"{BULLET} {point}"
            for n, point in enumerate(unit.key_points, start=1)]


def closing_lines(unit: AnyUnit, settings: Settings, template: SocialTemplate) -> list[str]:
    """The hotline's line and the link's line, as the template words them."""
    fields = {"hotline": hotline(unit, settings), "link": settings.unit_link(unit)}
    return [template.facebook.hotline.format(**fields), template.facebook.link.format(**fields)]


# --- hashtags ------------------------------------------------------------------------


def hashtag(tag: str) -> str:
    """A tag as a hashtag that works on Facebook and Zalo: its words without marks, each
    starting with a capital, joined ("hộ tịch" → "#HoTich", "CCCD gắn chip" →
    "#CCCDGanChip"); "" for a tag with no letter (a hashtag of digits alone is no link)."""
    words = HASHTAG_WORD.findall(strip_marks(tag))
    text = "".join(word[:1].upper() + word[1:] for word in words)
    return f"#{text}" if any(c.isalpha() for c in text) else ""


@dataclass(frozen=True)
class Hashtags:
    """A post's hashtags by how much they matter, most first: the office's own (the first
    `fixed`), then the unit's tags in order."""

    ranked: tuple[str, ...]
    fixed: int

    def shown(self, count: int) -> tuple[str, ...]:
        """The `count` that matter most, as the post shows them: the unit's own first (the
        more particular), then the office's."""
        kept = self.ranked[:count]
        return (*kept[self.fixed:], *kept[:self.fixed])


def hashtags(unit: AnyUnit, template: SocialTemplate) -> Hashtags:
    """The post's hashtags: the office's own (`fixed`), then the unit's tags; each once
    (whatever its case), none longer than the template allows, at most its `most`."""
    spec = template.hashtags
    seen: set[str] = set()
    ranked: list[str] = []
    fixed = 0
    for number, tag in enumerate((*spec.fixed, *unit.tags)):
        made = hashtag(tag)
        if made and len(made) - 1 <= spec.longest and made.lower() not in seen:
            seen.add(made.lower())
            ranked.append(made)
            fixed += number < len(spec.fixed)
    kept = ranked[:spec.most]
    return Hashtags(tuple(kept), min(fixed, len(kept)))


# --- Zalo ----------------------------------------------------------------------------


def zalo_title(unit: AnyUnit, settings: Settings, template: SocialTemplate) -> str:
    """The article's title: the unit's, which must fit Zalo's limit (a title is never
    shortened by the toolkit: what is left out of a title changes what it says)."""
    title = nfc(unit.title)
    length = platform_length(title)
    if length <= ZALO_TITLE:
        return title
    over = length - ZALO_TITLE
    raise ProblemError(Problem(
        unit.source, unit.lines.get("title"), "title",
        _("is {length} characters long, more than the {limit} a Zalo article's title may "
          "have").format(length=length, limit=ZALO_TITLE),
        ngettext("shorten it by {over} character", "shorten it by {over} characters",
                 over).format(over=over)))


def zalo_description(unit: AnyUnit, settings: Settings, template: SocialTemplate) -> str:
    """The article's description: the summary, or as many of its first sentences as fit
    Zalo's limit (the article's text gives it whole)."""
    summary = nfc(unit.summary)
    sentences = SENTENCE_END.split(summary)
    for count in range(len(sentences), 0, -1):
        text = " ".join(sentences[:count])
        if platform_length(text) <= ZALO_DESCRIPTION:
            return text
    over = platform_length(sentences[0]) - ZALO_DESCRIPTION
    raise ProblemError(Problem(
        unit.source, unit.lines.get("summary"), "summary",
        _("its first sentence is {length} characters long, more than the {limit} a Zalo "
          "article's description may have").format(length=platform_length(sentences[0]),
                                                   limit=ZALO_DESCRIPTION),
        ngettext("shorten its first sentence by {over} character, or end it sooner",
                 "shorten its first sentence by {over} characters, or end it sooner",
                 over).format(over=over)))


def zalo_body(unit: AnyUnit, settings: Settings, template: SocialTemplate) -> tuple[str, ...]:
    """The article's paragraphs, as plain text: the summary, the unit's text, the key
    points under their heading, the hotline and the link."""
    heading = template.labels.get(unit.KEY_POINTS, "")
    points = point_lines(unit)
    paragraphs = [unit.summary, *body_paragraphs(unit.body),
                  *([f"{heading}:"] if heading and points else []), *points,
                  *closing_lines(unit, settings, template)]
    return tuple(nfc(p) for p in paragraphs if p.strip())


def body_paragraphs(markdown: str) -> list[str]:
    """A Markdown body as plain paragraphs: headings and paragraphs as they read, list
    items with their number or a bullet; emphasis and raw HTML left out."""
    if not markdown.strip():
        return []
    from toolkit.render.markdown import body_blocks

    paragraphs = []
    for block in body_blocks(markdown):
        text = html.unescape(MARKUP_TAG.sub("", block.markup.replace("<br/>", "\n"))).strip()
        if block.kind == "item":
            text = f"{block.number}. {text}" if block.number else f"{BULLET} {text}"
        if text:
            paragraphs.append(text)
    return paragraphs


def nfc(text: str) -> str:
    """Text in NFC: what the platforms count, and how a hashtag or a search matches."""
    return unicodedata.normalize("NFC", text)
