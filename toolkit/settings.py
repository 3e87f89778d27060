"""Project-wide settings, read from toolkit.toml, and the example values of a new
project's toolkit.toml that must not reach a leaflet."""

from __future__ import annotations

import hashlib
import json
import re
import tomllib
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, ValidationError, field_validator

from toolkit.content.fields import Text, Url
from toolkit.i18n import N_, _
from toolkit.problems import Problem, ProblemError, quote
from toolkit.templates import Strict, defaults_dir, read_toml, toml_line, toml_problems

if TYPE_CHECKING:
    from toolkit.content.model import Unit

SETTINGS_FILE = "toolkit.toml"
SETTINGS_FIX = N_("see the comments in the default toolkit.toml")


class Organisation(Strict):
    """Who publishes: named on every product."""

    name: Text
    short_name: Text
    hotline: Text
    # No longer used: QR codes lead to the unit's own page since 0.4.0. Still accepted,
    # so that a toolkit.toml written before loads.
    portal: Url | None = None
    timezone: str = "Asia/Ho_Chi_Minh"

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(_("{value} is not a time zone name like Asia/Ho_Chi_Minh").format(
                value=quote(value))) from None
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
            raise ValueError(_('must contain {id}, like "{site_url}/tin/{id}"'))
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


# A Dask scheduler's address as `dask scheduler` prints it: tcp or tls, a host, a port.
SCHEDULER_ADDRESS = r"(tcp|tls)://([^\s/:\[\]]+|\[[0-9A-Fa-f:.]+\]):\d{1,5}"


class Build(Strict):
    """Where `toolkit build` renders: here, or on a Dask cluster (`toolkit build --executor`
    and `--scheduler` say otherwise for one build). Not in the settings' fingerprint: the
    bytes are the same wherever they are made."""

    executor: Literal["local", "dask"] = "local"
    scheduler: str = ""

    @field_validator("scheduler")
    @classmethod
    def _an_address(cls, value: str) -> str:
        value = value.strip()
        if value and not re.fullmatch(SCHEDULER_ADDRESS, value):
            raise ValueError(_("{value} is not a scheduler address like "
                               "tcp://192.168.1.10:8786").format(value=quote(value)))
        return value


class Settings(Strict):
    """Everything in toolkit.toml."""

    organisation: Organisation
    publish: Publish
    brand: Brand = Brand()
    rss: Feed
    sms: Sms
    delivery: Delivery = Delivery()
    build: Build = Build()

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

    @cached_property
    def digest(self) -> str:
        """A fingerprint of the settings: outputs are rebuilt when it changes. Where they
        are built ([build]) is left out: it never changes their bytes."""
        text = json.dumps(self.model_dump(mode="json", exclude={"build"}), sort_keys=True)
        return hashlib.sha256(text.encode()).hexdigest()[:20]


def load_settings(project_dir: Path) -> Settings:
    """Read and validate toolkit.toml; a ProblemError says what is wrong, on its line."""
    path = project_dir / SETTINGS_FILE
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise ProblemError(Problem(str(path), None, "", _("not found"), _(
            "run this in a project folder, pass --project DIR, or make a project with: "
            "toolkit init DIR"))) from None
    text, fields = read_toml(data, SETTINGS_FILE)
    try:
        return Settings.model_validate(fields)
    except ValidationError as err:
        raise ProblemError(*toml_problems(SETTINGS_FILE, text, err, _(SETTINGS_FIX))) from None


# The settings a new project's toolkit.toml holds only as examples, what would carry
# them, and what to write instead. Each is reported while it still has the value of
# the shipped toolkit.toml; an address, while it is on an example domain.
EXAMPLES: dict[tuple[str, str], tuple[str, str]] = {
    ("organisation", "name"): (
        N_("{value} is still the example of a new project: leaflets, posters and bulletins "
           "would print it"),
        N_('write the full name of your organisation, e.g. name = "Ủy ban nhân dân tỉnh '
           'Đồng Nai"')),
    ("organisation", "short_name"): (
        N_("{value} is still the example of a new project: SMS would carry it"),
        N_('write the short name SMS carry, without marks, e.g. short_name = "UBND Dong Nai"')),
    ("publish", "base_url"): (
        N_("{value} is an example address: the feed would link its files there"),
        N_('write the address where outbox/ is published, e.g. base_url = '
           '"https://cchc.dongnai.gov.vn/outbox"')),
    ("publish", "site_url"): (
        N_("{value} is an example address: leaflets, QR codes and the feed would send people "
           "there"),
        N_('write the address of your site, e.g. site_url = "https://cchc.dongnai.gov.vn"')),
    ("sms", "sender"): (
        N_("{value} is still the example of a new project: SMS would be sent under that name"),
        N_("write the brandname registered for your organisation with the SMS gateway "
           "(at most 11 characters)")),
}
# Host names kept for examples (RFC 2606, and the example.gov.vn a new project has).
EXAMPLE_HOST_LABEL = "example"


def placeholders(settings: Settings, root: Path) -> list[Problem]:
    """Warnings, each on its line of toolkit.toml, about every setting still at its example
    value (https://example.gov.vn, the province left unnamed): leaflets would print it."""
    try:
        text = (root / SETTINGS_FILE).read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError):
        text = ""
    shipped = _shipped_examples()
    found = []
    for (section, key), (what, fix) in EXAMPLES.items():
        value = getattr(getattr(settings, section), key)
        if _is_example(value, shipped.get(section, {}).get(key)):
            found.append(Problem(SETTINGS_FILE, toml_line(text, (section, key)),
                                 f"{section}.{key}", _(what).format(value=quote(value)), _(fix),
                                 warning=True))
    return found


def _shipped_examples() -> dict[str, Any]:
    """The values of the toolkit.toml a new project starts from."""
    try:
        return tomllib.loads((defaults_dir() / SETTINGS_FILE).read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError):
        return {}


def _is_example(value: object, shipped: object) -> bool:
    """True for an address on an example domain (example.gov.vn, www.example.com), and
    for any other setting still at the value the shipped toolkit.toml gives it. (An
    address shipped as a real one, the national portal, is no example.)"""
    if not isinstance(value, str):
        return False
    if value.startswith(("http://", "https://")):
        return EXAMPLE_HOST_LABEL in (urlsplit(value).hostname or "").split(".")
    return value == shipped
