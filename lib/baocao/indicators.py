"""National and per-unit indicators, and their year-on-year change computed the right way for each kind.

Counts change relatively ("giảm 7% so với năm 2023"), indexes in percentage points ("tăng 0,33 điểm phần
trăm"), shares are recomputed from numerator and denominator. A change is never invented: without last
year's value the change stated by the source is used, and without that the text says so.
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

from . import vnformat
from .errors import WARNING, Problem, raise_if_errors
from .readers import read_sheets

COLUMNS = {
    "key": "Mã chỉ số", "name": "Tên chỉ số", "year": "Năm", "value": "Giá trị", "unit": "Đơn vị",
    "kind": "Loại", "numerator": "Tử số", "denominator": "Mẫu số", "previous": "Giá trị năm trước",
    "stated_change": "Thay đổi theo nguồn (%)", "source": "Nguồn", "illustrative": "Minh họa",
}
COUNT, INDEX, SHARE = "số lượng", "chỉ số", "tỷ lệ"
KINDS = (COUNT, INDEX, SHARE)
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
        if change == 0:
            return f"không đổi {since}"
        direction = "tăng" if change > 0 else "giảm"
        if self.kind == COUNT:
            return f"{direction} {vnformat.trimmed(abs(change), 1)}% {since}"
        return f"{direction} {vnformat.number(abs(change), 2)} {percentage_points} {since}"

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


def _decimal(text: str) -> Decimal | None:
    return Decimal(text) if text != "" else None


def read_indicators(path: Path) -> tuple[dict[str, Indicator], list[Problem]]:
    """Read an indicator table and return it with its warnings; all errors are raised at once."""
    sheet = read_sheets(path)[0]
    header = [str(c or "").strip() for c in sheet.rows[0]] if sheet.rows else []
    problems = [Problem(file=sheet.file, sheet=sheet.name, row=1, column=title, message="thiếu cột")
                for title in COLUMNS.values() if title not in header]
    raise_if_errors(problems)
    index = {field: header.index(title) for field, title in COLUMNS.items()}
    indicators: dict[str, Indicator] = {}
    for number, row in enumerate(sheet.rows[1:], start=2):
        cells = {f: str(row[i] if i < len(row) and row[i] is not None else "").strip() for f, i in index.items()}
        if not any(cells.values()):
            continue
        where = dict(file=sheet.file, sheet=sheet.name, row=number)
        values = {}
        for field in ("value", "numerator", "denominator", "previous", "stated_change"):
            try:
                values[field] = _decimal(cells[field])
            except InvalidOperation:
                problems.append(Problem(**where, column=COLUMNS[field], value=cells[field],
                                        message="cần một số viết kiểu máy (dấu chấm thập phân, không dấu phân cách nghìn), ví dụ 84.38"))
        if cells["kind"] not in KINDS:
            problems.append(Problem(**where, column=COLUMNS["kind"], value=cells["kind"],
                                    message="loại phải là một trong: " + ", ".join(KINDS)))
        if cells["key"] in indicators:
            problems.append(Problem(**where, column=COLUMNS["key"], value=cells["key"], message="mã chỉ số bị trùng"))
        if values.get("value") is None and "value" in values:
            problems.append(Problem(**where, column=COLUMNS["value"], message="thiếu giá trị"))
        if len(values) < 5 or cells["kind"] not in KINDS or values["value"] is None or cells["key"] in indicators:
            continue
        indicator = Indicator(key=cells["key"], name=cells["name"], year=int(cells["year"]), unit=cells["unit"],
                              kind=cells["kind"], source=cells["source"],
                              illustrative=YES_NO.get(cells["illustrative"].casefold(), False), **values)
        if indicator.kind == SHARE and indicator.computed_value.quantize(indicator.value) != indicator.value:
            problems.append(Problem(**where, column=COLUMNS["value"], value=cells["value"], severity=WARNING,
                                    message=f"tử số/mẫu số cho {vnformat.number(indicator.computed_value, indicator.decimals())}; báo cáo in giá trị tính lại"))
        indicators[indicator.key] = indicator
    return indicators, raise_if_errors(problems)
