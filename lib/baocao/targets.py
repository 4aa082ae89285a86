"""A unit's own rows of the shared per-unit tables, and its targets judged against its indicators.

Provinces keep one table for all of them (`chi-so-tinh.csv`, `chi-tieu.csv`) whose first column, «Đơn vị»,
names the province; the name is matched through the unit registry, so "TP Hồ Chí Minh" and "Thành phố Hồ
Chí Minh" are the same unit, and a name the registry does not know is an error with its row. A target says
what an indicator must reach ("trên 90%"), with the comparison written in the data, so whether a province
"Đạt" is computed, never typed.
"""
from __future__ import annotations

import csv
import operator
import tempfile
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

from . import vnformat
from .errors import BaocaoError, Problem, raise_if_errors
from .indicators import YES_NO, Indicator, read_indicators
from .markdown import escape
from .readers import Sheet, read_sheets
from .units import Unit, UnitNameError, UnitRegistry

UNIT_COLUMN = "Đơn vị"
COLUMNS = {
    "unit": UNIT_COLUMN, "code": "Mã chỉ tiêu", "text": "Nội dung chỉ tiêu", "operator": "Phép so sánh",
    "level": "Mức chỉ tiêu", "measure": "Đơn vị tính", "indicator": "Mã chỉ số", "source": "Nguồn",
    "illustrative": "Minh họa",
}
# Comparison → (test, how the level reads in the table: "Trên 90%").
OPERATORS = {
    "=": (operator.eq, "{}"), ">": (operator.gt, "Trên {}"), ">=": (operator.ge, "Từ {} trở lên"),
    "<": (operator.lt, "Dưới {}"), "<=": (operator.le, "Không quá {}"),
}
MET, NOT_MET = "Đạt", "Không đạt"
TABLE_HEADER = ("Chỉ tiêu", "Mức chỉ tiêu", "Kết quả", "Đánh giá")


def _cell(row: list, index: int) -> str:
    return str(row[index] if index < len(row) and row[index] is not None else "").strip()


def unit_rows(sheet: Sheet, unit: Unit, year: int) -> tuple[list[int], list[Problem]]:
    """Indexes of the rows about `unit`, by the first column «Đơn vị»; unknown names are errors."""
    header = [_cell(sheet.rows[0], i) for i in range(len(sheet.rows[0]))] if sheet.rows else []
    if not header or header[0] != UNIT_COLUMN:
        return [], [Problem(file=sheet.file, sheet=sheet.name, row=1, column=UNIT_COLUMN,
                            message=f"cột đầu tiên phải là «{UNIT_COLUMN}» (tên tỉnh, thành phố)")]
    registry, rows, problems = UnitRegistry.load(), [], []
    for index, row in enumerate(sheet.rows[1:], start=1):
        name = _cell(row, 0)
        if not any(_cell(row, i) for i in range(len(row))):
            continue
        try:
            if registry.resolve(name, unit.group, year) == unit:
                rows.append(index)
        except UnitNameError as exc:
            problems.append(Problem(file=sheet.file, sheet=sheet.name, row=index + 1, column=UNIT_COLUMN,
                                    value=name, message=str(exc)))
    return rows, problems


def read_unit_indicators(path: Path, unit: Unit, year: int) -> tuple[dict[str, Indicator], list[Problem]]:
    """The unit's indicators from a table laid out as the national one behind a first column «Đơn vị».

    The unit's rows are handed to the national reader unchanged (without the first column), and any
    problem it finds is mapped back to the shared file's own row numbers.
    """
    sheet = read_sheets(path)[0]
    rows, problems = unit_rows(sheet, unit, year)
    raise_if_errors(problems)
    with tempfile.TemporaryDirectory() as folder:
        subset = Path(folder) / Path(path).with_suffix(".csv").name
        with subset.open("w", encoding="utf-8", newline="") as handle:
            csv.writer(handle).writerows([sheet.rows[0][1:]] + [sheet.rows[i][1:] for i in rows])
        try:
            indicators, found = read_indicators(subset)
        except BaocaoError as exc:
            raise BaocaoError(_mapped(exc.problems, sheet, rows)) from None
    return indicators, problems + _mapped(found, sheet, rows)


def _mapped(problems: list[Problem], sheet: Sheet, rows: list[int]) -> list[Problem]:
    """Problems about the subset, pointing at the shared file's rows (subset row 1 is the header)."""
    return [Problem(file=sheet.file, sheet=sheet.name, message=p.message, column=p.column, value=p.value,
                    severity=p.severity, row=p.row if p.row in (None, 1) else rows[p.row - 2] + 1)
            for p in problems]


@dataclass(frozen=True)
class Target:
    code: str
    text: str
    operator: str
    level: Decimal
    measure: str
    indicator: str
    source: str
    illustrative: bool

    def level_text(self) -> str:
        """"Trên 90%", "100%": the level as the plan words it."""
        amount = vnformat.trimmed(self.level, 2) + ("%" if self.measure == "%" else f" {self.measure}")
        return OPERATORS[self.operator][1].format(amount)


@dataclass(frozen=True)
class Result:
    target: Target
    indicator: Indicator

    @property
    def met(self) -> bool:
        """Judged on the exact value (a share from its numerator and denominator), not on the rounded print."""
        return OPERATORS[self.target.operator][0](self.indicator.computed_value, self.target.level)

    @property
    def verdict(self) -> str:
        return MET if self.met else NOT_MET

    def value_text(self) -> str:
        text = self.indicator.value_text()
        return text if self.indicator.unit == "%" else f"{text} {self.indicator.unit}"

    def facts(self) -> dict:
        t = self.target
        return {"code": t.code, "text": t.text, "operator": t.operator, "level": float(t.level),
                "level_text": t.level_text(), "indicator": t.indicator, "value": float(self.indicator.computed_value),
                "value_text": self.value_text(), "met": self.met, "verdict": self.verdict, "source": t.source,
                "illustrative": t.illustrative or self.indicator.illustrative}


def read_targets(path: Path, unit: Unit, year: int, indicators: dict[str, Indicator]) -> list[Result]:
    """The unit's targets, each judged against its indicator; every bad cell is reported at once."""
    sheet = read_sheets(path)[0]
    header = [_cell(sheet.rows[0], i) for i in range(len(sheet.rows[0]))] if sheet.rows else []
    raise_if_errors(Problem(file=sheet.file, sheet=sheet.name, row=1, column=title, message="thiếu cột")
                    for title in COLUMNS.values() if title not in header)
    rows, problems = unit_rows(sheet, unit, year)
    index = {field: header.index(title) for field, title in COLUMNS.items()}
    results, seen = [], set()
    for number in rows:
        cells = {field: _cell(sheet.rows[number], i) for field, i in index.items()}
        where = dict(file=sheet.file, sheet=sheet.name, row=number + 1)
        found = []
        if cells["operator"] not in OPERATORS:
            found.append(Problem(**where, column=COLUMNS["operator"], value=cells["operator"],
                                 message="phép so sánh phải là một trong: " + " ".join(OPERATORS)))
        try:
            level = Decimal(cells["level"])
        except InvalidOperation:
            found.append(Problem(**where, column=COLUMNS["level"], value=cells["level"],
                                 message="cần một số viết kiểu máy (dấu chấm thập phân), ví dụ 90"))
        if cells["indicator"] not in indicators:
            found.append(Problem(**where, column=COLUMNS["indicator"], value=cells["indicator"],
                                 message=f"đơn vị không có chỉ số mã này; có: {', '.join(indicators) or 'không có chỉ số nào'}"))
        if cells["code"] in seen:
            found.append(Problem(**where, column=COLUMNS["code"], value=cells["code"], message="mã chỉ tiêu bị trùng"))
        if cells["illustrative"].casefold() not in YES_NO:
            found.append(Problem(**where, column=COLUMNS["illustrative"], value=cells["illustrative"],
                                 message="ghi «có» hoặc «không»"))
        seen.add(cells["code"])
        problems += found
        if not found:
            target = Target(code=cells["code"], text=cells["text"], operator=cells["operator"], level=level,
                            measure=cells["measure"], indicator=cells["indicator"], source=cells["source"],
                            illustrative=YES_NO[cells["illustrative"].casefold()])
            results.append(Result(target, indicators[target.indicator]))
    raise_if_errors(problems)
    return results


def targets_table(results: list[Result]) -> str:
    """The targets-vs-results pipe table (Chỉ tiêu | Mức chỉ tiêu | Kết quả | Đánh giá)."""
    lines = ["| " + " | ".join(TABLE_HEADER) + " |", "|:---|:---:|:---:|:---:|"]
    lines += [f"| {escape(r.target.text)} | {escape(r.target.level_text())} | {escape(r.value_text())} | {r.verdict} |"
              for r in results]
    return "\n".join(lines)
