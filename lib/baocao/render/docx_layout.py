"""python-docx post-processing of pandoc's DOCX into the ND30 page layout.

pandoc writes the body in the reference document's styles; what it cannot express is done here:
page geometry, the header and signature tables, the landscape appendix section, running headers
(page numbers from page 2, DỰ THẢO, DỮ LIỆU MINH HỌA), ruled non-splitting tables and fixed metadata.
"""

from __future__ import annotations

import copy
import datetime as dt
from pathlib import Path

import docx
from docx.document import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.section import Section
from docx.shared import Mm, Pt
from docx.table import Table

from . import nd30
from .docx_blocks import header_table, signature_table, title_paragraphs
from .errors import RenderError
from .ooxml import child, page_field, row_flag, run_border, set_fonts, table_borders
from .reproducible import normalize_zip
from .source import ReportMeta

SIGNATURE_STYLE = "Signature Marker"
APPENDIX_STYLE = "Appendix Label"


def _paragraphs_in_style(document: Document, style: str) -> list:
    """Compared on the style id, looked up once: python-docx's `paragraph.style` searches the style part
    on every call, which dominated the layout time of a report with long tables."""
    style_id = document.styles[style].style_id
    return [p for p in document.paragraphs if p._p.style == style_id]


def _text_width_mm(landscape: bool) -> float:
    width, margins = (nd30.PAGE_HEIGHT_MM, nd30.LANDSCAPE_MARGINS_MM) if landscape else (
        nd30.PAGE_WIDTH_MM, nd30.PORTRAIT_MARGINS_MM)
    return width - margins["left"] - margins["right"]


def _fit_grid(table: Table, width_mm: float) -> None:
    """Scale pandoc's fixed column grid to the full text width, keeping the proportions."""
    columns = table._tbl.tblGrid.findall(qn("w:gridCol"))
    total = sum(int(col.get(qn("w:w"))) for col in columns)
    for col in columns:
        col.set(qn("w:w"), str(round(int(col.get(qn("w:w"))) / total * Mm(width_mm).twips)))
    width = child(table._tbl.tblPr, "w:tblW")
    width.set(qn("w:type"), "dxa")
    width.set(qn("w:w"), str(Mm(width_mm).twips))


def format_content_tables(document: Document) -> None:
    """Ruled full-width tables in 12 pt whose rows never split and whose header rows repeat.

    Tables after the appendix label fill the landscape text width, the others the portrait one.
    """
    labels = _paragraphs_in_style(document, APPENDIX_STYLE)
    body = list(document.element.body)
    appendix_at = body.index(labels[0]._p) if labels else len(body)
    table_text = document.styles["Table Text"].style_id
    for table in document.tables:
        table_borders(table, "single")
        _fit_grid(table, _text_width_mm(landscape=body.index(table._tbl) > appendix_at))
        for row in table.rows:
            row_flag(row, "w:cantSplit")
            is_header = row._tr.trPr is not None and row._tr.trPr.find(qn("w:tblHeader")) is not None
            for cell in row.cells:
                if is_header:
                    cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
                for paragraph in cell.paragraphs:
                    paragraph._p.style = table_text


def dash_bullets(document: Document) -> None:
    """Vietnamese administrative documents mark list items with "-", not "•"."""
    numbering = document.part.numbering_part.element
    for level in numbering.iter(qn("w:lvl")):
        fmt = level.find(qn("w:numFmt"))
        if fmt is not None and fmt.get(qn("w:val")) == "bullet":
            child(level, "w:lvlText").set(qn("w:val"), "-")
            set_fonts(child(level, "w:rPr"), nd30.FONT_FAMILY_DOCX)


def insert_front_matter(document: Document, meta: ReportMeta) -> None:
    """Put the header table and the title block before the first body element."""
    first = document.element.body[0]
    first.addprevious(header_table(document, meta)._tbl)
    for paragraph in title_paragraphs(document, meta):
        first.addprevious(paragraph._p)


def place_signature(document: Document, meta: ReportMeta) -> None:
    """Replace the single signature marker paragraph with the Nơi nhận + signature table."""
    markers = _paragraphs_in_style(document, SIGNATURE_STYLE)
    if len(markers) != 1:
        raise RenderError(f"Nguồn phải có đúng một dấu '::: {{.signature}}', tìm thấy {len(markers)}.")
    marker = markers[0]._p
    marker.addprevious(signature_table(document, meta)._tbl)
    marker.getparent().remove(marker)


def _mark_paragraph(container, text: str, align: WD_ALIGN_PARAGRAPH) -> None:
    paragraph = container.add_paragraph(style="Page Number")
    paragraph.alignment = align
    run = paragraph.add_run(text)
    run.font.bold = True
    run.font.size = Pt(nd30.SIZE["mark"])
    run_border(run)


def _page_geometry(section: Section, landscape: bool) -> None:
    long_side, short_side = Mm(nd30.PAGE_HEIGHT_MM), Mm(nd30.PAGE_WIDTH_MM)
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = (long_side, short_side) if landscape else (short_side, long_side)
    margins = nd30.LANDSCAPE_MARGINS_MM if landscape else nd30.PORTRAIT_MARGINS_MM
    section.top_margin = Mm(margins["top"])
    section.bottom_margin = Mm(margins["bottom"])
    section.left_margin = Mm(margins["left"])
    section.right_margin = Mm(margins["right"])
    section.header_distance = Mm(nd30.HEADER_DISTANCE_MM)
    section.footer_distance = Mm(nd30.HEADER_DISTANCE_MM / 2)


def setup_first_section(section: Section, meta: ReportMeta) -> None:
    """Portrait A4; page number centred at the top from page 2; marks on every page."""
    _page_geometry(section, landscape=False)
    section.different_first_page_header_footer = True
    first_header, header = section.first_page_header, section.header
    first_header.is_linked_to_previous = False
    header.is_linked_to_previous = False
    page_number = header.paragraphs[0]
    page_number.style = "Page Number"
    page_field(page_number, nd30.SIZE["page_number"])
    first_header.paragraphs[0].style = "Page Number"
    if meta.draft:
        for part in (first_header, header):
            _mark_paragraph(part, nd30.DRAFT_MARK, WD_ALIGN_PARAGRAPH.RIGHT)
    if meta.illustrative:
        for part in (section.first_page_footer, section.footer):
            part.is_linked_to_previous = False
            part.paragraphs[0].style = "Page Number"
            _mark_paragraph(part, nd30.ILLUSTRATIVE_MARK, WD_ALIGN_PARAGRAPH.CENTER)


def split_appendix_section(document: Document) -> None:
    """End the portrait section just before the appendix; the appendix section is landscape."""
    labels = _paragraphs_in_style(document, APPENDIX_STYLE)
    if not labels:
        return
    body_sect = document.element.body.sectPr
    breaker = OxmlElement("w:p")
    p_pr = breaker.get_or_add_pPr()
    spacing = child(p_pr, "w:spacing")
    for attr, value in (("w:before", "0"), ("w:after", "0"), ("w:line", "20"), ("w:lineRule", "exact")):
        spacing.set(qn(attr), value)
    child(child(p_pr, "w:rPr"), "w:sz").set(qn("w:val"), "2")
    p_pr.append(copy.deepcopy(body_sect))
    labels[0]._p.addprevious(breaker)
    appendix = document.sections[-1]
    _page_geometry(appendix, landscape=True)
    appendix.different_first_page_header_footer = False
    # Inherit the portrait section's headers. The references are removed by hand: python-docx's
    # is_linked_to_previous would also drop the header parts the first section still uses.
    for tag in ("w:headerReference", "w:footerReference"):
        for reference in body_sect.findall(qn(tag)):
            body_sect.remove(reference)


def set_properties(document: Document, meta: ReportMeta) -> None:
    """Title, author, language and timestamps from the source, never from the clock."""
    props = document.core_properties
    stamp = dt.datetime(meta.date.year, meta.date.month, meta.date.day)
    props.title = meta.title
    props.author = meta.author
    props.last_modified_by = meta.author
    props.language = "vi-VN"
    props.created = props.modified = stamp
    props.last_printed = stamp
    props.revision = 1


def apply_layout(path: Path, meta: ReportMeta) -> None:
    """Post-process pandoc's DOCX at ``path`` in place."""
    document = docx.Document(str(path))
    format_content_tables(document)
    dash_bullets(document)
    insert_front_matter(document, meta)
    place_signature(document, meta)
    setup_first_section(document.sections[0], meta)
    split_appendix_section(document)
    set_properties(document, meta)
    document.save(str(path))
    normalize_zip(path, meta.date)
