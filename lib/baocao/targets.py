"""A unit's targets judged against its indicators: whether a province "Đạt" is computed, never typed.

Provinces keep one table for all of them (`chi-so-tinh.csv`, `chi-tieu.csv`); `indicators` reads and
validates the whole of each (names matched through the unit registry), and this module takes one unit's
rows. A target says what an indicator must reach ("trên 90%") with the comparison written in the data.
"""
from __future__ import annotations

import operator
from decimal import Decimal
from dataclasses import dataclass, field
from pathlib import Path

from . import schemas, vnformat
from .errors import Problem, raise_if_errors
from .filecache import by_file
from .indicators import YES_NO, Indicator, resolve_units, validated_table
from .markdown import escape
from .units import Unit, UnitRegistry

# Comparison → (test, how the level reads in the table: "Trên 90%").
OPERATORS = {
    "=": (operator.eq, "{}"), ">": (operator.gt, "Trên {}"), ">=": (operator.ge, "Từ {} trở lên"),
    "<": (operator.lt, "Dưới {}"), "<=": (operator.le, "Không quá {}"),
}
MET, NOT_MET = "Đạt", "Không đạt"
TABLE_HEADER = ("Chỉ tiêu", "Mức chỉ tiêu", "Kết quả", "Đánh giá")


@dataclass(frozen=True)
class Target:
    """A unit's target for the year ("tỷ lệ hồ sơ trực tuyến >= 80%"), optionally tied to an indicator."""

    unit: str
    key: str
    text: str
    comparison: str
    level: Decimal
    measure: str
    indicator: str | None
    source: str
    illustrative: bool
    row: int | None = field(default=None, compare=False)  # the row of its table, for messages


@by_file
def read_targets(path: Path, year: int, registry: UnitRegistry | None = None) -> tuple[list[Target], list[Problem]]:
    """The targets table (see data/README.md); all errors are raised at once."""
    frame, where, problems = validated_table(path, schemas.TARGETS)
    units, found = resolve_units(frame, schemas.UNIT, "Mã chỉ tiêu", year, registry, where)
    raise_if_errors(problems + found)
    targets = [Target(unit=units[row], key=c["Mã chỉ tiêu"], text=c["Nội dung chỉ tiêu"], comparison=c["Phép so sánh"],
                      level=Decimal(c["Mức chỉ tiêu"]), measure=c["Đơn vị tính"], indicator=c["Mã chỉ số"] or None,
                      source=c["Nguồn"], illustrative=YES_NO[c["Minh họa"].casefold()], row=row)
               for row, c in frame.iterrows()]
    return targets, problems


def level_text(target: Target) -> str:
    """"Trên 90%", "100%": the level as the plan words it."""
    amount = vnformat.trimmed(target.level, 2) + ("%" if target.measure == "%" else f" {target.measure}")
    return OPERATORS[target.comparison][1].format(amount)


@dataclass(frozen=True)
class Result:
    target: Target
    indicator: Indicator

    @property
    def met(self) -> bool:
        """Judged on the exact value (a share from its numerator and denominator), not on the rounded print."""
        return OPERATORS[self.target.comparison][0](self.indicator.computed_value, self.target.level)

    @property
    def verdict(self) -> str:
        return MET if self.met else NOT_MET

    def value_text(self) -> str:
        return self.indicator.text_with_unit()

    def facts(self) -> dict:
        t = self.target
        return {"code": t.key, "text": t.text, "operator": t.comparison, "level": float(t.level),
                "level_text": level_text(t), "indicator": t.indicator, "value": float(self.indicator.computed_value),
                "value_text": self.value_text(), "met": self.met, "verdict": self.verdict, "source": t.source,
                "illustrative": t.illustrative or self.indicator.illustrative}


def own_targets(path: Path, unit: Unit, year: int, indicators: dict[str, Indicator]) -> tuple[list[Target], list[Problem]]:
    """The unit's rows of the shared targets table; a target naming no indicator of the unit is an error."""
    targets, warnings = read_targets(path, year)
    mine = [t for t in targets if t.unit == unit.name]
    raise_if_errors(Problem(file=str(path), row=t.row, column="Mã chỉ số", value=t.indicator or "",
                            message=f"chỉ tiêu «{t.key}» của {unit.name} cần một chỉ số của đơn vị; có: "
                                    + (", ".join(indicators) or "không có chỉ số nào"))
                    for t in mine if t.indicator not in indicators)
    return mine, warnings


def judge(targets: list[Target], indicators: dict[str, Indicator]) -> list[Result]:
    """Each target beside the indicator it is judged against."""
    return [Result(t, indicators[t.indicator]) for t in targets]


def targets_table(results: list[Result]) -> str:
    """The targets-vs-results pipe table (Chỉ tiêu | Mức chỉ tiêu | Kết quả | Đánh giá)."""
    lines = ["| " + " | ".join(TABLE_HEADER) + " |", "|:---|:---:|:---:|:---:|"]
    lines += [f"| {escape(r.target.text)} | {escape(level_text(r.target))} | {escape(r.value_text())} | {r.verdict} |"
              for r in results]
    return "\n".join(lines)
