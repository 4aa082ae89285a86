"""python-docx post-processing of pandoc's DOCX into the ND30 page layout.

pandoc writes the body in the reference document's styles; what it cannot express is done here:
page geometry, the header and signature tables, the landscape appendix section (from the filter's
"Appendix Start" marker, whatever the appendix's first line), running headers (page numbers from
page 2, DỰ THẢO, DỮ LIỆU MINH HỌA), footnotes numbered through the whole document, ruled
non-splitting tables inside the text width, what must stay on a page together, and fixed metadata.
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
from docx.shared import Mm, Pt, Twips
from docx.table import Table
from docx.text.paragraph import Paragraph

from . import nd30
from .docx_blocks import header_table, signature_table, title_paragraphs
from .errors import RenderError
from .ooxml import child, page_field, row_flag, run_border, set_fonts, table_borders
from .reproducible import normalize_zip
from .source import ReportMeta

SIGNATURE_STYLE = "Signature Marker"
APPENDIX_STYLE = "Appendix Start"


def _paragraphs_in_style(document: Document, style: str) -> list:
    """Compared on the style id, looked up once: python-docx's `paragraph.style` searches the style part
    on every call, which dominated the layout time of a report with long tables."""
    style_id = document.styles[style].style_id
    return [p for p in document.paragraphs if p._p.style == style_id]


def _appendix_starts(document: Document) -> list:
    """The filter's marker paragraphs, one opening each appendix (the Bảng tổng hợp, then any annex after it,
    such as a province's ranking); none for a report without an appendix."""
    return [p._p for p in _paragraphs_in_style(document, APPENDIX_STYLE)]


def _fit_grid(table: Table, width_mm: float) -> None:
    """Scale the filter's column grid (widths from content) to the text width, keeping the proportions,
    and centre the table: its ruled edges then stay inside the margins in Word and LibreOffice alike."""
    columns = table._tbl.tblGrid.findall(qn("w:gridCol"))
    total = sum(int(col.get(qn("w:w"))) for col in columns)
    twips = [round(int(col.get(qn("w:w"))) / total * Mm(width_mm).twips) for col in columns]
    for col, width in zip(columns, twips):
        col.set(qn("w:w"), str(width))
    for row in table._tbl.tr_lst:
        index = 0
        for cell in row.tc_lst:
            span = cell.grid_span
            cell.width = Twips(sum(twips[index:index + span]))
            index += span
    width = child(table._tbl.tblPr, "w:tblW")
    width.set(qn("w:type"), "dxa")
    width.set(qn("w:w"), str(sum(twips)))
    child(table._tbl.tblPr, "w:jc").set(qn("w:val"), "center")
    indent = table._tbl.tblPr.find(qn("w:tblInd"))
    if indent is not None:
        table._tbl.tblPr.remove(indent)


def _keep_last_rows_together(table: Table) -> None:
    """A long table's last rows go to a page together: never a last page with one row."""
    rows = table.rows
    if len(rows) < 3 * nd30.TABLE_KEEP_ROWS:
        return
    for row in rows[-nd30.TABLE_KEEP_ROWS:-1]:
        for cell in row.cells:
            for paragraph in cell.paragraphs:
                paragraph.paragraph_format.keep_with_next = True


def format_content_tables(document: Document) -> None:
    """Ruled tables in 12 pt inside the text width, whose rows never split, header rows repeat and last
    rows share a page, with the paragraph spacing after them. Tables after the appendix marker take the
    landscape text width."""
    markers = _appendix_starts(document)
    body = list(document.element.body)
    appendix_at = body.index(markers[0]) if markers else len(body)
    table_text = document.styles["Table Text"].style_id
    for table in document.tables:
        table_borders(table, "single")
        _fit_grid(table, nd30.text_block_mm(landscape=body.index(table._tbl) > appendix_at))
        for row in table.rows:
            row_flag(row, "w:cantSplit")
            is_header = row._tr.trPr is not None and row._tr.trPr.find(qn("w:tblHeader")) is not None
            for cell in row.cells:
                if is_header:
                    cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
                for paragraph in cell.paragraphs:
                    paragraph._p.style = table_text
        _keep_last_rows_together(table)
        following = table._tbl.getnext()
        if following is not None and following.tag == qn("w:p"):  # the text after a table stands off it
            Paragraph(following, None).paragraph_format.space_before = Pt(nd30.PARAGRAPH_SPACING_PT)


def dash_bullets(document: Document) -> None:
    """Vietnamese administrative documents mark list items with "-", not "•"."""
    numbering = document.part.numbering_part.element
    for level in numbering.iter(qn("w:lvl")):
        fmt = level.find(qn("w:numFmt"))
        if fmt is not None and fmt.get(qn("w:val")) == "bullet":
            child(level, "w:lvlText").set(qn("w:val"), "-")
            set_fonts(child(level, "w:rPr"), nd30.FONT_FAMILY_DOCX)


def _hairline_paragraph():
    """An empty paragraph 1 pt high: a section break's carrier, or what the document opens with."""
    paragraph = OxmlElement("w:p")
    p_pr = paragraph.get_or_add_pPr()
    spacing = child(p_pr, "w:spacing")
    for attr, value in (("w:before", "0"), ("w:after", "0"), ("w:line", "20"), ("w:lineRule", "exact")):
        spacing.set(qn(attr), value)
    child(child(p_pr, "w:rPr"), "w:sz").set(qn("w:val"), "2")
    return paragraph


def insert_front_matter(document: Document, meta: ReportMeta) -> None:
    """Put the header table and the title block before the first body element.

    The document opens with a hairline paragraph: LibreOffice puts a full empty line above a table
    that opens a document, which would start page 1's header 8 mm under the top margin.
    """
    first = document.element.body[0]
    first.addprevious(_hairline_paragraph())
    first.addprevious(header_table(document, meta)._tbl)
    for paragraph in title_paragraphs(document, meta):
        first.addprevious(paragraph._p)


def place_signature(document: Document, meta: ReportMeta) -> None:
    """Replace the single signature marker paragraph with the Nơi nhận + signature table."""
    markers = _paragraphs_in_style(document, SIGNATURE_STYLE)
    if len(markers) != 1:
        raise RenderError(f"Nguồn phải có đúng một dấu '::: {{.signature}}', tìm thấy {len(markers)}.")
    marker = markers[0]._p
    _keep_with_signature(marker.getprevious())
    marker.addprevious(signature_table(document, meta)._tbl)
    marker.getparent().remove(marker)


def _keep_with_signature(element) -> None:
    """The text before the signature goes to the signature's page with it (its last lines at least).
    Bookmarks that pandoc puts between blocks are passed over."""
    while element is not None and element.tag not in (qn("w:p"), qn("w:tbl")):
        element = element.getprevious()
    if element is None:
        return
    paragraphs = [element] if element.tag == qn("w:p") else element.tr_lst[-1].iter(qn("w:p"))  # a table
    for paragraph in paragraphs:
        child(paragraph.get_or_add_pPr(), "w:keepNext")


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
    """End the portrait section at the first appendix marker; the appendices share the landscape section,
    each from a new page."""
    markers = _appendix_starts(document)
    if not markers:
        return
    marker, later = markers[0], markers[1:]
    for start in later:  # the next appendix's first paragraph (its heading) opens a page
        following = start.getnext()
        if following is not None and following.tag == qn("w:p"):
            child(following.get_or_add_pPr(), "w:pageBreakBefore")
        start.getparent().remove(start)
    body_sect = document.element.body.sectPr
    breaker = _hairline_paragraph()
    breaker.pPr.append(copy.deepcopy(body_sect))
    marker.addprevious(breaker)
    marker.getparent().remove(marker)
    appendix = document.sections[-1]
    _page_geometry(appendix, landscape=True)
    appendix.different_first_page_header_footer = False
    # Inherit the portrait section's headers. The references are removed by hand: python-docx's
    # is_linked_to_previous would also drop the header parts the first section still uses.
    for tag in ("w:headerReference", "w:footerReference"):
        for reference in body_sect.findall(qn(tag)):
            body_sect.remove(reference)


def number_footnotes_through(document: Document) -> None:
    """Footnotes numbered 1..N through the whole document: pandoc's reference document restarts them in
    each section, which LibreOffice shows as a restart on every page."""
    for sect_pr in document.element.body.iter(qn("w:sectPr")):
        footnote_pr = child(sect_pr, "w:footnotePr")
        for old in footnote_pr.findall(qn("w:numRestart")):
            footnote_pr.remove(old)
        restart = OxmlElement("w:numRestart")
        restart.set(qn("w:val"), "continuous")
        footnote_pr.append(restart)


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
    number_footnotes_through(document)
    set_properties(document, meta)
    document.save(str(path))
    normalize_zip(path, meta.date)
