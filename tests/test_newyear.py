"""`baocao new-year`: a new year's params and empty data templates, made from the last year on a scratch copy
of the project, checked the way an analyst would (`baocao check`), and chained once more to the year after."""
from __future__ import annotations

import csv
import datetime as dt
import json
import shutil

import openpyxl
import pytest
import yaml

from baocao.params import outline_ids
from baocao.indicators import read_indicators
from baocao.narrative import read_prose
from baocao.newyear import UNIT_INDICATORS_HEADER, shift_params_text
from baocao.params import load_params
from baocao.readers import read_table
from baocao.register import load_register
from baocao.schemas import INDICATOR_FIELDS
from conftest import ROOT, copy_project, keep_only, run_cli
from test_end_to_end import pdf_text

# A few 2025 submissions and one indicator, for the chained test only: not real figures (the indicator row
# says so in «Minh họa»); the real sample data of 2025 is a separate step.
FILLED_2025 = {
    "Bộ Quốc phòng": {4: "10/BC-BQP", 5: "10/12/2025"},
    "UBND tỉnh An Giang": {2: "5/KH-UBND", 3: "20/3/2025", 6: "7/BC-UBND", 7: "20/5/2025"},
}
INDICATOR_2025 = ["citizen_visits", "Số lượt người đến cơ quan hành chính nhà nước khiếu nại, tố cáo, kiến nghị, phản ánh",
                  "2025", "100", "lượt", "số lượng", "", "", "", "", "Ví dụ kiểm thử, không phải số liệu thật", "có"]


@pytest.fixture
def project(tmp_path):
    """A scratch copy of the project as it stood before 2025 was started: the shipped 2025 files removed."""
    root = copy_project(tmp_path)
    (root / "params/2025.yml").unlink()
    for folder in ("params/2025", "data/2025"):
        shutil.rmtree(root / folder)
    return root


def new_year(project, year: int, source: int):
    result = run_cli("new-year", str(year), "--from", str(source), cwd=project)
    assert result.returncode == 0, result.stdout + result.stderr
    return result


def check(project, year: int) -> tuple[int, list[dict]]:
    """The exit code and the problems of `baocao check --year <year> --json` (a clear list, never a traceback)."""
    result = run_cli("check", "--year", str(year), "--json", cwd=project)
    assert "Traceback" not in result.stderr and "Lỗi không mong đợi" not in result.stderr, result.stderr
    return result.returncode, json.loads(result.stdout)


def test_params_move_on_one_year_with_what_to_fill_flagged(project):
    output = new_year(project, 2025, 2024).stdout
    old, new = load_params(project / "params/2024.yml"), load_params(project / "params/2025.yml")
    assert new.year == 2025
    assert new.document.number == "" and new.document.symbol == old.document.symbol
    assert new.document.date == dt.date(2026, 2, 27)
    assert (new.deadlines.scoring_report, new.deadlines.annual_report) == (dt.date(2025, 5, 25), dt.date(2025, 12, 15))
    assert new.data.submissions.as_posix() == "data/2025/so-theo-doi.csv"
    assert new.data.prose.as_posix() == "data/2025/prose"
    assert "năm 2025, nhiệm vụ trọng tâm công tác năm 2026" in new.document.subject
    assert new.appendix.subtitle.endswith("chính quyền các cấp năm 2025")
    assert outline_ids(new.outline) == outline_ids(old.outline)
    text = (project / "params/2025.yml").read_text(encoding="utf-8")
    assert 'number: ""  # CẦN ĐIỀN' in text
    assert "date: 2026-02-27  # CẦN KIỂM TRA" in text
    assert "giai đoạn 2021-2030 theo Nghị quyết số 76/NQ-CP ngày 15/7/2021" in text  # other years stay
    province = load_params(project / "params/2025/ha-noi.yml")
    assert province.year == 2025 and province.data.prose.as_posix() == "data/2025/tinh/prose"
    assert "đã tạo   params/2025.yml" in output and "số văn bản" in output and "người ký" in output


def test_register_template_lists_the_units_of_2025_in_csv_and_excel(project):
    new_year(project, 2025, 2024)
    for name in ("so-theo-doi.csv", "so-theo-doi.xlsx"):
        register, warnings = load_register(project / "data/2025" / name, 2025)
        assert warnings == []
        assert register.group.value_counts().to_dict() == {"provinces": 34, "ministries": 22}
        assert (register.annual_report_number == "").all()
    sheet = openpyxl.load_workbook(project / "data/2025/so-theo-doi.xlsx").active
    assert {"C1:D1", "E1:F1", "G1:H1"} <= {str(span) for span in sheet.merged_cells.ranges}


def test_indicator_tables_and_prose_stubs(project):
    new_year(project, 2025, 2024)
    for name in ("chi-so-quoc-gia.csv", "chi-so-quoc-gia.xlsx"):
        sheet, _ = read_table(project / "data/2025" / name)
        assert sheet.rows == [list(INDICATOR_FIELDS.values())]
    params = load_params(project / "params/2025.yml")
    stubs = {read_prose(path).item: read_prose(path) for path in (project / "data/2025/prose").glob("*.md")}
    assert sorted(stubs) == sorted(outline_ids(params.outline))
    assert all(prose.body == "" for prose in stubs.values())
    assert "chuyên viên viết nội dung" in (project / "data/2025/prose/the-che.md").read_text(encoding="utf-8")


def test_check_of_the_new_year_names_the_missing_data(project):
    new_year(project, 2025, 2024)
    code, problems = check(project, 2025)
    assert code == 1
    assert [(p["file"], p["message"]) for p in problems if p["severity"] == "lỗi"] == [
        ("data/2025/chi-so-quoc-gia.csv", "bảng chỉ có dòng tiêu đề, không có dòng dữ liệu nào")]


def test_second_run_keeps_what_the_analyst_wrote(project):
    new_year(project, 2025, 2024)
    params, prose = project / "params/2025.yml", project / "data/2025/prose/mo-dau.md"
    params.write_text(params.read_text(encoding="utf-8").replace('number: ""', 'number: "12"'), encoding="utf-8")
    prose.write_text("---\nmuc: mo-dau\n---\nĐã viết.\n", encoding="utf-8")
    before = {path: path.read_bytes() for path in (project / "data/2025").rglob("*") if path.is_file()}
    output = new_year(project, 2025, 2024).stdout
    assert load_params(params).document.number == "12"
    assert {path: path.read_bytes() for path in (project / "data/2025").rglob("*") if path.is_file()} == before
    assert "giữ nguyên   params/2025.yml" in output and "đã tạo" not in output


def fill_2025(project) -> None:
    path = keep_only(project / "data/2025/so-theo-doi.csv")
    keep_only(project / "data/2025/chi-so-quoc-gia.csv")
    rows = list(csv.reader(path.read_text(encoding="utf-8").splitlines()))
    for row in rows:
        for column, value in FILLED_2025.get(row[1], {}).items():
            row[column] = value
    with path.open("w", encoding="utf-8", newline="") as file:
        csv.writer(file).writerows(rows)
    with (project / "data/2025/chi-so-quoc-gia.csv").open("a", encoding="utf-8", newline="") as file:
        csv.writer(file).writerow(INDICATOR_2025)


def test_2026_from_a_filled_2025_without_code_change(project):
    new_year(project, 2025, 2024)
    fill_2025(project)
    code, problems = check(project, 2025)
    assert code == 0 and all(p["severity"] == "cảnh báo" for p in problems)
    assert any(p["message"].startswith("mục chưa có nội dung") for p in problems)  # the stubs stay visible
    register, _ = load_register(project / "data/2025/so-theo-doi.csv", 2025)
    assert (register.annual_report_number != "").sum() == 1

    new_year(project, 2026, 2025)
    params = load_params(project / "params/2026.yml")
    assert params.year == 2026 and params.document.number == ""
    assert params.document.date == dt.date(2027, 2, 27)
    assert params.deadlines.annual_report == dt.date(2026, 12, 15)
    assert "năm 2026, nhiệm vụ trọng tâm công tác năm 2027" in params.document.subject
    text = (project / "params/2026.yml").read_text(encoding="utf-8")
    assert text.count("baocao new-year") == 1 and "dời từ 2025-12-15" in text
    register, _ = load_register(project / "data/2026/so-theo-doi.xlsx", 2026)
    assert len(register) == 22 + 34 and (register.annual_report_number == "").all()
    assert read_indicators(project / "data/2025/chi-so-quoc-gia.csv")[0]["citizen_visits"].illustrative
    code, problems = check(project, 2026)
    assert code == 1 and {p["file"] for p in problems if p["severity"] == "lỗi"} == {"data/2026/chi-so-quoc-gia.csv"}


def test_2025_filled_with_the_shipped_sample_renders_and_2026_follows(project):
    """The issue's "done when": new-year, the analyst's data typed over the templates, a render, the next year."""
    new_year(project, 2025, 2024)
    shutil.copytree(ROOT / "data/2025", project / "data/2025", dirs_exist_ok=True)
    code, problems = check(project, 2025)
    assert code == 0 and [p for p in problems if p["severity"] == "lỗi"] == []
    assert {"document.number", "document.date", "signer.name"} <= {p["column"] for p in problems}  # not yet signable
    result = run_cli("render", "--year", "2025", "--jobs", "1", cwd=project)
    assert result.returncode == 0, result.stdout + result.stderr
    output = project / "outputs/2025/toan-quoc"
    facts = json.loads((output / "facts.json").read_text(encoding="utf-8"))
    annual = {group: facts["submissions"][group]["annual_report"]["received"] for group in ("ministries", "provinces")}
    text = " ".join(pdf_text(output / "bao-cao.pdf").split())
    assert f"{annual['ministries']:02d}/22 bộ, ngành và {annual['provinces']:02d}/34 địa phương" in text
    assert "DỮ LIỆU MINH HỌA" in text  # the sample's rows and texts say so, whatever the params

    new_year(project, 2026, 2025)
    params = load_params(project / "params/2026.yml")
    assert (params.year, params.document.number, params.illustrative) == (2026, "", False)
    assert params.deadlines.annual_report == dt.date(2026, 12, 15)
    assert outline_ids(params.outline) == outline_ids(load_params(project / "params/2025.yml").outline)
    register, warnings = load_register(project / "data/2026/so-theo-doi.csv", 2026)
    assert warnings == [] and len(register) == 22 + 34 and (register.annual_report_number == "").all()
    assert read_table(project / "data/2026/chi-so-tinh.csv")[0].rows == [UNIT_INDICATORS_HEADER]
    assert load_params(project / "params/2026/tay-ninh.yml").data.prose.as_posix() == "data/2026/tinh/prose"
    code, problems = check(project, 2026)
    assert code == 1 and {p["file"] for p in problems if p["severity"] == "lỗi"} == {"data/2026/chi-so-quoc-gia.csv"}


def test_a_sample_year_flag_is_not_carried_to_the_next_year():
    text = (ROOT / "params/2025.yml").read_text(encoding="utf-8")
    assert "illustrative: true" in text
    shifted = shift_params_text(text, 2025, 2026, "params/2025.yml")
    assert "illustrative: false  # CẦN KIỂM TRA: dữ liệu năm 2025 là minh họa" in shifted
    assert yaml.safe_load(shifted)["illustrative"] is False


def test_shifted_dates_and_years_in_text():
    text = "year: 2024\ndocument:\n  date: 2024-02-29\n  subject: năm 2024 theo Quyết định 28/2018/QĐ-TTg\n"
    shifted = shift_params_text(text, 2024, 2025, "params/2024.yml")
    assert "date: 2025-02-28  # CẦN KIỂM TRA: dời từ 2024-02-29" in shifted
    assert "subject: năm 2025 theo Quyết định 28/2018/QĐ-TTg" in shifted


def test_refuses_a_year_not_after_the_source(project):
    result = run_cli("new-year", "2024", "--from", "2024", cwd=project)
    assert result.returncode == 1 and "năm mới phải sau năm 2024" in result.stderr
    assert not (project / "params/2024.yml").read_text(encoding="utf-8").startswith("# Tạo bằng")


def test_the_comparison_with_last_year_moves_on_with_the_year(tmp_path):
    """2026 from the shipped 2025 compares with 2025: the year and last year's files, with no hand edit."""
    project = copy_project(tmp_path)
    new_year(project, 2026, 2025)
    text = (project / "params/2026.yml").read_text(encoding="utf-8")
    assert "compare: {year: 2025, submissions: data/2025/so-theo-doi.csv}" in text
    national = load_params(project / "params/2026.yml")
    assert (national.compare.year, national.compare.submissions.as_posix()) == (2025, "data/2025/so-theo-doi.csv")
    province = load_params(project / "params/2026/tay-ninh.yml")
    assert (province.compare.year, province.compare.indicators.as_posix()) == (2025, "data/2025/chi-so-tinh.csv")


def test_compare_paths_under_either_year_move_on():
    """Weights of last year's units may sit in this year's folder: every year folder moves on by one."""
    text = ("year: 2025\ndata:\n  prose: data/2025/prose\n"
            "compare: {year: 2024, indicators: data/2024/chi-so-tinh.csv, weights: data/2025/trong-so.csv}\n")
    shifted = yaml.safe_load(shift_params_text(text, 2025, 2026, "params/2025.yml"))
    assert shifted["compare"] == {"year": 2025, "indicators": "data/2025/chi-so-tinh.csv",
                                  "weights": "data/2026/trong-so.csv"}
    assert shifted["data"] == {"prose": "data/2026/prose"}


def test_a_scaffold_leaves_nothing_stale_and_final_refuses_what_it_guessed(tmp_path):
    """From the shipped 2025 files to 2026: the comments name 2026 and the year it compares with (2025), a
    date inside a comment stays, the header carries no mark of its own; the blank number, signer and the
    dates moved by a year are warnings of `check` and errors of `check --final`, each at its own line."""
    root = copy_project(tmp_path)
    new_year(root, 2026, 2025)
    text = (root / "params/2026/tinh.yml").read_text(encoding="utf-8")
    header = text.split("\nyear:", 1)[0]
    assert header.startswith("# Tạo bằng `baocao new-year 2026 --from 2025` từ params/2025/tinh.yml: báo cáo năm 2026, "
                             "so sánh với năm 2025.")
    assert "# So sánh với năm 2025: chỉ số năm 2025 của các tỉnh" in text and "compare: {year: 2025" in text
    assert "(từ 01/7/2025)" in text and "params/2026/tay-ninh.yml if it exists" in text
    assert header.count("# Tạo bằng") == 1 and "CẦN" not in header.split("# Báo cáo năm 2026", 1)[0]
    national = root / "params/2026.yml"
    lines = national.read_text(encoding="utf-8").splitlines()
    date_line = next(n for n, line in enumerate(lines, start=1) if line.strip().startswith("date: 2027-02-27"))
    assert "CẦN KIỂM TRA: dời từ 2026-02-27; sửa thành ngày ký báo cáo năm 2026" in lines[date_line - 1]

    def readiness(*options):
        result = run_cli("check", "--year", "2026", "--json", *options, cwd=root)
        return {(p["file"], p["row"], p["column"], p["severity"]) for p in json.loads(result.stdout)
                if p["file"] == "params/2026.yml"}

    number_line = next(n for n, line in enumerate(lines, start=1) if line.strip().startswith("number:"))
    signer_line = next(n for n, line in enumerate(lines, start=1) if line.strip().startswith('name: ""'))
    expected = {("params/2026.yml", date_line, "document.date"), ("params/2026.yml", number_line, "document.number"),
                ("params/2026.yml", signer_line, "signer.name")}
    assert {(f, r, c) for f, r, c, s in readiness() if s == "cảnh báo"} >= expected
    assert {(f, r, c) for f, r, c, s in readiness("--final") if s == "lỗi"} >= expected
