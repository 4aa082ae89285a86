"""Write the ILLUSTRATIVE «Dân vận khéo» model tables of 2025 (with 2024 rows to compare with).

No list of the models registered and recognised in 2024 or 2025 is public here, so this script makes them
up, reproducibly (seeded), every row `Minh họa = có`:
- `data/2025/mo-hinh-dan-van-kheo.csv`: the national report's, by ministry and province (the units of each
  year's list: 2024 rows name the 63 provinces and 30 ministries, 2025 rows the 34 and 22);
- `data/2025/tay-ninh/mo-hinh-dan-van-kheo.csv`: Tây Ninh's, by sở, ban, ngành and commune (2024 rows are
  named with the 2025 units: the sample does not rebuild the communes before 01/7/2025).
Each unit registers a few models a year, in one of the four fields; about two in three are recognised.

Run from the project folder: PYTHONPATH=lib python data/2025/tao_mo_hinh_minh_hoa.py
"""
from __future__ import annotations

import csv
import random
from pathlib import Path

from baocao.communes import CommuneList
from baocao.models import FIELDS
from baocao.tablefiles import csv_text
from baocao.units import UnitRegistry

FOLDER = Path(__file__).resolve().parent
HEADER = ["Đơn vị", "Tên mô hình", "Lĩnh vực", "Năm", "Công nhận", "Nguồn", "Minh họa"]
SOURCE = "Số liệu minh họa, sinh bởi data/2025/tao_mo_hinh_minh_hoa.py"
TOPICS = {"kinh tế": "phát triển kinh tế hộ gia đình", "văn hóa – xã hội": "xây dựng đời sống văn hóa ở khu dân cư",
          "quốc phòng – an ninh": "giữ gìn an ninh trật tự", "xây dựng hệ thống chính trị": "giải quyết thủ tục hành chính"}


def rows(units_by_year: dict[int, list[str]], seed: int, most: int) -> list[list[str]]:
    """Up to `most` models per unit and year, each in a field, about two in three recognised."""
    rng = random.Random(seed)
    table = [HEADER]
    for year, units in units_by_year.items():
        for unit in units:
            for number in range(rng.randrange(0, most + 1)):
                field = rng.choice(FIELDS)
                table.append([unit, f"Dân vận khéo trong {TOPICS[field]} ({number + 1})", field, str(year),
                              "có" if rng.random() < 0.65 else "không", SOURCE, "có"])
    return table


def main() -> None:
    registry = UnitRegistry.load()
    national = {year: [u.name for group in ("ministry", "province") for u in registry.expected(group, year)]
                for year in (2024, 2025)}
    (FOLDER / "mo-hinh-dan-van-kheo.csv").write_text(csv_text(rows(national, 2025, 4)), encoding="utf-8")
    with (FOLDER / "tay-ninh" / "so-nganh.csv").open(encoding="utf-8") as handle:
        departments = [row["Tên cơ quan"] for row in csv.DictReader(handle)]
    tay_ninh = registry.resolve("Tây Ninh", "province", 2025)
    units = departments + [c.full_name for c in CommuneList.load().of(tay_ninh, 2025)]
    (FOLDER / "tay-ninh" / "mo-hinh-dan-van-kheo.csv").write_text(csv_text(rows({2024: units, 2025: units}, 2026, 2)),
                                                                  encoding="utf-8")


if __name__ == "__main__":
    main()
