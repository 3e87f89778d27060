"""RSS channel: the feeds the provincial portal polls, made with feedgen.

One feed of every live unit and one per kind (templates/rss/default.toml),
newest first. Everything in a feed comes from the content, so the same content
gives the same bytes: lastBuildDate is the newest item's date, never "now".

feedgen 1.0.0 traps handled here: the channel <link> follows the last link()
call (self first, the site last); a second enclosure() replaces the first, so
exactly one is chosen; a length of None would be written as "None".

Readers take a <description> for HTML: every one is plain text escaped as HTML
(`as_html`), on top of the XML escaping feedgen does, so that a summary reading
"<svg onload=...>" shows as those characters and never runs. Titles and
categories are plain text, which the model keeps free of markup; the full text
is Markdown made HTML by cmark, which leaves raw HTML and unsafe links
(javascript:, data:...) out.
"""

from __future__ import annotations

import fnmatch
import html
from collections.abc import Sequence
from datetime import datetime, time
from functools import partial
from typing import TYPE_CHECKING, Literal

from pydantic import Field

from toolkit.channels.base import Channel
from toolkit.content.model import AnyUnit, Online
from toolkit.i18n import N_, day
from toolkit.jobs import Attachment, Context, File, Issue, Job, digest
from toolkit.memo import memo
from toolkit.settings import Settings
from toolkit.templates import Strict, Template

if TYPE_CHECKING:
    from feedgen.feed import FeedEntry, FeedGenerator

FEED = "feed"  # what each file is, for the manifest and the report
# Facts whose order matters.
ORDERED = frozenset({"steps"})
# An empty feed still needs a lastBuildDate, and "now" would change its bytes.
EMPTY_FEED_DATE = datetime(2000, 1, 1)
# The namespaces feedgen declares on <rss>, and how its channel ends, pretty-printed:
# the items go just before.
NAMESPACES = {"atom": "http://www.w3.org/2005/Atom",
              "content": "http://purl.org/rss/1.0/modules/content/"}
CHANNEL_END = b"  </channel>\n"


class FeedSpec(Strict):
    """One feed: its file, the kinds it holds, its name after the main title."""

    file: str = Field(pattern=r"^[a-z0-9-]+\.xml$")
    kinds: tuple[Literal["procedure", "example", "notice"], ...] = Field(min_length=1)
    name: str | None = None
    bulletins: bool = False  # an item for each bulletin in the outbox


class RssTemplate(Template):
    """templates/rss/*.toml: which feeds, which enclosure, the headings of key facts."""

    feeds: tuple[FeedSpec, ...] = Field(min_length=1)
    enclosure: tuple[str, ...] = ()
    facts: tuple[str, ...] = ()  # the facts under an item's text, in order
    labels: dict[str, str] = {}  # laid over the shared labels by the build
    bulletin_title: str = "{start} – {end}"
    bulletin_category: str = ""


class Rss(Channel[RssTemplate]):
    """The feeds: one of every live unit, one per kind; an item per bulletin."""

    name = "rss"
    label = N_("RSS news")
    templates = "rss"
    template = RssTemplate
    needs_attachments = True
    needs_issues = True
    reported = {FEED: N_("feed")}

    def plan(self, units: Sequence[AnyUnit], context: Context[RssTemplate]) -> list[Job]:
        """One job per feed in the template, each over the live units of its kinds."""
        live = [u for u in units if self.name in u.wanted_channels and u.is_live(context.today)]
        live.sort(key=lambda u: (u.publish, u.id), reverse=True)
        return [_feed_job(spec, live, context) for spec in context.template.feeds]


CHANNEL = Rss()


def _feed_job(spec: FeedSpec, live: list[AnyUnit], context: Context[RssTemplate]) -> Job:
    units = tuple(u for u in live if u.kind in spec.kinds)
    enclosures = tuple(_enclosure(u, context) for u in units)
    issues = context.issues if spec.bulletins else ()
    render = partial(render_feed, spec, units, enclosures, issues, context.settings,
                     context.template)
    return Job((File(spec.file, FEED),), None, tuple(u.id for u in units), render,
               uses=(*map(repr, enclosures), *map(repr, issues)))


def _enclosure(unit: AnyUnit, context: Context[RssTemplate]) -> Attachment | None:
    """The one file an item can carry: the first match of the template's patterns."""
    files = context.attachments.get(unit.id, ())
    for pattern in context.template.enclosure:
        for file in files:
            if fnmatch.fnmatchcase(file.path, pattern):
                return file
    return None


def render_feed(spec: FeedSpec, units: tuple[AnyUnit, ...],
                enclosures: tuple[Attachment | None, ...], issues: tuple[Issue, ...],
                settings: Settings, template: RssTemplate) -> tuple[bytes]:
    """The bytes of one feed: its units and bulletins, newest first."""
    labels = _kind_labels(template)
    dated = [(u.publish, u.id, _item(u, e, settings, template, labels))
             for u, e in zip(units, enclosures, strict=True)]
    dated += [(_issue_date(i), i.period.name, _xml(_issue_item(i, settings, template)))
              for i in issues]
    dated.sort(key=lambda d: (d[0], d[1]), reverse=True)
    feed = _channel(spec, settings)
    newest = dated[0][0] if dated else EMPTY_FEED_DATE
    feed.lastBuildDate(newest.replace(tzinfo=settings.zone))
    head, end = feed.rss_str(pretty=True).rsplit(CHANNEL_END, 1)
    return (b"".join([head, *(item.encode() for _, _, item in dated), CHANNEL_END, end]),)


def _issue_date(issue: Issue) -> datetime:
    """A bulletin is dated the last day of its period."""
    return datetime.combine(issue.period.end, time())


def _issue_item(issue: Issue, settings: Settings, template: RssTemplate) -> FeedEntry:
    """A feed item for a bulletin: its PDF is the link and the enclosure."""
    period = issue.period
    title = template.bulletin_title.format(start=day(period.start), end=day(period.end),
                                           number=period.number)
    from feedgen.feed import FeedEntry

    item = FeedEntry()
    item.title(title)
    item.link(href=issue.url)
    item.guid(issue.url, permalink=False)
    item.description(as_html(title))
    item.pubDate(_issue_date(issue).replace(tzinfo=settings.zone))
    if template.bulletin_category:
        item.category([{"term": template.bulletin_category}])
    item.enclosure(issue.url, str(issue.length), "application/pdf")
    return item


def _channel(spec: FeedSpec, settings: Settings) -> FeedGenerator:
    from feedgen.feed import FeedGenerator

    feed = FeedGenerator()
    feed.title(f"{settings.rss.title} – {spec.name}" if spec.name else settings.rss.title)
    feed.description(as_html(settings.rss.description))
    feed.language("vi")
    feed.link(href=settings.outbox_url(CHANNEL.name, spec.file), rel="self")
    feed.link(href=settings.publish.site_url, rel="alternate")
    return feed


def _kind_labels(template: RssTemplate) -> dict[str, str]:
    """The category of each kind: the name of the feed that holds that kind alone."""
    return {spec.kinds[0]: spec.name for spec in template.feeds
            if spec.name and len(spec.kinds) == 1}


def _item(unit: AnyUnit, enclosure: Attachment | None, settings: Settings,
          template: RssTemplate, kind_labels: dict[str, str]) -> str:
    """A unit's item as the feed's XML holds it: made once, whatever the feeds that
    carry it (the main feed and its kind's), and kept for the next builds."""
    key = digest(unit.fingerprint, repr(enclosure), settings.digest, template.digest)
    return ITEMS.get(key) or ITEMS.put(key, _xml(_new_item(unit, enclosure, settings,
                                                              template, kind_labels)))


ITEMS = memo(CHANNEL.name)  # the items of the units, by unit, enclosure, settings, template


def _xml(entry: FeedEntry) -> str:
    """An item's XML, indented as in the feed: feedgen makes the element, lxml writes it
    inside a channel, as `rss_str` would."""
    from lxml import etree

    rss = etree.Element("rss", nsmap=NAMESPACES)
    etree.SubElement(rss, "channel").append(entry.rss_entry())
    text = etree.tostring(rss, encoding="unicode", pretty_print=True)
    return text[text.index(">", text.index("<channel")) + 2:text.rindex(CHANNEL_END.decode())]


def _new_item(unit: AnyUnit, enclosure: Attachment | None, settings: Settings,
              template: RssTemplate, kind_labels: dict[str, str]) -> FeedEntry:
    from feedgen.feed import FeedEntry

    item = FeedEntry()
    link = settings.unit_link(unit)
    item.title(unit.title)
    item.link(href=link)
    item.guid(settings.unit_page(unit.id), permalink=False)
    item.description(as_html(unit.summary))
    item.content(article_html(unit, {f: template.labels.get(f, f) for f in template.facts}))
    item.pubDate(unit.publish.replace(tzinfo=settings.zone))
    item.category([{"term": kind_labels.get(unit.kind, unit.kind)}]
                  + [{"term": tag} for tag in unit.tags])
    if enclosure is not None:
        item.enclosure(enclosure.url, str(enclosure.length), enclosure.mime)
    return item


def as_html(text: str) -> str:
    """Plain text as HTML that shows it: for the elements readers take for HTML."""
    return html.escape(text, quote=False)


def article_html(unit: AnyUnit, labels: dict[str, str]) -> str:
    """The item's full text: the Markdown body (raw HTML is left out) and the key facts."""
    import cmarkgfm

    parts = [cmarkgfm.markdown_to_html(unit.body)] if unit.body.strip() else []
    for field_name, label in labels.items():
        value = getattr(unit, field_name, None)
        if value:
            parts.append(f"<h3>{html.escape(label)}</h3>\n{_fact_html(value, field_name)}")
    return "\n".join(parts)


def _fact_html(value: object, field_name: str) -> str:
    if isinstance(value, Online):
        url = html.escape(value.url)
        return f'<p><a href="{url}">{url}</a></p>'
    if isinstance(value, tuple):
        tag = "ol" if field_name in ORDERED else "ul"
        items = "".join(f"<li>{html.escape(v)}</li>" for v in value)
        return f"<{tag}>{items}</{tag}>"
    return f"<p>{html.escape(str(value))}</p>"
