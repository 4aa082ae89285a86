"""The layout of the reports baocao really writes (2024 national, 2025 national, 2025 Tây Ninh), in both
documents: baocao's PDF and the DOCX as LibreOffice lays it out (Word's layout engine is not available on
Linux; LibreOffice is what most Vietnamese offices without a Word licence use).

What a reader would notice is asserted on the pages themselves: the appendix on landscape pages, footnote
numbers 1..N, page numbers from page 2, the marks, no heading left at the foot of a page, no signature
alone on its page, tables inside the text width; and page 1 and the first appendix page against stored
images. Update those images after an intended layout change with

    BAOCAO_UPDATE_REFERENCE=1 PYTHONPATH=$PWD/lib python -m pytest tests/test_layout_real.py tests/test_render_clients.py

and look at every changed PNG in tests/reference/ before committing it.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import docx
import pdfplumber
import pytest
from docx.oxml.ns import qn
from docx.shared import Mm
from docx.text.paragraph import Paragraph

from baocao.render import nd30
from conftest import assert_matches_reference, libreoffice_pdf, rasterise

MM = 72 / 25.4
BODY_SIZE = nd30.SIZE["body"]


@dataclass(frozen=True)
class Line:
    top: float
    bottom: float
    x0: float
    x1: float
    text: str
    size: float  # the largest character size on the line
    first_size: float  # the size of its first character (a footnote's number is small)


@dataclass(frozen=True)
class Page:
    width: float
    height: float
    lines: tuple[Line, ...]
    footnote_numbers: tuple[int, ...]
    rules: tuple[float, ...]  # x of every vertical rule: table borders, boxes

    @property
    def landscape(self) -> bool:
        return self.width > self.height


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", " ".join(text.split()))


def _footnote_numbers(words: list[dict]) -> list[int]:
    """Footnote entries: a small number that starts its line (a reference in the text follows a word)."""
    numbers = []
    for word in words:
        if not (word["text"].isdigit() and word["size"] < 10):
            continue
        before = [w for w in words if w is not word and w["x1"] <= word["x0"] + 1
                  and w["bottom"] > word["top"] and w["top"] < word["bottom"]]
        if not before:
            numbers.append(int(word["text"]))
    return numbers


@cache
def read_pages(pdf: Path) -> tuple[Page, ...]:
    pages = []
    with pdfplumber.open(pdf) as document:
        for page in document.pages:
            lines = tuple(Line(line["top"], line["bottom"], line["x0"], line["x1"], _nfc(line["text"]),
                               max(char["size"] for char in line["chars"]), line["chars"][0]["size"])
                          for line in page.extract_text_lines(return_chars=True) if line["text"].strip())
            words = page.extract_words(extra_attrs=["size"])
            rules = tuple(edge["x0"] for edge in page.edges if abs(edge["x0"] - edge["x1"]) < 0.5)
            pages.append(Page(float(page.width), float(page.height), lines, tuple(_footnote_numbers(words)), rules))
    return tuple(pages)


@pytest.fixture(scope="session")
def convert(tmp_path_factory):
    """LibreOffice's PDF of a report's DOCX, converted once per session."""
    done: dict[Path, Path] = {}

    def converted(report: Path) -> Path:
        if report not in done:
            done[report] = libreoffice_pdf(report / "bao-cao.docx", tmp_path_factory.mktemp("libreoffice"))
        return done[report]

    return converted


@pytest.fixture
def both(real_report, convert) -> dict[str, Path]:
    """The two documents a reader gets: baocao's PDF ("pdf") and the DOCX as LibreOffice prints it ("docx")."""
    return {"pdf": real_report / "bao-cao.pdf", "docx": convert(real_report)}


@pytest.fixture(params=["rendered_2024", "rendered_2025"])
def national_report(request) -> Path:
    """The reports with an appendix (the Bảng tổng hợp)."""
    return request.getfixturevalue(request.param)


def source(report: Path) -> str:
    return (report / "bao-cao.md").read_text(encoding="utf-8")


def metadata(report: Path) -> dict:
    import yaml

    return yaml.safe_load(source(report).split("---", 2)[1])


def has_appendix(report: Path) -> bool:
    return "::: {.appendix" in source(report)


def _unescape(text: str) -> str:
    return _nfc(re.sub(r"\\(.)", r"\1", text))


# A heading line: "# I. …", "## 1. …", "### a) …", or an item title written as a paragraph ("b\) Kết quả …"
# with no final full stop), which the reader takes for a heading as well.
HEADING = re.compile(r"#{1,6} |[a-zđ]\\\) .*[^.:;!?]$")


def headings(report: Path) -> list[str]:
    return [_unescape(line.lstrip("#")) for line in source(report).splitlines() if HEADING.match(line)]


def body_text(report: Path) -> str:
    """The source's paragraphs (headings and metadata left out), for telling a heading line from a text line."""
    text = source(report).split("---", 2)[2]
    return " ".join(_unescape(line) for line in text.splitlines() if not HEADING.match(line))


def text_lines(page: Page) -> list[Line]:
    """The lines in the body size (14 pt): text and headings, not running heads, footnotes or tables."""
    return [line for line in page.lines if abs(line.size - BODY_SIZE) < 0.6]


# --- the DOCX itself (python-docx) ---------------------------------------------------------------------


def test_docx_appendix_is_its_own_landscape_section(real_report):
    document = docx.Document(str(real_report / "bao-cao.docx"))
    first = document.sections[0]
    assert first.page_width < first.page_height
    if not has_appendix(real_report):
        assert len(document.sections) == 1
        return
    assert len(document.sections) == 2
    appendix = document.sections[1]
    assert appendix.page_width > appendix.page_height
    body = list(document.element.body)
    breaker = next(i for i, element in enumerate(body) if element.find(f"{qn('w:pPr')}/{qn('w:sectPr')}") is not None)
    after = [Paragraph(element, None).text for element in body[breaker + 1:] if element.tag == qn("w:p")]
    assert [text for text in after if text][0] == "BẢNG TỔNG HỢP"  # params: appendix.label "" — the title opens it
    tables = [i for i, element in enumerate(body) if element.tag == qn("w:tbl")]
    assert tables[-1] > breaker  # the Bảng tổng hợp lies in the landscape section


def _section_widths(document) -> list[tuple[int, float]]:
    """(body index where each section ends, its text width in mm)."""
    body = list(document.element.body)
    ends = [i for i, element in enumerate(body) if element.find(f"{qn('w:pPr')}/{qn('w:sectPr')}") is not None]
    ends.append(len(body))
    return [(end, (section.page_width - section.left_margin - section.right_margin) / Mm(1))
            for end, section in zip(ends, document.sections)]


def test_docx_tables_lie_inside_the_text_width_of_their_section(real_report):
    document = docx.Document(str(real_report / "bao-cao.docx"))
    body = list(document.element.body)
    sections = _section_widths(document)
    checked = 0
    for table in document.tables:
        at = body.index(table._tbl)
        text_mm = next(width for end, width in sections if at < end)
        grid_mm = sum(int(col.get(qn("w:w"))) for col in table._tbl.tblGrid.findall(qn("w:gridCol"))) / Mm(1).twips
        assert grid_mm <= text_mm + 0.5, f"{table.rows[0].cells[0].text!r}: {grid_mm:.1f} mm on {text_mm:.1f} mm"
        checked += 1
    assert checked >= 2  # at least the header and the signature tables


def test_sample_data_notice_is_one_box(rendered_2025_tay_ninh):
    """A paragraph border (one box however many lines), not a run border (one box per line)."""
    document = docx.Document(str(rendered_2025_tay_ninh / "bao-cao.docx"))
    notice = next(p for p in document.paragraphs if p.text == nd30.ILLUSTRATIVE_NOTICE)
    borders = notice._p.pPr.find(qn("w:pBdr"))
    assert borders is not None, "the notice has no box of its own"
    assert [edge.tag.split("}")[1] for edge in borders] == ["top", "left", "bottom", "right"]
    assert not notice._p.findall(f".//{qn('w:bdr')}")


def test_tay_ninh_targets_table_gives_its_text_column_the_room(rendered_2025_tay_ninh):
    """Column widths from content: the indicator names wide, the levels, results and verdicts narrow."""
    document = docx.Document(str(rendered_2025_tay_ninh / "bao-cao.docx"))
    targets = next(t for t in document.tables if t.rows[0].cells[0].text == "Chỉ tiêu")
    widths = [int(col.get(qn("w:w"))) / Mm(1).twips for col in targets._tbl.tblGrid.findall(qn("w:gridCol"))]
    assert widths[0] > 80 and all(w < 30 for w in widths[1:]), widths


# --- both documents as printed --------------------------------------------------------------------------


def test_page_count_and_landscape_pages_agree(real_report, both):
    pdf, office = read_pages(both["pdf"]), read_pages(both["docx"])
    assert abs(len(pdf) - len(office)) <= 1, (len(pdf), len(office))
    for pages in (pdf, office):
        orientation = "".join("L" if page.landscape else "P" for page in pages)
        assert re.fullmatch("P+L+" if has_appendix(real_report) else "P+", orientation), orientation
        if has_appendix(real_report):
            first = orientation.index("L")
            assert "BẢNG TỔNG HỢP" in [line.text for line in pages[first].lines]
            assert any(line.text.startswith("Nơi nhận:") for line in pages[first - 1].lines)
    landscape = [sum(page.landscape for page in pages) for pages in (pdf, office)]
    assert abs(landscape[0] - landscape[1]) <= 1, landscape


def test_tay_ninh_ranking_annex_opens_a_landscape_page_after_the_bang_tong_hop(rendered_2025_tay_ninh, convert):
    """A province's report has two appendices: each opens its own landscape page, in both documents."""
    title = "KẾT QUẢ CHẤM ĐIỂM, XẾP LOẠI CÔNG TÁC DÂN VẬN CHÍNH QUYỀN"
    for pdf in (rendered_2025_tay_ninh / "bao-cao.pdf", convert(rendered_2025_tay_ninh)):
        pages = read_pages(pdf)
        tops = {number: [line.text for line in page.lines[:2]] for number, page in enumerate(pages)}  # page number, title
        starts = [number for number, top in tops.items() if {"BẢNG TỔNG HỢP", title} & set(top)]
        firsts = [next(text for text in tops[number] if text in ("BẢNG TỔNG HỢP", title)) for number in starts]
        assert firsts == ["BẢNG TỔNG HỢP", title], (pdf.name, firsts)
        assert all(page.landscape for page in pages[starts[0]:])


def test_tables_and_boxes_stay_inside_the_margins(real_report, both):
    for name, pdf in both.items():
        for number, page in enumerate(read_pages(pdf), start=1):
            margins = nd30.LANDSCAPE_MARGINS_MM if page.landscape else nd30.PORTRAIT_MARGINS_MM
            left, right = margins["left"] * MM, page.width - margins["right"] * MM
            outside = [round(x / MM, 1) for x in page.rules if not left - 0.5 <= x <= right + 0.5]
            assert not outside, f"{name}: trang {number}, đường kẻ ở {outside} mm, ngoài lề"


def test_page_one_header_starts_at_the_top_margin(real_report, both):
    for name, pdf in both.items():
        first = read_pages(pdf)[0].lines[0]
        assert abs(first.top / MM - nd30.PORTRAIT_MARGINS_MM["top"]) < 2, (name, first.text, first.top / MM)


def test_captions_twelve_point_centred(real_report, both):
    captions = re.findall(r"!\[(Biểu đồ \d+\.)", source(real_report))
    centre = (nd30.PORTRAIT_MARGINS_MM["left"] + nd30.text_block_mm() / 2) * MM
    for name, pdf in both.items():
        found = [line for page in read_pages(pdf) for line in page.lines
                 if any(line.text.startswith(caption) for caption in captions)]
        assert len(found) == len(captions), (name, captions)
        for line in found:
            assert abs(line.size - nd30.SIZE["caption"]) < 0.6, (name, line.text, line.size)
            assert abs((line.x0 + line.x1) / 2 - centre) < 3 * MM, (name, line.text)


def test_footnotes_numbered_one_to_n_in_order(real_report, both):
    defined = len(re.findall(r"^\[\^[^\]]+\]:", source(real_report), re.MULTILINE))
    defined += source(real_report).count("^[")
    for name, pdf in both.items():
        numbers = [n for page in read_pages(pdf) for n in page.footnote_numbers]
        assert numbers == list(range(1, defined + 1)), (name, numbers)


def _top_margin_text(page: Page) -> str:
    return " ".join(line.text for line in page.lines if line.bottom < nd30.LANDSCAPE_MARGINS_MM["top"] * MM)


def test_page_numbers_from_page_two(real_report, both):
    for name, pdf in both.items():
        pages = read_pages(pdf)
        numbers = [_top_margin_text(page) for page in pages]
        assert numbers[0] == "" and numbers[1:] == [str(n) for n in range(2, len(pages) + 1)], (name, numbers)


def test_marks_where_expected(real_report, both):
    meta = metadata(real_report)
    for name, pdf in both.items():
        pages = read_pages(pdf)
        for number, page in enumerate(pages, start=1):
            texts = [line.text for line in page.lines]
            assert (nd30.ILLUSTRATIVE_MARK in texts) == meta["illustrative"], (name, number)
            assert any(nd30.DRAFT_MARK in text for text in texts) == meta["draft"], (name, number)
        notice = [line.text for line in pages[0].lines if line.text.startswith("DỮ LIỆU MINH HỌA: số liệu")]
        assert bool(notice) == meta["illustrative"], name


def test_no_heading_ends_a_page(real_report, both):
    titles, text = headings(real_report), body_text(real_report)
    for name, pdf in both.items():
        pages = read_pages(pdf)
        for number, page in enumerate(pages[:-1], start=1):
            lines = [line.text for line in text_lines(page)]
            # The page's last lines belong to a heading when, joined, they are part of a heading and of no
            # paragraph; a short line found in both is decided by the line before it.
            for k in range(1, len(lines) + 1):
                joined = " ".join(lines[-k:])
                if not any(joined in title for title in titles):
                    break
                assert joined in text, f"{name}: trang {number} kết thúc bằng đề mục «{joined}»"


def test_signature_never_alone_on_its_page(real_report, both):
    for name, pdf in both.items():
        pages = read_pages(pdf)
        number, page = next((n, p) for n, p in enumerate(pages, start=1)
                            if any(line.text.startswith("Nơi nhận:") for line in p.lines))
        label = next(line for line in page.lines if line.text.startswith("Nơi nhận:"))
        above = [line for line in text_lines(page) if line.bottom < label.top
                 and line.top > nd30.PORTRAIT_MARGINS_MM["top"] * MM - 2]
        assert above, f"{name}: chữ ký đứng một mình ở trang {number}"


def test_appendix_last_page_never_holds_a_single_row(national_report, convert):
    """The table's last rows go to its last page together (where the rows can be balanced at all)."""
    documents = {"pdf": national_report / "bao-cao.pdf", "docx": convert(national_report)}
    stt_column = (nd30.LANDSCAPE_MARGINS_MM["left"] + 12) * MM
    for name, pdf in documents.items():
        last = read_pages(pdf)[-1]
        rows = [line for line in last.lines if line.x0 < stt_column and line.text.split()[0].isdigit()
                and abs(line.first_size - nd30.SIZE["table"]) < 0.6]
        assert len(rows) >= nd30.TABLE_KEEP_ROWS, (name, [line.text for line in rows])


# --- page images ----------------------------------------------------------------------------------------


def _assert_page_matches(report: Path, documents: dict[str, Path], page: str, tmp_path: Path) -> None:
    for name, pdf in documents.items():
        pages = read_pages(pdf)
        index = 0 if page == "page1" else next(i for i, p in enumerate(pages) if p.landscape)
        assert_matches_reference(rasterise(pdf, index, tmp_path / f"{name}.png"),
                                 f"{report.parent.name}-{report.name}-{name}-{page}.png")


def test_first_page_matches_reference(real_report, both, tmp_path):
    _assert_page_matches(real_report, both, "page1", tmp_path)


def test_first_appendix_page_matches_reference(national_report, convert, tmp_path):
    documents = {"pdf": national_report / "bao-cao.pdf", "docx": convert(national_report)}
    _assert_page_matches(national_report, documents, "appendix", tmp_path)
