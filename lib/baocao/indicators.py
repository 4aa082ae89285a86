"""National and per-unit indicators, and their year-on-year change computed the right way for each kind.

Counts change relatively ("giảm 7% so với năm 2023"), indexes in percentage points ("tăng 0,33 điểm phần
trăm"), shares are recomputed from numerator and denominator. A change is never invented: without last
year's value the change stated by the source is used, and without that the text says so.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import pandas as pd

from . import schemas, vnformat
from .filecache import by_file
from .errors import WARNING, Problem, raise_if_errors
from .readers import header_frame, read_table
from .units import Unit, UnitNameError, UnitRegistry

COLUMNS = schemas.INDICATOR_FIELDS
COUNT, INDEX, SHARE = schemas.KINDS
YES_NO = {"có": True, "không": False, "": False}


@dataclass(frozen=True)
class Indicator:
    key: str
    name: str
    year: int
    value: Decimal
    unit: str
    kind: str
    numerator: Decimal | None
    denominator: Decimal | None
    previous: Decimal | None
    stated_change: Decimal | None
    source: str
    illustrative: bool
    row: int | None = field(default=None, compare=False)  # the row of its table, for messages

    @property
    def computed_value(self) -> Decimal:
        """A share is what its numerator and denominator say, whatever figure was typed beside them."""
        if self.kind == SHARE and self.numerator is not None and self.denominator:
            return self.numerator / self.denominator * 100
        return self.value

    def decimals(self) -> int:
        return max(0, -self.value.as_tuple().exponent)

    def value_text(self) -> str:
        text = vnformat.number(self.computed_value, self.decimals())
        return text + "%" if self.unit == "%" else text

    def text_with_unit(self) -> str:
        """The value with its unit of measure, as a table cell shows it."""
        return with_unit(vnformat.number(self.computed_value, self.decimals()), self.unit)

    def change(self) -> tuple[Decimal | None, str]:
        """(change, basis): basis is "computed" from last year's value, "stated" by the source, or "none"."""
        if self.previous is not None:
            if self.kind == COUNT:
                return (self.value - self.previous) / self.previous * 100, "computed"
            return self.computed_value - self.previous, "computed"
        if self.stated_change is not None:
            return self.stated_change, "stated"
        return None, "none"

    def change_text(self, percentage_points: str) -> str:
        change, _ = self.change()
        since = f"so với năm {self.year - 1}"
        if change is None:
            return f"chưa có số liệu năm {self.year - 1} để so sánh"
        if self.kind == COUNT and change != 0:
            return f"{'tăng' if change > 0 else 'giảm'} {vnformat.trimmed(abs(change), 1)}% {since}"
        return f"{vnformat.points_change(change, percentage_points)} {since}"

    def facts(self, percentage_points: str) -> dict:
        change, basis = self.change()
        facts = {
            "name": self.name, "year": self.year, "unit": self.unit, "kind": self.kind,
            "value": float(self.computed_value), "value_text": self.value_text(),
            "change": None if change is None else float(change), "change_basis": basis,
            "change_text": self.change_text(percentage_points),
            "previous": None if self.previous is None else float(self.previous),
            "source": self.source, "illustrative": self.illustrative,
        }
        for part in ("numerator", "denominator"):
            value = getattr(self, part)
            facts[part] = None if value is None else float(value)
            facts[f"{part}_text"] = None if value is None else vnformat.number(value)
        return facts


def with_unit(number_text: str, unit: str) -> str:
    """"84,38%", "12.838 lượt": a figure with its unit of measure."""
    return number_text + "%" if unit == "%" else f"{number_text} {unit}"


def _decimal(text: str) -> Decimal | None:
    return Decimal(text) if text != "" else None


def _indicator(cells: pd.Series, row: int) -> Indicator:
    """One validated row (see `schemas.INDICATOR_COLUMNS`) as an Indicator."""
    values = {field: _decimal(cells[COLUMNS[field]]) for field in ("value", "numerator", "denominator", "previous", "stated_change")}
    return Indicator(key=cells[COLUMNS["key"]], name=cells[COLUMNS["name"]], year=int(cells[COLUMNS["year"]]),
                     unit=cells[COLUMNS["unit"]], kind=cells[COLUMNS["kind"]], source=cells[COLUMNS["source"]],
                     illustrative=YES_NO[cells[COLUMNS["illustrative"]].casefold()], row=row, **values)


def _share_warning(indicator: Indicator, where: dict) -> list[Problem]:
    """A share whose printed value disagrees with its own numerator and denominator: the report prints the
    recomputed value, and a reviewer should know the source disagrees with itself."""
    if indicator.kind != SHARE or indicator.computed_value.quantize(indicator.value) == indicator.value:
        return []
    return [Problem(**where, column=COLUMNS["value"], value=str(indicator.value), severity=WARNING,
                    message=f"tử số/mẫu số cho {vnformat.number(indicator.computed_value, indicator.decimals())}; báo cáo in giá trị tính lại")]


def validated_table(path: Path, schema, unit_first: bool = False) -> tuple[pd.DataFrame, dict, list[Problem]]:
    """The table as a frame checked against `schema`; with `unit_first` its first column must be «Đơn vị»."""
    sheet, problems = read_table(path)
    frame, found = header_frame(sheet)
    where = dict(file=sheet.file, sheet=sheet.name)
    if stranger := schemas.unrecognised(frame, schema, **where):
        return frame, where, [stranger]
    frame, unclear = schemas.read_numbers(frame, schema, decimal_comma=sheet.decimal_comma, **where)
    problems += found + unclear
    if unit_first:
        if len(frame.columns) and frame.columns[0] == schemas.UNIT:
            frame.columns = [schemas.UNIT_NAME, *frame.columns[1:]]
        else:
            problems.append(Problem(**where, row=1, column=frame.columns[0] if len(frame.columns) else None,
                                    message=f"cột đầu tiên phải là «{schemas.UNIT}»: tên tỉnh, thành phố"))
            return frame, where, problems
    unread = {(p.row, p.column) for p in unclear}  # said once, as what it is, not again as "not a number"
    problems += [p for p in schemas.validate(frame, schema, **where) + schemas.validate(
        frame, schemas.PLAUSIBLE_INDICATORS, **where, severity=WARNING) if (p.row, p.column) not in unread]
    return frame, where, problems


def read_indicators(path: Path) -> tuple[dict[str, Indicator], list[Problem]]:
    """Read a national indicator table and return it with its warnings; all errors are raised at once."""
    frame, where, problems = validated_table(path, schemas.NATIONAL_INDICATORS)
    raise_if_errors(problems)
    indicators = {}
    for row, cells in frame.iterrows():
        indicator = _indicator(cells, row)
        problems += _share_warning(indicator, where | {"row": row})
        indicators[indicator.key] = indicator
    return indicators, problems


def resolve_units(frame: pd.DataFrame, column: str, key: str, year: int, registry: UnitRegistry | None, where: dict
                  ) -> tuple[dict[int, str], list[Problem]]:
    """The unit each row names (a province as typed), or an error suggesting the closest units; a unit with
    the same `key` twice (however its name is spelled) is an error naming both rows."""
    units, problems = {}, []
    if column not in frame or key not in frame:
        return units, problems  # reported as a missing column
    for row, name in frame[column].items():
        if not name:
            continue  # reported by the schema
        try:
            units[row] = (registry or UnitRegistry.load()).resolve(name, "province", year).name
        except UnitNameError as exc:
            problems.append(Problem(**where, row=row, column=column, value=name, message=str(exc)))
    duplicates = {}
    for row, unit in units.items():
        duplicates.setdefault((unit, frame.at[row, key]), []).append(row)
    for (unit, code), rows in duplicates.items():
        problems += [Problem(**where, row=row, column=key, value=code,
                             message=f"«{code}» của {unit} có hai lần, ở các dòng {', '.join(map(str, rows))}: giữ một dòng")
                     for row in rows if len(rows) > 1]
    return units, problems


@by_file
def read_unit_indicators(path: Path, year: int, registry: UnitRegistry | None = None
                         ) -> tuple[dict[str, dict[str, Indicator]], list[Problem]]:
    """Per-province indicators (the national columns after a first column «Đơn vị»): unit → key → Indicator."""
    frame, where, problems = validated_table(path, schemas.UNIT_INDICATORS, unit_first=True)
    units, found = resolve_units(frame, schemas.UNIT_NAME, COLUMNS["key"], year, registry, where)
    raise_if_errors(problems + found)
    table: dict[str, dict[str, Indicator]] = {}
    for row, cells in frame.iterrows():
        indicator = _indicator(cells, row)
        problems += _share_warning(indicator, where | {"row": row})
        table.setdefault(units[row], {})[indicator.key] = indicator
    return table, problems


def unit_indicators(path: Path, unit: Unit, year: int) -> tuple[dict[str, Indicator], list[Problem]]:
    """The unit's own indicators from the shared per-unit table (validated as a whole)."""
    table, warnings = read_unit_indicators(path, year)
    return table.get(unit.name, {}), warnings


def report_indicators(path: Path, unit: Unit | None, year: int) -> tuple[dict[str, Indicator], list[Problem]]:
    """What a report reads: the national table as is; a unit's report, its own rows of the per-unit table."""
    return read_indicators(path) if unit is None else unit_indicators(path, unit, year)
