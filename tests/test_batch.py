"""Batch rendering as a user sees it: `--unit all` / lists, each unit in its own folder, one failure not
stopping the others, warm kernels reset between units, Dask as the alternative to the local pool.

These tests use the real params and data with a tiny master notebook that writes one file, so they measure
the batch machinery, not rendering (the real notebook is run by tests/test_end_to_end.py).
"""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from baocao import batch
from baocao.errors import BaocaoError
from conftest import copy_project, keep_only, run_cli

PROVINCES = ("an-giang", "ha-noi")
FAILING = "ha-noi"
AN_GIANG_ROW = "1,UBND tỉnh An Giang,"


def tiny_notebook(fail_unit: str | None = None,
                  failure: str = 'raise RuntimeError("kết xuất giả lập thất bại")') -> nbformat.NotebookNode:
    parameters = nbformat.v4.new_code_cell('year = 2024\nunit = "toan-quoc"\nparams_file = None\noutput_dir = None\noptions = {}')
    parameters.metadata["tags"] = ["parameters"]
    cells = [
        parameters,
        # Fails if the previous unit's variables survived in the reused kernel.
        nbformat.v4.new_code_cell('assert "leftover" not in globals(), "biến của đơn vị trước còn sót"\nleftover = unit'),
        nbformat.v4.new_code_cell(
            "from pathlib import Path\nfrom baocao.params import load_params\n"
            "params = load_params(params_file)\n"
            'Path(output_dir, "bao-cao.md").write_text(f"{params.unit}\\n{params.document.subject}\\n", encoding="utf-8")'),
    ]
    if fail_unit:
        cells.append(nbformat.v4.new_code_cell(
            f'if unit == "{fail_unit}":\n    {failure}'))
    notebook = nbformat.v4.new_notebook(cells=cells)
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    return notebook


def make_project(root: Path, fail_unit: str | None = None, **failure) -> Path:
    copy_project(root)
    nbformat.write(tiny_notebook(fail_unit, **failure), root / "notebooks" / "bao_cao.ipynb")
    return root


def edit_register_row(root: Path, row_start: str, old: str, new: str) -> None:
    """Replace `old` with `new` in the one register line that starts with `row_start`."""
    register = keep_only(root / "data" / "2024" / "so-theo-doi.csv")
    lines = register.read_text(encoding="utf-8").split("\n")
    index = next(i for i, line in enumerate(lines) if line.startswith(row_start))
    assert old in lines[index]
    lines[index] = lines[index].replace(old, new, 1)
    register.write_text("\n".join(lines), encoding="utf-8")


UNITS = ["toan-quoc", *PROVINCES]


def test_all_means_the_national_report_and_every_province_of_the_year():
    units = batch.select_units("all", 2024)
    assert units[0] == "toan-quoc" and len(units) == 1 + 63
    assert {"an-giang", "ba-ria-vung-tau", "yen-bai"} <= set(units)
    assert len(batch.select_units("all", 2025)) == 1 + 34
    assert batch.select_units(" toan-quoc, an-giang ,an-giang", 2024) == ["toan-quoc", "an-giang"]


def test_an_unknown_unit_is_refused_with_a_suggestion():
    with pytest.raises(BaocaoError) as caught:
        batch.select_units("toan-quoc,ha-noj", 2024)
    assert "ha-noi" in caught.value.problems[0].message
    assert caught.value.problems[0].value == "ha-noj"


def _notebook(path):
    return nbformat.read(path, as_version=4)


def test_units_run_one_after_another_in_one_reset_kernel_each_with_its_own_parameters(tmp_path):
    root = make_project(tmp_path)
    plan = batch.plan(2024, UNITS, root, root / "outputs")
    results = {r.unit: r for r in batch.run(plan.jobs, workers=1)}
    assert {u: r.status for u, r in results.items()} == dict.fromkeys(UNITS, batch.OK), results
    for unit in UNITS:
        outdir = root / "outputs" / "2024" / unit
        assert (outdir / "bao-cao.md").read_text(encoding="utf-8").startswith(unit + "\n")
        notebook = _notebook(outdir / "bao-cao.ipynb")
        injected = next(c for c in notebook.cells if "injected-parameters" in c.metadata.get("tags", []))
        assert f'unit = "{unit}"' in injected.source
        assert [c.execution_count for c in notebook.cells if c.cell_type == "code"] == [1, 2, 3, 4]
        assert json.loads((outdir / "manifest.json").read_text(encoding="utf-8"))["status"] == "ok"


def test_a_unit_that_kills_its_kernel_fails_alone_and_the_next_unit_gets_a_new_kernel(tmp_path):
    root = make_project(tmp_path, fail_unit="an-giang", failure="import os; os._exit(1)")
    plan = batch.plan(2024, UNITS, root, root / "outputs")
    results = {r.unit: r for r in batch.run(plan.jobs, workers=1)}  # one worker: ha-noi comes after the crash
    assert {u: r.status for u, r in results.items()} == {"toan-quoc": batch.OK, "an-giang": batch.FAILED,
                                                          "ha-noi": batch.OK}, results
    assert results["an-giang"].error.startswith(batch.KERNEL_FAILED), results["an-giang"].error
    assert (root / "outputs" / "2024" / "ha-noi" / "bao-cao.md").read_text(encoding="utf-8").startswith("ha-noi\n")


def test_cli_renders_in_parallel_keeps_going_after_a_failure_and_exits_non_zero(tmp_path):
    root = make_project(tmp_path, fail_unit=FAILING)
    result = run_cli("render", "--year", "2024", "--unit", ",".join(UNITS), "--jobs", "2", cwd=root)
    assert result.returncode == 1, result.stdout + result.stderr
    # a message wraps inside its table cell (how far depends on the length of the temp folder's path)
    summary = " ".join(result.stdout.replace("│", " ").split())
    assert "kết xuất giả lập thất bại" in summary and "đã kết xuất" in summary
    outputs = root / "outputs" / "2024"
    for unit in UNITS:
        if unit != FAILING:
            # each unit's own file, written by its own run of the notebook with its own parameters
            assert (outputs / unit / "bao-cao.md").read_text(encoding="utf-8").startswith(f"{unit}\n")
            injected = [c.source for c in _notebook(outputs / unit / "bao-cao.ipynb").cells
                        if "injected-parameters" in c.metadata.get("tags", [])]
            assert len(injected) == 1 and f'unit = "{unit}"' in injected[0], injected
    failed = outputs / FAILING / "bao-cao.loi.ipynb"
    marked = [c for c in _notebook(failed).cells if "papermill-error-cell-tag" in c.metadata.get("tags", [])]
    assert marked, "the failing notebook should carry papermill's error marker"
    assert not (outputs / FAILING / "bao-cao.ipynb").exists()

    again = run_cli("render", "--year", "2024", "--unit", ",".join(UNITS), "--jobs", "2", cwd=root)
    assert again.returncode == 1
    assert "2 bỏ qua vì không đổi" in " ".join(again.stdout.split() + again.stderr.split())


def test_a_data_error_fails_the_units_that_read_it_before_any_of_their_output_and_is_listed_once(tmp_path):
    root = make_project(tmp_path)
    table = root / "data" / "2024" / "chi-so-tinh.csv"  # read by every province, not by the national report
    lines = table.read_text(encoding="utf-8").split("\n")
    row = next(i for i, line in enumerate(lines) if line.startswith("Hà Nội,citizen_visits,"))
    cells = lines[row].split(",")
    cells[4] = "nhiều"  # «Giá trị» must be a number
    lines[row] = ",".join(cells)
    table.write_text("\n".join(lines), encoding="utf-8")

    result = run_cli("render", "--year", "2024", "--unit", ",".join(UNITS), "--jobs", "2", cwd=root)
    text = " ".join((result.stdout + result.stderr).split())
    assert result.returncode == 1, text
    assert "1 lỗi," in text and text.count("nhiều") == 1, text  # once for both provinces that read it, not per unit
    assert "1 đơn vị đã kết xuất, 0 bỏ qua vì không đổi, 2 lỗi" in text and batch.DATA_ERROR.split(" (")[0] in text
    assert "Traceback" not in text
    outputs = root / "outputs" / "2024"
    assert (outputs / "toan-quoc" / "bao-cao.md").is_file()
    assert not any((outputs / unit).exists() for unit in PROVINCES)


def test_a_dask_cluster_renders_the_same_units_and_the_files_land_in_outputs(tmp_path):
    from distributed import LocalCluster

    root = make_project(tmp_path)
    plan = batch.plan(2024, UNITS[:2], root, root / "outputs")
    with LocalCluster(n_workers=1, threads_per_worker=2, processes=False, dashboard_address=None) as cluster:
        results = list(batch.run(plan.jobs, scheduler=cluster.scheduler_address))
    assert sorted((r.unit, r.status) for r in results) == [("an-giang", batch.OK), ("toan-quoc", batch.OK)], results
    for unit in UNITS[:2]:
        outdir = root / "outputs" / "2024" / unit
        assert (outdir / "bao-cao.md").read_text(encoding="utf-8").startswith(unit + "\n")
        recorded = json.loads((outdir / "manifest.json").read_text(encoding="utf-8"))
        assert recorded["status"] == "ok" and "bao-cao.ipynb" in recorded["outputs"]
    assert [j.unit for j in batch.plan(2024, UNITS[:2], root, root / "outputs").jobs] == []


def test_planning_and_checking_units_leave_drawing_rendering_and_notebook_libraries_unimported(tmp_path):
    """The batch plans every unit and builds each one to check its data before any renders: those steps must
    not pay for matplotlib, python-docx or papermill (about 1.5 s of imports), which only a rendering unit
    needs; a re-run with nothing to render then answers in about a second."""
    root = copy_project(tmp_path)
    code = ("import sys; from pathlib import Path; from baocao import batch; "
            "plan = batch.plan(2024, ['toan-quoc', 'an-giang'], Path.cwd(), Path('outputs')); "
            "assert len(list(batch.checked(plan))) == 2, plan.problems; "
            "print(sorted(m for m in ('matplotlib', 'docx', 'papermill', 'nbclient') if m in sys.modules))")
    result = subprocess.run([sys.executable, "-c", code], cwd=root, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"
