"""A province's own register of sub-units: which of its sở, ban, ngành and of its communes sent their plan,
annual report and scoring report, when, and who is late or missing.

The heart of a provincial report is the national one's, one level down. The register keeps the national
layout (`baocao.register`: two header rows, one group row per group, one row per unit) with two groups:
"I Sở, ban, ngành" (the list the analyst keeps in the unit's workspace, `so-nganh.csv`, since each
province organises its departments its own way) and "II Xã, phường, đặc khu" (the province's communes
from 1 July 2025, shipped with baocao: `baocao.communes`). Every unit of both groups must have a row; names
are matched as province names are (any tone placement, "UBND xã …", suggestions). The counts, the lists of
late and missing units and the appendix come from the same code as the national register's.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

import pandas as pd
import pandera.pandas as pa

from . import schemas, stats, vnformat
from .communes import CommuneList
from .errors import Problem, raise_if_errors
from .markdown import escape
from .names import NameIndex
from .params import Deadlines
from .readers import header_frame, read_table, table_file
from .register import load_register
from .units import Unit, UnitNameError, resolve_any, slug
from .vocabulary import DOCUMENTS, SUBUNIT_GROUP_WORDS as GROUP_WORDS, SUBUNIT_GROUPS as GROUPS

NAME = "Tên cơ quan"
ILLUSTRATIVE = "Minh họa"
DEPARTMENTS = pa.DataFrameSchema({
    NAME: pa.Column(None, checks=[schemas.FILLED], unique=True),
    ILLUSTRATIVE: pa.Column(None, checks=[schemas.FLAG], required=False),
}, strict=True, name="sở, ban, ngành")


@dataclass(frozen=True)
class SubUnit:
    """One unit that reports to a province: `name` as lists print it ("Sở Nội vụ", "xã Tân Biên")."""

    group: str
    name: str
    display_name: str

    @property
    def slug(self) -> str:
        return slug(self.name)


@dataclass(frozen=True)
class Departments:
    """The province's sở, ban, ngành as the analyst lists them, and whether the list is a sample."""

    units: tuple[SubUnit, ...]
    illustrative: bool


def read_departments(path: Path) -> tuple[Departments, list[Problem]]:
    """The list of sở, ban, ngành (columns «Tên cơ quan», optional «Minh họa»); errors are raised together."""
    sheet, problems = read_table(path)
    frame, found = header_frame(sheet)
    problems += found + schemas.validate(frame, DEPARTMENTS, file=sheet.file, sheet=sheet.name)
    warnings = raise_if_errors(problems)
    flags = frame[ILLUSTRATIVE] if ILLUSTRATIVE in frame else pd.Series("", index=frame.index)
    units = tuple(SubUnit("departments", name, name) for name in frame[NAME])
    return Departments(units, bool((flags.str.casefold() == "có").any())), warnings


class SubunitRoster:
    """Who must report to `province` in `year`: its departments, then its communes (`register.Roster`)."""

    groups = GROUPS

    def __init__(self, departments: Departments, province: Unit, year: int, communes: CommuneList | None = None):
        self.departments = departments
        self.province, self.year = province, year
        self.communes = communes or CommuneList.load()
        self._index: NameIndex[SubUnit] = NameIndex()
        for unit in departments.units:
            self._index.add(unit, unit.name)

    @staticmethod
    def _commune(commune) -> SubUnit:
        return SubUnit("communes", commune.full_name, commune.display_name)

    def resolve(self, group: str, name: str) -> SubUnit:
        if group == "communes":
            return self._commune(self.communes.resolve(name, self.province, self.year))
        found = self._index.find(name)
        if len(found) == 1:
            return found[0]
        suggestions = self._index.suggest(name)
        hint = f" Có phải: {', '.join(u.name for u in suggestions)}?" if suggestions else (
            " Thêm đơn vị vào danh sách sở, ban, ngành (so-nganh.csv) nếu đơn vị phải báo cáo.")
        raise UnitNameError(f'Không nhận ra đơn vị "{name}" trong danh sách sở, ban, ngành của tỉnh.{hint}', name, suggestions)

    def find(self, name: str) -> SubUnit:
        """A name of either group: a department on the province's list, else one of its communes; when neither,
        the error of the group that has a close name to suggest (worked out only then: it compares the name
        with every name of both lists)."""
        departments = self._index.find(name)
        if len(departments) == 1:
            return departments[0]
        communes = self.communes.matches(name, self.province, self.year)
        if not departments and len(communes) == 1:
            return self._commune(communes[0])
        return resolve_any(name, lambda n: self.resolve("departments", n), lambda n: self.resolve("communes", n))

    def expected(self, group: str) -> Sequence[SubUnit]:
        if group == "communes":
            return [self._commune(c) for c in self.communes.of(self.province, self.year)]
        return self.departments.units


def read_register(path: Path, roster: SubunitRoster, year: int,
                  report_date: dt.date | None = None) -> tuple[pd.DataFrame, list[Problem]]:
    """The province's register read against its roster, one row per sub-unit; every error raised together."""
    return load_register(table_file(path), year, report_date=report_date, roster=roster)  # a stem: name the file read


def facts(register: pd.DataFrame, deadlines: Deadlines) -> dict:
    """`subunits.<group>.<document>.*`: the counts and lists of the national register's facts, per sub-unit group."""
    return stats.submission_facts(register, deadlines, GROUPS)


def summary_sentence(facts: dict, agency: str, year: int) -> str:
    """"Năm 2025, Ủy ban nhân dân tỉnh Tây Ninh nhận được báo cáo năm của 15/17 sở, ban, ngành và 80/96 xã, …":
    who sent the annual report, and the late and missing units by name, each list the one its number counts."""
    received = " và ".join(f"{vnformat.fraction(g['annual_report']['received'], g['total'])} {GROUP_WORDS[name]}"
                           for name, g in facts.items())
    parts = [f"Năm {year}, {agency} nhận được báo cáo năm của {received}."]
    for name, group in facts.items():
        annual = group["annual_report"]
        if annual["late"]:
            parts.append(f"{vnformat.count(annual['late'])} {GROUP_WORDS[name]} gửi muộn: "
                         f"{vnformat.join(map(escape, annual['late_units']))}.")
        if annual["missing"]:
            parts.append(f"{vnformat.count(annual['missing'])} {GROUP_WORDS[name]} chưa gửi: "
                         f"{vnformat.join(map(escape, annual['missing_units']))}.")
    return " ".join(parts)


TABLE_HEADER = ("Nhóm", "Văn bản", "Phải gửi", "Đã gửi", "Gửi muộn", "Chưa gửi")


def summary_table(facts: dict) -> str:
    """Per group and document: how many must send, sent, sent late, did not send (a pipe table)."""
    lines = ["| " + " | ".join(TABLE_HEADER) + " |", "|:---|:---|---:|---:|---:|---:|"]
    for group, g in facts.items():
        for doc, title in DOCUMENTS.items():
            s = g[doc]
            lines.append(f"| {escape(GROUPS[group])} | {escape(title)} | {vnformat.count(g['total'])} | "
                         f"{vnformat.count(s['received'])} | {vnformat.count(s['late'])} | {vnformat.count(s['missing'])} |")
    return "\n".join(lines)


def table(facts: dict, agency: str, year: int) -> str:
    """The `subunits` outline table: the sentence, then the counts."""
    return summary_sentence(facts, agency, year) + "\n\n" + summary_table(facts)
