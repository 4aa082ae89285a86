"""The PDF a reader opens: header line, diacritics, page numbers, fonts, outline, metadata."""

from __future__ import annotations

import shutil
import unicodedata
from pathlib import Path
from xml.etree import ElementTree

import pdfplumber
import pypdf
import pytest

from baocao.render import RenderError
from baocao.render.tools import FONT_FILES, FONTS_DIR
from baocao.render.typst_pdf import TypstPdfRenderer, compile_with_package

SAMPLE = Path(__file__).parent / "data" / "sample-report.md"
MM = 72 / 25.4
TOP_MARGIN_PT = 25 * MM


@pytest.fixture(scope="module")
def pdf_path(tmp_path_factory) -> Path:
    return TypstPdfRenderer().render(SAMPLE, tmp_path_factory.mktemp("pdf"), "bao-cao")["pdf"]


@pytest.fixture(scope="module")
def pages(pdf_path):
    with pdfplumber.open(pdf_path) as pdf:
        yield pdf.pages


def test_number_and_place_date_share_a_text_line(pages):
    lines = pages[0].extract_text().splitlines()
    assert any("Số: 1385/BC-BNV" in line and "Hà Nội, ngày 27 tháng 02 năm 2025" in line
               for line in lines), lines[:8]


def test_vietnamese_diacritics_survive(pages):
    text = "\n".join(page.extract_text() for page in pages)
    for phrase in ("Bà Rịa – Vũng Tàu", "Ủy ban Dân tộc", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
                   "Độc lập - Tự do - Hạnh phúc", "Trương Hải Long", "Nơi nhận:"):
        assert phrase in text


def _top_margin_text(page) -> str:
    return (page.within_bbox((0, 0, page.width, TOP_MARGIN_PT)).extract_text() or "").strip()


def test_page_number_centred_at_top_from_page_two(pages):
    assert _top_margin_text(pages[0]) == ""
    assert _top_margin_text(pages[1]) == "2"
    number = pages[1].within_bbox((0, 0, pages[1].width, TOP_MARGIN_PT)).extract_words()[0]
    centre = (number["x0"] + number["x1"]) / 2
    assert abs(centre - (35 * MM + (pages[1].width - 55 * MM) / 2)) < 20


def test_appendix_is_landscape_and_its_header_repeats(pages):
    landscape = [p for p in pages if p.width > p.height]
    assert len(landscape) >= 2, "the 40-row appendix should span at least two landscape pages"
    for page in landscape:
        assert "Tên cơ quan" in page.extract_text()
    assert "(Kèm theo Báo cáo số 1385/BC-BNV" in landscape[0].extract_text()


def embedded_fonts(reader: pypdf.PdfReader) -> dict[str, bool]:
    """Each font the pages use → whether its file is embedded (a reader without the font would substitute one)."""
    fonts = {}
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descendant = font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font
            descriptor = descendant["/FontDescriptor"].get_object()
            fonts[str(font["/BaseFont"])] = any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3"))
    return fonts


def test_fonts_are_embedded_liberation_serif(pdf_path):
    reader = pypdf.PdfReader(pdf_path)
    fonts = embedded_fonts(reader)
    assert fonts and all(name.split("+")[-1].startswith("LiberationSerif") for name in fonts), fonts
    assert all(fonts.values()), fonts


def _titles(outline) -> list[str]:
    titles = []
    for item in outline:
        titles.extend(_titles(item) if isinstance(item, list) else [item.title])
    return titles


def test_outline_and_metadata(pdf_path):
    reader = pypdf.PdfReader(pdf_path)
    titles = _titles(reader.outline)
    for heading in ("I. CÔNG TÁC LÃNH ĐẠO, CHỈ ĐẠO", "II. ĐÁNH GIÁ CHUNG", "1. Ưu điểm",
                    "a) Khó khăn, hạn chế"):
        assert heading in titles
    assert reader.metadata.title.startswith("Kết quả thực hiện công tác dân vận")
    assert reader.metadata.author == "Bộ Nội vụ"
    assert str(reader.trailer["/Root"]["/Lang"]).startswith("vi")
    assert reader.metadata["/CreationDate"].startswith("D:20250227")


def test_missing_font_is_an_error_and_keeps_existing_output(tmp_path):
    fonts = tmp_path / "fonts"
    fonts.mkdir()
    for name in FONT_FILES[:-1]:
        shutil.copy(FONTS_DIR / name, fonts / name)
    out = tmp_path / "out"
    out.mkdir()
    (out / "bao-cao.pdf").write_bytes(b"previous")
    with pytest.raises(RenderError, match="LiberationSerif-BoldItalic.ttf"):
        TypstPdfRenderer(fonts_dir=fonts).render(SAMPLE, out, "bao-cao")
    assert (out / "bao-cao.pdf").read_bytes() == b"previous"


def test_compiler_never_falls_back_to_another_face(tmp_path):
    """Even past the file check, a face Typst cannot find stops the render."""
    typ = tmp_path / "t.typ"
    typ.write_text('#set text(font: "Liberation Serif")\nBáo cáo', encoding="utf-8")
    empty = tmp_path / "no-fonts"
    empty.mkdir()
    with pytest.raises(RenderError, match="phông chữ"):
        compile_with_package(typ, tmp_path, empty, 0)


# --- archival PDF (PDF/A-2b), on a report users really get ------------------------------------------------

PDFAID = "{http://www.aiim.org/pdfa/ns/id/}"


def _pdfa_identification(reader: pypdf.PdfReader) -> dict[str, str]:
    """pdfaid:part and pdfaid:conformance from the XMP packet (as elements or as attributes)."""
    xmp = ElementTree.fromstring(reader.trailer["/Root"]["/Metadata"].get_object().get_data())
    found = {}
    for element in xmp.iter():
        for key in ("part", "conformance"):
            if element.tag == PDFAID + key:
                found[key] = element.text
            if PDFAID + key in element.attrib:
                found[key] = element.attrib[PDFAID + key]
    return found


def test_real_report_is_pdfa_2b_tagged_vietnamese_with_bookmarks(rendered_2024):
    reader = pypdf.PdfReader(rendered_2024 / "bao-cao.pdf")
    assert _pdfa_identification(reader) == {"part": "2", "conformance": "B"}
    root = reader.trailer["/Root"]
    assert root["/MarkInfo"]["/Marked"] and "/StructTreeRoot" in root  # tags kept for screen readers
    assert str(root["/Lang"]).startswith("vi")
    assert "/OutputIntents" in root  # the colour space a PDF/A reader must assume
    assert "IV. NHIỆM VỤ TRỌNG TÂM CÔNG TÁC NĂM 2025" in _titles(reader.outline)


def test_real_report_embeds_every_font(rendered_2024):
    reader = pypdf.PdfReader(rendered_2024 / "bao-cao.pdf")
    embedded = embedded_fonts(reader)
    assert len(embedded) == 4 and all(embedded.values()), embedded  # regular, bold, italic, bold italic


def test_real_report_text_extracts_with_intact_diacritics(rendered_2024):
    with pdfplumber.open(rendered_2024 / "bao-cao.pdf") as pdf:
        text = "\n".join(page.extract_text() for page in pdf.pages)
    assert unicodedata.is_normalized("NFC", text) and "\ufffd" not in text
    for phrase in ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", "Trương Hải Long",
                   "III. ĐÁNH GIÁ CHUNG", "Nơi nhận:", "BẢNG TỔNG HỢP", "Bà Rịa – Vũng Tàu"):
        assert phrase in text, phrase
