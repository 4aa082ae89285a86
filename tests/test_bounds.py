"""Bounded work on hostile input (issue 17, cause 5): an Excel sheet's extent is measured on the cells that
hold a value before any row is read, and YAML anchors and aliases (the "billion laughs" bomb) are refused in
params files and in the front matter of prose files, each with a Vietnamese message naming the file and place.

Without the bounds, each refused case below would run for minutes and end in MemoryError, so a test that
passes also shows that the work was not done.
"""
from __future__ import annotations

import shutil
from pathlib import Path

import openpyxl
import pytest

from baocao.errors import BaocaoError
from baocao.narrative import read_prose
from baocao.params import load_params
from baocao.readers import MAX_COLUMNS, MAX_ROWS, read_sheets, read_table
from conftest import ROOT, copy_project
from test_cli_errors import baocao

REGISTER_XLSX = ROOT / "data" / "2024" / "so-theo-doi.xlsx"
FAR = "có dữ liệu ở quá xa bảng (mọi bảng của báo cáo nằm trong 50000 dòng và 200 cột đầu): xóa ô thừa (trong Excel: Ctrl+End để tới ô cuối cùng)"


def small_sheet(path: Path, stray: str | None = None, styled: str | None = None) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Bảng"
    for row in range(1, 5):
        for column in range(1, 4):
            sheet.cell(row, column, f"ô {row}.{column}")
    if stray:
        sheet[stray] = "x"
    if styled:  # formatted once, never typed in: part of Excel's extent, holds nothing
        sheet[styled].number_format = "0.00"
        sheet[styled].font = openpyxl.styles.Font(bold=True)
    book.save(path)
    return path


@pytest.mark.parametrize("stray, row, column", [
    ("XFD1048576", 1048576, "XFD"),  # the last cell of the sheet
    ("A1048576", 1048576, "A"),  # the last row
    ("XFD1", 1, "XFD"),  # the last column
    (f"GS{MAX_ROWS}", MAX_ROWS, "GS"),  # column 201
    (f"A{MAX_ROWS + 1}", MAX_ROWS + 1, "A"),
])
def test_a_value_far_outside_a_small_table_is_named_before_any_row_is_read(tmp_path, stray, row, column):
    path = small_sheet(tmp_path / "bang.xlsx", stray=stray)
    with pytest.raises(BaocaoError) as caught:
        read_sheets(path)
    [problem] = caught.value.problems
    assert (problem.file, problem.sheet, problem.row, problem.column, problem.value) == (str(path), "Bảng", row, column, stray)
    assert problem.message == f"ô {stray} {FAR} hoặc kiểm tra có dán nhầm dữ liệu"


@pytest.mark.parametrize("styled", ["XFD1048576", "A1048576", "XFD1"])
def test_a_formatted_but_empty_far_cell_costs_nothing_and_the_table_reads(tmp_path, styled):
    [sheet] = read_sheets(small_sheet(tmp_path / "bang.xlsx", styled=styled))
    assert len(sheet.rows) == 4 and all(len(row) == 3 for row in sheet.rows)
    assert sheet.rows[3][2] == "ô 4.3"


@pytest.mark.parametrize("edge, rows, columns", [(f"{openpyxl.utils.get_column_letter(MAX_COLUMNS)}1", 4, MAX_COLUMNS),
                                                 (f"A{MAX_ROWS}", MAX_ROWS, 3)])
def test_a_value_at_the_edge_of_the_bounds_is_read(tmp_path, edge, rows, columns):
    [sheet] = read_sheets(small_sheet(tmp_path / "bang.xlsx", stray=edge))
    assert len(sheet.rows) == rows and len(sheet.rows[0]) == columns


def test_check_names_the_stray_cell_of_the_register_workbook(tmp_path):
    root = copy_project(tmp_path)
    book = openpyxl.load_workbook(REGISTER_XLSX)
    book.worksheets[0]["XFD1048576"] = "ghi chú lạc"
    book.save(root / "data" / "2024" / "so-theo-doi.xlsx")
    params = root / "params" / "2024.yml"
    params.write_text(params.read_text(encoding="utf-8").replace("data/2024/so-theo-doi.csv", "data/2024/so-theo-doi.xlsx"),
                      encoding="utf-8")
    result = baocao("check", "--year", "2024", cwd=root)
    shown = result.stdout + result.stderr
    assert result.returncode == 1 and "Traceback" not in shown, shown
    assert "data/2024/so-theo-doi.xlsx" in shown and "ô XFD1048576 có dữ liệu ở quá xa bảng" in shown, shown


# --- YAML anchors and aliases ------------------------------------------------------------------------------

BOMB = "".join(f"l{n}: &l{n} [{', '.join([f'*l{n - 1}'] * 9) if n else ', '.join(['lol'] * 9)}]\n" for n in range(10))
ALIAS_MESSAGE = "YAML có neo hoặc bí danh («&tên», «*tên»), không được phép vì một dòng có thể thành hàng tỷ giá trị"


def _refused(call, file: Path, row: int, value: str) -> None:
    with pytest.raises(BaocaoError) as caught:
        call()
    [problem] = caught.value.problems
    assert (Path(problem.file), problem.row, problem.value) == (file, row, value)
    assert problem.message.startswith(ALIAS_MESSAGE)


# where the YAML is appended (the national params, the province defaults, a province's own file), which params
# file is loaded, what is appended (its first line is the one named) and the value named
PARAMS_CASES = {
    "bomb-in-national-params": ("params/2024.yml", "2024", BOMB, "&l0"),
    "one-anchor-one-alias": ("params/2024.yml", "2024", "ghi_chu: &g Lưu VT\nghi_chu_2: *g\n", "&g"),
    "merge-key": ("params/2024.yml", "2024", "mau: &m {a: 1}\nkhac:\n  <<: *m\n", "&m"),
    "bomb-in-province-defaults": ("params/2024/tinh.yml", "2024/ha-noi", BOMB, "&l0"),
    "alias-in-a-province-file": ("params/2024/tay-ninh.yml", "2024/tay-ninh", "x: &x 1\ny: *x\n", "&x"),
}


@pytest.mark.parametrize("case", PARAMS_CASES)
def test_yaml_anchors_and_aliases_in_params_are_refused_with_file_and_line(tmp_path, case):
    root = copy_project(tmp_path)
    relative, params, added, value = PARAMS_CASES[case]
    path = root / relative
    text = path.read_text(encoding="utf-8").rstrip("\n")
    path.write_text(text + "\n" + added, encoding="utf-8")
    _refused(lambda: load_params(root / "params" / f"{params}.yml"), path, len(text.splitlines()) + 1, value)


@pytest.mark.parametrize("front, row, value", [
    (BOMB, 2, "&l0"),
    ("muc: &m mo-dau\nnguon: *m\n", 2, "&m"),
    ("muc: mo-dau\nnguon: !!str &n x\n", 3, "&n"),
])
def test_yaml_anchors_and_aliases_in_prose_front_matter_are_refused_with_file_and_line(tmp_path, front, row, value):
    path = tmp_path / "mo-dau.md"
    path.write_text(f"---\n{front}---\n\nNội dung.\n", encoding="utf-8")
    _refused(lambda: read_prose(path), path, row, value)


def test_check_reports_an_alias_bomb_in_prose_front_matter(tmp_path):
    root = copy_project(tmp_path)
    prose = root / "data" / "2024" / "prose" / "mo-dau.md"
    prose.write_text(prose.read_text(encoding="utf-8").replace("---\n", "---\n" + BOMB, 1), encoding="utf-8")
    result = baocao("check", "--year", "2024", cwd=root)
    shown = result.stdout + result.stderr
    assert result.returncode == 1 and "Traceback" not in shown, shown
    assert "data/2024/prose/mo-dau.md" in shown and "&l0" in shown and "YAML có neo hoặc bí danh" in shown, shown


def test_new_year_refuses_an_alias_bomb_in_last_years_params_before_writing(tmp_path):
    root = copy_project(tmp_path)
    path = root / "params" / "2025.yml"
    text = path.read_text(encoding="utf-8").rstrip("\n")
    path.write_text(text + "\n" + BOMB, encoding="utf-8")
    result = baocao("new-year", "2026", "--from", "2025", cwd=root)
    shown = " ".join((result.stdout + result.stderr).split())
    assert result.returncode == 1 and "Traceback" not in shown, shown
    assert f"params/2025.yml │ │ {len(text.splitlines()) + 1} │ │ &l0 │ {ALIAS_MESSAGE}" in shown, shown
    assert not (root / "params" / "2026.yml").exists()
