"""Scoring and ranking of a province's sub-units against the province's own rubric.

Each year a province scores its sở, ban, ngành and communes on its dân vận chính quyền work (Tây Ninh:
Quyết định 1563/QĐ-UBND ngày 01/8/2022, six criteria worth 100 points). Other provinces score differently,
so the rubric is data, kept in the unit's workspace beside the scores:
- `tieu-chi-cham-diem.csv`: one row per criterion (`Mã tiêu chí`, `Tiêu chí`, `Điểm tối đa`, `Nguồn`, `Minh họa`);
- `xep-loai.csv`: the classification bands (`Mã xếp loại`, `Xếp loại`, `Điểm từ`: the lowest total of the
  band, `Nguồn`, `Minh họa`);
- `cham-diem.csv`: one row per unit scored (`Tên cơ quan`, `Tự chấm`: the unit's own total, then one column
  per criterion code with the reviewed score, `Minh họa`).
baocao checks every score against its criterion's maximum, adds the totals, classifies each unit by its band,
ranks the units of each group (equal totals share a rank: 1, 2, 2, 4) and prints the sentence the outline
needs ("… đơn vị xếp loại Tốt …"), the counts, and a ranking annex. Units are named as in the register
(`baocao.subunits`); a unit of the register that has no score is listed as not scored.
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from . import schemas, vnformat
from .collation import sort_key, sorted_vi
from .errors import BaocaoError, Problem, raise_if_errors
from .markdown import escape, grid_table
from .readers import header_frame, read_table
from .subunits import SubUnit, SubunitRoster
from .units import UnitNameError
from .vocabulary import SUBUNIT_GROUPS as GROUPS

CODE, CRITERION, MAXIMUM = "Mã tiêu chí", "Tiêu chí", "Điểm tối đa"
BAND_CODE, BAND, FROM = "Mã xếp loại", "Xếp loại", "Điểm từ"
NAME, SELF = "Tên cơ quan", "Tự chấm"
SOURCE, ILLUSTRATIVE = "Nguồn", "Minh họa"
SCORE = schemas._cell(lambda v: schemas._number(v) is not None and schemas._number(v) >= 0,
                      "cần một số không âm viết kiểu máy, ví dụ 17.5")
_flag = pa.Column(None, checks=[schemas.FLAG], required=False)
CRITERIA = pa.DataFrameSchema({
    CODE: pa.Column(None, checks=[schemas.FILLED, schemas.KEY], unique=True),
    CRITERION: pa.Column(None, checks=[schemas.FILLED]),
    MAXIMUM: pa.Column(None, checks=[schemas.FILLED, SCORE]),
    SOURCE: pa.Column(None, checks=[schemas.FILLED]),
    ILLUSTRATIVE: _flag,
}, strict=True, name="tiêu chí chấm điểm")
BANDS = pa.DataFrameSchema({
    BAND_CODE: pa.Column(None, checks=[schemas.FILLED, schemas.KEY], unique=True),
    BAND: pa.Column(None, checks=[schemas.FILLED], unique=True),
    FROM: pa.Column(None, checks=[schemas.FILLED, SCORE], unique=True),
    SOURCE: pa.Column(None, checks=[schemas.FILLED]),
    ILLUSTRATIVE: _flag,
}, strict=True, name="xếp loại")


def _yes(cells: pd.Series) -> bool:
    return str(cells.get(ILLUSTRATIVE, "")).casefold() == "có"


@dataclass(frozen=True)
class Criterion:
    code: str
    name: str
    maximum: Decimal


@dataclass(frozen=True)
class Band:
    code: str
    name: str
    lowest: Decimal  # the lowest total in the band


@dataclass(frozen=True)
class Rubric:
    criteria: tuple[Criterion, ...]
    bands: tuple[Band, ...]  # highest first
    source: str
    illustrative: bool

    @property
    def maximum(self) -> Decimal:
        return sum((c.maximum for c in self.criteria), Decimal(0))

    def band(self, total: Decimal) -> Band:
        return next(band for band in self.bands if total >= band.lowest)


def _table(path: Path, schema: pa.DataFrameSchema) -> tuple[pd.DataFrame, dict, list[Problem]]:
    sheet, problems = read_table(path)
    frame, found = header_frame(sheet)
    where = dict(file=sheet.file, sheet=sheet.name)
    return frame, where, problems + found + schemas.validate(frame, schema, **where)


def read_rubric(criteria_path: Path, bands_path: Path) -> tuple[Rubric, list[Problem]]:
    """The criteria and the bands; the bands must start at 0 and stay within the total of the maxima."""
    criteria, where, problems = _table(criteria_path, CRITERIA)
    bands, band_where, found = _table(bands_path, BANDS)
    problems += found
    raise_if_errors(problems)
    rubric = Rubric(
        criteria=tuple(Criterion(c[CODE], c[CRITERION], Decimal(c[MAXIMUM])) for _, c in criteria.iterrows()),
        bands=tuple(sorted((Band(c[BAND_CODE], c[BAND], Decimal(c[FROM])) for _, c in bands.iterrows()),
                           key=lambda band: -band.lowest)),
        source=vnformat.join(dict.fromkeys(criteria[SOURCE])),
        illustrative=any(_yes(c) for frame in (criteria, bands) for _, c in frame.iterrows()))
    rows = {Decimal(c[FROM]): row for row, c in bands.iterrows()}
    if rubric.bands[-1].lowest != 0:
        problems.append(Problem(**band_where, row=rows[rubric.bands[-1].lowest], column=FROM, value=str(rubric.bands[-1].lowest),
                                message="mức thấp nhất phải bắt đầu từ 0 điểm, để mọi tổng điểm đều có xếp loại"))
    problems += [Problem(**band_where, row=rows[band.lowest], column=FROM, value=str(band.lowest),
                         message=f"vượt tổng điểm tối đa của các tiêu chí ({vnformat.trimmed(rubric.maximum, 2)})")
                 for band in rubric.bands if band.lowest > rubric.maximum]
    return rubric, raise_if_errors(problems)


@dataclass(frozen=True)
class Scored:
    unit: SubUnit
    scores: tuple[Decimal, ...]  # reviewed, in the order of the criteria
    self_total: Decimal | None
    total: Decimal
    band: Band
    rank: int = 0
    illustrative: bool = False


def read_scores(path: Path, rubric: Rubric, roster: SubunitRoster) -> tuple[list[Scored], list[Problem]]:
    """Every unit's scores, checked against the maxima; names resolved as in the register, each unit once."""
    sheet, problems = read_table(path)
    frame, found = header_frame(sheet)
    where = dict(file=sheet.file, sheet=sheet.name)
    codes = [c.code for c in rubric.criteria]
    columns = {NAME: pa.Column(None, checks=[schemas.FILLED]), SELF: pa.Column(None, checks=[SCORE], required=False),
               ILLUSTRATIVE: _flag}
    for criterion in rubric.criteria:
        limit = criterion.maximum
        columns[criterion.code] = pa.Column(None, checks=[schemas.FILLED, SCORE, schemas._cell(
            lambda v, limit=limit: schemas._number(v) is None or schemas._number(v) <= limit,
            f"vượt điểm tối đa của tiêu chí ({vnformat.trimmed(limit, 2)} điểm)", name=f"tối đa {criterion.code}")])
    limit = rubric.maximum
    columns[SELF].checks.append(schemas._cell(lambda v: schemas._number(v) is None or schemas._number(v) <= limit,
                                              f"vượt tổng điểm tối đa ({vnformat.trimmed(limit, 2)} điểm)", name="tối đa tự chấm"))
    problems += found + schemas.validate(frame, pa.DataFrameSchema(columns, strict=True, name="chấm điểm"), **where)
    units, seen = {}, {}
    for row, name in frame[NAME].items() if NAME in frame else ():
        if not name:
            continue
        try:
            unit = roster.find(name)
        except UnitNameError as exc:
            problems.append(Problem(**where, row=row, column=NAME, value=name, message=str(exc)))
            continue
        if unit in seen:
            problems += [Problem(**where, row=r, column=NAME, value=name,
                                 message=f"đơn vị «{unit.name}» có hai lần, ở dòng {seen[unit]} và dòng {row}: giữ một dòng")
                         for r in (seen[unit], row)]
        seen[unit], units[row] = row, unit
    warnings = raise_if_errors(problems)
    scored = []
    for row, cells in frame.iterrows():
        scores = tuple(Decimal(cells[code]) for code in codes)
        total = sum(scores, Decimal(0))
        self_total = Decimal(cells[SELF]) if cells.get(SELF, "") else None
        scored.append(Scored(units[row], scores, self_total, total, rubric.band(total), illustrative=_yes(cells)))
    return scored, warnings


def ranked(scored: list[Scored]) -> list[Scored]:
    """Each group's units by total, highest first; equal totals share a rank (1, 2, 2, 4) and are listed in
    Vietnamese order."""
    out = []
    for group in GROUPS:
        members = sorted((s for s in scored if s.unit.group == group), key=lambda s: (-s.total, sort_key(s.unit.name)))
        for position, item in enumerate(members, start=1):
            rank = out[-1].rank if out and out[-1].unit.group == group and out[-1].total == item.total else position
            out.append(Scored(**{**item.__dict__, "rank": rank}))
    return out


def _by_group(units) -> list[str]:
    """Names listed group by group (sở, ban, ngành first), each group in Vietnamese order."""
    units = list(units)
    return [name for group in GROUPS for name in sorted_vi(u.name for u in units if u.group == group)]


def facts(rubric: Rubric, scored: list[Scored], roster: SubunitRoster) -> dict:
    """What the report prints: counts per band (all units and per group), the units of each band, who was
    not scored, and every unit's scores, total, band and rank."""
    expected = [unit for group in GROUPS for unit in roster.expected(group)]
    done = {s.unit for s in scored}
    count = len(scored)
    bands = {band.code: {"name": band.name, "from": str(band.lowest),
                         "count": sum(s.band == band for s in scored),
                         "share": float(sum(s.band == band for s in scored) / count * 100) if count else None,
                         "units": _by_group(s.unit for s in scored if s.band == band),
                         "by_group": {g: sum(s.band == band and s.unit.group == g for s in scored) for g in GROUPS}}
             for band in rubric.bands}
    return {
        "source": rubric.source, "maximum": str(rubric.maximum),
        "criteria": [{"code": c.code, "name": c.name, "maximum": str(c.maximum)} for c in rubric.criteria],
        "expected": len(expected), "scored": count,
        "not_scored": _by_group(unit for unit in expected if unit not in done),
        "bands": bands,
        "units": [{"group": s.unit.group, "unit": s.unit.name, "scores": [str(v) for v in s.scores],
                   "self_total": None if s.self_total is None else str(s.self_total), "total": str(s.total),
                   "band": s.band.code, "rank": s.rank} for s in ranked(scored)],
        "illustrative": rubric.illustrative or any(s.illustrative for s in scored),
    }


@dataclass(frozen=True)
class Scoring:
    """A province's scoring as read: its rubric and every unit's scores."""

    rubric: Rubric
    scored: list[Scored]


def read(criteria_path: Path, bands_path: Path, scores_path: Path, roster: SubunitRoster) -> tuple[Scoring, list[Problem]]:
    """The rubric (`data.rubric`, `data.bands`) and the scores (`data.scores`), with warnings; every error of
    the three files is raised together."""
    try:
        rubric, problems = read_rubric(criteria_path, bands_path)
    except BaocaoError as exc:
        raise BaocaoError(exc.problems + [Problem(file=str(scores_path), message="chưa kiểm tra được bảng điểm: "
                                                  "tiêu chí hoặc xếp loại có lỗi")]) from None
    scored, found = read_scores(scores_path, rubric, roster)
    return Scoring(rubric, scored), problems + found


def context(found: dict) -> dict:
    """`scoring.*` for prose: counts formatted the Vietnamese way."""
    return {"expected": vnformat.count(found["expected"]), "scored": vnformat.count(found["scored"]),
            "not_scored": vnformat.join(map(escape, found["not_scored"])), "source": escape(found["source"]),
            "bands": {code: {"name": band["name"], "count": vnformat.count(band["count"]),
                             "share": vnformat.percent(band["count"], found["scored"]) if found["scored"] else "",
                             "units": vnformat.join(map(escape, band["units"]))}
                      for code, band in found["bands"].items()}}


def sentence(found: dict, year: int) -> str:
    """"Năm 2025, 100/111 cơ quan, đơn vị, địa phương được chấm điểm, xếp loại (…): 85 đơn vị xếp loại Tốt (85,00%), …":
    the bands that have units, then the units not scored, by name."""
    parts = [f"{vnformat.count(b['count'])} đơn vị xếp loại {escape(b['name'])} ({vnformat.percent(b['count'], found['scored'])})"
             for b in found["bands"].values() if b["count"]] or ["chưa có đơn vị nào được chấm điểm"]
    text = (f"Năm {year}, {vnformat.fraction(found['scored'], found['expected'])} cơ quan, đơn vị, địa phương được chấm điểm, "
            f"xếp loại công tác dân vận chính quyền (theo {escape(found['source'])}): " + ", ".join(parts) + ".")
    if found["not_scored"]:
        text += (f" {vnformat.count(len(found['not_scored']))} đơn vị chưa được chấm điểm: "
                 f"{vnformat.join(map(escape, found['not_scored']))}.")
    return text


def counts_table(found: dict) -> str:
    """Units per band and group (a pipe table)."""
    lines = ["| Xếp loại | " + " | ".join(escape(GROUPS[g]) for g in GROUPS) + " | Tổng số | Tỷ lệ |",
             "|:---|" + "---:|" * (len(GROUPS) + 2)]
    for band in found["bands"].values():
        share = vnformat.percent(band["count"], found["scored"]) if found["scored"] else ""
        lines.append(f"| {escape(band['name'])} | " + " | ".join(vnformat.count(band["by_group"][g]) for g in GROUPS)
                     + f" | {vnformat.count(band['count'])} | {share} |")
    return "\n".join(lines)


def table(found: dict, year: int) -> str:
    """The `ranking` outline table: the sentence, then the counts per band."""
    return sentence(found, year) + "\n\n" + counts_table(found)


def annex(found: dict, attached: str, label: str = "") -> str:
    """The ranking annex: each group's units by rank, their score per criterion, total, self-score and band."""
    criteria = found["criteria"]
    names = {code: band["name"] for code, band in found["bands"].items()}
    header = [[("Thứ hạng", 1), ("Tên cơ quan", 1)]
              + [(f"{escape(c['code'].upper())} ({vnformat.trimmed(Decimal(c['maximum']), 2)})", 1) for c in criteria]
              + [("Tổng điểm", 1), ("Tự chấm", 1), ("Xếp loại", 1)]]
    width = 2 + len(criteria) + 3
    rows = []
    for number, (group, title) in enumerate(GROUPS.items()):
        rows.append([(f"{['I', 'II'][number]} {escape(title)}", width)])
        for unit in (u for u in found["units"] if u["group"] == group):
            rows.append([(str(unit["rank"]), 1), (escape(unit["unit"]), 1)]
                        + [(vnformat.trimmed(Decimal(v), 2), 1) for v in unit["scores"]]
                        + [(vnformat.trimmed(Decimal(unit["total"]), 2), 1),
                           ("" if unit["self_total"] is None else vnformat.trimmed(Decimal(unit["self_total"]), 2), 1),
                           (escape(names[unit["band"]]), 1)])
    quoted = {key: value.replace("\\", "\\\\").replace('"', '\\"') for key, value in (
        ("label", label), ("title", "KẾT QUẢ CHẤM ĐIỂM, XẾP LOẠI CÔNG TÁC DÂN VẬN CHÍNH QUYỀN"),
        ("subtitle", f"Theo {found['source']}"), ("attached", attached))}
    attrs = " ".join(f'{key}="{value}"' for key, value in quoted.items())
    legend = "; ".join(f"{escape(c['code'].upper())}: {escape(c['name'])} (tối đa {vnformat.trimmed(Decimal(c['maximum']), 2)} điểm)"
                       for c in criteria)
    table = grid_table([7, 30] + [8] * len(criteria) + [8, 8, 10], header, rows)
    return f"::: {{.appendix {attrs}}}\n{table}\n\n*Tiêu chí:* {legend}.\n:::"
