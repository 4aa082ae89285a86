"""The tables analysts keep, written as files the way they keep them: CSV as Excel saves «CSV UTF-8», and
Excel workbooks.

Shared by the bad-input corpus (`tests/data/bad/make_files.py`, which also writes `data/<year>/*.xlsx` from
the CSVs) and `baocao new-year` (the empty templates of a new year), so that both hand analysts the same
layout the readers expect: in the register, the merged two-level header and merged group titles.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import re
from typing import Callable

import openpyxl
from openpyxl.cell import Cell
from openpyxl.styles import Alignment, Font

_DMY = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
GROUP_NUMBERS = ("I", "II")  # the first cell of the register's group rows


def csv_text(table: list[list[str]], delimiter: str = ",") -> str:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n").writerows(table)
    return buffer.getvalue()


# A text cell starting with one of these is taken by Excel (or by an analyst pressing F2, Enter) for a formula:
# «=HYPERLINK(…)» typed into a unit's name would run on the reviewer's PC. Such cells are written as text
# with Excel's quote prefix (the hidden «'»), which keeps the text exactly as it was for every reader.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

Value = str | int | float | dt.date | None


def put(cell: Cell, value: Value, number_format: str | None = None) -> None:
    """Write one value: numbers and dates as such, text as text that Excel never evaluates."""
    cell.value = value
    if isinstance(value, str) and value.startswith(FORMULA_START):
        cell.data_type = "s"  # openpyxl would store «=…» as a formula
        cell.quotePrefix = True
    if number_format:
        cell.number_format = number_format


def _workbook(title: str, table: list[list[str]], convert: Callable[[int, str], tuple[Value, str | None]]):
    """One sheet holding `table`, each cell converted by `convert(excel_row, text)` → (value, number format)."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = title
    for r, row in enumerate(table, start=1):
        for c, text in enumerate(row, start=1):
            put(sheet.cell(r, c), *convert(r, text))
    return book, sheet


def _register_cell(row: int, text: str) -> tuple[Value, str]:
    """Dates as date cells below the two header rows; everything else (document numbers too) as text cells."""
    if row > 2 and (match := _DMY.match(text)):
        day, month, year = map(int, match.groups())
        return dt.date(year, month, day), "dd/mm/yyyy"
    return text or None, "@"


def register_workbook(table: list[list[str]]) -> openpyxl.Workbook:
    """The appendix as Excel keeps it: merged two-level header, a merged title per group row, dates as date
    cells, document numbers as text cells."""
    book, sheet = _workbook("Bảng tổng hợp", table, _register_cell)
    for r in (1, 2):
        for cell in sheet[r]:
            cell.font, cell.alignment = Font(bold=True), Alignment(horizontal="center", vertical="center", wrap_text=True)
    for span in ("A1:A2", "B1:B2", "C1:D1", "E1:F1", "G1:H1"):
        sheet.merge_cells(span)
    for r, row in enumerate(table, start=1):
        if row[0] in GROUP_NUMBERS:
            sheet.merge_cells(start_row=r, start_column=2, end_row=r, end_column=8)
            sheet.cell(r, 2).font = Font(bold=True)
    for column, width in zip("ABCDEFGH", (6, 40, 16, 12, 16, 12, 22, 12)):
        sheet.column_dimensions[column].width = width
    return book


def _indicator_cell(row: int, text: str) -> tuple[Value, str | None]:
    """The header as text; below it numbers as number cells (as an analyst types them), the rest as text.
    A float keeps its typed decimals: 66.0 shows, and reads, as 66.0."""
    if row == 1:
        return text, None
    if re.fullmatch(r"-?\d+", text):
        return int(text), None
    if re.fullmatch(r"-?\d+\.\d+", text):
        return float(text), "0." + "0" * len(text.partition(".")[2])
    return text or None, None


def indicators_workbook(table: list[list[str]]) -> openpyxl.Workbook:
    """Indicators with numbers as number cells and text as text."""
    return _workbook("Chỉ số", table, _indicator_cell)[0]
