"""The bulletin's Word file as LibreOffice lays it out (issue 12): converted to PDF by
`soffice --headless`, then read back as a reader sees it, not as python-docx does."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pypdfium2
import pytest

from tests.channels.test_bulletin import SECOND_PROCEDURE, bulletin, folder
from tests.conftest import write_unit

Run = Callable[..., tuple[int, str, str]]
SOFFICE = shutil.which("soffice")
# The running header ends this far below the top of the page (header distance 1.27 cm,
# one line of it); the body starts at the 2 cm margin (57 pt).
HEADER_PT = 52

pytestmark = pytest.mark.skipif(
    SOFFICE is None, reason="LibreOffice (soffice) is not installed: .ci/run installs Debian's "
                            "libreoffice-writer-nogui; `apt-get install libreoffice-writer-nogui`")


def converted(docx: Path, tmp_path: Path) -> Path:
    """`docx` converted to PDF by LibreOffice, with a profile of its own (no clash with
    another soffice running)."""
    assert SOFFICE is not None
    profile = (tmp_path / "lo-profile").as_uri()
    subprocess.run([SOFFICE, f"-env:UserInstallation={profile}", "--headless", "--convert-to",
                    "pdf", "--outdir", str(tmp_path / "lo"), str(docx)],
                   check=True, capture_output=True, timeout=120)
    return tmp_path / "lo" / f"{docx.stem}.pdf"


def pages(pdf_path: Path) -> list[str]:
    """The text of each page, its lines stripped."""
    pdf = pypdfium2.PdfDocument(pdf_path)
    try:
        return ["\n".join(line.strip() for line in page.get_textpage().get_text_range()
                          .splitlines()) for page in pdf]
    finally:
        pdf.close()


def test_libreoffice_numbers_each_procedure_from_1_and_counts_the_pages(
        project: Path, run: Run, tmp_path: Path) -> None:
    write_unit(project, "buu-dien", SECOND_PROCEDURE)
    assert bulletin(run, project, "--week", "2021-W06")[0] == 0
    made = folder(project, "2021-W06")
    shown = pages(converted(made / "bulletin-2021-W06.docx", tmp_path))
    text = "\n".join(shown)
    second = text[text.index("Nộp hồ sơ qua bưu điện"):]
    assert "1. Mang hồ sơ đến bưu cục." in second  # not "3.": a list of its own
    assert "2. Điền tờ khai, tải giấy chứng sinh." in second
    assert "3. " not in second
    assert text.index("1. Đăng nhập Cổng dịch vụ công.") < text.index("Nộp hồ sơ qua bưu điện")
    # the page fields as LibreOffice fills them, and the same number of pages as the PDF
    count = len(shown)
    assert all(f"Trang {n}/{count}" in page for n, page in enumerate(shown, start=1))
    assert count == len(pages(made / "bulletin-2021-W06.pdf"))
    assert "Số 06, tuần từ 08/02 đến 14/02/2021" in shown[0]


def test_libreoffice_keeps_a_qr_code_with_its_link(project: Path, run: Run,
                                                   tmp_path: Path) -> None:
    # enough procedures for page breaks to fall in different places
    for n in range(6):
        write_unit(project, f"thu-tuc-{n}", SECOND_PROCEDURE.replace(
            "Nộp hồ sơ qua bưu điện", f"Thủ tục số {n}"))
    assert bulletin(run, project, "--week", "2021-W06")[0] == 0
    pdf = pypdfium2.PdfDocument(converted(folder(project, "2021-W06") / "bulletin-2021-W06.docx",
                                          tmp_path))
    try:
        assert len(pdf) > 1
        for page in pdf:
            top = _first_thing(page)
            assert top != "image", "a QR code starts a page, away from its link"
    finally:
        pdf.close()


def _first_thing(page: pypdfium2.PdfPage) -> str:
    """"image" or "text", whichever is highest in the page's body (below the header)."""
    height = page.get_height()
    found = []
    for obj in page.get_objects():
        _left, _bottom, _right, top = obj.get_bounds()
        if top < height - HEADER_PT:  # below the running header
            kind = "image" if obj.type == pypdfium2.raw.FPDF_PAGEOBJ_IMAGE else "text"
            found.append((top, kind))
    return max(found)[1] if found else ""
