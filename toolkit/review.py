"""The review page: the outbox unit by unit, as an officer checks it before it goes out.

What the page shows of each channel comes from the channel (`Channel.shown`):
previews of printed pages, a clip with its subtitles, an SMS with its cost; and a
link to every file the manifests list. Plain HTML with a viewport, no build step.
Making the page writes nothing (not even the cache of units).
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from typing import Any

from toolkit.channels import channels
from toolkit.channels.base import Channel, Clip, Message, Picture, Shown
from toolkit.content.load import load_content
from toolkit.content.model import AnyUnit
from toolkit.outbox import ChannelOutbox, Item
from toolkit.problems import ProblemError
from toolkit.project import Project

STYLE = """body{font-family:system-ui,sans-serif;margin:0 auto;max-width:60rem;padding:1rem;
color:#1f2328}h1{font-size:1.4rem}section{border-top:1px solid #ccc;padding:.8rem 0}
h2{font-size:1.1rem;margin:.2rem 0}.meta{color:#666;font-size:.85rem}
img{max-width:100%;height:auto;border:1px solid #ddd;margin:.2rem 0}
video{max-width:100%;background:#000}.files a{margin-right:.6rem;font-size:.9rem}
.sms{background:#f4f6f8;padding:.5rem;font-family:monospace;white-space:pre-wrap}
.previews{display:grid;grid-template-columns:repeat(auto-fill,minmax(14rem,1fr));gap:.4rem}"""


class Outbox:
    """What every channel holds, read once for the page: files by unit, files of many
    units, what each channel shows of each unit, and what could not be read."""

    def __init__(self, project: Project) -> None:
        self.files: dict[str, list[str]] = {}
        self.shared: list[str] = []
        self.shown: dict[str, list[tuple[str, Shown]]] = {}
        self.unread: list[str] = []
        for channel in channels():
            items = list(ChannelOutbox(project.outbox_dir, channel.name).items.values())
            self._add(channel, sorted(items, key=lambda i: i.path), project)

    def _add(self, channel: Channel[Any], items: Sequence[Item], project: Project) -> None:
        for item in items:
            where = f"{channel.name}/{item.path}"
            if item.unit is None:
                self.shared.append(where)
            else:
                self.files.setdefault(item.unit, []).append(where)
        try:
            shown = channel.shown(items, project.outbox_dir)
        except ProblemError as err:
            self.unread.extend(str(p) for p in err.problems)
            return
        for unit, things in shown.items():
            self.shown.setdefault(unit, []).extend((channel.name, t) for t in things)


def review_page(project: Project) -> bytes:
    """The outbox unit by unit, newest first: title, files, and what each channel shows."""
    units = sorted(load_content(project.root, project.content_dir, remember=False).units,
                   key=lambda u: (u.publish, u.id), reverse=True)
    outbox = Outbox(project)
    parts = [f"<!doctype html><html lang=vi><meta charset=utf-8>"
             f"<meta name=viewport content='width=device-width,initial-scale=1'>"
             f"<title>Outbox</title><style>{STYLE}</style>"
             f"<h1>{html.escape(project.settings.organisation.name)}: outbox</h1>",
             f"<p class=meta>{' · '.join(map(_link, outbox.shared))}</p>"]
    parts += [f"<p class=meta>{html.escape(line)}; what it holds is not shown.</p>"
              for line in outbox.unread]
    parts += [_section(unit, outbox) for unit in units]
    return "".join(parts).encode("utf-8")


def _section(unit: AnyUnit, outbox: Outbox) -> str:
    files = outbox.files.get(unit.id, [])
    parts = [f"<section id='{html.escape(unit.id)}'><h2>{html.escape(unit.title)}</h2>"
             f"<div class=meta>{html.escape(unit.kind)} · {unit.publish:%d/%m/%Y} · "
             f"{html.escape(unit.id)}</div>",
             "<div class=files>" + " ".join(_link(f, unit.id) for f in files) + "</div>"]
    shown = outbox.shown.get(unit.id, [])
    pictures = [f"{c}/{s.path}" for c, s in shown if isinstance(s, Picture)]
    if pictures:
        parts.append("<div class=previews>" + "".join(
            f"<img loading=lazy alt='' src='/{html.escape(p)}'>" for p in pictures) + "</div>")
    parts += [_clip(c, s) for c, s in shown if isinstance(s, Clip)]
    parts += [f"<div class=meta>{html.escape(s.note)}</div><div class=sms>{html.escape(s.text)}"
              "</div>" for _, s in shown if isinstance(s, Message)]
    return "".join(parts) + "</section>"


def _clip(channel: str, clip: Clip) -> str:
    poster = f" poster='/{html.escape(f'{channel}/{clip.poster}')}'" if clip.poster else ""
    track = (f"<track kind=subtitles srclang=vi src='/{html.escape(f'{channel}/{clip.subtitles}')}'"
             " default>" if clip.subtitles else "")
    return (f"<video controls preload=none{poster} "
            f"src='/{html.escape(f'{channel}/{clip.path}')}'>{track}</video>")


def _link(path: str, unit_id: str = "") -> str:
    """A link to an outbox file, labelled by its name without the unit's id."""
    name = path.rsplit("/", 1)[-1]
    label = name.removeprefix(f"{unit_id}-").removeprefix(f"{unit_id}.") if unit_id else path
    return f"<a href='/{html.escape(path)}'>{html.escape(label)}</a>"
