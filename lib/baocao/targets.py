"""A unit's targets judged against its indicators: whether a province "Đạt" is computed, never typed.

Provinces keep one table for all of them (`chi-so-tinh.csv`, `chi-tieu.csv`); `indicators` reads and
validates the whole of each (names matched through the unit registry), and this module takes one unit's
rows. A target says what an indicator must reach ("trên 90%") with the comparison written in the data.
"""
from __future__ import annotations

import operator
from dataclasses import dataclass
from pathlib import Path

from . import vnformat
from .errors import Problem, raise_if_errors
from .indicators import Indicator, Target, read_targets, read_unit_indicators
from .markdown import Table
from .units import Unit

# Comparison → (test, how the level reads in the table: "Trên 90%").
OPERATORS = {
    "=": (operator.eq, "{}"), ">": (operator.gt, "Trên {}"), ">=": (operator.ge, "Từ {} trở lên"),
    "<": (operator.lt, "Dưới {}"), "<=": (operator.le, "Không quá {}"),
}
MET, NOT_MET = "Đạt", "Không đạt"
TABLE_HEADER = ("Chỉ tiêu", "Mức chỉ tiêu", "Kết quả", "Đánh giá")


def unit_indicators(path: Path, unit: Unit, year: int) -> tuple[dict[str, Indicator], list[Problem]]:
    """The unit's own indicators from the shared per-unit table (validated as a whole)."""
    table, warnings = read_unit_indicators(path, year)
    return table.get(unit.name, {}), warnings


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


def unit_targets(path: Path, unit: Unit, year: int, indicators: dict[str, Indicator]) -> tuple[list[Result], list[Problem]]:
    """The unit's targets, each judged against its indicator; a target naming no indicator of the unit is an error."""
    targets, warnings = read_targets(path, year)
    mine = [t for t in targets if t.unit == unit.name]
    raise_if_errors(Problem(file=str(path), column="Mã chỉ số", value=t.indicator or "",
                            message=f"chỉ tiêu «{t.key}» của {unit.name} cần một chỉ số của đơn vị; có: "
                                    + (", ".join(indicators) or "không có chỉ số nào"))
                    for t in mine if t.indicator not in indicators)
    return [Result(t, indicators[t.indicator]) for t in mine], warnings


def targets_rows(facts: list[dict]) -> Table:
    """Chỉ tiêu | Mức chỉ tiêu | Kết quả | Đánh giá, one row per target's facts (`Result.facts`)."""
    return Table(TABLE_HEADER, tuple((t["text"], t["level_text"], t["value_text"], t["verdict"]) for t in facts),
                 "|:---|:---:|:---:|:---:|")


def targets_table(results: list[Result]) -> str:
    """The targets-vs-results pipe table."""
    return targets_rows([r.facts() for r in results]).markdown()
