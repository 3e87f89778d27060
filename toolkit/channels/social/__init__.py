"""Social channel: each live unit's post for the office's Facebook Page and Zalo
Official Account, in `outbox/social/<id>/`, for `toolkit deliver social` to post.

- `post.json`: the words of the post (the Facebook message; the Zalo article's
  title, description and paragraphs), the link, the publish time, the cards, and
  the unit's 9:16 clip when the video channel made one (referred to where it is in
  the outbox, not copied): `post.py` says its format;
- `card-4x5.png` (1080×1350) and `card-1x1.png` (1080×1080): the image cards,
  drawn like the leaflet's cover (`card.py`).

`caption.py` makes the words, within each platform's limits counted as the
platform counts them; `template.py` reads templates/social/*.toml.

Importing this package loads no Pillow: `card` is imported when cards are planned
or checked thoroughly.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Sequence
from functools import partial
from pathlib import Path

from toolkit.channels.base import Channel, Message, Picture, Shown
from toolkit.channels.social.caption import ZALO_DESCRIPTION, ZALO_TITLE, captions, platform_length
from toolkit.channels.social.post import IMAGES, PORTRAIT, POST, SQUARE, read_post, render_post
from toolkit.channels.social.template import FACEBOOK_LIMIT, SocialTemplate
from toolkit.content.model import AnyUnit
from toolkit.i18n import N_, _
from toolkit.jobs import Attachment, Context, File, Job
from toolkit.outbox import Item
from toolkit.problems import Problem, ProblemError

__all__ = ["CHANNEL", "IMAGES", "POST", "SocialTemplate"]

POST_PRODUCT, CARD = "post", "card"  # what each file is, for the manifest and the report


class Social(Channel[SocialTemplate]):
    """Per live unit asking for it: the post's words and its two image cards."""

    name = "social"
    label = N_("social media posts")
    templates = "social"
    template = SocialTemplate
    needs_attachments = True
    reported = {POST_PRODUCT: N_("social posts")}

    def plan(self, units: Sequence[AnyUnit], context: Context[SocialTemplate]) -> list[Job]:
        """Per live unit asking for social: its post, and its cards (which read the fonts,
        the pictograms' font and the logo)."""
        live = [u for u in units if self.name in u.wanted_channels and u.is_live(context.today)]
        if not live:
            return []
        reads = _card_reads(context)
        return [job for unit in live for job in _unit_jobs(unit, context, reads)]

    def check(self, unit: AnyUnit, context: Context[SocialTemplate],
              thorough: bool = False) -> list[Problem]:
        """The post's words must fit each platform's limits; with `thorough`, the title
        and hotline must fit the cards."""
        if self.name not in unit.wanted_channels:
            return []
        try:
            captions(unit, context.settings, context.template)
        except ProblemError as err:
            return list(err.problems)
        if thorough:
            from toolkit.channels.social.card import card_problems

            return card_problems(unit, context.settings, context.template, context.project_dir)
        return []

    def check_settings(self, context: Context[SocialTemplate]) -> list[Problem]:
        """The brand logo the cards show, if toolkit.toml names one: a picture that
        decodes in full."""
        if not context.settings.brand.logo:
            return []
        from toolkit.channels.social.card import read_logo

        try:
            read_logo(context.settings, context.project_dir, context.template.card.logo_px)
        except ProblemError as err:
            return list(err.problems)
        return []

    def shown(self, items: Sequence[Item], outbox: Path) -> dict[str, list[Shown]]:
        """Each unit's cards, its Facebook message and its Zalo article's title and
        description, each with its length as the platform counts it."""
        found: dict[str, list[Shown]] = {}
        # The portrait card first: the one a feed shows largest.
        for item in sorted(items, key=lambda i: not i.path.endswith(f"/{PORTRAIT}")):
            if item.unit is None:
                continue
            if item.product == CARD:
                found.setdefault(item.unit, []).append(Picture(item.path))
            elif item.product == POST_PRODUCT:
                found.setdefault(item.unit, []).extend(_post_shown(item, outbox))
        return found


CHANNEL = Social()


def _card_reads(context: Context[SocialTemplate]) -> tuple[Path, ...]:
    """What every card is drawn from besides its unit: the fonts, the pictograms' font,
    the logo (a logo that cannot be used stops the channel, as it stops print)."""
    from toolkit.channels.social.card import read_logo
    from toolkit.content.pictures import logo_file
    from toolkit.render.fontawesome import glyph_font

    project = context.project_dir
    read_logo(context.settings, project, context.template.card.logo_px)  # decodes in full
    logo = logo_file(context.settings.brand.logo, project)
    return (*context.template.fonts.files(project), glyph_font(), *((logo,) if logo else ()))


def _unit_jobs(unit: AnyUnit, context: Context[SocialTemplate], reads: tuple[Path, ...]
               ) -> list[Job]:
    """A unit's post (which names its clip) and its cards."""
    from toolkit.channels.social.card import render_cards

    settings, template = context.settings, context.template
    video = clip(unit, context)
    post = Job((File(f"{unit.id}/{POST}", POST_PRODUCT),), unit.id, (unit.id,),
               partial(render_post, unit, video, settings, template), uses=(repr(video),))
    cards = Job((File(f"{unit.id}/{PORTRAIT}", CARD), File(f"{unit.id}/{SQUARE}", CARD)),
                unit.id, (unit.id,),
                partial(render_cards, unit, settings, template, context.project_dir), reads)
    return [post, cards]


def clip(unit: AnyUnit, context: Context[SocialTemplate]) -> Attachment | None:
    """The clip the post carries: the first of the unit's files in the outbox that
    matches the template's `video` patterns (its 9:16 clip); None if there is none."""
    files = context.attachments.get(unit.id, ())
    for pattern in context.template.video:
        for file in files:
            if fnmatch.fnmatchcase(file.path, pattern):
                return file
    return None


def _post_shown(item: Item, outbox: Path) -> list[Shown]:
    """The Facebook message and the Zalo article's title and description of a post.json,
    each noted with its length as the platform counts it."""
    path = outbox / CHANNEL.name / item.path
    try:
        post = read_post(path)
        message = str(post["facebook"]["message"])
        title, description = str(post["zalo"]["title"]), str(post["zalo"]["description"])
    except (OSError, ValueError, KeyError, TypeError):
        raise ProblemError(Problem(f"outbox/{CHANNEL.name}/{item.path}", None, "",
                                   _("is not the post the build wrote"),
                                   _("make it again: toolkit build --channel social"))) from None
    facebook = _("Facebook post: {n} of {limit} characters, as Facebook counts them").format(
        n=platform_length(message), limit=FACEBOOK_LIMIT)
    zalo = _("Zalo article: title {title} of {title_limit} characters, description "
             "{description} of {description_limit}").format(
        title=platform_length(title), title_limit=ZALO_TITLE,
        description=platform_length(description), description_limit=ZALO_DESCRIPTION)
    return [Message(message, facebook), Message(f"{title}\n\n{description}", zalo)]
