"""Year on year across the 2025 mergers: last year's figures on this year's units, combined the only ways that
keep their meaning, submissions compared by share, and merged units named with what they were."""
from __future__ import annotations

import csv
import shutil
from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from baocao import yoy
from baocao.errors import BaocaoError
from baocao.indicators import read_unit_indicators
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
    weights, _ = yoy.read_weights(path, 2024)
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
        yoy.read_weights(path, 2024)
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
