"""Write the ILLUSTRATIVE per-province sample data: data/2024/chi-so-tinh.csv and data/2024/chi-tieu.csv.

No province has published these figures for 2024 in a form baocao can read, yet a province's report needs
indicators to show how its numbers flow into the text and the targets table. So every value here is made
up, deterministically (one seeded generator per province, so a rerun writes the same files), and every row
says `Minh họa = có`; a report that uses them is marked "DỮ LIỆU MINH HỌA". Replace a province's rows with
its real figures (and `Minh họa = không`) when they exist.

The target levels are real: they are the 2025 targets of Tây Ninh's Kế hoạch 696/KH-UBND ngày 06/3/2025
(100% of officials briefed, 100% of agencies with a plan, over 90% of agencies rated "Tốt"). Applied to 2024
sample data, and lent to every other province, they are illustrative too.

Run from the project folder: PYTHONPATH=lib python data/2024/tinh/tao_du_lieu_minh_hoa.py
"""
from __future__ import annotations

import csv
import random
from decimal import Decimal
from pathlib import Path

from baocao.units import UnitRegistry

YEAR = 2024
DATA = Path(__file__).resolve().parents[1]
SOURCE = "Số liệu minh họa, sinh bởi data/2024/tinh/tao_du_lieu_minh_hoa.py"
INDICATOR_COLUMNS = ["Đơn vị", "Mã chỉ số", "Tên chỉ số", "Năm", "Giá trị", "Đơn vị", "Loại", "Tử số", "Mẫu số",
                     "Giá trị năm trước", "Thay đổi theo nguồn (%)", "Nguồn", "Minh họa"]
TARGET_COLUMNS = ["Đơn vị", "Mã chỉ tiêu", "Nội dung chỉ tiêu", "Phép so sánh", "Mức chỉ tiêu", "Đơn vị tính",
                  "Mã chỉ số", "Nguồn", "Minh họa"]
SHARES = {
    "officials_briefed": "Tỷ lệ cán bộ, công chức, viên chức được học tập, quán triệt các chỉ thị, nghị quyết, "
                         "chính sách về công tác dân vận",
    "agencies_with_plan": "Tỷ lệ cơ quan, đơn vị, địa phương xây dựng kế hoạch thực hiện công tác dân vận chính quyền",
    "agencies_rated_good": "Tỷ lệ cơ quan, đơn vị, địa phương được đánh giá, xếp loại công tác dân vận chính quyền "
                           "mức Tốt",
}
VISITS = "Số lượt tiếp công dân"
# An index, so that a comparison across the 2025 mergers shows what cannot be summed or averaged without
# weights. The real PAR INDEX of each province is published by Bộ Nội vụ; these values are made up.
PAR_INDEX = "par_index"
PAR_INDEX_NAME = "Chỉ số cải cách hành chính (PAR INDEX) của địa phương (minh họa)"
PLAN_696 = "Kế hoạch 696/KH-UBND ngày 06/3/2025"
TARGETS = [  # (code, text, operator, level, indicator): Kế hoạch 696/KH-UBND, mục III, chỉ tiêu 1, 2 và 5
    ("ct_quan_triet", "Cán bộ, công chức, viên chức được học tập, quán triệt các chỉ thị, nghị quyết và chính sách "
                      "về công tác dân vận", "=", 100, "officials_briefed"),
    ("ct_ke_hoach", "Cơ quan, đơn vị, địa phương xây dựng kế hoạch thực hiện công tác dân vận chính quyền",
     "=", 100, "agencies_with_plan"),
    ("ct_xep_loai_tot", "Cơ quan, đơn vị, địa phương được đánh giá, xếp loại công tác dân vận chính quyền mức Tốt",
     ">", 90, "agencies_rated_good"),
]


def share(numerator: int, denominator: int) -> str:
    """The value as baocao recomputes it (Decimal, two decimals), so the sample never triggers its warning."""
    return str((Decimal(numerator) / Decimal(denominator) * 100).quantize(Decimal("0.01")))


def indicator_rows(name: str, rng: random.Random) -> list[list]:
    officials = rng.randint(2_500, 40_000)
    agencies = rng.randint(40, 120)
    parts = {
        "officials_briefed": (officials if rng.random() < 0.6 else officials - rng.randint(1, officials // 50), officials),
        "agencies_with_plan": (agencies if rng.random() < 0.7 else agencies - rng.randint(1, 4), agencies),
        "agencies_rated_good": (round(agencies * rng.uniform(0.80, 0.99)), agencies),
    }
    rows = [[name, key, SHARES[key], YEAR, share(*parts[key]), "%", "tỷ lệ", *parts[key], "", "", SOURCE, "có"]
            for key in SHARES]
    previous = rng.randint(800, 9_000)
    visits = round(previous * rng.uniform(0.8, 1.25))
    rows.append([name, "citizen_visits", VISITS, YEAR, visits, "lượt", "số lượng", "", "", previous, "", SOURCE, "có"])
    rows.append(par_index_row(name, YEAR, rng, "", SOURCE))  # no 2023 value: the 2024 reports stay as they were
    return rows


def par_index_row(name: str, year: int, rng: random.Random, previous: str, source: str) -> list:
    """The province's illustrative PAR INDEX of `year`, a few points from `previous`: last year's value, or
    "" when there is none to compare with (a merged province; 2023, which the sample does not cover)."""
    base = float(previous) if previous else rng.uniform(80, 92)
    value = min(99.0, max(70.0, base + rng.uniform(-3, 3)))
    return [name, PAR_INDEX, PAR_INDEX_NAME, year, f"{value:.2f}", "%", "chỉ số", "", "", previous, "", source, "có"]


def target_rows(name: str) -> list[list]:
    source = PLAN_696 if name == "Tây Ninh" else f"Mức minh họa, theo {PLAN_696} của UBND tỉnh Tây Ninh"
    return [[name, code, text, operator, level, "%", indicator, source, "có"]
            for code, text, operator, level, indicator in TARGETS]


def write(path: Path, header: list[str], rows: list[list]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)


def main() -> None:
    provinces = UnitRegistry.load().expected("province", YEAR)
    write(DATA / "chi-so-tinh.csv", INDICATOR_COLUMNS,
          [row for unit in provinces for row in indicator_rows(unit.name, random.Random(f"{YEAR}:{unit.slug}"))])
    write(DATA / "chi-tieu.csv", TARGET_COLUMNS, [row for unit in provinces for row in target_rows(unit.name)])


if __name__ == "__main__":
    main()
