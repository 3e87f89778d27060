"""The waiting-room screen of `toolkit serve` (`/screen`): the live clips in a loop.

An office runs one screen per counter hall, a PC with a browser left on this page
(in kiosk mode: `chromium --kiosk http://…/screen`). It plays the landscape clip of
every live unit, in the playlist's order (`toolkit.channels.video.on_screen`), one
after the other and round again, full screen, muted (browsers autoplay only muted
video), with no controls and no cursor. A click or a key asks the browser for full
screen, for a PC without kiosk mode, and turns the sound on (clips with music or
narration are heard from then on; a browser lets a page play sound once someone
has touched it).

The page reads its list from `/screen.json` (`screen_list`) at each loop's end and
every `POLL_SECONDS`, so new clips and expired ones come and go without a restart.
The list is judged from the outbox's record and the video manifest (under `toolkit
serve`, kept until they, the settings, the templates or the day change):
a clip made ahead of its publish date starts on that day, and an expired one stops
the day after `expires`, with no build in between. Drafts never show (the preview
area is not read). A clip that does not load, or stops moving, is skipped; a loop
in which nothing played waits a little before it tries again; with no live clip, a
calm message says so. No external script or font.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from datetime import date, datetime
from urllib.parse import quote

from toolkit.channels.video import CHANNEL as VIDEO
from toolkit.channels.video import VIDEO as CLIP_PRODUCT
from toolkit.channels.video import VideoTemplate, clip_path, on_screen, screen_size
from toolkit.i18n import _, language
from toolkit.outbox import ChannelOutbox
from toolkit.problems import ProblemError
from toolkit.project import Project
from toolkit.record import Record, read_record
from toolkit.review.markup import escape as _e
from toolkit.templates import defaults_dir, load_template

SCREEN_PATH = "/screen"
LIST_PATH = "/screen.json"
POLL_SECONDS = 60  # how often the page reads its list again, besides each loop's end


@dataclass(frozen=True)
class ScreenClip:
    """A clip the screen plays: its address on the server, its poster frame, its title."""

    src: str
    poster: str | None
    title: str


def screen_clips(project: Project, today: date | None = None,
                 record: Record | None = None) -> list[ScreenClip]:
    """The clips the screen plays `today` (default: today where the office is), in
    order: the landscape clip of each live unit of the outbox's record (`record`, if
    it was read already), if the video manifest lists it (a listed file is on disk)."""
    today = today or datetime.now(project.settings.zone).date()
    size = _size(project)
    if size is None:
        return []
    items = ChannelOutbox(project.outbox_dir, VIDEO.name).items
    clips = []
    record = record if record is not None else read_record(project.outbox_dir)
    for unit in on_screen(record.units.values(), today):
        path = clip_path(unit.id, size)
        item = items.get(path)
        if item is None or item.product != CLIP_PRODUCT:
            continue
        poster = path.removesuffix(".mp4") + ".jpg"
        clips.append(ScreenClip(_url(path), _url(poster) if poster in items else None,
                                unit.title))
    return clips


def _size(project: Project) -> str | None:
    """The size the screen plays, by the project's video template; by the shipped one
    while the project's is broken (an edit under way must not blank the screen)."""
    try:
        template = load_template(project.root, VIDEO.templates, VideoTemplate)
    except ProblemError:
        template = load_template(defaults_dir(), VIDEO.templates, VideoTemplate)
    return screen_size(template)


def _url(path: str) -> str:
    return f"/{VIDEO.name}/{quote(path)}"


def screen_list(project: Project, today: date | None = None,
                record: Record | None = None) -> bytes:
    """What `/screen.json` answers: `{"clips": [{"src", "poster", "title"}, …]}`, in the
    order they play; the same outbox and day give the same bytes."""
    clips = [asdict(clip) for clip in screen_clips(project, today, record)]
    return json.dumps({"clips": clips}, ensure_ascii=False, sort_keys=True).encode("utf-8")


def screen_page(project: Project) -> bytes:
    """The page of `/screen`: a black page, the video over all of it, the message shown
    when no clip is live, and the script that plays the list."""
    organisation = project.settings.organisation.name
    title = _("Waiting-room screen: {organisation}").format(organisation=organisation)
    nothing = _("No video is live yet.")
    hint = _("This screen starts playing by itself as soon as a video is published.")
    return (f"<!doctype html><html lang={language()}><meta charset=utf-8>"
            "<meta name=viewport content='width=device-width,initial-scale=1'>"
            "<link rel=icon href='data:,'>"
            f"<title>{_e(title)}</title><style>{STYLE}</style>"
            f"<body data-list='{LIST_PATH}' data-poll='{POLL_SECONDS}'>"
            "<video id=clip muted autoplay playsinline disablepictureinpicture "
            "disableremoteplayback preload=auto hidden></video>"
            f"<div id=idle role=status hidden><p class=organisation>{_e(organisation)}</p>"
            f"<p class=nothing>{_e(nothing)}</p><p class=hint>{_e(hint)}</p></div>"
            f"<script>{SCRIPT}</script></body></html>").encode()


STYLE = """html,body{margin:0;width:100%;height:100%;overflow:hidden;background:#000;
cursor:none}
[hidden]{display:none!important}
#clip{position:fixed;inset:0;width:100vw;height:100vh;object-fit:contain;background:#000}
#idle{position:fixed;inset:0;display:flex;flex-direction:column;align-items:center;
justify-content:center;padding:6vh 8vw;text-align:center;color:#c9d1d9;
font:clamp(1.2rem,3.2vw,3rem)/1.4 system-ui,sans-serif}
#idle p{margin:.4em 0;max-width:40em}#idle .organisation{color:#8b949e;font-size:.7em}
#idle .hint{color:#8b949e;font-size:.6em}"""

# Plays the list in a loop (see the module's docstring). `current` is the clip loaded
# (null: no clip, the message shows); `waiting` while a loop's end reads the list.
SCRIPT = """(function(){
var body=document.body,video=document.getElementById('clip'),idle=document.getElementById('idle'),
url=body.getAttribute('data-list'),poll=Number(body.getAttribute('data-poll'))*1000,
STALL=15,RETRY=10000,clips=[],current=null,at=0,played=false,waiting=false,last=-1,still=0,
sound=false;
function read(then){fetch(url,{cache:'no-store'}).then(function(r){
if(!r.ok)throw new Error(String(r.status));return r.json();}).then(function(d){
clips=Array.isArray(d.clips)?d.clips:[];},function(){}).then(then);}
function rest(){current=null;video.hidden=true;idle.hidden=false;video.removeAttribute('src');
video.removeAttribute('poster');video.load();}
function play(i){var clip=clips[i];at=i;current=clip.src;last=-1;still=0;
idle.hidden=true;video.hidden=false;
if(clip.poster)video.poster=clip.poster;else video.removeAttribute('poster');
video.setAttribute('aria-label',clip.title);video.muted=!sound;video.src=clip.src;
var started=video.play();if(started)started.catch(function(){});}
function start(){waiting=false;played=false;if(clips.length)play(0);else rest();}
function next(){if(waiting)return;var i=-1;
for(var k=0;k<clips.length;k++){if(clips[k].src===current){i=k;break;}}
var j=i>=0?i+1:at;
if(j<clips.length){play(j);return;}
waiting=true;setTimeout(function(){read(start);},played?0:RETRY);}
video.addEventListener('playing',function(){played=true;});
video.addEventListener('ended',next);video.addEventListener('error',next);
setInterval(function(){if(waiting||current===null)return;
if(video.currentTime!==last){last=video.currentTime;still=0;}else if(++still>=STALL)next();},1000);
setInterval(function(){read(function(){if(current===null&&!waiting)start();});},poll);
function full(){var page=document.documentElement;sound=true;video.muted=false;
if(!document.fullscreenElement&&page.requestFullscreen)page.requestFullscreen().catch(function(){});}
document.addEventListener('click',full);document.addEventListener('keydown',full);
function awake(){if(navigator.wakeLock)navigator.wakeLock.request('screen').catch(function(){});}
document.addEventListener('visibilitychange',function(){if(document.visibilityState==='visible')awake();});
awake();read(start);
})();"""
