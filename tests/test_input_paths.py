"""Inputs come from the project (issue 17, cause 7): a data path or link leading outside it is refused at the
params key that names it, `check --unit` takes only a unit code, and a file that is not the expected table is
refused without echoing its content."""
from __future__ import annotations

import os
import shutil

import pytest

from baocao.errors import BaocaoError
from baocao.indicators import read_indicators, read_unit_indicators
from baocao.targets import read_targets
from baocao.params import OUTSIDE, load_params
from baocao.report import build
from conftest import copy_project, keep_only, run_cli

SECRET = "root:x:0:0:root:/root:/bin/bash\nmat-khau,Bí mật 123\n"  # what must never reach a message


@pytest.fixture
def project(tmp_path):
    root = copy_project(tmp_path / "project")
    (tmp_path / "outside.csv").write_text(SECRET, encoding="utf-8")
    (tmp_path / "outside").mkdir()
    (tmp_path / "outside" / "x.md").write_text("---\nmuc: mo-dau\n---\nVăn bản ngoài dự án.\n", encoding="utf-8")
    return root


def with_line(root, old: str, new: str, params: str = "params/2024.yml") -> int:
    """Replace `old` in a params file; the line of the replacement."""
    path = root / params
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return text[: text.index(old)].count("\n") + 1 + old[: len(old) - len(old.lstrip("\n"))].count("\n")


def refused(root, params: str = "params/2024.yml") -> list[tuple]:
    with pytest.raises(BaocaoError) as caught:
        load_params(root / params)
    return [(p.row, p.column, p.value, p.message) for p in caught.value.problems]


@pytest.mark.parametrize("old, new, key, value", [
    ("  indicators: data/2024/chi-so-quoc-gia.csv", "  indicators: ../../outside.csv", "data.indicators", "../../outside.csv"),
    ("  indicators: data/2024/chi-so-quoc-gia.csv", "  indicators: /etc/passwd", "data.indicators", "/etc/passwd"),
    ("  submissions: data/2024/so-theo-doi.csv", "  submissions: data/../../outside.csv", "data.submissions",
     "data/../../outside.csv"),
    ("  prose: data/2024/prose", "  prose: ../outside", "data.prose", "../outside"),
])
def test_a_data_path_leading_outside_the_project_is_refused_at_its_key(project, old, new, key, value):
    line = with_line(project, old, new)
    assert refused(project) == [(line, key, value, OUTSIDE)]


def test_a_compared_file_outside_the_project_is_refused(project):
    line = with_line(project, "compare: {year: 2024, submissions: data/2024/so-theo-doi.csv}",
                     "compare: {year: 2024, submissions: ../../outside.csv}", "params/2025.yml")
    assert refused(project, "params/2025.yml") == [(line, "compare.submissions", "../../outside.csv", OUTSIDE)]


def test_an_outline_file_outside_the_project_is_refused(project):
    (project.parent / "de-cuong.yml").write_text("- id: mo-dau\n", encoding="utf-8")
    line = with_line(project, "outline: {file: params/outlines/de-cuong-2024.yml}",
                     "outline: {file: ../de-cuong.yml}", "params/2024/tinh.yml")
    assert refused(project, "params/2024/tay-ninh.yml") == [(line, "outline.file", "../de-cuong.yml", OUTSIDE)]


def test_a_link_to_a_file_outside_the_project_is_refused(project):
    table = project / "data" / "2024" / "chi-so-quoc-gia.csv"
    table.unlink()
    table.symlink_to("/etc/passwd")
    line = with_line(project, "  indicators: data/2024/chi-so-quoc-gia.csv", "  indicators: data/2024/chi-so-quoc-gia.csv")
    assert refused(project) == [(line, "data.indicators", "data/2024/chi-so-quoc-gia.csv", OUTSIDE)]


def test_a_prose_file_linking_outside_the_project_stops_the_report_without_reading_it(project):
    link = project / "data" / "2024" / "prose" / "zz.md"
    link.symlink_to(project.parent / "outside" / "x.md")
    with pytest.raises(BaocaoError) as caught:
        build(load_params(project / "params" / "2024.yml"))
    [problem] = caught.value.problems
    assert (problem.value, problem.message) == (str(link), OUTSIDE)
    assert "ngoài dự án" not in str(caught.value)


def test_a_data_root_named_in_params_admits_files_below_it(project):
    shared = project.parent / "outside"
    shutil.copy(project / "data" / "2024" / "chi-so-quoc-gia.csv", shared / "chi-so.csv")
    with_line(project, "  indicators: data/2024/chi-so-quoc-gia.csv",
              f"  root: {shared}\n  indicators: {shared / 'chi-so.csv'}")
    params = load_params(project / "params" / "2024.yml")
    assert params.path(params.data.indicators) == shared / "chi-so.csv"
    with_line(project, f"  indicators: {shared / 'chi-so.csv'}", "  indicators: ../outside.csv")
    assert [message for *_, message in refused(project)] == [OUTSIDE]


@pytest.mark.parametrize("unit", ["../../x", "../2024", "/etc/passwd", "a/b", "..\\..\\x", "x\0y"])
def test_check_refuses_a_unit_that_is_not_a_plain_code_as_render_does(project, unit):
    (project.parent / "x.yml").write_text("year: 2024\n", encoding="utf-8")
    if "\0" in unit:  # the OS refuses a NUL byte in an argument; the check itself must say why
        from baocao.params import params_path
        with pytest.raises(BaocaoError, match="mã đơn vị chứa ký tự NUL"):
            params_path(2024, unit, project)
        return
    result = run_cli("check", "--year", "2024", "--unit", unit, cwd=project)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "mã đơn vị" in result.stderr and "x.yml" not in result.stdout + result.stderr


NOT_A_TABLE = {
    "passwd.csv": SECRET,
    "letter.csv": "Kính gửi: Bộ Nội vụ;Mật\nNội dung thư riêng;không công bố\n",
    "numbers.csv": "1,2,3\n4,5,6\n",
}


@pytest.mark.parametrize("name", sorted(NOT_A_TABLE))
@pytest.mark.parametrize("reader, table", [
    (read_indicators, "chỉ số quốc gia"),
    (lambda path: read_unit_indicators(path, 2024), "chỉ số theo địa phương"),
    (lambda path: read_targets(path, 2024), "chỉ tiêu"),
])
def test_a_file_that_is_not_the_table_is_refused_without_echoing_its_content(tmp_path, name, reader, table):
    path = tmp_path / name
    path.write_text(NOT_A_TABLE[name], encoding="utf-8")
    with pytest.raises(BaocaoError) as caught:
        reader(path)
    [problem] = caught.value.problems
    assert problem.message.startswith(f"tệp này không phải bảng «{table}»: dòng đầu không có tiêu đề cột nào")
    cells = {cell for line in NOT_A_TABLE[name].splitlines() for cell in line.replace(";", ",").split(",")}
    shown = " ".join(str(v) for v in (problem.column, problem.value, problem.message) if v)
    assert not [cell for cell in cells if cell in shown and len(cell) > 1]


def test_the_cli_shows_nothing_of_a_password_file_given_as_a_table(project):
    secret = keep_only(project / "data" / "2024" / "chi-so-quoc-gia.csv")
    secret.write_text(SECRET, encoding="utf-8")
    result = run_cli("check", "--year", "2024", "--json", cwd=project)
    assert result.returncode == 1
    assert "root" not in result.stdout and "Bí mật" not in result.stdout and "tệp này không phải bảng" in result.stdout
    assert os.path.basename(secret) in result.stdout
