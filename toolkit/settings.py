"""Project-wide settings, read from toolkit.toml."""

from __future__ import annotations

import hashlib
import json
import tomllib
from pathlib import Path
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, ValidationError, field_validator
from pydantic_core import ErrorDetails

from toolkit.content.model import Text, Unit, Url
from toolkit.problems import Problem, ProblemError
from toolkit.templates import Strict

SETTINGS_FILE = "toolkit.toml"


class Organisation(Strict):
    """Who publishes: named on every product."""

    name: Text
    short_name: Text
    hotline: Text
    portal: Url = "https://dichvucong.gov.vn"
    timezone: str = "Asia/Ho_Chi_Minh"

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"{value!r} is not a time zone name like Asia/Ho_Chi_Minh") from None
        return value


class Publish(Strict):
    """Where the outbox and the site are published."""

    base_url: Url
    site_url: Url
    unit_url: str = "{site_url}/{id}"

    @field_validator("base_url", "site_url")
    @classmethod
    def _no_trailing_slash(cls, value: str) -> str:
        return value.rstrip("/")

    @field_validator("unit_url")
    @classmethod
    def _has_id(cls, value: str) -> str:
        if "{id}" not in value:
            raise ValueError('must contain {id}, like "{site_url}/tin/{id}"')
        return value


class Brand(Strict):
    """Colours and logo shared by print and video."""

    primary: str = Field("#0B5CAD", pattern=r"^#[0-9A-Fa-f]{6}$")
    accent: str = Field("#C62828", pattern=r"^#[0-9A-Fa-f]{6}$")
    logo: str = ""


class Feed(Strict):
    """What the RSS feed says about itself."""

    title: Text
    description: Text


class Sms(Strict):
    """How SMS texts are made: sender name, size limit, alphabet."""

    sender: Text = Field(max_length=11)
    segments: int = Field(1, ge=1, le=10)
    unicode: bool = False


class Delivery(Strict):
    """How SMS reach the gateway; its address and token come from the environment."""

    adapter: Literal["json", "esms"] = "json"
    per_minute: int = Field(60, ge=1, le=6000)
    retries: int = Field(5, ge=0, le=20)
    # The whole of one request: connecting, sending, and the answer to its last byte.
    timeout_s: float = Field(10.0, gt=0, le=120)
    backoff_s: float = Field(1.0, ge=0, le=60)
    # All the waiting of one delivery on the gateway (Retry-After and backoff together);
    # asked for more, it leaves what is not sent for a later run instead of holding the
    # project's lock. A day at most: a run that must wait longer should end and be rerun.
    max_wait_s: float = Field(600.0, ge=0, le=86400, allow_inf_nan=False)
    esms_sms_type: str = "2"


class Settings(Strict):
    """Everything in toolkit.toml."""

    organisation: Organisation
    publish: Publish
    brand: Brand = Brand()
    rss: Feed
    sms: Sms
    delivery: Delivery = Delivery()

    @property
    def zone(self) -> ZoneInfo:
        """The project's time zone, for publish dates and 'today'."""
        return ZoneInfo(self.organisation.timezone)

    def unit_page(self, unit_id: str) -> str:
        """The unit's page on the site: stable for as long as its id is."""
        return self.publish.unit_url.format(site_url=self.publish.site_url, id=unit_id)

    def unit_link(self, unit: Unit) -> str:
        """Where a unit is read online: its own `link`, else its page on the site."""
        return unit.link or self.unit_page(unit.id)

    def outbox_url(self, channel: str, path: str) -> str:
        """The public address of a file in the outbox."""
        return f"{self.publish.base_url}/{channel}/{path}"

    @property
    def digest(self) -> str:
        """A fingerprint of the settings: outputs are rebuilt when it changes."""
        text = json.dumps(self.model_dump(mode="json"), sort_keys=True)
        return hashlib.sha256(text.encode()).hexdigest()[:20]


def load_settings(project_dir: Path) -> Settings:
    """Read and validate toolkit.toml; a ProblemError says what is wrong."""
    path = project_dir / SETTINGS_FILE
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8-sig"))
    except FileNotFoundError:
        raise ProblemError(Problem(str(path), None, "", "not found",
                                   "run this in a project folder, pass --project DIR, "
                                   "or make a project with: toolkit init DIR")) from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as err:
        raise ProblemError(Problem(SETTINGS_FILE, None, "", f"is not valid TOML ({err})",
                                   "check quotes and [section] headers")) from None
    try:
        return Settings.model_validate(data)
    except ValidationError as err:
        raise ProblemError(*(_problem(e) for e in err.errors())) from None


def _problem(error: ErrorDetails) -> Problem:
    where = ".".join(str(p) for p in error["loc"])
    what = str(error["msg"]).removeprefix("Value error, ")
    return Problem(SETTINGS_FILE, None, where, what, "see the comments in the default toolkit.toml")
