"""The register in the appendix layout: the CSV and the Excel workbook analysts keep give the same facts,
names are resolved whatever their spelling, and documents dated after the report are refused."""
from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import pytest

from baocao.errors import BaocaoError
from baocao.params import load_params
from baocao.params import Deadlines
from baocao.register import DOCUMENTS, empty, load_register
from baocao.stats import submission_facts
from baocao.report import build
from baocao.tablefiles import register_workbook
from conftest import ROOT

DATA = ROOT / "data" / "2024"


def test_csv_and_excel_forms_give_identical_facts():
    params = load_params(ROOT / "params" / "2024.yml")
    excel = params.model_copy(update={"data": params.data.model_copy(update={
        "submissions": Path("data/2024/so-theo-doi.xlsx"), "indicators": Path("data/2024/chi-so-quoc-gia.xlsx")})})
    from_csv, from_excel = build(params), build(excel)
    assert from_excel.facts == from_csv.facts
    assert from_excel.facts["submissions"]["provinces"]["annual_report"]["received"] == 41  # "41/63 địa phương"
    assert [p.row for p in from_excel.warnings] == [13, 33]  # the two inconsistent shares, on the same rows


def test_excel_register_has_the_same_rows_numbers_and_dates():
    csv_frame, _ = load_register(DATA / "so-theo-doi.csv", 2024)
    excel_frame, warnings = load_register(DATA / "so-theo-doi.xlsx", 2024)
    assert warnings == []  # merged header and merged group titles are fine
    columns = ["row", "group", "unit", "plan_number", "plan_date", "annual_report_number", "annual_report_date",
               "scoring_report_number", "scoring_report_date"]
    assert excel_frame[columns].equals(csv_frame[columns])


def test_tidy_register_has_one_row_per_unit():
    frame, _ = load_register(DATA / "so-theo-doi.csv", 2024)
    assert len(frame) == 93 and frame["unit"].is_unique
    row = frame.set_index("unit").loc["Bà Rịa – Vũng Tàu"]
    assert (row["row"], row["group"], row["scoring_report_number"]) == (36, "provinces", "320/BC-UBND")
    assert row["scoring_report_date"] == dt.date(2024, 5, 31)


def test_decomposed_text_gives_the_same_register():
    nfd, _ = load_register(ROOT / "tests" / "data" / "bad" / "register-nfd.csv", 2024)
    shipped, _ = load_register(DATA / "so-theo-doi.csv", 2024)
    assert nfd.equals(shipped)


def test_a_document_dated_after_the_report_is_an_error_on_its_row():
    with pytest.raises(BaocaoError) as caught:
        load_register(DATA / "so-theo-doi.csv", 2024, report_date=dt.date(2025, 2, 10))
    found = [(p.row, p.column, p.value) for p in caught.value.errors]
    assert found == [(62, "Báo cáo năm – Ngày tháng văn bản", "11/02/2025")]  # Hậu Giang, the one later report


BAD = ROOT / "tests" / "data" / "bad"
REGISTER_ROWS = list(csv.reader((DATA / "so-theo-doi.csv").open(encoding="utf-8")))


def problems(path: Path, year: int = 2024) -> list:
    try:
        return load_register(path, year)[1]
    except BaocaoError as exc:
        return exc.problems


def write_rows(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)
    return path


def test_each_unit_row_carries_its_slug_and_the_dates_as_the_appendix_prints_them():
    row = load_register(DATA / "so-theo-doi.xlsx", 2024)[0].set_index("unit").loc["Bà Rịa – Vũng Tàu"]
    assert (row["slug"], row["scoring_report_date_text"], row["plan_date_text"]) == ("ba-ria-vung-tau", "31/05/2024", "")


@pytest.mark.parametrize("name", ["register-renamed-header.csv", "register-missing-column.csv",
                                  "register-unit-before-group.csv", "register-wrong-date.csv"])
def test_a_workbook_gives_the_problems_of_its_csv_and_names_the_sheet(tmp_path, name):
    path = tmp_path / name.replace(".csv", ".xlsx")
    register_workbook(list(csv.reader((BAD / name).open(encoding="utf-8")))).save(path)
    found = problems(path)
    assert [(p.severity, p.row, p.column, p.value, p.message) for p in found] == [
        (p.severity, p.row, p.column, p.value, p.message) for p in problems(BAD / name)]
    assert {(p.file, p.sheet) for p in found} == {(str(path), "Bảng tổng hợp")}


def test_the_header_is_looked_for_in_the_first_20_rows_only(tmp_path):
    blank = [[""] * len(REGISTER_ROWS[0])]
    assert len(load_register(write_rows(tmp_path / "19.csv", blank * 19 + REGISTER_ROWS), 2024)[0]) == 93
    for rows in (blank * 20 + REGISTER_ROWS, REGISTER_ROWS[:1]):  # header on row 21; no second header row
        [problem] = problems(write_rows(tmp_path / "x.csv", rows))
        assert problem.message == "không tìm thấy dòng tiêu đề có «STT» và «Tên cơ quan» trong 20 dòng đầu"


def test_a_blank_first_column_and_a_blank_row_change_nothing(tmp_path):
    rows = [[""] + row for row in REGISTER_ROWS]
    rows.insert(40, [""] * len(rows[0]))
    frame, warnings = load_register(write_rows(tmp_path / "x.csv", rows), 2024)
    assert warnings == [] and len(frame) == 93 and frame["unit"].iloc[-1] == "Yên Bái"


def test_every_document_without_its_number_column_is_named(tmp_path):
    rows = [list(row) for row in REGISTER_ROWS]
    rows[1][2] = rows[1][4] = "Số hiệu"  # «Số văn bản» of the plan and of the annual report renamed
    [problem] = problems(write_rows(tmp_path / "x.csv", rows))
    assert (problem.row, problem.message) == (1, "thiếu cột của: Kế hoạch; Báo cáo năm (mỗi loại văn bản cần hai "
                                                 "cột «Số văn bản» và «Ngày tháng văn bản» ở dòng tiêu đề thứ hai)")


def test_a_blank_name_and_a_duplicate_are_each_reported_once(tmp_path):
    rows = [list(row) for row in REGISTER_ROWS]
    quoc_phong, cong_an = rows[3][1], rows[4][1]  # Excel rows 4 and 5
    rows[3][1], rows[5][1] = "", cong_an
    found = [(p.row, p.column, p.message) for p in problems(write_rows(tmp_path / "x.csv", rows)) if p.row]
    assert [row for row, _, _ in found] == [4, 5, 6]
    assert found[1:] == [(r, "Tên cơ quan", "đơn vị «Bộ Công an» có hai lần, ở dòng 5 và dòng 6: giữ một dòng")
                         for r in (5, 6)]
    assert quoc_phong == "Bộ Quốc phòng"


def test_an_unreadable_register_counts_nothing_in_the_columns_a_read_one_has():
    """What the facts of a register that could not be read come from: no unit in any group, every document
    counted, so a check still knows each placeholder name (`submissions.provinces.plan.missing` …)."""
    read, _ = load_register(DATA / "so-theo-doi.csv", 2024)
    assert list(empty().columns) == ["group", "unit"] + [c for c in read.columns if c.endswith(("_number", "_date"))]
    facts = submission_facts(empty(), Deadlines(plan=None, scoring_report=None, annual_report=dt.date(2024, 12, 15)))
    assert {group: (g["total"], sorted(doc for doc in g if doc != "total")) for group, g in facts.items()} == {
        group: (0, sorted(DOCUMENTS)) for group in ("ministries", "provinces")}
