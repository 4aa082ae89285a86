"""Small WordprocessingML edits that python-docx has no API for (borders, fields, row flags)."""

from __future__ import annotations

from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.table import Table
from docx.text.paragraph import Paragraph

from . import nd30

FONT_ATTRS = ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia")
THEME_ATTRS = ("w:asciiTheme", "w:hAnsiTheme", "w:cstheme", "w:eastAsiaTheme")
BORDER_SIDES = ("top", "left", "bottom", "right", "insideH", "insideV")


# Schema order of the property children this module adds (ECMA-376 Part 1, §17): Word rejects a
# document whose children are out of order, so new children are inserted before their successors.
ORDER = {
    "w:pPr": ("w:pStyle", "w:keepNext", "w:keepLines", "w:pageBreakBefore", "w:framePr",
              "w:widowControl", "w:numPr", "w:suppressLineNumbers", "w:pBdr", "w:shd", "w:tabs",
              "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap", "w:overflowPunct",
              "w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi", "w:adjustRightInd",
              "w:snapToGrid", "w:spacing", "w:ind", "w:contextualSpacing", "w:mirrorIndents",
              "w:suppressOverlap", "w:jc", "w:textDirection", "w:textAlignment",
              "w:textboxTightWrap", "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr",
              "w:pPrChange"),
    "w:rPr": ("w:rStyle", "w:rFonts", "w:b", "w:bCs", "w:i", "w:iCs", "w:caps", "w:smallCaps",
              "w:strike", "w:dstrike", "w:outline", "w:shadow", "w:emboss", "w:imprint",
              "w:noProof", "w:snapToGrid", "w:vanish", "w:webHidden", "w:color", "w:spacing",
              "w:w", "w:kern", "w:position", "w:sz", "w:szCs", "w:highlight", "w:u", "w:effect",
              "w:bdr", "w:shd", "w:fitText", "w:vertAlign", "w:rtl", "w:cs", "w:em", "w:lang",
              "w:eastAsianLayout", "w:specVanish", "w:oMath"),
    "w:tblPr": ("w:tblStyle", "w:tblpPr", "w:tblOverlap", "w:bidiVisual", "w:tblStyleRowBandSize",
                "w:tblStyleColBandSize", "w:tblW", "w:jc", "w:tblCellSpacing", "w:tblInd",
                "w:tblBorders", "w:shd", "w:tblLayout", "w:tblCellMar", "w:tblLook",
                "w:tblCaption", "w:tblDescription"),
    "w:pBdr": ("w:top", "w:left", "w:bottom", "w:right", "w:between", "w:bar"),
    "w:tblCellMar": ("w:top", "w:left", "w:start", "w:bottom", "w:right", "w:end"),
    "w:sectPr": ("w:headerReference", "w:footerReference", "w:footnotePr", "w:endnotePr", "w:type",
                 "w:pgSz", "w:pgMar", "w:paperSrc", "w:pgBorders", "w:lnNumType", "w:pgNumType",
                 "w:cols", "w:formProt", "w:vAlign", "w:noEndnote", "w:titlePg", "w:textDirection",
                 "w:bidi", "w:rtlGutter", "w:docGrid", "w:printerSettings", "w:sectPrChange"),
}


def _tag_name(element) -> str:
    return "w:" + element.tag.rsplit("}", 1)[-1]


def child(parent, tag: str):
    """Return ``parent``'s ``tag`` child, creating it in schema order if absent."""
    found = parent.find(qn(tag))
    if found is not None:
        return found
    created = OxmlElement(tag)
    order = ORDER.get(_tag_name(parent))
    if order and tag in order:
        successors = {qn(t) for t in order[order.index(tag) + 1:]}
        for existing in parent:
            if existing.tag in successors:
                existing.addprevious(created)
                return created
    parent.append(created)
    return created


def set_fonts(rpr, family: str) -> None:
    """Point every script slot of an ``w:rPr`` at ``family``; theme fonts would override it."""
    fonts = child(rpr, "w:rFonts")
    for attr in THEME_ATTRS:
        fonts.attrib.pop(qn(attr), None)
    for attr in FONT_ATTRS:
        fonts.set(qn(attr), family)


def table_borders(table: Table, value: str) -> None:
    """Set all six table borders to ``value`` ("nil" for none, "single" for ruled)."""
    tbl_pr = table._tbl.tblPr
    old = tbl_pr.find(qn("w:tblBorders"))
    if old is not None:
        tbl_pr.remove(old)
    borders = child(tbl_pr, "w:tblBorders")
    for side in BORDER_SIDES:
        edge = OxmlElement(f"w:{side}")
        edge.set(qn("w:val"), value)
        if value != "nil":
            edge.set(qn("w:sz"), "4")
            edge.set(qn("w:space"), "0")
            edge.set(qn("w:color"), "000000")
        borders.append(edge)


def no_cell_padding(table: Table) -> None:
    """Remove left/right cell padding so a layout table's columns hold their full width of text."""
    margins = child(table._tbl.tblPr, "w:tblCellMar")
    for side in ("left", "right"):
        edge = child(margins, f"w:{side}")
        edge.set(qn("w:w"), "0")
        edge.set(qn("w:type"), "dxa")


def row_flag(row, tag: str) -> None:
    """Switch on a row property such as ``w:cantSplit`` or ``w:tblHeader``."""
    tr_pr = row._tr.get_or_add_trPr()
    flag = tr_pr.find(qn(tag))
    if flag is None:
        flag = OxmlElement(tag)
        tr_pr.append(flag)
    flag.set(qn("w:val"), "true")


def fixed_columns(table: Table, widths_mm: tuple[float, ...]) -> None:
    """Give a layout table fixed column widths so Word and LibreOffice agree on the grid."""
    table.autofit = False  # w:tblLayout type="fixed"
    for column, width in zip(table.columns, widths_mm):
        column.width = Mm(width)
        for cell in column.cells:
            cell.width = Mm(width)


def rule_below(paragraph: Paragraph, line_mm: float, column_mm: float) -> None:
    """Draw a solid line ``line_mm`` long, centred in ``column_mm``, as the paragraph's bottom border.

    The border spans the paragraph's indented width, so equal left/right indents shorten it.
    """
    p_pr = paragraph._p.get_or_add_pPr()
    borders = child(p_pr, "w:pBdr")
    bottom = child(borders, "w:bottom")
    bottom.set(qn("w:val"), "single")
    bottom.set(qn("w:sz"), str(round(nd30.RULE_WEIGHT_PT * 8)))
    bottom.set(qn("w:space"), "1")
    bottom.set(qn("w:color"), "000000")
    side = max((column_mm - line_mm) / 2, 0)
    paragraph.paragraph_format.left_indent = Mm(side)
    paragraph.paragraph_format.right_indent = Mm(side)
    paragraph.paragraph_format.first_line_indent = Mm(0)


BOX_PADDING_PT = 4  # between a boxed paragraph's text and its frame


def box_paragraph(paragraph: Paragraph) -> None:
    """Frame a whole paragraph as one box, however many lines it wraps to (a run border would draw one
    box per line). Word and LibreOffice draw the frame outside the text, so the text is indented by the
    padding and the line: the box then stands within the margins, as wide as the text block."""
    borders = child(paragraph._p.get_or_add_pPr(), "w:pBdr")
    for side in ("top", "left", "bottom", "right"):
        edge = child(borders, f"w:{side}")
        edge.set(qn("w:val"), "single")
        edge.set(qn("w:sz"), str(round(nd30.RULE_WEIGHT_PT * 8)))
        edge.set(qn("w:space"), str(BOX_PADDING_PT))
        edge.set(qn("w:color"), "000000")
    inset = Pt(BOX_PADDING_PT + nd30.RULE_WEIGHT_PT)
    paragraph.paragraph_format.left_indent = inset
    paragraph.paragraph_format.right_indent = inset


def run_border(run) -> None:
    """Frame a run (the DỰ THẢO and DỮ LIỆU MINH HỌA marks) without widening it to the line."""
    border = child(run._r.get_or_add_rPr(), "w:bdr")
    border.set(qn("w:val"), "single")
    border.set(qn("w:sz"), "6")
    border.set(qn("w:space"), "1")
    border.set(qn("w:color"), "000000")


def page_field(paragraph: Paragraph, size_pt: float) -> None:
    """Append a PAGE field (the current page number)."""
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    run = paragraph.add_run("1")
    run.font.size = Pt(size_pt)
    field.append(run._r)
    paragraph._p.append(field)
