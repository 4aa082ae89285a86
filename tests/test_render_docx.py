"""The DOCX a user opens in Word: ND30 page geometry, header, tables, styles and metadata."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import docx
import pytest
from docx.enum.section import WD_ORIENT
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from baocao.render import render

SAMPLE = Path(__file__).parent / "data" / "sample-report.md"


@pytest.fixture(scope="module")
def document(tmp_path_factory):
    out = render(SAMPLE, tmp_path_factory.mktemp("docx"), formats=("docx",))
    return docx.Document(str(out["docx"]))


def _close(length, mm: float) -> bool:
    return abs(length - Mm(mm)) <= Mm(0.1)


def test_first_section_is_portrait_a4_with_nd30_margins(document):
    section = document.sections[0]
    assert section.orientation == WD_ORIENT.PORTRAIT
    assert _close(section.page_width, 210) and _close(section.page_height, 297)
    assert [_close(m, v) for m, v in ((section.top_margin, 25), (section.bottom_margin, 20),
                                      (section.left_margin, 35), (section.right_margin, 20))] == [True] * 4


def test_appendix_is_its_own_landscape_section(document):
    assert len(document.sections) == 2
    appendix = document.sections[1]
    assert appendix.orientation == WD_ORIENT.LANDSCAPE
    assert appendix.page_width > appendix.page_height
    first_in_appendix = [p.text for p in document.paragraphs if p.style.name == "Appendix Label"]
    assert first_in_appendix == ["Phụ lục"]


def _appendix_table(document):
    return next(t for t in document.tables if t.rows[0].cells[0].text == "STT")


def test_appendix_table_header_repeats_and_rows_do_not_split(document):
    table = _appendix_table(document)
    flags = [(row._tr.trPr is not None and row._tr.trPr.find(qn("w:tblHeader")) is not None)
             for row in table.rows]
    assert flags[:2] == [True, True] and not any(flags[2:])
    assert all(row._tr.trPr.find(qn("w:cantSplit")) is not None for row in table.rows)
    assert len(table.rows) > 40
    group = [row for row in table.rows if len({id(c._tc) for c in row.cells}) == 1]
    assert [g.cells[0].text for g in group] == ["I Bộ, cơ quan ngang Bộ, cơ quan thuộc Chính phủ",
                                               "II Địa phương"]


def test_body_is_14pt_times_new_roman_justified_with_indent(document):
    body = document.styles["Body Text"]
    assert body.font.size == Pt(14)
    normal_fonts = document.styles["Normal"].element.rPr.find(qn("w:rFonts"))
    assert normal_fonts.get(qn("w:ascii")) == "Times New Roman"
    assert normal_fonts.get(qn("w:asciiTheme")) is None
    assert _close(body.paragraph_format.first_line_indent, 10)
    assert body.paragraph_format.space_after >= Pt(6)
    assert document.styles["Heading 1"].font.bold and not document.styles["Heading 3"].font.bold
    for level in (1, 2, 3):  # more space above a heading than between paragraphs; kept with its text
        heading = document.styles[f"Heading {level}"].paragraph_format
        assert heading.space_before >= 2 * body.paragraph_format.space_after and heading.keep_with_next


def test_header_table_is_borderless_with_number_and_date_on_one_row(document):
    header = document.tables[0]
    borders = header._tbl.tblPr.find(qn("w:tblBorders"))
    assert {edge.get(qn("w:val")) for edge in borders} == {"nil"}
    number, date = (cell.text for cell in header.rows[1].cells)
    assert number == "Số: 1385/BC-BNV"
    assert date == "Hà Nội, ngày 27 tháng 02 năm 2025"
    top = header.rows[0].cells[1].text
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in top and "Độc lập - Tự do - Hạnh phúc" in top


def test_title_block_once_and_no_pandoc_title(document):
    texts = [p.text for p in document.paragraphs[:4] if p.text]  # after the hairline opening paragraph
    assert texts[0] == "BÁO CÁO"
    assert texts[1].startswith("Kết quả thực hiện công tác dân vận")
    assert not [p for p in document.paragraphs if p.style.name in ("Title", "Author", "Date")]


def test_signature_table_replaces_marker(document):
    signature = next(t for t in document.tables if t.rows[0].cells[0].paragraphs[0].text == "Nơi nhận:")
    left, right = signature.rows[0].cells
    assert left.paragraphs[-1].text == "- Lưu: VT, CTTN."
    assert [p.text for p in right.paragraphs] == ["KT. BỘ TRƯỞNG", "THỨ TRƯỞNG", "Trương Hải Long"]
    assert not [p for p in document.paragraphs if p.style.name == "Signature Marker"]


def test_page_number_only_from_page_two(document):
    section = document.sections[0]
    assert section.different_first_page_header_footer
    assert section.header._element.find(".//" + qn("w:fldSimple")).get(qn("w:instr")) == "PAGE"
    assert section.first_page_header._element.find(".//" + qn("w:fldSimple")) is None


def test_footnote_and_metadata(document):
    xml = next(p for p in document.part.package.parts if p.partname.endswith("footnotes.xml")).blob
    assert "Ủy ban Dân tộc".encode() in xml
    props = document.core_properties
    assert props.title.startswith("Kết quả thực hiện công tác dân vận")
    assert props.author == "Bộ Nội vụ"
    assert props.created == props.modified == dt.datetime(2025, 2, 27, tzinfo=dt.timezone.utc)


def test_appendix_without_label_is_still_its_own_landscape_section(tmp_path):
    """The real reports set `appendix.label: ""`: the appendix opens with its title, and the section break
    must not depend on the label."""
    text = SAMPLE.read_text(encoding="utf-8")
    assert 'label="Phụ lục"' in text
    source = tmp_path / "no-label.md"
    source.write_text(text.replace('label="Phụ lục"', 'label=""'), encoding="utf-8")
    document = docx.Document(str(render(source, tmp_path, formats=("docx",))["docx"]))
    assert [s.orientation for s in document.sections] == [WD_ORIENT.PORTRAIT, WD_ORIENT.LANDSCAPE]
    assert not [p for p in document.paragraphs if p.style.name == "Appendix Label"]
    titles = [p.text for p in document.paragraphs if p.style.name == "Appendix Title"]
    assert titles == ["BẢNG TỔNG HỢP"]
    body = list(document.element.body)
    breaker = next(i for i, e in enumerate(body) if e.find(f"{qn('w:pPr')}/{qn('w:sectPr')}") is not None)
    title = next(p for p in document.paragraphs if p.style.name == "Appendix Title")
    assert body.index(title._p) == breaker + 1
