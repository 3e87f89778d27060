"""The review page: every unit as an officer checks it before it goes out, and as it is.

Each unit shows its state (draft, scheduled with its date, live, expired,
broken with its problems, stale when its content is newer than its files), what
each channel shows of it (`Channel.shown`: previews of printed pages, both clips,
the SMS text and its cost), the feed item as the portal will show it, and links
to its files. Title, kind and dates come from the record of the build that made
the files (`toolkit.record`), never from a newer edit; a draft is shown beside
its published version. An index at the top filters by kind, state, channel and
title, and links the files of many units (feeds, bulletins, reports).

Plain HTML with a viewport, readable on a phone, no external scripts, no build
step; under `toolkit serve` with its live loop a small script reloads the page
(keeping its scroll position) when a rebuild has changed it. Making the page
writes nothing (not even the cache of units); the server keeps it in memory.

The parts, from what is read to what is written:

- `shelf`: an area (the outbox, or the preview area of drafts) read once from its
  manifests and record, with the items of its feeds (`feed`);
- `states`: each unit as an `Entry`, its versions in either area, its states, the
  order of the page and the index's `Filters`; `status`: what the live loop says;
- `page`: the page as a whole (`review_page`), a `section` for each unit, in which
  `shown` draws what each channel shows of a version; `markup` escapes and links,
  `style` is the CSS and the small script;
- `screen`: the waiting-room screen of `/screen` (the live clips in a loop), apart
  from the review page but read from the same outbox;
- `cache`: what `toolkit serve` keeps of the page and the screen's list, against the
  stamps of what they are made of (`ReviewCache`): a request while nothing changed
  costs a look at the files' stamps and filters the kept page.

States and shelves never import the HTML; the HTML reads them.
"""

from toolkit.review.page import review_page
from toolkit.review.shelf import PREVIEW_PREFIX
from toolkit.review.states import parse_filters
from toolkit.review.status import Status

__all__ = ["PREVIEW_PREFIX", "Status", "parse_filters", "review_page"]
