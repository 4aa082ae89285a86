"""The communes (xã, phường, đặc khu) of each province, and which commune a typed name means.

From 1 July 2025 a province's local units are its communes (there is no district level any more): Tây Ninh
has 96, 82 xã and 14 phường. The list of all 34 provinces ships as `data/units/communes.csv` (3,321 units;
its source is the `commune` row of `eras.csv`) and is read once, on first use: a national report never
reads it. Names match as province names do (`names.NameIndex`): any tone placement, with or without
"UBND xã", "Ủy ban nhân dân phường"; a near-miss is answered with the closest communes of the province.
"""
from __future__ import annotations

import csv
import functools
import importlib.resources
from collections import defaultdict
from dataclasses import dataclass
from typing import Sequence

from .collation import sorted_vi
from .names import NameIndex, normalize
from .units import KINDS, Unit, UnitDataError, UnitNameError, UnitRegistry
from .vocabulary import UNIT_GROUP_LABELS

GROUP = "commune"
FILE = "communes.csv"


@dataclass(frozen=True)
class Commune:
    """One commune of one province in one era ("Tân Biên", kind "xã")."""

    province: Unit
    era: str
    code: str
    name: str
    kind: str
    group: str = GROUP

    @property
    def full_name(self) -> str:
        """As a sentence names it: "xã Tân Biên"."""
        return f"{self.kind} {self.name}"

    @property
    def display_name(self) -> str:
        """As a register lists it: "UBND xã Tân Biên"."""
        return f"UBND {self.full_name}"


def _names(communes: Sequence[Commune]) -> str:
    return ", ".join(commune.full_name for commune in communes)


class CommuneList:
    """Every commune of every province for each era that has a commune list."""

    def __init__(self, registry: UnitRegistry, communes: Sequence[Commune]):
        self._registry = registry
        self._by_province: dict[Unit, list[Commune]] = defaultdict(list)
        self._index: dict[Unit, NameIndex[Commune]] = defaultdict(NameIndex)
        for commune in communes:
            self._by_province[commune.province].append(commune)
            for name in (commune.name, commune.full_name):
                self._index[commune.province].add(commune, name)

    @classmethod
    @functools.cache
    def load(cls) -> "CommuneList":
        """The package's list (read once per process, on first use)."""
        registry = UnitRegistry.load()
        problems, communes = [], []
        with importlib.resources.files("baocao").joinpath("data", "units", FILE).open(encoding="utf-8", newline="") as handle:
            for line, row in enumerate(csv.DictReader(handle), start=2):
                try:
                    province = registry.unit("province", row["era"], row["province_code"])
                except KeyError as exc:
                    problems.append(f"{FILE}, dòng {line}: {exc.args[0]}")
                    continue
                if row["kind"] not in KINDS[GROUP] or normalize(row["name"]) != row["name"]:
                    problems.append(f'{FILE}, dòng {line}: "{row["kind"]} {row["name"]}" không đúng loại hoặc chưa chuẩn hóa.')
                communes.append(Commune(province, row["era"], row["code"], row["name"], row["kind"]))
        if problems:
            raise UnitDataError(problems)
        return cls(registry, communes)

    def _province(self, province: Unit, year: int) -> Unit:
        """The province as listed in the commune era of `year` (communes exist only from 2025)."""
        era = self._registry.era_for(GROUP, year)
        if province.era != era:
            raise ValueError(f"Danh sách {UNIT_GROUP_LABELS[GROUP]} năm {year} dùng các tỉnh, thành phố của giai đoạn {era}; "
                             f"{province.name} thuộc giai đoạn {province.era}.")
        return province

    def of(self, province: Unit, year: int) -> list[Commune]:
        """The communes that report to `province` on `year`, in official-list order of their full names."""
        return sorted_vi(self._by_province[self._province(province, year)], key=lambda c: c.full_name)

    def matches(self, name: str, province: Unit, year: int) -> list[Commune]:
        """The communes of `province` one of whose names is `name` (no suggestion: see `resolve`)."""
        return self._index[self._province(province, year)].find(name)

    def resolve(self, name: str, province: Unit, year: int) -> Commune:
        """The one commune of `province` that `name` designates, or UnitNameError saying what to fix."""
        province = self._province(province, year)
        found = self._index[province].find(name)
        if len(found) == 1:
            return found[0]
        if found:
            raise UnitNameError(f'Tên "{name}" ứng với nhiều đơn vị: {_names(found)}. Hãy ghi cả loại (xã, phường).', name, found)
        elsewhere = [c for other, index in self._index.items() if other != province for c in index.find(name)]
        suggestions = self._index[province].suggest(name)
        where = f"{province.kind} {province.name}"
        if elsewhere:  # a commune of a neighbouring province pasted in: say so before guessing a near name
            provinces = ", ".join(dict.fromkeys(f"{c.province.kind} {c.province.name}" for c in elsewhere))
            hint = f" Trong {where} có: {_names(suggestions)}." if suggestions else ""
            raise UnitNameError(f'"{name}" không thuộc {where}; tên này là của đơn vị thuộc: {provinces}.{hint}', name, suggestions)
        if suggestions:
            raise UnitNameError(f'Không nhận ra đơn vị "{name}". Có phải: {_names(suggestions)}?', name, suggestions)
        raise UnitNameError(f'Không nhận ra đơn vị "{name}" trong danh sách {UNIT_GROUP_LABELS[GROUP]} của {where} năm {year}.', name)

    def basis(self, year: int) -> str:
        """Where the list of `year` comes from, as `eras.csv` states it."""
        return self._registry.era_in(GROUP, year).basis
