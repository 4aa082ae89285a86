"""Real clients: LibreOffice opens and converts the DOCX; both PDFs look like the stored pages.

Needs Debian's libreoffice-writer and poppler-utils. Without them the tests skip, unless
BAOCAO_REQUIRE_CLIENTS=1 (CI), where a missing client is a failure. Set BAOCAO_UPDATE_REFERENCE=1
to rewrite tests/reference/*.png after an intended layout change (then look at them); the same
pages of the real reports are compared in tests/test_layout_real.py.
"""

from __future__ import annotations

from pathlib import Path

import pypdf
import pytest

from baocao.render import render
from conftest import assert_matches_reference, libreoffice_pdf as convert_with_libreoffice, rasterise, require

SAMPLE = Path(__file__).parent / "data" / "sample-report.md"


@pytest.fixture(scope="module")
def outputs(tmp_path_factory):
    return render(SAMPLE, tmp_path_factory.mktemp("clients"))


@pytest.fixture(scope="module")
def libreoffice_pdf(outputs, tmp_path_factory) -> Path:
    return convert_with_libreoffice(outputs["docx"], tmp_path_factory.mktemp("soffice"))


def first_landscape_page(pdf: Path) -> int:
    reader = pypdf.PdfReader(pdf)
    return next(i for i, page in enumerate(reader.pages) if page.mediabox.width > page.mediabox.height)


def test_libreoffice_converts_docx_with_vendored_fonts(libreoffice_pdf):
    reader = pypdf.PdfReader(libreoffice_pdf)
    text = reader.pages[0].extract_text()
    assert "Số: 1385/BC-BNV" in text and "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    fonts = {str(f.get_object()["/BaseFont"]) for page in reader.pages
             for f in page["/Resources"]["/Font"].values()}
    assert all(name.split("+")[-1].startswith("LiberationSerif") for name in fonts), fonts


@pytest.mark.parametrize("page", ["page1", "appendix"])
def test_libreoffice_pages_match_reference(libreoffice_pdf, page, tmp_path):
    index = 0 if page == "page1" else first_landscape_page(libreoffice_pdf)
    assert_matches_reference(rasterise(libreoffice_pdf, index, tmp_path / "p.png"), f"docx-{page}.png")


@pytest.mark.parametrize("page", ["page1", "appendix"])
def test_typst_pages_match_reference(outputs, page, tmp_path):
    pdf = outputs["pdf"]
    index = 0 if page == "page1" else first_landscape_page(pdf)
    assert_matches_reference(rasterise(pdf, index, tmp_path / "p.png"), f"pdf-{page}.png")


@pytest.mark.parametrize(("tool", "package"), [("soffice", "libreoffice-writer"), ("pdftoppm", "poppler-utils")])
def test_missing_client_skips_here_but_fails_in_ci(tool, package, monkeypatch, tmp_path):
    """A machine without LibreOffice or poppler skips the layout tests, naming the package to install; CI
    (BAOCAO_REQUIRE_CLIENTS=1, set by .ci/run) fails them instead, so a layout test can never skip there."""
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.delenv("BAOCAO_REQUIRE_CLIENTS", raising=False)
    with pytest.raises(pytest.skip.Exception, match=f"Thiếu chương trình '{tool}' \\(gói Debian {package}\\)$"):
        require(tool)
    monkeypatch.setenv("BAOCAO_REQUIRE_CLIENTS", "1")
    with pytest.raises(pytest.fail.Exception, match=f"'{tool}' .* trong khi BAOCAO_REQUIRE_CLIENTS=1$"):
        require(tool)
