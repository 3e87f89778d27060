"""The pictures a unit (`image:`) or the settings (`brand.logo`) name: where they
may be, and what their first bytes say they are; and the rules of where any file
a unit names may be, which its sounds (`toolkit/content/sounds.py`) follow too.

Only cheap checks live here, made on every load, a build with nothing to do
included: the path rules, that the file is there and not huge, and its first
bytes. Pillow is not imported: a picture is decoded in full where it is placed
(`toolkit/render/picture.py`, for print), and a file cut short is found there.
"""

from __future__ import annotations

from pathlib import Path, PurePosixPath, PureWindowsPath

from toolkit.i18n import N_, _
from toolkit.problems import Problem, ProblemError, quote

# Pictures print can place.
USABLE = ("JPEG", "PNG", "WebP")
# A phone photo is 2 to 12 MB; past this a file is not a photo for a leaflet.
MAX_PICTURE_BYTES = 40 * 1024 * 1024
# Enough first bytes to tell every format below.
HEAD_BYTES = 16

# First bytes of picture formats (and of files mistaken for pictures).
_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"\xff\xd8\xff", "JPEG"), (b"\x89PNG\r\n\x1a\n", "PNG"), (b"GIF87a", "GIF"),
    (b"GIF89a", "GIF"), (b"BM", "BMP"), (b"II*\x00", "TIFF"), (b"MM\x00*", "TIFF"),
    (b"%PDF", "PDF"), (b"PK\x03\x04", "ZIP"), (b"\x00\x00\x01\x00", "ICO"),
)
# ISO media files ("....ftyp" and a brand): iPhones' HEIC photos, and AVIF.
_FTYP_BRANDS = {b"heic": "HEIC", b"heix": "HEIC", b"hevc": "HEIC", b"hevx": "HEIC",
                b"heim": "HEIC", b"heis": "HEIC", b"mif1": "HEIC", b"msf1": "HEIC",
                b"avif": "AVIF", b"avis": "AVIF"}

# Marked for the catalog; translate with _() where shown.
IMAGE_FIX = N_("give the path from the unit's folder, e.g. image: anh/mot-cua.jpg")
CONVERT_FIX = N_("save it as JPEG (a photo) or PNG (a drawing), and name that file")
HEIC_FIX = N_("convert it to JPEG: on Windows open it in Photos and choose Save as, JPG; on "
              "the iPhone, Settings > Camera > Formats > Most Compatible takes JPEGs from now on")


class BadFile(Exception):
    """A file a unit or the settings name that cannot be used: what is wrong and, where the
    caller's own advice on naming the file does not fit, how to fix it."""

    def __init__(self, what: str, fix: str = "") -> None:
        super().__init__(what)
        self.what = what
        self.fix = fix


class BadPicture(BadFile):
    """A picture that cannot be used."""


def project_file(value: str, folder: Path, root: Path, bad: type[BadFile], absolute: str,
                 copy_fix: str) -> Path:
    """The file `value` names from `folder`, the rules of every file a unit or the settings
    name: inside `root` (no absolute path, no way out by ".." or a link), and a file.
    Otherwise `bad`, saying of an absolute path `absolute` (a translated message with
    {value}) and of a file outside how to bring it in, `copy_fix` (translated)."""
    if PurePosixPath(value).is_absolute() or PureWindowsPath(value).drive:
        raise bad(absolute.format(value=quote(value)))
    path = folder / value
    try:
        inside = path.resolve().is_relative_to(root.resolve())
        found = path.is_file()
    except (OSError, ValueError, RuntimeError):  # a NUL in the name, a loop of links
        inside, found = True, False
    if not inside:
        raise bad(_("{value} is outside the project folder").format(value=quote(value)),
                  copy_fix)
    if not found:
        raise bad(_("{value} is not a file").format(value=quote(value)))
    return path


def file_head(value: str, path: Path, bad: type[BadFile], count: int) -> tuple[int, bytes]:
    """A file's size and its first `count` bytes, which tell its format; `bad` if it cannot
    be read."""
    try:
        size = path.stat().st_size
        with path.open("rb") as file:
            return size, file.read(count)
    except OSError as err:
        raise bad(_("{value} cannot be read ({reason})").format(
                      value=quote(value), reason=err.strerror),
                  _("check that the file is not open in another program")) from None


def picture_path(value: str, folder: Path, root: Path) -> Path:
    """The picture `value` names from `folder`, checked cheaply: inside `root` (no
    absolute path, no way out by ".." or a link), a file, not huge, and by its
    first bytes a JPEG, PNG or WebP. BadPicture says what is wrong otherwise."""
    path = project_file(
        value, folder, root, BadPicture,
        _("{value} is an absolute path; a picture must be inside the project folder"),
        _("copy the picture into the project (e.g. content/anh/) and give its path from there"))
    _check_head(value, path)
    return path


def _check_head(value: str, path: Path) -> None:
    """The file's size and first bytes: a picture print can place, or BadPicture."""
    size, head = file_head(value, path, BadPicture, HEAD_BYTES)
    if size == 0:
        raise BadPicture(_("{value} is empty").format(value=quote(value)),
                         _("copy the picture again"))
    if size > MAX_PICTURE_BYTES:
        raise BadPicture(_("{value} is {size} MB, more than a picture for print needs "
                           "({limit} MB)").format(value=quote(value), size=round(size / 2**20),
                                                  limit=MAX_PICTURE_BYTES // 2**20),
                         _("make it smaller: 2000 pixels on the long side is plenty for a "
                           "leaflet"))
    kind = picture_format(head)
    if kind in USABLE:
        return
    if kind == "HEIC":
        raise BadPicture(_("{value} is a HEIC photo (iPhone), which print cannot use").format(
            value=quote(value)), _(HEIC_FIX))
    if kind is None:
        raise BadPicture(_("{value} is not a picture").format(value=quote(value)),
                         _("give a JPEG, PNG or WebP photo"))
    raise BadPicture(_("{value} is in the {format} format; print takes JPEG, PNG or WebP").format(
        value=quote(value), format=_(kind)), _(CONVERT_FIX))


def picture_format(head: bytes) -> str | None:
    """The format a file's first bytes announce ("JPEG", "HEIC"...), or None."""
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "WebP"
    if head[4:8] == b"ftyp":
        return _FTYP_BRANDS.get(head[8:12], N_("MP4 or MOV video"))
    return next((kind for magic, kind in _SIGNATURES if head.startswith(magic)), None)


LOGO_FIX = N_("give the path of a PNG or JPEG from the project folder, or leave it empty")


def logo_file(logo: str, project_dir: Path) -> Path | None:
    """Where the brand logo toolkit.toml names (`brand.logo`) is, checked cheaply: inside
    the project, a picture by its first bytes. None when it names none; a ProblemError
    on the setting when it cannot be used."""
    if not logo:
        return None
    try:
        return picture_path(logo, project_dir, project_dir)
    except BadPicture as err:
        raise ProblemError(logo_problem(err)) from None


def logo_problem(err: BadPicture) -> Problem:
    """What is wrong with the brand logo, said on toolkit.toml's `brand.logo`."""
    return Problem("toolkit.toml", None, "brand.logo", err.what, err.fix or _(LOGO_FIX))
