"""Year on year as a reader of the real 2025 reports sees it: change cells of the DOCX tables and sentences of
the PDF text, against hand-written expected text.

The rule the reports must follow: a share or an index changes in percentage points ("điểm phần trăm"), a
count in per cent ("%"), and an index of a merged province without weights is "không so sánh được". The
expected figures were worked out by hand from the shipped CSV files (e.g. Tây Ninh's officials briefed:
2024 = (17.776 + 8.816) / (17.776 + 8.866) = 99,812 %, 2025 = 24.020 / 24.626 = 97,539 %, so −2,27 points;
a percentage change would print "giảm 2,3%").
"""
from __future__ import annotations

import docx
import pypdf
import pytest


BRIEFED = ("Tỷ lệ cán bộ, công chức, viên chức được học tập, quán triệt các chỉ thị, nghị quyết, chính sách về "
           "công tác dân vận")
WITH_PLAN = "Tỷ lệ cơ quan, đơn vị, địa phương xây dựng kế hoạch thực hiện công tác dân vận chính quyền"
RATED_GOOD = "Tỷ lệ cơ quan, đơn vị, địa phương được đánh giá, xếp loại công tác dân vận chính quyền mức Tốt"
PAR_INDEX = "Chỉ số cải cách hành chính (PAR INDEX) của địa phương (minh họa)"
SCORING = "Báo cáo về tiêu chí chấm điểm, xếp loại, đánh giá công tác dân vận"


def docx_rows(path, header: list[str]) -> list[list[str]]:
    """The body rows of every DOCX table whose first row is `header`, cell texts stripped."""
    rows = []
    for table in docx.Document(path).tables:
        cells = [[cell.text.strip() for cell in row.cells] for row in table.rows]
        if cells and cells[0] == header:
            rows += cells[1:]
    return rows


PAGE_FURNITURE = {"DỮ LIỆU MINH HỌA", "DỰ THẢO"}  # marks printed on every page, not part of the text


def flat_pdf_text(path) -> str:
    """The running text of the PDF: each page without its furniture (the marks, the page number at its top),
    every run of white space (line ends, page breaks, cell wraps) as one space, so a sentence that crosses a
    page reads whole."""
    pages = []
    for page in pypdf.PdfReader(path).pages:
        lines = [line.strip() for line in page.extract_text().splitlines()]
        lines = [line for line in lines if line not in PAGE_FURNITURE]
        if lines and lines[0].isdigit():  # the page number heads pages from page 2
            lines = lines[1:]
        pages.append(" ".join(lines))
    return " ".join(" ".join(pages).split())


@pytest.fixture(scope="module")
def tay_ninh_pdf(rendered_2025_tay_ninh) -> str:
    return flat_pdf_text(rendered_2025_tay_ninh / "bao-cao.pdf")


@pytest.fixture(scope="module")
def national_pdf(rendered_2025) -> str:
    return flat_pdf_text(rendered_2025 / "bao-cao.pdf")


def test_tay_ninh_docx_changes_shares_in_points_counts_in_percent_and_no_index_across_the_merger(
        rendered_2025_tay_ninh):
    rows = docx_rows(rendered_2025_tay_ninh / "bao-cao.docx", ["Chỉ số", "Năm 2024", "Năm 2025", "Thay đổi"])
    assert rows == [
        [BRIEFED, "99,81%", "97,54%", "giảm 2,27 điểm phần trăm so với năm 2024"],
        [WITH_PLAN, "100,00%", "100,00%", "không đổi so với năm 2024"],
        [RATED_GOOD, "88,89%", "85,84%", "giảm 3,05 điểm phần trăm so với năm 2024"],
        ["Số lượt tiếp công dân", "12.838 lượt", "11.310 lượt", "giảm 11,9% so với năm 2024"],
        [PAR_INDEX, "không so sánh được", "82,57%", "không so sánh được"],
    ]


def test_tay_ninh_pdf_says_how_last_year_was_made_and_words_each_change_by_kind(tay_ninh_pdf):
    for phrase in (
        "đã tiếp 11.310 lượt công dân, giảm 11,9% so với năm 2024;",
        "dân vận 99,81% 97,54% giảm 2,27 điểm phần trăm so với năm 2024",
        "mức Tốt 88,89% 85,84% giảm 3,05 điểm phần trăm so với năm 2024",
        "12.838 lượt 11.310 lượt giảm 11,9% so với năm 2024",
        "(minh họa) không so sánh được 82,57% không so sánh được",
        "năm 2024: tính lại từ tổng tử số (26.592) và tổng mẫu số (26.642) của Tây Ninh và Long An.",
        "«Số lượt tiếp công dân» năm 2024: cộng số liệu của Tây Ninh và Long An.",
        "năm 2024: chỉ số không cộng và không lấy trung bình được khi không có trọng số.",
        "Tỉnh Tây Ninh (mới) gồm Tây Ninh và Long An trước ngày 01/7/2025.",
    ):
        assert phrase in tay_ninh_pdf, phrase
    # a share never changes "by a per cent" of itself
    assert "giảm 2,3%" not in tay_ninh_pdf and "giảm 3,4%" not in tay_ninh_pdf


def test_national_docx_compares_submissions_by_share_in_points(rendered_2025):
    rows = docx_rows(rendered_2025 / "bao-cao.docx", ["Nhóm", "Văn bản", "Năm 2024", "Năm 2025", "Thay đổi tỷ lệ"])
    assert rows == [
        ["Bộ, ngành", "Kế hoạch", "02/30 (6,67%)", "06/22 (27,27%)", "tăng 20,61 điểm phần trăm"],
        ["Bộ, ngành", "Báo cáo năm", "05/30 (16,67%)", "14/22 (63,64%)", "tăng 46,97 điểm phần trăm"],
        ["Bộ, ngành", SCORING, "01/30 (3,33%)", "09/22 (40,91%)", "tăng 37,58 điểm phần trăm"],
        ["Địa phương", "Kế hoạch", "16/63 (25,40%)", "12/34 (35,29%)", "tăng 9,90 điểm phần trăm"],
        ["Địa phương", "Báo cáo năm", "41/63 (65,08%)", "27/34 (79,41%)", "tăng 14,33 điểm phần trăm"],
        ["Địa phương", SCORING, "52/63 (82,54%)", "29/34 (85,29%)", "tăng 2,75 điểm phần trăm"],
    ]


def test_national_pdf_words_shares_and_indexes_in_points_and_counts_in_percent(national_pdf):
    for phrase in (
        # submissions across the merger: by share, in points, and saying why
        "báo cáo năm của 14/22 bộ, ngành (2025), tỷ lệ 63,64%, so với 05/30 bộ, ngành (2024), tỷ lệ 16,67% "
        "(tăng 46,97 điểm phần trăm); của 27/34 địa phương (2025), tỷ lệ 79,41%, so với 41/63 địa phương (2024), "
        "tỷ lệ 65,08% (tăng 14,33 điểm phần trăm).",
        "khác năm 2024 nên số liệu được so sánh theo tỷ lệ.",
        # shares, recomputed from numerator and denominator: points
        "đạt 75,54% (1.378.413/1.824.705 hồ sơ), tăng 6,16 điểm phần trăm so với năm 2024;",
        "đạt 62,26% (1.490.558/2.394.159 hồ sơ), tăng 13,02 điểm phần trăm so với năm 2024.",
        # indexes: points
        "88,37% (tăng 1,39 điểm phần trăm so với năm 2023)",
        "83,94% (tăng 1,28 điểm phần trăm so với năm 2023)",
        # counts: per cent, one decimal
        "4.689 cán bộ, công chức, viên chức (giảm 1,1% so với năm 2024)",
        "5.911 cuộc thanh tra hành chính (giảm 11,4% so với năm 2024)",
        "346.389 lượt người đến cơ quan hành chính nhà nước khiếu nại, tố cáo, kiến nghị, phản ánh (tăng 2,6% so với năm 2024)",
        "409.164 đơn các loại (giảm 8,6% so với năm 2024)",
        # merged units are named with what they were
        "Bộ Nội vụ (mới) gồm Bộ Nội vụ và Bộ Lao động – Thương binh và Xã hội trước ngày 01/3/2025.",
        "Tỉnh Tây Ninh (mới) gồm Tây Ninh và Long An trước ngày 01/7/2025.",
    ):
        assert phrase in national_pdf, phrase
