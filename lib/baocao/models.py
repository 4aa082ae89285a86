"""«Dân vận khéo» models: how many each unit registered and had recognised, by field, against last year.

The emulation movement «Dân vận khéo» is reported in every report, national or provincial (outline item
«Việc thực hiện phong trào thi đua "Dân vận khéo"…»). Analysts keep one table of models, one row per model
and year, so that last year's rows sit beside this year's (`mo-hinh-dan-van-kheo.csv`):

    Đơn vị,Tên mô hình,Lĩnh vực,Năm,Công nhận,Nguồn,Minh họa
    xã Tân Biên,"Dân vận khéo trong vận động hiến đất làm đường",kinh tế,2025,có,…,có

Every row is a registered model; `Công nhận = có` marks one recognised that year. The field is one of the
movement's four (`FIELDS`). The report prints a sentence with the change on last year, counts by field and
counts by unit (units in Vietnamese order), from the same rows.
"""
from __future__ import annotations

import difflib
from pathlib import Path
from typing import Callable

import pandas as pd
import pandera.pandas as pa

from . import schemas, vnformat
from .collation import sorted_vi
from .errors import Problem, raise_if_errors
from .markdown import escape
from .names import normalize
from .readers import header_frame, read_table
from .units import UnitNameError, UnitRegistry, resolve_any


def national_resolver(year: int) -> Callable[[str], str]:
    """A province or ministry of `year`, by any of its names."""
    registry = UnitRegistry.load()

    return lambda name: resolve_any(name, lambda n: registry.resolve(n, "province", year).name,
                                    lambda n: registry.resolve(n, "ministry", year).name)

UNIT, NAME, FIELD, YEAR, RECOGNISED = "Đơn vị", "Tên mô hình", "Lĩnh vực", "Năm", "Công nhận"
FIELDS = ("kinh tế", "văn hóa – xã hội", "quốc phòng – an ninh", "xây dựng hệ thống chính trị")
_field = schemas._cell(lambda v: normalize(str(v)).casefold() in FIELDS, "một trong: " + ", ".join(FIELDS), name="lĩnh vực")
MODELS = pa.DataFrameSchema({
    UNIT: pa.Column(None, checks=[schemas.FILLED]),
    NAME: pa.Column(None, checks=[schemas.FILLED]),
    FIELD: pa.Column(None, checks=[schemas.FILLED, _field]),
    YEAR: pa.Column(None, checks=[schemas.FILLED, schemas.YEAR]),
    RECOGNISED: pa.Column(None, checks=[schemas.FLAG], required=False),
    "Nguồn": pa.Column(None, checks=[schemas.FILLED]),
    "Minh họa": pa.Column(None, checks=[schemas.FLAG], required=False),
}, strict=True, name="mô hình «Dân vận khéo»")


def read_models(path: Path, year: int, resolve: Callable[[str], str]) -> tuple[pd.DataFrame, list[Problem]]:
    """The models of the table, one row each (unit, field, year, recognised, illustrative); errors are raised
    together. `facts` counts those of `year` and the year before.

    `resolve` names the unit a typed name of `year` means (the report's units: provinces and ministries, or a
    province's sở, ban, ngành and communes) or raises UnitNameError; last year's units, which may since have
    merged, are only counted, never resolved."""
    sheet, problems = read_table(path)
    frame, found = header_frame(sheet)
    problems += found + schemas.validate(frame, MODELS, file=sheet.file, sheet=sheet.name)
    units = {}
    for row, cells in frame.iterrows() if {UNIT, YEAR} <= set(frame.columns) else ():
        if cells[UNIT] and str(cells[YEAR]) == str(year):
            try:
                units[row] = resolve(cells[UNIT])
            except UnitNameError as exc:
                problems.append(Problem(file=sheet.file, sheet=sheet.name, row=row, column=UNIT, value=cells[UNIT], message=str(exc)))
    warnings = raise_if_errors(problems)
    rows = pd.DataFrame({
        "unit": pd.Series(units, index=frame.index, dtype=object).fillna(frame[UNIT].map(normalize)), "field": frame[FIELD].map(lambda v: normalize(v).casefold()),
        "year": frame[YEAR].astype(int),
        "recognised": frame.get(RECOGNISED, pd.Series("", index=frame.index)).str.casefold() == "có",
        "illustrative": frame.get("Minh họa", pd.Series("", index=frame.index)).str.casefold() == "có"})
    if not (rows["year"] == year).any():
        close = difflib.get_close_matches(str(year), [str(y) for y in rows["year"].unique()], n=1)
        warnings.append(Problem(file=sheet.file, sheet=sheet.name, column=YEAR, severity="cảnh báo",
                                message=f"bảng chưa có mô hình nào của năm {year}" + (f" (có năm {close[0]})" if close else "")))
    return rows, warnings


def _counts(rows: pd.DataFrame) -> dict:
    return {"registered": len(rows), "recognised": int(rows["recognised"].sum())}


def empty() -> pd.DataFrame:
    """No models (what a check assumes of an unreadable table, to still know the placeholder names)."""
    return pd.DataFrame({"unit": [], "field": [], "year": [], "recognised": [], "illustrative": []})


def facts(rows: pd.DataFrame, year: int) -> dict:
    now, before = rows[rows["year"] == year], rows[rows["year"] == year - 1]
    return {
        "year": year, "previous_year": year - 1,
        "total": _counts(now), "previous": _counts(before),
        "fields": {field: {"current": _counts(now[now["field"] == field]), "previous": _counts(before[before["field"] == field])}
                   for field in FIELDS},
        "units": {unit: _counts(now[now["unit"] == unit]) for unit in sorted_vi(now["unit"].unique())},
        "illustrative": bool(rows["illustrative"].any()),
    }


def change(now: int, before: int) -> str:
    """"tăng 20%", "giảm 6,3%", "không đổi"; "năm trước chưa có" when there is nothing to compare with."""
    if before == 0:
        return "năm trước chưa có" if now else "không đổi"
    if now == before:
        return "không đổi"
    return f"{'tăng' if now > before else 'giảm'} {vnformat.trimmed(abs(now - before) / before * 100, 1)}%"


def context(found: dict) -> dict:
    """`models.*` for prose."""
    total, previous = found["total"], found["previous"]
    return {"registered": vnformat.count(total["registered"]), "recognised": vnformat.count(total["recognised"]),
            "previous_registered": vnformat.count(previous["registered"]),
            "previous_recognised": vnformat.count(previous["recognised"]),
            "recognised_change": change(total["recognised"], previous["recognised"]),
            "registered_change": change(total["registered"], previous["registered"])}


def table(found: dict) -> str:
    """The `models` outline table: the sentence, the counts by field against last year, the counts by unit."""
    total, previous, year, last = found["total"], found["previous"], found["year"], found["previous_year"]
    sentence = (f"Năm {year}, có {vnformat.count(total['registered'])} mô hình «Dân vận khéo» được đăng ký "
                f"(năm {last}: {vnformat.count(previous['registered'])}, {change(total['registered'], previous['registered'])}) "
                f"và {vnformat.count(total['recognised'])} mô hình được công nhận (năm {last}: "
                f"{vnformat.count(previous['recognised'])}, {change(total['recognised'], previous['recognised'])}).")
    by_field = [f"| Lĩnh vực | Đăng ký {year} | Công nhận {year} | Công nhận {last} | So với năm {last} |",
                "|:---|---:|---:|---:|:---|"]
    for field, counts in found["fields"].items():
        now, before = counts["current"]["recognised"], counts["previous"]["recognised"]
        by_field.append(f"| {escape(field[0].upper() + field[1:])} | {vnformat.count(counts['current']['registered'])} | "
                        f"{vnformat.count(now)} | {vnformat.count(before)} | {change(now, before)} |")
    by_field.append(f"| Tổng số | {vnformat.count(total['registered'])} | {vnformat.count(total['recognised'])} | "
                    f"{vnformat.count(previous['recognised'])} | {change(total['recognised'], previous['recognised'])} |")
    by_unit = [f"| Đơn vị | Đăng ký {year} | Công nhận {year} |", "|:---|---:|---:|"]
    by_unit += [f"| {escape(unit)} | {vnformat.count(c['registered'])} | {vnformat.count(c['recognised'])} |"
                for unit, c in found["units"].items()]
    return "\n\n".join([sentence, "\n".join(by_field), f"Số mô hình theo đơn vị năm {year}:", "\n".join(by_unit)])
