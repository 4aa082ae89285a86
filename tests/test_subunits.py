"""A province's register of its sở, ban, ngành and communes: read against the shipped commune list and the
analyst's list of departments, counted with Tây Ninh's own deadlines, printed as a sentence, a table and a
Bảng tổng hợp appendix."""
from __future__ import annotations

import csv
import datetime as dt
import filecmp

import pytest

from baocao.checks import check
from baocao.document import ILLUSTRATIVE_NOTICE
from baocao.errors import ERROR, BaocaoError
from baocao.inputs import read_inputs
from baocao.params import load_params
from baocao.report import build, build_for
from conftest import ROOT, copy_project, refused, replace_once, run_generator

WORKSPACE = ROOT / "data" / "2025" / "tay-ninh"
DEADLINES = {"plan": dt.date(2025, 3, 29), "annual_report": dt.date(2025, 11, 1), "scoring_report": dt.date(2025, 11, 15)}
COLUMNS = {"plan": (2, 3), "annual_report": (4, 5), "scoring_report": (6, 7)}


@pytest.fixture(scope="module")
def tay_ninh():
    return build_for(2025, "tay-ninh", root=ROOT)


def recount() -> dict:
    """Received / late / missing straight from the CSV, with the deadlines of Kế hoạch 696/KH-UBND."""
    rows = list(csv.reader((WORKSPACE / "so-theo-doi.csv").open(encoding="utf-8")))[2:]
    counts, group = {}, None
    for row in rows:
        if row[0] in ("I", "II"):
            group = {"I": "departments", "II": "communes"}[row[0]]
            counts[group] = {"total": 0} | {doc: {"received": 0, "late": 0, "missing": []} for doc in COLUMNS}
            continue
        counts[group]["total"] += 1
        for doc, (number, date) in COLUMNS.items():
            if not row[number]:
                counts[group][doc]["missing"].append(row[1].removeprefix("UBND "))
                continue
            counts[group][doc]["received"] += 1
            day, month, year = map(int, row[date].split("/"))
            counts[group][doc]["late"] += dt.date(year, month, day) >= DEADLINES[doc]
    return counts


def test_every_commune_and_department_must_report(tay_ninh):
    facts = tay_ninh.facts["subunits"]
    departments = list(csv.reader((WORKSPACE / "so-nganh.csv").open(encoding="utf-8")))[1:]
    assert facts["departments"]["total"] == len(departments) and facts["communes"]["total"] == 96


def test_counts_and_lists_agree_with_a_recount_of_the_file(tay_ninh):
    facts, expected = tay_ninh.facts["subunits"], recount()
    for group, counts in expected.items():
        for doc in COLUMNS:
            got = facts[group][doc]
            assert (got["received"], got["late"]) == (counts[doc]["received"], counts[doc]["late"]), (group, doc)
            assert sorted(got["missing_units"]) == sorted(counts[doc]["missing"])
    assert facts["communes"]["annual_report"]["due_before"] == "2025-11-01"


def test_the_sentence_names_late_and_missing_units_in_vietnamese_order(tay_ninh):
    annual = tay_ninh.facts["subunits"]["communes"]["annual_report"]
    expected = recount()["communes"]
    sentence = (f"nhận được báo cáo năm của {tay_ninh.facts['subunits']['departments']['annual_report']['received']:02d}/15 "
                f"sở, ban, ngành và {expected['annual_report']['received']}/96 xã, phường, đặc khu.")
    assert sentence in tay_ninh.markdown
    assert f"{annual['missing']} xã, phường, đặc khu chưa gửi: " + ", ".join(annual["missing_units"]) in tay_ninh.markdown
    assert annual["missing_units"].index("xã Đức Lập") < annual["missing_units"].index("xã Dương Minh Châu")


def test_the_appendix_lists_both_groups_and_every_unit(tay_ninh):
    appendix = tay_ninh.markdown[tay_ninh.markdown.index("{.appendix"):]
    assert "I Sở, ban, ngành" in appendix and "II Xã, phường, đặc khu" in appendix
    assert "UBND xã Tân Biên" in appendix and "Sở Nội vụ" in appendix
    assert "các sở, ban, ngành và xã, phường, đặc khu trên địa bàn tỉnh Tây Ninh năm 2025" in appendix


def test_the_sample_is_flagged_illustrative(tay_ninh):
    assert tay_ninh.facts["illustrative"]["subunits"] is True and tay_ninh.facts["illustrative"]["params"] is True
    assert ILLUSTRATIVE_NOTICE in tay_ninh.markdown


def test_a_province_without_a_register_has_no_subunits():
    report = build_for(2025, "ha-noi", root=ROOT)
    assert "subunits" not in report.facts and "{.appendix" not in report.markdown


@pytest.fixture
def project(tmp_path):
    return copy_project(tmp_path)


def _errors(project) -> list[str]:
    return [f"{p.row}|{p.column}|{p.message}" for p in refused(project / "params" / "2025" / "tay-ninh.yml")]


def test_a_misspelt_commune_is_answered_with_the_closest_one(project):
    replace_once(project / "data/2025/tay-ninh/so-theo-doi.csv", "UBND xã Tân Biên", "UBND xã Tân Bien")
    errors = _errors(project)
    assert any('Không nhận ra đơn vị "UBND xã Tân Bien". Có phải: xã Tân Biên' in e for e in errors)
    assert any("thiếu đơn vị phải báo cáo năm 2025 (nhóm «Xã, phường, đặc khu»)" in e for e in errors)


def test_a_commune_of_another_province_is_named_as_such(project):
    replace_once(project / "data/2025/tay-ninh/so-theo-doi.csv", "UBND xã Tân Biên", "UBND phường Hoàn Kiếm")
    assert any("không thuộc tỉnh Tây Ninh; tên này là của đơn vị thuộc: thành phố Hà Nội" in e for e in _errors(project))


def test_a_department_not_on_the_list_is_an_error_saying_where_to_add_it(project):
    replace_once(project / "data/2025/tay-ninh/so-theo-doi.csv", "Sở Tư pháp", "Sở Ngoại vụ")
    errors = _errors(project)
    assert any("Sở Ngoại vụ" in e and "trong danh sách sở, ban, ngành của tỉnh" in e for e in errors)
    assert any("thiếu đơn vị" in e and "Sở, ban, ngành" in e for e in errors)


def test_a_register_without_its_department_list_is_refused(project):
    (project / "data/2025/tay-ninh/so-nganh.csv").unlink()
    with pytest.raises(BaocaoError, match="data.subunits .* và data.departments .* phải có cả hai"):
        load_params(project / "params" / "2025" / "tay-ninh.yml")


def test_check_knows_the_subunit_placeholders(project):
    prose = project / "data/2025/tinh/prose/khai-quat-chung.md"
    prose.write_text(prose.read_text(encoding="utf-8") + "\nChưa gửi: {{ subunits.communes.annual_report.missing_units }}."
                     " {{ subunits.communes.annual_report.mising }}\n", encoding="utf-8")
    params = load_params(project / "params" / "2025" / "tay-ninh.yml")
    problems = [p for p in check(read_inputs(params)).problems if p.severity == ERROR]
    assert [p.message.split(".")[0] for p in problems] == ["không có số liệu tên «subunits"]
    assert "Có phải: subunits.communes.annual_report.missing" in problems[0].message
    with pytest.raises(BaocaoError) as refused:  # what render refuses is what check reported
        build(params)
    assert [p for p in refused.value.problems if p.severity == ERROR] == problems


def test_the_sample_is_what_its_generator_writes(project):
    """The tables of the workspace (its prose is written by hand)."""
    run_generator(project, "data/2025/tay-ninh/tao_du_lieu_minh_hoa.py")
    names = sorted(p.name for p in WORKSPACE.glob("*.csv"))
    assert filecmp.cmpfiles(WORKSPACE, project / "data/2025/tay-ninh", names, shallow=False)[0] == names


def test_a_broken_department_list_leaves_register_scores_and_models_unchecked_in_check_and_render(project):
    """Register, scores and models are all read against the province's one roster: with its list of sở, ban,
    ngành broken (just the header, as `new-unit` leaves it), each says it was not checked, in check and render."""
    (project / "data/2025/tay-ninh/so-nganh.csv").write_text("Tên cơ quan,Minh họa\n", encoding="utf-8")
    params = load_params(project / "params" / "2025" / "tay-ninh.yml")
    errors = [p for p in check(read_inputs(params)).problems if p.severity == ERROR]
    assert [(p.file.split("/")[-1], p.message) for p in errors] == [
        ("so-nganh.csv", "bảng chỉ có dòng tiêu đề, không có dòng dữ liệu nào"),
        ("so-theo-doi.csv", "chưa kiểm tra được sổ theo dõi: danh sách sở, ban, ngành có lỗi"),
        ("cham-diem.csv", "chưa kiểm tra được bảng điểm: danh sách sở, ban, ngành có lỗi"),
        ("mo-hinh-dan-van-kheo.csv", "chưa kiểm tra được bảng mô hình: danh sách sở, ban, ngành có lỗi")]
    with pytest.raises(BaocaoError) as refused:
        build(params)
    assert [p for p in refused.value.problems if p.severity == ERROR] == errors
