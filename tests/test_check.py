"""`baocao check`: the shipped data passes; a broken copy has every planted error reported in one run, with
Excel rows; a render of broken data stops without touching outputs/."""
from __future__ import annotations

import csv
import io
import json

from baocao.schemas import UNIT_NAME
from conftest import copy_project, keep_only, run_cli

ANNUAL_DATE = "Báo cáo năm – Ngày tháng văn bản"
PLAN_DATE = "Kế hoạch – Ngày tháng văn bản"


def _edit_csv(path, edits: dict[tuple[int, int], str]) -> None:
    keep_only(path)
    rows = list(csv.reader(path.read_text(encoding="utf-8").splitlines()))
    for (row, column), value in edits.items():
        rows[row - 1][column - 1] = value
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    path.write_text(buffer.getvalue(), encoding="utf-8")


def _broken_copy(tmp_path):
    root = copy_project(tmp_path)
    data = root / "data" / "2024"
    _edit_csv(data / "so-theo-doi.csv", {
        (4, 6): "31/02/2024",          # impossible date
        (9, 2): "Bộ Tài chánh",        # unknown unit
        (7, 4): "17/5/2026",           # after the report's own date (27/02/2025)
        (25, 4): "",                   # a number without its date
        (40, 6): "4/12",               # not a date
        (51, 2): "UBND tỉnh Bắc Ninh", # Bắc Ninh twice, Đăk Nông absent
    })
    _edit_csv(data / "chi-so-quoc-gia.csv", {(2, 4): "84,38"})
    prose = data / "prose"
    (prose / "mo-dau.md").write_text((prose / "mo-dau.md").read_text(encoding="utf-8")
                                     .replace("footnotes.submissions", "footnotes.submision"), encoding="utf-8")
    (prose / "ket-luan.md").write_text((prose / "ket-luan.md").read_text(encoding="utf-8")
                                       .replace("muc: ket-luan", "muc: ket-luan-x"), encoding="utf-8")
    return root


def test_shipped_data_checks_with_only_the_two_known_warnings(tmp_path):
    result = run_cli("check", "--year", "2024", "--json", cwd=copy_project(tmp_path))
    assert result.returncode == 0, result.stderr
    problems = json.loads(result.stdout)
    assert [(p["severity"], p["file"], p["row"], p["column"]) for p in problems] == [
        ("cảnh báo", "data/2024/chi-so-quoc-gia.csv", 13, "Giá trị"),
        ("cảnh báo", "data/2024/chi-so-quoc-gia.csv", 33, "Giá trị"),
    ]


def test_every_planted_error_is_reported_in_one_run(tmp_path):
    result = run_cli("check", "--year", "2024", "--json", cwd=_broken_copy(tmp_path))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    errors = {(p["file"], p["row"], p["column"], p["value"]) for p in json.loads(result.stdout) if p["severity"] == "lỗi"}
    register = "data/2024/so-theo-doi.csv"
    assert errors == {
        (register, 4, ANNUAL_DATE, "31/02/2024"),
        (register, 9, "Tên cơ quan", "Bộ Tài chánh"),
        (register, None, "Tên cơ quan", "Bộ Tài chính"),
        (register, 7, PLAN_DATE, "17/5/2026"),
        (register, 25, PLAN_DATE, None),
        (register, 40, ANNUAL_DATE, "4/12"),
        (register, 40, "Tên cơ quan", "UBND tỉnh Bắc Ninh"),
        (register, 51, "Tên cơ quan", "UBND tỉnh Bắc Ninh"),
        (register, None, "Tên cơ quan", "UBND tỉnh Đắk Nông"),  # as the unit list spells it
        ("data/2024/chi-so-quoc-gia.csv", 2, "Giá trị", "84,38"),
        ("data/2024/prose/mo-dau.md", 6, None, "footnotes.submision"),
        ("data/2024/prose/ket-luan.md", 2, "muc", "ket-luan-x"),
    }


def test_check_prints_one_vietnamese_table(tmp_path):
    result = run_cli("check", "--year", "2024", cwd=_broken_copy(tmp_path))
    assert result.returncode == 1
    text = " ".join(result.stderr.split())
    assert "12 lỗi, 0 cảnh báo" in text
    for heading in ("Tệp", "Dòng", "Cột", "Giá trị", "Vấn đề"):
        assert heading in text


def test_render_of_broken_data_leaves_outputs_untouched(tmp_path):
    root = _broken_copy(tmp_path)
    outdir = root / "outputs" / "2024" / "toan-quoc"
    outdir.mkdir(parents=True)
    (outdir / "facts.json").write_text('{"previous": "run"}', encoding="utf-8")
    result = run_cli("render", "--year", "2024", cwd=root)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr and "31/02/2024" in result.stderr
    assert [p.name for p in outdir.iterdir()] == ["facts.json"]
    assert (outdir / "facts.json").read_text(encoding="utf-8") == '{"previous": "run"}'


def test_check_reads_the_excel_forms(tmp_path):
    root = copy_project(tmp_path)
    params = root / "params" / "2024.yml"
    params.write_text(params.read_text(encoding="utf-8").replace("so-theo-doi.csv", "so-theo-doi.xlsx")
                      .replace("chi-so-quoc-gia.csv", "chi-so-quoc-gia.xlsx"), encoding="utf-8")
    result = run_cli("check", "--year", "2024", "--json", cwd=root)
    assert result.returncode == 0, result.stdout + result.stderr
    assert {p["file"] for p in json.loads(result.stdout)} == {"data/2024/chi-so-quoc-gia.xlsx"}


def test_build_refuses_a_document_dated_after_the_report(tmp_path):
    """What a render builds from: the register is read with the report's own date."""
    import pytest

    from baocao.errors import BaocaoError
    from baocao.params import load_params
    from baocao.report import build

    root = copy_project(tmp_path)
    _edit_csv(root / "data" / "2024" / "so-theo-doi.csv", {(4, 6): "14/12/2025"})
    with pytest.raises(BaocaoError) as caught:
        build(load_params(root / "params" / "2024.yml"))
    assert [(p.row, p.value) for p in caught.value.errors] == [(4, "14/12/2025")]
    assert len(build(load_params(copy_project(tmp_path / "ok") / "params" / "2024.yml")).warnings) == 2


def test_check_of_2025_reports_last_years_files_it_compares_with(tmp_path):
    """`compare:` reads 2024's register and per-province table: their errors stop 2025 and are listed by
    `baocao check` in the same run as 2025's own, with their own file and row; their warnings were 2024's to
    fix and are not repeated."""
    root = copy_project(tmp_path)
    clean = run_cli("check", "--year", "2025", "--json", cwd=root)
    assert clean.returncode == 0, clean.stdout + clean.stderr
    assert [p for p in json.loads(clean.stdout) if p["severity"] == "lỗi"] == []
    _edit_csv(root / "data/2024/so-theo-doi.csv", {(4, 6): "31/02/2024"})
    _edit_csv(root / "data/2025/so-theo-doi.csv", {(4, 6): "31/02/2025"})
    _edit_csv(root / "data/2024/chi-so-tinh.csv", {(2, 1): "Tây Ninhh Ninh"})
    _edit_csv(root / "data/2025/chi-so-tinh.csv", {(2, 1): "Tây Ninhh Ninh"})
    result = run_cli("check", "--year", "2025", "--json", cwd=root)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    errors = {(p["file"], p["row"], p["column"]) for p in json.loads(result.stdout) if p["severity"] == "lỗi"}
    assert errors == {("data/2024/so-theo-doi.csv", 4, ANNUAL_DATE), ("data/2025/so-theo-doi.csv", 4, ANNUAL_DATE)}
    province = run_cli("check", "--year", "2025", "--unit", "tay-ninh", "--json", cwd=root)
    errors = {(p["file"], p["row"], p["column"]) for p in json.loads(province.stdout) if p["severity"] == "lỗi"}
    assert province.returncode == 1
    assert errors == {("data/2024/chi-so-tinh.csv", 2, UNIT_NAME), ("data/2025/chi-so-tinh.csv", 2, UNIT_NAME)}
