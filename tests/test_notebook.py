"""The master notebook run the ways analysts run it: as JupyterLab does (kernel in notebooks/, told the
notebook's path), from a folder outside the project, and through `baocao render` (its HTML review page);
and what it shows: sections in outline order, marked figures, tables as the DOCX prints them, warnings beside
their section, and an edit seen on the next run of the same kernel."""
from __future__ import annotations

import re
import shutil

import nbformat
import pytest
from nbclient import NotebookClient

from conftest import ROOT, copy_project

NOTEBOOK = ROOT / "notebooks" / "bao_cao.ipynb"


def run_notebook(cwd, unit: str, output_dir=None) -> nbformat.NotebookNode:
    """Execute the committed notebook with nbclient, its kernel started in `cwd`, after setting the unit in
    the parameters cell as an analyst does in Lab."""
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    source = notebook.cells[1].source.replace('unit = "toan-quoc"', f'unit = "{unit}"')
    if output_dir is not None:
        source = source.replace("output_dir = None", f"output_dir = {str(output_dir)!r}")
    notebook.cells[1].source = source
    NotebookClient(notebook, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(cwd)}}).execute()
    return notebook


def outputs_html(notebook) -> list[str]:
    return [output.get("data", {}).get("text/html", "") for cell in notebook.cells if cell.cell_type == "code"
            for output in cell.outputs]


def errors(notebook) -> list[str]:
    return [f"{o['ename']}: {o['evalue']}" for c in notebook.cells if c.cell_type == "code" for o in c.outputs
            if o["output_type"] == "error"]


EXPECTED = {  # a unit → text its rendered prose shows
    "toan-quoc": "41/63 địa phương",
    "tay-ninh": "Ủy ban nhân dân tỉnh Tây Ninh",
}


@pytest.mark.parametrize("unit", ["toan-quoc", "tay-ninh"])
def test_runs_as_jupyterlab_runs_it_kernel_in_the_notebooks_folder(tmp_path, monkeypatch, unit):
    project = copy_project(tmp_path)
    # Jupyter Server starts the kernel in the notebook's folder and tells it the notebook's path.
    monkeypatch.setenv("JPY_SESSION_NAME", str(project / "notebooks" / "bao_cao.ipynb"))
    notebook = run_notebook(project / "notebooks", unit)
    assert errors(notebook) == []
    assert any(EXPECTED[unit] in html for html in outputs_html(notebook))
    written = project / "outputs" / "2024" / unit  # the project of the notebook, not the working directory
    assert (written / "bao-cao.pdf").stat().st_size > 0 and (written / "bao-cao.docx").stat().st_size > 0
    assert not (project / "notebooks" / "outputs").exists()
    pages = next(html for html in outputs_html(notebook) if '<div class="bc-pages">' in html)
    assert 'href="../outputs/2024/' + unit + '/bao-cao.pdf"' in pages  # relative to the notebook, as Lab opens it
    assert pages.count("data:image/png;base64,") == 2


@pytest.mark.parametrize("unit", ["toan-quoc", "tay-ninh"])
def test_runs_from_a_scratch_folder_outside_the_project(tmp_path, monkeypatch, unit):
    monkeypatch.delenv("JPY_SESSION_NAME", raising=False)
    scratch, out = tmp_path / "scratch", tmp_path / "out"
    scratch.mkdir()
    notebook = run_notebook(scratch, unit, output_dir=out)
    assert errors(notebook) == []
    assert any(EXPECTED[unit] in html for html in outputs_html(notebook))
    assert (out / "bao-cao.pdf").is_file()
    assert list(scratch.iterdir()) == []  # nothing resolved against the working directory


def test_render_writes_a_self_contained_review_page_without_code(rendered_2024):
    page = (rendered_2024 / "bao-cao.html").read_text(encoding="utf-8")
    assert "41/63 địa phương" in page
    assert "Biểu đồ 1. Tình hình gửi kế hoạch" in page and page.count("data:image/png;base64,") >= 4  # 2 charts, 2 pages
    assert "bc.preview(" not in page and "Các bước lập báo cáo" in page  # code hidden, the stages shown
    assert "<script" not in page and not re.search(r'(?:src|href)="https?://', page)  # opens offline
    assert 'href="bao-cao.pdf"' in page and 'href="bao-cao.docx"' in page  # the files beside it


def test_province_review_page_judges_targets_and_compares(rendered_2025_tay_ninh):
    page = (rendered_2025_tay_ninh / "bao-cao.html").read_text(encoding="utf-8")
    targets = page[page.index("Mức chỉ tiêu"):]
    assert "Không đạt" in targets and "Đạt" in targets
    assert "Năm 2024" in page and "Năm 2025" in page and "Thay đổi" in page  # the comparison with 2024
