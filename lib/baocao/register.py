"""The register of submissions (Bảng tổng hợp): who sent which document, with its number and date.

It is read in the layout analysts already keep and the national report prints as its appendix: a two-level
header (document over "Số văn bản" / "Ngày tháng văn bản"), group rows ("I Bộ, cơ quan ngang Bộ…",
"II Địa phương") and one row per unit. The result is one tidy table, one row per unit.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from .dates import DateError, parse_date
from .errors import BaocaoError, Problem, raise_if_errors
from .names import normalize
from .readers import Sheet, read_sheets
from .units import UnitNameError, UnitRegistry

# Document kinds, in the order of the appendix columns, with the header text that announces each.
# A header cell matches a document when it starts with the document's first words (analysts shorten them).
DOCUMENTS = {
    "plan": "Kế hoạch",
    "annual_report": "Báo cáo năm",
    "scoring_report": "Báo cáo về tiêu chí chấm điểm, xếp loại, đánh giá công tác dân vận",
}
HEADER_START = {"plan": "kế hoạch", "annual_report": "báo cáo năm", "scoring_report": "báo cáo về tiêu chí"}
NUMBER_HEADER = "Số văn bản"
DATE_HEADER = "Ngày tháng văn bản"
GROUPS = {"ministries": "Bộ, cơ quan ngang Bộ, cơ quan thuộc Chính phủ", "provinces": "Địa phương"}
UNIT_GROUP = {"ministries": "ministry", "provinces": "province"}


@dataclass(frozen=True)
class Layout:
    """Where things are in the sheet: the header row and the columns of each document's number and date."""

    header_row: int  # 0-based index of the row with "STT"
    name_col: int
    columns: dict[str, tuple[int, int]]  # document → (number column, date column)


def _text(cell) -> str:
    return "" if cell is None else normalize(str(cell))


def _key(cell) -> str:
    return _text(cell).casefold()


def _find_layout(sheet: Sheet) -> Layout:
    for index, row in enumerate(sheet.rows[:20]):
        keys = [_key(c) for c in row]
        if "stt" in keys and "tên cơ quan" in keys and index + 1 < len(sheet.rows):
            top = []
            for key in keys:  # merged header cells: the label stands in the first cell only
                top.append(key or (top[-1] if top else ""))
            sub = [_key(c) for c in sheet.rows[index + 1]]
            columns = {}
            for doc in DOCUMENTS:
                spots = [i for i, t in enumerate(top) if t.startswith(HEADER_START[doc])]
                number = next((i for i in spots if sub[i] == NUMBER_HEADER.casefold()), None)
                date = next((i for i in spots if sub[i] == DATE_HEADER.casefold()), None)
                if number is not None and date is not None:
                    columns[doc] = (number, date)
            missing = [DOCUMENTS[d] for d in DOCUMENTS if d not in columns]
            if missing:
                raise BaocaoError(Problem(
                    file=sheet.file, sheet=sheet.name, row=index + 1,
                    message="thiếu cột của: " + "; ".join(missing)
                    + f" (mỗi loại văn bản cần hai cột «{NUMBER_HEADER}» và «{DATE_HEADER}» ở dòng tiêu đề thứ hai)"))
            return Layout(header_row=index, name_col=keys.index("tên cơ quan"), columns=columns)
    raise BaocaoError(Problem(file=sheet.file, sheet=sheet.name,
                              message="không tìm thấy dòng tiêu đề có «STT» và «Tên cơ quan» trong 20 dòng đầu"))


def _group_of(row: list, layout: Layout) -> str | None:
    """A group row is "I | Bộ, cơ quan ngang Bộ…" or "II | Địa phương" (numbering and title may share a cell)."""
    text = " ".join(_text(c) for c in row[: layout.name_col + 1] if _text(c)).casefold()
    for group, title in GROUPS.items():
        if text.endswith(title.casefold()):
            return group
    return None


def read_register(path: Path, year: int, registry: UnitRegistry | None = None) -> pd.DataFrame:
    """Read the register into one row per unit; every bad cell of the file is reported in one error."""
    registry = registry or UnitRegistry.load()
    sheet = read_sheets(path)[0]
    layout = _find_layout(sheet)
    problems: list[Problem] = []
    records = []
    group = None
    for index in range(layout.header_row + 2, len(sheet.rows)):
        row = sheet.rows[index] + [None] * 16
        excel_row = index + 1
        if not any(_text(c) for c in row):
            continue
        if (found := _group_of(row, layout)) is not None:
            group = found
            continue
        where = dict(file=sheet.file, sheet=sheet.name, row=excel_row)
        name = _text(row[layout.name_col])
        if group is None:
            problems.append(Problem(**where, message="dòng đơn vị nằm trước dòng nhóm («I Bộ, cơ quan…» hoặc «II Địa phương»)"))
            continue
        try:
            unit = registry.resolve(name, UNIT_GROUP[group], year)
        except UnitNameError as exc:
            problems.append(Problem(**where, column="Tên cơ quan", value=name, message=str(exc)))
            continue
        record = {"row": excel_row, "group": group, "name": name, "unit": unit.name, "slug": unit.slug}
        for doc, (number_col, date_col) in layout.columns.items():
            number = _text(row[number_col])
            raw_date = row[date_col]
            try:
                date = parse_date(raw_date)
            except DateError as exc:
                problems.append(Problem(**where, column=f"{DOCUMENTS[doc]} – {DATE_HEADER}", value=_text(raw_date), message=str(exc)))
                date = None
            if bool(number) != bool(_text(raw_date)):
                missing = DATE_HEADER if number else NUMBER_HEADER
                problems.append(Problem(**where, column=f"{DOCUMENTS[doc]} – {missing}",
                                        message="có số văn bản thì phải có ngày tháng văn bản và ngược lại"))
            record[f"{doc}_number"] = number
            record[f"{doc}_date"] = date
            record[f"{doc}_date_text"] = raw_date.strftime("%d/%m/%Y") if hasattr(raw_date, "strftime") else _text(raw_date)
        records.append(record)
    raise_if_errors(problems)
    return pd.DataFrame.from_records(records)
