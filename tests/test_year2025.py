"""The shipped 2025 sample: the first year of 22 ministries and 34 provinces renders from params and data alone.

Built cheaply through `baocao.report` (no pandoc) except one real PDF; counts are compared with a count taken
straight from the register CSV, and the figures labelled real are checked to be the only ones not flagged.
"""
from __future__ import annotations

import csv
import filecmp
import os
import subprocess
import sys

import pytest

from baocao.indicators import read_indicators, read_unit_indicators
from baocao.register import load_register
from baocao.report import build_for, write_outputs
from conftest import ROOT, copy_project
from test_end_to_end import _register_counts, pdf_text

DATA = ROOT / "data" / "2025"


@pytest.fixture(scope="module")
def national():
    return build_for(2025, root=ROOT)


@pytest.fixture(scope="module")
def tay_ninh():
    return build_for(2025, "tay-ninh", root=ROOT)


def _share(received: int, total: int) -> str:
    """"79,41%", worked out here rather than by baocao."""
    return f"{received / total * 100:.2f}".replace(".", ",") + "%"


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
    received = f"{annual['received']:02d}/34 địa phương"
    assert received in national.markdown


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
    assert before == 41
    text = " ".join(national.markdown.split())
    assert (f"{now:02d}/34 địa phương (2025), tỷ lệ {_share(now, 34)}, so với 41/63 địa phương (2024), "
            f"tỷ lệ {_share(41, 63)}") in text
    table = [[c.strip() for c in line.strip("|").split(" | ")] for line in national.markdown.splitlines()
             if line.startswith("| Địa phương | Báo cáo năm |")]
    assert [cells[2:4] for cells in table] == [[f"41/63 ({_share(41, 63)})", f"{now:02d}/34 ({_share(now, 34)})"]]


def test_tay_ninh_compares_with_tay_ninh_and_long_an_of_2024(tay_ninh):
    """Counts summed over the two provinces that became Tây Ninh; an index without weights not compared."""
    with (ROOT / "data/2024/chi-so-tinh.csv").open(encoding="utf-8") as handle:  # unit, key, name, year, value…
        visits = {row[0]: int(row[4]) for row in csv.reader(handle) if row[1] == "citizen_visits"}
    summed = f"{visits['Tây Ninh'] + visits['Long An']:,}".replace(",", ".") + " lượt"
    rows = _table_rows(tay_ninh.markdown)
    assert rows["Số lượt tiếp công dân"][0] == summed
    index = next(name for name in rows if name.startswith("Chỉ số cải cách hành chính (PAR INDEX)"))
    assert rows[index][0] == rows[index][2] == "không so sánh được"
    assert f"[^bcpredecessor1]: {PREDECESSORS}." in tay_ninh.markdown
    assert "tỉnh Tây Ninh[^bcpredecessor1]" in tay_ninh.markdown


def test_a_province_that_did_not_merge_compares_its_index_directly():
    rows = _table_rows(build_for(2025, "ha-noi", root=ROOT).markdown)
    index = next(name for name in rows if name.startswith("Chỉ số cải cách hành chính (PAR INDEX)"))
    assert rows[index][0] != "không so sánh được" and "điểm phần trăm so với năm 2024" in rows[index][2]


def test_the_sample_is_what_its_generator_writes(tmp_path):
    root = copy_project(tmp_path)
    env = os.environ | {"PYTHONPATH": str(ROOT / "lib")}
    result = subprocess.run([sys.executable, "data/2025/tao_du_lieu_minh_hoa.py"], cwd=root, env=env,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    names = ["so-theo-doi.csv", "chi-so-quoc-gia.csv", "chi-so-tinh.csv", "chi-tieu.csv"]
    assert filecmp.cmpfiles(DATA, root / "data/2025", names, shallow=False)[0] == names


def test_rendered_pdf_shows_the_counts_out_of_34(national, tmp_path):
    paths = write_outputs(national, tmp_path, formats=("pdf",))
    text = " ".join(pdf_text(paths["pdf"]).split())
    ministries = national.facts["submissions"]["ministries"]["annual_report"]["received"]
    provinces = national.facts["submissions"]["provinces"]["annual_report"]["received"]
    assert f"{ministries:02d}/22 bộ, ngành và {provinces:02d}/34 địa phương" in text
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


def test_rendered_pdf_of_a_merged_province_shows_the_comparison_and_its_footnote(tay_ninh, tmp_path):
    paths = write_outputs(tay_ninh, tmp_path, formats=("pdf",))
    text = " ".join(pdf_text(paths["pdf"]).split())
    assert "không so sánh được" in text
    assert PREDECESSORS in text
