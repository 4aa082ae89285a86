"""The DOCX a user opens in Word: ND30 page geometry, header, tables, styles and metadata."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import docx
import pytest
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.text.paragraph import Paragraph

from baocao.render import nd30, render
from baocao.render.docx_layout import format_content_tables
from baocao.render.errors import RenderError
from baocao.render.ooxml import child
from baocao.render.tools import REFERENCE_DOCX

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
    # centred in 13 pt, and page 1's empty header line no taller than page 2's
    assert document.styles["Page Number"].paragraph_format.alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert document.styles["Page Number"].font.size == Pt(nd30.SIZE["page_number"])
    assert [p.style.name for p in section.header.paragraphs] == ["Page Number"]
    assert [p.style.name for p in section.first_page_header.paragraphs] == ["Page Number"]
    assert not section.first_page_header.paragraphs[0].text


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


# --- the sample's layout in detail: what Word shows in its page, table and paragraph settings -------------


def _grid(table) -> list[int]:
    return [int(col.get(qn("w:w"))) for col in table._tbl.tblGrid.findall(qn("w:gridCol"))]


def _keep_rows(table) -> list[int]:
    """The rows whose text is kept with the next row (Word: Keep with next)."""
    return [i for i, row in enumerate(table.rows)
            if any(p.paragraph_format.keep_with_next for cell in row.cells for p in cell.paragraphs)]


def assert_fills_text_width(table, width_mm: float) -> None:
    """Ruled on all sides, the grid as wide as the text block (rounding: 1 twip a column), centred without
    an indent, each cell as wide as the grid columns it spans, its text in the 12 pt table style."""
    grid = _grid(table)
    assert abs(sum(grid) - Mm(width_mm).twips) <= len(grid), (sum(grid) / Mm(1).twips, width_mm)
    tbl_pr = table._tbl.tblPr
    width = tbl_pr.find(qn("w:tblW"))
    assert (width.get(qn("w:type")), int(width.get(qn("w:w")))) == ("dxa", sum(grid))
    assert tbl_pr.find(qn("w:jc")).get(qn("w:val")) == "center"
    assert tbl_pr.find(qn("w:tblInd")) is None
    borders = tbl_pr.find(qn("w:tblBorders"))
    assert [(edge.tag.split("}")[1], edge.get(qn("w:val"))) for edge in borders] == [
        (side, "single") for side in ("top", "left", "bottom", "right", "insideH", "insideV")]
    for row in table._tbl.tr_lst:
        start = 0
        for cell in row.tc_lst:
            assert cell.width.twips == sum(grid[start:start + cell.grid_span]), (start, cell.grid_span)
            start += cell.grid_span
        assert start == len(grid)
    assert {p.style.name for row in table.rows for cell in row.cells for p in cell.paragraphs} == {"Table Text"}


def test_appendix_table_fills_the_landscape_text_width(document):
    """252 mm on the landscape page (a portrait 155 mm would leave a third of the page empty), the columns in
    the proportions the filter gave them: the unit names widest."""
    table = _appendix_table(document)
    assert_fills_text_width(table, nd30.text_block_mm(landscape=True))
    grid = _grid(table)
    assert grid.index(max(grid)) == 1 and min(grid) == grid[0]


def test_appendix_table_header_centred_vertically_and_last_rows_together(document):
    table = _appendix_table(document)
    header = [row for row in table.rows if row._tr.trPr.find(qn("w:tblHeader")) is not None]
    assert len(header) == 2
    assert {c.vertical_alignment for row in header for c in row.cells} == {WD_CELL_VERTICAL_ALIGNMENT.CENTER}
    assert {c.vertical_alignment for row in table.rows[2:] for c in row.cells} == {None}
    assert _keep_rows(table) == [len(table.rows) - nd30.TABLE_KEEP_ROWS]


def test_appendix_pages_margins_and_numbers(document):
    """The landscape pages have the sample file's margins (20/15/30/15), the page number 12 mm from the top
    edge as in the body, and their first page numbered (no first-page header of their own)."""
    body, appendix = document.sections
    assert [_close(m, v) for m, v in ((appendix.top_margin, 20), (appendix.bottom_margin, 15),
                                      (appendix.left_margin, 30), (appendix.right_margin, 15))] == [True] * 4
    for section in (body, appendix):
        assert _close(section.header_distance, nd30.HEADER_DISTANCE_MM)
        assert _close(section.footer_distance, nd30.HEADER_DISTANCE_MM / 2)
    assert not appendix.different_first_page_header_footer
    assert appendix.header.is_linked_to_previous  # Word: "Same as Previous"
    assert appendix.header._element.find(".//" + qn("w:fldSimple")).get(qn("w:instr")) == "PAGE"


def test_list_bullets_are_dashes_and_numbers_stay(document):
    numbering = document.part.numbering_part.element
    levels = {}
    for level in numbering.iter(qn("w:lvl")):
        fmt = level.find(qn("w:numFmt")).get(qn("w:val"))
        text = level.find(qn("w:lvlText")).get(qn("w:val"))
        levels.setdefault(fmt, set()).add(text)
        if fmt == "bullet":
            fonts = level.find(f"{qn('w:rPr')}/{qn('w:rFonts')}")
            assert fonts.get(qn("w:ascii")) == fonts.get(qn("w:hAnsi")) == nd30.FONT_FAMILY_DOCX
    assert levels["bullet"] == {"-"}
    assert {f"%{n}." for n in range(1, 10)} <= levels["decimal"]  # the "1." list of the sample


def _hairline(paragraph) -> tuple:
    spacing = paragraph.find(f"{qn('w:pPr')}/{qn('w:spacing')}")
    size = paragraph.find(f"{qn('w:pPr')}/{qn('w:rPr')}/{qn('w:sz')}")
    return (tuple(spacing.get(qn(a)) for a in ("w:before", "w:after", "w:line", "w:lineRule")),
            size.get(qn("w:val")), Paragraph(paragraph, None).text)


def test_opening_and_section_break_paragraphs_are_one_point_high(document):
    """An empty 1 pt line: page 1's header starts at the top margin, and the section break adds no line at
    the foot of the last portrait page."""
    body = list(document.element.body)
    breaker = next(e for e in body if e.find(f"{qn('w:pPr')}/{qn('w:sectPr')}") is not None)
    for paragraph in (body[0], breaker):
        assert _hairline(paragraph) == (("0", "0", "20", "exact"), "2", "")


def test_text_before_signature_kept_with_it(document):
    signature = next(t for t in document.tables if t.rows[0].cells[0].paragraphs[0].text == "Nơi nhận:")
    before = Paragraph(signature._tbl.getprevious(), None)
    assert before.text.startswith("Bộ Nội vụ báo cáo, kiến nghị")
    assert before.paragraph_format.keep_with_next


def test_footnotes_numbered_through_every_section(document):
    sections = list(document.element.body.iter(qn("w:sectPr")))
    assert len(sections) == 2
    for sect_pr in sections:
        restarts = sect_pr.findall(f"{qn('w:footnotePr')}/{qn('w:numRestart')}")
        assert [r.get(qn("w:val")) for r in restarts] == ["continuous"]


def test_document_properties_name_the_agency_in_vietnamese(document):
    props = document.core_properties
    assert (props.last_modified_by, props.language, props.revision) == ("Bộ Nội vụ", "vi-VN", 1)
    assert props.last_printed == props.created


# --- a short draft with sample data: no appendix, tables in the body, a table before the signature --------

BODY_TABLE = "| Chỉ tiêu | Kết quả |\n|:--|--:|\n" + "".join(f"| Chỉ tiêu {n} | {n} |\n" for n in range(1, 5))
# A table that ends the text in a div of its own: pandoc closes the div's bookmark between it and the signature.
LAST_TABLE = "::: {#bang-cuoi}\n| Đơn vị | Số |\n|--|--:|\n" + "".join(f"| Đơn vị {n} | {n} |\n" for n in range(1, 6)) + ":::"
SIGNATURE = "::: {.signature}\n:::"


def short_source(text: str) -> str:
    body = text.split("::: {.appendix", 1)[0]
    body = body.replace("draft: false", "draft: true").replace("illustrative: false", "illustrative: true")
    body = body.replace("# II. ĐÁNH GIÁ CHUNG", BODY_TABLE + "\nĐoạn văn sau bảng.\n\n# II. ĐÁNH GIÁ CHUNG")
    return body.replace(SIGNATURE, LAST_TABLE + "\n\n" + SIGNATURE)


@pytest.fixture(scope="module")
def short(tmp_path_factory):
    folder = tmp_path_factory.mktemp("short")
    source = folder / "short.md"
    source.write_text(short_source(SAMPLE.read_text(encoding="utf-8")), encoding="utf-8")
    return docx.Document(str(render(source, folder, formats=("docx",))["docx"]))


def _body_tables(document):
    return [t for t in document.tables if t.rows[0].cells[0].text in ("Chỉ tiêu", "Đơn vị")]


def test_report_without_appendix_is_one_portrait_section_with_portrait_tables(short):
    assert [s.orientation for s in short.sections] == [WD_ORIENT.PORTRAIT]
    tables = _body_tables(short)
    assert len(tables) == 2
    for table in tables:
        assert_fills_text_width(table, nd30.text_block_mm())


def test_text_after_a_table_stands_off_it(short):
    after = next(p for p in short.paragraphs if p.text == "Đoạn văn sau bảng.")
    assert after.paragraph_format.space_before == Pt(nd30.PARAGRAPH_SPACING_PT)
    assert after._p.getprevious().tag == qn("w:tbl")


def test_last_rows_and_the_table_before_the_signature_kept_together(short):
    """Five rows are too few to hold back (a table of 3 × TABLE_KEEP_ROWS rows or more keeps its last two
    together); the table that ends the text keeps its last row with the signature, past pandoc's bookmark."""
    five, six = _body_tables(short)
    assert (len(five.rows), len(six.rows)) == (5, 6)
    assert _keep_rows(five) == []
    assert _keep_rows(six) == [4, 5]
    assert six._tbl.getnext().tag == qn("w:bookmarkEnd")


def _marks(part) -> list[tuple]:
    return [(p.text, p.alignment, p.style.name, [(r.bold, r.font.size, r._r.find(f"{qn('w:rPr')}/{qn('w:bdr')}") is not None)
                                                 for r in p.runs]) for p in part.paragraphs if p.text]


def test_draft_and_sample_data_marks_on_every_page(short):
    """DỰ THẢO at the top right and DỮ LIỆU MINH HỌA at the foot, boxed 13 pt bold, on page 1 as on the others;
    the page number still only from page 2."""
    section = short.sections[0]
    bold_boxed = [(True, Pt(nd30.SIZE["mark"]), True)]
    for header in (section.first_page_header, section.header):
        assert _marks(header)[-1] == (nd30.DRAFT_MARK, WD_ALIGN_PARAGRAPH.RIGHT, "Page Number", bold_boxed)
    for footer in (section.first_page_footer, section.footer):
        assert not footer.is_linked_to_previous
        assert footer.paragraphs[0].style.name == "Page Number"
        assert _marks(footer) == [(nd30.ILLUSTRATIVE_MARK, WD_ALIGN_PARAGRAPH.CENTER, "Page Number", bold_boxed)]
    fields = [[f.get(qn("w:instr")) for f in p._p.findall(qn("w:fldSimple"))] for p in section.header.paragraphs]
    assert fields == [["PAGE"], []]  # the page number, then the mark
    assert [p.text for p in section.first_page_header.paragraphs] == ["", nd30.DRAFT_MARK]


# --- sources the layout refuses -------------------------------------------------------------------------


def test_a_second_appendix_shares_the_landscape_section_from_a_new_page(tmp_path):
    """A province's ranking annex follows its Bảng tổng hợp: one landscape section, the annex on a new page."""
    text = SAMPLE.read_text(encoding="utf-8")
    source = tmp_path / "two.md"
    source.write_text(text + "\n::: {.appendix" + text.split("::: {.appendix", 1)[1], encoding="utf-8")
    document = docx.Document(str(render(source, tmp_path / "out", formats=("docx",))["docx"]))
    assert [s.orientation for s in document.sections] == [WD_ORIENT.PORTRAIT, WD_ORIENT.LANDSCAPE]
    breaks = [p for p in document.paragraphs if p._p.pPr is not None and p._p.pPr.find(qn("w:pageBreakBefore")) is not None]
    assert len(breaks) == 1 and breaks[0].text.strip(), "the second appendix's first line opens a page"
    assert not any("Appendix Start" in p.style.name for p in document.paragraphs)  # the markers are consumed


def test_signature_marker_in_a_code_block_refused(tmp_path):
    """The marker line counted in the text but printed as code: pandoc makes no signature of it."""
    source = tmp_path / "code.md"
    source.write_text(SAMPLE.read_text(encoding="utf-8").replace(SIGNATURE, f"~~~\n{SIGNATURE}\n~~~"),
                      encoding="utf-8")
    with pytest.raises(RenderError) as error:
        render(source, tmp_path / "out", formats=("docx",))
    assert str(error.value) == "Nguồn phải có đúng một dấu '::: {.signature}', tìm thấy 0."


def test_indented_table_is_centred_without_its_indent():
    """A table given an indent (w:tblInd: pandoc 3.9 writes none, but the pandoc of `pypandoc-binary` may
    change) would stick out of the right margin by the indent once sized to the text width: it is dropped."""
    document = docx.Document(str(REFERENCE_DOCX))
    table = document.add_table(rows=2, cols=3)
    indent = child(table._tbl.tblPr, "w:tblInd")
    indent.set(qn("w:w"), "720")
    indent.set(qn("w:type"), "dxa")
    format_content_tables(document)
    assert_fills_text_width(table, nd30.text_block_mm())


def test_sample_data_appendix_pages_carry_the_mark(tmp_path):
    """The landscape section takes the portrait one's footers too (Word: "Same as Previous"), so the
    DỮ LIỆU MINH HỌA mark is on the appendix pages as well."""
    source = tmp_path / "illustrative.md"
    source.write_text(SAMPLE.read_text(encoding="utf-8").replace("illustrative: false", "illustrative: true"),
                      encoding="utf-8")
    body, appendix = docx.Document(str(render(source, tmp_path, formats=("docx",))["docx"])).sections
    assert appendix.header.is_linked_to_previous and appendix.footer.is_linked_to_previous
    assert [p.text for p in appendix.footer.paragraphs if p.text] == [nd30.ILLUSTRATIVE_MARK]
