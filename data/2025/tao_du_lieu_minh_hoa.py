"""Write the ILLUSTRATIVE sample data of 2025 over the templates of `baocao new-year 2025 --from 2024`.

2025 is the first year of the 22 ministries and agencies (from 01/3/2025) and the 34 provinces (from
01/7/2025). No register of the 2025 submissions exists yet, nor per-province figures; the national report
needs both to show what 2025 looks like. So this script makes them up, reproducibly (one seeded generator
per table and per unit: a rerun writes the same files), and flags them:

- `so-theo-doi.csv` / `.xlsx`: the register, in the layout `baocao new-year` writes (the same expected
  units, in the same order). A fixed number of units sent each document (`SENT`), some after the deadlines
  of params/2025.yml (`LATE`), the others nothing; symbols look like the real ones ("123/BC-UBND"), dates fall
  within 2025. Illustrative: `illustrative: true` in params/2025.yml puts «DỮ LIỆU MINH HỌA» on the report.
- `chi-so-quoc-gia.csv` / `.xlsx`: the two national indexes published in 2025 are REAL (PAR INDEX of the
  provinces 2024 = 88,37; SIPAS 2024 = 83,94; their 2023 values from Báo cáo 1385/BC-BNV as last year's);
  every other row is a 2024 indicator of data/2024/chi-so-quoc-gia.csv with a made-up 2025 value, its real
  2024 value as «Giá trị năm trước», and `Minh họa = có`.
- `chi-so-tinh.csv`, `chi-tieu.csv` (and `.xlsx`): the indicators and targets of data/2024/tinh/
  tao_du_lieu_minh_hoa.py (same keys, names and targets, taken from that script), for the 34 provinces. A
  merged province starts from its predecessors' 2024 sample rows: counts summed (last year's visits),
  headcounts and agencies shrunk by the reorganisation. The illustrative PAR INDEX row has last year's value
  only for a province that did not merge: an index of merged provinces is not summed (yoy: "không so sánh
  được" without weights). All `Minh họa = có`.

Run from the project folder: PYTHONPATH=lib python data/2025/tao_du_lieu_minh_hoa.py
"""
from __future__ import annotations

import csv
import datetime as dt
import importlib.util
import random
from pathlib import Path

from baocao.indicators import read_unit_indicators
from baocao.newyear import NATIONAL_INDICATORS_HEADER, TARGETS_HEADER, UNIT_INDICATORS_HEADER, register_table
from baocao.params import Deadlines, load_params
from baocao.register import DOCUMENTS
from baocao.tablefiles import GROUP_NUMBERS, csv_text, indicators_workbook, register_workbook
from baocao.units import Unit, UnitRegistry

YEAR = 2025
FOLDER = Path(__file__).resolve().parent
ROOT = FOLDER.parents[1]
SCRIPT = "data/2025/tao_du_lieu_minh_hoa.py"
SOURCE = f"Số liệu minh họa, sinh bởi {SCRIPT}"


def _load_2024_generator():
    """The 2024 per-province generator, for its indicator names and targets: both years describe the same
    indicators with the same keys, so a year-on-year comparison matches them."""
    spec = importlib.util.spec_from_file_location("tao_du_lieu_2024", ROOT / "data/2024/tinh/tao_du_lieu_minh_hoa.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


GEN_2024 = _load_2024_generator()

# --- the register --------------------------------------------------------------------------------------------

# How many units sent each document, and how many of those sent it on or after its deadline (`deadlines` of
# params/2025.yml; plans have none, so no plan is late).
SENT = {"ministries": {"plan": 6, "annual_report": 14, "scoring_report": 9},
        "provinces": {"plan": 12, "annual_report": 27, "scoring_report": 29}}
LATE = {"ministries": {"annual_report": 3, "scoring_report": 2},
        "provinces": {"annual_report": 5, "scoring_report": 7}}
# The first and last date a document of each kind bears: plans follow the new ministries (01/3/2025); scoring
# reports come around their May deadline; annual reports around theirs, all dated within 2025.
WINDOWS = {"plan": (dt.date(YEAR, 3, 3), dt.date(YEAR, 4, 30)),
           "scoring_report": (dt.date(YEAR, 5, 5), dt.date(YEAR, 6, 20)),
           "annual_report": (dt.date(YEAR, 11, 20), dt.date(YEAR, 12, 31))}
# The agency part of each ministry's document symbols ("15/BC-BQP"), in the order of ministries.csv (2025).
MINISTRY_AGENCIES = {
    "Bộ Quốc phòng": "BQP", "Bộ Công an": "BCA", "Bộ Ngoại giao": "BNG", "Bộ Nội vụ": "BNV", "Bộ Tư pháp": "BTP",
    "Bộ Tài chính": "BTC", "Bộ Công Thương": "BCT", "Bộ Nông nghiệp và Môi trường": "BNNMT", "Bộ Xây dựng": "BXD",
    "Bộ Văn hóa, Thể thao và Du lịch": "BVHTTDL", "Bộ Khoa học và Công nghệ": "BKHCN",
    "Bộ Giáo dục và Đào tạo": "BGDĐT", "Bộ Y tế": "BYT", "Bộ Dân tộc và Tôn giáo": "BDTTG",
    "Ngân hàng Nhà nước Việt Nam": "NHNN", "Thanh tra Chính phủ": "TTCP", "Văn phòng Chính phủ": "VPCP",
    "Thông tấn xã Việt Nam": "TTX", "Đài Tiếng nói Việt Nam": "TNVN", "Đài Truyền hình Việt Nam": "THVN",
    "Viện Hàn lâm Khoa học xã hội Việt Nam": "VHLKHXH", "Viện Hàn lâm Khoa học và Công nghệ Việt Nam": "VHL",
}
DOCUMENT_TYPES = {"plan": "KH", "annual_report": "BC", "scoring_report": "BC"}


def _date(rng: random.Random, doc: str, late: bool, deadlines: Deadlines) -> dt.date:
    """A day of the document's window, before its deadline or (`late`) on or after it."""
    first, last = WINDOWS[doc]
    due = getattr(deadlines, doc)
    start, end = (due, last) if late else (first, last if due is None else due - dt.timedelta(days=1))
    return start + dt.timedelta(days=rng.randint(0, (end - start).days))


def _symbol(rng: random.Random, doc: str, unit: Unit) -> str:
    """"123/BC-UBND"; some provinces answer through Sở Nội vụ ("45/BC-SNV") or by công văn ("678/UBND-NC")."""
    number = rng.randint(5, 2_500 if unit.group == "province" else 900)
    if unit.group == "ministry":
        return f"{number}/{DOCUMENT_TYPES[doc]}-{MINISTRY_AGENCIES[unit.name]}"
    form = rng.random()
    if doc != "plan" and form < 0.15:
        return f"{number}/UBND-NC"
    return f"{number}/{DOCUMENT_TYPES[doc]}-{'SNV' if form < 0.35 else 'UBND'}"


def register_rows(registry: UnitRegistry, deadlines: Deadlines) -> list[list[str]]:
    """The template of `baocao new-year` with each chosen unit's number and date filled in."""
    table = register_table(YEAR, registry)
    groups = {"ministries": registry.expected("ministry", YEAR), "provinces": registry.expected("province", YEAR)}
    rng = random.Random(f"{YEAR}:so-theo-doi")
    cells: dict[str, dict[str, tuple[str, str]]] = {}
    for group, units in groups.items():
        for doc in DOCUMENTS:
            sent = rng.sample(units, SENT[group][doc])
            late = set(rng.sample(sent, LATE[group].get(doc, 0)))
            for unit in sent:
                date = _date(rng, doc, unit in late, deadlines)
                cells.setdefault(unit.display_name, {})[doc] = (_symbol(rng, doc, unit), f"{date.day}/{date.month}/{date.year}")
    for row in table[2:]:
        if row[0] in GROUP_NUMBERS:
            continue
        for position, doc in enumerate(DOCUMENTS):
            row[2 + 2 * position: 4 + 2 * position] = cells.get(row[1], {}).get(doc, ("", ""))
    return table


# --- national indicators -------------------------------------------------------------------------------------

REFERENCE = "BC 1385/BC-BNV, mục II.4.c"
REAL_2025 = [  # published in 2025 by Bộ Nội vụ; the 2023 value is the one Báo cáo 1385/BC-BNV quoted
    ["par_index_provinces_avg", "Chỉ số cải cách hành chính (PAR INDEX) bình quân của UBND các tỉnh, thành phố "
     "trực thuộc Trung ương", 2024, "88.37", "%", "chỉ số", "", "", "86.98", "",
     f"Bộ Nội vụ, Chỉ số cải cách hành chính năm 2024 (PAR INDEX 2024), công bố năm 2025; năm 2023: {REFERENCE}", "không"],
    ["sipas_avg", "Chỉ số mức độ hài lòng của người dân đối với sự phục vụ của cơ quan hành chính nhà nước (SIPAS)",
     2024, "83.94", "%", "chỉ số", "", "", "82.66", "1.28",
     f"Bộ Nội vụ, Chỉ số hài lòng về sự phục vụ hành chính năm 2024 (SIPAS 2024), công bố năm 2025; năm 2023: {REFERENCE}",
     "không"],
]
# 2024 indicators given a made-up 2025 value, by groups that move together (one ratio to the 2024 value, drawn
# between the two bounds): so fewer letters are never processed than received. A share whose 2024 denominator
# is a count of this list (eligible letters among those processed) keeps that count's 2025 value as denominator.
ILLUSTRATIVE_2025 = [
    (("online_dossiers_ministries",), 1.05, 1.20), (("online_dossiers_localities",), 1.10, 1.40),
    (("officials_disciplined",), 0.80, 1.10), (("administrative_inspections",), 0.85, 1.05),
    (("citizen_visits",), 0.85, 1.05), (("complaint_letters_received", "complaint_letters_processed"), 0.90, 1.10),
    (("complaint_letters_eligible",), 0.95, 1.05),
]


def _national_2024() -> dict[str, dict[str, str]]:
    with (ROOT / "data/2024/chi-so-quoc-gia.csv").open(encoding="utf-8", newline="") as handle:
        return {row["Mã chỉ số"]: row for row in csv.DictReader(handle)}


def national_rows() -> list[list]:
    rng = random.Random(f"{YEAR}:chi-so-quoc-gia")
    last_year = _national_2024()
    rows = [list(row) for row in REAL_2025]
    counts: dict[str, int] = {}  # 2024 value → 2025 value of the counts already drawn
    for keys, low, high in ILLUSTRATIVE_2025:
        ratio = rng.uniform(low, high)
        for key in keys:
            old = last_year[key]
            if old["Loại"] == "tỷ lệ":
                previous = GEN_2024.share(int(old["Tử số"]), int(old["Mẫu số"]))  # 2024 as recomputed, not as printed
                denominator = counts.get(old["Mẫu số"]) or round(int(old["Mẫu số"]) * rng.uniform(0.9, 1.1))
                numerator = min(denominator, round(denominator * float(previous) / 100 * ratio))
                values = [GEN_2024.share(numerator, denominator), numerator, denominator, previous]
            else:
                counts[old["Giá trị"]] = round(int(old["Giá trị"]) * ratio)
                values = [counts[old["Giá trị"]], "", "", old["Giá trị"]]
            rows.append([key, old["Tên chỉ số"], YEAR, values[0], old["Đơn vị"], old["Loại"], *values[1:], "",
                         f"{SOURCE}; năm 2024: {old['Nguồn']}", "có"])
    return rows


# --- per-province indicators and targets ---------------------------------------------------------------------

def _last_year_totals(registry: UnitRegistry, unit: Unit, table: dict) -> dict[str, int]:
    """The predecessors' 2024 sample figures added up: people, agencies and visits of the merged province."""
    rows = [table[old.name] for old in registry.predecessors(unit)]
    return {"officials": sum(int(r["officials_briefed"].denominator) for r in rows),
            "agencies": sum(int(r["agencies_with_plan"].denominator) for r in rows),
            "visits": sum(int(r["citizen_visits"].value) for r in rows),
            "par_index": str(rows[0][GEN_2024.PAR_INDEX].value) if len(rows) == 1 else "",  # an index is not summed
            "merged": len(rows) > 1}


def province_indicator_rows(unit: Unit, last: dict, rng: random.Random) -> list[list]:
    officials = round(last["officials"] * rng.uniform(0.85, 0.95))  # staff cut with the reorganisation
    agencies = round(last["agencies"] * (rng.uniform(0.60, 0.80) if last["merged"] else rng.uniform(0.85, 1.0)))
    parts = {
        "officials_briefed": (officials if rng.random() < 0.5 else officials - rng.randint(1, officials // 40), officials),
        "agencies_with_plan": (agencies if rng.random() < 0.6 else agencies - rng.randint(1, 5), agencies),
        "agencies_rated_good": (round(agencies * rng.uniform(0.80, 0.99)), agencies),
    }
    source = f"{SOURCE}; năm trước: tổng các tỉnh trước sắp xếp trong data/2024/chi-so-tinh.csv (cũng minh họa)"
    rows = [[unit.name, key, name, YEAR, GEN_2024.share(*parts[key]), "%", "tỷ lệ", *parts[key], "", "", SOURCE, "có"]
            for key, name in GEN_2024.SHARES.items()]
    visits = round(last["visits"] * rng.uniform(0.8, 1.2))
    rows.append([unit.name, "citizen_visits", GEN_2024.VISITS, YEAR, visits, "lượt", "số lượng", "", "", last["visits"],
                 "", source, "có"])
    index_source = f"{SOURCE}; năm trước: data/2024/chi-so-tinh.csv (cũng minh họa)" if last["par_index"] else SOURCE
    rows.append(GEN_2024.par_index_row(unit.name, YEAR, rng, last["par_index"], index_source))
    return rows


def province_target_rows(unit: Unit) -> list[list]:
    """Tây Ninh's 2025 targets (Kế hoạch 696/KH-UBND, issued before the merger with Long An), lent to all."""
    source = (f"{GEN_2024.PLAN_696} của UBND tỉnh Tây Ninh (trước sắp xếp), áp dụng minh họa cho tỉnh mới"
              if unit.name == "Tây Ninh" else f"Mức minh họa, theo {GEN_2024.PLAN_696} của UBND tỉnh Tây Ninh")
    return [[unit.name, code, text, operator, level, "%", indicator, source, "có"]
            for code, text, operator, level, indicator in GEN_2024.TARGETS]


# --- writing -------------------------------------------------------------------------------------------------

def write_table(name: str, header: list[str], rows: list[list], workbook) -> None:
    """`name`.csv and `name`.xlsx with the same cells, as `baocao new-year` wrote the templates."""
    table = [header] + [["" if cell is None else str(cell) for cell in row] for row in rows]
    (FOLDER / f"{name}.csv").write_text(csv_text(table), encoding="utf-8")
    workbook(table).save(FOLDER / f"{name}.xlsx")


def main() -> None:
    registry = UnitRegistry.load()
    register = register_rows(registry, load_params(ROOT / "params/2025.yml").deadlines)
    write_table("so-theo-doi", register[0], register[1:], register_workbook)
    write_table("chi-so-quoc-gia", NATIONAL_INDICATORS_HEADER, national_rows(), indicators_workbook)
    table_2024, _ = read_unit_indicators(ROOT / "data/2024/chi-so-tinh.csv", YEAR - 1, registry)
    provinces = registry.expected("province", YEAR)
    write_table("chi-so-tinh", UNIT_INDICATORS_HEADER,
                [row for unit in provinces for row in province_indicator_rows(
                    unit, _last_year_totals(registry, unit, table_2024), random.Random(f"{YEAR}:{unit.slug}"))],
                indicators_workbook)
    write_table("chi-tieu", TARGETS_HEADER, [row for unit in provinces for row in province_target_rows(unit)],
                indicators_workbook)


if __name__ == "__main__":
    main()
