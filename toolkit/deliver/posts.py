"""The social channel's posts, as its build left them in the outbox.

Each `outbox/social/<id>/post.json` the channel's manifest lists (the contract of
DESIGN-15: the caption of a Facebook Page post, the parts of a Zalo OA article, the
two image cards beside it, and the 9:16 clip where the video channel made one) is
read into a `Post`, checked against the manifest's sha256 and with every file it
names found on disk. A post that is not as the build wrote it is a problem naming
the file and the field, never a traceback; the other posts are read on.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path, PurePosixPath
from typing import Any

from toolkit.i18n import _, decimal
from toolkit.outbox import MANIFEST, ChannelOutbox
from toolkit.problems import Problem, ProblemError, quote

POST_FILE = "post.json"
FORMAT = 1
MAX_POST_BYTES = 1 << 20  # a post is a few kilobytes; more is not a post the build wrote


@dataclass(frozen=True)
class PostFile:
    """A file a post carries: where it is, how the outbox names it, its size."""

    path: Path
    name: str  # outbox-relative, as messages show it: social/khai-sinh/card-4x5.png
    size: int


@dataclass(frozen=True)
class Post:
    """One unit's post, for every platform it goes to."""

    unit: str
    title: str
    link: str
    publish: datetime  # aware: when the unit is published
    message: str  # the Facebook Page post's caption
    zalo_title: str
    zalo_description: str
    zalo_body: tuple[str, ...]
    portrait: PostFile  # the 4:5 card
    square: PostFile  # the 1:1 card
    video: PostFile | None  # the 9:16 clip, if the video channel made one
    version: str  # sha256 of post.json's bytes: a post changed is another post
    source: str  # outbox/social/<id>/post.json, as problems name it


def social_folder() -> str:
    """The social channel's folder in the outbox: its name, spelled in its own module."""
    from toolkit.channels.social import CHANNEL

    return CHANNEL.name


def read_posts(outbox_dir: Path) -> tuple[list[Post], list[Problem]]:
    """Every post the social channel's manifest lists, in unit order, and a problem for
    each one that cannot be posted as it is; ProblemError when there is no manifest."""
    folder = social_folder()
    manifest = f"outbox/{folder}/{MANIFEST}"
    if not (outbox_dir / folder / MANIFEST).is_file():
        raise ProblemError(Problem(manifest, None, "", _("not found"), _build_first(folder)))
    listed = ChannelOutbox(outbox_dir, folder).items
    entries = sorted((item.path, item.sha256) for item in listed.values()
                     if PurePosixPath(item.path).name == POST_FILE)
    if not entries:
        raise ProblemError(Problem(manifest, None, "", _("lists no posts"), _build_first(folder)))
    posts: list[Post] = []
    problems: list[Problem] = []
    for path, sha256 in entries:
        try:
            posts.append(read_post(outbox_dir, folder, path, sha256))
        except ProblemError as err:
            problems.extend(err.problems)
    return posts, problems


def read_post(outbox_dir: Path, folder: str, path: str, sha256: str) -> Post:
    """One post.json, checked against the manifest and with its files found; a
    ProblemError naming the file (and the field) otherwise."""
    source = f"outbox/{folder}/{path}"
    data = _post_bytes(outbox_dir / folder / path, source, sha256)
    fields = _json_object(data, source)
    unit = PurePosixPath(path).parent.as_posix()
    reader = _Fields(fields, source)
    if fields.get("format") != FORMAT:
        raise ProblemError(Problem(source, None, "format", _(
            "is {value}: this toolkit reads posts of format {format}").format(
                value=quote(fields.get("format")), format=FORMAT), _rebuild()))
    if reader.text("unit") != unit:
        raise ProblemError(reader.problem("unit", _("is not {unit}, the folder it is in").format(
            unit=quote(unit))))
    zalo = _Fields(reader.group("zalo"), source, "zalo.")
    images = _Fields(reader.group("images"), source, "images.")
    post_folder = outbox_dir / folder / unit
    return Post(
        unit=unit, title=reader.text("title"), link=reader.text("link"),
        publish=reader.moment("publish"),
        message=_Fields(reader.group("facebook"), source, "facebook.").text("message"),
        zalo_title=zalo.text("title"), zalo_description=zalo.text("description"),
        zalo_body=zalo.paragraphs("body"),
        portrait=images.file("portrait", post_folder, outbox_dir),
        square=images.file("square", post_folder, outbox_dir),
        video=(None if fields.get("video") is None
               else reader.file("video", outbox_dir, outbox_dir)),
        version=hashlib.sha256(data).hexdigest(), source=source)


def size_text(size: int) -> str:
    """A file's size as people read it: 57 KB, 3.2 MB (3,2 MB in Vietnamese)."""
    if size < 1_000_000:
        return f"{max(1, round(size / 1000))} KB"
    return f"{decimal(size / 1_000_000, 1)} MB"


def _post_bytes(path: Path, source: str, sha256: str) -> bytes:
    """The post's bytes, as the manifest lists them."""
    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_POST_BYTES + 1)
    except FileNotFoundError:
        raise ProblemError(Problem(source, None, "", _(
            "is listed in the manifest but missing"), _rebuild())) from None
    except OSError as err:
        raise ProblemError(Problem(source, None, "", _("cannot be read ({why})").format(
            why=err.strerror or type(err).__name__), _rebuild())) from None
    if len(data) > MAX_POST_BYTES or hashlib.sha256(data).hexdigest() != sha256:
        raise ProblemError(Problem(source, None, "", _(
            "is not the post the build wrote (it changed since)"), _rebuild()))
    return data


def _json_object(data: bytes, source: str) -> dict[str, Any]:
    try:
        fields = json.loads(data.decode("utf-8"))
    except UnicodeDecodeError:
        raise ProblemError(Problem(source, None, "", _("is not UTF-8 text"), _rebuild())) from None
    except json.JSONDecodeError as err:
        raise ProblemError(Problem(source, err.lineno, "", _("is not JSON"), _rebuild())) from None
    except (ValueError, RecursionError):
        raise ProblemError(Problem(source, None, "", _("is not JSON"), _rebuild())) from None
    if not isinstance(fields, dict):
        raise ProblemError(Problem(source, None, "", _("is not a JSON object"), _rebuild()))
    return fields


def _build_first(folder: str) -> str:
    return _("build the posts first: toolkit build --channel {channel}").format(channel=folder)


def _rebuild() -> str:
    """The fix of every problem of a post: the build writes posts, nobody else."""
    return _("build the posts again: toolkit build --channel {channel}").format(
        channel=social_folder())


class _Fields:
    """The fields of one JSON object of a post, each read or refused with its name."""

    def __init__(self, fields: dict[str, Any], source: str, prefix: str = "") -> None:
        self.fields, self.source, self.prefix = fields, source, prefix

    def problem(self, name: str, what: str) -> Problem:
        """What is wrong with field `name`, as a problem of the post."""
        return Problem(self.source, None, self.prefix + name, what, _rebuild())

    def text(self, name: str) -> str:
        """A text field that is not empty."""
        value = self.fields.get(name)
        if not isinstance(value, str) or not value.strip():
            raise ProblemError(self.problem(name, _("is missing or not a text")))
        return value

    def group(self, name: str) -> dict[str, Any]:
        """A field holding fields."""
        value = self.fields.get(name)
        if not isinstance(value, dict):
            raise ProblemError(self.problem(name, _("is missing or not a group of fields")))
        return value

    def paragraphs(self, name: str) -> tuple[str, ...]:
        """A list of texts, at least one."""
        value = self.fields.get(name)
        if (not isinstance(value, list) or not value
                or not all(isinstance(p, str) and p.strip() for p in value)):
            raise ProblemError(self.problem(name, _("is missing or not a list of texts")))
        return tuple(value)

    def moment(self, name: str) -> datetime:
        """A date and time with its offset, like 2021-03-15T08:00:00+07:00."""
        value = self.text(name)
        try:
            moment = datetime.fromisoformat(value)
        except ValueError:
            moment = None
        if moment is None or moment.tzinfo is None:
            raise ProblemError(self.problem(name, _(
                "{value} is not a date and time like 2021-03-15T08:00:00+07:00").format(
                    value=quote(value))))
        return moment

    def file(self, name: str, folder: Path, outbox_dir: Path) -> PostFile:
        """A file named relative to `folder`, inside the outbox, on disk."""
        value = self.fields.get(name)
        if not isinstance(value, str) or not value or "\\" in value or value.startswith("/"):
            raise ProblemError(self.problem(name, _("is missing or not a relative path")))
        path = (folder / value).resolve()
        outbox = outbox_dir.resolve()
        if not path.is_relative_to(outbox):
            raise ProblemError(self.problem(name, _("{value} is outside the outbox").format(
                value=quote(value))))
        try:
            size = path.stat().st_size if path.is_file() else None
        except OSError:
            size = None
        if size is None:
            raise ProblemError(self.problem(name, _("{file} is missing").format(
                file=path.relative_to(outbox).as_posix())))
        return PostFile(path, path.relative_to(outbox).as_posix(), size)
