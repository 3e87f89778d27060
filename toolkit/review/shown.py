"""What one channel shows of a version of a unit on the review page: previews of
printed pages, clips in players, the text of a message, the unit's feed item as the
portal shows it, and links to the rest of its files."""

from __future__ import annotations

from datetime import datetime
from pathlib import PurePosixPath
from typing import Any

from toolkit.channels.base import Channel, Clip, Message, Picture, Shown
from toolkit.i18n import _, day, decimal
from toolkit.review.feed import FeedItem
from toolkit.review.markup import capital, link
from toolkit.review.markup import escape as _e
from toolkit.review.shelf import Shelf
from toolkit.settings import Settings


def channel_block(channel: Channel[Any], shelf: Shelf, shown: list[Shown], paths: list[str],
                  item: FeedItem | None, title: str, unit_id: str, settings: Settings,
                  behind: bool, older: bool = False) -> str:
    """What one channel shows of a unit (previews, clips, a message, its feed item), and
    links to the rest of its files; `behind`: they are of the version before an edit,
    being made again; `older`: they are of an older version than the title above (a
    build of some channels only)."""
    name, label = channel.name, capital(_(channel.label))
    parts = [f"<h3>{_e(label)}</h3>"]
    if behind:
        parts.append(f"<p class='meta behind'>{_e(_behind_note(bool(shown or paths)))}</p>")
    elif older:
        note = _("These were made from an older version of this unit: run `toolkit build` "
                 "to make them again.")
        parts.append(f"<p class='meta behind'>{_e(note)}</p>")
    parts += [_pictures(shelf, name, [s for s in shown if isinstance(s, Picture)], title),
              _clips(shelf, name, [s for s in shown if isinstance(s, Clip)], title),
              *(_message(s) for s in shown if isinstance(s, Message))]
    if item is not None:
        parts.append(_feed_item(item, shelf, settings))
    parts.append(_files(shelf, name, paths, shown, unit_id))
    return "".join(parts)


def _behind_note(has_files: bool) -> str:
    if has_files:
        return _("These are of the version before your last edit; the new ones are being "
                 "made in the background.")
    return _("Being made in the background for this version.")


def _pictures(shelf: Shelf, channel: str, pictures: list[Picture], title: str) -> str:
    if not pictures:
        return ""
    images = []
    for number, picture in enumerate(pictures, start=1):
        path = f"{channel}/{picture.path}"
        alt = _("Preview {number} of “{title}”: {file}").format(
            number=number, title=title, file=PurePosixPath(picture.path).name)
        size = _picture_size(shelf, path)
        dimensions = f" width={size[0]} height={size[1]}" if size else ""
        images.append(f"<a href='{_e(shelf.url(path))}'><img loading=lazy{dimensions} "
                      f"alt='{_e(alt)}' src='{_e(shelf.url(path))}'></a>")
    return f"<div class=previews>{''.join(images)}</div>"


def _picture_size(shelf: Shelf, path: str) -> tuple[int, int] | None:
    """A preview's width and height, read from its header only, so the page keeps its
    layout while pictures load (and a reload keeps its place)."""
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(shelf.folder / path) as picture:
            width, height = picture.size
    except (OSError, UnidentifiedImageError, ValueError):
        return None
    return (width, height) if width and height else None


def _clips(shelf: Shelf, channel: str, clips: list[Clip], title: str) -> str:
    """Each clip in a player; its subtitles are burned in, so the subtitle file is a link
    (a track would show them twice)."""
    if not clips:
        return ""
    figures = []
    for clip in clips:
        url = shelf.url(f"{channel}/{clip.path}")
        poster = (f" poster='{_e(shelf.url(f'{channel}/{clip.poster}'))}'"
                  if clip.poster else "")
        name = PurePosixPath(clip.path).name
        label = _("Video “{title}”: {file}").format(title=title, file=name)
        links = [link(url, name)]
        if clip.subtitles:
            links.append(link(shelf.url(f"{channel}/{clip.subtitles}"),
                              _("subtitles ({file})").format(
                                  file=PurePosixPath(clip.subtitles).suffix.lstrip("."))))
        figures.append(f"<figure><video controls preload=none playsinline{poster} "
                       f"aria-label='{_e(label)}' src='{_e(url)}'></video>"
                       f"<figcaption>{' · '.join(links)}</figcaption></figure>")
    return f"<div class=clips>{''.join(figures)}</div>"


def _message(message: Message) -> str:
    return (f"<div class=sms>{_e(message.text)}</div>"
            f"<div class=meta>{_e(message.note)}</div>")


def _feed_item(item: FeedItem, shelf: Shelf, settings: Settings) -> str:
    """The item as a portal shows it: title linked, date, summary, the file it carries,
    and its full text in a sandboxed frame (no script of it can run)."""
    parts = [f"<div class=feed><h4><a href='{_e(item.link)}' rel=noopener>{_e(item.title)}"
             f"</a></h4><div class=meta>{_e(_when(item.published))}</div>"
             f"<p>{_e(item.summary)}</p>"]
    if item.enclosure:
        local = _local_url(item.enclosure, settings, shelf)
        name = PurePosixPath(item.enclosure).name
        attached = _("Attached: {file} ({size})")
        line = _with_link(attached, link(local, name), size=_size(item.enclosure_bytes))
        parts.append(f"<p class=meta>{line}</p>")
    if item.content:
        page = (f"<!doctype html><meta charset=utf-8><base target=_blank>"
                f"<body style='font:15px/1.45 system-ui,sans-serif'>{item.content}")
        full = _("Full text")
        parts.append(f"<details><summary>{_e(full)}</summary>"
                     f"<iframe sandbox title='{_e(item.title)}' srcdoc='{_e(page)}'></iframe>"
                     "</details>")
    return "".join(parts) + "</div>"


def _with_link(sentence: str, anchor: str, **fields: str) -> str:
    """A translated sentence as HTML, with `anchor` (a link, HTML) in place of its {file}."""
    marker = "\0"  # no translation holds it, and escaping keeps it
    before, _sep, after = _e(sentence.format(file=marker, **fields)).partition(marker)
    return before + anchor + after


def _when(moment: datetime | None) -> str:
    """A feed item's date as people read it; its time only if it has one."""
    if moment is None:
        return ""
    return day(moment) if (moment.hour, moment.minute) == (0, 0) else (
        f"{day(moment)} {moment:%H:%M}")


def _local_url(url: str, settings: Settings, shelf: Shelf) -> str:
    """A file's public address made the address of the same file on this server."""
    base = settings.publish.base_url.rstrip("/") + "/"
    return shelf.url(url.removeprefix(base)) if url.startswith(base) else url


def _size(n: int) -> str:
    if n >= 1 << 20:
        return f"{decimal(n / (1 << 20), 1)} MB"
    return f"{max(1, round(n / 1024))} KB"


def _files(shelf: Shelf, channel: str, paths: list[str], shown: list[Shown],
           unit_id: str) -> str:
    """Links to a channel's files of the unit, but for those already shown."""
    seen = {f"{channel}/{s.path}" for s in shown if isinstance(s, Picture | Clip)}
    seen |= {f"{channel}/{s.poster}" for s in shown if isinstance(s, Clip) and s.poster}
    seen |= {f"{channel}/{s.subtitles}" for s in shown if isinstance(s, Clip) and s.subtitles}
    links = [link(shelf.url(p), _label(p, unit_id)) for p in paths if p not in seen]
    return f"<div class=files>{' '.join(links)}</div>" if links else ""


def _label(path: str, unit_id: str) -> str:
    """A file's name without the unit's id, which the section already says."""
    name = path.rsplit("/", 1)[-1]
    return name.removeprefix(f"{unit_id}-").removeprefix(f"{unit_id}.") or name
