"""Targets are judged from the data with the comparison the data states; the per-unit tables are read
strictly, and every problem points at the shared file's own row."""
from __future__ import annotations

import csv
import dataclasses
import shutil
import subprocess
import sys

import pytest

from baocao.errors import BaocaoError
from baocao.indicators import unit_indicators
from baocao import targets
from baocao.report import build_for
from baocao.targets import level_text, own_targets, targets_table
from baocao.units import UnitRegistry
from conftest import ROOT

TAY_NINH = next(u for u in UnitRegistry.load().expected("province", 2024) if u.slug == "tay-ninh")
INDICATOR_HEADER = ["Đơn vị", "Mã chỉ số", "Tên chỉ số", "Năm", "Giá trị", "Đơn vị", "Loại", "Tử số", "Mẫu số",
                    "Giá trị năm trước", "Thay đổi theo nguồn (%)", "Nguồn", "Minh họa"]
TARGET_HEADER = ["Đơn vị", "Mã chỉ tiêu", "Nội dung chỉ tiêu", "Phép so sánh", "Mức chỉ tiêu", "Đơn vị tính",
                 "Mã chỉ số", "Nguồn", "Minh họa"]


def write(path, header, rows):
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows([header, *rows])
    return path


def share(unit, key, numerator, denominator, typed):
    return [unit, key, key, 2024, typed, "%", "tỷ lệ", numerator, denominator, "", "", "thử", "có"]


@pytest.fixture
def indicators(tmp_path):
    path = write(tmp_path / "chi-so.csv", INDICATOR_HEADER, [
        share("Hà Giang", "good", 1, 2, "50.00"),
        share("Tây Ninh", "good", 90, 100, "90.00"),
        share("Tây Ninh", "other", 95, 100, "95.00"),
    ])
    found, problems = unit_indicators(path, TAY_NINH, 2024)
    assert problems == []
    return found


def judge(tmp_path, indicators, rows):
    path = write(tmp_path / "chi-tieu.csv", TARGET_HEADER, rows)
    return targets.judge(own_targets(path, TAY_NINH, 2024, indicators)[0], indicators)


def target(code, op, level, indicator="good", unit="Tây Ninh"):
    return [unit, code, f"chỉ tiêu {code}", op, level, "%", indicator, "thử", "có"]


def test_only_the_units_own_rows_are_read(indicators):
    assert set(indicators) == {"good", "other"}
    assert indicators["good"].value_text() == "90,00%"


@pytest.mark.parametrize("op, verdict", [(">", "Không đạt"), (">=", "Đạt"), ("=", "Đạt"), ("<", "Không đạt"), ("<=", "Đạt")])
def test_the_comparison_comes_from_the_data(tmp_path, indicators, op, verdict):
    [result] = judge(tmp_path, indicators, [target("a", op, 90)])
    assert result.verdict == verdict


def test_level_reads_as_the_plan_words_it(tmp_path, indicators):
    results = judge(tmp_path, indicators, [target("a", ">", 90), target("b", "=", 100), target("c", ">=", "95.5")])
    assert [level_text(r.target) for r in results] == ["Trên 90%", "100%", "Từ 95,5% trở lên"]
    table = targets_table(results).splitlines()
    assert table[0] == "| Chỉ tiêu | Mức chỉ tiêu | Kết quả | Đánh giá |"
    assert table[2] == "| chỉ tiêu a | Trên 90% | 90,00% | Không đạt |"


def test_a_share_is_judged_on_its_numerator_and_denominator_not_the_typed_value(tmp_path):
    path = write(tmp_path / "chi-so.csv", INDICATOR_HEADER, [share("Tây Ninh", "good", 89, 100, "95.00")])
    found, [warning] = unit_indicators(path, TAY_NINH, 2024)
    assert warning.row == 2 and warning.severity == "cảnh báo"
    [result] = judge(tmp_path, found, [target("a", ">", 90)])
    assert (result.value_text(), result.verdict) == ("89,00%", "Không đạt")


def test_every_bad_target_cell_is_reported_at_once(tmp_path, indicators):
    with pytest.raises(BaocaoError) as caught:
        judge(tmp_path, indicators, [target("a", "≈", 90), target("b", ">", "chín mươi"),
                                     target("d", ">", 90, unit="Tây Ninhh")])
    where = {(p.row, p.column) for p in caught.value.problems}
    assert where == {(2, "Phép so sánh"), (3, "Mức chỉ tiêu"), (4, "Đơn vị")}
    unknown = next(p for p in caught.value.problems if p.column == "Đơn vị")
    assert "Tây Ninh" in unknown.message


def test_a_target_on_an_indicator_the_unit_lacks_is_an_error(tmp_path, indicators):
    with pytest.raises(BaocaoError) as caught:
        judge(tmp_path, indicators, [target("c", ">", 90, indicator="khong_co")])
    [problem] = caught.value.problems
    assert problem.column == "Mã chỉ số" and problem.value == "khong_co" and "«c»" in problem.message


def test_indicator_problems_point_at_the_shared_files_rows(tmp_path):
    path = write(tmp_path / "chi-so.csv", INDICATOR_HEADER, [
        share("Hà Giang", "good", 1, 2, "50.00"),
        share("Tây Ninh", "good", 90, 100, "chín mươi"),
    ])
    with pytest.raises(BaocaoError) as caught:
        unit_indicators(path, TAY_NINH, 2024)
    [problem] = caught.value.problems
    assert (problem.file, problem.row, problem.column) == (str(path), 3, "Giá trị")


def test_the_first_column_must_name_the_unit(tmp_path):
    path = write(tmp_path / "chi-so.csv", INDICATOR_HEADER[1:], [])
    with pytest.raises(BaocaoError, match="cột đầu tiên phải là «Đơn vị»"):
        unit_indicators(path, TAY_NINH, 2024)


def test_sample_data_is_reproducible_and_marked_illustrative(tmp_path):
    folder = tmp_path / "data" / "2024"
    shutil.copytree(ROOT / "data" / "2024" / "tinh", folder / "tinh")
    script = folder / "tinh" / "tao_du_lieu_minh_hoa.py"
    subprocess.run([sys.executable, str(script)], check=True)
    for name in ("chi-so-tinh.csv", "chi-tieu.csv"):
        assert (folder / name).read_bytes() == (ROOT / "data" / "2024" / name).read_bytes(), name
        with (folder / name).open(encoding="utf-8") as handle:
            rows = list(csv.reader(handle))[1:]
        assert {row[-1] for row in rows} == {"có"}
        assert len({row[0] for row in rows}) == 63


def test_levels_in_every_wording_and_unit(tmp_path, indicators):
    # "99.1250": written "99.125" in a column of integers, the dot could group thousands, and is refused
    results = judge(tmp_path, indicators, [target("a", "<", 5), target("b", "<=", "99.1250"), target("c", ">=", 1000)])
    results[2] = dataclasses.replace(results[2], target=dataclasses.replace(results[2].target, measure="lượt"))
    assert [level_text(r.target) for r in results] == ["Dưới 5%", "Không quá 99,13%", "Từ 1.000 lượt trở lên"]
    assert targets_table(results).splitlines()[:2] == ["| Chỉ tiêu | Mức chỉ tiêu | Kết quả | Đánh giá |",
                                                       "|:---|:---:|:---:|:---:|"]


def test_a_unit_without_indicators_has_none_and_its_targets_say_so(tmp_path, indicators):
    path = write(tmp_path / "chi-so.csv", INDICATOR_HEADER, [share("Hà Giang", "good", 1, 2, "50.00")])
    assert unit_indicators(path, TAY_NINH, 2024) == ({}, [])
    targets = write(tmp_path / "chi-tieu.csv", TARGET_HEADER, [target("a", ">", 90), target("b", ">", 90, indicator="")])
    for found, listed in (({}, "không có chỉ số nào"), (indicators, "good, other")):
        with pytest.raises(BaocaoError) as caught:
            own_targets(targets, TAY_NINH, 2024, found)
        messages = [(p.file, p.row, p.column, p.value, p.message) for p in caught.value.problems]
        expected = [(str(targets), 3, "Mã chỉ số", "", f"chỉ tiêu «b» của Tây Ninh cần một chỉ số của đơn vị; có: {listed}")]
        if not found:  # each problem names the target's own row of the table (row 1 is the header)
            expected.insert(0, (str(targets), 2, "Mã chỉ số", "good",
                                f"chỉ tiêu «a» của Tây Ninh cần một chỉ số của đơn vị; có: {listed}"))
        assert messages == expected


def test_a_result_is_illustrative_when_its_target_or_its_figure_is(tmp_path, indicators):
    [result] = judge(tmp_path, indicators, [target("a", ">", 90)[:-1] + ["không"]])
    assert not result.target.illustrative and result.indicator.illustrative
    assert result.facts()["illustrative"] is True


def test_the_real_2025_report_of_tay_ninh_records_each_target_judged():
    """97/113 = 85,84 % against "> 90" (data/2025/chi-so-tinh.csv, chi-tieu.csv)."""
    facts = {t["code"]: t for t in build_for(2025, "tay-ninh", root=ROOT).facts["targets"]}
    assert facts["ct_xep_loai_tot"] == {
        "code": "ct_xep_loai_tot",
        "text": "Cơ quan, đơn vị, địa phương được đánh giá, xếp loại công tác dân vận chính quyền mức Tốt",
        "operator": ">", "level": 90.0, "level_text": "Trên 90%", "indicator": "agencies_rated_good",
        "value": pytest.approx(9700 / 113), "value_text": "85,84%", "met": False, "verdict": "Không đạt",
        "source": "Kế hoạch 696/KH-UBND ngày 06/3/2025 của UBND tỉnh Tây Ninh (trước sắp xếp), áp dụng minh họa "
                  "cho tỉnh mới",
        "illustrative": True}
    assert [(t["level_text"], t["value_text"], t["verdict"]) for t in facts.values()] == [
        ("100%", "97,54%", "Không đạt"), ("100%", "100,00%", "Đạt"), ("Trên 90%", "85,84%", "Không đạt")]
