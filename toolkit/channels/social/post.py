"""post.json: a unit's post as `toolkit deliver social` reads it (format 1).

```
{"format": 1, "unit": id, "title": title, "link": where it is read online,
 "publish": its publish time in the project's zone (ISO 8601, with the offset),
 "facebook": {"message": ...},
 "zalo": {"title": ..., "description": ..., "body": [paragraph, ...]},
 "images": {"portrait": "card-4x5.png", "square": "card-1x1.png"},
 "video": "video/<id>/<clip>.mp4" or null}
```

Images are named relative to the post's folder, the clip relative to the outbox (it
stays where the video channel put it). Written with sorted keys, two-space indents
and characters as they are (UTF-8): the same unit gives the same bytes, which is
what the delivery's ledger knows a version of a post by.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from toolkit.channels.social.caption import captions
from toolkit.channels.social.template import SocialTemplate
from toolkit.content.model import AnyUnit
from toolkit.jobs import Attachment
from toolkit.settings import Settings

FORMAT = 1
POST = "post.json"
PORTRAIT, SQUARE = "card-4x5.png", "card-1x1.png"
IMAGES = {"portrait": PORTRAIT, "square": SQUARE}


def post(unit: AnyUnit, video: Attachment | None, settings: Settings,
         template: SocialTemplate) -> dict[str, Any]:
    """What post.json holds for a unit (a ProblemError if its words cannot fit)."""
    words = captions(unit, settings, template)
    return {
        "format": FORMAT,
        "unit": unit.id,
        "title": unit.title,
        "link": settings.unit_link(unit),
        "publish": unit.publish.replace(tzinfo=settings.zone).isoformat(),
        "facebook": {"message": words.message},
        "zalo": {"title": words.title, "description": words.description,
                 "body": list(words.body)},
        "images": dict(IMAGES),
        "video": video.path if video is not None else None,
    }


def render_post(unit: AnyUnit, video: Attachment | None, settings: Settings,
                template: SocialTemplate) -> tuple[bytes]:
    """The bytes of post.json."""
    text = json.dumps(post(unit, video, settings, template), ensure_ascii=False, indent=2,
                      sort_keys=True)
    return (text.encode("utf-8"),)


def read_post(path: Path) -> dict[str, Any]:
    """A post.json as the build wrote it; OSError or ValueError if it cannot be read."""
    data = json.loads(path.read_bytes().decode("utf-8"))
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise ValueError(path)
    return data
