"""Readers for the tables analysts keep, chosen by file extension through a small registry.

Every reader returns the sheet as rows of cells exactly as a person sees them, with the row number Excel
shows, so that every later message can point at "dòng 12, cột «Ngày tháng văn bản»".
"""
from __future__ import annotations

import csv
import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from .errors import BaocaoError, Problem

Cell = str | dt.date | int | float | None


@dataclass(frozen=True)
class Sheet:
    file: str
    name: str | None
    rows: list[list[Cell]]  # rows[i] is Excel row i + 1


def _read_csv(path: Path) -> list[Sheet]:
    raw = path.read_bytes()
    for encoding in ("utf-8-sig", "utf-16"):
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise BaocaoError(Problem(file=str(path), message="tệp CSV phải mã hóa UTF-8 (khi lưu từ Excel, chọn «CSV UTF-8»)"))
    rows = [[cell.strip() for cell in row] for row in csv.reader(text.splitlines())]
    return [Sheet(file=str(path), name=None, rows=rows)]


def _read_xlsx(path: Path) -> list[Sheet]:
    import openpyxl

    try:
        book = openpyxl.load_workbook(path, data_only=True, read_only=False)
    except Exception as exc:  # openpyxl raises many types for a damaged file
        raise BaocaoError(Problem(file=str(path), message=f"không đọc được tệp Excel: {exc}")) from None
    sheets = []
    for ws in book.worksheets:
        rows: list[list[Cell]] = []
        for row in ws.iter_rows(values_only=True):
            rows.append([_cell(value) for value in row])
        sheets.append(Sheet(file=str(path), name=ws.title, rows=rows))
    return sheets


def _cell(value) -> Cell:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, str):
        return value.strip()
    return value


READERS: dict[str, Callable[[Path], list[Sheet]]] = {".csv": _read_csv, ".xlsx": _read_xlsx}


def read_sheets(path: Path | str) -> list[Sheet]:
    """Read every sheet of a table file; the reader is chosen by the file's extension."""
    path = Path(path)
    reader = READERS.get(path.suffix.lower())
    if reader is None:
        supported = ", ".join(sorted(READERS))
        raise BaocaoError(Problem(file=str(path), message=f"định dạng tệp «{path.suffix}» không được hỗ trợ. Hỗ trợ: {supported}"))
    if not path.is_file():
        raise BaocaoError(Problem(file=str(path), message="không tìm thấy tệp"))
    return reader(path)
