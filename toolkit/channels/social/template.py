"""The social template, templates/social/*.toml: the caption's lines, the hashtags, the
image cards' type, and which clip a post carries.

The platforms' own limits are not here (they are the platforms', see `caption.py`);
a template may only ask for a shorter Facebook post. Brand colours come from
toolkit.toml, as for every product.
"""

from __future__ import annotations

from pydantic import Field, field_validator

from toolkit.templates import Colours, Fonts, Icon, Strict, Template, known_placeholders

# The most a Facebook post's text may hold, in UTF-16 code units (caption.py says why).
FACEBOOK_LIMIT = 63_206
# What the lines of a caption may name.
PLACEHOLDERS = frozenset({"hotline", "link"})


class SocialFonts(Fonts):
    """Font files for the three weights the cards use."""

    heavy: str


class Facebook(Strict):
    """The Facebook Page post: its longest text (at most the platform's), and the lines
    that give the hotline and the link ({hotline}, {link}), which Zalo's article ends
    with too."""

    max_chars: int = Field(FACEBOOK_LIMIT, ge=280, le=FACEBOOK_LIMIT)
    hotline: str = "{hotline}"
    link: str = "{link}"

    @field_validator("hotline", "link")
    @classmethod
    def _known_placeholders(cls, pattern: str) -> str:
        return known_placeholders(pattern, PLACEHOLDERS)


class Hashtags(Strict):
    """The hashtags a post ends with: the unit's tags, then the office's own (`fixed`),
    at most `most` of them; a tag whose hashtag is longer than `longest` is left out."""

    fixed: tuple[str, ...] = ()
    most: int = Field(5, ge=0, le=30)
    longest: int = Field(30, ge=5, le=100)


class Card(Strict):
    """The image cards (1080 px wide): margins and type sizes in pixels, and the
    pictogram of each kind (a Font Awesome Free solid icon)."""

    margin_px: int = Field(84, ge=24, le=200)
    masthead_px: int = Field(34, ge=16, le=80)
    logo_px: int = Field(96, ge=32, le=240)
    label_px: int = Field(34, ge=16, le=80)
    title_px: int = Field(96, ge=32, le=200)
    title_min_px: int = Field(56, ge=24, le=200)
    hotline_px: int = Field(96, ge=24, le=200)
    procedure: Icon = "file-signature"
    example: Icon = "award"
    notice: Icon = "bullhorn"
    hotline_icon: Icon = "phone"

    def icon(self, kind: str) -> str:
        """The pictogram of a kind of unit."""
        return str(getattr(self, kind))


class SocialTemplate(Template):
    """templates/social/*.toml: captions, hashtags, cards, and the clip a post carries."""

    fonts: SocialFonts
    colours: Colours
    facebook: Facebook = Facebook()
    hashtags: Hashtags = Hashtags()
    card: Card = Card()
    # The clip a post carries: the first of the unit's files in the outbox (channel/path)
    # that matches one of these patterns; none, no clip.
    video: tuple[str, ...] = ()
    labels: dict[str, str] = {}  # laid over the shared labels by the build
