"""«Dân vận khéo» models: counts by field and by unit and the change on last year, in the national report and
in a province's, recounted here from the table itself."""
from __future__ import annotations

import csv
import filecmp
from collections import Counter

import pytest

from baocao.errors import BaocaoError
from baocao.models import change
from baocao.params import load_params
from baocao.report import build, build_for
from conftest import ROOT, copy_project, run_generator

TABLES = {"toan-quoc": ROOT / "data/2025/mo-hinh-dan-van-kheo.csv", "tay-ninh": ROOT / "data/2025/tay-ninh/mo-hinh-dan-van-kheo.csv"}


def recount(path) -> tuple[Counter, Counter]:
    """(registered, recognised) per (year, field) from the rows."""
    registered, recognised = Counter(), Counter()
    for row in csv.DictReader(path.open(encoding="utf-8")):
        registered[row["Năm"], row["Lĩnh vực"]] += 1
        recognised[row["Năm"], row["Lĩnh vực"]] += row["Công nhận"] == "có"
    return registered, recognised


@pytest.mark.parametrize("unit", TABLES)
def test_counts_by_field_and_the_change_agree_with_a_recount(unit):
    report = build_for(2025, unit, root=ROOT)
    found = report.facts["models"]
    registered, recognised = recount(TABLES[unit])
    for field, counts in found["fields"].items():
        assert counts["current"] == {"registered": registered["2025", field], "recognised": recognised["2025", field]}
        assert counts["previous"]["recognised"] == recognised["2024", field]
    now, before = sum(v for (y, _), v in recognised.items() if y == "2025"), sum(v for (y, _), v in recognised.items() if y == "2024")
    assert f"mô hình được công nhận (năm 2024: {before:02d}, {change(now, before)})" in report.markdown
    assert f"| Tổng số | {sum(v for (y, _), v in registered.items() if y == '2025'):02d} | {now:02d} | {before:02d} |" in report.markdown
    assert report.facts["illustrative"]["models"] is True


def test_counts_by_unit_name_each_unit_once_in_vietnamese_order():
    found = build_for(2025, "tay-ninh", root=ROOT).facts["models"]
    rows = [row for row in csv.DictReader(TABLES["tay-ninh"].open(encoding="utf-8")) if row["Năm"] == "2025"]
    assert sum(c["registered"] for c in found["units"].values()) == len(rows)
    names = list(found["units"])
    assert len(names) == len({r["Đơn vị"] for r in rows})
    assert names.index("Bộ Chỉ huy Quân sự tỉnh") < names.index("Công an tỉnh") < names.index("phường An Tịnh") \
        < names.index("Sở Công Thương") < names.index("Sở Y tế") < names.index("xã An Ninh")


@pytest.mark.parametrize(("now", "before", "text"), [(11, 10, "tăng 10%"), (9, 12, "giảm 25%"), (5, 0, "năm trước chưa có"),
                                                      (0, 0, "không đổi"), (7, 7, "không đổi"), (2, 3, "giảm 33,3%")])
def test_change_wording(now, before, text):
    assert change(now, before) == text


def test_a_bad_field_and_a_misspelt_unit_of_this_year_are_errors_last_year_is_only_counted(tmp_path):
    project = copy_project(tmp_path)
    table = project / "data/2025/tay-ninh/mo-hinh-dan-van-kheo.csv"
    rows = list(csv.reader(table.open(encoding="utf-8")))
    this_year = next(i for i, row in enumerate(rows) if row[3] == "2025")
    last_year = next(i for i, row in enumerate(rows) if row[3] == "2024")
    rows[this_year][0], rows[this_year + 1][2] = "Sở Y tê", "kinh tê"
    rows[last_year][0] = "huyện Tân Biên (cũ)"
    with table.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)
    with pytest.raises(BaocaoError) as caught:
        build(load_params(project / "params/2025/tay-ninh.yml"))
    problems = {(p.row, p.column): p.message for p in caught.value.problems}
    assert "Có phải: Sở Y tế?" in problems[this_year + 1, "Đơn vị"]
    assert problems[this_year + 2, "Lĩnh vực"].startswith("một trong: kinh tế, văn hóa – xã hội")
    assert (last_year + 1, "Đơn vị") not in problems


def test_the_sample_is_what_its_generator_writes(tmp_path):
    project = copy_project(tmp_path)
    run_generator(project, "data/2025/tao_mo_hinh_minh_hoa.py")
    for path in TABLES.values():
        assert filecmp.cmp(path, project / path.relative_to(ROOT), shallow=False)
