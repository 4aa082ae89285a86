"""Ready to sign (`--final`) and the one check: `baocao check`, `baocao render`, the batch's pre-check, the
master notebook (`display.preview`) and `report.build` run the same `checks.check`, so they report the same
problems; a fault of every kind the issue names is found with its file and row or key, as a warning, or as an
error with --final."""
from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import os
import re
import subprocess
import sys

import pytest

from baocao import batch, checks, cli, display, report
from baocao.errors import BaocaoError
from baocao.options import RenderOptions
from baocao.params import load_params
from conftest import ROOT, copy_project, keep_only, run_cli

E, W = "lỗi", "cảnh báo"
NATIONAL = "data/2024/chi-so-quoc-gia.csv"
PARAMS = "params/2024.yml"


def _edit_csv(path: Path, edit) -> None:
    keep_only(path)
    rows = list(csv.reader(path.read_text(encoding="utf-8").splitlines()))
    edit(rows)
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    path.write_text(buffer.getvalue(), encoding="utf-8")


def wide_cli(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    """The CLI in a wide terminal, so that rich does not fold a message across lines of its table."""
    return subprocess.run([sys.executable, "-m", "baocao.cli", *args], cwd=cwd, capture_output=True, text=True,
                          env=os.environ | {"COLUMNS": "1000"})


def _line(path: Path, start: str) -> int:
    """The 1-based line of `path` that starts (after indentation) with `start`."""
    return next(n for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
                if line.strip().startswith(start))


def _row(rows: list[list[str]], key: str) -> list[str]:
    return next(row for row in rows if row[0] == key)


@pytest.fixture(scope="module")
def faulty(tmp_path_factory) -> Path:
    """The shipped 2024 national report (ready to sign) with one fault of every kind planted."""
    root = copy_project(tmp_path_factory.mktemp("faulty"))
    params = root / PARAMS
    text = params.read_text(encoding="utf-8")
    text = text.replace('number: "1385"', 'number: ""')  # blank number
    text = text.replace("name: Trương Hải Long", 'name: ""')  # blank signer
    text = text.replace("date: 2025-02-27", "date: 2025-02-27  # CẦN KIỂM TRA: dời từ 2024-02-27")  # a guessed date
    text = text.replace("unit: toan-quoc\n", "unit: toan-quoc\nillustrative: true\n")  # the params flag
    params.write_text(text, encoding="utf-8")

    def indicators(rows):
        _row(rows, "officials_disciplined")[11] = "có"  # an illustrative row
        share = _row(rows, "online_dossiers_localities")
        share[3], share[6], share[7] = "120.00", "120", "100"  # a share over 100 %
        _row(rows, "citizen_visits")[3] = "-5"  # a negative count

    _edit_csv(root / NATIONAL, indicators)
    _edit_csv(root / "data/2024/so-theo-doi.csv", lambda rows: rows[3].__setitem__(5, "14/12/2025"))  # after the report
    prose = root / "data/2024/prose"
    closing = prose / "ket-luan.md"
    closing.write_text(closing.read_text(encoding="utf-8").replace("---\n", "---\nminh_hoa: true\n", 1)
                       + "\nTODO: bổ sung kết luận.\n\n*(Văn bản mẫu: đơn vị nêu kết luận.)*\n", encoding="utf-8")
    satisfaction = prose / "chi-so-hai-long.md"
    satisfaction.write_text(satisfaction.read_text(encoding="utf-8")
                            + "\nChỉ số hài lòng (SIPAS) tăng 9,99 điểm phần trăm so với năm 2022.\n", encoding="utf-8")
    return root


def _expected(root: Path) -> set[tuple]:
    """(file, row, column) of each planted fault, as check reports it."""
    params, closing = root / PARAMS, root / "data/2024/prose/ket-luan.md"
    rows = list(csv.reader((root / NATIONAL).read_text(encoding="utf-8").splitlines()))
    row_of = {row[0]: number for number, row in enumerate(rows, start=1)}
    return {
        (PARAMS, _line(params, "number:"), "document.number"),
        (PARAMS, _line(params, 'name: ""'), "signer.name"),
        (PARAMS, _line(params, "date:"), "document.date"),  # the mark new-year leaves on a guessed value
        (PARAMS, _line(params, "illustrative:"), "illustrative"),
        (NATIONAL, row_of["officials_disciplined"], "Minh họa"),
        ("data/2024/prose", None, "minh_hoa"),
        ("data/2024/prose/ket-luan.md", _line(closing, "TODO"), None),
        ("data/2024/prose/ket-luan.md", _line(closing, "*(Văn bản mẫu"), None),
        ("data/2024/prose/chi-so-hai-long.md", _line(root / "data/2024/prose/chi-so-hai-long.md", "Chỉ số hài lòng (SIPAS)"), None),
        (NATIONAL, row_of["online_dossiers_localities"], "Giá trị"),  # share over 100 %
        (NATIONAL, row_of["citizen_visits"], "Giá trị"),  # negative count
    }


def _check(root: Path, *options: str, year: int = 2024) -> tuple[int, list[dict]]:
    result = run_cli("check", "--year", str(year), "--json", *options, cwd=root)
    assert "Traceback" not in result.stderr, result.stderr
    return result.returncode, json.loads(result.stdout)


def test_final_reports_every_fault_as_an_error_with_its_place_and_plain_check_as_warnings(faulty):
    expected = _expected(faulty)
    code, final = _check(faulty, "--final")
    assert code == 1
    found = {(p["file"], p["row"], p["column"]): p for p in final}
    assert expected <= set(found), expected - set(found)
    assert all(found[place]["severity"] == E for place in expected)
    assert "không so sánh được" not in found[next(p for p in expected if p[0].endswith("chi-so-hai-long.md"))]["message"]
    assert "2,58" in found[next(p for p in expected if p[0].endswith("chi-so-hai-long.md"))]["message"]  # the computed change
    # a document dated after the report's own date was already an error, and stays one in both modes
    assert ("data/2024/so-theo-doi.csv", 4, E) in {(p["file"], p["row"], p["severity"]) for p in final}

    code, plain = _check(faulty)
    assert code == 1  # only because of the date after the report
    plain_found = {(p["file"], p["row"], p["column"]): p["severity"] for p in plain}
    assert all(plain_found[place] == W for place in expected)
    assert [p for p in plain if p["severity"] == E] == [p for p in final if p["file"] == "data/2024/so-theo-doi.csv"]


def test_check_render_batch_and_notebook_call_one_check_and_report_the_same_problems(faulty, monkeypatch, capsys):
    calls = []
    original = checks.check

    def spy(*args, **kwargs):
        calls.append(kwargs.get("final"))
        return original(*args, **kwargs)

    monkeypatch.setattr(checks, "check", spy)
    monkeypatch.chdir(faulty)
    assert cli.main(["check", "--year", "2024", "--final", "--json"]) == 1
    from_check = [{k: v for k, v in p.items() if k not in ("units", "workspace")} for p in json.loads(capsys.readouterr().out)]

    plan = batch.plan(2024, ["toan-quoc"], faulty, faulty / "outputs", options=RenderOptions(final=True))  # what `render --final` runs
    assert list(batch.checked(plan)) == [] and [r.unit for r in plan.rejected] == ["toan-quoc"]
    from_render = [p.relative_to(faulty).to_dict() for p in plan.problems["toan-quoc"]]

    with pytest.raises(BaocaoError) as built:  # `report.build`, what a script calls
        report.build(load_params(faulty / PARAMS), final=True)
    from_build = [p.relative_to(faulty).to_dict() for p in built.value.problems]

    view = display.preview(2024, params_file=faulty / PARAMS, final=True)  # the master notebook's call
    assert view.report is None
    from_notebook = [p.relative_to(faulty).to_dict() for p in view.problems]

    assert calls == [True, True, True, True]
    assert from_check == from_render == from_build == from_notebook and len(from_check) > 10


def test_render_final_writes_nothing_and_says_why(faulty, tmp_path):
    root = copy_project(tmp_path)
    params = root / PARAMS
    params.write_text(params.read_text(encoding="utf-8").replace("name: Trương Hải Long", 'name: ""'), encoding="utf-8")
    result = wide_cli("render", "--year", "2024", "--final", cwd=root)
    text = " ".join((result.stdout + result.stderr).split())
    assert result.returncode == 1 and "người ký còn trống" in text and "Traceback" not in text
    assert not (root / "outputs" / "2024" / "toan-quoc").exists()


def test_the_shipped_2024_national_report_is_ready_to_sign(tmp_path):
    code, problems = _check(copy_project(tmp_path), "--final")
    assert code == 0
    assert {(p["file"], p["row"], p["severity"]) for p in problems} == {  # the source's own two shares (README)
        (NATIONAL, 13, W), (NATIONAL, 33, W)}


@pytest.mark.parametrize("year, illustrative", [
    (2024, {"data/2024/chi-so-tinh.csv", "data/2024/chi-tieu.csv", "data/2024/tinh/prose"}),
    (2025, {"data/2025/chi-so-tinh.csv", "data/2025/chi-tieu.csv", "data/2025/tinh/prose",
            "data/2024/chi-so-tinh.csv",  # last year's sample rows the comparison uses
            # Tây Ninh's own workspace: its prose, its list of sở, ban, ngành, its scoring, its models
            *(f"data/2025/tay-ninh/{name}" for name in ("prose", "so-nganh.csv", "tieu-chi-cham-diem.csv",
                                                        "cham-diem.csv", "mo-hinh-dan-van-kheo.csv"))}),
])
def test_province_reports_fail_final_listing_their_illustrative_inputs(tmp_path, year, illustrative):
    code, problems = _check(copy_project(tmp_path), "--final", "--unit", "tay-ninh", year=year)
    assert code == 1
    flagged = {p["file"] for p in problems if p["column"] in ("Minh họa", "minh_hoa") and p["severity"] == E}
    assert flagged == illustrative
    assert {"document.number", "document.date", "signer.name"} <= {p["column"] for p in problems if p["severity"] == E}


def test_check_all_names_the_one_province_whose_prose_is_wrong(tmp_path):
    """Provinces share their prose unless one has its own: Tây Ninh's own copy has a wrong placeholder."""
    root = copy_project(tmp_path)
    own = root / "data/2025/tay-ninh/prose"  # its workspace's prose replaces the shared file of the same name
    visits = own / "khieu-nai-to-cao.md"
    shared = (root / "data/2025/tinh/prose" / visits.name).read_text(encoding="utf-8")
    visits.write_text(shared.replace("citizen_visits.value", "citizen_visit.value"), encoding="utf-8")
    result = run_cli("check", "--year", "2025", "--unit", "all", "--json", cwd=root)
    assert result.returncode == 1, result.stderr
    [error] = [p for p in json.loads(result.stdout) if p["severity"] == E]
    assert error["units"] == ["tay-ninh"] and error["file"] == "data/2025/tay-ninh/prose/khieu-nai-to-cao.md"
    assert error["value"] == "indicators.citizen_visit.value" and error["row"] == _line(visits, "Trong năm")
    table = wide_cli("check", "--year", "2025", "--unit", "all", cwd=root).stderr
    assert re.search(r"│ tay-ninh +│ lỗi +│", table)
    assert re.search(r"│ an-giang, bac-ninh, ca-mau, … \(34 đơn vị\) +│ cảnh báo +│ params/2025/tinh.yml", table)  # shared: once


def test_a_typed_change_where_the_table_says_not_comparable_is_reported(tmp_path):
    root = copy_project(tmp_path)
    prose = root / "data/2025/tinh/prose/danh-gia-chung.md"
    prose.write_text(prose.read_text(encoding="utf-8")
                     + "\nChỉ số cải cách hành chính (PAR INDEX) tăng 6,1% so với năm 2024.\n", encoding="utf-8")
    code, problems = _check(root, "--final", "--unit", "tay-ninh", year=2025)
    [claim] = [p for p in problems if p["file"].endswith("danh-gia-chung.md") and p["value"] == "tăng 6,1%"]
    assert claim["severity"] == E and "không so sánh được" in claim["message"]
    assert claim["row"] == _line(prose, "Chỉ số cải cách hành chính (PAR INDEX)")


def test_the_draft_annex_lists_what_is_left_and_why_the_report_is_a_sample():
    params = load_params(ROOT / "params/2025/tay-ninh.yml")  # no file of its own: the defaults of tinh.yml
    markdown = report.build(params, draft=True).markdown
    annex = markdown.split("PHỤ LỤC RÀ SOÁT", 1)[1]
    assert "Trước khi trình ký" in annex and "người ký còn trống" in annex
    assert ("Báo cáo còn ghi «DỮ LIỆU MINH HỌA» vì các tệp sau còn dữ liệu minh họa\\: params/2025/tay-ninh.yml, "
            "data/2025/chi-so-tinh.csv") in annex
