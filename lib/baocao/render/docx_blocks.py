"""The parts of an ND30 page that pandoc cannot express, built with python-docx from the metadata.

Header (cơ quan / quốc hiệu / số / địa danh, ngày), title block, and the Nơi nhận + signature
table. Each builder returns elements that the caller places in the document body.
"""

from __future__ import annotations

from docx.document import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.oxml.ns import qn
from docx.shared import Pt
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph

from . import nd30
from .ooxml import box_paragraph, child, fixed_columns, no_cell_padding, row_flag, rule_below, table_borders
from .source import ReportMeta
from .textwidth import text_width_mm

TEXT_WIDTH_MM = nd30.text_block_mm()
RULE_LINE_PT = 2  # height of the empty paragraph that carries a short rule
RULE_GAP_PT = 2  # gap between the text and the rule under it


def _write(paragraph: Paragraph, text: str, style: str, size: float, *, bold: bool | None = None,
           italic: bool | None = None) -> Paragraph:
    paragraph.style = style
    run = paragraph.add_run(text)
    run.font.size = Pt(size)
    run.font.bold = bold
    run.font.italic = italic
    return paragraph


def _next_paragraph(cell: _Cell, first: list[bool]) -> Paragraph:
    """The cell's initial empty paragraph the first time, a new one afterwards."""
    if first[0]:
        first[0] = False
        return cell.paragraphs[0]
    return cell.add_paragraph()


def _rule_paragraph(paragraph: Paragraph, line_mm: float, column_mm: float) -> None:
    """An almost empty paragraph whose bottom border is the short solid line under a heading."""
    paragraph.style = "Header Text"
    size = child(child(paragraph._p.get_or_add_pPr(), "w:rPr"), "w:sz")
    size.set(qn("w:val"), str(RULE_LINE_PT * 2))
    paragraph.paragraph_format.line_spacing = Pt(RULE_LINE_PT)
    paragraph.paragraph_format.space_before = Pt(RULE_GAP_PT)
    rule_below(paragraph, line_mm, column_mm)


def _layout_table(document: Document, rows: int, widths_mm: tuple[float, ...]) -> Table:
    table = document.add_table(rows=rows, cols=len(widths_mm))
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table_borders(table, "nil")
    no_cell_padding(table)
    fixed_columns(table, widths_mm)
    for row in table.rows:
        row_flag(row, "w:cantSplit")
    return table


def header_table(document: Document, meta: ReportMeta) -> Table:
    """Row 1: agency | quốc hiệu + tiêu ngữ; row 2: "Số: ..." | place and date (same line)."""
    left_mm, right_mm = nd30.HEADER_COLUMNS_MM
    size = nd30.SIZE
    table = _layout_table(document, 2, nd30.HEADER_COLUMNS_MM)
    left, right = table.rows[0].cells
    first = [True]
    if meta.agency_parent:
        _write(_next_paragraph(left, first), meta.agency_parent, "Header Text", size["agency"])
    for line in meta.agency_lines:
        _write(_next_paragraph(left, first), line, "Header Text", size["agency"], bold=True)
    agency_mm = min(max(text_width_mm(line, size["agency"], bold=True) for line in meta.agency_lines), left_mm)
    _rule_paragraph(_next_paragraph(left, first), agency_mm / 2, left_mm)

    first = [True]
    _write(_next_paragraph(right, first), nd30.NATIONAL_NAME, "Header Text", size["national"], bold=True)
    _write(_next_paragraph(right, first), nd30.MOTTO, "Header Text", size["motto"], bold=True)
    motto_mm = text_width_mm(nd30.MOTTO, size["motto"], bold=True)
    _rule_paragraph(_next_paragraph(right, first), motto_mm, right_mm)

    number_cell, date_cell = table.rows[1].cells
    number = _write(number_cell.paragraphs[0], nd30.NUMBER_PREFIX + meta.number, "Header Text",
                    size["number"])
    date = _write(date_cell.paragraphs[0], meta.place_date, "Header Text", size["place_date"],
                  italic=True)
    for paragraph in (number, date):
        paragraph.paragraph_format.space_before = Pt(8)
    return table


def title_paragraphs(document: Document, meta: ReportMeta) -> list[Paragraph]:
    """"BÁO CÁO", the subject, its short rule and, for illustrative data, the visible notice."""
    size = nd30.SIZE
    made = [
        _write(document.add_paragraph(), meta.doc_type, "Doc Type", size["doc_type"]),
        _write(document.add_paragraph(), meta.subject, "Subject", size["subject"]),
    ]
    subject_mm = min(text_width_mm(meta.subject, size["subject"], bold=True), TEXT_WIDTH_MM)
    rule = document.add_paragraph()
    _rule_paragraph(rule, subject_mm / 3, TEXT_WIDTH_MM)
    rule.paragraph_format.space_after = Pt(nd30.PARAGRAPH_SPACING_PT * 2)
    made.append(rule)
    if meta.illustrative:
        notice = document.add_paragraph(style="Notice")
        notice.add_run(nd30.ILLUSTRATIVE_NOTICE)
        box_paragraph(notice)
        made.append(notice)
    return made


def signature_table(document: Document, meta: ReportMeta) -> Table:
    """Left: "Nơi nhận:" and the recipients; right: authority, title, room to sign, name."""
    table = _layout_table(document, 1, nd30.SIGNATURE_COLUMNS_MM)
    left, right = table.rows[0].cells
    size = nd30.SIZE
    _write(left.paragraphs[0], nd30.RECIPIENTS_LABEL, "Recipients Label", size["recipients_label"])
    for recipient in meta.recipients:
        _write(left.add_paragraph(), f"- {recipient}", "Recipients", size["recipients"])
    signer = meta.signer
    first = [True]
    for line in signer.heading_lines:
        _write(_next_paragraph(right, first), line, "Signer", size["signer"])
    name = _write(right.add_paragraph(), signer.name, "Signer", size["signer"])
    name.paragraph_format.space_before = Pt(nd30.SIGNATURE_SPACE_PT)
    return table
