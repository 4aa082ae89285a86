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

import openpyxl
from openpyxl.styles import Alignment, Font

_DMY = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
GROUP_NUMBERS = ("I", "II")  # the first cell of the register's group rows


def csv_text(table: list[list[str]], delimiter: str = ",") -> str:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n").writerows(table)
    return buffer.getvalue()


def register_workbook(table: list[list[str]]) -> openpyxl.Workbook:
    """The appendix as Excel keeps it: merged two-level header, a merged title per group row, dates as date
    cells, document numbers as text cells."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Bảng tổng hợp"
    for r, row in enumerate(table, start=1):
        for c, value in enumerate(row, start=1):
            cell = sheet.cell(r, c)
            if r > 2 and (match := _DMY.match(value)):
                day, month, year = map(int, match.groups())
                cell.value, cell.number_format = dt.date(year, month, day), "dd/mm/yyyy"
            else:
                cell.value = value or None
                cell.number_format = "@"
            if r <= 2:
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


def _number(text: str):
    if re.fullmatch(r"-?\d+", text):
        return int(text)
    if re.fullmatch(r"-?\d+\.\d+", text):
        return float(text)
    return text or None


def indicators_workbook(table: list[list[str]]) -> openpyxl.Workbook:
    """Indicators with numbers as number cells (as an analyst types them) and text as text."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Chỉ số"
    for r, row in enumerate(table, start=1):
        for c, value in enumerate(row, start=1):
            cell = sheet.cell(r, c)
            cell.value = value if r == 1 else _number(value)
            if isinstance(cell.value, float):
                cell.number_format = "0." + "0" * len(value.partition(".")[2])  # 66.0 shows, and reads, as 66.0
    return book
