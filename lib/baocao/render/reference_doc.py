"""Build templates/reference.docx: pandoc's default reference document restyled per ND30.

Run ``python -m baocao.render.reference_doc`` to regenerate the committed file; a test checks that
the committed bytes equal a fresh build, so the file can never drift from this script.
"""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import docx
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from ..atomic import atomic_path
from . import nd30
from .ooxml import set_fonts
from .reproducible import normalize_zip
from .tools import REFERENCE_DOCX, pandoc_path

REFERENCE_DATE = dt.date(2020, 3, 5)  # Nghị định 30/2020 was signed on 05/3/2020

LEFT, CENTER, JUSTIFY = WD_ALIGN_PARAGRAPH.LEFT, WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.JUSTIFY
BODY = nd30.SIZE["body"]
HEADING_BEFORE = nd30.HEADING_SPACE_BEFORE_PT


@dataclass(frozen=True)
class StyleSpec:
    """One paragraph style: what it looks like and what it is based on."""

    size: float = BODY
    bold: bool | None = None
    italic: bool | None = None
    align: WD_ALIGN_PARAGRAPH = JUSTIFY
    indent_mm: float = nd30.FIRST_LINE_INDENT_MM
    before_pt: float = 0
    after_pt: float = nd30.PARAGRAPH_SPACING_PT
    line: float = nd30.LINE_SPACING
    keep_with_next: bool = False
    base: str = "Normal"


TIGHT = {"indent_mm": 0, "after_pt": 0, "line": 1.0}

STYLES: dict[str, StyleSpec] = {
    "Normal": StyleSpec(base=""),
    "Body Text": StyleSpec(),
    "First Paragraph": StyleSpec(base="Body Text"),
    "Compact": StyleSpec(base="Body Text"),
    "Heading 1": StyleSpec(bold=True, before_pt=HEADING_BEFORE, keep_with_next=True),
    "Heading 2": StyleSpec(bold=True, before_pt=HEADING_BEFORE, keep_with_next=True),
    "Heading 3": StyleSpec(bold=False, italic=False, before_pt=HEADING_BEFORE, keep_with_next=True),
    # A chart and its caption: centred, the caption 12 pt italic like the PDF's, the chart kept with it.
    "Captioned Figure": StyleSpec(align=CENTER, indent_mm=0, after_pt=0, line=1.0, keep_with_next=True),
    "Image Caption": StyleSpec(size=nd30.SIZE["caption"], italic=True, align=CENTER, indent_mm=0),
    "Table Caption": StyleSpec(size=nd30.SIZE["caption"], italic=True, align=CENTER, indent_mm=0,
                               keep_with_next=True),
    "Footnote Text": StyleSpec(size=nd30.SIZE["footnote"], **TIGHT),
    "Table Text": StyleSpec(size=nd30.SIZE["table"], align=LEFT, **TIGHT),
    "Header Text": StyleSpec(size=nd30.SIZE["agency"], align=CENTER, **TIGHT),
    "Doc Type": StyleSpec(size=nd30.SIZE["doc_type"], bold=True, align=CENTER, indent_mm=0,
                          before_pt=18, after_pt=0, keep_with_next=True),
    "Subject": StyleSpec(size=nd30.SIZE["subject"], bold=True, align=CENTER, indent_mm=0,
                         after_pt=0, line=1.0, keep_with_next=True),
    "Notice": StyleSpec(size=nd30.SIZE["table"], bold=True, align=CENTER, indent_mm=0, before_pt=6,
                        after_pt=nd30.PARAGRAPH_SPACING_PT * 2, line=1.0),
    "Recipients Label": StyleSpec(size=nd30.SIZE["recipients_label"], bold=True, italic=True,
                                  align=LEFT, **TIGHT),
    "Recipients": StyleSpec(size=nd30.SIZE["recipients"], align=LEFT, **TIGHT),
    "Signer": StyleSpec(size=nd30.SIZE["signer"], bold=True, align=CENTER, **TIGHT),
    "Item Title": StyleSpec(keep_with_next=True, base="Body Text"),  # "b) Kết quả …" written as a paragraph
    "Signature Marker": StyleSpec(align=LEFT),
    "Appendix Start": StyleSpec(align=LEFT),
    "Appendix Label": StyleSpec(bold=True, align=CENTER, indent_mm=0, after_pt=0, line=1.0),
    "Appendix Title": StyleSpec(bold=True, align=CENTER, indent_mm=0, after_pt=0, line=1.0),
    "Appendix Subtitle": StyleSpec(bold=True, align=CENTER, indent_mm=0, after_pt=0, line=1.0),
    "Appendix Attached": StyleSpec(italic=True, align=CENTER, indent_mm=0, after_pt=12, line=1.0),
    "Page Number": StyleSpec(size=nd30.SIZE["page_number"], align=CENTER, **TIGHT),
}


def _apply(style, spec: StyleSpec) -> None:
    font = style.font
    font.size = Pt(spec.size)
    font.bold = spec.bold
    font.italic = spec.italic
    font.color.rgb = RGBColor(0, 0, 0)
    fmt = style.paragraph_format
    fmt.alignment = spec.align
    fmt.first_line_indent = Mm(spec.indent_mm)
    fmt.left_indent = Mm(0)
    fmt.space_before = Pt(spec.before_pt)
    fmt.space_after = Pt(spec.after_pt)
    fmt.line_spacing = spec.line
    fmt.keep_with_next = spec.keep_with_next


def restyle(document: docx.document.Document) -> None:
    """Times New Roman everywhere (no theme fonts, no colours), Vietnamese, and the ND30 styles."""
    styles_el = document.styles.element
    for rfonts in styles_el.iter(qn("w:rFonts")):
        set_fonts(rfonts.getparent(), nd30.FONT_FAMILY_DOCX)
    for color in list(styles_el.iter(qn("w:color"))):
        color.getparent().remove(color)
    defaults = styles_el.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    defaults.find(qn("w:lang")).set(qn("w:val"), "vi-VN")
    for name, spec in STYLES.items():
        try:
            style = document.styles[name]
        except KeyError:
            style = document.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        if spec.base:
            style.base_style = document.styles[spec.base]
        _apply(style, spec)
    set_fonts(document.styles["Normal"].element.get_or_add_rPr(), nd30.FONT_FAMILY_DOCX)


def build(target: Path) -> None:
    """Write the reference document to ``target`` reproducibly."""
    with tempfile.TemporaryDirectory() as tmp:
        default = Path(tmp) / "default.docx"
        subprocess.run([pandoc_path(), "-o", str(default), "--print-default-data-file",
                        "reference.docx"], check=True)
        document = docx.Document(str(default))
        restyle(document)
        props = document.core_properties
        props.title, props.author, props.language = "baocao reference", "baocao", "vi-VN"
        props.created = props.modified = dt.datetime(*REFERENCE_DATE.timetuple()[:3])
        props.last_modified_by, props.revision = "baocao", 1
        with atomic_path(target) as written:
            document.save(str(written))
            normalize_zip(written, REFERENCE_DATE)


if __name__ == "__main__":
    build(Path(sys.argv[1]) if len(sys.argv) > 1 else REFERENCE_DOCX)
