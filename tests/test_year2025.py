"""The shipped 2025 sample: the first year of 22 ministries and 34 provinces renders from params and data alone.

Built cheaply through `baocao.report` (no pandoc); the PDFs are the session's real renders. Counts are compared
with a count taken straight from the register CSV, printed figures with hand-written text (worked out from the
shipped CSV files), and the figures labelled real are checked to be the only ones not flagged.
"""
from __future__ import annotations

import csv
import filecmp

import pytest

from baocao.indicators import read_indicators, read_unit_indicators
from baocao.register import load_register
from baocao.report import build_for
from conftest import ROOT, copy_project, run_generator
from test_end_to_end import _register_counts, pdf_text

DATA = ROOT / "data" / "2025"


@pytest.fixture(scope="module")
def national():
    return build_for(2025, root=ROOT)


@pytest.fixture(scope="module")
def tay_ninh():
    return build_for(2025, "tay-ninh", root=ROOT)


def _table_rows(markdown: str) -> dict[str, list[str]]:
    return {cells[0]: cells[1:] for cells in ([c.strip() for c in line.strip("|").split(" | ")]
                                               for line in markdown.splitlines() if line.startswith("| "))}


PREDECESSORS = "Tỉnh Tây Ninh (mới) gồm Tây Ninh và Long An trước ngày 01/7/2025"


def test_national_report_counts_22_ministries_and_34_provinces_from_the_register(national):
    submissions = national.facts["submissions"]
    for group, expected in _register_counts(DATA / "so-theo-doi.csv").items():
        assert submissions[group]["total"] == expected["total"]
        for doc in ("plan", "annual_report", "scoring_report"):
            assert submissions[group][doc]["received"] == expected[doc], (group, doc)
    assert (submissions["ministries"]["total"], submissions["provinces"]["total"]) == (22, 34)
    annual = submissions["provinces"]["annual_report"]
    assert annual["late"] > 0 and annual["missing"] > 0  # the sample shows both
    assert "Bộ Nội vụ nhận được báo cáo của: 14/22 bộ, ngành và 27/34 địa phương." in " ".join(national.markdown.split())


def test_national_report_is_flagged_illustrative_without_a_number_or_signer(national):
    assert national.facts["illustrative"]["params"] and national.facts["illustrative"]["report"]
    assert "DỮ LIỆU MINH HỌA" in national.markdown
    assert national.params.document.number == "" and national.params.signer.name == ""


def test_only_the_published_indexes_are_labelled_real():
    indicators, _ = read_indicators(DATA / "chi-so-quoc-gia.csv")
    real = {key: (str(ind.value), str(ind.previous)) for key, ind in indicators.items() if not ind.illustrative}
    assert real == {"par_index_provinces_avg": ("88.37", "86.98"), "sipas_avg": ("83.94", "82.66")}
    assert all(ind.source for ind in indicators.values())


def test_a_merged_province_report_builds_with_last_year_summed_from_its_predecessors():
    report = build_for(2025, "tay-ninh", root=ROOT)
    assert report.facts["illustrative"]["report"] and "DỮ LIỆU MINH HỌA" in report.markdown
    with (ROOT / "data/2024/chi-so-tinh.csv").open(encoding="utf-8") as handle:  # unit, key, name, year, value…
        visits_2024 = {row[0]: int(row[4]) for row in csv.reader(handle) if row[1] == "citizen_visits"}
    assert report.indicators["citizen_visits"].previous == visits_2024["Tây Ninh"] + visits_2024["Long An"]
    assert "so với năm 2024" in report.markdown


def test_national_report_compares_annual_reports_with_2024_by_share(national):
    """63 provinces had to report in 2024, 34 in 2025: the counts are shown with their shares."""
    before = _register_counts(ROOT / "data/2024/so-theo-doi.csv")["provinces"]["annual_report"]
    now = _register_counts(DATA / "so-theo-doi.csv")["provinces"]["annual_report"]
    assert (before, now) == (41, 27)
    text = " ".join(national.markdown.split())
    # 27/34 = 79,412 %, 41/63 = 65,079 %: 14,33 points (a relative change would be 22,0 %)
    assert ("27/34 địa phương (2025), tỷ lệ 79,41%, so với 41/63 địa phương (2024), tỷ lệ 65,08% "
            "(tăng 14,33 điểm phần trăm)") in text
    table = [[c.strip() for c in line.strip("|").split(" | ")] for line in national.markdown.splitlines()
             if line.startswith("| Địa phương | Báo cáo năm |")]
    assert [cells[2:] for cells in table] == [["41/63 (65,08%)", "27/34 (79,41%)", "tăng 14,33 điểm phần trăm"]]


def test_tay_ninh_compares_with_tay_ninh_and_long_an_of_2024(tay_ninh):
    """Counts summed over the two provinces that became Tây Ninh (7.645 + 5.193), a share recomputed from their
    summed numerators and denominators (144/162 = 88,89 %, against 97/113 = 85,84 %: −3,05 points), an index
    without weights not compared."""
    rows = _table_rows(tay_ninh.markdown)
    assert rows["Số lượt tiếp công dân"] == ["12.838 lượt", "11.310 lượt", "giảm 11,9% so với năm 2024"]
    rated_good = "Tỷ lệ cơ quan, đơn vị, địa phương được đánh giá, xếp loại công tác dân vận chính quyền mức Tốt"
    assert rows[rated_good] == ["88,89%", "85,84%", "giảm 3,05 điểm phần trăm so với năm 2024"]
    index = next(name for name in rows if name.startswith("Chỉ số cải cách hành chính (PAR INDEX)"))
    assert rows[index][0] == rows[index][2] == "không so sánh được"
    assert f"[^bcpredecessor1]: {PREDECESSORS}." in tay_ninh.markdown
    assert "tỉnh Tây Ninh[^bcpredecessor1]" in tay_ninh.markdown


def test_a_province_that_did_not_merge_compares_its_index_directly():
    rows = _table_rows(build_for(2025, "ha-noi", root=ROOT).markdown)
    # 86,35 − 88,17: in points, not "giảm 2,1%"
    assert rows["Chỉ số cải cách hành chính (PAR INDEX) của địa phương (minh họa)"] == [
        "88,17%", "86,35%", "giảm 1,82 điểm phần trăm so với năm 2024"]


def test_the_sample_is_what_its_generator_writes(tmp_path):
    root = copy_project(tmp_path)
    run_generator(root, "data/2025/tao_du_lieu_minh_hoa.py")
    names = ["so-theo-doi.csv", "chi-so-quoc-gia.csv", "chi-so-tinh.csv", "chi-tieu.csv"]
    assert filecmp.cmpfiles(DATA, root / "data/2025", names, shallow=False)[0] == names


def test_rendered_pdf_shows_the_counts_out_of_34(rendered_2025):
    text = " ".join(pdf_text(rendered_2025 / "bao-cao.pdf").split())
    assert "Bộ Nội vụ nhận được báo cáo của: 14/22 bộ, ngành và 27/34 địa phương." in text
    assert "Số: /BC-BNV" in text and "DỮ LIỆU MINH HỌA" in text


def test_the_excel_copies_say_what_the_csv_files_say():
    """An analyst may point the params at either; both must give the same report."""
    csv_register, _ = load_register(DATA / "so-theo-doi.csv", 2025)
    xlsx_register, _ = load_register(DATA / "so-theo-doi.xlsx", 2025)
    same = [c for c in csv_register.columns if c != "row" and not c.endswith("_date_text")]
    assert csv_register[same].equals(xlsx_register[same])
    assert read_indicators(DATA / "chi-so-quoc-gia.csv")[0] == read_indicators(DATA / "chi-so-quoc-gia.xlsx")[0]
    assert (read_unit_indicators(DATA / "chi-so-tinh.csv", 2025)[0]
            == read_unit_indicators(DATA / "chi-so-tinh.xlsx", 2025)[0])


def test_rendered_pdf_of_a_merged_province_shows_the_comparison_and_its_footnote(rendered_2025_tay_ninh):
    text = " ".join(pdf_text(rendered_2025_tay_ninh / "bao-cao.pdf").split())
    assert "(minh họa) không so sánh được 82,57% không so sánh được" in text
    assert PREDECESSORS in text
