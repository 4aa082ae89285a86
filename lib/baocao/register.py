"""The register of submissions (Bảng tổng hợp): who sent which document, with its number and date.

It is read in the layout analysts already keep and the national report prints as its appendix: a two-level
header (document over "Số văn bản" / "Ngày tháng văn bản", merged cells in Excel), group rows
("I Bộ, cơ quan ngang Bộ…", "II Địa phương") and one row per unit. It becomes one tidy frame, one row per
unit, validated against `schemas.register_schemas`; unit names are resolved through a `Roster` (the units
that must report, by group), and duplicate or absent units are reported, every problem of the file at once.

The national register's roster is `NationalRoster` (ministries and provinces, from `UnitRegistry`); a
province keeps the same layout for its own sở, ban, ngành and communes (`baocao.subunits`).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol, Sequence

import pandas as pd

from . import schemas
from .dates import parse_date
from .errors import BaocaoError, Problem, WARNING, raise_if_errors
from .names import normalize
from .readers import Sheet, cell_text, merged_below, read_table
from .schemas import DATE_HEADER, GROUP, NAME, NUMBER_HEADER, register_column
from .units import UnitNameError, UnitRegistry
from .vocabulary import DOCUMENT_HEADER_START, DOCUMENTS, GROUPS, UNIT_GROUP


class Member(Protocol):
    """A unit on a roster: `name` is how lists and the «unit» column name it, `display_name` how the register does."""

    name: str

    @property
    def slug(self) -> str: ...

    @property
    def display_name(self) -> str: ...


class Roster(Protocol):
    """The units that must report in one register, by group (group key → the title its group row prints)."""

    groups: dict[str, str]

    def resolve(self, group: str, name: str) -> Member: ...  # raises UnitNameError

    def expected(self, group: str) -> Sequence[Member]: ...


class NationalRoster:
    """Ministries and provinces of `year`: the national register."""

    groups = GROUPS

    def __init__(self, registry: UnitRegistry, year: int):
        self.registry, self.year = registry, year

    def resolve(self, group: str, name: str) -> Member:
        return self.registry.resolve(name, UNIT_GROUP[group], self.year)

    def expected(self, group: str) -> Sequence[Member]:
        return self.registry.expected(UNIT_GROUP[group], self.year)


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
            sub = [_key(c) for c in sheet.rows[index + 1]] + [""] * len(top)
            columns = {}
            for doc in DOCUMENTS:
                spots = [i for i, t in enumerate(top) if t.startswith(DOCUMENT_HEADER_START[doc])]
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


def _group_of(row: list, layout: Layout, groups: dict[str, str]) -> str | None:
    """A group row is "I | Bộ, cơ quan ngang Bộ…" or "II | Địa phương" (numbering and title may share a cell)."""
    text = " ".join(_text(c) for c in row[: layout.name_col + 1] if _text(c)).casefold()
    for group, title in groups.items():
        if text.endswith(title.casefold()):
            return group
    return None


def _short(title: str) -> str:
    """A group title as a message quotes it: «Bộ, cơ quan…» for the long one."""
    return " ".join(title.split()[:3]) + "…" if len(title) > 20 else title


def _raw_frame(sheet: Sheet, layout: Layout, groups: dict[str, str]) -> tuple[pd.DataFrame, list[Problem]]:
    """The unit rows with the appendix's headers as labels, indexed by Excel row; group rows become a column."""
    problems, records, index, titles = [], [], [], []
    group = None
    for position in range(layout.header_row + 2, len(sheet.rows)):
        row = sheet.rows[position] + [None] * 16
        if not any(_text(c) for c in row):
            continue
        if (found := _group_of(row, layout, groups)) is not None:
            group = found
            titles.append(position + 1)
            continue
        if group is None:
            first_titles = " hoặc ".join(f"«{number} {_short(title)}»" for number, title in zip(("I", "II", "III"), groups.values()))
            problems.append(Problem(file=sheet.file, sheet=sheet.name, row=position + 1, value=_text(row[layout.name_col]),
                                    message=f"dòng đơn vị nằm trước dòng nhóm ({first_titles})"))
            continue
        record = {GROUP: groups[group], NAME: _text(row[layout.name_col])}
        for doc, (number_col, date_col) in layout.columns.items():
            record[register_column(DOCUMENTS[doc], NUMBER_HEADER)] = cell_text(row[number_col])
            record[register_column(DOCUMENTS[doc], DATE_HEADER)] = cell_text(row[date_col])
        records.append(record)
        index.append(position + 1)
    columns = [GROUP, NAME] + [register_column(t, h) for t in DOCUMENTS.values() for h in (NUMBER_HEADER, DATE_HEADER)]
    problems += merged_below(sheet, layout.header_row + 3, titles)
    return pd.DataFrame(records, index=pd.Index(index, name="dòng"), columns=columns, dtype=object), problems


def _units(raw: pd.DataFrame, roster: Roster, year: int, where: dict) -> tuple[dict[int, Member], list[Problem]]:
    """Resolve every name; unknown, ambiguous, duplicated and absent units are all errors."""
    problems, units, seen = [], {}, {}
    group_of_title = {title: key for key, title in roster.groups.items()}
    for row, group, name in zip(raw.index, raw[GROUP], raw[NAME]):
        if not name or group not in group_of_title:
            continue  # reported by the schema
        try:
            unit = roster.resolve(group_of_title[group], name)
        except UnitNameError as exc:
            problems.append(Problem(**where, row=row, column=NAME, value=name, message=str(exc)))
            continue
        if unit in seen:
            first = seen[unit]
            problems += [Problem(**where, row=r, column=NAME, value=name,
                                 message=f"đơn vị «{unit.name}» có hai lần, ở dòng {first} và dòng {row}: giữ một dòng")
                         for r in (first, row)]
            continue
        seen[unit] = row
        units[row] = unit
    if units or problems:
        for group, title in roster.groups.items():
            for unit in roster.expected(group):
                if unit not in seen:
                    problems.append(Problem(**where, column=NAME, value=unit.display_name,
                                            message=f"thiếu đơn vị phải báo cáo năm {year} (nhóm «{title}»): thêm một dòng cho đơn vị, để trống các ô nếu chưa gửi"))
    return units, problems


def load_register(path: Path, year: int, registry: UnitRegistry | None = None,
                  report_date: dt.date | None = None, roster: Roster | None = None) -> tuple[pd.DataFrame, list[Problem]]:
    """The register as one row per unit, with its warnings; every error of the file is raised at once.

    `report_date` (the date of the report that prints the register) makes any later document date an error;
    `roster` says who must report (by default the national register's ministries and provinces of `year`).
    """
    roster = roster or NationalRoster(registry or UnitRegistry.load(), year)
    sheet, problems = read_table(path)
    layout = _find_layout(sheet)
    raw, found = _raw_frame(sheet, layout, roster.groups)
    where = dict(file=sheet.file, sheet=sheet.name)
    problems += found
    if raw.empty:
        raise BaocaoError(problems + [Problem(**where, row=layout.header_row + 2, message="sổ theo dõi không có dòng đơn vị nào")])
    errors, warnings = schemas.register_schemas(DOCUMENTS, roster.groups.values(), year, report_date)
    problems += schemas.validate(raw, errors, **where, header_row=layout.header_row + 1)
    problems += schemas.validate(raw, warnings, **where, header_row=layout.header_row + 1, severity=WARNING)
    units, found = _units(raw, roster, year, where)
    problems += found
    warnings = raise_if_errors(problems)
    return _tidy(raw, units, roster.groups), warnings


def empty() -> pd.DataFrame:
    """A register with no unit, in the columns `load_register` gives (`_tidy`): what the facts of a register that
    could not be read are computed from, so that a check still knows every placeholder name."""
    return pd.DataFrame(columns=["group", "unit"] + [f"{doc}_{part}" for doc in DOCUMENTS for part in ("number", "date")])


def _tidy(raw: pd.DataFrame, units: dict, groups: dict[str, str]) -> pd.DataFrame:
    records = []
    group_of_title = {title: key for key, title in groups.items()}
    for row, cells in raw.iterrows():
        unit = units[row]
        record = {"row": row, "group": group_of_title[cells[GROUP]], "name": cells[NAME], "unit": unit.name, "slug": unit.slug}
        for doc, title in DOCUMENTS.items():
            date = cells[register_column(title, DATE_HEADER)]
            record[f"{doc}_number"] = cells[register_column(title, NUMBER_HEADER)]
            record[f"{doc}_date"] = parse_date(date)
            record[f"{doc}_date_text"] = date.strftime("%d/%m/%Y") if isinstance(date, dt.date) else date
        records.append(record)
    return pd.DataFrame.from_records(records)
