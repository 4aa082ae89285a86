"""One table, one file: a table named by its stem or by one file; a CSV and an Excel twin that differ stop the
check with both names; equal twins are fine; an edit to the twin is never silently ignored."""
from __future__ import annotations

import json
import shutil

import openpyxl
import pytest

from baocao.errors import BaocaoError
from baocao.indicators import read_unit_indicators
from baocao.readers import read_sheets, table_file
from conftest import ROOT, copy_project, run_cli

SHIPPED = ROOT / "data" / "2025" / "chi-so-tinh"


def test_a_stem_means_the_file_that_exists(tmp_path):
    shutil.copy(SHIPPED.with_suffix(".xlsx"), tmp_path / "chi-so-tinh.xlsx")
    assert table_file(tmp_path / "chi-so-tinh") == tmp_path / "chi-so-tinh.xlsx"
    shutil.copy(SHIPPED.with_suffix(".csv"), tmp_path / "chi-so-tinh.csv")
    assert table_file(tmp_path / "chi-so-tinh") == tmp_path / "chi-so-tinh.csv"  # equal twins: the CSV


def test_a_stem_with_no_file_names_both_forms(tmp_path):
    with pytest.raises(BaocaoError, match="không có tệp bảng này: cần x.csv hoặc x.xlsx"):
        read_sheets(tmp_path / "x")


def test_equal_twins_read_as_one(tmp_path):
    """The shipped 2025 table and its workbook hold the same cells (dates, numbers as typed): no problem."""
    for suffix in (".csv", ".xlsx"):
        shutil.copy(SHIPPED.with_suffix(suffix), tmp_path / f"t{suffix}")
    by_stem, _ = read_unit_indicators(tmp_path / "t", 2025)
    by_csv, _ = read_unit_indicators(tmp_path / "t.csv", 2025)
    assert by_stem.keys() == by_csv.keys() and len(by_stem) == 34


def _edit_workbook(path, row: int, column: int, value) -> None:
    book = openpyxl.load_workbook(path)
    book.active.cell(row, column).value = value
    book.save(path)


def test_an_edited_twin_is_an_error_naming_both_and_the_remedy(tmp_path):
    for suffix in (".csv", ".xlsx"):
        shutil.copy(SHIPPED.with_suffix(suffix), tmp_path / f"t{suffix}")
    read_unit_indicators(tmp_path / "t.csv", 2025)  # read (and memoized) before the edit
    _edit_workbook(tmp_path / "t.xlsx", 5, 5, 12345)
    with pytest.raises(BaocaoError) as error:
        read_unit_indicators(tmp_path / "t.csv", 2025)
    (problem,) = error.value.problems
    assert (problem.file, problem.row, problem.value) == (str(tmp_path / "t.csv"), 5, "t.xlsx")
    assert "hai tệp khác nhau trong cùng thư mục: «t.csv» và «t.xlsx» (khác nhau từ dòng 5)" in problem.message
    assert "baocao không tự chọn" in problem.message and "Giữ một tệp" in problem.message


def test_check_stops_on_an_edited_workbook_beside_its_csv(tmp_path):
    """The issue's case: params name chi-so-tinh.csv, the analyst edits chi-so-tinh.xlsx."""
    root = copy_project(tmp_path)
    _edit_workbook(root / "data" / "2025" / "chi-so-tinh.xlsx", 3, 5, 99)
    result = run_cli("check", "--year", "2025", "--unit", "tay-ninh", "--json", cwd=root)
    assert result.returncode == 1
    (problem,) = [p for p in json.loads(result.stdout) if p["severity"] == "lỗi"]
    assert problem["file"] == "data/2025/chi-so-tinh.csv" and problem["value"] == "chi-so-tinh.xlsx"
    assert "«chi-so-tinh.csv» và «chi-so-tinh.xlsx» (khác nhau từ dòng 3)" in problem["message"]
    render = run_cli("render", "--year", "2025", "--unit", "tay-ninh", cwd=root)
    assert render.returncode == 1 and "1 lỗi" in render.stderr
    assert not (root / "outputs" / "2025" / "tay-ninh").exists()


@pytest.mark.parametrize("workbook", sorted((ROOT / "data").glob("*/*.xlsx")), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_every_shipped_workbook_holds_the_cells_of_its_csv(workbook):
    """The shipped years keep both forms for analysts to pick from: they must agree, or nothing renders."""
    assert table_file(workbook.with_suffix(".csv")) == workbook.with_suffix(".csv")
