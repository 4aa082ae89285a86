"""The register in the appendix layout: the CSV and the Excel workbook analysts keep give the same facts,
names are resolved whatever their spelling, and documents dated after the report are refused."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from baocao.errors import BaocaoError
from baocao.params import load_params
from baocao.register import load_register
from baocao.report import build
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
