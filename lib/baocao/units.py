"""Which administrative units must report in a given year, and which unit a typed name means.

The lists change over time (63 provinces until 30/6/2025, 34 after; 30 ministries and agencies in 2024,
22 after March 2025) and seven province codes name a different province before and after the merger,
so every unit carries its era. The lists live in `data/units/*.csv`; this module only reads them (the
communes of each province, `communes.csv`, are read by `baocao.communes`; their era is in `eras.csv`).
"""

import csv
import datetime as dt
import functools
import importlib.resources
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import TypeVar

T = TypeVar("T")

from baocao.collation import sorted_vi
from baocao.names import NameIndex, normalize, strip_diacritics

from .vocabulary import UNIT_GROUP_LABELS

NATIONAL_SLUG = "toan-quoc"
_START = re.compile(r"\btừ (\d{1,2})/(\d{1,2})/(\d{4})\b")  # "từ 01/7/2025" in an era's basis
KINDS = {
    "province": {"tỉnh", "thành phố"},
    "ministry": {"bộ", "cơ quan ngang bộ", "cơ quan thuộc Chính phủ"},
    "commune": {"xã", "phường", "đặc khu"},  # read by baocao.communes, not by UnitRegistry
}


def slug(text: str) -> str:
    """ASCII file-name fragment ("Bà Rịa – Vũng Tàu" → "ba-ria-vung-tau"): only a-z, 0-9 and inner hyphens."""
    value = re.sub(r"[^a-z0-9]+", "-", strip_diacritics(normalize(text)).lower()).strip("-")
    if not value:
        raise ValueError(f'Không tạo được tên tệp từ "{text}": tên cần có ít nhất một chữ cái hoặc chữ số.')
    return value


@dataclass(frozen=True)
class Unit:
    """One unit expected to report, as it existed in one era (`code` is only meaningful with `era`)."""

    group: str
    era: str
    code: str
    name: str
    kind: str
    short_name: str
    confirmed: bool = True

    @property
    def slug(self) -> str:
        return slug(self.name)

    @property
    def display_name(self) -> str:
        """The name as a report addresses the unit: "UBND tỉnh An Giang", "Bộ Quốc phòng"."""
        return f"UBND {self.kind} {self.name}" if self.group == "province" else self.name


@dataclass(frozen=True)
class Era:
    """A period during which one list of units holds, from `first_year` until the next era of the group."""

    group: str
    era: str
    first_year: int
    basis: str

    @property
    def start_date(self) -> dt.date | None:
        """The day the list took effect, as its basis states it ("34 tỉnh, thành phố từ 01/7/2025 …"):
        the date a reader sees in "trước ngày 01/7/2025" comes from the same sentence as the list's source."""
        found = _START.search(self.basis)
        return dt.date(*map(int, reversed(found.groups()))) if found else None


@dataclass(frozen=True)
class Alias:
    group: str
    alias: str
    name: str


class UnitNameError(ValueError):
    """A name that does not designate exactly one unit; `candidates` are the units the user may mean."""

    def __init__(self, message: str, text: str, candidates: Sequence[Unit] = ()):
        super().__init__(message)
        self.text = text
        self.candidates = tuple(candidates)


class UnitDataError(ValueError):
    """Every problem found in the unit CSV files, reported together."""

    def __init__(self, problems: Sequence[str]):
        super().__init__("Dữ liệu đơn vị không hợp lệ:\n" + "\n".join(f"- {problem}" for problem in problems))
        self.problems = tuple(problems)


def resolve_any(name: str, *resolvers: Callable[[str], T]) -> T:
    """What the first resolver that knows `name` answers (a name of one of several lists); when none does,
    the first error that has close names to suggest, else the first error."""
    errors = []
    for resolve in resolvers:
        try:
            return resolve(name)
        except UnitNameError as exc:
            errors.append(exc)
    raise next((error for error in errors if error.candidates), errors[0])


def _names(units: Iterable[Unit]) -> str:
    return ", ".join(unit.name for unit in units)


class UnitRegistry:
    """Units of every era with their aliases and the predecessor → successor links between eras."""

    def __init__(
        self,
        eras: Sequence[Era],
        units: Sequence[Unit],
        aliases: Sequence[Alias] = (),
        successions: Sequence[tuple[Unit, Unit]] = (),
    ):
        self._eras = tuple(eras)
        self._units = tuple(units)
        self._successions = tuple(successions)
        self._index: dict[tuple[str, str], NameIndex[Unit]] = defaultdict(NameIndex)
        for unit in self._units:
            for name in {unit.name, unit.short_name}:
                self._add_key(unit, name)
        for alias in aliases:
            for unit in self._units:
                if unit.group == alias.group and unit.name == alias.name:
                    self._add_key(unit, alias.alias)

    def _add_key(self, unit: Unit, name: str) -> None:
        self._index[unit.group, unit.era].add(unit, name)

    @classmethod
    @functools.cache
    def load(cls) -> "UnitRegistry":
        """The registry of the package's own data files (read once per process)."""
        return _load_package_data(cls)

    def era_for(self, group: str, year: int) -> str:
        """The era whose list applies to a report on `year` (a year ≥ 2025 uses the 2025 structure)."""
        if group not in UNIT_GROUP_LABELS:
            raise ValueError(f'Nhóm đơn vị "{group}" không hợp lệ; chọn một trong: {", ".join(UNIT_GROUP_LABELS)}.')
        started = [era for era in self._eras if era.group == group and era.first_year <= year]
        if not started:
            first = min(era.first_year for era in self._eras if era.group == group)
            raise ValueError(
                f"Chưa có danh sách {UNIT_GROUP_LABELS[group]} cho năm {year}; danh sách sớm nhất áp dụng từ năm {first}."
            )
        return max(started, key=lambda era: era.first_year).era

    def unit(self, group: str, era: str, code: str) -> Unit:
        """The unit with `code` in `era` (codes are reused across eras, so the era is required)."""
        for unit in self._units:
            if (unit.group, unit.era, unit.code) == (group, era, code):
                return unit
        raise KeyError(f"Không có đơn vị mã {code} trong danh sách {UNIT_GROUP_LABELS.get(group, group)} giai đoạn {era}.")

    def expected(self, group: str, year: int) -> list[Unit]:
        """Units expected to report on `year`: provinces alphabetically, ministries in the Government's order."""
        era = self.era_for(group, year)
        units = [unit for unit in self._units if unit.group == group and unit.era == era]
        return sorted_vi(units, key=lambda unit: unit.name) if group == "province" else units

    def era_of(self, unit: Unit) -> Era:
        return next(era for era in self._eras if (era.group, era.era) == (unit.group, unit.era))

    def era_in(self, group: str, year: int) -> Era:
        """The era whose list applies to `year`, with its basis (the source a report cites for the list)."""
        era = self.era_for(group, year)
        return next(found for found in self._eras if (found.group, found.era) == (group, era))

    def forerunners(self, unit: Unit, year: int) -> list[Unit]:
        """The units of `year`'s list that `unit` continues: itself when the list is the same, its
        predecessors (followed back across eras) when it changed, none when no list covers `year`.
        A predecessor of the same name comes first, so "Tây Ninh (mới)" reads "Tây Ninh và Long An"."""
        try:
            era = self.era_for(unit.group, year)
        except ValueError:  # no list covers `year`
            return []
        found, frontier = [], [unit]
        while frontier:
            current = frontier.pop(0)
            if current.era == era:
                found.append(current)
            else:
                frontier += self.predecessors(current)
        return sorted(found, key=lambda old: old.name != unit.name)

    def successors(self, unit: Unit) -> list[Unit]:
        return [new for old, new in self._successions if old == unit]

    def predecessors(self, unit: Unit) -> list[Unit]:
        return [old for old, new in self._successions if new == unit]

    def resolve(self, name: str, group: str, year: int) -> Unit:
        """The one unit of the `year`'s list that `name` designates, or UnitNameError saying what to fix."""
        era = self.era_for(group, year)
        found = self._index[group, era].find(name)
        if len(found) == 1:
            return found[0]
        if found:
            raise UnitNameError(f'Tên "{name}" ứng với nhiều đơn vị: {_names(found)}. Hãy ghi tên đầy đủ.', name, found)
        other_era = [unit for (g, e), index in self._index.items() if g == group and e != era for unit in index.find(name)]
        if other_era:
            raise self._other_era_error(name, group, year, other_era)
        suggestions = self._index[group, era].suggest(name)
        if suggestions:
            raise UnitNameError(f'Không nhận ra đơn vị "{name}". Có phải: {_names(suggestions)}?', name, suggestions)
        raise UnitNameError(
            f'Không nhận ra đơn vị "{name}" trong danh sách {UNIT_GROUP_LABELS[group]} năm {year}.', name
        )

    def _other_era_error(self, name: str, group: str, year: int, units: Sequence[Unit]) -> UnitNameError:
        later = [new for unit in units for new in self.successors(unit)]
        if later:
            return UnitNameError(
                f'Đơn vị "{name}" không còn trong danh sách {UNIT_GROUP_LABELS[group]} năm {year}; '
                f"từ năm {year} thuộc: {_names(dict.fromkeys(later))}.",
                name,
                later,
            )
        earlier = [old for unit in units for old in self.predecessors(unit)]
        return UnitNameError(
            f'Đơn vị "{name}" chưa có trong danh sách {UNIT_GROUP_LABELS[group]} năm {year}'
            + (f"; năm {year} là: {_names(dict.fromkeys(earlier))}." if earlier else "."),
            name,
            earlier,
        )


# --- reading the package's CSV files -------------------------------------------------------------------

_DATA = importlib.resources.files("baocao").joinpath("data", "units")
_NAME_COLUMNS = ("name", "short_name", "from_name", "to_name")  # aliases are spellings as typed


def _read(filename: str, problems: list[str]) -> list[dict[str, str]]:
    """Rows of one CSV file; names that are not in normalised form are reported, with file, row and column."""
    with _DATA.joinpath(filename).open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    for line, row in enumerate(rows, start=2):
        for column in _NAME_COLUMNS:
            if row.get(column) and normalize(row[column]) != row[column]:
                problems.append(
                    f'{filename}, dòng {line}, cột {column}: "{row[column]}" cần ghi là "{normalize(row[column])}".'
                )
    return rows


def _load_package_data(cls: type[UnitRegistry]) -> UnitRegistry:
    problems: list[str] = []
    eras = [Era(row["group"], row["era"], int(row["first_year"]), row["basis"]) for row in _read("eras.csv", problems)]
    ministries = _read("ministries.csv", problems)
    units = [
        Unit("province", row["era"], row["code"], row["name"], row["kind"], row["name"])
        for row in _read("provinces.csv", problems)
    ] + [
        Unit("ministry", row["era"], slug(row["name"]), row["name"], row["kind"], row["short_name"], row["confirmed"] == "yes")
        for row in ministries
    ]
    aliases = [Alias(row["group"], row["alias"], row["name"]) for row in _read("aliases.csv", problems)] + [
        Alias("ministry", row["listed_as"], row["name"]) for row in ministries if row["listed_as"]
    ]
    by_name = {(unit.group, unit.era, unit.name): unit for unit in units}
    successions = [
        (by_name.get((row["group"], row["from_era"], row["from_name"])), by_name.get((row["group"], row["to_era"], row["to_name"])))
        for row in _read("successions.csv", problems)
    ]
    problems += _check(eras, units, aliases, successions)
    if problems:
        raise UnitDataError(problems)
    return cls(eras, units, aliases, successions)


def _check(
    eras: Sequence[Era], units: Sequence[Unit], aliases: Sequence[Alias], successions: Sequence[tuple[Unit | None, Unit | None]]
) -> list[str]:
    """Cross-file consistency: known eras and kinds, unique codes and names, references that exist."""
    known_eras = {(era.group, era.era) for era in eras}
    problems = [
        f'{unit.group} "{unit.name}": giai đoạn "{unit.era}" không có trong eras.csv.'
        for unit in units
        if (unit.group, unit.era) not in known_eras
    ] + [
        f'{unit.group} "{unit.name}": loại "{unit.kind}" không hợp lệ (cho phép: {", ".join(sorted(KINDS[unit.group]))}).'
        for unit in units
        if unit.kind not in KINDS[unit.group]
    ]
    for field in ("code", "name"):
        seen: set[tuple[str, str, str]] = set()
        for unit in units:
            identity = (unit.group, unit.era, getattr(unit, field))
            if identity in seen:
                problems.append(f"{unit.group}, giai đoạn {unit.era}: {field} {identity[2]} bị trùng.")
            seen.add(identity)
    names = {(unit.group, unit.name) for unit in units}
    problems += [
        f'aliases.csv: "{alias.alias}" trỏ tới "{alias.name}", không có trong danh sách {alias.group}.'
        for alias in aliases
        if (alias.group, alias.name) not in names
    ]
    problems += [
        f"successions.csv, dòng {line}: tên không có trong danh sách đơn vị của giai đoạn đã ghi."
        for line, (old, new) in enumerate(successions, start=2)
        if old is None or new is None
    ]
    succeeding = {(new.group, new.era) for _, new in successions if new is not None}
    problems += [
        f'eras.csv: giai đoạn {era.era} của {era.group} có đơn vị kế thừa nên cột basis phải ghi ngày bắt đầu '
        f'dạng "từ dd/mm/yyyy" (dùng trong chú thích "trước ngày …").'
        for era in eras
        if (era.group, era.era) in succeeding and era.start_date is None
    ]
    return problems
