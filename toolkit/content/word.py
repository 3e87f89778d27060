"""Word import: a drafted .docx becomes a unit file under content/.

Heading 1 is the title, the first paragraph after it the summary; Heading 2
sections with the usual headings of a published procedure fill the fields
(steps, documents, processing time, fee, agency, legal basis, where and
online); list paragraphs become list items; anything else goes to the body,
and headings the importer does not know are reported. Text in TCVN3 fonts is
converted to Unicode; text in VNI fonts stops the import, naming the font.
"""

from __future__ import annotations

import json
import re
import zipfile
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from docx import Document
from docx.document import Document as WordDocument
from docx.opc.exceptions import PackageNotFoundError
from docx.text.paragraph import Paragraph
from docx.text.run import Run
from lxml import etree

from toolkit.content.legacy import LegacyFont, to_unicode
from toolkit.content.text import nfc
from toolkit.i18n import N_, _
from toolkit.problems import Problem, ProblemError, clip, quote

# The headings of a published procedure, and the field each fills, as `heading_key`
# writes them: lowercase, numbering and a closing colon gone, and "/", ";", "&", " - "
# and " và " between words written ", " ("Phí/Lệ phí" is "phí, lệ phí").
SECTIONS: dict[str, str] = {
    "trình tự thực hiện": "steps",
    "thành phần hồ sơ": "documents",
    "thành phần, số lượng hồ sơ": "documents",
    "thời hạn giải quyết": "processing_time",
    "phí, lệ phí": "fee",
    "lệ phí": "fee",
    "phí": "fee",
    "cơ quan thực hiện": "agency",
    "căn cứ pháp lý": "legal_basis",
    "cách thức thực hiện": "where",
}
# Numbering before a heading: "1.", "II)", "3 -", "a.".
NUMBERING = re.compile(r"^(?:[\dIVXivx]+|[a-zđ])\s*[.):-]\s*")
# What joins the words of a heading: "Phí/Lệ phí", "Phí - Lệ phí", "Phí và lệ phí".
JOINERS = re.compile(r"\s*[/,;&]\s*|\s+[-–]\s+|\s+và\s+")
LISTS = frozenset({"steps", "documents", "legal_basis"})
URL = re.compile(r"https?://\S+[^\s.,;)]")

# A .docx is a zip of parts. A long Word document's text (word/document.xml) is a
# few MB; a small file can unpack to gigabytes (a "zip bomb"), so the sizes are
# checked, as declared and as read, before python-docx opens it.
MAX_PART_BYTES = 10 * 2**20  # any one part, unpacked
MAX_UNPACKED_BYTES = 100 * 2**20  # all the parts, pictures included
MAX_PARTS = 1000
READ_CHUNK = 2**20
TOO_LARGE_FIX = N_("copy the text into a new document (without the pictures: File > Compress "
                   "Pictures, or delete them) and import that")
REPAIR_FIX = N_("open it in Word, which offers to repair it, and save it again as .docx")


@dataclass
class Draft:
    """What was read from the document, field by field, and what to tell the editor."""

    title: str = ""
    summary: str = ""
    fields: dict[str, list[str]] = field(default_factory=dict)
    body: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def read_docx(path: Path) -> Draft:
    """Read a Word file into a draft; ProblemError if it cannot be read."""
    try:
        _check_sizes(path)
        return _draft(Document(str(path)), path)
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError, OSError) as err:
        raise ProblemError(Problem(path.name, None, "", _(
            "is not a Word .docx file, or is damaged ({detail})").format(detail=clip(str(err))),
            _("open it in Word and save it as .docx"))) from None
    except etree.XMLSyntaxError as err:
        raise ProblemError(Problem(path.name, None, "", _(
            "is damaged: part of it is not valid XML ({detail})").format(
                detail=clip(str(err.msg))), _(REPAIR_FIX))) from None


def _check_sizes(path: Path) -> None:
    """Refuse a Word file whose parts unpack past the limits: first by the sizes its
    zip declares, then by reading each part with a cap, as a declared size can lie.
    (Python's zipfile itself stops at the declared size and then finds the checksum
    wrong, a BadZipFile; the cap does not count on that.)"""
    with zipfile.ZipFile(path) as package:
        parts = package.infolist()
        if len(parts) > MAX_PARTS:
            raise _too_large(path, _("has {count} parts, more than a Word draft has ({limit})")
                             .format(count=len(parts), limit=MAX_PARTS))
        for part in parts:
            if part.file_size > MAX_PART_BYTES:
                raise _too_large(path, _unpacks(part.filename, part.file_size, MAX_PART_BYTES))
        declared = sum(part.file_size for part in parts)
        if declared > MAX_UNPACKED_BYTES:
            raise _too_large(path, _("all its parts unpack to {size} MB, more than a Word draft "
                                     "can be ({limit} MB)").format(
                                         size=round(declared / 2**20),
                                         limit=MAX_UNPACKED_BYTES // 2**20))
        total = 0
        for part in parts:
            size = 0
            with package.open(part) as stream:
                while chunk := stream.read(READ_CHUNK):
                    size, total = size + len(chunk), total + len(chunk)
                    if size > MAX_PART_BYTES or total > MAX_UNPACKED_BYTES:
                        raise _too_large(path, _("{part} unpacks to more than its zip says, past "
                                                 "what a Word draft can be").format(
                                                     part=part.filename))


def _unpacks(part: str, size: int, limit: int) -> str:
    """"word/document.xml unpacks to 120 MB, more than...": a part's size against its limit."""
    return _("{part} unpacks to {size} MB, more than a Word draft can be ({limit} MB)").format(
        part=part, size=round(size / 2**20), limit=limit // 2**20)


def _too_large(path: Path, what: str) -> ProblemError:
    """The problem of a Word file too large to open; part names are cut short."""
    return ProblemError(Problem(path.name, None, "", clip(what, 200), _(TOO_LARGE_FIX)))


def _draft(document: WordDocument, path: Path) -> Draft:
    """The document's paragraphs, field by field."""
    draft = Draft()
    section: str | None = None
    for number, paragraph in enumerate(document.paragraphs, start=1):
        text = _text(paragraph, path, number)
        if not text:
            continue
        level = _heading_level(paragraph)
        if level == 1 and not draft.title:
            draft.title = text
        elif level is not None and level >= 1:
            section = _section(text, draft, number)
        elif section is None and draft.title and not draft.summary:
            draft.summary = text
        elif section in (None, "body"):
            draft.body.append(f"- {text}" if _is_list(paragraph) else text)
        else:
            draft.fields.setdefault(section, []).append(text)
    return draft


def _text(paragraph: Paragraph, path: Path, number: int) -> str:
    """The paragraph's text in Unicode NFC, each run converted from its font's encoding."""
    style_font = paragraph.style.font.name if paragraph.style is not None else None
    try:
        parts = [to_unicode(_run_text(run), run.font.name or style_font)
                 for run in paragraph.runs]
    except LegacyFont as err:
        raise ProblemError(Problem(path.name, None, _("paragraph {number}").format(number=number),
                                   str(err), _("convert the file to Unicode first (Unikey: Công "
                                               "cụ, chuyển mã VNI Windows → Unicode), then "
                                               "import it"))) from None
    return nfc(" ".join("".join(parts).split()))


# What a run's XML children stand for. Word stores a typed byte 0xAD as a soft
# hyphen element, and in TCVN3 that byte is the letter "ư".
_RUN_CHILDREN = {"t": None, "tab": "\t", "br": "\n", "cr": "\n", "softHyphen": "\u00ad",
                 "noBreakHyphen": "-"}


def _run_text(run: Run) -> str:
    """A run's text, soft hyphens included (python-docx leaves them out)."""
    parts: list[str] = []
    for child in run._r.iterchildren():
        name = child.tag.rsplit("}", 1)[-1]
        if name in _RUN_CHILDREN:
            parts.append((child.text or "") if name == "t" else _RUN_CHILDREN[name] or "")
    return "".join(parts)


def _heading_level(paragraph: Paragraph) -> int | None:
    name = paragraph.style.name if paragraph.style is not None else ""
    match = re.fullmatch(r"Heading (\d)", name or "")
    return int(match[1]) if match else (1 if name == "Title" else None)


def _is_list(paragraph: Paragraph) -> bool:
    name = paragraph.style.name if paragraph.style is not None else ""
    return (name or "").startswith("List") or (paragraph._p.pPr is not None and \
        paragraph._p.pPr.numPr is not None)


def _section(heading: str, draft: Draft, number: int) -> str:
    """The field a heading's section fills; "body" for a heading that names none, which
    the editor is told of."""
    key = heading_key(heading)
    if key in SECTIONS:
        return SECTIONS[key]
    draft.notes.append(_("paragraph {number}: the heading {heading} is not a field; its text "
                         "went to the body").format(number=number, heading=quote(heading)))
    draft.body.append(f"## {heading}")
    return "body"


def heading_key(heading: str) -> str:
    """A heading as SECTIONS names it: "3. Phí/Lệ phí:" is "phí, lệ phí"."""
    key = nfc(" ".join(heading.split())).lower()
    key = NUMBERING.sub("", key).strip().rstrip(":").strip()
    return JOINERS.sub(", ", key)


def unit_text(draft: Draft, kind: str, unit_id: str, publish: date) -> str:
    """The unit file: front matter from the draft's fields, then its body."""
    lines = ["---", f"kind: {kind}", f"id: {_quote(unit_id)}", f"title: {_quote(draft.title)}",
             f"summary: {_quote(draft.summary)}", f"publish: {publish.isoformat()}"]
    for name, values in _fields(draft).items():
        if isinstance(values, list):
            lines.append(f"{name}:")
            lines += [f"  - {_quote(v)}" for v in values]
        elif isinstance(values, dict):
            lines.append(f"{name}:")
            lines += [f"  {k}: {_quote(v) if isinstance(v, str) else str(v).lower()}"
                      for k, v in values.items()]
        else:
            lines.append(f"{name}: {_quote(str(values))}")
    return "\n".join([*lines, "---", "", "\n\n".join(draft.body), ""])


def _fields(draft: Draft) -> dict[str, object]:
    found: dict[str, object] = {}
    for name, texts in draft.fields.items():
        found[name] = texts if name in LISTS else " ".join(texts)
    where = str(found.get("where", ""))
    link = URL.search(where)
    if link:
        found["online"] = {"url": link[0], "full": False}
    return found


def _quote(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)
