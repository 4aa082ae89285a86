"""Layout figures of Nghị định 30/2020 (Phụ lục I), declared once for every renderer.

The DOCX post-processor reads them directly; the Typst template receives them as a dictionary
literal (see ``typst_dict``) so the two outputs cannot drift apart.
"""

from __future__ import annotations

FONT_FAMILY_DOCX = "Times New Roman"  # what Word shows; LibreOffice maps it to Liberation Serif
FONT_FAMILY_PDF = "Liberation Serif"  # the vendored, metric-compatible face embedded in the PDF

# Page geometry in millimetres.
PAGE_WIDTH_MM = 210.0
PAGE_HEIGHT_MM = 297.0
PORTRAIT_MARGINS_MM = {"top": 25.0, "bottom": 20.0, "left": 35.0, "right": 20.0}
# The decree sets no landscape margins; the Government's sample file uses 20/15/30/15.
LANDSCAPE_MARGINS_MM = {"top": 20.0, "bottom": 15.0, "left": 30.0, "right": 15.0}
HEADER_DISTANCE_MM = 12.0

# Header table columns (sample file: 67.5 + 100 mm; the right one must be >= 100 mm for the
# 96 mm Quốc hiệu) and signature table columns (sample file: 52.8 + 110.9 mm).
HEADER_COLUMNS_MM = (55.0, 100.0)  # must sum to the 155 mm text width
SIGNATURE_COLUMNS_MM = (60.0, 95.0)

# Font sizes in points (one consistent set: Quốc hiệu 13 / Tiêu ngữ 14 / date 14).
SIZE = {
    "agency": 13,
    "number": 13,
    "national": 13,
    "motto": 14,
    "place_date": 14,
    "doc_type": 14,
    "subject": 14,
    "body": 14,
    "footnote": 12,
    "recipients_label": 12,
    "recipients": 11,
    "signer": 14,
    "page_number": 13,
    "table": 12,
    "caption": 12,
    "mark": 13,
}

FIRST_LINE_INDENT_MM = 10.0
PARAGRAPH_SPACING_PT = 6.0
# Space above a heading, twice the paragraph spacing: a heading sits nearer its own text than the text
# before it. LibreOffice takes the larger of one paragraph's space after and the next one's space before,
# so the whole gap is carried by the heading.
HEADING_SPACE_BEFORE_PT = 12.0
LINE_SPACING = 1.15  # multiple of single line; the decree allows single to 1.5
SIGNATURE_SPACE_PT = 60.0  # room for the handwritten signature and seal
RULE_WEIGHT_PT = 0.75
# A table of at least 3 × this many rows keeps its last rows on one page, so its last page never
# carries a single row.
TABLE_KEEP_ROWS = 2
# Advance of Liberation Serif table text in em, on the safe side (digits are 0.5 em, lower case
# about 0.45): turns a text width into the characters per line that the table column sizing counts in.
AVERAGE_CHAR_EM = 0.5
POINT_MM = 25.4 / 72

NATIONAL_NAME = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"
NUMBER_PREFIX = "Số: "
RECIPIENTS_LABEL = "Nơi nhận:"
DRAFT_MARK = "DỰ THẢO"
ILLUSTRATIVE_MARK = "DỮ LIỆU MINH HỌA"
ILLUSTRATIVE_NOTICE = (
    "DỮ LIỆU MINH HỌA: số liệu trong văn bản này chỉ để minh họa, không phải số liệu chính thức."
)


# Liberation Serif (like Times New Roman): Word's single line is ascent + descent = 1.149 em;
# Typst measures leading from the baseline to the next line's cap height (0.662 em).
_SINGLE_LINE_EM = 1.149
_CAP_HEIGHT_EM = 0.662


def text_block_mm(landscape: bool = False) -> float:
    """Width of the text block: 155 mm on the portrait page, 252 mm on the landscape appendix page."""
    width, margins = (PAGE_HEIGHT_MM, LANDSCAPE_MARGINS_MM) if landscape else (PAGE_WIDTH_MM, PORTRAIT_MARGINS_MM)
    return width - margins["left"] - margins["right"]


def table_chars(landscape: bool = False) -> int:
    """About how many characters of table text fit on one line of the text block."""
    return int(text_block_mm(landscape) / (SIZE["table"] * AVERAGE_CHAR_EM * POINT_MM))


def pandoc_variables() -> list[str]:
    """The figures the Lua filter sizes tables and images with, as pandoc ``--variable`` arguments."""
    values = {
        "table-chars": table_chars(),
        "appendix-table-chars": table_chars(landscape=True),
        "table-keep-rows": TABLE_KEEP_ROWS,
        "text-width-mm": text_block_mm(),
    }
    return [arg for key, value in values.items() for arg in ("--variable", f"{key}={value}")]


def typst_leading_em() -> float:
    """Typst leading that gives the same baseline-to-baseline distance as Word's LINE_SPACING."""
    return round(LINE_SPACING * _SINGLE_LINE_EM - _CAP_HEIGHT_EM, 3)


def typst_dict() -> str:
    """Render the figures as a Typst dictionary literal for the ``bao-cao.typ`` template."""
    def margins(m: dict[str, float]) -> str:
        return "(" + ", ".join(f"{k}: {v}mm" for k, v in m.items()) + ")"

    sizes = ", ".join(f"{k.replace('_', '-')}: {v}pt" for k, v in SIZE.items())
    texts = {
        "national": NATIONAL_NAME,
        "motto": MOTTO,
        "number-prefix": NUMBER_PREFIX,
        "recipients-label": RECIPIENTS_LABEL,
        "draft-mark": DRAFT_MARK,
        "illustrative-mark": ILLUSTRATIVE_MARK,
        "illustrative-notice": ILLUSTRATIVE_NOTICE,
    }
    text_items = ", ".join(f'{k}: "{v}"' for k, v in texts.items())
    return (
        "("
        f"font: \"{FONT_FAMILY_PDF}\", "
        f"margin: {margins(PORTRAIT_MARGINS_MM)}, "
        f"landscape-margin: {margins(LANDSCAPE_MARGINS_MM)}, "
        f"header-columns: ({HEADER_COLUMNS_MM[0]}mm, {HEADER_COLUMNS_MM[1]}mm), "
        f"signature-columns: ({SIGNATURE_COLUMNS_MM[0]}mm, {SIGNATURE_COLUMNS_MM[1]}mm), "
        f"size: ({sizes}), "
        f"indent: {FIRST_LINE_INDENT_MM}mm, "
        f"spacing: {PARAGRAPH_SPACING_PT}pt, "
        f"heading-before: {HEADING_SPACE_BEFORE_PT}pt, "
        f"leading: {typst_leading_em()}em, "
        f"signature-space: {SIGNATURE_SPACE_PT}pt, "
        f"rule: {RULE_WEIGHT_PT}pt, "
        f"text: ({text_items})"
        ")"
    )
