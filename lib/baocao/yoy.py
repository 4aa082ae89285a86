"""Year on year across a change of the unit lists: last year's figures mapped onto this year's units.

After the 2025 mergers (63 → 34 provinces from 01/7/2025, 30 → 22 ministries from 01/3/2025) last year's
figures belong to units that no longer exist. Each of this year's units takes the figures of its forerunners
(`UnitRegistry.forerunners`), combined only in the ways that keep their meaning:
- a count (số lượng) is the sum over the forerunners;
- a share (tỷ lệ) is recomputed from the summed numerators and denominators, never averaged;
- an index (chỉ số: PAR INDEX, SIPAS) is never summed or averaged as it is: only a weighted mean with
  weights the analyst supplies (population, number surveyed…), whose basis the report states; otherwise the
  report says "không so sánh được".
A unit with a single forerunner compares directly. Submissions compare by share, never by raw count, since
the number of units that must report changed; a merged unit's forerunners' submissions are summed.

Last year's files were checked when last year's report was made: their errors stop this report too, their
warnings are not repeated.
"""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

import pandas as pd

from . import vnformat
from .indicators import COUNT, SHARE, Indicator, with_unit
from .markdown import escape
from .params import Params
from .weights import Weights
from .stats import document_stats
from .units import Unit, UnitRegistry
from .vocabulary import DOCUMENTS, GROUP_WORDS, GROUPS, UNIT_GROUP

if TYPE_CHECKING:
    from .inputs import Previous

NOT_COMPARABLE = "không so sánh được"

# --- indicators ------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Mapped:
    """Last year's figure of one indicator on this year's unit, or (value None) why there is none."""

    value: Decimal | None
    method: str  # "direct", "sum", "recomputed", "weighted" or "none"
    note: str  # how the value was made, or why it cannot be compared (Vietnamese)
    decimals: int = 0
    illustrative: bool = False


def _none(why: str) -> Mapped:
    return Mapped(None, "none", why)


def map_indicator(key: str, kind: str, forerunners: list[str], previous: dict[str, dict[str, Indicator]],
                  weights: Weights, year: int) -> Mapped:
    """Indicator `key` of `year` on the unit that `forerunners` (unit names of `year`) became."""
    if not forerunners:
        return _none(f"không có đơn vị nào của năm {year} trước đây thuộc đơn vị này")
    found = {name: previous.get(name, {}).get(key) for name in forerunners}
    missing = [name for name, indicator in found.items() if indicator is None]
    if missing:
        return _none(f"thiếu số liệu năm {year} của {vnformat.join_and(missing)}")
    olds = list(found.values())
    if any(old.kind != kind for old in olds):
        return _none(f"loại chỉ số năm {year} ({', '.join(sorted({o.kind for o in olds}))}) khác năm nay ({kind})")
    decimals, illustrative = max(old.decimals() for old in olds), any(old.illustrative for old in olds)
    if len(olds) == 1:
        return Mapped(olds[0].computed_value, "direct", "", decimals, illustrative)
    names = vnformat.join_and(forerunners)
    if kind == COUNT:
        return Mapped(sum((old.value for old in olds), Decimal(0)), "sum",
                      f"cộng số liệu của {names}", decimals, illustrative)
    if kind == SHARE:
        lacking = [name for name, old in found.items() if old.numerator is None]
        if lacking:
            return _none(f"thiếu tử số, mẫu số năm {year} của {vnformat.join_and(lacking)}; "
                                    "tỷ lệ không lấy trung bình được")
        numerator = sum((old.numerator for old in olds), Decimal(0))
        denominator = sum((old.denominator for old in olds), Decimal(0))
        return Mapped(numerator / denominator * 100, "recomputed",
                      f"tính lại từ tổng tử số ({vnformat.number(numerator)}) và tổng mẫu số "
                      f"({vnformat.number(denominator)}) của {names}", decimals, illustrative)
    chosen = {name: weights.get((name, key)) or weights.get((name, "")) for name in forerunners}
    lacking = [name for name, weight in chosen.items() if weight is None]
    if lacking:
        return _none("chỉ số không cộng và không lấy trung bình được khi không có trọng số"
                                + (f" của {vnformat.join_and(lacking)}" if len(lacking) < len(forerunners) else ""))
    total = sum((weight.value for weight in chosen.values()), Decimal(0))
    value = sum((chosen[name].value * old.computed_value for name, old in found.items()), Decimal(0)) / total
    bases = vnformat.join_and(dict.fromkeys(weight.basis for weight in chosen.values()))
    return Mapped(value, "weighted", f"bình quân gia quyền theo {bases} của {names}", decimals,
                  illustrative or any(weight.illustrative for weight in chosen.values()))


@dataclass(frozen=True)
class IndicatorComparison:
    """This year's indicator beside last year's figure mapped onto the same unit."""

    current: Indicator
    mapped: Mapped
    year: int  # the year compared with

    @property
    def against(self) -> Indicator:
        """This year's indicator with the mapped figure as its previous value, so that the change is
        computed and worded as everywhere else (relative for a count, in points otherwise)."""
        return dataclasses.replace(self.current, previous=self.mapped.value, year=self.year + 1)

    def previous_text(self) -> str:
        if self.mapped.value is None:
            return NOT_COMPARABLE
        return with_unit(vnformat.number(self.mapped.value, self.mapped.decimals), self.current.unit)

    def current_text(self) -> str:
        return self.current.text_with_unit()

    def change_text(self, percentage_points: str) -> str:
        return NOT_COMPARABLE if self.mapped.value is None else self.against.change_text(percentage_points)

    def facts(self, percentage_points: str) -> dict:
        change = None if self.mapped.value is None else self.against.change()[0]
        return {"key": self.current.key, "name": self.current.name, "kind": self.current.kind,
                "previous": None if self.mapped.value is None else float(self.mapped.value),
                "previous_text": self.previous_text(), "method": self.mapped.method, "note": self.mapped.note,
                "current": float(self.current.computed_value),
                "current_text": self.current_text(),
                "change": None if change is None else float(change),
                "change_text": self.change_text(percentage_points),
                "illustrative": self.current.illustrative or self.mapped.illustrative}


def compare_indicators(current: dict[str, Indicator], previous: dict[str, dict[str, Indicator]],
                       forerunners: list[str], weights: Weights, year: int) -> list[IndicatorComparison]:
    """Every indicator of the unit this year, beside its forerunners' figures of `year`."""
    return [IndicatorComparison(indicator, map_indicator(key, indicator.kind, forerunners, previous, weights, year), year)
            for key, indicator in current.items()]


# --- submissions -----------------------------------------------------------------------------------------

def _received(rows: pd.DataFrame, doc: str) -> dict:
    stats = document_stats(rows, doc, None)
    total = len(rows)
    return {"received": stats["received"], "total": total, "share": stats["received_share"],
            "fraction": vnformat.fraction(stats["received"], total), "share_text": vnformat.percent(stats["received"], total)}


def compare_submissions(previous: pd.DataFrame, current: pd.DataFrame, percentage_points: str) -> dict:
    """group → document → last year's and this year's received/total and share, and the change in points."""
    facts = {}
    for group in GROUPS:
        facts[group] = {}
        for doc in DOCUMENTS:
            before, now = (_received(frame[frame["group"] == group], doc) for frame in (previous, current))
            change = (Decimal(now["received"]) / now["total"] - Decimal(before["received"]) / before["total"]) * 100
            facts[group][doc] = {"previous": before, "current": now, "change_points": float(change),
                                 "change_text": vnformat.points_change(change, percentage_points)}
    return facts


def _changed(unit: Unit, forerunners: list[Unit]) -> bool:
    """Whether the unit differs from last year's: merged, renamed or new (not one unit of the same name)."""
    return [old.name for old in forerunners] != [unit.name]


def _register_units(register: pd.DataFrame, registry: UnitRegistry, year: int) -> list[tuple[pd.Series, Unit]]:
    by_name = {(group, unit.name): unit for group, unit_group in UNIT_GROUP.items()
               for unit in registry.expected(unit_group, year)}
    return [(row, by_name[row["group"], row["unit"]]) for _, row in register.iterrows()]


def compare_merged_units(previous: pd.DataFrame, current: pd.DataFrame, registry: UnitRegistry,
                         previous_year: int, year: int) -> list[dict]:
    """Each merged or renamed unit: how many of its forerunners sent each document last year, and whether it
    sent it this year (a merged ministry compares with the sum of its forerunners)."""
    facts = []
    for row, unit in _register_units(current, registry, year):
        olds = registry.forerunners(unit, previous_year)
        if not _changed(unit, olds):
            continue
        before = previous[(previous["group"] == row["group"]) & previous["unit"].isin([old.name for old in olds])]
        sent = {doc: int((before[f"{doc}_number"] != "").sum()) for doc in DOCUMENTS}
        documents = {doc: {"previous_received": sent[doc], "previous_total": len(olds),
                           "previous": vnformat.fraction(sent[doc], len(olds)), "current": row[f"{doc}_number"] != ""}
                     for doc in DOCUMENTS}
        facts.append({"group": row["group"], "unit": unit.name, "forerunners": [old.name for old in olds],
                      "note": predecessor_note(registry, unit, previous_year)} | documents)
    return facts


# --- who a unit was ----------------------------------------------------------------------------------------

def predecessor_note(registry: UnitRegistry, unit: Unit, previous_year: int) -> str | None:
    """"Tỉnh Tây Ninh (mới) gồm Tây Ninh và Long An trước ngày 01/7/2025", or None for a unit that was one
    unit of the same name in `previous_year`. The date is the day its list took effect (eras.csv)."""
    olds = registry.forerunners(unit, previous_year)
    if not olds or not _changed(unit, olds):
        return None
    title = f"{unit.kind.capitalize()} {unit.name}" if unit.group == "province" else unit.name
    since = vnformat.date_short(registry.era_of(unit).start_date)
    names = vnformat.join_and(old.name for old in olds)
    if len(olds) == 1:
        return f"{title} trước ngày {since} là {names}"
    return f"{title} (mới) gồm {names} trước ngày {since}"


def register_notes(register: pd.DataFrame, registry: UnitRegistry, year: int, previous_year: int) -> dict[str, str]:
    """Unit name → its predecessor note, for every merged or renamed unit of the register."""
    notes = {unit.name: predecessor_note(registry, unit, previous_year) for _, unit in _register_units(register, registry, year)}
    return {name: note for name, note in notes.items() if note}


# --- the comparison a report prints ------------------------------------------------------------------------

@dataclass
class Comparison:
    year: int  # the year compared with
    submissions: dict | None = None  # compare_submissions
    merged_units: list[dict] = dataclasses.field(default_factory=list)
    indicators: list[IndicatorComparison] = dataclasses.field(default_factory=list)
    note: str | None = None  # the report's own unit's predecessor note

    def facts(self, percentage_points: str) -> dict:
        return {"year": self.year, "submissions": self.submissions, "merged_units": self.merged_units,
                "indicators": [row.facts(percentage_points) for row in self.indicators], "unit_note": self.note}


def compare(params: Params, register: pd.DataFrame | None, indicators: dict[str, Indicator], previous: Previous,
            registry: UnitRegistry | None = None) -> Comparison:
    """What `params.compare` asks for, from last year's files as `inputs` read them (`previous`): the national
    submissions against last year's register, and a province's own indicators against its forerunners'
    (summed, recomputed or weighted)."""
    registry = registry or UnitRegistry.load()
    pp = params.wording.percentage_points
    comparison = Comparison(year=previous.year)
    if previous.register is not None and register is not None:
        comparison.submissions = compare_submissions(previous.register, register, pp)
        comparison.merged_units = compare_merged_units(previous.register, register, registry, previous.year, params.year)
    unit = params.unit_record
    if unit is not None:
        comparison.note = predecessor_note(registry, unit, previous.year)
    if previous.indicators is not None and unit is not None:
        comparison.indicators = compare_indicators(indicators, previous.indicators, forerunner_names(registry, unit, previous.year),
                                                   previous.weights, previous.year)
    return comparison


def forerunner_names(registry: UnitRegistry, unit: Unit, year: int) -> list[str]:
    """The names, in `year`, of the units that became `unit`."""
    return [old.name for old in registry.forerunners(unit, year)]


# WIDTHS: pandoc sizes the columns of a pipe table whose rows are long by the dashes under each header, so
# the separator lines give the long texts (document, indicator name, change) the wider columns.


def submissions_table(comparison: Comparison) -> str:
    """Received/total and share per group and document, last year beside this year."""
    year = comparison.year
    lines = [f"| Nhóm | Văn bản | Năm {year} | Năm {year + 1} | Thay đổi tỷ lệ |",
             "|:-------|:----------|:--------:|:--------:|:---------:|"]  # widths 16/22/20/20/22 %: see WIDTHS
    for group, documents in comparison.submissions.items():
        for doc, c in documents.items():
            cells = [GROUP_WORDS[group].capitalize(), DOCUMENTS[doc]] + [
                f"{c[when]['fraction']} ({c[when]['share_text']})" for when in ("previous", "current")] + [c["change_text"]]
            lines.append("| " + " | ".join(escape(cell) for cell in cells) + " |")
    return "\n".join(lines)


def indicators_table(comparison: Comparison, percentage_points: str) -> str:
    """A unit's indicators: last year's mapped figure, this year's, the change or "không so sánh được"."""
    year = comparison.year
    lines = [f"| Chỉ số | Năm {year} | Năm {year + 1} | Thay đổi |",
             "|:-----------------|:-------:|:-------:|:------------:|"]  # widths 36/18/18/28 %: see WIDTHS
    for row in comparison.indicators:
        cells = [row.current.name, row.previous_text(), row.current_text(), row.change_text(percentage_points)]
        lines.append("| " + " | ".join(escape(cell) for cell in cells) + " |")
    return "\n".join(lines)


def indicator_notes(comparison: Comparison) -> list[str]:
    """One sentence per figure that is not last year's own: how it was made, or why it cannot be compared."""
    return [f"«{escape(row.current.name)}» năm {comparison.year}: {escape(row.mapped.note)}."
            for row in comparison.indicators if row.mapped.note]
