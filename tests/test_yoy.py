"""Year on year across the 2025 mergers: last year's figures on this year's units, combined the only ways that
keep their meaning, submissions compared by share, and merged units named with what they were."""
from __future__ import annotations

import csv
import dataclasses
import shutil
from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from baocao import yoy
from baocao.errors import BaocaoError
from baocao.indicators import read_unit_indicators
from baocao.weights import Weight, read_weights
from baocao.newyear import new_year, register_table
from baocao.params import OutlineItem, load_params
from baocao.register import load_register
from baocao.report import build, build_for
from baocao.sentences import submissions_comparison
from baocao.tablefiles import csv_text
from conftest import ROOT, copy_project, keep_only

REGISTRY = yoy.UnitRegistry.load()
REGISTER_2024 = ROOT / "data" / "2024" / "so-theo-doi.csv"
INDICATORS_2024 = ROOT / "data" / "2024" / "chi-so-tinh.csv"
INDICATOR_HEADER = ["Đơn vị", "Mã chỉ số", "Tên chỉ số", "Năm", "Giá trị", "Đơn vị", "Loại", "Tử số", "Mẫu số",
                    "Giá trị năm trước", "Thay đổi theo nguồn (%)", "Nguồn", "Minh họa"]
WEIGHT_HEADER = ["Đơn vị", "Mã chỉ số", "Trọng số", "Cơ sở trọng số", "Nguồn", "Minh họa"]
PP = "điểm phần trăm"


def unit(group: str, name: str, year: int = 2025):
    return next(u for u in REGISTRY.expected(group, year) if u.name == name)


def forerunners(name: str) -> list[str]:
    return [old.name for old in REGISTRY.forerunners(unit("province", name), 2024)]


def write(path: Path, header: list[str], rows: list[list]) -> Path:
    keep_only(path)
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows([header, *rows])
    return path


def index_row(name: str, value: str, year: int = 2024) -> list:
    return [name, "par_index", "Chỉ số cải cách hành chính (PAR INDEX)", year, value, "%", "chỉ số", "", "", "", "",
            "thử", "có"]


def csv_rows(path: Path, name: str) -> dict[str, dict[str, str]]:
    """A province's rows of a per-unit table, read with the csv module only (independent of baocao)."""
    with path.open(encoding="utf-8") as handle:
        reader = csv.reader(handle)
        header = next(reader)
        return {row[1]: dict(zip(header[1:], row[1:])) for row in reader if row[0] == name}


@pytest.fixture(scope="module")
def previous():
    table, _ = read_unit_indicators(INDICATORS_2024, 2024)
    return table


# --- indicators ------------------------------------------------------------------------------------------

def test_a_count_of_merged_tay_ninh_is_tay_ninh_plus_long_an(previous):
    assert forerunners("Tây Ninh") == ["Tây Ninh", "Long An"]
    mapped = yoy.map_indicator("citizen_visits", "số lượng", forerunners("Tây Ninh"), previous, {}, 2024)
    by_csv = sum(Decimal(csv_rows(INDICATORS_2024, name)["citizen_visits"]["Giá trị"]) for name in ("Tây Ninh", "Long An"))
    assert (mapped.value, mapped.method) == (by_csv, "sum")
    assert "Tây Ninh và Long An" in mapped.note


def test_a_share_is_recomputed_from_summed_numerators_and_denominators_not_averaged(previous):
    mapped = yoy.map_indicator("agencies_rated_good", "tỷ lệ", forerunners("Tây Ninh"), previous, {}, 2024)
    rows = [csv_rows(INDICATORS_2024, name)["agencies_rated_good"] for name in ("Tây Ninh", "Long An")]
    pooled = sum(Decimal(r["Tử số"]) for r in rows) / sum(Decimal(r["Mẫu số"]) for r in rows) * 100
    averaged = sum(Decimal(r["Giá trị"]) for r in rows) / 2
    assert mapped.value == pooled and mapped.method == "recomputed"
    assert round(pooled, 2) != round(averaged, 2)  # the data tells the two apart


def test_a_share_without_numerators_is_not_comparable(tmp_path):
    path = write(tmp_path / "chi-so.csv", INDICATOR_HEADER, [
        [name, "good", "good", 2024, "90.00", "%", "tỷ lệ", numerator, denominator, "", "", "thử", "có"]
        for name, numerator, denominator in (("Tây Ninh", "9", "10"), ("Long An", "", ""))])
    previous, _ = read_unit_indicators(path, 2024)
    mapped = yoy.map_indicator("good", "tỷ lệ", forerunners("Tây Ninh"), previous, {}, 2024)
    assert mapped.value is None and mapped.note.startswith("thiếu tử số, mẫu số năm 2024 của Long An")


def test_an_index_is_not_comparable_without_weights_and_a_weighted_mean_with_them(tmp_path):
    indexes = write(tmp_path / "chi-so.csv", INDICATOR_HEADER, [index_row("Tây Ninh", "80.00"), index_row("Long An", "90.00")])
    previous, _ = read_unit_indicators(indexes, 2024)
    bare = yoy.map_indicator("par_index", "chỉ số", forerunners("Tây Ninh"), previous, {}, 2024)
    assert bare.value is None and bare.method == "none" and "trọng số" in bare.note
    path = write(tmp_path / "trong-so.csv", WEIGHT_HEADER, [
        ["Tây Ninh", "", "1", "dân số trung bình năm 2024 (minh họa)", "thử", "có"],
        ["Long An", "", "3", "dân số trung bình năm 2024 (minh họa)", "thử", "có"]])
    weights, _ = read_weights(path, 2024)
    weighted = yoy.map_indicator("par_index", "chỉ số", forerunners("Tây Ninh"), previous, weights, 2024)
    assert weighted.value == Decimal("87.5") and weighted.method == "weighted"  # (80×1 + 90×3) / 4, not 85
    assert weighted.note.startswith("bình quân gia quyền theo dân số trung bình năm 2024")


def test_an_index_of_a_unit_with_one_same_named_forerunner_compares_directly(tmp_path):
    indexes = write(tmp_path / "chi-so.csv", INDICATOR_HEADER, [index_row("Cao Bằng", "81.25")])
    previous, _ = read_unit_indicators(indexes, 2024)
    mapped = yoy.map_indicator("par_index", "chỉ số", forerunners("Cao Bằng"), previous, {}, 2024)
    assert (mapped.value, mapped.method, mapped.note) == (Decimal("81.25"), "direct", "")


def test_a_missing_forerunner_row_makes_the_figure_not_comparable(previous):
    partial = {"Tây Ninh": previous["Tây Ninh"]}
    mapped = yoy.map_indicator("citizen_visits", "số lượng", forerunners("Tây Ninh"), partial, {}, 2024)
    assert mapped.value is None and mapped.note == "thiếu số liệu năm 2024 của Long An"


def test_weights_are_read_strictly(tmp_path):
    path = write(tmp_path / "trong-so.csv", WEIGHT_HEADER, [["Tây Nin", "", "0", "dân số", "thử", "có"]])
    with pytest.raises(BaocaoError) as caught:
        read_weights(path, 2024)
    messages = {(p.row, p.column): p.message for p in caught.value.problems}
    assert "Tây Ninh" in messages[2, "Đơn vị"]  # the closest name is suggested
    assert "lớn hơn 0" in messages[2, "Trọng số"]


# --- submissions -----------------------------------------------------------------------------------------

def register_2025(tmp_path: Path, sent: dict[str, str]) -> Path:
    """The 2025 register as `baocao new-year` writes it, with an annual report for the units in `sent`."""
    table = register_table(2025, REGISTRY)
    for row in table:
        if row[1] in sent:
            row[4], row[5] = sent[row[1]], "10/12/2025"
    path = tmp_path / "so-theo-doi-2025.csv"
    path.write_text(csv_text(table), encoding="utf-8")
    return path


SENT_2025 = {"Bộ Nội vụ": "12/BC-BNV", "Bộ Tài chính": "34/BC-BTC", "UBND tỉnh Tây Ninh": "56/BC-UBND",
             "UBND thành phố Hà Nội": "78/BC-UBND"}


@pytest.fixture(scope="module")
def registers(tmp_path_factory):
    current, _ = load_register(register_2025(tmp_path_factory.mktemp("register"), SENT_2025), 2025)
    before, _ = load_register(REGISTER_2024, 2024)
    return before, current


def test_the_national_sentence_compares_shares_across_the_merger(registers):
    comparison = yoy.compare_submissions(*registers, PP)
    sentence = submissions_comparison(comparison, "Bộ Nội vụ", 2025, 2024)
    assert "41/63 địa phương (2024), tỷ lệ 65,08%" in sentence
    assert "02/34 địa phương (2025), tỷ lệ 5,88%" in sentence
    assert "05/30 bộ, ngành (2024), tỷ lệ 16,67%" in sentence and "02/22 bộ, ngành (2025), tỷ lệ 9,09%" in sentence
    assert "(giảm 59,20 điểm phần trăm)" in sentence  # 2/34 − 41/63, exact, then rounded
    assert "so sánh theo tỷ lệ" in sentence


def test_the_submissions_table_shows_both_years_with_shares(registers):
    table = yoy.submissions_table(yoy.Comparison(2024, yoy.compare_submissions(*registers, PP)))
    assert "| Nhóm | Văn bản | Năm 2024 | Năm 2025 | Thay đổi tỷ lệ |" in table
    assert "| Địa phương | Báo cáo năm | 41/63 (65,08%) | 02/34 (5,88%) | giảm 59,20 điểm phần trăm |" in table


def test_a_merged_ministry_compares_with_its_forerunners_summed(registers):
    merged = {m["unit"]: m for m in yoy.compare_merged_units(*registers, REGISTRY, 2024, 2025)}
    home = merged["Bộ Nội vụ"]
    assert home["forerunners"] == ["Bộ Nội vụ", "Bộ Lao động – Thương binh và Xã hội"]
    assert home["annual_report"] == {"previous_received": 1, "previous_total": 2, "previous": "01/02", "current": True}
    assert home["note"] == "Bộ Nội vụ (mới) gồm Bộ Nội vụ và Bộ Lao động – Thương binh và Xã hội trước ngày 01/3/2025"
    assert "Bộ Quốc phòng" not in merged and "Cao Bằng" not in merged  # unchanged units are not listed


# --- who a unit was --------------------------------------------------------------------------------------

@pytest.mark.parametrize("group, name, note", [
    ("province", "Tây Ninh", "Tỉnh Tây Ninh (mới) gồm Tây Ninh và Long An trước ngày 01/7/2025"),
    ("ministry", "Bộ Tài chính", "Bộ Tài chính (mới) gồm Bộ Tài chính và Bộ Kế hoạch và Đầu tư trước ngày 01/3/2025"),
    ("ministry", "Bộ Dân tộc và Tôn giáo", "Bộ Dân tộc và Tôn giáo trước ngày 01/3/2025 là Ủy ban Dân tộc"),
    ("province", "Cao Bằng", None),
    ("ministry", "Bộ Quốc phòng", None),
])
def test_predecessor_notes(group, name, note):
    assert yoy.predecessor_note(REGISTRY, unit(group, name), 2024) == note


def test_the_notes_date_comes_from_the_eras_data():
    era = REGISTRY.era_of(unit("province", "Tây Ninh"))
    assert "từ 01/7/2025" in era.basis and era.start_date.isoformat() == "2025-07-01"


# --- params ----------------------------------------------------------------------------------------------

def params_with(tmp_path: Path, compare: str) -> Path:
    folder = tmp_path / "params"
    folder.mkdir()
    path = folder / "2024.yml"
    path.write_text((ROOT / "params" / "2024.yml").read_text(encoding="utf-8") + compare, encoding="utf-8")
    return path


def only_problem(path: Path):
    """The one problem loading `path` reports."""
    with pytest.raises(BaocaoError) as caught:
        load_params(path)
    [problem] = caught.value.problems
    return problem


def test_a_misspelt_compare_key_names_the_file_and_line(tmp_path):
    path = params_with(tmp_path, "\ncompare:\n  year: 2023\n  submision: data/2023/so-theo-doi.csv\n")
    line = path.read_text(encoding="utf-8").splitlines().index("  submision: data/2023/so-theo-doi.csv") + 1
    problem = only_problem(path)
    assert (Path(problem.file), problem.row, problem.column) == (path, line, "compare.submision")
    assert problem.message == "khóa không có trong mẫu tham số (gõ nhầm?); có phải «submissions»?"


def test_compare_must_fit_the_report(tmp_path):
    path = params_with(tmp_path, "\ncompare:\n  year: 2024\n  indicators: data/2024/chi-so-tinh.csv\n")
    line = path.read_text(encoding="utf-8").splitlines().index("compare:") + 1
    problem = only_problem(path)
    assert (Path(problem.file), problem.row) == (path, line)
    assert "compare.year (2024) phải là một năm trước năm báo cáo (2024)" in problem.message
    assert "chỉ dùng cho báo cáo của một tỉnh" in problem.message


def test_without_compare_the_2024_report_has_no_comparison_and_no_predecessor_notes():
    report = build_for(2024, root=ROOT)
    assert "compare" not in report.facts and "predecessor_notes" not in report.facts
    assert "bcpredecessor" not in report.markdown


# --- rendered text in a 2025 project ------------------------------------------------------------------------

COMPARE_NATIONAL = {"year": 2024, "submissions": "data/2024/so-theo-doi.csv"}


def edit_yaml(path: Path, change) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    """A copy of the repository without the shipped 2025 sample, `new-year 2025 --from 2024`, then small 2025
    tables and `compare:` keys; the 2024 PAR INDEX of Tây Ninh and Long An set to round values."""
    root = copy_project(tmp_path_factory.mktemp("project"))
    (root / "params" / "2025.yml").unlink()
    for folder in ("params/2025", "data/2025"):
        shutil.rmtree(root / folder)
    new_year(root, 2025, 2024)
    data = root / "data" / "2025"
    register_2025(data, SENT_2025).replace(keep_only(data / "so-theo-doi.csv"))

    def national(params: dict) -> None:
        params["compare"] = COMPARE_NATIONAL
        params["data"].pop("indicators")
        params["outline"][0]["tables"] = ["year_on_year"]

    edit_yaml(root / "params" / "2025.yml", national)
    write(root / "data" / "2024" / "chi-so-tinh-them.csv", INDICATOR_HEADER,
          [row for row in list(csv.reader((root / "data" / "2024" / "chi-so-tinh.csv").open(encoding="utf-8")))[1:]
           if not (row[0] in ("Tây Ninh", "Long An") and row[1] == "par_index")]
          + [index_row("Tây Ninh", "80.00"), index_row("Long An", "90.00")])
    write(data / "chi-so-tinh.csv", INDICATOR_HEADER, [
        ["Tây Ninh", "citizen_visits", "Số lượt tiếp công dân", 2025, "13000", "lượt", "số lượng", "", "", "", "", "thử", "có"],
        ["Tây Ninh", "agencies_rated_good", "Tỷ lệ cơ quan xếp loại Tốt", 2025, "90.00", "%", "tỷ lệ", "162", "180", "", "", "thử", "có"],
        index_row("Tây Ninh", "85.00", 2025)])

    def province(params: dict) -> None:
        params["compare"] = {"year": 2024, "indicators": "data/2024/chi-so-tinh-them.csv"}
        params["data"].pop("targets")
        params["outline"] = [{"id": "danh-gia-chung", "title": "Đánh giá chung", "tables": ["year_on_year"]}]

    edit_yaml(root / "params" / "2025" / "tinh.yml", province)
    for stub in (data / "tinh" / "prose").glob("*.md"):  # prose may fill only items of the (shortened) outline
        if stub.stem != "danh-gia-chung":
            stub.unlink()
    return root


def test_the_national_report_prints_the_comparison_and_footnotes_merged_units(project):
    report = build(load_params(project / "params" / "2025.yml"))
    markdown = report.markdown
    assert "Năm 2025, Bộ Nội vụ nhận được báo cáo năm của 02/22 bộ, ngành (2025), tỷ lệ 9,09%, so với 05/30 bộ, ngành (2024)" in markdown
    assert "41/63 địa phương (2024), tỷ lệ 65,08%" in markdown
    assert "| Bộ, ngành | Báo cáo năm | 05/30 (16,67%) | 02/22 (9,09%) |" in markdown
    label = next(line.split("]:")[0][2:] for line in markdown.splitlines()
                 if line.endswith("Tỉnh Tây Ninh (mới) gồm Tây Ninh và Long An trước ngày 01/7/2025."))
    assert f"Ninh[^{label}]" in markdown and "UBND tỉnh Tây" in markdown  # the appendix row (wrapped) carries the note
    assert "UBND tỉnh Cao Bằng[^" not in markdown
    labels = [line.split("]:")[0][2:] for line in markdown.splitlines() if line.startswith("[^bcpredecessor")]
    assert all(f"[^{label}]" in markdown.split(f"[^{label}]:")[0] for label in labels)  # no reference wrapped apart
    assert report.facts["compare"]["submissions"]["provinces"]["annual_report"]["previous"]["fraction"] == "41/63"
    assert "Tỉnh Tây Ninh (mới) gồm Tây Ninh và Long An trước ngày 01/7/2025." in report.facts["predecessor_notes"]


def test_the_province_report_prints_its_year_on_year_table(project):
    report = build(load_params(project / "params" / "2025" / "tay-ninh.yml"))
    rows = {cells[0]: cells[1:] for cells in
            ([c.strip() for c in line.strip("|").split(" | ")] for line in report.markdown.splitlines()
             if line.startswith("| "))}
    assert rows["Số lượt tiếp công dân"][:2] == ["12.838 lượt", "13.000 lượt"]  # 7.645 + 5.193
    assert rows["Số lượt tiếp công dân"][2].startswith("tăng 1,3% so với năm 2024")
    assert rows["Tỷ lệ cơ quan xếp loại Tốt"][0] == "88,89%"  # 144/162, not the mean of 86,96% and 93,62%
    assert rows["Chỉ số cải cách hành chính (PAR INDEX)"] == ["không so sánh được", "85,00%", "không so sánh được"]
    assert "[^bcpredecessor1]: Tỉnh Tây Ninh (mới) gồm Tây Ninh và Long An trước ngày 01/7/2025." in report.markdown
    assert "tỉnh Tây Ninh[^bcpredecessor1]" in report.markdown
    facts = {row["key"]: row for row in report.facts["compare"]["indicators"]}
    assert facts["citizen_visits"]["previous"] == 12838 and facts["par_index"]["method"] == "none"


def test_a_comparison_no_outline_item_shows_is_a_warning(project):
    params = load_params(project / "params" / "2025" / "tay-ninh.yml")
    hidden = params.model_copy(update={"outline": [OutlineItem(id="danh-gia-chung", title="Đánh giá chung")]})
    warnings = [w for w in build(hidden).warnings if w.column == "compare"]
    assert len(warnings) == 1 and "tables: [year_on_year]" in warnings[0].message
    assert not [w for w in build(params).warnings if w.column == "compare"]


# --- the shipped 2025 reports, as printed and recorded -----------------------------------------------------
# Each test builds its own report: a module-scoped fixture would tie the report's code to the first test that
# used it, and `make mutation` would then run only that test against a mutant (tests/README.md).

BRIEFED = ("Tỷ lệ cán bộ, công chức, viên chức được học tập, quán triệt các chỉ thị, nghị quyết, chính sách về "
           "công tác dân vận")
WITH_PLAN = "Tỷ lệ cơ quan, đơn vị, địa phương xây dựng kế hoạch thực hiện công tác dân vận chính quyền"
RATED_GOOD = "Tỷ lệ cơ quan, đơn vị, địa phương được đánh giá, xếp loại công tác dân vận chính quyền mức Tốt"
PAR_INDEX = "Chỉ số cải cách hành chính (PAR INDEX) của địa phương (minh họa)"
INDICATORS_HEADER = "| Chỉ số | Năm 2024 | Năm 2025 | Thay đổi |\n|:-----------------|:-------:|:-------:|:------------:|\n"


def test_tay_ninh_2025_prints_its_comparison_and_how_each_figure_of_2024_was_made():
    markdown = build_for(2025, "tay-ninh", root=ROOT).markdown
    assert INDICATORS_HEADER + "\n".join([
        f"| {BRIEFED} | 99,81% | 97,54% | giảm 2,27 điểm phần trăm so với năm 2024 |",
        f"| {WITH_PLAN} | 100,00% | 100,00% | không đổi so với năm 2024 |",
        f"| {RATED_GOOD} | 88,89% | 85,84% | giảm 3,05 điểm phần trăm so với năm 2024 |",
        "| Số lượt tiếp công dân | 12.838 lượt | 11.310 lượt | giảm 11,9% so với năm 2024 |",
        f"| {PAR_INDEX} | không so sánh được | 82,57% | không so sánh được |"]) in markdown
    for note in (
        f"«{BRIEFED}» năm 2024: tính lại từ tổng tử số (26.592) và tổng mẫu số (26.642) của Tây Ninh và Long An.",
        f"«{RATED_GOOD}» năm 2024: tính lại từ tổng tử số (144) và tổng mẫu số (162) của Tây Ninh và Long An.",
        "«Số lượt tiếp công dân» năm 2024: cộng số liệu của Tây Ninh và Long An.",
        f"«{PAR_INDEX}» năm 2024: chỉ số không cộng và không lấy trung bình được khi không có trọng số.",
    ):
        assert f"\n{note}\n" in markdown, note


def test_tay_ninh_2025_records_its_comparison_in_the_facts():
    facts = build_for(2025, "tay-ninh", root=ROOT).facts["compare"]
    assert (facts["year"], facts["submissions"], facts["merged_units"]) == (2024, None, [])
    assert facts["unit_note"] == "Tỉnh Tây Ninh (mới) gồm Tây Ninh và Long An trước ngày 01/7/2025"
    rows = {row["key"]: row for row in facts["indicators"]}
    assert rows["officials_briefed"] == {
        "key": "officials_briefed", "name": BRIEFED, "kind": "tỷ lệ", "method": "recomputed",
        "previous": pytest.approx(26592 / 26642 * 100), "previous_text": "99,81%",
        "note": "tính lại từ tổng tử số (26.592) và tổng mẫu số (26.642) của Tây Ninh và Long An",
        "current": pytest.approx(24020 / 24626 * 100), "current_text": "97,54%",
        "change": pytest.approx((24020 / 24626 - 26592 / 26642) * 100),
        "change_text": "giảm 2,27 điểm phần trăm so với năm 2024", "illustrative": True}
    assert rows["citizen_visits"] == {
        "key": "citizen_visits", "name": "Số lượt tiếp công dân", "kind": "số lượng", "method": "sum",
        "previous": 12838.0, "previous_text": "12.838 lượt", "note": "cộng số liệu của Tây Ninh và Long An",
        "current": 11310.0, "current_text": "11.310 lượt", "change": pytest.approx((11310 - 12838) / 12838 * 100),
        "change_text": "giảm 11,9% so với năm 2024", "illustrative": True}
    assert rows["par_index"] == {
        "key": "par_index", "name": PAR_INDEX, "kind": "chỉ số", "method": "none",
        "previous": None, "previous_text": "không so sánh được",
        "note": "chỉ số không cộng và không lấy trung bình được khi không có trọng số",
        "current": 82.57, "current_text": "82,57%", "change": None, "change_text": "không so sánh được",
        "illustrative": True}


def test_ha_noi_2025_compares_with_its_own_2024_figures():
    """One forerunner of the same name: each figure directly, a share from its numerator and denominator
    (116/119 = 97,48 % → 112/112), the index in points (88,17 → 86,35)."""
    assert INDICATORS_HEADER + "\n".join([
        f"| {BRIEFED} | 100,00% | 100,00% | không đổi so với năm 2024 |",
        f"| {WITH_PLAN} | 97,48% | 100,00% | tăng 2,52 điểm phần trăm so với năm 2024 |",
        f"| {RATED_GOOD} | 85,71% | 86,61% | tăng 0,89 điểm phần trăm so với năm 2024 |",
        "| Số lượt tiếp công dân | 2.751 lượt | 2.308 lượt | giảm 16,1% so với năm 2024 |",
        f"| {PAR_INDEX} | 88,17% | 86,35% | giảm 1,82 điểm phần trăm so với năm 2024 |",
    ]) in build_for(2025, "ha-noi", root=ROOT).markdown


def test_the_national_2025_report_prints_and_records_submissions_by_share():
    report = build_for(2025, root=ROOT)
    scoring = "Báo cáo về tiêu chí chấm điểm, xếp loại, đánh giá công tác dân vận"
    assert "\n".join([
        "| Nhóm | Văn bản | Năm 2024 | Năm 2025 | Thay đổi tỷ lệ |",
        "|:-------|:----------|:--------:|:--------:|:---------:|",
        "| Bộ, ngành | Kế hoạch | 02/30 (6,67%) | 06/22 (27,27%) | tăng 20,61 điểm phần trăm |",
        "| Bộ, ngành | Báo cáo năm | 05/30 (16,67%) | 14/22 (63,64%) | tăng 46,97 điểm phần trăm |",
        f"| Bộ, ngành | {scoring} | 01/30 (3,33%) | 09/22 (40,91%) | tăng 37,58 điểm phần trăm |",
        "| Địa phương | Kế hoạch | 16/63 (25,40%) | 12/34 (35,29%) | tăng 9,90 điểm phần trăm |",
        "| Địa phương | Báo cáo năm | 41/63 (65,08%) | 27/34 (79,41%) | tăng 14,33 điểm phần trăm |",
        f"| Địa phương | {scoring} | 52/63 (82,54%) | 29/34 (85,29%) | tăng 2,75 điểm phần trăm |",
    ]) in report.markdown
    facts = report.facts["compare"]
    assert (facts["year"], facts["unit_note"], facts["indicators"]) == (2024, None, [])
    assert facts["submissions"]["provinces"]["annual_report"] == {
        "previous": {"received": 41, "total": 63, "share": pytest.approx(4100 / 63), "fraction": "41/63",
                     "share_text": "65,08%"},
        "current": {"received": 27, "total": 34, "share": pytest.approx(2700 / 34), "fraction": "27/34",
                    "share_text": "79,41%"},
        "change_points": pytest.approx((27 / 34 - 41 / 63) * 100), "change_text": "tăng 14,33 điểm phần trăm"}
    # Quảng Ngãi and Kon Tum sent all three documents in 2024; the new Quảng Ngãi sent none in 2025
    merged = {m["unit"]: m for m in facts["merged_units"]}
    sent_all = {"previous_received": 2, "previous_total": 2, "previous": "02/02", "current": False}
    assert merged["Quảng Ngãi"] == {
        "group": "provinces", "unit": "Quảng Ngãi", "forerunners": ["Quảng Ngãi", "Kon Tum"],
        "note": "Tỉnh Quảng Ngãi (mới) gồm Quảng Ngãi và Kon Tum trước ngày 01/7/2025",
        "plan": sent_all, "annual_report": sent_all, "scoring_report": sent_all}


# --- how last year's figure is made, case by case ------------------------------------------------------------

def test_a_unit_without_forerunners_or_with_another_kind_of_figure_is_not_compared(tmp_path):
    none = yoy.map_indicator("citizen_visits", "số lượng", [], {}, {}, 2024)
    assert (none.value, none.method, none.note) == (
        None, "none", "không có đơn vị nào của năm 2024 trước đây thuộc đơn vị này")
    path = write(tmp_path / "chi-so.csv", INDICATOR_HEADER, [
        index_row("Tây Ninh", "80.00"),
        ["Long An", "par_index", "Chỉ số", 2024, "90.00", "%", "tỷ lệ", "9", "10", "", "", "thử", "có"]])
    previous, _ = read_unit_indicators(path, 2024)
    other = yoy.map_indicator("par_index", "số lượng", forerunners("Tây Ninh"), previous, {}, 2024)
    assert (other.value, other.note) == (None, "loại chỉ số năm 2024 (chỉ số, tỷ lệ) khác năm nay (số lượng)")


def test_a_share_lacking_numerators_says_whose(tmp_path):
    path = write(tmp_path / "chi-so.csv", INDICATOR_HEADER, [
        [name, "good", "good", 2024, "90.00", "%", "tỷ lệ", numerator, denominator, "", "", "thử", "có"]
        for name, numerator, denominator in (("Tây Ninh", "9", "10"), ("Long An", "", ""))])
    previous, _ = read_unit_indicators(path, 2024)
    mapped = yoy.map_indicator("good", "tỷ lệ", forerunners("Tây Ninh"), previous, {}, 2024)
    assert mapped.note == "thiếu tử số, mẫu số năm 2024 của Long An; tỷ lệ không lấy trung bình được"


def test_weights_of_the_indicator_come_before_the_units_and_missing_ones_are_named(tmp_path):
    indexes = write(tmp_path / "chi-so.csv", INDICATOR_HEADER, [index_row("Tây Ninh", "80.00"),
                                                               index_row("Long An", "90.00")])
    previous, _ = read_unit_indicators(indexes, 2024)
    current = read_unit_indicators(ROOT / "data" / "2025" / "chi-so-tinh.csv", 2025)[0]["Tây Ninh"]["par_index"]
    path = write(tmp_path / "trong-so.csv", WEIGHT_HEADER, [
        ["Tây Ninh", "", "1", "dân số", "thử", "không"],
        ["Tây Ninh", "par_index", "3", "số người được khảo sát", "thử", "không"],
        ["Long An", "par_index", "1", "số người được khảo sát", "thử", "không"]])
    weights, _ = read_weights(path, 2024)
    assert weights[("Tây Ninh", "par_index")] == Weight(Decimal("3"), "số người được khảo sát", "thử", False)
    mapped = yoy.map_indicator("par_index", "chỉ số", forerunners("Tây Ninh"), previous, weights, 2024)
    assert (mapped.value, mapped.illustrative) == (Decimal("82.5"), True)  # (80×3 + 90×1) / 4; the indexes are
    assert mapped.note == "bình quân gia quyền theo số người được khảo sát của Tây Ninh và Long An"  # illustrative
    assert yoy.IndicatorComparison(current, mapped, 2024).previous_text() == "82,50%"
    only_tay_ninh = {key: weight for key, weight in weights.items() if key[0] == "Tây Ninh"}
    partial = yoy.map_indicator("par_index", "chỉ số", forerunners("Tây Ninh"), previous, only_tay_ninh, 2024)
    assert partial.note == "chỉ số không cộng và không lấy trung bình được khi không có trọng số của Long An"


def test_last_years_figures_keep_their_illustrative_flag(previous):
    for key, kind in (("citizen_visits", "số lượng"), ("agencies_rated_good", "tỷ lệ")):
        assert yoy.map_indicator(key, kind, forerunners("Tây Ninh"), previous, {}, 2024).illustrative, key
    assert yoy.map_indicator("par_index", "chỉ số", ["Cao Bằng"], previous, {}, 2024).illustrative


def test_a_missing_forerunner_is_named_in_the_comparison(previous):
    current = read_unit_indicators(ROOT / "data" / "2025" / "chi-so-tinh.csv", 2025)[0]["Tây Ninh"]
    partial = {"Tây Ninh": previous["Tây Ninh"]}
    [visits] = yoy.compare_indicators({"citizen_visits": current["citizen_visits"]}, partial,
                                      forerunners("Tây Ninh"), {}, 2024)
    assert (visits.previous_text(), visits.mapped.note) == ("không so sánh được", "thiếu số liệu năm 2024 của Long An")


def test_a_weighted_mean_is_illustrative_only_when_a_figure_or_a_weight_is(tmp_path):
    real = [index_row(name, value)[:-1] + ["không"] for name, value in (("Tây Ninh", "80.00"), ("Long An", "90.00"))]
    previous, _ = read_unit_indicators(write(tmp_path / "chi-so.csv", INDICATOR_HEADER, real), 2024)
    for flag, illustrative in (("không", False), ("có", True)):
        path = write(tmp_path / "trong-so.csv", WEIGHT_HEADER, [
            [name, "", "1", "dân số", "thử", flag] for name in ("Tây Ninh", "Long An")])
        weights, _ = read_weights(path, 2024)
        mapped = yoy.map_indicator("par_index", "chỉ số", forerunners("Tây Ninh"), previous, weights, 2024)
        assert (mapped.value, mapped.illustrative) == (Decimal("85.00"), illustrative)


def test_a_figure_not_comparable_has_no_change_even_when_its_source_states_one():
    current = read_unit_indicators(ROOT / "data" / "2025" / "chi-so-tinh.csv", 2025)[0]["Tây Ninh"]["par_index"]
    stated = dataclasses.replace(current, stated_change=Decimal("1.5"))
    row = yoy.IndicatorComparison(stated, yoy.map_indicator("par_index", "chỉ số", [], {}, {}, 2024), 2024)
    assert (row.facts(PP)["change"], row.facts(PP)["change_text"]) == (None, "không so sánh được")
